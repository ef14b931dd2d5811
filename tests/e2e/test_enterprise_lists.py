"""Regulators list enterprises with filters and cursor pages that neither skip nor repeat."""

from __future__ import annotations

from domain.organisations import OrgKind
from tests.helpers import Api, new_uscc


def test_filters_and_cursor_pages(api: Api) -> None:
    regulator = api.bootstrap(OrgKind.REGULATOR)
    made = []
    for i in range(5):
        district = "370303" if i % 2 == 0 else "370305"
        industry = "3011" if i < 3 else "2511"
        ent, _ = api.register(uscc=new_uscc(district), district=district, industry=industry)
        made.append((ent.uscc, district, industry))
    api.decide(regulator, made[0][0], "approve")

    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = api.client.get("/v1/enterprises", params=params, headers=regulator.headers).json()
        seen += [e["uscc"] for e in page["items"]]
        cursor = page.get("next_cursor")
        if cursor is None:
            break
    assert seen == sorted(u for u, _, _ in made)

    def uscc_where(**query: str) -> set[str]:
        r = api.client.get("/v1/enterprises", params=query, headers=regulator.headers)
        assert r.status_code == 200, r.text
        return {e["uscc"] for e in r.json()["items"]}

    assert uscc_where(district="370305") == {u for u, d, _ in made if d == "370305"}
    assert uscc_where(sector="petrochemical") == {u for u, _, c in made if c == "2511"}
    assert uscc_where(industry="3011", district="370303") == {u for u, d, c in made if c == "3011" and d == "370303"}
    assert uscc_where(status="active") == {made[0][0]}
    assert uscc_where(status="pending") == {u for u, _, _ in made[1:]}


def test_bad_list_parameters_are_named(api: Api) -> None:
    regulator = api.bootstrap(OrgKind.REGULATOR)
    for params, field in (
        ({"limit": 0}, "query.limit"),
        ({"limit": 1000}, "query.limit"),
        ({"sector": "mining"}, "query.sector"),
        ({"cursor": "%%%"}, "query.cursor"),
    ):
        r = api.client.get("/v1/enterprises", params=params, headers=regulator.headers)
        assert r.status_code == 422, (params, r.text)
        assert field in [e["field"] for e in r.json()["errors"]], r.json()
