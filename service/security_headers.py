"""Security headers on every response (OWASP API8: security misconfiguration).

A Litestar `before_send` hook, so it also covers the answers no route handler makes: the
router's 404 and 405, 413 for an oversized body, 500 from the exception handlers, the
OpenAPI routes. Wire it with `before_send=[security_headers(settings)]`.

Every response gets
  X-Content-Type-Options: nosniff
  Referrer-Policy: no-referrer
  X-Frame-Options: DENY
  Content-Security-Policy, by what the body is:
    - JSON, problem documents, PDFs, zips, csv, PEM (everything but HTML):
      `default-src 'none'; frame-ancestors 'none'` -- nothing in them may load or run;
    - the public certificate page `GET /verify/{no}` (HTML without JavaScript, one inline
      <style> element and a style attribute for the status colour): scripts, frames,
      forms and everything else stay forbidden, only inline styles are allowed;
    - the OpenAPI viewer at /schema (Swagger UI, every file served from the package by
      service/openapi_viewer): scripts, stylesheets and images from this origin only,
      requests (the OpenAPI document, "Try it out", the token endpoint) to it only, and
      data: images, which Swagger UI's stylesheet embeds for its icons. No inline or
      evaluated script, no inline style, no frames, fonts, forms, objects or workers.
      Measured in headless Chromium (page loaded, operations opened, "Try it out" executed,
      the Authorize dialog opened): no violation under this policy; without data: the
      icons are refused;
  Cache-Control: no-store, unless the handler set its own (the token endpoint does);
    the public rating key set `GET /.well-known/jwks.json` is `public, max-age=300`
    instead: verifiers are meant to cache it, and a rotated key is published
    RATING_KEY_DELAY_SECONDS (default 600 s) before it signs, so a 5-minute cache never
    misses a key that signed; the CA's CRL `GET /v1/pki/ca.crl` sets `public, max-age=3600`;
  Strict-Transport-Security, when PUBLIC_BASE_URL is https (behind a TLS proxy).

Any `Server` or `X-Powered-By` header a handler set is removed. (The ASGI server adds its
own `Server` header below this layer: run uvicorn with `server_header=False`.) No CORS
headers are added: browsers on other origins get no `Access-Control-Allow-*` answer.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import BeforeMessageSendHookHandler, Message, Scope

from service.settings import Settings

__all__ = [
    "API_CSP",
    "CONSOLE_CSP",
    "DOCS_CSP",
    "HSTS",
    "JWKS_CACHE_CONTROL",
    "PAGE_CSP",
    "security_headers",
]

API_CSP = "default-src 'none'; frame-ancestors 'none'"
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
CONSOLE_CSP = (  # the web console: its own stylesheet and forms, nothing else (no script at all)
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HSTS = "max-age=63072000; includeSubDomains"
JWKS_PATH = "/.well-known/jwks.json"
JWKS_CACHE_CONTROL = "public, max-age=300"
_FIXED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def _is_docs(path: str) -> bool:
    return path == "/schema" or path.startswith("/schema/")


def _csp(path: str, content_type: str) -> str:
    if content_type.split(";")[0].strip().lower() != "text/html":
        return API_CSP
    if _is_docs(path):
        return DOCS_CSP
    return CONSOLE_CSP if path == "/console" or path.startswith("/console/") else PAGE_CSP


def security_headers(settings: Settings) -> BeforeMessageSendHookHandler:
    """The hook for `Litestar(before_send=[...])`, configured from the settings."""
    hsts = settings.public_base_url.strip().lower().startswith("https://")

    async def add_security_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        path = str(scope.get("path", ""))
        for name in ("server", "x-powered-by"):
            if name in headers:
                del headers[name]
        for name, value in _FIXED.items():
            headers[name] = value
        headers["Content-Security-Policy"] = _csp(path, headers.get("content-type") or "")
        if path == JWKS_PATH and message["status"] == 200:
            headers["Cache-Control"] = JWKS_CACHE_CONTROL
        elif "cache-control" not in headers:
            headers["Cache-Control"] = "no-store"
        if hsts:
            headers["Strict-Transport-Security"] = HSTS

    return add_security_headers
