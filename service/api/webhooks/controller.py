"""`/v1/webhooks`: a bank's endpoints, their delivery log, manual redelivery."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.params import JSONBody, PathParameter

from domain.organisations import OrgKind
from service.api.pagination import DEFAULT_LIMIT, Limit
from service.api.webhooks.schemas import DeliveryRead, WebhookCreate, WebhookRead
from service.auth.access import access
from service.db.session import DB
from service.idempotency import idempotent
from service.webhooks import endpoints as use

__all__ = ["WebhookController"]

B = OrgKind.BANK
Id = Annotated[uuid.UUID, PathParameter(description="The webhook endpoint's id")]


def _redact(value: WebhookRead) -> WebhookRead:
    return WebhookRead(id=value.id, url=value.url, events=value.events, created_at=value.created_at)


class WebhookController(Controller):
    path = "/v1/webhooks"
    tags = ["webhooks"]

    @post("/", **access(B, errors=(413, 422)))
    async def create(
        self, data: JSONBody[WebhookCreate], request: Request[Any, Any, Any], db: DB
    ) -> Response[WebhookRead]:
        """Register an endpoint for events about enterprises that consent to this bank; the secret is shown once."""

        async def run() -> WebhookRead:
            settings = request.app.state.settings
            endpoint, secret = await use.create_endpoint(db, request.user, settings, data.url, list(data.events))
            return WebhookRead.of(endpoint, secret)

        return await idempotent(request, db, run, redact=_redact)

    @get("/", **access(B))
    async def list_endpoints(self, request: Request[Any, Any, Any], db: DB) -> list[WebhookRead]:
        """This bank's endpoints (never their secrets)."""
        return [WebhookRead.of(e) for e in await use.endpoints_of(db, request.user)]

    @delete("/{webhook_id:uuid}", status_code=200, **access(B, errors=(404,)))
    async def remove(self, webhook_id: Id, request: Request[Any, Any, Any], db: DB) -> WebhookRead:
        """Stop sending to an endpoint (pending deliveries to it stop too)."""
        return WebhookRead.of(await use.delete_endpoint(db, request.user, webhook_id))

    @get("/{webhook_id:uuid}/deliveries", **access(B, errors=(404, 422)))
    async def deliveries(
        self, webhook_id: Id, request: Request[Any, Any, Any], db: DB, limit: Limit = DEFAULT_LIMIT
    ) -> list[DeliveryRead]:
        """The newest deliveries to this endpoint, each with every attempt made."""
        rows = await use.deliveries_of(db, request.user, webhook_id, limit)
        attempts = await use.attempts_of(db, [d.id for d in rows])
        return [DeliveryRead.of(d, attempts.get(d.id, [])) for d in rows]

    @post(
        "/{webhook_id:uuid}/deliveries/{delivery_id:uuid}/redelivery", status_code=200, **access(B, errors=(404, 409))
    )
    async def redeliver(
        self,
        webhook_id: Id,
        delivery_id: Annotated[uuid.UUID, PathParameter(description="The delivery's id")],
        request: Request[Any, Any, Any],
        db: DB,
    ) -> DeliveryRead:
        """Send a delivered or failed delivery again, now, with the same webhook-id."""
        delivery = await use.redeliver(db, request.user, webhook_id, delivery_id)
        request.app.state.jobs_wakeup.set()
        return DeliveryRead.of(delivery, (await use.attempts_of(db, [delivery.id])).get(delivery.id, []))
