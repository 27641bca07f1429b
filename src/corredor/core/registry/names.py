"""Name folding for search: accent-, case- and punctuation-insensitive, so "Nuñez" finds "NÚÑEZ"."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: 'María-José  Núñez' -> 'maria jose nunez'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("ß", "ss").replace("ø", "o").replace("æ", "ae").replace("đ", "d")
    return _NON_ALNUM.sub(" ", stripped).strip()


def fold_document_number(number: str) -> str:
    """Document numbers compare without spaces, dashes or case: '0801-1990-12345' == '0801199012345'."""
    return re.sub(r"[^0-9A-Za-z]", "", number).upper()


def fold_phone(number: str) -> str:
    """Digits only, so '+504 9912-3456' and '50499123456' match."""
    return re.sub(r"\D", "", number)
