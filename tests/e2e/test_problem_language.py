"""Problem documents in the caller's language (issue 15.6): Accept-Language picks zh-CN or en
for `title` and the details; type, status, instance and every field path stay the same."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import msgspec
import pytest
from litestar.testing import TestClient

from domain.organisations import OrgKind
from service.app import create_app
from service.problem_text import TITLES
from service.settings import Settings
from tests.helpers import Api, new_uscc

ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
EN = {"Accept-Language": "en-GB,en;q=0.9"}
CJK = range(0x4E00, 0xA000)


def _has_chinese(text: str) -> bool:
    return any(ord(ch) in CJK for ch in text)


def _fields(doc: dict[str, Any]) -> list[str]:
    return [e["field"] for e in doc.get("errors") or []]


def _same_but_words(en: httpx.Response, zh: httpx.Response) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both answers are the same problem; only title and details differ, in their language."""
    assert en.status_code == zh.status_code, (en.text, zh.text)
    for r, lang in ((en, "en"), (zh, "zh-CN")):
        assert r.headers["content-type"].startswith("application/problem+json"), r.text
        assert r.headers["content-language"] == lang
        assert "accept-language" in r.headers["vary"].lower()
    e, z = en.json(), zh.json()
    for key in set(e) | set(z):
        if key not in ("title", "detail", "errors"):
            assert e.get(key) == z.get(key), key  # type, status, instance, extension members
    assert _fields(e) == _fields(z)
    assert e["title"] == TITLES[e["status"]][0] and z["title"] == TITLES[z["status"]][1]
    assert not _has_chinese(e["title"] + e.get("detail", "")), e
    assert _has_chinese(z["detail"]), z
    for item in z.get("errors") or []:
        assert _has_chinese(item["detail"]), z
    return e, z


@pytest.fixture
def limited(settings: Settings) -> Iterator[Api]:
    """Two failed token requests a minute per address: the third is 429."""
    with TestClient(app=create_app(msgspec.structs.replace(settings, token_failures_per_minute=2))) as client:
        yield Api(client, client.app.state.settings)


def _both(send: Callable[[dict[str, str]], httpx.Response]) -> tuple[dict[str, Any], dict[str, Any]]:
    en = send({})  # no Accept-Language: the default, English
    assert en.headers["content-language"] == "en"
    return _same_but_words(send(EN), send(ZH))


def test_a_validation_error_names_the_same_field_in_both_languages(api: Api) -> None:
    bad = {"uscc": "91370300MA3C5XXXXX", "name": "淄博测试陶瓷有限公司", "district": "370303", "industry": "3071"}
    en, zh = _both(lambda h: api.client.post("/v1/enterprises", json=bad, headers=h))
    assert en["status"] == 422 and _fields(zh) == ["uscc"]
    assert zh["title"] == "校验未通过" and zh["detail"].startswith("uscc: ")
    typed = {**bad, "uscc": 123, "extra": 1}
    en, zh = _both(lambda h: api.client.post("/v1/enterprises", json=typed, headers=h))
    assert en["status"] == 422 and _fields(en) == _fields(zh) and _fields(zh)
    assert "Expected" in en["errors"][0]["detail"] or "field" in en["errors"][0]["detail"]


def test_401_403_404_409_in_both_languages(api: Api) -> None:
    c = api.client
    en, zh = _both(lambda h: c.get("/v1/enterprises", headers=h))
    assert en["detail"] == "A bearer access token is required." and zh["detail"] == "需要 Bearer 访问令牌。"
    bank = api.bootstrap(OrgKind.ADMIN)
    en, zh = _both(lambda h: c.get("/v1/enterprises", headers={**bank.headers, **h}))
    assert en["status"] == 403 and zh["detail"] == "admin 类机构无权调用此操作。"
    regulator = api.bootstrap(OrgKind.REGULATOR)
    missing = new_uscc()
    en, zh = _both(lambda h: c.get(f"/v1/enterprises/{missing}", headers={**regulator.headers, **h}))
    assert en["status"] == 404 and zh["detail"] == "没有这家企业。"
    en, zh = _both(lambda h: c.get("/v1/no-such-thing", headers=h))
    assert en["status"] == 404 and zh["detail"] == "没有这个资源。"
    _, data = api.register()
    again = {"uscc": data["enterprise"]["uscc"], "name": "重复", "district": "370303", "industry": "3011"}
    en, zh = _both(lambda h: c.post("/v1/enterprises", json=again, headers=h))
    assert en["status"] == 409 and zh["detail"] == f"统一社会信用代码为 {again['uscc']} 的企业已注册。"


def test_429_in_both_languages_with_retry_after(limited: Api) -> None:
    wrong = {"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "wrong"}
    for _ in range(2):
        assert limited.client.post("/v1/auth/token", data=wrong).status_code == 401
    answers = {}
    for name, h in (("en", EN), ("zh", ZH)):
        r = limited.client.post("/v1/auth/token", data=wrong, headers=h)
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
        answers[name] = r
    en, zh = _same_but_words(answers["en"], answers["zh"])
    assert en["detail"].startswith("Too many failed attempts") and zh["detail"].startswith("失败尝试过多")


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("zh-CN", "zh-CN"),
        ("zh", "zh-CN"),
        ("zh-Hans-CN", "zh-CN"),
        ("en-US,zh;q=0.5", "en"),
        ("zh;q=0.4, en;q=0.6", "en"),
        ("en;q=0, zh", "zh-CN"),
        ("fr-FR, zh-TW", "en"),  # neither offered: the default
        ("*", "en"),
        ("", "en"),
    ],
)
def test_accept_language_is_negotiated_over_http(api: Api, header: str, language: str) -> None:
    r = api.client.get("/v1/enterprises", headers={"Accept-Language": header})
    assert r.status_code == 401 and r.headers["content-language"] == language
    assert r.json()["title"] == TITLES[401][0 if language == "en" else 1]


def test_the_default_language_is_a_setting(settings: Settings) -> None:
    with TestClient(app=create_app(msgspec.structs.replace(settings, problem_default_language="zh-CN"))) as client:
        plain = client.get("/v1/enterprises")
        assert plain.headers["content-language"] == "zh-CN" and plain.json()["title"] == "未通过身份认证"
        english = client.get("/v1/enterprises", headers={"Accept-Language": "en"})
        assert english.headers["content-language"] == "en" and english.json()["title"] == "Unauthorized"


def test_successful_answers_are_unchanged(api: Api) -> None:
    r = api.client.get("/healthz", headers=ZH)
    assert r.status_code == 200 and "content-language" not in r.headers
