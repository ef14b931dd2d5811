"""Certificates: downloads (logged), a round's zip, the rating authority's seal, the CA
certificate, public verification."""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from litestar import Controller, Request, Response, get, put
from litestar.params import FromQuery, JSONBody, PathParameter
from litestar.response import Stream

from domain.errors import NotFound
from domain.organisations import OrgKind
from service import seals
from service.api.certificates.schemas import SealRead, SealUpload
from service.api.certificates.zipstream import zip_stream
from service.auth.access import access, limit_by_address, public
from service.certificates import reads
from service.certificates.page import render_page, render_unknown
from service.certificates.pki_store import ca_pem, current_crl
from service.db.session import DB
from service.errors import ProblemError
from service.pdf.fonts import FONT_HINT, find_cjk_font

__all__ = ["CertificateController", "verify_page"]

E, B, REG, RA = OrgKind.ENTERPRISE, OrgKind.BANK, OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY
FR = OrgKind.FINANCE_REGULATOR
Id = Annotated[uuid.UUID, PathParameter(description="The id")]


def _font_or_503(request: Request[Any, Any, Any]) -> None:
    if find_cjk_font(request.app.state.settings.cjk_font) is None:
        raise ProblemError(503, "certificates-unavailable", f"Certificates cannot be rendered: {FONT_HINT}")


class CertificateController(Controller):
    path = "/v1"
    tags = ["certificates"]

    @get("/ratings/{rating_id:uuid}/certificate.pdf", media_type="application/pdf",
         **access(E, B, REG, RA, FR, errors=(404, 503)))  # fmt: skip
    async def download(self, rating_id: Id, request: Request[Any, Any, Any], db: DB) -> Response[bytes]:
        """The signed certificate (PAdES): the same stored bytes every time; each download is logged.
        The enterprise itself, a bank with a `full` consent, regulators."""
        _font_or_503(request)
        cert = await reads.certificate_for(db, request.user, rating_id)
        headers = {
            "Content-Disposition": f'attachment; filename="{cert.certificate_no}.pdf"',
            # RFC 9530: the digest of the bytes sent, base64; the hex form as stored and printed
            "Repr-Digest": f"sha-256=:{base64.b64encode(bytes.fromhex(cert.sha256)).decode()}:",
            "X-Certificate-SHA256": cert.sha256,
        }
        return Response(cert.pdf, media_type="application/pdf", headers=headers)

    @get("/rating-rounds/{round_id:uuid}/certificates.zip", media_type="application/zip",
         **access(REG, RA, FR, errors=(404, 422, 503)))  # fmt: skip
    async def round_zip(
        self, round_id: Id, request: Request[Any, Any, Any], db: DB, district: FromQuery[str | None] = None
    ) -> Stream:
        """A round's certificates as one streamed zip (optionally one district's); each is logged."""
        _font_or_503(request)
        rows = await reads.round_certificates(db, request.user, round_id, district)
        body: AsyncIterator[bytes] = zip_stream(request.app.state.pg, rows)
        return Stream(body, media_type="application/zip",
                      headers={"Content-Disposition": f'attachment; filename="certificates-{round_id}.zip"'})  # fmt: skip

    @put("/rating-authority/seal", status_code=200, **access(RA, errors=(413, 422)))
    async def put_seal(self, data: JSONBody[SealUpload], request: Request[Any, Any, Any], db: DB) -> SealRead:
        """The rating authority's seal (印章), a PNG (base64 in JSON), printed beside its name on every
        certificate it issues from now on. Earlier uploads are kept; the newest prints."""
        return SealRead.of(*await seals.put_seal(db, request.user, data.png))

    @get("/pki/ca.pem", media_type="application/x-pem-file", **public())
    async def ca(self, request: Request[Any, Any, Any], db: DB) -> str:
        """The service's CA certificate: validate a certificate PDF's signature against it."""
        return await ca_pem(db, request.app.state.settings.secret_key)

    @get("/pki/ca.crl", media_type="application/pkix-crl", **public())
    async def crl(self, request: Request[Any, Any, Any], db: DB) -> Response[bytes]:
        """The CA's current certificate revocation list (DER, RFC 5280; re-issued daily and at each
        revocation): the CRL distribution point of every signer and TSA certificate. A validator
        checking a certificate PDF after the CRL embedded in it went stale (30 days) fetches this."""
        pem = await current_crl(db, request.app.state.settings.secret_key)
        der = x509.load_pem_x509_crl(pem.encode("ascii")).public_bytes(serialization.Encoding.DER)
        # cacheable for an hour: a revocation reaches validators within the hour (and every PDF
        # signed after it carries the new CRL)
        return Response(der, media_type="application/pkix-crl", headers={"Cache-Control": "public, max-age=3600"})


@get("/verify/{certificate_no:str}", tags=["certificates"], media_type="text/html", **public(errors=(404, 429)))
async def verify_page(
    certificate_no: Annotated[str, PathParameter(description="The certificate number, e.g. ZB-ABCD-EFGH-IJKL-MNOP")],
    request: Request[Any, Any, Any],
    db: DB,
) -> Response[Any]:
    """What the QR code opens: the certificate's status and summary, in Chinese, without JavaScript
    (JSON with `Accept: application/json`). An unknown number is 404: a page for a browser
    (`Accept: text/html`), problem+json otherwise. Rate-limited per address."""
    await limit_by_address(request)  # the same budget as POST /v1/verify
    accept = request.headers.get("accept", "")
    try:
        summary = await reads.public_summary(db, certificate_no)
    except NotFound:
        if "text/html" not in accept:
            raise  # problem+json for API clients
        return Response(render_unknown(certificate_no), status_code=404, media_type="text/html")
    if "application/json" in accept:
        return Response(summary, media_type="application/json")
    return Response(render_page(summary), media_type="text/html")  # Litestar adds "; charset=utf-8"
