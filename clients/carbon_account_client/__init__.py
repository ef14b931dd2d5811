"""Python SDK for the Zibo carbon-account & green-finance API.

Banks read ratings under consent and verify them offline; enterprises file, consent and
import spreadsheets. `CarbonClient` blocks, `AsyncCarbonClient` awaits; both fetch and
renew tokens, retry what is safe to retry, and raise typed errors.
"""

from carbon_account_client.async_client import AsyncCarbonClient
from carbon_account_client.errors import (
    ApiError,
    BadRequest,
    CarbonError,
    CertificateDigestMismatch,
    Conflict,
    FieldError,
    Forbidden,
    ImportRejected,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    ServiceUnavailable,
    TokenInvalid,
    Unauthorized,
    ValidationFailed,
    WebhookVerificationError,
)
from carbon_account_client.retry import RetryPolicy
from carbon_account_client.sync_client import CarbonClient
from carbon_account_client.webhooks import verify_webhook

__version__ = "0.1.0"

__all__ = [
    "ApiError",
    "AsyncCarbonClient",
    "BadRequest",
    "CarbonClient",
    "CarbonError",
    "CertificateDigestMismatch",
    "Conflict",
    "FieldError",
    "Forbidden",
    "ImportRejected",
    "NotFound",
    "PayloadTooLarge",
    "RateLimited",
    "RetryPolicy",
    "ServiceUnavailable",
    "TokenInvalid",
    "Unauthorized",
    "ValidationFailed",
    "WebhookVerificationError",
    "verify_webhook",
]
