"""Checks for free text typed by people: names, notes, numbers. Each returns a reason or None.

Names are written in many scripts and traditions (María de los Ángeles, Jean-Baptiste, O'Neil, K'iche'
names), so the rule is permissive about letters and strict about what is never part of a name: control
characters, markup, digits and symbols.
"""

from __future__ import annotations

import unicodedata

_NAME_PUNCTUATION = set(" '’-.")
_STRIP_PUNCTUATION = str.maketrans("", "", " '’-.")


def control_character_problem(value: str, *, allow_newlines: bool = False) -> str | None:
    if value.isprintable():  # fast path: no control, format, surrogate or unassigned characters
        return None
    for ch in value:
        category = unicodedata.category(ch)
        if category in {"Cc", "Cf", "Cs", "Co", "Cn"}:
            if allow_newlines and ch in "\n\r\t":
                continue
            return f"contains a control or invisible character (U+{ord(ch):04X})"
    return None


def name_problem(value: str, *, max_length: int, required: bool = False) -> str | None:
    """Why `value` is not acceptable as a name part, or None when it is."""
    if not value.strip():
        return "is required" if required else None
    if len(value) > max_length:
        return f"is too long ({len(value)} characters; at most {max_length})"
    problem = control_character_problem(value)
    if problem:
        return problem
    if value.translate(_STRIP_PUNCTUATION).isalpha():  # fast path: letters and allowed punctuation only
        return None
    for ch in value:
        if ch in _NAME_PUNCTUATION:
            continue
        category = unicodedata.category(ch)
        if not (category.startswith("L") or category.startswith("M")):
            return f"may contain only letters, spaces, apostrophes, hyphens and periods (found {ch!r})"
    return None


def free_text_problem(value: str, *, max_length: int, required: bool = False,
                      allow_newlines: bool = False) -> str | None:
    """Short single-line fields refuse markup characters; multi-line text (notes, narratives) keeps them
    as typed, since it is always escaped on output and people write "< 5 años"."""
    if not value.strip():
        return "is required" if required else None
    if len(value) > max_length:
        return f"is too long ({len(value)} characters; at most {max_length})"
    if not allow_newlines and ("<" in value or ">" in value):
        return "may not contain < or >"
    return control_character_problem(value, allow_newlines=allow_newlines)
