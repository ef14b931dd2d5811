"""Render and sign in a worker process: reportlab is not thread-safe and both steps are CPU.

The function takes and returns bytes so that it crosses the process boundary cheaply; each
worker process keeps its signer once built.
"""

from __future__ import annotations

from functools import cache

import msgspec

from service.pdf.layout import render
from service.pdf.model import CertificateData
from service.pdf.pki import PkiMaterial
from service.pdf.signing import PdfSigner

__all__ = ["render_and_sign"]


@cache
def _signer(material: bytes) -> PdfSigner:
    return PdfSigner(msgspec.json.decode(material, type=PkiMaterial))


def render_and_sign(data: bytes, font_path: str, material: bytes) -> bytes:
    pdf = render(msgspec.json.decode(data, type=CertificateData), font_path)
    return _signer(material).sign(pdf)
