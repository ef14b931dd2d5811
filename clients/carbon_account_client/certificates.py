"""A downloaded certificate is checked against the digest the API sends with it.

The API sends `Repr-Digest: sha-256=:<base64>:` (RFC 9530) and `X-Certificate-SHA256`
(hex, as printed on the certificate and shown by `GET /verify/{certificate_no}`). A
download whose bytes hash otherwise was corrupted or tampered with on the way: refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import uuid

import httpx

from carbon_account_client.errors import CertificateDigestMismatch
from carbon_account_client.models import Certificate

__all__ = ["certificate_of", "repr_digest_sha256"]

_REPR = re.compile(r"sha-256=:([A-Za-z0-9+/=]+):")
_FILENAME = re.compile(r'filename="?([^";]+?)(?:\.pdf)?"?(?:;|$)')


def repr_digest_sha256(header: str | None) -> str | None:
    """The hex SHA-256 of a `Repr-Digest` header, if it has one."""
    match = _REPR.search(header or "")
    if match is None:
        return None
    try:
        return base64.b64decode(match.group(1), validate=True).hex()
    except (binascii.Error, ValueError):
        return None


def certificate_of(rating_id: uuid.UUID | str, response: httpx.Response) -> Certificate:
    """The certificate in a download answer, if its bytes match every digest sent with them."""
    content = response.content
    actual = hashlib.sha256(content).hexdigest()
    claimed = {
        name: value
        for name, value in (
            ("Repr-Digest", repr_digest_sha256(response.headers.get("repr-digest"))),
            ("X-Certificate-SHA256", (response.headers.get("x-certificate-sha256") or "").lower() or None),
        )
        if value is not None
    }
    if not claimed:
        raise CertificateDigestMismatch("the answer carries no SHA-256 to check the certificate against")
    for name, value in claimed.items():
        if value != actual:
            raise CertificateDigestMismatch(f"{name} says {value}, the bytes hash to {actual}")
    match = _FILENAME.search(response.headers.get("content-disposition", ""))
    number = match.group(1) if match else str(rating_id)
    return Certificate(rating_id=uuid.UUID(str(rating_id)), certificate_no=number, sha256=actual, content=content)
