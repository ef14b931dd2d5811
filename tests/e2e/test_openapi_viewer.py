"""/schema loads nothing from outside the service (issue 15.7): an isolated government network
reaches no CDN, so the viewer's every file is served from the package, under a policy that
allows those files and nothing else."""

from __future__ import annotations

import hashlib
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from service.openapi_viewer import ASSETS, SWAGGER_UI_VERSION
from service.security_headers import DOCS_CSP
from tests.helpers import Api

ROOT = Path(__file__).resolve().parents[2]
EXPECTED_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.loads: list[tuple[str, str]] = []  # (tag, url)
        self.inline_scripts = 0
        self.styles = 0
        self.data: dict[str, str] = {}
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "style" in a or tag == "style":
            self.styles += 1
        if tag == "script":
            self._in_script = True
            if "src" in a:
                self.loads.append((tag, a["src"]))
        for name in ("href", "src"):
            if tag in ("link", "img", "iframe") and name in a:
                self.loads.append((tag, a[name]))
        self.data.update({k: v for k, v in a.items() if k.startswith("data-")})

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1


def _same_origin(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and url.startswith("/")


def test_the_viewer_loads_only_files_this_service_serves(api: Api) -> None:
    page = api.client.get("/schema")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == DOCS_CSP
    parsed = _Page()
    parsed.feed(page.text)
    assert parsed.inline_scripts == 0 and parsed.styles == 0  # what DOCS_CSP forbids, the page does not do
    assert not re.search(r"https?://|//cdn|unpkg|jsdelivr", page.text), page.text
    urls = [url for _, url in parsed.loads]
    assert {Path(urlsplit(u).path).name for u in urls} == {
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "viewer.js",
        "favicon-32x32.png",
    }
    for url in [*urls, parsed.data["data-openapi-url"]]:
        assert _same_origin(url), url
        r = api.client.get(url)
        assert r.status_code == 200, url
        asset = "/viewer/" in url
        suffix = Path(urlsplit(url).path).suffix
        expected = EXPECTED_TYPES[suffix] if asset else "application/vnd.oai.openapi+json"
        assert r.headers["content-type"].split(";")[0] == expected, (url, r.headers["content-type"])
        if asset:
            assert r.content == (ASSETS / Path(url).name).read_bytes()
            assert f"/{SWAGGER_UI_VERSION}/" in url and "immutable" in r.headers["cache-control"]
    assert api.client.get(parsed.data["data-openapi-url"]).json()["openapi"].startswith("3.1")


def test_no_other_file_can_be_named(api: Api) -> None:
    base = f"/schema/viewer/{SWAGGER_UI_VERSION}"
    for name in ("README.md", "NOTICE.txt", "../__init__.py", "%2e%2e/__init__.py", "swagger-ui-bundle.js.map"):
        assert api.client.get(f"{base}/{name}").status_code == 404, name
    assert api.client.get("/schema/viewer/0.0.1/swagger-ui.css").status_code == 404


def _directives(policy: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        out[name] = set(sources)
    return out


def test_the_policy_allows_exactly_what_the_viewer_needs() -> None:
    assert _directives(DOCS_CSP) == {
        "default-src": {"'none'"},  # everything not named below: fonts, frames, objects, workers, media
        "script-src": {"'self'"},  # the bundle and viewer.js; no inline or evaluated script
        "style-src": {"'self'"},  # swagger-ui.css; the page has no inline style
        "img-src": {"'self'", "data:"},  # the favicon; the icons swagger-ui.css embeds as data: URLs
        "connect-src": {"'self'"},  # the OpenAPI document, "Try it out", the token endpoint
        "frame-ancestors": {"'none'"},
        "base-uri": {"'none'"},
        "form-action": {"'none'"},
    }
    css = (ASSETS / "swagger-ui.css").read_text(encoding="utf-8")
    refs = re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
    assert refs and all(ref.startswith("data:image/") for ref in refs)  # hence img-src data:, and nothing else
    assert "@import" not in css and "@font-face" not in css  # hence no font-src


def test_the_vendored_files_are_the_published_ones_with_their_licences() -> None:
    notes = (ASSETS / "README.md").read_text(encoding="utf-8")
    for name in ("swagger-ui-bundle.js", "swagger-ui.css"):
        digest = hashlib.sha256((ASSETS / name).read_bytes()).hexdigest()
        assert f"{digest}  {name}" in notes, name
    assert f"swagger-ui-dist@{SWAGGER_UI_VERSION}" in notes
    assert "Apache License" in (ASSETS / "LICENSE-Apache-2.0.txt").read_text(encoding="utf-8")
    assert "SmartBear" in (ASSETS / "NOTICE.txt").read_text(encoding="utf-8")
    assert "license" in (ASSETS / "THIRD-PARTY-LICENSES.txt").read_text(encoding="utf-8").lower()
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "openapi_viewer/assets/*" in data["service"]
