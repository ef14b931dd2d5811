"""create_app(): the Litestar application, wired from settings."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, OAuthFlow, OAuthFlows, SecurityScheme

from service.api.admin.controller import AdminController
from service.api.auth.controller import AuthController
from service.api.banks.controller import BankController
from service.api.certificates.controller import CertificateController, verify_page
from service.api.console_users import ConsoleUserController
from service.api.disclosures.controller import DisclosureController
from service.api.enterprises.controller import EnterpriseController
from service.api.filings.controller import FilingController
from service.api.finance.offers import FinanceOfferController
from service.api.finance.products import FinanceProductController
from service.api.finance.requests import FinancingRequestController
from service.api.finance.stats import FinanceStatsController
from service.api.health import healthz, readyz
from service.api.imports.controller import ImportController
from service.api.policy.controller import PolicyController
from service.api.policy.lists import PolicyListController
from service.api.policy.plans import RetrofitPlanController
from service.api.published import jwks, methodologies, methodology
from service.api.ratings.controller import RatingController
from service.api.reference.controller import ReferenceController
from service.api.reference.intensities import ReferenceIntensityController
from service.api.stats.controller import StatsController
from service.api.verification.controller import VerifierController
from service.api.webhooks.controller import WebhookController
from service.auth.access import ACCESS_OPT, SECURITY_SCHEME, authorise, is_framework_route
from service.auth.keystore import current_key
from service.auth.tokens import VerifiedTokens
from service.certificates.issue import CertificateWorker
from service.console.router import console_router, template_config
from service.db import unavailable
from service.db.engine import make_engine, make_sessionmaker
from service.db.fastpool import make_pool
from service.db.session import provide_db
from service.errors import exception_handlers
from service.jobs import run_jobs_forever
from service.openapi_strict import PLUGINS as OPENAPI_PLUGINS
from service.openapi_viewer import OfflineSwaggerUI
from service.ratelimit import RateLimiter
from service.ratings.job import RoundRunner
from service.security_headers import security_headers
from service.settings import Settings
from service.webhooks.delivery import DeliveryWorker

__all__ = ["create_app"]

ROUTES = [
    AuthController,
    AdminController,
    EnterpriseController,
    ReferenceController,
    ReferenceIntensityController,
    FilingController,
    ImportController,
    VerifierController,
    RatingController,
    BankController,
    WebhookController,
    CertificateController,
    StatsController,
    PolicyController,
    PolicyListController,
    RetrofitPlanController,
    DisclosureController,
    FinanceProductController,
    FinanceOfferController,
    FinancingRequestController,
    FinanceStatsController,
    ConsoleUserController,
    verify_page,
    jwks,
    methodologies,
    methodology,
    healthz,
    readyz,
]


def _openapi() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Zibo carbon-account & green-finance API",
        version="1",
        path="/schema",
        render_plugins=[OfflineSwaggerUI()],  # every file from the package: no CDN (issue 15.7)
        components=Components(
            security_schemes={
                SECURITY_SCHEME: SecurityScheme(
                    type="oauth2",
                    description="OAuth 2.0 client credentials; send the access token as `Authorization: Bearer`.",
                    flows=OAuthFlows(client_credentials=OAuthFlow(token_url="/v1/auth/token", scopes={})),
                )
            }
        ),
    )


def create_app(settings: Settings) -> Litestar:
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        engine = make_engine(settings.app_database_url)
        sessionmaker = make_sessionmaker(engine)
        app.state.engine, app.state.sessionmaker = engine, sessionmaker
        app.state.pg = await make_pool(settings.app_database_url)
        app.state.verified = VerifiedTokens()
        async with sessionmaker() as session, session.begin():
            app.state.access_key = await current_key(session, "access", settings.secret_key)
        app.state.rate_limiter = RateLimiter(
            settings.rate_limit_per_minute, redis_url=settings.redis_url, workers=settings.web_concurrency
        )
        app.state.token_failures = RateLimiter(  # its own small budget: guessing, not traffic
            settings.token_failures_per_minute,
            redis_url=settings.redis_url,
            workers=settings.web_concurrency,
            fail_open=False,
        )
        app.state.jobs_wakeup = asyncio.Event()
        worker, deliveries = None, DeliveryWorker(sessionmaker, settings)
        certificates = CertificateWorker(sessionmaker, settings)
        if settings.run_jobs:
            runner = RoundRunner(engine, sessionmaker, settings)
            passes = [runner.run_pending, certificates.run_once, deliveries.run_once]
            worker = asyncio.create_task(run_jobs_forever(passes, app.state.jobs_wakeup, settings.job_poll_seconds))
        try:
            yield
        finally:
            if worker is not None:
                worker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await worker
            await deliveries.close()
            certificates.close()
            await app.state.rate_limiter.close()
            await app.state.token_failures.close()
            await app.state.pg.close()
            await engine.dispose()

    app = Litestar(
        route_handlers=[*ROUTES, console_router(settings.secret_key)],
        template_config=template_config(),
        plugins=[*OPENAPI_PLUGINS],
        before_send=[security_headers(settings)],
        dependencies={"db": Provide(provide_db)},
        guards=[authorise],
        exception_handlers={**exception_handlers(), **unavailable.handlers()},
        openapi_config=_openapi(),
        lifespan=[lifespan],
        request_max_body_size=settings.max_body_bytes,
        debug=False,
    )
    app.state.settings = settings
    _check_every_operation_declares_access(app)
    return app


def _check_every_operation_declares_access(app: Litestar) -> None:
    missing = [
        f"{sorted(handler.http_methods)} {route.path}"
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if ACCESS_OPT not in handler.opt and not is_framework_route(handler, route.path)
    ]
    if missing:
        raise RuntimeError(f"operations without an access declaration: {missing}")
