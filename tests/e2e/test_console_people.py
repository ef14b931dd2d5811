"""The console's people (POST/GET/DELETE /v1/console-users): an organisation's own client creates a
person, who logs in to the console with a username and password; wrong passwords are refused and
counted; a disabled person can no longer log in and their open session stops working at once;
nobody sees or touches another organisation's people, or a password hash."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import asyncpg
import pytest

from domain.organisations import OrgKind
from tests import db as testdb
from tests.console_browser import BASE_URL, Browser
from tests.helpers import Api, Caller
from tests.owasp.common import pin_rate_window

PATH = "/v1/console-users"
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def https(api: Api) -> Iterator[None]:
    plain = api.client.base_url
    api.client.base_url = BASE_URL
    yield
    api.client.base_url = plain


def _approved(api: Api) -> tuple[Caller, Caller]:
    """An active enterprise, and the regulator who approved it."""
    regulator = api.bootstrap(OrgKind.REGULATOR)
    ent, _ = api.register()
    api.decide(regulator, ent.uscc or "", "approve")
    return ent, regulator


def _create(api: Api, who: Caller, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    body = {"username": username, "display_name": "张工 (energy manager)", "password": password, **extra}
    return api.client.post(PATH, json=body, headers=who.headers)


def _audit(api: Api, target: str) -> list[tuple[str, str | None, dict[str, Any]]]:
    async def go() -> list[tuple[str, str | None, dict[str, Any]]]:
        conn = await asyncpg.connect(testdb.dsn(api.settings.database_url))
        try:
            rows = await conn.fetch(
                "SELECT action, client_id, detail FROM audit_events WHERE target = $1 ORDER BY id", target
            )
            return [(r["action"], r["client_id"], json.loads(r["detail"])) for r in rows]
        finally:
            await conn.close()

    return asyncio.run(go())


def _stored_hash(api: Api, username: str) -> str:
    async def go() -> str:
        conn = await asyncpg.connect(testdb.dsn(api.settings.database_url))
        try:
            return str(await conn.fetchval("SELECT password_hash FROM console_users WHERE username = $1", username))
        finally:
            await conn.close()

    return asyncio.run(go())


def test_a_person_is_created_listed_and_logs_in_to_the_console(api: Api) -> None:
    ent, regulator = _approved(api)
    r = _create(api, ent, "zhang.gong")
    assert r.status_code == 201, r.text
    person = r.json()
    assert person["username"] == "zhang.gong" and person["disabled_at"] is None and person["failed_logins"] == 0
    assert person["created_by_client_id"] == ent.client_id
    assert not {"password", "password_hash"} & set(person)
    assert _stored_hash(api, "zhang.gong").startswith("$argon2id$")  # never the password itself
    assert _audit(api, f"console_user:{person['id']}") == [
        ("console_user.create", ent.client_id, {"username": "zhang.gong"})
    ]
    listed = api.client.get(PATH, headers=ent.headers)
    assert listed.status_code == 200 and [p["id"] for p in listed.json()] == [person["id"]]
    assert "argon2" not in listed.text and PASSWORD not in listed.text
    assert api.client.get(PATH, headers=regulator.headers).json() == []  # each organisation sees its own

    browser = Browser(api)
    r = browser.login(username="zhang.gong", password=PASSWORD)
    assert r.status_code == 303 and browser.logged_in, r.text
    start = browser.get("/console/")
    assert start.status_code == 303 and start.headers["location"] == f"/console/enterprises/{ent.uscc}"
    page = browser.get(f"/console/enterprises/{ent.uscc}")
    assert page.status_code == 200 and ent.uscc in page.text
    assert browser.get("/console/city").status_code == 403  # the person acts as its enterprise, no more


def test_a_wrong_password_is_refused_and_counted_until_a_good_login(api: Api) -> None:
    ent, _ = _approved(api)
    person = _create(api, ent, "li.si").json()
    browser = Browser(api)
    for n in (1, 2):
        wrong = browser.login(username="li.si", password="not the password")
        assert wrong.status_code == 401 and "凭据无效" in wrong.text and not browser.logged_in
        assert api.client.get(PATH, headers=ent.headers).json()[0]["failed_logins"] == n
    unknown = browser.login(username="nobody.here", password=PASSWORD)
    assert (unknown.status_code, unknown.text) == (wrong.status_code, wrong.text)  # a name's existence does not show
    assert browser.login(username="li.si", password=PASSWORD).status_code == 303 and browser.logged_in
    assert api.client.get(PATH, headers=ent.headers).json() == [{**person, "failed_logins": 0}]


def test_repeated_failures_lock_the_login_as_the_token_endpoint_does(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    pin_rate_window(monkeypatch)
    ent, _ = _approved(api)
    _create(api, ent, "zhou.ba")
    browser = Browser(api)
    for _ in range(api.settings.token_failures_per_minute):
        assert browser.login(username="zhou.ba", password="not the password").status_code == 401
    locked = browser.login(username="zhou.ba", password=PASSWORD)  # the right one, too late
    assert locked.status_code == 429 and "失败次数过多" in locked.text and not browser.logged_in
    assert (
        api.client.get(PATH, headers=ent.headers).json()[0]["failed_logins"] == api.settings.token_failures_per_minute
    )


def test_a_disabled_person_cannot_log_in_and_their_open_session_stops(api: Api) -> None:
    ent, regulator = _approved(api)
    person = _create(api, ent, "wang.wu").json()
    browser = Browser(api)
    assert browser.login(username="wang.wu", password=PASSWORD).status_code == 303
    assert browser.get(f"/console/enterprises/{ent.uscc}").status_code == 200

    other = api.client.delete(f"{PATH}/{person['id']}", headers=regulator.headers)  # another organisation's
    assert other.status_code == 404 and other.headers["content-type"].startswith("application/problem+json")
    assert other.json()["detail"] == "No such console user."
    assert browser.get(f"/console/enterprises/{ent.uscc}").status_code == 200  # nothing changed

    r = api.client.delete(f"{PATH}/{person['id']}", headers=ent.headers)
    assert r.status_code == 200, r.text
    disabled_at = r.json()["disabled_at"]
    assert disabled_at is not None
    again = api.client.delete(f"{PATH}/{person['id']}", headers=ent.headers)
    assert again.status_code == 200 and again.json()["disabled_at"] == disabled_at  # the first time stays

    stopped = browser.get(f"/console/enterprises/{ent.uscc}")
    assert stopped.status_code == 303 and stopped.headers["location"].startswith("/console/login?next=")
    fresh = Browser(api)
    r = fresh.login(username="wang.wu", password=PASSWORD)
    assert r.status_code == 401 and "凭据无效" in r.text and not fresh.logged_in
    assert [a for a, _, _ in _audit(api, f"console_user:{person['id']}")] == [
        "console_user.create",
        "console_user.disable",
    ]
    assert api.client.get(PATH, headers=ent.headers).json()[0]["disabled_at"] == disabled_at


def test_a_username_is_taken_once_on_the_platform(api: Api) -> None:
    ent, regulator = _approved(api)
    assert _create(api, ent, "zhao.liu").status_code == 201
    taken = _create(api, regulator, "zhao.liu")
    assert taken.status_code == 409 and taken.json()["detail"] == "The username zhao.liu is already taken."
    zh = api.client.post(PATH, json={"username": "zhao.liu", "display_name": "x", "password": PASSWORD},
                         headers={**regulator.headers, "Accept-Language": "zh-CN"})  # fmt: skip
    assert zh.status_code == 409 and "已被占用" in zh.json()["detail"]
    api.client.delete(f"{PATH}/{_create(api, ent, 'zhao.qi').json()['id']}", headers=ent.headers)
    assert _create(api, ent, "zhao.qi").status_code == 409  # a disabled person's name stays theirs


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "ab"}, "username"),
        ({"username": "Upper.Case"}, "username"),
        ({"username": "a" * 65}, "username"),
        ({"username": "spaces are not"}, "username"),
        ({"password": "short pass1"}, "password"),
        ({"display_name": ""}, "display_name"),
        ({"role": "admin"}, "role"),
    ],
)
def test_bad_bodies_are_refused_naming_the_field(api: Api, body: dict[str, Any], field: str) -> None:
    ent, _ = _approved(api)
    full = {"username": "good.name", "display_name": "好名字", "password": PASSWORD, **body}
    r = api.client.post(PATH, json=full, headers=ent.headers)
    assert r.status_code == 422, r.text
    assert field in json.dumps(r.json()["errors"])
    assert api.client.get(PATH, headers=ent.headers).json() == []


def test_a_pending_enterprise_manages_no_people(api: Api) -> None:
    pending, _ = api.register()
    assert _create(api, pending, "pending.person").status_code == 403
    assert api.client.get(PATH, headers=pending.headers).status_code == 403
