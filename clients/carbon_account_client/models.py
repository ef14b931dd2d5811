"""The API's answers as msgspec Structs, decoded with `msgspec.json.decode(..., type=...)`.

Fields the API may add later are ignored, so a newer server does not break an older SDK.
Nested documents whose shape belongs to a methodology or to the filing rules (a filing's
lines, the account's itemised lists, a rating's full claims) stay dicts: the API checks
them, and the SDK passes them through unchanged.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Generic, TypeVar

import msgspec

__all__ = [
    "AccessLogEntry",
    "Account",
    "AccountResult",
    "AccountYear",
    "Attempt",
    "Bank",
    "Certificate",
    "CertificateSummary",
    "ClientCredentials",
    "Consent",
    "CreatedFiling",
    "Delivery",
    "Edition",
    "Emissions",
    "Engagement",
    "Enterprise",
    "FactorSet",
    "Filing",
    "FilingList",
    "FilingResult",
    "FilingSummary",
    "GradeLimit",
    "ImportProblem",
    "ImportResult",
    "Jwk",
    "Jwks",
    "Loan",
    "LoanResult",
    "Methodology",
    "Objection",
    "Page",
    "Portfolio",
    "Rating",
    "RatingSummary",
    "Registered",
    "Token",
    "Verdict",
    "Verification",
    "VerifiedRating",
    "Verifier",
    "Webhook",
    "WebhookEvent",
]

T = TypeVar("T")
Colour = str
"""dark_green | light_green | yellow | red | unrated"""


class Token(msgspec.Struct, kw_only=True):
    access_token: str
    token_type: str
    expires_in: int


class Page(msgspec.Struct, Generic[T], kw_only=True):
    """One page of a cursor-paged list; pass `next_cursor` as `cursor` for the next."""

    items: list[T]
    next_cursor: str | None = None


# --- published documents -----------------------------------------------------------------


class Jwk(msgspec.Struct, kw_only=True):
    kty: str
    kid: str
    crv: str | None = None
    x: str | None = None
    alg: str | None = None
    use: str | None = None


class Jwks(msgspec.Struct, kw_only=True):
    keys: list[Jwk]


class GradeLimit(msgspec.Struct, kw_only=True):
    k_max: Decimal
    grade: int


class Methodology(msgspec.Struct, kw_only=True):
    """A methodology version's published thresholds (docs/methodology.md explains them)."""

    version: str
    band_low_max: Decimal | None = None
    band_medium_max: Decimal | None = None
    grade_limits: list[GradeLimit] = []
    worst_grade: int | None = None
    min_peers: int | None = None
    dark_green_max_grade: int | None = None
    light_green_max_grade: int | None = None
    finance_tiers: dict[str, str] = {}
    pcaf_scores: dict[str, int] = {}


# --- organisations and consent -----------------------------------------------------------


class Bank(msgspec.Struct, kw_only=True):
    org_id: uuid.UUID
    name: str


class Verifier(msgspec.Struct, kw_only=True):
    org_id: uuid.UUID
    name: str


class Engagement(msgspec.Struct, kw_only=True):
    verifier_org_id: uuid.UUID
    verifier_name: str
    engaged_at: dt.datetime


class Enterprise(msgspec.Struct, kw_only=True):
    uscc: str
    name: str
    district: str
    district_name: str
    industry: str
    industry_name: str
    sector: str
    status: str
    """pending | active | rejected"""
    registered_at: dt.datetime
    zone: str | None = None
    zone_name: str | None = None
    status_changed_at: dt.datetime | None = None
    status_reason: str | None = None


class ClientCredentials(msgspec.Struct, kw_only=True):
    client_id: str
    org_id: uuid.UUID
    name: str
    client_secret: str | None = None
    """Shown once, in the registration answer: store it at once."""


class Registered(msgspec.Struct, kw_only=True):
    enterprise: Enterprise
    client: ClientCredentials


class Consent(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    uscc: str
    bank_org_id: uuid.UUID
    purpose: str
    """credit | bond | monitoring"""
    scope: str
    """grade_only | full"""
    expires_at: dt.datetime
    created_at: dt.datetime
    updated_at: dt.datetime
    active: bool
    bank_name: str | None = None
    withdrawn_at: dt.datetime | None = None


class AccessLogEntry(msgspec.Struct, kw_only=True):
    id: int
    at: dt.datetime
    uscc: str
    client_id: str
    org_id: uuid.UUID
    org_name: str
    org_kind: str
    purpose: str
    what: str
    consent_id: uuid.UUID | None = None
    resource_id: str | None = None
    scope: str | None = None


# --- filings and accounts ----------------------------------------------------------------


class Verification(msgspec.Struct, kw_only=True):
    outcome: str
    opinion: str
    report_sha256: str
    verifier_org_id: uuid.UUID
    verified_at: dt.datetime


class FilingSummary(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    uscc: str
    period: int
    version: int
    status: str
    """draft | submitted | verified | rejected"""
    content_sha256: str
    created_at: dt.datetime
    updated_at: dt.datetime
    supersedes_id: uuid.UUID | None = None
    submitted_at: dt.datetime | None = None
    verification: Verification | None = None


class Filing(FilingSummary, kw_only=True):
    content: dict[str, Any]
    """The lines as filed (energy, electricity, heat, products, clinker, ..., value_added_wan)."""


class FilingList(msgspec.Struct, kw_only=True):
    uscc: str
    items: list[FilingSummary]


class FactorSet(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    year: int
    version: int
    label: str
    sha256: str
    created_at: dt.datetime


class Edition(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    effective_from: int
    version: int
    label: str
    sha256: str
    created_at: dt.datetime


class Emissions(msgspec.Struct, kw_only=True):
    """tCO2: total = combustion + process − captured + electricity + heat."""

    combustion: Decimal
    process: Decimal
    captured: Decimal
    electricity: Decimal
    heat: Decimal
    scope1: Decimal
    scope2: Decimal
    total: Decimal


class AccountResult(msgspec.Struct, kw_only=True):
    year: int
    industry: str
    sector: str
    energy_tce: Decimal
    emissions: Emissions
    value_added_wan: Decimal | None = None
    intensity: Decimal | None = None
    """tCO2 per 万元 of value added."""
    flags: list[str] = []
    energy: list[dict[str, Any]] = []
    combustion: list[dict[str, Any]] = []
    process: list[dict[str, Any]] = []
    products: list[dict[str, Any]] = []
    factors: list[dict[str, Any]] = []


class FilingResult(msgspec.Struct, kw_only=True):
    filing: FilingSummary
    factor_set: FactorSet
    result: AccountResult
    benchmark_edition: Edition | None = None


class AccountYear(msgspec.Struct, kw_only=True):
    year: int
    versions: list[FilingSummary]
    current: FilingResult | None = None


class Account(msgspec.Struct, kw_only=True):
    uscc: str
    name: str
    industry: str
    sector: str
    years: list[AccountYear]


class ImportProblem(msgspec.Struct, kw_only=True):
    sheet: str
    row: int
    column: str
    detail: str
    cell: str | None = None
    """A1 notation (`D7`) when the problem is one cell's."""


class CreatedFiling(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    uscc: str
    period: int
    version: int
    status: str


class ImportResult(msgspec.Struct, kw_only=True):
    dry_run: bool
    file_sha256: str
    format: str
    """xlsx | csv"""
    filings: int
    problems: list[ImportProblem] = []
    more_problems: int = 0
    """Problems beyond the first 1000 listed."""
    import_id: uuid.UUID | None = None
    """Set when the import was made (not on a dry run)."""
    created: list[CreatedFiling] = []


# --- ratings -----------------------------------------------------------------------------


class RatingSummary(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    round_id: uuid.UUID
    uscc: str
    year: int
    status: str
    """active | superseded | revoked | expired, as it reads now"""
    colour: Colour
    finance_tier: str
    methodology_version: str
    issued_at: dt.datetime
    expires_at: dt.datetime
    grade: int | None = None
    band: str | None = None
    revoked_reason: str | None = None


class Rating(RatingSummary, kw_only=True):
    scope: str
    """full, or grade_only for a bank whose consent is grade-only (no figures, no full token)."""
    kid: str
    grade_token: str
    token: str | None = None
    rating: dict[str, Any] | None = None
    """The full rating's claims: what it pins and every number behind its grade."""


class Objection(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    rating_id: uuid.UUID
    uscc: str
    statement: str
    status: str
    """open | upheld | dismissed"""
    created_at: dt.datetime
    reply: str | None = None
    decided_at: dt.datetime | None = None


class CertificateSummary(msgspec.Struct, kw_only=True):
    """What anyone holding a certificate may know (`GET /verify/{certificate_no}`)."""

    certificate_no: str
    status: str
    enterprise_name: str
    uscc: str
    year: int
    colour: Colour
    issued_at: dt.datetime
    valid_until: dt.datetime
    sha256: str
    grade: int | None = None
    band: str | None = None


class Verdict(msgspec.Struct, kw_only=True):
    """The API's own check (`POST /v1/verify`): the signature, and the status now."""

    valid: bool
    status: str | None = None
    reason: str | None = None
    kid: str | None = None
    rating_id: uuid.UUID | None = None
    scope: str | None = None
    claims: dict[str, Any] | None = None
    revoked_reason: str | None = None
    certificate: CertificateSummary | None = None


class VerifiedRating(msgspec.Struct, kw_only=True):
    """A rating token whose signature held offline; no status (revocation needs the API)."""

    kid: str
    scope: str
    rating_id: uuid.UUID
    uscc: str
    year: int
    colour: Colour
    finance_tier: str
    methodology_version: str
    issuer: str
    issued_at: dt.datetime
    expires_at: dt.datetime
    expired: bool
    claims: dict[str, Any]
    grade: int | None = None
    band: str | None = None


class Certificate(msgspec.Struct, kw_only=True):
    """A downloaded certificate whose bytes matched the SHA-256 the API sent."""

    rating_id: uuid.UUID
    certificate_no: str
    sha256: str
    content: bytes


# --- banks: financed emissions and webhooks ------------------------------------------------


class Loan(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A loan of the book: exactly one of equity_plus_debt_yuan (unlisted) and evic_yuan (listed)."""

    uscc: str
    outstanding_yuan: Decimal
    equity_plus_debt_yuan: Decimal | None = None
    evic_yuan: Decimal | None = None
    reference: str | None = None
    """The bank's own loan id, echoed back."""


class LoanResult(msgspec.Struct, kw_only=True):
    uscc: str
    status: str
    """ok | no_consent | no_rating"""
    outstanding_yuan: Decimal
    basis: str
    reference: str | None = None
    attribution_factor: Decimal | None = None
    scope1_tco2: Decimal | None = None
    scope2_tco2: Decimal | None = None
    pcaf_score: int | None = None
    rating_id: uuid.UUID | None = None
    year: int | None = None


class Portfolio(msgspec.Struct, kw_only=True):
    loans: list[LoanResult]
    scope1_tco2: Decimal
    scope2_tco2: Decimal
    loans_with_figures: int
    weighted_pcaf_score: Decimal | None = None
    gas: str = "CO2"


class Webhook(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    url: str
    events: list[str]
    created_at: dt.datetime
    secret: str | None = None
    """`whsec_...`, shown once when created: keep it to verify deliveries."""


class Attempt(msgspec.Struct, kw_only=True):
    attempt: int
    at: dt.datetime
    duration_ms: int
    status_code: int | None = None
    error: str | None = None


class Delivery(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    webhook_id: str
    """The `webhook-id` header, the same on every copy of the event: deduplicate on it."""
    event_type: str
    payload: dict[str, Any]
    status: str
    """pending | delivered | failed (after the last retry: redeliver to try again)"""
    attempts: int
    created_at: dt.datetime
    log: list[Attempt]
    next_attempt_at: dt.datetime | None = None
    delivered_at: dt.datetime | None = None


class WebhookEvent(msgspec.Struct, kw_only=True):
    """A delivery whose signature held: thin (type, ids, time); read the data through the API."""

    id: str
    type: str
    timestamp: dt.datetime
    data: dict[str, Any]
