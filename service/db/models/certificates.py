"""The PDF-signing PKI (the CA: one row; what it issued: insert-only), the certificate outbox and
the signed certificates."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, SmallInteger, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base

__all__ = ["Certificate", "CertificateJob", "PkiIssued", "PkiRecord", "PkiRevocation"]


class PkiRecord(Base):
    __tablename__ = "pki"
    __table_args__ = (CheckConstraint("id = 1", name="single"),)

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    ca_cert_pem: Mapped[str] = mapped_column(Text)
    ca_key_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class PkiIssued(Base):
    """A document signer or TSA certificate (with its sealed key) or a CRL the CA issued.

    Never updated nor deleted: a renewed signer is a new row, and the old ones stay (they are in
    signed PDFs). For a CRL, ``not_before``/``not_after`` are its thisUpdate/nextUpdate.
    """

    __tablename__ = "pki_issued"
    __table_args__ = (
        CheckConstraint("kind IN ('signer','tsa','crl')", name="kind"),
        CheckConstraint("(kind = 'crl') = (key_sealed IS NULL)", name="key_unless_crl"),
        Index("ix_pki_issued_kind_not_after", "kind", "not_after"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(8))
    pem: Mapped[str] = mapped_column(Text)
    key_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    not_before: Mapped[dt.datetime]
    not_after: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class PkiRevocation(Base):
    """A signer or TSA certificate the operator revoked (key compromise, say): listed in every CRL
    from then on. Insert-only, one row per serial; the revoked leaf is replaced at the next batch."""

    __tablename__ = "pki_revocations"
    __table_args__ = (
        CheckConstraint(
            "reason IN ('keyCompromise','superseded','cessationOfOperation','affiliationChanged')", name="reason"
        ),
    )

    serial: Mapped[str] = mapped_column(String(48), primary_key=True)  # decimal: up to 159 bits
    issued_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pki_issued.id"))
    reason: Mapped[str] = mapped_column(String(24))
    revoked_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class CertificateJob(Base):
    """One rating whose certificate is still to be rendered: written with the round's commit."""

    __tablename__ = "certificate_jobs"
    __table_args__ = (Index("ix_certificate_jobs_pending", "created_at", postgresql_where=text("done_at IS NULL")),)

    rating_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ratings.id"), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    attempts: Mapped[int] = mapped_column(server_default="0")
    last_error: Mapped[str | None] = mapped_column(String(500))
    done_at: Mapped[dt.datetime | None]


class Certificate(Base):
    __tablename__ = "certificates"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    rating_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ratings.id"), unique=True)
    certificate_no: Mapped[str] = mapped_column(String(32), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)  # the signed bytes every download serves
    issued_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
