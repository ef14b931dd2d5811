"""PAdES signatures on certificate PDFs, and their validation against the service's CA.

A downloaded certificate must prove by itself that the service issued it and that nobody changed
it since; the rating token inside proves the figures, the PDF signature proves the document.
The signature is PAdES baseline B-B (ETSI.CAdES.detached, SHA-256, P-256), invisible, and made
as an incremental update over the rendered bytes, so it covers the whole file as delivered.

Both ``sign`` and ``validate`` run pyHanko's async core through ``asyncio.run``: call them from
a worker thread or process (as ``service.pdf.process`` does), never on a running event loop.
"""

from __future__ import annotations

from io import BytesIO
from typing import TypedDict

from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from service.pdf.pki import PkiMaterial

__all__ = ["DEFAULT_REASON", "PdfSigner", "Validation", "validate"]

DEFAULT_REASON = "碳效评价证书 / carbon efficiency certificate"
# Room for the CMS blob (an ECDSA signature, two P-256 certificates, signed attributes: ~1.6 KB
# of DER). pyHanko counts this in hex digits, so 8192 leaves 4 KB; a fixed reservation spares
# it a dry-run signature to estimate the size (measured: 10 ms per document instead of 20).
_RESERVED_HEX_DIGITS = 8192


class Validation(TypedDict):
    """What a check of the (first) signature found; ``signer`` is the certificate's CN."""

    intact: bool  # the signed byte ranges hash to the signed digest
    valid: bool  # the CMS signature over the signed attributes verifies (says nothing of intact)
    trusted: bool  # the signer's chain ends at the given CA
    coverage: str  # ENTIRE_FILE unless bytes were appended after signing
    signer: str
    ok: bool  # all of the above, over the entire file: the one answer a verifier needs
    error: str | None  # why the file could not be checked at all (unparseable, unsigned)


def _cert(pem: str) -> asn1_x509.Certificate:
    certs = list(load_certs_from_pemder_data(pem.encode("ascii")))
    if len(certs) != 1:
        raise ValueError(f"expected one PEM certificate, found {len(certs)}")
    return certs[0]


class PdfSigner:
    """Holds the loaded signer key and chain, so each document costs only the signature itself."""

    def __init__(self, material: PkiMaterial) -> None:
        ca = _cert(material.ca_cert_pem)
        self._signer = signers.SimpleSigner(
            signing_cert=_cert(material.signer_cert_pem),
            signing_key=load_private_key_from_pemder_data(material.signer_key_pem, passphrase=None),
            cert_registry=SimpleCertificateStore.from_certs([ca]),  # the CA travels in the CMS
        )

    def sign(self, pdf: bytes, *, reason: str = DEFAULT_REASON, field_name: str = "Signature1") -> bytes:
        """The signed PDF: the input bytes unchanged, followed by one incremental update."""
        meta = signers.PdfSignatureMetadata(
            field_name=field_name,
            reason=reason,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        )
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        out = signers.sign_pdf(
            writer,
            meta,
            signer=self._signer,
            new_field_spec=fields.SigFieldSpec(sig_field_name=field_name),  # no box: invisible
            bytes_reserved=_RESERVED_HEX_DIGITS,
        )
        return out.getvalue()


def _failed(error: str) -> Validation:
    return Validation(intact=False, valid=False, trusted=False, coverage="NONE", signer="", ok=False, error=error)


def validate(pdf: bytes, ca_cert_pem: str) -> Validation:
    """Check the document's first signature with ``ca_cert_pem`` as the ONLY trust root.

    The first signature is the service's own; anything added after it (an edit, another
    signature) shows as coverage below ENTIRE_FILE. pyHanko's ``valid`` only says the CMS
    signature over the signed attributes verifies — it stays True on a changed byte, where
    ``intact`` turns False — hence ``ok``. A file too damaged to parse, or without a signature,
    is reported as failed rather than raised, since it is an answer about the file.
    """
    context = ValidationContext(trust_roots=[_cert(ca_cert_pem)], allow_fetching=False)
    try:
        # strict parsing (the default): the service's own files are well-formed; lenient parsing
        # of someone else's malformed file would only widen what a forgery could hide behind
        embedded = PdfFileReader(BytesIO(pdf)).embedded_signatures
        if not embedded:
            return _failed("no signature")
        status = validate_pdf_signature(embedded[0], context)
    # A damaged CMS blob surfaces as anything from PdfReadError to AttributeError inside pyHanko.
    except Exception as exc:
        return _failed(f"{type(exc).__name__}: {exc}")
    intact, valid, trusted = bool(status.intact), bool(status.valid), bool(status.trusted)
    coverage = status.coverage.name if status.coverage is not None else "NONE"
    return Validation(
        intact=intact,
        valid=valid,
        trusted=trusted,
        coverage=coverage,
        signer=str(status.signing_cert.subject.native.get("common_name", "")),
        ok=intact and valid and trusted and coverage == "ENTIRE_FILE",
        error=None,
    )
