"""Reading ids typed into forms and query strings: anything that is not a plausible database id reads as 0,
which no record has, so the selector answers "not found" instead of the page failing."""

from __future__ import annotations

MAX_ID = 2**31 - 1


def record_id(raw: str | None) -> int:
    text = (raw or "").strip()[:12]
    if not text.isdigit():
        return 0
    value = int(text)
    return value if value <= MAX_ID else 0
