"""Clock rules as data: which population, which facility kinds count, and the warning, escalation and
breach points in hours. Loaded from YAML and checked so that warning < escalation < limit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from .populations import GROUPS, Population

FACILITY_KINDS = ("port", "bp_station", "jpc", "orr_shelter", "ngo_shelter")
FEDERAL_KINDS = frozenset({"port", "bp_station", "jpc"})
_KEYS = {"id", "applies_to", "counted_facility_kinds", "warning_hours", "escalation_hours", "limit_hours",
         "label", "source"}


class RuleError(ValueError):
    """A rule file that cannot be used; the message names the rule and the key."""


@dataclass(frozen=True)
class ClockRule:
    id: str
    applies_to: str
    counted_facility_kinds: frozenset[str]
    warning_hours: float
    escalation_hours: float
    limit_hours: float
    label_en: str
    label_es: str
    source: str

    @property
    def populations(self) -> frozenset[Population]:
        return GROUPS[self.applies_to]

    def applies(self, population: str) -> bool:
        return population in self.populations

    def label(self, language: str) -> str:
        return self.label_es if language.startswith("es") else self.label_en


def _hours(rule_id: str, raw: Mapping[str, Any], key: str) -> float:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RuleError(f"rule {rule_id}: {key} must be a number of hours, not {value!r}")
    if value <= 0:
        raise RuleError(f"rule {rule_id}: {key} must be more than 0 hours")
    return float(value)


def parse_rules(data: Any) -> tuple[ClockRule, ...]:
    if not isinstance(data, list) or not data:
        raise RuleError("the rule file must be a non-empty list of rules")
    rules: list[ClockRule] = []
    for i, raw in enumerate(data):
        if not isinstance(raw, dict):
            raise RuleError(f"rule {i + 1}: must be a mapping")
        rule_id = str(raw.get("id") or f"#{i + 1}")
        unknown = set(raw) - _KEYS
        if unknown:
            raise RuleError(f"rule {rule_id}: unknown key(s) {', '.join(sorted(unknown))}")
        missing = _KEYS - set(raw)
        if missing:
            raise RuleError(f"rule {rule_id}: missing key(s) {', '.join(sorted(missing))}")
        if raw["applies_to"] not in GROUPS:
            raise RuleError(f"rule {rule_id}: applies_to must be one of {', '.join(GROUPS)}")
        kinds = raw["counted_facility_kinds"]
        if not isinstance(kinds, list) or not kinds or any(k not in FACILITY_KINDS for k in kinds):
            raise RuleError(f"rule {rule_id}: counted_facility_kinds must list kinds among {', '.join(FACILITY_KINDS)}")
        warning, escalation, limit = (_hours(rule_id, raw, k) for k in
                                      ("warning_hours", "escalation_hours", "limit_hours"))
        if not warning < escalation < limit:
            raise RuleError(f"rule {rule_id}: needs warning_hours < escalation_hours < limit_hours "
                            f"(got {warning:g} / {escalation:g} / {limit:g})")
        label = raw["label"]
        if not isinstance(label, dict) or not label.get("en") or not label.get("es"):
            raise RuleError(f"rule {rule_id}: label needs en and es")
        rules.append(ClockRule(rule_id, raw["applies_to"], frozenset(kinds), warning, escalation, limit,
                               str(label["en"]), str(label["es"]), str(raw["source"]).strip()))
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise RuleError("rule ids must be unique")
    return tuple(rules)


def load_rules(text: str | None = None) -> tuple[ClockRule, ...]:
    """The rules in `text` (YAML), or the default rules shipped with the code."""
    if text is None:
        text = resources.files(__package__).joinpath("rules.yaml").read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleError(f"the rule file is not valid YAML: {exc}") from exc
    return parse_rules(data)


def rules_for(rules: Sequence[ClockRule], population: str) -> list[ClockRule]:
    return [r for r in rules if r.applies(population)]
