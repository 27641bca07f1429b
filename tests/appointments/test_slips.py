"""Slips from plain data: no database, no Django. PDF text is read by inflating the content streams."""

import dataclasses
import datetime as dt
import re
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corredor.appointments.slips import (
    SlipData,
    gsm7_length,
    qr_matrix,
    qr_runs,
    qr_svg,
    slip_pdf,
    slip_sms,
    slip_text,
    sms_segments,
    to_gsm7,
)
from corredor.core.scheduling.tokens import AppointmentClaim, appointment_code, sign_claim

DAY = dt.date(2026, 4, 14)  # a Tuesday
CODE = appointment_code(case_reference="CR-2026-000123", port="poe-san-ysidro", day=DAY, key=b"code-key")
TOKEN = sign_claim(AppointmentClaim(CODE, "CR-2026-000123", "poe-san-ysidro", DAY, 3), key=b"token-key", key_id="k1")
FULL_NAMES = ("Rosa María López", "Kevin López", "María José Núñez Castañeda", "Li Wu")


def make_slip(**overrides):
    base = dict(
        code=CODE, token=TOKEN, case_reference="CR-2026-000123", port_name="San Ysidro (PedWest)",
        port_address_hint="Entrada peatonal oeste, junto a la plaza Puerta México, Tijuana", day=DAY,
        arrive_by="07:00", time_zone_label="hora del Pacífico (Tijuana / San Ysidro)", party_size=3,
        members_initials=("R. M. L.", "K. L.", "M. J. N. C."),
        what_to_bring=("Esta hoja impresa o su código de cita", "Medicamentos y recetas médicas",
                       "¿Tiene documentos? Tráigalos; ¡no son obligatorios!"),
        status_url=f"https://corredor.example.org/cita/{CODE}")
    base.update(overrides)
    return SlipData(**base)


def pdf_text(pdf: bytes) -> bytes:
    """The page content: every Flate stream inflated (fpdf2 writes core-font text as literal strings)."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            out.append(match.group(1))
    return b"\n".join(out)


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


# --- QR -------------------------------------------------------------------------------------------------

def test_qr_svg_is_inline_svg():
    svg = qr_svg(TOKEN)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg
    assert qr_svg(TOKEN, scale=8) != svg
    with pytest.raises(ValueError):
        qr_svg(TOKEN, scale=0)


def test_qr_matrix_is_level_m_and_square():
    matrix = qr_matrix(TOKEN)
    assert len(matrix) == len(matrix[0]) == 37  # version 5: 96 base32 characters in alphanumeric mode at M
    # The three finder patterns: a 7x7 dark border in three corners.
    for r, c in ((0, 0), (0, 30), (30, 0)):
        assert all(matrix[r][c + i] and matrix[r + 6][c + i] and matrix[r + i][c] and matrix[r + i][c + 6]
                   for i in range(7))


@given(st.lists(st.lists(st.booleans(), min_size=1, max_size=12), min_size=1, max_size=12))
def test_runs_cover_exactly_the_dark_modules(matrix):
    covered = set()
    for row, col, length in qr_runs(matrix):
        assert length >= 1
        cells = {(row, col + i) for i in range(length)}
        assert not cells & covered
        covered |= cells
    assert covered == {(r, c) for r, row in enumerate(matrix) for c, dark in enumerate(row) if dark}


def test_runs_are_maximal():
    assert qr_runs([[True, True, False, True], [False, False, False, False], [True, True, True, True]]) == [
        (0, 0, 2), (0, 3, 1), (2, 0, 4)]


def test_pdf_draws_one_filled_rectangle_per_run_covering_every_dark_module():
    matrix = qr_matrix(TOKEN)
    runs = qr_runs(matrix)
    dark = sum(dark for row in matrix for dark in row)
    assert sum(length for _, _, length in runs) == dark
    content = pdf_text(slip_pdf(make_slip(), language="es"))
    filled = re.findall(rb"(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re f", content)
    assert len(filled) == len(runs)  # the QR is the only filled shape on the slip
    # Widths are whole multiples of one module, and they add up to the dark modules.
    heights = {float(h) for *_, h in filled}
    module = abs(next(iter(heights)))
    assert all(abs(abs(h) - module) < 0.02 for h in heights)
    assert round(sum(float(w) for _, _, w, _ in filled) / module) == dark


# --- PDF ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["es", "en"])
def test_pdf_is_one_page_with_the_code(language):
    pdf = slip_pdf(make_slip(), language=language)
    assert pdf.startswith(b"%PDF-")
    assert page_count(pdf) == 1
    content = pdf_text(pdf)
    assert CODE.encode() in content
    assert b"CR-2026-000123" in content
    assert b"R. M. L., K. L., M. J. N. C." in content


def test_pdf_keeps_spanish_accents():
    content = pdf_text(slip_pdf(make_slip(), language="es"))
    for word in ("código", "teléfono", "electrónico", "fotografía", "Pacífico", "México", "¿Tiene", "¡no",
                 "médicas", "miércoles" if DAY.weekday() == 2 else "martes"):
        assert word.encode("latin-1") in content, word


def test_pdf_says_free_and_no_smartphone_in_both_languages():
    es = pdf_text(slip_pdf(make_slip(), language="es"))
    en = pdf_text(slip_pdf(make_slip(), language="en"))
    assert "No necesita teléfono inteligente, correo electrónico ni fotografía".encode("latin-1") in es
    assert b"gratuita" in es
    assert b"No smartphone, email or photo needed" in en and b"Free of charge" in en


def test_pdf_survives_text_outside_latin1():
    slip = make_slip(port_name="Puerto “Chaparral” – Tijuana • Ω", what_to_bring=("Agua…", "Łódź ☂ 中文"))
    pdf = slip_pdf(slip, language="es")
    content = pdf_text(pdf)
    assert b'Puerto "Chaparral" - Tijuana' in content and b"Agua..." in content
    assert "Lódz ? ??".encode("latin-1") in content


def test_long_content_still_fits_one_page():
    slip = make_slip(
        port_name="Puerto de entrada internacional San Ysidro, cruce peatonal PedWest, Tijuana, Baja California " * 2,
        port_address_hint="Calle muy larga " * 12,
        members_initials=tuple(f"A. B. {chr(65 + i)}." for i in range(20)), party_size=20,
        what_to_bring=tuple(f"Cosa número {i} que conviene traer al puerto de entrada, por si acaso"
                            for i in range(40)))
    for language, more in (("es", "y más; consulte en línea"), ("en", "and more; see online")):
        pdf = slip_pdf(slip, language=language)
        assert page_count(pdf) == 1
        content = pdf_text(pdf)
        assert CODE.encode() in content
        assert more.encode("latin-1") in content  # the list was cut short, and says so
        assert "Cosa número 0 ".encode("latin-1") in content


def test_unknown_language_is_refused_and_region_variants_accepted():
    with pytest.raises(ValueError):
        slip_pdf(make_slip(), language="fr")
    assert slip_text(make_slip(), language="es-MX") == slip_text(make_slip(), language="es")
    assert slip_sms(make_slip(), language="en_US") == slip_sms(make_slip(), language="en")


def test_slip_text_lines_in_reading_order():
    lines = slip_text(make_slip(), language="en").lines()
    assert lines[0] == "Port of entry appointment"
    assert CODE in lines
    assert "Date: Tuesday 14 April 2026" in lines
    assert lines.index("What to bring") < lines.index(make_slip().status_url)
    es = slip_text(make_slip(), language="es").lines()
    assert "Fecha: martes 14 de abril de 2026" in es
    assert "Personas: 3 personas: R. M. L., K. L., M. J. N. C." in es


# --- no names -------------------------------------------------------------------------------------------

def test_slip_data_has_no_name_field():
    names = {f.name for f in dataclasses.fields(SlipData)}
    assert not {n for n in names if "name" in n} - {"port_name"}


@pytest.mark.parametrize("full_name", FULL_NAMES)
def test_full_names_are_refused_as_initials(full_name):
    with pytest.raises(ValueError):
        make_slip(members_initials=("K. L.", full_name))


@pytest.mark.parametrize("initials", ["R. M. L.", "R.M.L.", "J.-P. Á.", "Ñ. Ü.", "k l"])
def test_initials_in_usual_spellings_are_accepted(initials):
    assert make_slip(members_initials=(initials,)).members_initials == (initials,)


def test_outputs_carry_initials_but_never_the_names_they_came_from():
    slip = make_slip()
    pdf = slip_pdf(slip, language="es")
    texts = [pdf_text(pdf).decode("latin-1"), slip_sms(slip, language="es"), slip_sms(slip, language="en"),
             "\n".join(slip_text(slip, language="en").lines())]
    for text in texts:
        for name in FULL_NAMES:
            for part in name.split():
                assert not re.search(rf"\b{re.escape(part)}\b", text), part


@pytest.mark.parametrize("field, value", [("party_size", 0), ("arrive_by", "7am"), ("arrive_by", "25:00")])
def test_invalid_slip_data_is_refused(field, value):
    with pytest.raises(ValueError):
        make_slip(**{field: value})


# --- SMS ------------------------------------------------------------------------------------------------

def test_sms_texts_fit_one_segment():
    es = slip_sms(make_slip(), language="es")
    en = slip_sms(make_slip(), language="en")
    for sms in (es, en):
        assert gsm7_length(sms) <= 160 and sms_segments(sms) == 1
        assert CODE in sms and "07:00" in sms and "San Ysidro" in sms
        assert f"corredor.example.org/cita/{CODE}" in sms and "https://" not in sms
    assert "14 abr 2026" in es and "Gratis" in es
    assert "14 Apr 2026" in en and "Free" in en


def test_sms_drops_accents_gsm7_lacks_and_keeps_those_it_has():
    assert to_gsm7("Día sábado, ¿canción? ¡Ñandú! pingüino café") == "Dia sabado, ¿cancion? ¡Ñandu! pingüino café"
    assert to_gsm7("“x” – ☂") == '"x" - ?'
    sms = slip_sms(make_slip(port_name="Puerto Ángel (Mié)"), language="es")
    assert "Puerto Angel (Mié)" in sms
    gsm7_length(sms)  # raises if anything outside GSM-7 slipped through


def test_gsm7_length_counts_extension_characters_twice():
    assert gsm7_length("abc") == 3
    assert gsm7_length("€[]") == 6
    with pytest.raises(ValueError):
        gsm7_length("á")
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 161) == 2
    assert sms_segments("a" * 306) == 2
    assert sms_segments("a" * 307) == 3


long_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                    max_size=400)


@settings(max_examples=150)
@given(port_name=long_text, language=st.sampled_from(["es", "en"]), url_tail=st.text("abc/-_~{}", max_size=60))
def test_sms_never_exceeds_two_segments(port_name, language, url_tail):
    slip = make_slip(port_name=port_name, status_url=f"https://corredor.example.org/c/{CODE}/{url_tail}")
    sms = slip_sms(slip, language=language)
    assert gsm7_length(sms) <= 306
    assert CODE in sms and "07:00" in sms


@pytest.mark.parametrize("language", ["es", "en"])
def test_long_port_name_uses_two_segments_before_truncating(language):
    port = "Puerto de entrada internacional San Ysidro, cruce peatonal PedWest, Tijuana, Baja California"
    sms = slip_sms(make_slip(port_name=port), language=language)
    assert sms_segments(sms) == 2 and port in sms
    huge = port * 5
    sms = slip_sms(make_slip(port_name=huge), language=language)
    assert sms_segments(sms) == 2 and "..." in sms and port[:40] in sms
