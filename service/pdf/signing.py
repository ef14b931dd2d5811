"""PAdES signatures on certificate PDFs, and their validation against the service's CA.

A downloaded certificate must prove by itself that the service issued it and that nobody changed
it since; the rating token inside proves the figures, the PDF signature proves the document.
The signature is PAdES baseline B-LT (ETSI EN 319 142-1): ETSI.CAdES.detached, SHA-256, P-256,
invisible, with a signature timestamp from the service's own RFC 3161 TSA (``service.pdf.tsa``:
B-T) and the validation data in the document security store (DSS: the CA, signer and TSA
certificates and the CA's CRL: B-LT), so the file validates offline and after its signer
certificate has expired (once the embedded CRL is past its nextUpdate, with the current CRL from
the distribution point every signer and TSA certificate names, ``GET /v1/pki/ca.crl``). The DSS is written in the same incremental update as the signature
(all of it is known before signing), so the one signature still covers the entire file as
delivered and any later change shows as coverage below ENTIRE_FILE. B-LTA (document timestamps
renewed before the TSA certificate expires) is not done.

Both ``sign`` and ``validate`` run pyHanko's async core through ``asyncio.run``: call them from
a worker thread or process (as ``service.pdf.process`` does), never on a running event loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from io import BytesIO
from typing import TypedDict

from asn1crypto import crl as asn1_crl
from asn1crypto import pem as pem_armor
from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import ades, validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.policy_decl import (
    LocalKnowledge,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
from pyhanko_certvalidator.registry import SimpleCertificateStore, SimpleTrustManager
from pyhanko_certvalidator.revinfo.archival import CRLContainer

from service.pdf.pki import PkiMaterial
from service.pdf.tsa import ServiceTimeStamper

__all__ = ["DEFAULT_REASON", "PdfSigner", "Validation", "validate", "validate_long_term"]

DEFAULT_REASON = "碳效评价证书 / carbon efficiency certificate"
# Room for the CMS blob: an ECDSA signature, two P-256 certificates and signed attributes
# (~1.6 KB of DER), plus the timestamp token in an unsigned attribute (TSTInfo, the TSA and CA
# certificates, its own signature: ~1.7 KB); measured 3.3 KB in all. pyHanko counts this in hex
# digits, so 12288 leaves 6 KB; a fixed reservation spares it a dry-run signature (and a
# dry-run timestamp) to estimate the size.
_RESERVED_HEX_DIGITS = 12288


class Validation(TypedDict):
    """What a check of the (first) signature found; ``signer`` is the certificate's CN."""

    intact: bool  # the signed byte ranges hash to the signed digest
    valid: bool  # the CMS signature over the signed attributes verifies (says nothing of intact)
    trusted: bool  # the signer's chain ends at the given CA
    coverage: str  # ENTIRE_FILE unless bytes were appended after signing
    signer: str
    timestamp: str | None  # the signature timestamp's time (ISO 8601, UTC) when present and valid
    ok: bool  # all of the above, over the entire file: the one answer a verifier needs
    error: str | None  # why the file could not be checked at all (unparseable, unsigned)


def _cert(pem: str) -> asn1_x509.Certificate:
    certs = list(load_certs_from_pemder_data(pem.encode("ascii")))
    if len(certs) != 1:
        raise ValueError(f"expected one PEM certificate, found {len(certs)}")
    return certs[0]


def _crl(pem: str) -> asn1_crl.CertificateList:
    return asn1_crl.CertificateList.load(pem_armor.unarmor(pem.encode("ascii"))[2])


class PdfSigner:
    """Holds the loaded signer and TSA keys, chain and CRL, so each document costs only the
    signature and its timestamp."""

    def __init__(self, material: PkiMaterial) -> None:
        self._signer = signers.SimpleSigner(
            signing_cert=_cert(material.signer_cert_pem),
            signing_key=load_private_key_from_pemder_data(material.signer_key_pem, passphrase=None),
            cert_registry=SimpleCertificateStore.from_certs([_cert(material.ca_cert_pem)]),  # the CA travels in the CMS
        )
        self._timestamper = ServiceTimeStamper(
            _cert(material.tsa_cert_pem),
            load_private_key_from_pemder_data(material.tsa_key_pem, passphrase=None),
            _cert(material.ca_cert_pem),
        )
        self._material = material

    def sign(self, pdf: bytes, *, reason: str = DEFAULT_REASON, field_name: str = "Signature1") -> bytes:
        """The signed PDF: the input bytes unchanged, followed by one incremental update."""
        meta = signers.PdfSignatureMetadata(
            field_name=field_name,
            reason=reason,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        )
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        # B-LT: every certificate of both chains and the CA's CRL, in the signed revision
        m = self._material
        certs = [_cert(pem) for pem in (m.ca_cert_pem, m.signer_cert_pem, m.tsa_cert_pem)]
        DocumentSecurityStore.supply_dss_in_writer(writer, None, certs=certs, crls=[_crl(m.crl_pem)])
        out = signers.sign_pdf(
            writer,
            meta,
            signer=self._signer,
            timestamper=self._timestamper,
            new_field_spec=fields.SigFieldSpec(sig_field_name=field_name),  # no box: invisible
            bytes_reserved=_RESERVED_HEX_DIGITS,
        )
        return out.getvalue()


def _failed(error: str) -> Validation:
    return Validation(
        intact=False, valid=False, trusted=False, coverage="NONE", signer="", timestamp=None, ok=False, error=error
    )


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
    ts = status.timestamp_validity
    ts_ok = ts is None or bool(ts.intact and ts.valid and ts.trusted)  # a token present must hold
    return Validation(
        intact=intact,
        valid=valid,
        trusted=trusted,
        coverage=coverage,
        signer=str(status.signing_cert.subject.native.get("common_name", "")),
        timestamp=ts.timestamp.astimezone(dt.UTC).isoformat() if ts is not None and ts_ok else None,
        ok=intact and valid and trusted and ts_ok and coverage == "ENTIRE_FILE",
        error=None,
    )


def _known(reader: PdfFileReader, fetched_crls: tuple[str, ...]) -> LocalKnowledge:
    """The DSS (as pyHanko's own LTA validation reads it) and the fetched CRLs."""
    dss = ades._dss_to_local_knowledge(reader)
    fetched = [CRLContainer(crl_data=_crl(pem)) for pem in fetched_crls]
    return dataclasses.replace(dss, known_crls=[*dss.known_crls, *fetched])


def validate_long_term(pdf: bytes, ca_cert_pem: str, at: dt.datetime, fetched_crls: tuple[str, ...] = ()) -> str:
    """The AdES indication (ETSI EN 319 102-1 §5.5, validation of a signature with time) of the
    first signature as a validator would find it at ``at``: "PASSED" or e.g.
    "INDETERMINATE/OUT_OF_BOUNDS_NO_POE". The document's own data is used (its DSS: the
    certificates and the CRL) plus ``fetched_crls`` (PEM), what the validator fetched from the
    certificates' distribution point (``GET /v1/pki/ca.crl``) — the embedded CRL is current for
    30 days, after which a validator without a fresh one answers INDETERMINATE/TRY_LATER.
    Revocation information is required; the signer certificate may have expired by ``at`` as
    long as the signature timestamp predates that.
    """
    reader = PdfFileReader(BytesIO(pdf))
    embedded = reader.embedded_signatures
    if not embedded:
        return "FAILED/NO_SIGNATURE"
    sig = embedded[0]
    spec = SignatureValidationSpec(
        cert_validation_policy=CertValidationPolicySpec(
            trust_manager=SimpleTrustManager.build(trust_roots=[_cert(ca_cert_pem)]),
            revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO),
        ),
        revinfo_gathering_policy=RevocationInfoGatheringSpec(online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY),
        local_knowledge=_known(reader, fetched_crls),
    )
    timing = ValidationTimingInfo(validation_time=at, best_signature_time=at, point_in_time_validation=False)
    result = asyncio.run(
        ades.ades_with_time_validation(sig.signed_data, spec, timing_info=timing, raw_digest=sig.compute_digest())
    )
    indic = result.ades_subindic
    return indic.status.name if indic.status.name == "PASSED" else f"{indic.status.name}/{indic.name}"
