"""Mapped tables, one module per business noun; the schema itself comes from migrations/."""

from service.db.models.audit import AuditEvent
from service.db.models.banks import AccessLogEntry, Consent
from service.db.models.certificates import Certificate, CertificateJob, PkiIssued, PkiRecord, PkiRevocation
from service.db.models.clients import ApiClient
from service.db.models.console import ConsoleSession, ConsoleUser
from service.db.models.disclosures import Disclosure
from service.db.models.filings import Filing, FilingVerification, VerifierEngagement
from service.db.models.finance import FinanceProductRecord, FinancingAnswer, FinancingRecipient, FinancingRequest
from service.db.models.idempotency import IdempotencyRecord
from service.db.models.imports import FilingImport
from service.db.models.keys import SigningKey
from service.db.models.organisations import Enterprise, Organisation
from service.db.models.policy import PolicyConsequenceRow, PolicySetRecord, PolicySheet, RetrofitPlan
from service.db.models.ratings import Objection, RatingRecord, RatingRound
from service.db.models.reference import BenchmarkEditionRecord, FactorSetRecord
from service.db.models.reference_intensities import ReferenceIntensitySetRecord
from service.db.models.seals import AuthoritySeal
from service.db.models.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "AccessLogEntry",
    "ApiClient",
    "AuditEvent",
    "AuthoritySeal",
    "BenchmarkEditionRecord",
    "Certificate",
    "CertificateJob",
    "Consent",
    "ConsoleSession",
    "ConsoleUser",
    "Disclosure",
    "Enterprise",
    "FactorSetRecord",
    "Filing",
    "FilingImport",
    "FilingVerification",
    "FinanceProductRecord",
    "FinancingAnswer",
    "FinancingRecipient",
    "FinancingRequest",
    "IdempotencyRecord",
    "Objection",
    "Organisation",
    "PkiIssued",
    "PkiRecord",
    "PkiRevocation",
    "PolicyConsequenceRow",
    "PolicySetRecord",
    "PolicySheet",
    "RatingRecord",
    "RatingRound",
    "ReferenceIntensitySetRecord",
    "RetrofitPlan",
    "SigningKey",
    "VerifierEngagement",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
