"""The rating-round job: claimed from the table by any process, all-or-nothing.

A worker claims a running round with a session-level advisory lock on its own
connection: if the process dies, the connection closes, the lock goes and another
worker (or a rerun) takes the round up again. Accounts and signatures are computed off
the event loop; the ratings, the superseding of the year's previous ratings and the
round's completion are one transaction, so until it commits the previous round stays in
force.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy import insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from service.auth.keystore import signing_key
from service.db.models import CertificateJob, RatingRecord, RatingRound
from service.disclosure.publish import publish
from service.policy.round import pin, policy_inputs
from service.policy.sheet import store
from service.ratings.compute import RoundFailed, candidates, issue, uses_reference
from service.ratings.events import earlier_colours, round_events
from service.ratings.inputs import load_inputs
from service.settings import Settings
from service.webhooks.outbox import emit

__all__ = ["RoundRunner"]

log = logging.getLogger("service.ratings.job")
CHUNK = 250
Hook = Callable[[str], Awaitable[None]]


async def _noop(stage: str) -> None:
    return None


class RoundRunner:
    def __init__(self, engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        self.engine, self.sessionmaker, self.settings = engine, sessionmaker, settings
        self.hook: Hook = _noop  # tests interrupt a round at a stage through this

    async def run_pending(self) -> int:
        """Run every running round no other worker holds; the number run."""
        async with self.sessionmaker() as db:
            ids = list(await db.scalars(select(RatingRound.id).where(RatingRound.status == "running")))
        done = 0
        for round_id in ids:
            done += await self.claim_and_run(round_id)
        return done

    async def claim_and_run(self, round_id: uuid.UUID) -> bool:
        async with self.engine.connect() as conn:
            key = f"rating_round:{round_id}"
            got = await conn.scalar(text("SELECT pg_try_advisory_lock(hashtextextended(:k, 0))"), {"k": key})
            await conn.commit()
            if not got:
                return False
            try:
                await self._run(round_id)
            finally:
                await conn.execute(text("SELECT pg_advisory_unlock(hashtextextended(:k, 0))"), {"k": key})
                await conn.commit()
        return True

    async def _progress(self, round_id: uuid.UUID, **values: object) -> None:
        async with self.sessionmaker() as db, db.begin():
            await db.execute(update(RatingRound).where(RatingRound.id == round_id).values(**values))

    async def _run(self, round_id: uuid.UUID) -> None:
        async with self.sessionmaker() as db:
            rnd = await db.get(RatingRound, round_id)
        if rnd is None or rnd.status != "running":
            return
        now = dt.datetime.now(dt.UTC)
        await self._progress(round_id, started_at=now, attempts=rnd.attempts + 1, progress_done=0)
        try:
            await self._compute_and_commit(rnd)
        except RoundFailed as exc:
            await self._progress(round_id, status="failed", finished_at=dt.datetime.now(dt.UTC), error=str(exc)[:1000])
            log.warning("rating round %s failed: %s", round_id, exc)
        except Exception as exc:
            await self._progress(
                round_id,
                status="failed",
                finished_at=dt.datetime.now(dt.UTC),
                error=f"internal error: {type(exc).__name__}",
            )
            log.exception("rating round %s failed", round_id)

    async def _compute_and_commit(self, rnd: RatingRound) -> None:
        async with self.sessionmaker() as db, db.begin():
            inputs = await load_inputs(db, rnd.year, with_reference=uses_reference(rnd.methodology_version))
            key = await signing_key(db, "rating", self.settings.secret_key)
            policies = await policy_inputs(db, [e.enterprise_id for e in inputs.entries], rnd.year)
        total = len(inputs.entries)
        await self._progress(rnd.id, progress_total=total)
        cands = []
        for start in range(0, total, CHUNK):
            chunk = inputs.entries[start : start + CHUNK]
            cands += await asyncio.to_thread(candidates, inputs, chunk)
            await self._progress(rnd.id, progress_done=len(cands))
            await self.hook("accounted")
        now = dt.datetime.now(dt.UTC)
        rows = await asyncio.to_thread(
            issue,
            inputs,
            cands,
            round_id=rnd.id,
            key=key,
            issuer=self.settings.issuer,
            now=now,
            methodology_version=rnd.methodology_version,
        )
        sheets = await asyncio.to_thread(pin, policies, inputs.entries, cands, rows)
        await self.hook("signed")
        async with self.sessionmaker() as db, db.begin():
            locked = await db.scalar(select(RatingRound.status).where(RatingRound.id == rnd.id).with_for_update())
            if locked != "running":
                return  # finished elsewhere meanwhile; issue nothing
            previous = (
                await db.execute(
                    update(RatingRecord)
                    .where(RatingRecord.year == rnd.year, RatingRecord.status == "active")
                    .values(status="superseded", superseded_at=now)
                    .returning(RatingRecord.id, RatingRecord.enterprise_id, RatingRecord.colour)
                )
            ).all()
            earlier = (await db.execute(earlier_colours(rnd.year))).all()
            if rows:
                await db.execute(insert(RatingRecord), rows)
                await db.execute(insert(CertificateJob), [{"rating_id": row["id"]} for row in rows])
            await emit(db, round_events(rnd.year, rows, previous, earlier))
            await store(db, sheets)
            await publish(db, inputs.entries, cands, rows)  # 披露: every rated enterprise-year's public record
            await db.execute(
                update(RatingRound)
                .where(RatingRound.id == rnd.id)
                .values(status="completed", finished_at=dt.datetime.now(dt.UTC), progress_done=total, rated=len(rows))
            )
            await self.hook("committing")
