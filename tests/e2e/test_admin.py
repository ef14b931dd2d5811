"""Admins manage banks' and verifiers' clients, and cannot make themselves anyone else."""

from __future__ import annotations

from domain.organisations import OrgKind
from tests.helpers import Api


def test_an_admin_cannot_mint_clients_for_privileged_organisations_or_enterprises(api: Api) -> None:
    admin = api.bootstrap(OrgKind.ADMIN)
    regulator = api.bootstrap(OrgKind.REGULATOR)
    enterprise, _ = api.register()
    for org_id in (regulator.org_id, admin.org_id, enterprise.org_id):
        r = api.client.post(f"/v1/admin/organisations/{org_id}/clients", json={"name": "x"}, headers=admin.headers)
        assert r.status_code == 403, r.text
        assert r.json()["type"].endswith(":forbidden")
    listed = api.client.get(f"/v1/admin/organisations/{regulator.org_id}/clients", headers=admin.headers).json()
    assert [c["client_id"] for c in listed] == [regulator.client_id]


def test_an_admin_cannot_rotate_privileged_or_enterprise_secrets_but_can_revoke_them(api: Api) -> None:
    admin = api.bootstrap(OrgKind.ADMIN)
    regulator = api.bootstrap(OrgKind.REGULATOR)
    enterprise, _ = api.register()
    for caller in (regulator, enterprise):
        r = api.client.post(f"/v1/admin/clients/{caller.client_id}/rotation", headers=admin.headers)
        assert r.status_code == 403, r.text
        assert api.token_for(caller.client_id, caller.client_secret)  # the secret still works
    r = api.client.post(f"/v1/admin/clients/{enterprise.client_id}/revocation", headers=admin.headers)
    assert r.status_code == 200 and r.json()["status"] == "revoked"


def test_bank_clients_are_created_rotated_and_revoked(api: Api) -> None:
    admin = api.bootstrap(OrgKind.ADMIN)
    bank = api.admin_created(admin, "bank")
    rotated = api.client.post(f"/v1/admin/clients/{bank.client_id}/rotation", headers=admin.headers)
    assert rotated.status_code == 200
    new_token = api.token_for(bank.client_id, rotated.json()["client_secret"])
    assert new_token
    revoked = api.client.post(f"/v1/admin/clients/{bank.client_id}/revocation", headers=admin.headers)
    assert revoked.json()["status"] == "revoked"
    again = api.client.post(f"/v1/admin/clients/{bank.client_id}/rotation", headers=admin.headers)
    assert again.status_code == 409
