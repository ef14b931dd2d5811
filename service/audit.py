"""Every write records the acting client and organisation (append-only audit_events)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.principal import Principal
from service.db.models import AuditEvent

__all__ = ["record_event"]


async def record_event(db: AsyncSession, actor: Principal | None, action: str, target: str, **detail: Any) -> None:
    db.add(
        AuditEvent(
            client_id=actor.client_id if actor else None,
            org_id=actor.org_id if actor else None,
            action=action,
            target=target,
            detail={k: str(v) for k, v in detail.items()},
        )
    )
