"""Appointment slips: the QR code, the printable one-page PDF and the SMS text, from plain data.

A person waiting for a port-of-entry appointment may have no smartphone, no email and no wish to be
photographed, so the appointment must work on paper and over plain SMS: a short code, the day and the
time, the port, who may come (as initials, never names), and a QR code holding the signed token that the
port verifies offline. No models, no database and no Django translation machinery: the language is an
explicit argument ("es" or "en"; Spanish comes first because most people served read Spanish), and the
labels live here, next to the layout they must fit.

PDF text uses the PDF core fonts (Helvetica, Courier) with Latin-1 text: every Spanish character
(á é í ó ú ñ ü ¿ ¡) is in Latin-1, nothing needs to be embedded, and it works offline on any server.
Characters outside Latin-1 in free text (names of places, items) are transliterated (see ``_latin1``).

SMS text is limited to the GSM 03.38 7-bit alphabet so a message costs one segment of 160 characters:
a single character outside it (such as á, í, ó or ú, which GSM-7 lacks) would switch the whole message to
UCS-2 and cut a segment to 70 characters. Such characters lose their accent (á→a, í→i, ó→o, ú→u); é, ñ,
ü, ¿ and ¡ are GSM-7 and kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

__all__ = [
    "LANGUAGES",
    "SlipData",
    "SlipText",
    "gsm7_length",
    "qr_matrix",
    "qr_runs",
    "qr_svg",
    "slip_pdf",
    "slip_sms",
    "slip_text",
    "sms_segments",
    "to_gsm7",
]

LANGUAGES = ("es", "en")

# One letter per part. Two would let short full names through ("Li", "Wu", "Ng" are whole surnames).
_INITIAL_PART = re.compile(r"[^\W\d_]")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


@dataclass(frozen=True)
class SlipData:
    """Everything a slip shows. There is no name field by design; members appear as initials only."""

    code: str
    token: str
    case_reference: str
    port_name: str
    port_address_hint: str
    day: date
    arrive_by: str  # "HH:MM", 24-hour, local time at the port
    time_zone_label: str  # e.g. "hora del Pacífico (Tijuana / San Ysidro)"
    party_size: int
    members_initials: tuple[str, ...]  # e.g. ("R. M. L.", "K. L.")
    what_to_bring: tuple[str, ...]  # plain items in the slip's language
    status_url: str  # public status lookup URL for the code

    def __post_init__(self) -> None:
        # A slip can be lost, photographed or taken at a checkpoint; refusing anything that looks like a
        # name here is cheaper than finding one printed later.
        for initials in self.members_initials:
            parts = [p for p in re.split(r"[\s.\-]+", initials) if p]
            if not parts or len(parts) > 12 or not all(_INITIAL_PART.fullmatch(p) for p in parts):
                raise ValueError(f"members_initials must hold initials only, like 'R. M. L.', not {initials!r}")
        if not 1 <= self.party_size <= 255:
            raise ValueError("party_size must be between 1 and 255")
        if not _TIME.fullmatch(self.arrive_by):
            raise ValueError("arrive_by must be a 24-hour time 'HH:MM'")


# --- words ---------------------------------------------------------------------------------------------

_LABELS: dict[str, dict[str, str]] = {
    "es": {
        "title": "Cita en el puerto de entrada",
        "other_title": "Port of entry appointment",
        "free": "Cita gratuita. No necesita teléfono inteligente, correo electrónico ni fotografía.",
        "code": "Su código de cita",
        "date": "Fecha",
        "arrive": "Hora de llegada",
        "arrive_value": "A más tardar a las {time}",
        "port": "Puerto de entrada",
        "party": "Personas",
        "person_one": "persona",
        "person_many": "personas",
        "case": "Referencia del caso",
        "bring": "Qué debe traer",
        "status": "Consulte el estado de su cita con su código en:",
        "qr": "El personal del puerto escaneará este código.",
        "fraud": "Esta cita es gratuita. Nadie puede cobrarle por ella: si alguien le pide dinero, es un fraude.",
        "keep": "Traiga esta hoja impresa o, si no puede, anote su código de cita.",
        "more": "y más; consulte en línea",
        # SMS: 'h' after the time reads naturally in Mexican Spanish ("07:00 h").
        "sms_full": "Su cita: {code}. {date}. Llegue antes de las {time} h (hora local) a {port}. {party}."
                    " Es gratis. Estado: {url}",
        "sms_compact": "Cita {code}: {date}, antes de {time} h, {port}. Gratis. {url}",
        "sms_no_url": "Su cita: {code}. {date}. Llegue antes de las {time} h (hora local) a {port}. {party}."
                      " Es gratis.",
    },
    "en": {
        "title": "Port of entry appointment",
        "other_title": "Cita en el puerto de entrada",
        "free": "Free of charge. No smartphone, email or photo needed.",
        "code": "Your appointment code",
        "date": "Date",
        "arrive": "Arrival time",
        "arrive_value": "No later than {time}",
        "port": "Port of entry",
        "party": "People",
        "person_one": "person",
        "person_many": "people",
        "case": "Case reference",
        "bring": "What to bring",
        "status": "Check your appointment status with your code at:",
        "qr": "Port staff will scan this code.",
        "fraud": "This appointment is free. Nobody may charge you for it: if anyone asks you for money, it is a"
                 " fraud.",
        "keep": "Bring this printed page or, if you cannot, write down your appointment code.",
        "more": "and more; see online",
        "sms_full": "Your appointment: {code}. {date}. Arrive by {time} (local time) at {port}. {party}."
                    " It is free. Status: {url}",
        "sms_compact": "Appt {code}: {date}, by {time}, {port}. Free. {url}",
        "sms_no_url": "Your appointment: {code}. {date}. Arrive by {time} (local time) at {port}. {party}."
                      " It is free.",
    },
}

_WEEKDAYS = {
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}


def _language(language: str) -> str:
    # Accept the region variants a browser or a profile may carry ("es-MX", "en_US").
    base = language.lower().replace("_", "-").split("-")[0]
    if base not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    return base


def _long_date(day: date, language: str) -> str:
    weekday, month = _WEEKDAYS[language][day.weekday()], _MONTHS[language][day.month - 1]
    if language == "es":
        return f"{weekday} {day.day} de {month} de {day.year}"
    # Day before month in English too: the reader may be used to either order, and a spelled-out month
    # with the day first cannot be misread.
    return f"{weekday} {day.day} {month} {day.year}"


def _short_date(day: date, language: str) -> str:
    weekday, month = _WEEKDAYS[language][day.weekday()][:3], _MONTHS[language][day.month - 1][:3]
    return f"{weekday} {day.day} {month} {day.year}"


def _party(slip: SlipData, labels: dict[str, str]) -> str:
    noun = labels["person_one"] if slip.party_size == 1 else labels["person_many"]
    return f"{slip.party_size} {noun}"


# --- QR code -------------------------------------------------------------------------------------------

def _qr(token: str) -> segno.QRCode:
    # Level M exactly (boost_error off) so every slip carries the same, predictable symbol for a token.
    return segno.make_qr(token, error="m", boost_error=False)


def qr_svg(token: str, *, scale: int = 4) -> str:
    """The token as an inline SVG QR code (no XML declaration), error correction M, for an HTML page."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    svg: str = _qr(token).svg_inline(scale=scale)
    return svg


def qr_matrix(token: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code's modules without the quiet zone, row by row; True is dark."""
    return tuple(tuple(bool(v) for v in row) for row in _qr(token).matrix_iter(scale=1, border=0))


def qr_runs(matrix: Sequence[Sequence[bool]]) -> list[tuple[int, int, int]]:
    """Horizontal runs of dark modules as (row, column, length).

    One filled rectangle per run instead of per module: about half the drawing operations, and
    no hairline seams between neighbouring modules of a row when a viewer anti-aliases.
    """
    runs: list[tuple[int, int, int]] = []
    for r, row in enumerate(matrix):
        start: int | None = None
        for c, dark in enumerate([*row, False]):
            if dark and start is None:
                start = c
            elif not dark and start is not None:
                runs.append((r, start, c - start))
                start = None
    return runs


# --- text ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SlipText:
    """The words on a slip, in order, before layout: what the PDF prints, and what tests can read."""

    title: str
    other_title: str
    free: str
    code_label: str
    code: str
    details: tuple[tuple[str, str], ...]  # (label, value)
    qr_caption: str
    bring_title: str
    bring: tuple[str, ...]
    status_label: str
    status_url: str
    notices: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """Every piece of text, one per line, in reading order."""
        out = [self.title, self.other_title, self.free, self.code_label, self.code]
        out += [f"{label}: {value}" for label, value in self.details]
        out += [self.qr_caption, self.bring_title, *self.bring, self.status_label, self.status_url, *self.notices]
        return out


def slip_text(slip: SlipData, *, language: str) -> SlipText:
    """The words of the slip in ``language`` ("es" or "en"), before layout."""
    lang = _language(language)
    labels = _LABELS[lang]
    party = _party(slip, labels)
    if slip.members_initials:
        party += ": " + ", ".join(slip.members_initials)
    port = slip.port_name + (f"\n{slip.port_address_hint}" if slip.port_address_hint else "")
    arrive = labels["arrive_value"].format(time=slip.arrive_by)
    if slip.time_zone_label:
        arrive += f"\n{slip.time_zone_label}"
    details = (
        (labels["date"], _long_date(slip.day, lang)),
        (labels["arrive"], arrive),
        (labels["port"], port),
        (labels["party"], party),
        (labels["case"], slip.case_reference),
    )
    return SlipText(title=labels["title"], other_title=labels["other_title"], free=labels["free"],
                    code_label=labels["code"], code=slip.code, details=details, qr_caption=labels["qr"],
                    bring_title=labels["bring"], bring=slip.what_to_bring, status_label=labels["status"],
                    status_url=slip.status_url, notices=(labels["fraud"], labels["keep"]))


# Letters that Unicode does not decompose into a base letter and an accent, so NFKD alone would lose them.
_FOLD = {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "Œ": "OE", "œ": "oe"}
_TYPOGRAPHY = str.maketrans({**_FOLD, "‘": "'", "’": "'", "‚": ",", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-",
                             "‐": "-", "‑": "-", "•": "·", "…": "...", "\u00a0": " ", "€": "EUR"})


def _latin1(text: str) -> str:
    """Text the PDF core fonts can print: typographic marks simplified, other letters without accents."""
    out = []
    for ch in text.translate(_TYPOGRAPHY):
        if ord(ch) < 256:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if ord(c) < 256 and not unicodedata.combining(c))
        out.append(base or "?")
    return "".join(out)


# --- PDF -----------------------------------------------------------------------------------------------

# A4 is 210 x 297 mm and Letter 215.9 x 279.4 mm: the page is A4, and everything stays inside both (narrower
# than A4, shorter than Letter) so the slip prints whole at 100% on either paper.
_PAGE_W = 210.0
_MARGIN = 15.0
_BOTTOM = 279.4 - 12.0
_QR_BOX = 60.0  # mm including the 4-module quiet zone: about 1.3 mm modules for a version-5 symbol
_INK = (0, 0, 0)
_GREY = (90, 90, 90)


def _draw_qr(pdf: FPDF, token: str, x: float, y: float, size: float) -> None:
    matrix = qr_matrix(token)
    quiet = 4
    module = size / (len(matrix) + 2 * quiet)
    pdf.set_fill_color(*_INK)
    for row, col, length in qr_runs(matrix):
        pdf.rect(x + (col + quiet) * module, y + (row + quiet) * module, length * module, module, style="F")


def _render(slip: SlipData, text: SlipText, language: str, scale: float, bring: Sequence[str]) -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=297.0 - _BOTTOM)
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_title(_latin1(f"{text.title} {slip.code}"))
    pdf.set_lang(language)  # screen readers pick the right voice
    pdf.set_creator("Corredor")
    pdf.add_page()
    width = _PAGE_W - 2 * _MARGIN

    def write(size: float, value: str, *, style: str = "", w: float = width, grey: bool = False,
              family: str = "Helvetica", align: str = "L", border: Literal[0, 1] = 0, after: float = 0.0) -> None:
        pdf.set_font(family, style=style, size=size * scale)
        pdf.set_text_color(*(_GREY if grey else _INK))
        # Line height in mm for a size in points, with some air between lines.
        pdf.multi_cell(w, size * scale * 0.47, _latin1(value), border=border, align=align,
                       padding=(2, 3) if border else 0, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(after * scale)

    # Title, and the title in the other language in small print for whoever helps the reader.
    write(22, text.title, style="B")
    write(10, text.other_title, grey=True, after=3)

    # Free of charge, and nothing else needed: boxed, because people are charged for "appointments".
    pdf.set_draw_color(*_INK)
    pdf.set_line_width(0.6)
    write(12, text.free, style="B", align="C", border=1, after=5)

    # The QR code on the right; the code, big, and the details down the left column.
    top = pdf.get_y()
    qr_size = _QR_BOX * max(scale, 0.85)
    qr_x = _PAGE_W - _MARGIN - qr_size
    left_w = qr_x - _MARGIN - 3
    _draw_qr(pdf, slip.token, qr_x, top, qr_size)
    pdf.set_xy(qr_x, top + qr_size)
    pdf.set_left_margin(qr_x)
    write(8.5, text.qr_caption, w=qr_size, grey=True, align="C")
    pdf.set_left_margin(_MARGIN)
    qr_bottom = pdf.get_y()

    pdf.set_xy(_MARGIN, top + 2)
    write(10, text.code_label, w=left_w, grey=True, after=1)
    # Courier: every symbol the same width, so the groups line up and the code is easy to copy by hand.
    write(30, text.code, style="B", family="Courier", w=left_w, after=5)

    label_w = 36.0
    for label, value in text.details:
        y = pdf.get_y()
        pdf.set_xy(_MARGIN, y + 0.7 * scale)
        write(10, label, w=label_w, grey=True)
        label_bottom = pdf.get_y()
        pdf.set_xy(_MARGIN + label_w, y)
        pdf.set_left_margin(_MARGIN + label_w)
        write(12.5, value, style="B", w=left_w - label_w)
        pdf.set_left_margin(_MARGIN)
        pdf.set_y(max(pdf.get_y(), label_bottom) + 3 * scale)

    pdf.set_y(max(pdf.get_y(), qr_bottom) + 2 * scale)
    pdf.set_line_width(0.2)
    pdf.line(_MARGIN, pdf.get_y(), _PAGE_W - _MARGIN, pdf.get_y())
    pdf.ln(5 * scale)

    if bring:
        write(14, text.bring_title, style="B", after=2)
        pdf.set_left_margin(_MARGIN + 8)
        for item in bring:
            pdf.set_font("Helvetica", size=12 * scale)
            pdf.set_xy(_MARGIN + 2, pdf.get_y())
            pdf.cell(6, 12 * scale * 0.47, "-")
            write(12, item, w=width - 8, after=1.5)
        pdf.set_left_margin(_MARGIN)
        pdf.ln(4 * scale)

    write(10, text.status_label, grey=True, after=0.5)
    write(12.5, text.status_url, style="B", after=6)

    first, *rest = text.notices or ("",)
    write(11, first, style="B", after=2)  # the warning against paying for the appointment stands out
    for notice in rest:
        write(11, notice, after=2)
    return pdf


_SCALES = (1.0, 0.92, 0.84, 0.76)  # type sizes relative to the designed slip


def _fits(pdf: FPDF) -> bool:
    return pdf.page_no() == 1 and pdf.get_y() <= _BOTTOM


def slip_pdf(slip: SlipData, *, language: str) -> bytes:
    """The printable one-page slip as PDF bytes, in ``language`` ("es" or "en").

    Fits A4 and Letter. Long content is set smaller until it fits one page; a very long list of things to
    bring is cut short with a pointer to the status page rather than spill onto a second sheet.
    """
    lang = _language(language)
    text = slip_text(slip, language=lang)
    items = list(text.bring)
    for scale in _SCALES:
        pdf = _render(slip, text, lang, scale, items)
        if _fits(pdf):
            return bytes(pdf.output())
    # Still too long at the smallest size: keep as many items as fit (found by bisection, since each try
    # is a full layout), and end the list with a line saying there is more.
    more = _LABELS[lang]["more"]
    best: FPDF | None = None
    low, high = 0, len(items) - 1  # the answer is the largest count in [low, high] that fits
    while low <= high:
        kept = (low + high) // 2
        pdf = _render(slip, text, lang, _SCALES[-1], [*items[:kept], more] if kept else [])
        if _fits(pdf):
            best, low = pdf, kept + 1
        else:
            high = kept - 1
    if best is None:
        raise ValueError("slip content does not fit on one page even at the smallest size")
    return bytes(best.output())


# --- SMS -----------------------------------------------------------------------------------------------

# GSM 03.38 default alphabet (one septet each) and its extension table (escape + character: two septets).
_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
_SMS_SINGLE = 160
_SMS_PART = 153  # a concatenated message spends 7 septets of each part on the header
_SMS_MAX_SEGMENTS = 2
_SMS_TRANSLATE = str.maketrans({**_FOLD, "‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...",
                                "\u00a0": " ", "\t": " ", "•": "-", "·": "-"})


def to_gsm7(text: str) -> str:
    """``text`` in the GSM-7 alphabet: accents GSM-7 lacks are dropped (á→a), other characters become '?'."""
    out = []
    for ch in text.translate(_SMS_TRANSLATE):
        if ch in _GSM7_BASIC or ch in _GSM7_EXTENDED:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if base and all(c in _GSM7_BASIC for c in base) else "?")
    return "".join(out)


def gsm7_length(text: str) -> int:
    """Septets ``text`` takes in GSM-7 (extension characters count twice). Raises ValueError off the alphabet."""
    total = 0
    for ch in text:
        if ch in _GSM7_BASIC:
            total += 1
        elif ch in _GSM7_EXTENDED:
            total += 2
        else:
            raise ValueError(f"{ch!r} is not in the GSM-7 alphabet")
    return total


def sms_segments(text: str) -> int:
    """How many SMS segments a GSM-7 ``text`` takes."""
    septets = gsm7_length(text)
    return 1 if septets <= _SMS_SINGLE else -(-septets // _SMS_PART)


def _short_url(url: str) -> str:
    # The scheme and "www." cost characters and phones link a bare host name anyway.
    short = re.sub(r"^https?://", "", url.strip(), flags=re.IGNORECASE)
    short = re.sub(r"^www\.", "", short, flags=re.IGNORECASE)
    return short.rstrip("/")


def _truncate_words(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 3, 1)]
    if " " in cut[len(cut) // 2:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.-") + "..."


def _candidates(slip: SlipData, language: str) -> Iterable[tuple[str, int]]:
    labels = _LABELS[language]
    values = dict(code=slip.code, date=_short_date(slip.day, language), time=slip.arrive_by,
                  party=_party(slip, labels), url=to_gsm7(_short_url(slip.status_url)))
    port = to_gsm7(" ".join(slip.port_name.split()))

    def fill(template: str, port_name: str) -> str:
        return to_gsm7(labels[template].format(port=port_name, **values))

    limit_one, limit_two = _SMS_SINGLE, _SMS_MAX_SEGMENTS * _SMS_PART
    # Everything in one segment, then the short wording in one segment, then everything in two.
    yield fill("sms_full", port), limit_one
    yield fill("sms_compact", port), limit_one
    yield fill("sms_full", port), limit_two
    # Only an unusually long port name or URL gets here: shorten the port name, then give up the URL.
    for template in ("sms_full", "sms_no_url"):
        # Characters, not septets: an extension character in the name costs two, so shrink until it fits.
        spare = limit_two - gsm7_length(fill(template, ""))
        while spare >= 12:
            message = fill(template, _truncate_words(port, spare))
            if gsm7_length(message) <= limit_two:
                yield message, limit_two
                break
            spare -= 1


def slip_sms(slip: SlipData, *, language: str) -> str:
    """The appointment as one SMS (160 GSM-7 characters) when it fits, else at most two segments.

    Code, day, arrive-by time, port, party size, "free", and the status URL without its scheme. No names.
    Text is kept to the GSM-7 alphabet (see the module docstring for how accents are handled).
    """
    lang = _language(language)
    for message, limit in _candidates(slip, lang):
        if gsm7_length(message) <= limit:
            return message
    raise ValueError("the status URL is too long for a two-segment SMS")
