"""The keys that sign appointment tokens (QR codes checked offline at the port)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def token_keys() -> dict[str, bytes]:
    """Key id -> key. The first entry signs; every entry verifies, so keys can be rotated."""
    configured = settings.APPOINTMENT_TOKEN_KEYS.strip()
    if configured:
        keys = {}
        for item in configured.split(","):
            key_id, _, hex_key = item.strip().partition(":")
            keys[key_id] = bytes.fromhex(hex_key)
        return keys
    derived = hmac.new(settings.SECRET_KEY.encode(), b"corredor.appointments.token.v1", hashlib.sha256).digest()
    return {"k1": derived}


def signing_key() -> tuple[str, bytes]:
    key_id, key = next(iter(token_keys().items()))
    return key_id, key
