"""The clock rules in force: the defaults shipped in `corredor.core.custody`, or a file named by the
CORREDOR_CUSTODY_RULES setting (same shape), read once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings

from corredor.core.custody.rules import ClockRule, load_rules


@cache
def _load(path: str | None) -> tuple[ClockRule, ...]:
    return load_rules(Path(path).read_text(encoding="utf-8") if path else None)


def active_rules() -> tuple[ClockRule, ...]:
    return _load(getattr(settings, "CORREDOR_CUSTODY_RULES", None) or None)


def rule_by_id(rule_id: str) -> ClockRule | None:
    return next((r for r in active_rules() if r.id == rule_id), None)
