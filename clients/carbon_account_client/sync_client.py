"""`CarbonClient`: the API for banks and enterprises, blocking (httpx.Client underneath).

Every method is one operation of `endpoints`; tokens, retries and typed errors come from
the transport, so a method is one line unless it adds something (paging, chunking, a
digest check, offline verification).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from types import TracebackType
from typing import Any

import httpx

from carbon_account_client import disclosures as ds
from carbon_account_client import endpoints as ep
from carbon_account_client import financing as fr
from carbon_account_client import models as m
from carbon_account_client import products as fp
from carbon_account_client._transport import Progress, Transport
from carbon_account_client.auth import TokenCache
from carbon_account_client.certificates import certificate_of
from carbon_account_client.config import credentials_of, env_settings
from carbon_account_client.errors import ValidationFailed
from carbon_account_client.pagination import iterate
from carbon_account_client.portfolio import MAX_LOANS, chunks, merge, shift_errors
from carbon_account_client.retry import RetryPolicy
from carbon_account_client.uploads import Source, read_upload
from carbon_account_client.verify import JWKS_MAX_AGE, MIN_REFETCH, KeySet, OfflineVerifier

__all__ = ["CarbonClient"]

Id = ep.Id


class CarbonClient:
    """Without credentials only the public operations work (registration, JWKS, verification)."""

    def __init__(
        self,
        base_url: str,
        client_id: str | None = None,
        client_secret: str | None = None,
        *,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        http: httpx.Client | None = None,
        jwks_max_age: float = JWKS_MAX_AGE,
        jwks_min_refetch: float = MIN_REFETCH,
    ) -> None:
        self.http = http or httpx.Client(timeout=timeout)
        self.http.base_url = httpx.URL(base_url)
        self._t = Transport(self.http, credentials_of(client_id, client_secret), retry or RetryPolicy())
        self.keys = KeySet(max_age=jwks_max_age, min_refetch=jwks_min_refetch)
        self._offline = OfflineVerifier(self.jwks, self.keys)

    @classmethod
    def from_env(cls, **options: Any) -> CarbonClient:
        return cls(**{**env_settings(), **options})

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> CarbonClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def tokens_fetched(self) -> int:
        """Access tokens fetched so far (the first, and each renewal)."""
        return self._t.tokens.fetched

    @property
    def tokens(self) -> TokenCache:
        """The access-token cache (its `fetched` count shows renewals)."""
        return self._t.tokens

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotency_key: str | None = None,
        auth: bool = True,
    ) -> httpx.Response:
        """Any other operation (a regulator's, an admin's) with the same tokens, retries and errors."""
        call: ep.Call[bytes] = ep.Call(
            method.upper(), path, bytes, params=ep.query(**(params or {})), json=json, auth=auth,
            idempotency_key=idempotency_key,
        )  # fmt: skip
        return self._t.send(call)

    # --- public ------------------------------------------------------------------------

    def jwks(self) -> m.Jwks:
        return self._t.call(ep.jwks())

    def methodologies(self) -> list[m.Methodology]:
        return self._t.call(ep.methodologies())

    def methodology(self, version: str) -> m.Methodology:
        return self._t.call(ep.methodology(version))

    def verify_offline(
        self, token: str, *, uscc: str | None = None, issuer: str | None = None, allow_expired: bool = False
    ) -> m.VerifiedRating:
        """Check a rating token's signature against the cached JWKS, without asking the API about it."""
        return self._offline.verify(token, uscc=uscc, issuer=issuer, allow_expired=allow_expired)

    def verify_online(self, token: str | None = None, *, certificate_no: str | None = None) -> m.Verdict:
        """The API's verdict on a token or certificate number, with the status now (revoked, superseded)."""
        return self._t.call(ep.verify_online(token, certificate_no))

    def certificate_summary(self, certificate_no: str) -> m.CertificateSummary:
        """What the certificate's QR code shows, as JSON."""
        return self._t.call(ep.certificate_summary(certificate_no))

    def disclosures_page(
        self, year: int, cursor: str | None = None, *, district: str | None = None, limit: int | None = None
    ) -> m.Page[ds.Disclosure]:
        return self._t.call(ep.disclosures(year, district, cursor, limit))

    def disclosures(
        self, year: int, *, district: str | None = None, page_size: int | None = None
    ) -> Iterator[ds.Disclosure]:
        """Every rated enterprise's public record of `year` (披露), by USCC, withheld ones as withheld.
        No credentials needed."""
        return iterate(lambda cursor: self.disclosures_page(year, cursor, district=district, limit=page_size))

    def disclosure(self, uscc: str, year: int) -> ds.Disclosure:
        """One enterprise-year's public record (NotFound without a completed rating for the year)."""
        return self._t.call(ep.disclosure(uscc, year))

    def disclosure_feed(self) -> ds.DisclosureFeed:
        """The JSON Feed of the newest (re)published records, newest first."""
        return self._t.call(ep.disclosure_feed())

    def register_enterprise(
        self,
        uscc: str,
        name: str,
        district: str,
        industry: str,
        zone: str | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> m.Registered:
        """Register (pending until a regulator approves); the answer's client secret is shown once."""
        body = {"uscc": uscc, "name": name, "district": district, "industry": industry, "zone": zone}
        return self._t.call(ep.register_enterprise({k: v for k, v in body.items() if v is not None}, idempotency_key))

    def products_page(
        self,
        cursor: str | None = None,
        *,
        limit: int | None = None,
        kind: str | None = None,
        bank_org_id: Id | None = None,
        valid_on: dt.date | None = None,
        all_versions: bool = False,
    ) -> m.Page[fp.FinanceProduct]:
        return self._t.call(ep.finance_products(kind, bank_org_id, valid_on, all_versions, cursor, limit))

    def products(
        self,
        *,
        kind: str | None = None,
        bank_org_id: Id | None = None,
        valid_on: dt.date | None = None,
        all_versions: bool = False,
        page_size: int | None = None,
    ) -> Iterator[fp.FinanceProduct]:
        """Every bank's products, by bank, code and version: each code's latest version valid today
        (or on `valid_on`); `all_versions=True` gives every version. No credentials needed."""
        filters: dict[str, Any] = {"kind": kind, "bank_org_id": bank_org_id, "valid_on": valid_on,
                                   "all_versions": all_versions}  # fmt: skip
        return iterate(lambda cursor: self.products_page(cursor, limit=page_size, **filters))

    def product(self, product_id: Id) -> fp.FinanceProduct:
        """One version, superseded or not (`.superseded`)."""
        return self._t.call(ep.finance_product(product_id))

    # --- any organisation --------------------------------------------------------------

    def banks(self) -> list[m.Bank]:
        return self._t.call(ep.banks())

    def verifiers(self) -> list[m.Verifier]:
        return self._t.call(ep.verifiers())

    # --- banks -------------------------------------------------------------------------

    def consents_page(
        self, cursor: str | None = None, *, limit: int | None = None, updated_since: dt.datetime | None = None
    ) -> m.Page[m.Consent]:
        return self._t.call(ep.bank_consents(updated_since, cursor, limit))

    def consents(
        self, *, updated_since: dt.datetime | None = None, page_size: int | None = None
    ) -> Iterator[m.Consent]:
        """Every consent this bank holds, oldest change first (`updated_since`: a loan book's sync)."""
        return iterate(lambda cursor: self.consents_page(cursor, limit=page_size, updated_since=updated_since))

    def latest_rating(self, uscc: str) -> m.Rating:
        return self._t.call(ep.latest_rating(uscc))

    def rating(self, rating_id: Id) -> m.Rating:
        return self._t.call(ep.rating(rating_id))

    def certificate(self, rating_id: Id, *, progress: Progress | None = None) -> m.Certificate:
        """The signed PDF, its SHA-256 checked against the digest headers (CertificateDigestMismatch if not)."""
        return certificate_of(rating_id, self._t.send(ep.certificate(rating_id), download=progress))

    def financed_emissions(
        self,
        loans: Sequence[m.Loan],
        *,
        chunk_size: int = MAX_LOANS,
        progress: Callable[[int, int], None] | None = None,
    ) -> m.Portfolio:
        """Financed emissions of a loan book of any size, in chunks of ≤ 1000 loans, merged."""
        parts, total = [], len(loans)
        for part in chunks(loans, chunk_size):
            start = sum(len(p.loans) for p in parts)
            try:
                parts.append(self._t.call(ep.financed_emissions(part)))
            except ValidationFailed as exc:
                exc.errors = shift_errors(exc.errors, start)
                raise
            if progress is not None:
                progress(start + len(part), total)
        return merge(parts)

    def create_webhook(self, url: str, events: Sequence[str], *, idempotency_key: str | None = None) -> m.Webhook:
        """Register an endpoint; keep the answer's `secret` (shown once) to verify deliveries."""
        return self._t.call(ep.create_webhook(url, events, idempotency_key))

    def webhooks(self) -> list[m.Webhook]:
        return self._t.call(ep.webhooks())

    def delete_webhook(self, webhook_id: Id) -> m.Webhook:
        return self._t.call(ep.delete_webhook(webhook_id))

    def webhook_deliveries(self, webhook_id: Id, *, limit: int | None = None) -> list[m.Delivery]:
        """The newest deliveries (at most `limit`, ≤ 200), each with its attempts."""
        return self._t.call(ep.webhook_deliveries(webhook_id, limit))

    def redeliver(self, webhook_id: Id, delivery_id: Id) -> m.Delivery:
        """Send a delivered or failed delivery again, now, with the same webhook-id."""
        return self._t.call(ep.redeliver(webhook_id, delivery_id))

    def publish_product(
        self,
        code: str,
        kind: str,
        name: str,
        *,
        eligibility: Sequence[Mapping[str, Any]],
        terms: fp.Terms | Mapping[str, Any],
        valid_from: dt.date,
        valid_to: dt.date,
        description: str = "",
        idempotency_key: str | None = None,
    ) -> fp.FinanceProduct:
        """Publish a product: a new `code` is version 1, a code of this bank's gets the next version
        (new terms never change an old version); the same content as the latest version is Conflict.
        `eligibility`: rules such as {"kind": "colour_in", "colours": ["dark_green"]}."""
        body = {"code": code, "kind": kind, "name": name, "description": description,
                "eligibility": list(eligibility), "terms": terms, "valid_from": valid_from, "valid_to": valid_to}  # fmt: skip
        return self._t.call(ep.publish_product(body, idempotency_key))

    def financing_requests_page(
        self,
        cursor: str | None = None,
        *,
        limit: int | None = None,
        year: int | None = None,
        status: str | None = None,
        district: str | None = None,
        bank_org_id: Id | None = None,
    ) -> m.Page[fr.FinancingRequest]:
        return self._t.call(ep.financing_requests(year, status, district, bank_org_id, cursor, limit))

    def financing_requests(
        self,
        *,
        year: int | None = None,
        status: str | None = None,
        district: str | None = None,
        bank_org_id: Id | None = None,
        page_size: int | None = None,
    ) -> Iterator[fr.FinancingRequest]:
        """A bank: the requests sent to it, each with its own recipient only; regulators: every request
        (`bank_org_id`: those sent to one bank). Oldest first; `status` open | closed."""
        filters: dict[str, Any] = {"year": year, "status": status, "district": district, "bank_org_id": bank_org_id}
        return iterate(lambda cursor: self.financing_requests_page(cursor, limit=page_size, **filters))

    def financing_request(self, request_id: Id) -> fr.FinancingRequest:
        """One request (NotFound unless the caller sent it, it went to the caller, or a regulator asks)."""
        return self._t.call(ep.financing_request(request_id))

    def answer_financing_request(
        self,
        request_id: Id,
        status: str,
        *,
        amount_yuan: Decimal | int | str | None = None,
        rate_percent: Decimal | int | str | None = None,
        margin_bp: int | None = None,
        reason: str | None = None,
    ) -> fr.FinancingRequest:
        """The bank's next answer: `under_review`, then `approved` (amount ≤ the amount asked, rate %,
        margin in bp) or `declined` (with a reason). Conflict once a final answer is given or the
        request is closed; the request closes when every bank has answered finally."""
        return self._t.call(
            ep.answer_financing_request(request_id, status, amount_yuan, rate_percent, margin_bp, reason)
        )

    # --- enterprises -------------------------------------------------------------------

    def enterprise(self, uscc: str) -> m.Enterprise:
        return self._t.call(ep.enterprise(uscc))

    def engage_verifier(self, uscc: str, verifier_org_id: Id, *, idempotency_key: str | None = None) -> m.Engagement:
        return self._t.call(ep.engage_verifier(uscc, verifier_org_id, idempotency_key))

    def engagements(self, uscc: str) -> list[m.Engagement]:
        return self._t.call(ep.engagements(uscc))

    def create_filing(
        self,
        uscc: str,
        period: int,
        content: Mapping[str, Any],
        *,
        supersedes: int | None = None,
        idempotency_key: str | None = None,
    ) -> m.Filing:
        """A draft for `period` (or a correction superseding version `supersedes`)."""
        body = {"period": period, **content, **({"supersedes": supersedes} if supersedes is not None else {})}
        return self._t.call(ep.create_filing(uscc, body, idempotency_key))

    def filings(self, uscc: str, *, period: int | None = None) -> m.FilingList:
        return self._t.call(ep.filings(uscc, period))

    def filing(self, filing_id: Id) -> m.Filing:
        return self._t.call(ep.filing(filing_id))

    def edit_filing(self, filing_id: Id, content: Mapping[str, Any]) -> m.Filing:
        return self._t.call(ep.edit_filing(filing_id, content))

    def submit_filing(self, filing_id: Id) -> m.Filing:
        return self._t.call(ep.submit_filing(filing_id))

    def filing_result(self, filing_id: Id) -> m.FilingResult:
        return self._t.call(ep.filing_result(filing_id))

    def account(self, uscc: str, *, year: int | None = None) -> m.Account:
        return self._t.call(ep.account(uscc, year))

    def grant_consent(
        self,
        uscc: str,
        bank_org_id: Id,
        *,
        purpose: str,
        scope: str,
        expires_at: dt.datetime,
        idempotency_key: str | None = None,
    ) -> m.Consent:
        """Let a bank read the rating: purpose credit|bond|monitoring, scope grade_only|full, until an aware time."""
        body = {"bank_org_id": str(bank_org_id), "purpose": purpose, "scope": scope, "expires_at": expires_at}
        return self._t.call(ep.grant_consent(uscc, body, idempotency_key))

    def enterprise_consents(self, uscc: str) -> list[m.Consent]:
        return self._t.call(ep.enterprise_consents(uscc))

    def withdraw_consent(self, uscc: str, consent_id: Id) -> m.Consent:
        return self._t.call(ep.withdraw_consent(uscc, consent_id))

    def ratings(self, uscc: str) -> list[m.RatingSummary]:
        return self._t.call(ep.ratings(uscc))

    def finance_offers(self, uscc: str) -> fp.Offers:
        """Every product valid today matched against the enterprise's rating and policy sheet:
        eligible first, each with its margin and every check passed or failed."""
        return self._t.call(ep.finance_offers(uscc))

    def send_financing_request(
        self,
        uscc: str,
        amount_yuan: Decimal | int | str,
        purpose: str,
        use_of_proceeds: str,
        term_months: int,
        expires_at: dt.datetime,
        banks: Sequence[fr.BankChoice],
        *,
        scope: str = "full",
        idempotency_key: str | None = None,
    ) -> fr.FinancingRequest:
        """Ask one or more banks (≤ 10) for `amount_yuan`: purpose credit | bond, until an aware
        `expires_at`. `banks`: bank org ids, (bank_org_id, product_id) pairs or `Target`s. Each bank
        gets a consent of the purpose and `scope` (full | grade_only) that ends when the request closes."""
        call = ep.send_financing_request(uscc, amount_yuan, purpose, use_of_proceeds, term_months, expires_at, banks,
                                         scope, idempotency_key)  # fmt: skip
        return self._t.call(call)

    def financing_requests_of(self, uscc: str) -> list[fr.FinancingRequest]:
        """The enterprise's requests, newest first, each with every bank's answers."""
        return self._t.call(ep.financing_requests_of(uscc))

    def withdraw_financing_request(self, request_id: Id) -> fr.FinancingRequest:
        """Close an open request: its consents end, answers given stay (Conflict when already closed)."""
        return self._t.call(ep.withdraw_financing_request(request_id))

    def access_log_page(
        self, uscc: str, cursor: str | None = None, *, limit: int | None = None
    ) -> m.Page[m.AccessLogEntry]:
        return self._t.call(ep.access_log(uscc, cursor, limit))

    def access_log(self, uscc: str, *, page_size: int | None = None) -> Iterator[m.AccessLogEntry]:
        """Who read the enterprise's ratings and certificates, newest first."""
        return iterate(lambda cursor: self.access_log_page(uscc, cursor, limit=page_size))

    def object_to(self, rating_id: Id, statement: str) -> m.Objection:
        return self._t.call(ep.object_to(rating_id, statement))

    def objections(self, *, status: str | None = None) -> list[m.Objection]:
        return self._t.call(ep.objections(status))

    def filing_template(self, format: str = "xlsx") -> bytes:
        """The bulk-filing template to fill in: a workbook (xlsx), or the same layout as one csv."""
        return self._t.call(ep.filing_template(format))

    def import_filings(
        self,
        source: Source,
        *,
        dry_run: bool = False,
        idempotency_key: str | None = None,
        format: str | None = None,
        progress: Progress | None = None,
    ) -> m.ImportResult:
        """Upload a workbook or CSV of filings: a dry run lists the problems; a real one creates drafts,
        all or nothing (ImportRejected, with `.problems` by cell, when any line is wrong)."""
        content, content_type = read_upload(source, format)
        return self._t.call(ep.import_filings(content, content_type, dry_run, idempotency_key), upload=progress)
