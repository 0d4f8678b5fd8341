"""GitHub's webhook signatures: an HMAC of the raw body, keyed with the webhook secret."""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["sign_sha1", "sign_sha256"]


def _key(secret: str | bytes) -> bytes:
    return secret.encode("utf-8") if isinstance(secret, str) else secret


def sign_sha256(body: bytes, secret: str | bytes) -> str:
    """Compute the ``X-Hub-Signature-256`` value GitHub sends with a body.

    Parameters
    ----------
    body
        The exact body bytes.
    secret
        The webhook secret; a string is encoded as UTF-8, as GitHub does.

    Returns
    -------
    str
        ``sha256=`` followed by the lower-case hex HMAC-SHA256.
    """
    return "sha256=" + hmac.new(_key(secret), body, hashlib.sha256).hexdigest()


def sign_sha1(body: bytes, secret: str | bytes) -> str:
    """Compute the legacy ``X-Hub-Signature`` value GitHub still sends alongside.

    Parameters
    ----------
    body
        The exact body bytes.
    secret
        The webhook secret.

    Returns
    -------
    str
        ``sha1=`` followed by the lower-case hex HMAC-SHA1.
    """
    # GitHub keeps sending SHA-1 for old receivers; nothing here verifies with it.
    return "sha1=" + hmac.new(_key(secret), body, hashlib.sha1).hexdigest()
