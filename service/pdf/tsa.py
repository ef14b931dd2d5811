"""The service's own RFC 3161 timestamping authority, in process.

A PAdES B-T signature carries a signature timestamp: a token from a timestamping authority
(TSA) saying the signature value existed at a given time. A validator can then check the signer
certificate at that time rather than today, so a certificate PDF keeps validating after its
signer certificate expires (as long as the TSA certificate is valid, or later document
timestamps extend it: B-LTA). The service runs no network TSA: the token is made here, with a
P-256 key whose certificate the service CA issued with the single critical extended key usage
id-kp-timeStamping (RFC 3161 §2.3), see ``service.pdf.pki.issue_tsa``.

pyHanko's ``DummyTimeStamper`` is RSA-only, names a third party's policy OID and a SHA-1
ESSCertID; this one signs the TSTInfo with pyHanko's own CMS signer, the token naming the TSA
certificate by SHA-512 in signingCertificateV2 (RFC 5816).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from asn1crypto import cms, core, tsp, x509
from pyhanko.sign import signers
from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

__all__ = ["TSA_POLICY", "ServiceTimeStamper"]

# The TSA policy under which tokens are issued (RFC 3161 §2.4.2 requires one). The service has no
# registered OID arc, so it uses a UUID-derived OID (ITU-T X.667, arc 2.25: no registration):
# it names this service's practice (clock of the host, accuracy 1 s, no qualified status), NOT
# an ETSI EN 319 421 policy.
TSA_POLICY = "2.25.171316539926893442342591574312372127297"
ACCURACY_SECONDS = 1


class ServiceTimeStamper(TimeStamper):
    """Answers timestamp requests itself, signing with the TSA key (no network)."""

    def __init__(self, tsa_cert: x509.Certificate, tsa_key: object, ca_cert: x509.Certificate) -> None:
        super().__init__(include_nonce=True)
        self.tsa_cert = tsa_cert
        self._signer = signers.SimpleSigner(
            signing_cert=tsa_cert,
            signing_key=tsa_key,  # type: ignore[arg-type]  # asn1crypto PrivateKeyInfo
            cert_registry=SimpleCertificateStore.from_certs([ca_cert]),  # the chain travels in the token
        )

    def _tst_info(self, req: tsp.TimeStampReq, when: dt.datetime) -> tsp.TSTInfo:
        info: dict[str, object] = {
            "version": "v1",
            "policy": TSA_POLICY,
            "message_imprint": req["message_imprint"],
            "serial_number": secrets.randbits(127),
            "gen_time": when,
            "accuracy": {"seconds": ACCURACY_SECONDS},
            "tsa": x509.GeneralName(name="directory_name", value=self.tsa_cert.subject),
        }
        if req["nonce"].native is not None:
            info["nonce"] = req["nonce"]
        return tsp.TSTInfo(info)

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        when = dt.datetime.now(dt.UTC).replace(microsecond=0)
        md = req["message_imprint"]["hash_algorithm"]["algorithm"].native
        tst_info = self._tst_info(req, when).dump()
        digest = hashlib.new(md, tst_info).digest()  # an unknown digest raises here, before signing
        signed_attrs = cms.CMSAttributes(
            [
                simple_cms_attribute("content_type", "tst_info"),
                simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(when)})),
                # SHA-512, not the DEFAULT SHA-256: asn1crypto marks a defaulted field "mutated" when
                # it is read, and pyHanko reads this one; the signature CMS holding the token then
                # re-serialises it exponentially (measured: 1 signing in 4 took 11-65 s, not 25 ms)
                simple_cms_attribute("signing_certificate_v2", as_signing_certificate_v2(self.tsa_cert, "sha512")),
                simple_cms_attribute("message_digest", digest),
            ]
        )
        content = cms.EncapsulatedContentInfo(
            {"content_type": "tst_info", "content": cms.ParsableOctetString(tst_info)}
        )
        signed = await self._signer.async_sign_prescribed_attributes(
            md, signed_attrs, cms_version="v3", encap_content_info=content
        )
        token = cms.ContentInfo.load(signed.dump())  # re-parsed: no value built in Python stays in it
        status = tsp.PKIStatusInfo({"status": tsp.PKIStatus("granted")})
        return tsp.TimeStampResp({"status": status, "time_stamp_token": token})
