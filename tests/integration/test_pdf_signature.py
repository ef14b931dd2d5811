"""The certificate PDF's PAdES signature: valid against the published CA, broken by any change.

No database: the PKI and the signer are pure functions over bytes, checked with pyHanko and,
independently, with poppler's pdfsig.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import msgspec
import pytest
from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from service.pdf.pki import SIGNER_EKU, SIGNER_NAME, PkiMaterial, new_pki
from service.pdf.signing import PdfSigner, validate

TEXT = b"Zibo carbon efficiency certificate 2024"


@pytest.fixture(scope="module")
def pki() -> PkiMaterial:
    return new_pki()


@pytest.fixture(scope="module")
def unsigned() -> bytes:
    buf = BytesIO()
    page = canvas.Canvas(buf, pagesize=A4, pageCompression=0)  # uncompressed: the text is findable
    page.drawString(72, 770, TEXT.decode())
    page.drawString(72, 750, "Grade 2 / low carbon")
    page.showPage()
    page.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def signed(pki: PkiMaterial, unsigned: bytes) -> bytes:
    return PdfSigner(pki).sign(unsigned)


def _byte_range(pdf: bytes) -> list[int]:
    found = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert found is not None
    return [int(n) for n in found.groups()]


def test_pki_is_a_p256_ca_and_a_document_signer(pki: PkiMaterial) -> None:
    ca = x509.load_pem_x509_certificate(pki.ca_cert_pem.encode())
    leaf = x509.load_pem_x509_certificate(pki.signer_cert_pem.encode())
    for cert in (ca, leaf):
        key = cert.public_key()
        assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"
    basic = ca.extensions.get_extension_for_class(x509.BasicConstraints)
    assert basic.critical and basic.value.ca and basic.value.path_length == 0
    ca_usage = ca.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ca_usage.key_cert_sign and ca_usage.crl_sign and not ca_usage.digital_signature
    assert ca.not_valid_after_utc - ca.not_valid_before_utc > dt.timedelta(days=3650)

    assert leaf.issuer == ca.subject
    assert leaf.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == SIGNER_NAME
    leaf.verify_directly_issued_by(ca)
    usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert list(leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == list(SIGNER_EKU)
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    aki = leaf.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
    assert aki == ski
    assert leaf.not_valid_after_utc - leaf.not_valid_before_utc < dt.timedelta(days=3 * 366 + 1)
    assert leaf.serial_number != ca.serial_number and min(leaf.serial_number, ca.serial_number) > 2**64
    assert b"PRIVATE KEY" in pki.signer_key_pem and b"ENCRYPTED" not in pki.signer_key_pem

    issued = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    dated = x509.load_pem_x509_certificate(new_pki(now=issued).signer_cert_pem.encode())
    assert issued - dt.timedelta(hours=1) < dated.not_valid_before_utc <= issued  # backdated for clock skew


def test_signed_pdf_validates_against_the_ca(pki: PkiMaterial, unsigned: bytes, signed: bytes) -> None:
    assert signed.startswith(unsigned)  # an incremental update: the rendered bytes are untouched
    result = validate(signed, pki.ca_cert_pem)
    assert result == {
        "intact": True,
        "valid": True,
        "trusted": True,
        "coverage": "ENTIRE_FILE",
        "signer": SIGNER_NAME,
        "timestamp": result["timestamp"],
        "ok": True,
        "error": None,
    }


def test_material_survives_the_process_boundary(pki: PkiMaterial, unsigned: bytes) -> None:
    """service.pdf.process ships the material as msgspec JSON (bytes as base64)."""
    material = msgspec.json.decode(msgspec.json.encode(pki), type=PkiMaterial)
    assert material == pki
    assert validate(PdfSigner(material).sign(unsigned), pki.ca_cert_pem)["ok"]


def test_a_flipped_byte_in_the_signed_content_breaks_it(pki: PkiMaterial, signed: bytes) -> None:
    start, first_len, _, _ = _byte_range(signed)
    at = signed.index(TEXT) + 5
    assert start <= at < start + first_len  # inside the signed range, not the /Contents hex
    tampered = bytearray(signed)
    tampered[at] ^= 0x01
    result = validate(bytes(tampered), pki.ca_cert_pem)
    assert not result["intact"] and not result["ok"]


def test_a_changed_signature_value_breaks_it(pki: PkiMaterial, signed: bytes) -> None:
    _, first_len, second_start, _ = _byte_range(signed)
    der = bytes.fromhex(signed[first_len + 1 : second_start - 1].decode()).rstrip(b"\0")
    value = cms.ContentInfo.load(der)["content"]["signer_infos"][0]["signature"].native
    at = first_len + 1 + 2 * (der.index(value) + len(value) - 5)  # a hex digit inside the ECDSA signature value
    tampered = bytearray(signed)
    tampered[at] = ord("0") if tampered[at] != ord("0") else ord("1")
    result = validate(bytes(tampered), pki.ca_cert_pem)
    assert result["intact"] and not result["valid"] and not result["ok"]  # the digest matches, the signature not


def test_an_incremental_update_after_signing_is_not_covered(pki: PkiMaterial, signed: bytes) -> None:
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    result = validate(out.getvalue(), pki.ca_cert_pem)
    assert result["coverage"] != "ENTIRE_FILE" and not result["ok"]


def test_bytes_appended_after_signing_are_not_covered(pki: PkiMaterial, signed: bytes) -> None:
    result = validate(signed + b"\n% appended after signing\n", pki.ca_cert_pem)
    assert result["coverage"] != "ENTIRE_FILE" and not result["ok"]


def test_another_ca_does_not_trust_it(signed: bytes) -> None:
    stranger = new_pki()  # same CA name, different key: only the key identifies the issuer
    result = validate(signed, stranger.ca_cert_pem)
    assert result["intact"] and result["valid"]
    assert not result["trusted"] and not result["ok"]


def test_an_unsigned_pdf_is_a_failure_not_an_exception(pki: PkiMaterial, unsigned: bytes) -> None:
    result = validate(unsigned, pki.ca_cert_pem)
    assert not result["ok"] and result["error"] == "no signature"
    assert not validate(b"not a pdf", pki.ca_cert_pem)["ok"]


def _pdfsig() -> str:
    found = shutil.which("pdfsig")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdfsig (poppler-utils) is required under CI=true")
        pytest.skip("pdfsig (poppler-utils) is not installed")
    return found


def test_pdfsig_reports_the_signature(tmp_path: Path, signed: bytes) -> None:
    """poppler, an independent implementation, agrees (it does not know our CA: -nocert)."""
    pdfsig = _pdfsig()
    good = tmp_path / "signed.pdf"
    good.write_bytes(signed)
    out = subprocess.run([pdfsig, "-nocert", str(good)], capture_output=True, text=True, timeout=30, check=False)
    assert out.returncode == 0, out.stderr
    assert f"Signer Certificate Common Name: {SIGNER_NAME}" in out.stdout
    assert "ETSI.CAdES.detached" in out.stdout
    assert "Total document signed" in out.stdout
    assert "Signature is Valid." in out.stdout

    bad = tmp_path / "tampered.pdf"
    tampered = bytearray(signed)
    tampered[signed.index(TEXT) + 5] ^= 0x01
    bad.write_bytes(bytes(tampered))
    out = subprocess.run([pdfsig, "-nocert", str(bad)], capture_output=True, text=True, timeout=30, check=False)
    assert "Signature is Valid." not in out.stdout
