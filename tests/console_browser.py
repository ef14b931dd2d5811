"""A browser against the web console, over the test client: its own cookies (the session and the
CSRF pair, sent with each request and kept from each answer's Set-Cookie), so that several
browsers -- one per kind of caller -- share one app without sharing a cookie jar. The CSRF token
is read from a page's hidden `_csrf_token` field, as a form would carry it."""

from __future__ import annotations

import re
from typing import Any

from httpx import Response

from tests.helpers import Api, Caller

__all__ = ["BASE_URL", "CSRF", "SESSION", "Browser"]

BASE_URL = "https://testserver.local"  # the console's cookies are Secure: https, as a browser must
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
SESSION = "carbon_console"


class Browser:
    def __init__(self, api: Api) -> None:
        self.api = api
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
        files: dict[str, Any] | None = None,
        csrf: bool = True,
    ) -> Response:
        """One request with this browser's cookies; a form gets the CSRF token unless `csrf` is false."""
        client = self.api.client
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        data = dict(form or {})
        if method.upper() != "GET" and csrf and self.csrf:
            data["_csrf_token"] = self.csrf
        client.cookies.clear()  # the shared jar: nothing but this browser's own cookies is sent
        try:
            r = client.request(
                method, path, headers=headers, data=data or None, params=query, files=files, follow_redirects=False
            )
        finally:
            client.cookies.clear()
        self._keep(r)
        return r

    def get(self, path: str, **query: Any) -> Response:
        return self.request("GET", path, query=query or None)

    def _keep(self, r: Response) -> None:
        for line in r.headers.get_list("set-cookie"):
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            gone = not value or re.search(r"(?i)max-age=0\b|expires=thu, 01 jan 1970", line)
            if gone:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        if "text/html" in r.headers.get("content-type", "") and (found := CSRF.search(r.text)):
            self.csrf = found.group(1)

    def login(self, caller: Caller | None = None, *, username: str = "", password: str = "") -> Response:
        """Open the login page (for its CSRF token), then log in with the caller's client credentials
        or a person's username and password; the answer to the login."""
        assert self.get("/console/login").status_code == 200
        if caller is not None:
            form = {"client_id": caller.client_id, "client_secret": caller.client_secret}
        else:
            form = {"username": username, "password": password}
        return self.request("POST", "/console/login", form={**form, "next": "/console/"})

    @property
    def logged_in(self) -> bool:
        return SESSION in self.cookies
