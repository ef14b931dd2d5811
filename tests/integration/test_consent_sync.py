"""A bank's consent sync never skips a change that commits late.

A withdrawal is stamped when its transaction starts and seen when it commits; a bank that
syncs in between must not move its cursor past it. The sync lists only changes older than
every transaction still open, so the slow withdrawal shows up on the next sync.
"""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg

from domain.organisations import OrgKind
from tests import db as testdb
from tests.e2e.test_webhooks import grant
from tests.helpers import Api, Caller


def _sync(api: Api, bank: Caller, since: str | None = None) -> list[dict[str, Any]]:
    params = {"updated_since": since} if since else {}
    r = api.client.get("/v1/consents", params=params, headers=bank.headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def test_a_change_committing_during_a_sync_is_seen_on_the_next(api: Api) -> None:
    regulator, admin = api.bootstrap(OrgKind.REGULATOR), api.bootstrap(OrgKind.ADMIN)
    bank = api.admin_created(admin, "bank")
    ents = []
    for _ in range(2):
        ent, _ = api.register()
        api.decide(regulator, ent.uscc or "", "approve")
        ents.append(ent)
    slow = grant(api, ents[0], bank)
    assert [c["id"] for c in _sync(api, bank)] == [slow["id"]]
    last_seen = _sync(api, bank)[-1]["updated_at"]

    async def scenario() -> tuple[list[str], list[str]]:
        conn = await asyncpg.connect(testdb.dsn(api.settings.app_database_url))
        try:
            tx = conn.transaction()
            await tx.start()  # a slow withdrawal: stamped now, committed later
            await conn.execute(
                "UPDATE consents SET withdrawn_at = now(), updated_at = now() WHERE id = $1::uuid", slow["id"]
            )
            fast = await asyncio.to_thread(grant, api, ents[1], bank)  # committed meanwhile, stamped later
            during = [c["id"] for c in await asyncio.to_thread(_sync, api, bank, last_seen)]
            await tx.commit()
            after = [c["id"] for c in await asyncio.to_thread(_sync, api, bank, last_seen)]
            return during, [*after, fast["id"]]
        finally:
            await conn.close()

    during, after = asyncio.run(scenario())
    assert slow["id"] not in during or during == [slow["id"]]  # never the later change without the earlier
    fast_id = after[-1]
    assert fast_id not in during  # held back while the older transaction was open
    assert after[:-1] == [slow["id"], fast_id]  # then both, in the order they were stamped
