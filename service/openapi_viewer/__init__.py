"""The OpenAPI viewer at /schema, served whole from the package (issue 15.7).

Litestar's render plugins load their viewer from a CDN (and a favicon from GitHub), which an
isolated government network cannot reach. `OfflineSwaggerUI` serves Swagger UI (Apache 2.0,
vendored unmodified in `assets/` with its licence, NOTICE and bundled libraries' licences; see
assets/README.md) from `/schema/viewer/<version>/`, and a page that loads only those files:

    /schema                                   the page: no inline script or style
    /schema/viewer/<version>/swagger-ui.css   Swagger UI's stylesheet
    /schema/viewer/<version>/swagger-ui-bundle.js
    /schema/viewer/<version>/viewer.js        this project's start-up script
    /schema/viewer/<version>/favicon-32x32.png
    /schema/openapi.json                      the document, which the viewer fetches

The version is in the path, so a browser may keep the files (a new version is a new URL).
What the page may load is `DOCS_CSP` in service/security_headers.py: these files, the
document and the API itself ("Try it out", the token endpoint), and nothing elsewhere.
"""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path
from typing import Any

from litestar import Request, Response, get
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.router import Router

__all__ = ["ASSETS", "SWAGGER_UI_VERSION", "OfflineSwaggerUI", "asset_path"]

SWAGGER_UI_VERSION = "5.35.0"
ASSETS = Path(__file__).parent / "assets"
_MEDIA_TYPES = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "viewer.js": "text/javascript; charset=utf-8",
    "favicon-32x32.png": "image/png",
}
_CACHE = "public, max-age=31536000, immutable"  # versioned URLs: a new version is a new path


def asset_path(name: str) -> str:
    """Where an asset is served, below the OpenAPI path (`/schema`)."""
    return f"/viewer/{SWAGGER_UI_VERSION}/{name}"


@cache
def _read(name: str) -> bytes:
    return (ASSETS / name).read_bytes()


@get([asset_path(name) for name in _MEDIA_TYPES], include_in_schema=False, sync_to_thread=False)
def viewer_asset(request: Request[Any, Any, Any]) -> Response[bytes]:
    """One of the viewer's files; the paths are fixed, so nothing else on disk can be named."""
    name = request.url.path.rsplit("/", 1)[-1]
    return Response(_read(name), media_type=_MEDIA_TYPES[name], headers={"Cache-Control": _CACHE})


class OfflineSwaggerUI(OpenAPIRenderPlugin):
    """Swagger UI at the OpenAPI path itself (`/schema`), every file from this package."""

    def __init__(self) -> None:
        super().__init__(path="/", favicon="", style="")

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        base = request.app.openapi_config.path.rstrip("/") if request.app.openapi_config else ""
        title = html.escape(str(openapi_schema.get("info", {}).get("title", "API")))
        spec = html.escape(self.get_openapi_json_route(request))
        page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" type="image/png" href="{base}{asset_path("favicon-32x32.png")}">
<link rel="stylesheet" href="{base}{asset_path("swagger-ui.css")}">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{spec}"></div>
<script src="{base}{asset_path("swagger-ui-bundle.js")}"></script>
<script src="{base}{asset_path("viewer.js")}"></script>
</body>
</html>
"""
        return page.encode()

    def receive_router(self, router: Router) -> None:
        router.register(viewer_asset)
