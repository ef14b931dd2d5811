from domain.organisations import OrgKind
from tests.helpers import Api


def test_register_approve_read(api: Api) -> None:
    regulator = api.bootstrap(OrgKind.REGULATOR)
    ent, data = api.register()
    assert data["enterprise"]["status"] == "pending"
    assert data["enterprise"]["sector"] == "building_materials"
    r = api.client.get(f"/v1/enterprises/{ent.uscc}", headers=ent.headers)
    assert r.status_code == 200, r.text
    decided = api.decide(regulator, ent.uscc, "approve")
    assert decided["status"] == "active"
    r = api.client.get("/v1/enterprises", headers=regulator.headers)
    assert r.status_code == 200, r.text
    assert [e["uscc"] for e in r.json()["items"]] == [ent.uscc]
