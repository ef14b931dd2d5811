"""The CPU part of a round, run off the event loop: accounts, peer groups, ratings, signatures."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from domain.accounting import AccountResult, account
from domain.errors import InvalidField
from domain.industry import classify
from scoring import METHODOLOGIES
from scoring.model import Candidate, Rating
from service.auth.keystore import KeyPair
from service.ratings.inputs import Entry, RoundInputs
from service.ratings.payload import Pins, full_claims, grade_claims
from service.ratings.tokens import expiry, sign

__all__ = ["RoundFailed", "candidates", "issue", "peer_groups_of", "pins_for", "rating_row", "uses_reference"]


class RoundFailed(Exception):
    """A filing of the round cannot be accounted; the round fails and nothing is issued."""


def _candidate(inputs: RoundInputs, e: Entry) -> Candidate:
    industry = classify(e.industry)
    try:
        current = account(e.content, industry, inputs.factor_set, inputs.edition)
    except InvalidField as exc:
        raise RoundFailed(f"{e.uscc} filing {e.filing_id} v{e.filing_version}: {exc.detail}") from exc
    previous: AccountResult | None = None
    if e.previous is not None:
        try:  # last year's filing under this year's factor set: the trend compares like with like
            previous = account(e.previous, industry, inputs.factor_set, inputs.edition)
        except InvalidField:
            previous = None
    return Candidate(uscc=e.uscc, industry=e.industry, verified=e.verified, account=current, previous=previous)


def candidates(inputs: RoundInputs, entries: list[Entry]) -> list[Candidate]:
    return [_candidate(inputs, e) for e in entries]


def uses_reference(methodology_version: str) -> bool:
    """Whether the version grades small classes against a reference-intensity set (v2 on)."""
    return bool(getattr(METHODOLOGIES[methodology_version], "USES_REFERENCE", False))


def peer_groups_of(methodology_version: str, cands: list[Candidate], inputs: RoundInputs) -> Any:
    method = METHODOLOGIES[methodology_version]
    if uses_reference(methodology_version):
        return method.peer_groups(cands, inputs.reference)
    return method.peer_groups(cands)


def pins_for(inputs: RoundInputs, entry: Entry, *, round_id: uuid.UUID, rating_id: uuid.UUID) -> Pins:
    fs, ed = inputs.factor_set_record, inputs.edition_record
    return Pins(
        rating_id=rating_id,
        round_id=round_id,
        year=inputs.year,
        uscc=entry.uscc,
        name=entry.name,
        district=entry.district,
        industry=entry.industry,
        sector=entry.sector,
        filing_id=entry.filing_id,
        filing_version=entry.filing_version,
        filing_sha256=entry.filing_sha256,
        factor_set_id=fs.id,
        factor_set_version=fs.version,
        factor_set_sha256=fs.sha256,
        edition_id=ed.id if ed else None,
        edition_sha256=ed.sha256 if ed else None,
        previous_filing_id=entry.previous_filing_id,
        previous_filing_version=entry.previous_filing_version,
        reference_set_id=inputs.reference.id if inputs.reference else None,
        reference_set_sha256=inputs.reference.sha256 if inputs.reference else None,
    )


def issue(
    inputs: RoundInputs,
    cands: list[Candidate],
    *,
    round_id: uuid.UUID,
    key: KeyPair,
    issuer: str,
    now: dt.datetime,
    methodology_version: str,
) -> list[dict[str, Any]]:
    """Rate every candidate against the round's peers; sign each rating twice; rows to insert."""
    method = METHODOLOGIES[methodology_version]
    groups = peer_groups_of(methodology_version, cands, inputs)
    iat = int(now.timestamp())  # the token's iat: issued_at truncated to the second
    expires_at = expiry(dt.datetime.fromtimestamp(iat, dt.UTC))
    exp = int(expires_at.timestamp())
    issued_at = now  # full precision, so that two rounds in one second still order
    rows = []
    for entry, cand in zip(inputs.entries, cands, strict=True):
        rating = method.rate(cand, groups)
        pins = pins_for(inputs, entry, round_id=round_id, rating_id=uuid.uuid4())
        claims = full_claims(pins, cand.account, rating, iss=issuer, iat=iat, exp=exp)
        rows.append(rating_row(pins, entry, rating, claims, key=key, issued_at=issued_at, expires_at=expires_at))
    return rows


def rating_row(
    pins: Pins,
    entry: Entry,
    rating: Rating,
    claims: dict[str, Any],
    *,
    key: KeyPair,
    issued_at: dt.datetime,
    expires_at: dt.datetime,
) -> dict[str, Any]:
    """The ratings row of one signed rating (a round's, or a re-rating's with its extra columns)."""
    return {
        "id": pins.rating_id,
        "round_id": pins.round_id,
        "enterprise_id": entry.enterprise_id,
        "year": pins.year,
        "filing_id": entry.filing_id,
        "filing_version": entry.filing_version,
        "factor_set_id": pins.factor_set_id,
        "edition_id": pins.edition_id,
        "methodology_version": rating.methodology_version,
        "colour": rating.colour.value,
        "grade": rating.grade,
        "payload": claims,
        "token": sign(key, claims),
        "grade_token": sign(key, grade_claims(claims)),
        "kid": key.kid,
        "status": "active",
        "issued_at": issued_at,
        "expires_at": expires_at,
    }  # fmt: skip
