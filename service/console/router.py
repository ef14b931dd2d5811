"""The console's routes under /console: pages, the stylesheet, the CSRF middleware (Litestar's
double-submit cookie, scoped to /console; the JSON API takes no cookies and needs none) and
error pages in HTML instead of problem documents."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from litestar import Request, Response, Router
from litestar.config.csrf import CSRFConfig
from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from domain.errors import Conflict, DomainError, InvalidField, NotFound, StateConflict
from service.console import (
    bank_pages,
    city,
    enterprise_pages,
    filing,
    login,
    objections,
    parties,
    policy_lists,
    rounds,
)
from service.console.access import public_page
from service.console.i18n import words
from service.console.render import lang_of, render
from service.console.session import LoginRequired
from service.errors import ProblemError

__all__ = ["TEMPLATES", "console_router", "template_config"]

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine)


def _to_login(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    return Redirect(f"/console/login?next={request.url.path}", status_code=303)


def _page(request: Request[Any, Any, Any], status: int, key: str) -> Response[Any]:
    return render(request, "error.html", "error", status_code=status, message=words(lang_of(request))[key])  # type: ignore[return-value]


def _on_problem(request: Request[Any, Any, Any], exc: ProblemError) -> Response[Any]:
    if exc.status == 401:
        return _to_login(request, exc)
    return _page(
        request, exc.status, "not_found" if exc.status == 404 else "forbidden" if exc.status < 500 else "error"
    )


def _on_domain(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    if isinstance(exc, NotFound):
        return _page(request, 404, "not_found")
    status = 409 if isinstance(exc, Conflict | StateConflict) else 422 if isinstance(exc, InvalidField) else 400
    return render(request, "error.html", "error", status_code=status, message=exc.detail)  # type: ignore[return-value]


def _on_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if isinstance(exc, PermissionDeniedException):  # the CSRF middleware's refusal
        return _page(request, 403, "csrf")
    if isinstance(exc, NotFoundException):
        return _page(request, 404, "not_found")
    return _page(request, exc.status_code, "error")


def _on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A page that failed: logged as the API logs it, answered with the HTML error page."""
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _page(request, 500, "error")


def console_router(secret: str) -> Router:
    csrf = CSRFConfig(secret=secret, cookie_name="console_csrf", cookie_path="/console", cookie_secure=True,
                      cookie_httponly=True, cookie_samesite="lax")  # fmt: skip
    static = create_static_files_router(path="/static", directories=[HERE / "static"], include_in_schema=False,
                                        opt=public_page()["opt"])  # fmt: skip
    return Router(
        path="/console",
        route_handlers=[
            login.login_form,
            login.login_submit,
            login.logout,
            login.home,
            login.switch_language,
            city.city,
            city.city_csv,
            city.indicators_csv,
            city.intensity_csv,
            policy_lists.policy_lists,
            policy_lists.policy_csv,
            rounds.rounds_page,
            rounds.round_page,
            rounds.round_zip,
            objections.objections_page,
            objections.decide,
            city.registrations,
            city.approve,
            parties.enterprise_page,
            parties.certificate,
            parties.borrowers,
            filing.filing_form,
            filing.filing_save,
            filing.filing_submit,
            filing.filing_template,
            filing.filing_upload,
            enterprise_pages.consents_page,
            enterprise_pages.consent_grant,
            enterprise_pages.consent_withdraw,
            enterprise_pages.access_log_page,
            enterprise_pages.verifiers_page,
            enterprise_pages.verifier_engage,
            enterprise_pages.finance_page,
            enterprise_pages.request_send,
            enterprise_pages.request_withdraw,
            bank_pages.verify_form,
            bank_pages.verify_submit,
            bank_pages.emissions_form,
            bank_pages.emissions_upload,
            bank_pages.finance_stats_page,
            bank_pages.finance_stats_csv,
            static,
        ],
        middleware=[DefineMiddleware(CSRFMiddleware, config=csrf)],
        exception_handlers={
            LoginRequired: _to_login,
            ProblemError: _on_problem,
            DomainError: _on_domain,
            HTTPException: _on_http,
            Exception: _on_unexpected,
        },
        include_in_schema=False,
    )
