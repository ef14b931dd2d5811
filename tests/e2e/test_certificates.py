"""Certificates end to end: issued by the job after a round, downloaded (the same signed bytes,
each download logged), zipped per round, validated against the published CA, and verified
publicly by number with the right status and no emissions figures."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import time
import zipfile
from typing import Any

import pytest
from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader

from service.pdf.signing import validate
from service.public_url import verify_base
from tests.helpers import Api, Caller, Filings, build_city, cement, run_round

FIGURES = ("co2", "scope1", "intensity", "energy_tce", "排放")


def _wait_pdf(api: Api, caller: Caller, rating_id: str, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = api.client.get(f"/v1/ratings/{rating_id}/certificate.pdf", headers=caller.headers)
        if r.status_code == 200:
            return r
        assert r.status_code == 503 and r.headers.get("retry-after"), r.text  # certificate-pending
        time.sleep(0.1)
    raise AssertionError("the certificate was not issued in time")


def _latest(api: Api, ent: Caller) -> dict[str, Any]:
    return dict(api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers).json())


def _number(response: Any) -> str:
    return re.search(r'filename="([^"]+)\.pdf"', response.headers["content-disposition"]).group(1)  # type: ignore[union-attr]


@pytest.fixture
def rated(api: Api) -> dict[str, Any]:
    town = build_city(api, 6)
    assert run_round(api, town.rating_authority, 2023)["status"] == "completed"
    return {"town": town}


def test_download_is_signed_stored_logged_and_validates_against_the_ca(api: Api, rated: dict[str, Any]) -> None:
    town = rated["town"]
    ent = town.enterprises[0]
    rating = _latest(api, ent)
    first = _wait_pdf(api, ent, rating["id"])
    assert first.content.startswith(b"%PDF")
    again = api.client.get(f"/v1/ratings/{rating['id']}/certificate.pdf", headers=town.regulator.headers)
    assert again.content == first.content  # the stored bytes, every time
    assert again.headers["x-certificate-sha256"] == hashlib.sha256(first.content).hexdigest()
    digest = base64.b64encode(hashlib.sha256(first.content).digest()).decode()
    assert again.headers["repr-digest"] == f"sha-256=:{digest}:"
    ca = api.client.get("/v1/pki/ca.pem")
    assert ca.status_code == 200 and "BEGIN CERTIFICATE" in ca.text
    checked = validate(first.content, ca.text)
    assert checked["ok"] and checked["coverage"] == "ENTIRE_FILE", checked
    tampered = bytearray(first.content)
    tampered[len(tampered) // 3] ^= 0x01
    assert not validate(bytes(tampered), ca.text)["ok"]
    log = api.client.get(f"/v1/enterprises/{ent.uscc}/access-log", headers=ent.headers).json()["items"]
    assert [(e["what"], e["org_kind"]) for e in log] == [("certificate", "regulator")]  # its own read is not logged


def test_the_signers_distribution_point_serves_the_current_crl(api: Api, rated: dict[str, Any]) -> None:
    """The signer and TSA certificates in a downloaded PDF name `{base}/v1/pki/ca.crl`; that
    path serves the CA's CRL in DER, signed by the published CA, cacheable for an hour."""
    town = rated["town"]
    ent = town.enterprises[0]
    pdf = _wait_pdf(api, ent, _latest(api, ent)["id"]).content
    dss = PdfFileReader(io.BytesIO(pdf)).root["/DSS"]
    certs = [x509.load_der_x509_certificate(c.get_object().data) for c in dss["/Certs"]]
    leaves = [c for c in certs if not c.extensions.get_extension_for_class(x509.BasicConstraints).value.ca]
    assert len(leaves) == 2  # signer and TSA
    points = {c.extensions.get_extension_for_class(x509.CRLDistributionPoints).value[0].full_name[0].value
              for c in leaves}  # fmt: skip
    assert len(points) == 1
    (point,) = points
    assert point == f"{verify_base(api.settings)}/v1/pki/ca.crl"
    r = api.client.get("/v1/pki/ca.crl")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pkix-crl"
    assert r.headers["cache-control"] == "public, max-age=3600"
    crl = x509.load_der_x509_crl(r.content)
    ca = x509.load_pem_x509_certificate(api.client.get("/v1/pki/ca.pem").content)
    assert crl.is_signature_valid(ca.public_key()) and len(crl) == 0
    embedded = x509.load_der_x509_crl(dss["/CRLs"][0].get_object().data)
    assert embedded.last_update_utc <= crl.last_update_utc  # the same CRL, or a newer one


def test_bank_needs_full_consent_and_regulators_get_a_zip(api: Api, rated: dict[str, Any]) -> None:
    town = rated["town"]
    ent = town.enterprises[0]
    rating = _latest(api, ent)
    _wait_pdf(api, ent, rating["id"])
    bank = api.admin_created(town.admin, "bank")
    path = f"/v1/ratings/{rating['id']}/certificate.pdf"
    assert api.client.get(path, headers=bank.headers).status_code == 404
    grant = {"bank_org_id": bank.org_id, "purpose": "credit", "expires_at": "2030-01-01T00:00:00+08:00"}
    r = api.client.post(
        f"/v1/enterprises/{ent.uscc}/consents", json={**grant, "scope": "grade_only"}, headers=ent.headers
    )
    assert r.status_code == 201
    assert api.client.get(path, headers=bank.headers).status_code == 404  # grade_only is not enough
    api.client.post(f"/v1/enterprises/{ent.uscc}/consents", json={**grant, "scope": "full"}, headers=ent.headers)
    assert api.client.get(path, headers=bank.headers).status_code == 200
    for other in town.enterprises[1:]:
        _wait_pdf(api, other, _latest(api, other)["id"])
    archive = api.client.get(f"/v1/rating-rounds/{rating['round_id']}/certificates.zip", headers=town.regulator.headers)
    assert archive.status_code == 200, archive.text
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert len(names) == 6 and all(n.endswith(".pdf") for n in names)
    none = api.client.get(
        f"/v1/rating-rounds/{rating['round_id']}/certificates.zip", params={"district": "370323"},
        headers=town.regulator.headers,
    )  # fmt: skip
    assert zipfile.ZipFile(io.BytesIO(none.content)).namelist() == []


def test_the_verification_page_shows_each_status_and_no_figures(api: Api, rated: dict[str, Any]) -> None:
    town = rated["town"]
    first, second = town.enterprises[0], town.enterprises[1]
    numbers = {}
    for ent in (first, second):
        numbers[ent.uscc] = _number(_wait_pdf(api, ent, _latest(api, ent)["id"]))

    def page(number: str) -> str:
        r = api.client.get(f"/verify/{number}")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), r.text
        assert "<script" not in r.text and not any(f in r.text for f in FIGURES)
        return r.text

    assert "有效" in page(numbers[first.uscc])
    as_json = api.client.get(f"/verify/{numbers[first.uscc]}", headers={"Accept": "application/json"}).json()
    assert as_json["status"] == "active" and not any(f in str(as_json) for f in FIGURES)
    by_post = api.client.post("/v1/verify", json={"certificate_no": numbers[first.uscc]}).json()
    assert by_post["valid"] and by_post["status"] == "active"
    assert api.client.post("/v1/verify", json={"certificate_no": "ZB-NONE"}).json()["valid"] is False
    assert api.client.get("/verify/ZB-NONE").status_code == 404

    revoke = api.client.post(
        f"/v1/ratings/{_latest(api, first)['id']}/revoke",
        json={"reason": "核查不实"},
        headers=town.rating_authority.headers,
    )
    assert revoke.status_code == 200
    revoked = page(numbers[first.uscc])
    assert "已撤销" in revoked and "核查不实" in revoked and "有效期至" not in revoked  # issue 21.6
    assert run_round(api, town.rating_authority, 2023)["status"] == "completed"
    assert "已被新评级取代" in page(numbers[second.uscc])  # superseded
    newer = _number(_wait_pdf(api, second, _latest(api, second)["id"]))
    for ent in town.enterprises:  # a 2024 round makes the 2023 ratings read expired
        Filings(api).submitted(ent, 2024, cement())
    assert run_round(api, town.rating_authority, 2024)["status"] == "completed"
    assert "已过期" in page(newer)
