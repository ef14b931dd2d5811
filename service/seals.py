"""The rating authority's seal (印章): uploaded as a PNG, kept per upload, printed on certificates.

A certificate is issued by the organisation of kind rating_authority that asked for its round
(else the first active one) and carries that organisation's newest seal, if it uploaded one.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import warnings

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import InvalidField
from domain.organisations import OrgKind, OrgStatus
from service.audit import record_event
from service.auth.principal import Principal
from service.db.models import ApiClient, AuthoritySeal, Organisation, RatingRecord, RatingRound

__all__ = ["MAX_BYTES", "MAX_SIDE", "MIN_SIDE", "issuer_of", "put_seal"]

MAX_BYTES = 512 * 1024  # a seal is a small flat image; this keeps certificates small
MIN_SIDE, MAX_SIDE = 32, 2048  # pixels: below 32 it prints as a smudge; above 2048 it is a photo
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def check_png(png: bytes) -> tuple[int, int]:
    """(width, height) of a well-formed PNG within the limits; InvalidField("png") otherwise."""
    from PIL import Image  # reportlab's own image library

    if len(png) > MAX_BYTES:
        raise InvalidField("png", f"is {len(png)} bytes; a seal may have at most {MAX_BYTES} (512 KiB)")
    if not png.startswith(PNG_SIGNATURE):
        raise InvalidField("png", "is not a PNG image (the file does not start with the PNG signature)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(png)) as image:
                width, height = image.size
                if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
                    raise InvalidField("png", f"is {width}x{height} pixels; each side must be {MIN_SIDE} to {MAX_SIDE}")
                image.load()  # decodes every row: a truncated or corrupt file fails here
    except InvalidField:
        raise
    except Exception as exc:  # PIL raises OSError, SyntaxError, ValueError, DecompressionBomb*...
        raise InvalidField("png", f"cannot be read as a PNG image ({type(exc).__name__})") from exc
    return width, height


async def put_seal(db: AsyncSession, actor: Principal, png: bytes) -> tuple[AuthoritySeal, Organisation]:
    """A new seal for the caller's organisation (earlier uploads are kept); printed from now on."""
    width, height = check_png(png)
    org = await db.get(Organisation, actor.org_id)
    assert org is not None  # the guard loaded the caller's organisation
    seal = AuthoritySeal(
        id=uuid.uuid4(),
        org_id=org.id,
        png=png,
        sha256=hashlib.sha256(png).hexdigest(),
        width=width,
        height=height,
        uploaded_by_client_id=actor.client_id,
    )
    db.add(seal)
    await db.flush()
    await db.refresh(seal)
    await record_event(db, actor, "seal.upload", f"organisation:{org.id}", sha256=seal.sha256)
    return seal, org


async def issuer_of(db: AsyncSession, rec: RatingRecord) -> tuple[str, bytes | None]:
    """(name, newest seal PNG or None) of the organisation that issues `rec`'s certificate."""
    requester = (
        select(Organisation)
        .join(ApiClient, ApiClient.org_id == Organisation.id)
        .join(RatingRound, RatingRound.requested_by_client_id == ApiClient.client_id)
        .where(RatingRound.id == rec.round_id, Organisation.kind == OrgKind.RATING_AUTHORITY.value)
    )
    org = await db.scalar(requester)
    if org is None:
        first = select(Organisation).where(
            Organisation.kind == OrgKind.RATING_AUTHORITY.value, Organisation.status == OrgStatus.ACTIVE.value
        )
        org = await db.scalar(first.order_by(Organisation.created_at, Organisation.id).limit(1))
    if org is None:
        return "", None
    newest = select(AuthoritySeal.png).where(AuthoritySeal.org_id == org.id)
    png = await db.scalar(newest.order_by(AuthoritySeal.uploaded_at.desc(), AuthoritySeal.id).limit(1))
    return org.name, png
