"""Appointment codes and signed appointment tokens.

An appointment reaches the person as three things they can carry without a smartphone: a short code to
read aloud or type on a keypad, a printed slip, and a QR code. The QR code holds a *token*: the claim
(appointment code, case reference, port, day, party size; never a name) signed with HMAC-SHA256, so the
port can verify it offline with nothing but the key. A forged or altered token is rejected.

Pure standard library: no Django, no clock, no I/O. Keys and dates are explicit arguments.

Appointment code: 10 symbols of Crockford base32 (digits and letters without I, L, O, U), shown as
``XXXX-XXXX-XX``. Nine symbols (45 bits) come from an HMAC of the case reference, port and day, so a code
cannot be guessed from a case reference; the tenth is a check symbol over GF(32) that catches every single
substitution and every transposition of two different symbols.

Token (version 1), encoded in RFC 4648 base32 without padding. Base32 uses only upper-case letters and
digits, which a QR code stores in its compact alphanumeric mode (5.5 bits a character), so the symbol is
no bigger than with base64url in byte mode, and the text survives case-insensitive channels::

    version   1 byte   (1)
    key_id    1 byte length + ASCII
    code      6 bytes  (the 45 data bits; the check symbol is recomputed)
    case_ref  1 byte length + UTF-8
    port      1 byte length + UTF-8
    day       3 bytes  (proleptic Gregorian ordinal, big-endian)
    party     1 byte
    mac       16 bytes (HMAC-SHA256 over everything before it, truncated to 128 bits)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "CODE_ALPHABET",
    "TOKEN_VERSION",
    "AppointmentClaim",
    "TokenError",
    "appointment_code",
    "normalise_code",
    "sign_claim",
    "verify_token",
]

# Crockford base32: no I, L, O (confused with 1 and 0) and no U (avoids accidental obscenities).
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_VALUE = {ch: i for i, ch in enumerate(CODE_ALPHABET)}
# What people type instead: Crockford's own reading rules (O is zero, I and L are one).
_CODE_ALIASES = {"O": "0", "I": "1", "L": "1"}
# Separators people (and phone autocorrect) put in: spaces are handled by str.isspace().
_CODE_SEPARATORS = frozenset("-‐‑‒–—_.")
_CODE_DATA_SYMBOLS = 9
_CODE_LENGTH = _CODE_DATA_SYMBOLS + 1
_CODE_DATA_BITS = 5 * _CODE_DATA_SYMBOLS

TOKEN_VERSION = 1
_MAC_BYTES = 16  # 128 bits: forging needs ~2^128 tries, far beyond anyone's reach, and it keeps the QR small
_CODE_BYTES = 6  # 45 bits fit in 48
_KEY_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,16}")
_MAX_FIELD_BYTES = 255
_MAX_PARTY = 255

# Domain separation: the same secret used for codes and tokens (not recommended, but possible) still
# yields unrelated values.
_CODE_LABEL = b"corredor/appointment-code/v1\x00"
_TOKEN_LABEL = b"corredor/appointment-token\x00"

TokenErrorCode = Literal["malformed", "unknown_key", "bad_signature", "unsupported_version"]


class TokenError(ValueError):
    """A token that must not be honoured. ``code`` says why, for logs and for the officer's screen."""

    def __init__(self, code: TokenErrorCode, message: str = "") -> None:
        super().__init__(message or code)
        self.code: TokenErrorCode = code


@dataclass(frozen=True, slots=True)
class AppointmentClaim:
    """What the port needs to honour an appointment. Deliberately no name: the slip may be lost or seen."""

    code: str  # the short appointment code, canonical "XXXX-XXXX-XX"
    case_reference: str  # e.g. "CR-2026-000123"
    port: str  # port code, e.g. "poe-san-ysidro"
    day: date
    party_size: int


# --- GF(32) check symbol -------------------------------------------------------------------------------
# Arithmetic in GF(2^5) modulo the primitive polynomial x^5 + x^2 + 1. A codeword v_0..v_9 is valid when
# sum(alpha^i * v_i) == 0. Multiplying by a non-zero field element is a bijection, so changing one symbol
# always changes the sum (every single substitution is caught); and alpha^i != alpha^j for i != j < 31,
# so swapping two different symbols is caught too. A mod-32 weighted sum could not promise either.


def _gf32_mul(a: int, b: int) -> int:
    product = 0
    while b:
        if b & 1:
            product ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= 0b100101  # x^5 = x^2 + 1
    return product


def _powers_of_alpha(count: int) -> tuple[int, ...]:
    powers = [1]
    for _ in range(count - 1):
        powers.append(_gf32_mul(powers[-1], 2))
    return tuple(powers)


_WEIGHTS = _powers_of_alpha(_CODE_LENGTH)


def _syndrome(values: list[int]) -> int:
    total = 0
    for weight, value in zip(_WEIGHTS, values, strict=False):
        total ^= _gf32_mul(weight, value)
    return total


def _check_value(data: list[int]) -> int:
    # Solve alpha^9 * c = syndrome(data) for c; 32 candidates are cheaper to read than a field inverse.
    target = _syndrome(data)
    last = _WEIGHTS[_CODE_DATA_SYMBOLS]
    return next(c for c in range(32) if _gf32_mul(last, c) == target)


def _format_code(values: list[int]) -> str:
    symbols = "".join(CODE_ALPHABET[v] for v in values)
    return f"{symbols[:4]}-{symbols[4:8]}-{symbols[8:]}"


def _code_from_bits(bits: int) -> str:
    data = [(bits >> (5 * (_CODE_DATA_SYMBOLS - 1 - i))) & 31 for i in range(_CODE_DATA_SYMBOLS)]
    return _format_code([*data, _check_value(data)])


def _code_bits(canonical: str) -> int:
    bits = 0
    for ch in canonical.replace("-", "")[:_CODE_DATA_SYMBOLS]:
        bits = (bits << 5) | _CODE_VALUE[ch]
    return bits


def _field(value: str, what: str) -> bytes:
    raw = value.encode("utf-8")
    if len(raw) > _MAX_FIELD_BYTES:
        raise ValueError(f"{what} is longer than {_MAX_FIELD_BYTES} bytes in UTF-8")
    return bytes([len(raw)]) + raw


def appointment_code(*, case_reference: str, port: str, day: date, key: bytes, nonce: int = 0) -> str:
    """The short appointment code for a case's appointment at a port on a day, e.g. ``"7K3M-Q9PX-2D"``.

    Derived with HMAC-SHA256 under ``key`` so nobody can compute a code from a case reference. The code
    space is 2^45, so collisions are rare but possible: the caller keeps codes unique (a database
    constraint) and, on a collision, asks again with ``nonce`` + 1.
    """
    if not key:
        raise ValueError("key must not be empty")
    if nonce < 0:
        raise ValueError("nonce must not be negative")
    message = (_CODE_LABEL + _field(case_reference, "case_reference") + _field(port, "port")
               + day.toordinal().to_bytes(3, "big") + nonce.to_bytes(8, "big"))
    digest = hmac.new(key, message, hashlib.sha256).digest()
    bits = int.from_bytes(digest[:_CODE_BYTES], "big") >> (8 * _CODE_BYTES - _CODE_DATA_BITS)
    return _code_from_bits(bits)


def normalise_code(text: str) -> str | None:
    """The canonical ``XXXX-XXXX-XX`` form of a code as someone typed or read it, or None if it is wrong.

    Accepts lower case, spaces, missing or extra dashes, and the letters O, I, L for 0, 1, 1. Returns None
    when the length or a character is wrong or the check symbol does not match (a typo).
    """
    symbols: list[int] = []
    for ch in text:
        if ch.isspace() or ch in _CODE_SEPARATORS:
            continue
        upper = ch.upper()
        upper = _CODE_ALIASES.get(upper, upper)
        value = _CODE_VALUE.get(upper)
        if value is None:
            return None
        symbols.append(value)
        if len(symbols) > _CODE_LENGTH:
            return None
    if len(symbols) != _CODE_LENGTH or _syndrome(symbols) != 0:
        return None
    return _format_code(symbols)


def _encode_claim_body(claim: AppointmentClaim, key_id: str) -> bytes:
    if not _KEY_ID_RE.fullmatch(key_id):
        raise ValueError("key_id must be 1-16 characters of A-Z, a-z, 0-9, '_' or '-'")
    if normalise_code(claim.code) != claim.code:
        raise ValueError("claim.code must be a canonical appointment code (see normalise_code)")
    if not claim.case_reference or not claim.port:
        raise ValueError("case_reference and port must not be empty")
    if not 1 <= claim.party_size <= _MAX_PARTY:
        raise ValueError(f"party_size must be between 1 and {_MAX_PARTY}")
    return (bytes([TOKEN_VERSION]) + _field(key_id, "key_id")
            + _code_bits(claim.code).to_bytes(_CODE_BYTES, "big")
            + _field(claim.case_reference, "case_reference") + _field(claim.port, "port")
            + claim.day.toordinal().to_bytes(3, "big") + bytes([claim.party_size]))


def _mac(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, _TOKEN_LABEL + body, hashlib.sha256).digest()[:_MAC_BYTES]


def _b32encode(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def _b32decode(text: str) -> bytes:
    if not text.isascii() or not text.isalnum() or not text.isupper():
        raise TokenError("malformed", "token is not upper-case base32")
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError) as exc:
        raise TokenError("malformed", "token is not valid base32") from exc
    # Base32 characters carry 5 bits, so the last one may carry unused bits; without this check two tokens
    # differing in those bits would both verify, and "any changed character is rejected" would not hold.
    if _b32encode(raw) != text:
        raise TokenError("malformed", "token is not in canonical base32")
    return raw


def sign_claim(claim: AppointmentClaim, *, key: bytes, key_id: str) -> str:
    """A compact signed token for the QR code (upper-case base32, under 100 characters for usual values).

    ``key_id`` names ``key`` inside the token so the port can hold several keys while keys are rotated.
    Raises ValueError for a claim that cannot be encoded (non-canonical code, empty or overlong fields,
    party size outside 1-255, malformed key id).
    """
    if not key:
        raise ValueError("key must not be empty")
    body = _encode_claim_body(claim, key_id)
    return _b32encode(body + _mac(key, body))


class _Reader:
    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.at = 0

    def take(self, count: int) -> bytes:
        if self.at + count > len(self.raw):
            raise TokenError("malformed", "token is too short")
        chunk = self.raw[self.at:self.at + count]
        self.at += count
        return chunk

    def field(self) -> str:
        try:
            return self.take(self.take(1)[0]).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TokenError("malformed", "token field is not UTF-8") from exc


def verify_token(token: str, *, keys: Mapping[str, bytes]) -> AppointmentClaim:
    """The claim inside a token, after checking its signature against ``keys`` (key id -> key).

    Raises TokenError with ``code`` "malformed" (not a token), "unsupported_version", "unknown_key" (key id
    not in ``keys``: retired, or from another system) or "bad_signature" (forged or altered). The MAC is
    compared in constant time. The caller still checks the claim against the day and the port.
    """
    raw = _b32decode(token.strip())
    if len(raw) < 2 + _MAC_BYTES:
        raise TokenError("malformed", "token is too short")
    if raw[0] != TOKEN_VERSION:
        raise TokenError("unsupported_version", f"token version {raw[0]} is not supported")
    body, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
    reader = _Reader(body)
    reader.take(1)
    key_id = reader.field()
    key = keys.get(key_id)
    if key is None:
        raise TokenError("unknown_key", "token was signed with a key this port does not hold")
    # Authenticate everything before parsing the rest: an unauthenticated payload is never interpreted.
    if not hmac.compare_digest(_mac(key, body), mac):
        raise TokenError("bad_signature", "token signature does not match")
    code_bits = int.from_bytes(reader.take(_CODE_BYTES), "big")
    case_reference = reader.field()
    port = reader.field()
    ordinal = int.from_bytes(reader.take(3), "big")
    party_size = reader.take(1)[0]
    if reader.at != len(body) or code_bits >> _CODE_DATA_BITS:
        raise TokenError("malformed", "token has unexpected content")
    try:
        day = date.fromordinal(ordinal)
    except ValueError as exc:
        raise TokenError("malformed", "token day is out of range") from exc
    return AppointmentClaim(code=_code_from_bits(code_bits), case_reference=case_reference, port=port,
                            day=day, party_size=party_size)
