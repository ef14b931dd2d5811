"""Every operation's HTTP shape, in one place, so the sync and async clients cannot drift.

Each function returns a `Call`: method, path, query, body, what the answer decodes to,
and whether it may be retried. The clients only choose how to wait (blocking or not).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar
from urllib.parse import quote

from carbon_account_client import disclosures as ds
from carbon_account_client import financing as fr
from carbon_account_client import models as m
from carbon_account_client import products as fp
from carbon_account_client.errors import ImportRejected, ValidationFailed

__all__ = ["XLSX", "Call"]

T = TypeVar("T")
Id = uuid.UUID | str
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    method: str
    path: str
    returns: Any
    """The type the JSON answer decodes to; `bytes` for the raw body."""
    params: Mapping[str, Any] | None = None
    json: Any = None
    form: Mapping[str, str] | None = None
    content: bytes | None = None
    content_type: str | None = None
    accept: str = "application/json"
    auth: bool = True
    read_only: bool = False
    """A POST that changes nothing (verification, a computation): safe to retry."""
    creates: bool = False
    """A creating POST the API makes idempotent with Idempotency-Key: safe to retry with one."""
    idempotency_key: str | None = None
    invalid: type[ValidationFailed] = ValidationFailed
    """The error a 422 raises (an import's carries the problems by cell)."""

    @property
    def safe(self) -> bool:
        """Retry-safe without an Idempotency-Key."""
        return self.read_only or self.method in ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")


def _seg(value: Id) -> str:
    return quote(str(value), safe="")


def _decimal(value: Decimal | int | str | None) -> str | None:
    """An amount or rate in the API's exact text form (never through a float)."""
    return None if value is None else str(value)


def query(**params: Any) -> dict[str, str]:
    """Query parameters without the unset ones, each in the API's text form."""
    out: dict[str, str] = {}
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, dt.datetime):
            out[name] = value.isoformat()
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        else:
            out[name] = str(value)
    return out


# --- public ------------------------------------------------------------------------------


def token(form: Mapping[str, str]) -> Call[m.Token]:
    return Call("POST", "/v1/auth/token", m.Token, form=form, auth=False, read_only=True)


def jwks() -> Call[m.Jwks]:
    return Call("GET", "/.well-known/jwks.json", m.Jwks, auth=False)


def methodologies() -> Call[list[m.Methodology]]:
    return Call("GET", "/v1/methodologies", list[m.Methodology], auth=False)


def methodology(version: str) -> Call[m.Methodology]:
    return Call("GET", f"/v1/methodologies/{_seg(version)}", m.Methodology, auth=False)


def verify_online(token: str | None, certificate_no: str | None) -> Call[m.Verdict]:
    body = {k: v for k, v in (("token", token), ("certificate_no", certificate_no)) if v is not None}
    return Call("POST", "/v1/verify", m.Verdict, json=body, auth=False, read_only=True)


def certificate_summary(certificate_no: str) -> Call[m.CertificateSummary]:
    return Call("GET", f"/verify/{_seg(certificate_no)}", m.CertificateSummary, auth=False)


def disclosures(year: int, district: str | None, cursor: str | None, limit: int | None) -> Call[m.Page[ds.Disclosure]]:
    params = query(year=year, district=district, cursor=cursor, limit=limit)
    return Call("GET", "/v1/disclosures", m.Page[ds.Disclosure], params=params, auth=False)


def disclosure(uscc: str, year: int) -> Call[ds.Disclosure]:
    return Call("GET", f"/v1/disclosures/{_seg(uscc)}/{year}", ds.Disclosure, auth=False)


def disclosure_feed() -> Call[ds.DisclosureFeed]:
    return Call("GET", "/v1/disclosures/feed.json", ds.DisclosureFeed, accept="application/feed+json", auth=False)


def register_enterprise(body: Mapping[str, Any], key: str | None) -> Call[m.Registered]:
    return Call("POST", "/v1/enterprises", m.Registered, json=body, auth=False, creates=True, idempotency_key=key)


def finance_products(
    kind: str | None,
    bank_org_id: Id | None,
    valid_on: dt.date | None,
    all_versions: bool,
    cursor: str | None,
    limit: int | None,
) -> Call[m.Page[fp.FinanceProduct]]:
    params = query(kind=kind, bank_org_id=bank_org_id, valid_on=valid_on, all_versions=all_versions or None,
                   cursor=cursor, limit=limit)  # fmt: skip
    return Call("GET", "/v1/finance-products", m.Page[fp.FinanceProduct], params=params, auth=False)


def finance_product(product_id: Id) -> Call[fp.FinanceProduct]:
    return Call("GET", f"/v1/finance-products/{_seg(product_id)}", fp.FinanceProduct, auth=False)


# --- any organisation --------------------------------------------------------------------


def banks() -> Call[list[m.Bank]]:
    return Call("GET", "/v1/banks", list[m.Bank])


def verifiers() -> Call[list[m.Verifier]]:
    return Call("GET", "/v1/verifiers", list[m.Verifier])


# --- banks -------------------------------------------------------------------------------


def bank_consents(updated_since: dt.datetime | None, cursor: str | None, limit: int | None) -> Call[m.Page[m.Consent]]:
    params = query(updated_since=updated_since, cursor=cursor, limit=limit)
    return Call("GET", "/v1/consents", m.Page[m.Consent], params=params)


def latest_rating(uscc: str) -> Call[m.Rating]:
    return Call("GET", f"/v1/enterprises/{_seg(uscc)}/ratings/latest", m.Rating)


def rating(rating_id: Id) -> Call[m.Rating]:
    return Call("GET", f"/v1/ratings/{_seg(rating_id)}", m.Rating)


def certificate(rating_id: Id) -> Call[bytes]:
    return Call("GET", f"/v1/ratings/{_seg(rating_id)}/certificate.pdf", bytes, accept="application/pdf")


def financed_emissions(loans: Sequence[m.Loan]) -> Call[m.Portfolio]:
    path = "/v1/portfolio/financed-emissions"
    return Call("POST", path, m.Portfolio, json={"loans": list(loans)}, read_only=True)


def create_webhook(url: str, events: Sequence[str], key: str | None) -> Call[m.Webhook]:
    body = {"url": url, "events": list(events)}
    return Call("POST", "/v1/webhooks", m.Webhook, json=body, creates=True, idempotency_key=key)


def webhooks() -> Call[list[m.Webhook]]:
    return Call("GET", "/v1/webhooks", list[m.Webhook])


def delete_webhook(webhook_id: Id) -> Call[m.Webhook]:
    return Call("DELETE", f"/v1/webhooks/{_seg(webhook_id)}", m.Webhook)


def webhook_deliveries(webhook_id: Id, limit: int | None) -> Call[list[m.Delivery]]:
    path = f"/v1/webhooks/{_seg(webhook_id)}/deliveries"
    return Call("GET", path, list[m.Delivery], params=query(limit=limit))


def redeliver(webhook_id: Id, delivery_id: Id) -> Call[m.Delivery]:
    path = f"/v1/webhooks/{_seg(webhook_id)}/deliveries/{_seg(delivery_id)}/redelivery"
    return Call("POST", path, m.Delivery)


def publish_product(body: Mapping[str, Any], key: str | None) -> Call[fp.FinanceProduct]:
    return Call("POST", "/v1/finance-products", fp.FinanceProduct, json=body, creates=True, idempotency_key=key)


def financing_requests(
    year: int | None,
    status: str | None,
    district: str | None,
    bank_org_id: Id | None,
    cursor: str | None,
    limit: int | None,
) -> Call[m.Page[fr.FinancingRequest]]:
    params = query(year=year, status=status, district=district, bank_org_id=bank_org_id, cursor=cursor, limit=limit)
    return Call("GET", "/v1/financing-requests", m.Page[fr.FinancingRequest], params=params)


def financing_request(request_id: Id) -> Call[fr.FinancingRequest]:
    return Call("GET", f"/v1/financing-requests/{_seg(request_id)}", fr.FinancingRequest)


def answer_financing_request(
    request_id: Id,
    status: str,
    amount_yuan: Decimal | int | str | None,
    rate_percent: Decimal | int | str | None,
    margin_bp: int | None,
    reason: str | None,
) -> Call[fr.FinancingRequest]:
    body = {"status": status, "amount_yuan": _decimal(amount_yuan), "rate_percent": _decimal(rate_percent),
            "margin_bp": margin_bp, "reason": reason}  # fmt: skip
    body = {k: v for k, v in body.items() if v is not None}
    return Call("POST", f"/v1/financing-requests/{_seg(request_id)}/answers", fr.FinancingRequest, json=body)


# --- enterprises -------------------------------------------------------------------------


def enterprise(uscc: str) -> Call[m.Enterprise]:
    return Call("GET", f"/v1/enterprises/{_seg(uscc)}", m.Enterprise)


def engage_verifier(uscc: str, verifier_org_id: Id, key: str | None) -> Call[m.Engagement]:
    body = {"verifier_org_id": str(verifier_org_id)}
    path = f"/v1/enterprises/{_seg(uscc)}/verifiers"
    return Call("POST", path, m.Engagement, json=body, creates=True, idempotency_key=key)


def engagements(uscc: str) -> Call[list[m.Engagement]]:
    return Call("GET", f"/v1/enterprises/{_seg(uscc)}/verifiers", list[m.Engagement])


def create_filing(uscc: str, body: Mapping[str, Any], key: str | None) -> Call[m.Filing]:
    path = f"/v1/enterprises/{_seg(uscc)}/filings"
    return Call("POST", path, m.Filing, json=body, creates=True, idempotency_key=key)


def filings(uscc: str, period: int | None) -> Call[m.FilingList]:
    return Call("GET", f"/v1/enterprises/{_seg(uscc)}/filings", m.FilingList, params=query(period=period))


def filing(filing_id: Id) -> Call[m.Filing]:
    return Call("GET", f"/v1/filings/{_seg(filing_id)}", m.Filing)


def edit_filing(filing_id: Id, content: Mapping[str, Any]) -> Call[m.Filing]:
    return Call("PUT", f"/v1/filings/{_seg(filing_id)}", m.Filing, json=content)


def submit_filing(filing_id: Id) -> Call[m.Filing]:
    return Call("POST", f"/v1/filings/{_seg(filing_id)}/submit", m.Filing)


def filing_result(filing_id: Id) -> Call[m.FilingResult]:
    return Call("GET", f"/v1/filings/{_seg(filing_id)}/result", m.FilingResult)


def account(uscc: str, year: int | None) -> Call[m.Account]:
    return Call("GET", f"/v1/enterprises/{_seg(uscc)}/account", m.Account, params=query(year=year))


def grant_consent(uscc: str, body: Mapping[str, Any], key: str | None) -> Call[m.Consent]:
    path = f"/v1/enterprises/{_seg(uscc)}/consents"
    return Call("POST", path, m.Consent, json=body, creates=True, idempotency_key=key)


def enterprise_consents(uscc: str) -> Call[list[m.Consent]]:
    return Call("GET", f"/v1/enterprises/{_seg(uscc)}/consents", list[m.Consent])


def withdraw_consent(uscc: str, consent_id: Id) -> Call[m.Consent]:
    return Call("DELETE", f"/v1/enterprises/{_seg(uscc)}/consents/{_seg(consent_id)}", m.Consent)


def ratings(uscc: str) -> Call[list[m.RatingSummary]]:
    return Call("GET", f"/v1/enterprises/{_seg(uscc)}/ratings", list[m.RatingSummary])


def finance_offers(uscc: str) -> Call[fp.Offers]:
    return Call("GET", f"/v1/enterprises/{_seg(uscc)}/finance-offers", fp.Offers)


def send_financing_request(
    uscc: str,
    amount_yuan: Decimal | int | str,
    purpose: str,
    use_of_proceeds: str,
    term_months: int,
    expires_at: dt.datetime,
    banks: Sequence[fr.BankChoice],
    scope: str,
    key: str | None,
) -> Call[fr.FinancingRequest]:
    body = {"amount_yuan": _decimal(amount_yuan), "purpose": purpose, "use_of_proceeds": use_of_proceeds,
            "term_months": term_months, "expires_at": expires_at, "banks": fr.targets(banks), "scope": scope}  # fmt: skip
    path = f"/v1/enterprises/{_seg(uscc)}/financing-requests"
    return Call("POST", path, fr.FinancingRequest, json=body, creates=True, idempotency_key=key)


def financing_requests_of(uscc: str) -> Call[list[fr.FinancingRequest]]:
    return Call("GET", f"/v1/enterprises/{_seg(uscc)}/financing-requests", list[fr.FinancingRequest])


def withdraw_financing_request(request_id: Id) -> Call[fr.FinancingRequest]:
    return Call("POST", f"/v1/financing-requests/{_seg(request_id)}/withdrawal", fr.FinancingRequest)


def access_log(uscc: str, cursor: str | None, limit: int | None) -> Call[m.Page[m.AccessLogEntry]]:
    path = f"/v1/enterprises/{_seg(uscc)}/access-log"
    return Call("GET", path, m.Page[m.AccessLogEntry], params=query(cursor=cursor, limit=limit))


def object_to(rating_id: Id, statement: str) -> Call[m.Objection]:
    path = f"/v1/ratings/{_seg(rating_id)}/objections"
    return Call("POST", path, m.Objection, json={"statement": statement})


def objections(status: str | None) -> Call[list[m.Objection]]:
    return Call("GET", "/v1/objections", list[m.Objection], params=query(status=status))


def filing_template(format: str) -> Call[bytes]:
    if format not in ("xlsx", "csv"):
        raise ValueError("the template is xlsx or csv")
    return Call("GET", f"/v1/filings/template.{format}", bytes, accept=XLSX if format == "xlsx" else CSV, auth=False)


def import_filings(content: bytes, content_type: str, dry_run: bool, key: str | None) -> Call[m.ImportResult]:
    return Call(
        "POST",
        "/v1/filings/import",
        m.ImportResult,
        params=query(dry_run=dry_run),
        content=content,
        content_type=content_type,
        read_only=dry_run,
        creates=not dry_run,
        idempotency_key=key,
        invalid=ImportRejected,
    )
