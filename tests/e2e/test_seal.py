"""The rating authority's seal upload: a PNG within limits is kept (each upload a new row);
anything else is a 422 problem naming `png`, and nothing is stored."""

from __future__ import annotations

import asyncio
import base64
import io

import asyncpg
import pytest
from PIL import Image

from domain.organisations import OrgKind
from tests import db as testdb
from tests.helpers import Api
from tests.integration.test_certificate_faces import seal_png

PATH = "/v1/rating-authority/seal"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _image(fmt: str, size: tuple[int, int] = (64, 64)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 0, 0)).save(out, fmt)
    return out.getvalue()


def _count(api: Api) -> int:
    async def run() -> int:
        conn = await asyncpg.connect(testdb.dsn(api.settings.database_url))
        try:
            return int(await conn.fetchval("SELECT count(*) FROM authority_seals"))
        finally:
            await conn.close()

    return asyncio.run(run())


def test_a_png_is_kept_per_upload(api: Api) -> None:
    ra = api.bootstrap(OrgKind.RATING_AUTHORITY)
    for size in (240, 120):
        r = api.client.put(PATH, json={"png": _b64(seal_png(size))}, headers=ra.headers)
        assert r.status_code == 200, r.text
        assert (r.json()["width"], r.json()["height"]) == (size, size) and r.json()["org_id"] == ra.org_id
    assert _count(api) == 2  # the earlier one is kept; the newest prints


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"png": _b64(_image("JPEG"))}, "not a PNG"),
        ({"png": _b64(_image("PNG", (16, 16)))}, "16x16"),
        ({"png": _b64(_image("PNG", (3000, 40)))}, "3000x40"),
        ({"png": _b64(_image("PNG", (200, 200))[:120])}, "cannot be read"),
        ({"png": _b64(b"\x89PNG\r\n\x1a\n" + bytes(600 * 1024))}, "at most 524288"),
        ({"png": "not base64 at all!"}, "png"),
        ({"png": _b64(seal_png()), "name": "x"}, "name"),
        ({}, "png"),
    ],
)
def test_anything_else_is_refused_naming_the_field_and_nothing_is_stored(api: Api, body: dict, says: str) -> None:
    ra = api.bootstrap(OrgKind.RATING_AUTHORITY)
    r = api.client.put(PATH, json=body, headers=ra.headers)
    assert r.status_code in (400, 413, 422), r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert says in r.text, r.text
    assert _count(api) == 0
