import base64
import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from corredor.core.scheduling.tokens import (
    CODE_ALPHABET,
    AppointmentClaim,
    TokenError,
    appointment_code,
    normalise_code,
    sign_claim,
    verify_token,
)

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
KEYS = {"k1": KEY}
TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

keys = st.binary(min_size=16, max_size=64)
days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2100, 12, 31))
short_text = st.text(min_size=1, max_size=40)
codes = st.builds(
    lambda ref, port, day, key, nonce: appointment_code(case_reference=ref, port=port, day=day, key=key, nonce=nonce),
    short_text, short_text, days, keys, st.integers(0, 1000))
claims = st.builds(AppointmentClaim, code=codes, case_reference=short_text, port=short_text, day=days,
                   party_size=st.integers(1, 255))


def sample_claim(**overrides):
    base = dict(case_reference="CR-2026-000123", port="poe-san-ysidro", day=dt.date(2026, 4, 14))
    code = appointment_code(**base, key=b"code-key")
    return AppointmentClaim(code=code, party_size=3, **{**base, **overrides})


# --- appointment codes ----------------------------------------------------------------------------------

def test_code_has_the_documented_shape():
    code = sample_claim().code
    assert len(code) == 12 and code[4] == "-" and code[9] == "-"
    assert set(code.replace("-", "")) <= set(CODE_ALPHABET)
    assert not set(code) & set("ILOU")


def test_code_is_deterministic_and_keyed():
    args = dict(case_reference="CR-2026-000123", port="poe-san-ysidro", day=dt.date(2026, 4, 14))
    assert appointment_code(**args, key=KEY) == appointment_code(**args, key=KEY)
    assert appointment_code(**args, key=KEY) != appointment_code(**args, key=OTHER_KEY)
    assert appointment_code(**args, key=KEY) != appointment_code(**args, key=KEY, nonce=1)


def test_code_rejects_bad_arguments():
    with pytest.raises(ValueError):
        appointment_code(case_reference="CR", port="p", day=dt.date(2026, 1, 1), key=b"")
    with pytest.raises(ValueError):
        appointment_code(case_reference="CR", port="p", day=dt.date(2026, 1, 1), key=KEY, nonce=-1)


def test_codes_are_unique_across_100000_inputs():
    start = dt.date(2026, 1, 1)
    seen = set()
    for n in range(100_000):
        seen.add(appointment_code(case_reference=f"CR-2026-{n:06d}", port=f"poe-{n % 7}",
                                  day=start + dt.timedelta(days=n % 365), key=KEY))
    assert len(seen) == 100_000


def test_fields_are_separated_unambiguously():
    day = dt.date(2026, 4, 14)
    assert (appointment_code(case_reference="CR-1", port="2x", day=day, key=KEY)
            != appointment_code(case_reference="CR-12", port="x", day=day, key=KEY))


@given(codes)
def test_canonical_code_normalises_to_itself(code):
    assert normalise_code(code) == code


@given(codes, st.data())
def test_typed_variants_are_accepted(code, data):
    symbols = code.replace("-", "")
    typed = []
    for ch in symbols:
        options = [ch, ch.lower()]
        if ch == "0":
            options += ["O", "o"]
        if ch == "1":
            options += ["I", "i", "L", "l"]
        typed.append(data.draw(st.sampled_from(options)))
        typed.append(data.draw(st.sampled_from(["", "", " ", "-", "  "])))
    assert normalise_code(" " + "".join(typed) + " ") == code


@given(codes, st.integers(0, 9), st.sampled_from(CODE_ALPHABET))
def test_one_wrong_character_is_rejected(code, position, replacement):
    symbols = list(code.replace("-", ""))
    assume(symbols[position] != replacement)
    symbols[position] = replacement
    assert normalise_code("".join(symbols)) is None


@given(codes, st.integers(0, 8))
def test_swapped_neighbours_are_rejected(code, position):
    symbols = list(code.replace("-", ""))
    assume(symbols[position] != symbols[position + 1])
    symbols[position], symbols[position + 1] = symbols[position + 1], symbols[position]
    assert normalise_code("".join(symbols)) is None


@pytest.mark.parametrize("text", ["", "W0YN-R30P-B", "W0YN-R30P-BYX", "W0YN-R30P-BU", "W0YN-R30P-B?", "ñ" * 10])
def test_malformed_codes_are_rejected(text):
    assert normalise_code(text) is None


# --- tokens ---------------------------------------------------------------------------------------------

@given(claims, keys)
def test_round_trip(claim, key):
    token = sign_claim(claim, key=key, key_id="k1")
    assert verify_token(token, keys={"k1": key}) == claim


def test_typical_token_is_small_and_qr_friendly():
    token = sign_claim(sample_claim(), key=KEY, key_id="k1")
    assert len(token) < 120
    assert set(token) <= set(TOKEN_ALPHABET)  # QR alphanumeric mode


@settings(max_examples=300)
@given(claims, st.data())
def test_any_single_character_change_is_rejected(claim, data):
    token = sign_claim(claim, key=KEY, key_id="k1")
    position = data.draw(st.integers(0, len(token) - 1))
    replacement = data.draw(st.sampled_from(TOKEN_ALPHABET + "abcxyz0189-_=+/ ."))
    assume(replacement != token[position])
    altered = token[:position] + replacement + token[position + 1:]
    with pytest.raises(TokenError):
        verify_token(altered, keys=KEYS)


@given(claims, st.data())
def test_truncation_is_rejected(claim, data):
    token = sign_claim(claim, key=KEY, key_id="k1")
    cut = data.draw(st.integers(0, len(token) - 1))
    with pytest.raises(TokenError):
        verify_token(token[:cut], keys=KEYS)
    with pytest.raises(TokenError):
        verify_token(token[len(token) - cut:] if cut else "", keys=KEYS)


@given(claims, keys)
def test_token_signed_with_another_key_is_rejected(claim, other):
    assume(other != KEY)
    token = sign_claim(claim, key=other, key_id="k1")
    with pytest.raises(TokenError) as excinfo:
        verify_token(token, keys=KEYS)
    assert excinfo.value.code == "bad_signature"


def test_unknown_key_id_is_reported():
    token = sign_claim(sample_claim(), key=KEY, key_id="k2")
    with pytest.raises(TokenError) as excinfo:
        verify_token(token, keys=KEYS)
    assert excinfo.value.code == "unknown_key"


def test_key_rotation_accepts_old_and_new_key_ids():
    old = sign_claim(sample_claim(), key=KEY, key_id="2026a")
    new = sign_claim(sample_claim(), key=OTHER_KEY, key_id="2026b")
    ring = {"2026a": KEY, "2026b": OTHER_KEY}
    assert verify_token(old, keys=ring) == verify_token(new, keys=ring) == sample_claim()


def test_unsupported_version_is_reported():
    raw = bytearray(base64.b32decode(sign_claim(sample_claim(), key=KEY, key_id="k1")))
    raw[0] = 2
    token = base64.b32encode(bytes(raw)).decode().rstrip("=")
    with pytest.raises(TokenError) as excinfo:
        verify_token(token, keys=KEYS)
    assert excinfo.value.code == "unsupported_version"


@pytest.mark.parametrize("token", ["", "not a token", "ÁÉÍ", "AAAA", "A" * 7, "a" * 96])
def test_garbage_is_malformed(token):
    with pytest.raises(TokenError) as excinfo:
        verify_token(token, keys=KEYS)
    assert excinfo.value.code == "malformed"
    assert isinstance(excinfo.value, ValueError)


def test_token_carries_no_name_and_no_clock():
    fields = set(AppointmentClaim.__dataclass_fields__)
    assert fields == {"code", "case_reference", "port", "day", "party_size"}
    claim = sample_claim()
    assert sign_claim(claim, key=KEY, key_id="k1") == sign_claim(claim, key=KEY, key_id="k1")


@pytest.mark.parametrize("claim_overrides, key_id", [
    (dict(code="W0YN-R30P-BX"), "k1"),  # wrong check symbol
    (dict(code="w0yn-r30p-by"), "k1"),  # not canonical
    (dict(party_size=0), "k1"),
    (dict(party_size=256), "k1"),
    (dict(case_reference=""), "k1"),
    (dict(port="x" * 256), "k1"),
    ({}, ""),
    ({}, "key id with spaces"),
])
def test_sign_rejects_claims_it_cannot_encode(claim_overrides, key_id):
    base = sample_claim()
    values = dict(code=base.code, case_reference=base.case_reference, port=base.port, day=base.day,
                  party_size=base.party_size)
    claim = AppointmentClaim(**{**values, **claim_overrides})
    with pytest.raises(ValueError):
        sign_claim(claim, key=KEY, key_id=key_id)
