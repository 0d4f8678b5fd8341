"""Webhook signature verification, as a pure function of the raw body and one header.

GitHub signs each delivery with HMAC-SHA256 of the exact body bytes, keyed with the
webhook's secret, and sends ``sha256=<hex>`` in ``X-Hub-Signature-256``. Several secrets
may be configured at once so a secret can be rotated without refusing deliveries.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Sequence

from octobus_schemas.api import SIGNATURE_256_HEADER as SIGNATURE_HEADER
from octobus_schemas.api.client import sign_sha256

from octobus.errors import SignatureError

__all__ = ["verify_signature"]

_SIGNATURE_FORMAT = re.compile(r"sha256=([0-9a-fA-F]{64})")


def verify_signature(body: bytes, signature: str | None, secrets: Sequence[bytes]) -> None:
    """Check that ``signature`` is GitHub's signature of ``body`` under one of ``secrets``.

    Parameters
    ----------
    body
        The raw request body, exactly as received.
    signature
        The ``X-Hub-Signature-256`` header value, or None when the header is absent.
    secrets
        The accepted webhook secrets, UTF-8 encoded; any one of them verifies.

    Raises
    ------
    SignatureError
        If the header is absent, malformed, or matches no secret.

    Examples
    --------
    >>> from octobus_schemas.api.client import sign_sha256
    >>> body = b'{"zen": "Keep it logically awesome."}'
    >>> good = sign_sha256(body, "s3cret")
    >>> verify_signature(body, good, [b"old-secret", b"s3cret"])
    >>> verify_signature(body + b" ", good, [b"s3cret"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    octobus.errors.SignatureError: X-Hub-Signature-256 does not match the body for any ...
    """
    if signature is None:
        msg = f"missing {SIGNATURE_HEADER} header: the delivery is not signed"
        raise SignatureError(msg)
    match = _SIGNATURE_FORMAT.fullmatch(signature.strip())
    if match is None:
        msg = f"malformed {SIGNATURE_HEADER} header: expected 'sha256=' and 64 hex digits"
        raise SignatureError(msg)
    received = "sha256=" + match.group(1).lower()
    # Every secret is tried, whichever matches, so the time taken does not reveal
    # which one did; compare_digest keeps each comparison constant-time.
    matched = False
    for secret in secrets:
        matched |= hmac.compare_digest(sign_sha256(body, secret), received)
    if not matched:
        msg = f"{SIGNATURE_HEADER} does not match the body for any configured secret"
        raise SignatureError(msg)
