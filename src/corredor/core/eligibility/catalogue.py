"""The catalogue: every pathway version file, checked, compiled and dated.

One YAML file per pathway version lives in pathways/. Loading checks each file against
schema/pathway.schema.json, then what a schema cannot say: the file is named after its id, the id is
`<pathway>-<version>`, dates are real and in order, periods do not overlap, versions of one pathway do not
overlap in time, and every criterion's rule is well typed against the question bank (every var a question,
every literal of the right type). Any problem raises CatalogueError naming the file and the key.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Literal

from ._files import PACKAGE_DIRECTORY, canonical_digest, check_against_schema, key_path, load_schema, read_yaml
from .countries import COUNTRY_CODES
from .errors import CatalogueError, RuleError
from .questions import QuestionBank, load_question_bank
from .rules import TruthNode, compile_rule

Text = Mapping[str, str]  # {"es": ..., "en": ...}
Severity = Literal["requirement", "warning", "adjudicated"]
State = Literal["open", "closed", "suspended", "not_in_force"]
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PATHWAYS_DIRECTORY: Final = "pathways"


@dataclass(frozen=True)
class Period:
    """A closed or suspended period (both ends included; `end` None means it has not ended)."""

    start: date
    end: date | None
    reason: Text
    source: str

    def contains(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class Notice:
    """A dated notice shown with a screening while in force (a change that does not close the pathway)."""

    start: date
    end: date | None
    text: Text
    source: str

    def contains(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class VersionStatus:
    """Whether a version takes applications on a date, and if not, why (es/en) and on what source."""

    state: State
    reason: Text | None = None
    source: str | None = None

    @property
    def is_open(self) -> bool:
        return self.state == "open"


@dataclass(frozen=True)
class Criterion:
    """One criterion: a compiled rule (None for an adjudicated one) with its labels and explanations."""

    id: str
    label: Text
    severity: Severity
    rule: TruthNode | None
    rule_source: object
    questions: tuple[str, ...]  # every question the rule reads, in bank order
    explanation_pass: Text | None = None
    explanation_fail: Text | None = None
    explanation_unknown: Text | None = None
    source: str | None = None


@dataclass(frozen=True, eq=False)
class PathwayVersion:
    """One version of a pathway, as written in its file (`data`), with its criteria compiled."""

    id: str
    pathway: str
    version: str
    name: Text
    description: Text
    country: str
    administered_by: tuple[str, ...]
    kind: str
    discretionary: bool
    referral_only: bool
    effective_from: date
    effective_to: date | None
    closed_periods: tuple[Period, ...]
    suspended_periods: tuple[Period, ...]
    notices: tuple[Notice, ...]
    leads_to_permanent_status: bool | str
    criteria: tuple[Criterion, ...]
    file: str
    digest: str  # SHA-256 of the file's content in canonical JSON form
    data: Mapping[str, Any] = field(repr=False)  # the whole file: sources, documents, caps, how to apply...
    questions: QuestionBank = field(repr=False)

    def in_force_on(self, on: date) -> bool:
        """True when `on` lies in the version's effective window (both ends included)."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def status_on(self, on: date) -> VersionStatus:
        """open, closed or suspended (with the reason) on a date; not_in_force outside the window."""
        if not self.in_force_on(on):
            if on < self.effective_from:
                reason = {"es": f"Esta versión rige desde el {self.effective_from.isoformat()}.",
                          "en": f"This version applies from {self.effective_from.isoformat()}."}
            else:
                assert self.effective_to is not None
                reason = {"es": f"Esta versión rigió hasta el {self.effective_to.isoformat()}.",
                          "en": f"This version applied until {self.effective_to.isoformat()}."}
            return VersionStatus("not_in_force", reason)
        for state, periods in (("suspended", self.suspended_periods), ("closed", self.closed_periods)):
            for period in periods:
                if period.contains(on):
                    return VersionStatus(state, period.reason, period.source)  # type: ignore[arg-type]
        return VersionStatus("open")

    def notices_on(self, on: date) -> tuple[Notice, ...]:
        return tuple(n for n in self.notices if n.contains(on))

    @property
    def requirements(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.severity == "requirement")

    @property
    def questions_used(self) -> tuple[str, ...]:
        """Every question any criterion reads, in bank order."""
        used = {q for c in self.criteria for q in c.questions}
        return tuple(q for q in self.questions if q in used)


class Catalogue:
    """All pathway versions and the question bank. Immutable: load it once and keep it."""

    def __init__(self, questions: QuestionBank, versions: list[PathwayVersion]) -> None:
        self.questions = questions
        self._versions = tuple(sorted(versions, key=lambda v: (v.pathway, v.effective_from)))
        self._by_id = {v.id: v for v in self._versions}
        self.fingerprint = canonical_digest({"questions": questions.digest,
                                             "pathways": {v.id: v.digest for v in self._versions}})

    def __repr__(self) -> str:
        return f"Catalogue({len(self._versions)} versions, fingerprint={self.fingerprint[:12]})"

    @property
    def all_versions(self) -> tuple[PathwayVersion, ...]:
        return self._versions

    @property
    def pathway_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.pathway for v in self._versions))

    def version(self, version_id: str) -> PathwayVersion:
        """The version with this id (KeyError if there is none)."""
        return self._by_id[version_id]

    def versions(self, pathway: str) -> list[PathwayVersion]:
        """The versions of one pathway, oldest first."""
        return [v for v in self._versions if v.pathway == pathway]

    def in_force(self, on: date) -> list[PathwayVersion]:
        """The versions whose effective window contains `on` (closed or suspended ones included: see status_on)."""
        return [v for v in self._versions if v.in_force_on(on)]

    def version_for(self, pathway: str, on: date) -> PathwayVersion | None:
        """The version of `pathway` in force on `on`, or None."""
        return next((v for v in self._versions if v.pathway == pathway and v.in_force_on(on)), None)

    def as_data(self) -> dict[str, Any]:
        """Everything a browser-side evaluator needs, as plain JSON-ready data."""
        return {"fingerprint": self.fingerprint, "questions": self.questions.as_data(),
                "pathways": [dict(v.data) | {"digest": v.digest} for v in self._versions]}


def load_catalogue(directory: str | Path | None = None) -> Catalogue:
    """Read, check and compile questions.yaml and every pathways/*.yaml under `directory`.

    `directory` defaults to the package's own data. Raises CatalogueError naming the file and key.
    """
    root = Path(directory) if directory is not None else PACKAGE_DIRECTORY
    bank = load_question_bank(root)
    schema = load_schema(root, "pathway.schema.json")
    files = sorted((root / PATHWAYS_DIRECTORY).glob("*.yaml"))
    if not files:
        raise CatalogueError(PATHWAYS_DIRECTORY, "", "no pathway files found")
    versions = [_version(path, schema, bank) for path in files]
    _check_versions_do_not_overlap(versions)
    return Catalogue(bank, versions)


def _version(path: Path, schema: Mapping[str, Any], bank: QuestionBank) -> PathwayVersion:
    file = f"{PATHWAYS_DIRECTORY}/{path.name}"
    raw = read_yaml(path)
    check_against_schema(raw, schema, file)
    assert isinstance(raw, dict)
    if path.stem != raw["id"]:
        raise CatalogueError(file, "id", f"the file must be named after its id: {raw['id']}.yaml")
    if raw["id"] != f"{raw['pathway']}-{raw['version']}":
        raise CatalogueError(file, "id", f"the id is '<pathway>-<version>': {raw['pathway']}-{raw['version']}")
    _check_country(raw["country"], file, "country")
    start = _date(raw["effective_from"], file, "effective_from")
    end = _date(raw["effective_to"], file, "effective_to") if raw["effective_to"] is not None else None
    if end is not None and end < start:
        raise CatalogueError(file, "effective_to", "ends before effective_from")
    closed = _periods(raw, "closed_periods", file)
    suspended = _periods(raw, "suspended_periods", file)
    _check_no_overlap([*closed, *suspended], file)
    for index, cap in enumerate(raw.get("caps", [])):
        for i, code in enumerate(cap.get("countries", [])):
            _check_country(code, file, f"caps[{index}].countries[{i}]")
    return PathwayVersion(
        id=raw["id"], pathway=raw["pathway"], version=raw["version"], name=raw["name"],
        description=raw["description"], country=raw["country"], administered_by=tuple(raw["administered_by"]),
        kind=raw["kind"], discretionary=raw["discretionary"], referral_only=raw["referral_only"],
        effective_from=start, effective_to=end, closed_periods=closed, suspended_periods=suspended,
        notices=_notices(raw, file), leads_to_permanent_status=raw["leads_to_permanent_status"],
        criteria=_criteria(raw["criteria"], bank, file), file=file, digest=canonical_digest(raw),
        data=MappingProxyType(raw), questions=bank,
    )


def _date(text: str, file: str, key: str) -> date:
    if not _DATE_TEXT.match(text):
        raise CatalogueError(file, key, f"{text!r} is not a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CatalogueError(file, key, f"{text!r} is not a calendar date") from None


def _check_country(code: str, file: str, key: str) -> None:
    if code not in COUNTRY_CODES:
        raise CatalogueError(file, key, f"{code!r} is not an ISO 3166-1 alpha-2 country code")


def _periods(raw: Mapping[str, Any], name: str, file: str) -> tuple[Period, ...]:
    periods = []
    for index, item in enumerate(raw.get(name, [])):
        where = f"{name}[{index}]"
        start = _date(item["from"], file, f"{where}.from")
        end = _date(item["to"], file, f"{where}.to") if item["to"] is not None else None
        if end is not None and end < start:
            raise CatalogueError(file, f"{where}.to", "ends before it starts")
        periods.append(Period(start, end, item["reason"], item["source"]))
    return tuple(periods)


def _check_no_overlap(periods: list[Period], file: str) -> None:
    ordered = sorted(periods, key=lambda p: p.start)
    for earlier, later in itertools.pairwise(ordered):
        if earlier.end is None or later.start <= earlier.end:
            raise CatalogueError(file, "closed_periods", f"periods overlap: one starting {earlier.start} "
                                                         f"and one starting {later.start}")


def _notices(raw: Mapping[str, Any], file: str) -> tuple[Notice, ...]:
    notices = []
    for index, item in enumerate(raw.get("notices", [])):
        start = _date(item["from"], file, f"notices[{index}].from")
        end = _date(item["to"], file, f"notices[{index}].to") if item["to"] is not None else None
        notices.append(Notice(start, end, item["text"], item["source"]))
    return tuple(notices)


def _criteria(items: list[dict[str, Any]], bank: QuestionBank, file: str) -> tuple[Criterion, ...]:
    criteria = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = key_path(["criteria", index])
        if item["id"] in seen:
            raise CatalogueError(file, f"{where}.id", f"criterion {item['id']!r} appears twice")
        seen.add(item["id"])
        rule = None
        if item["severity"] == "adjudicated":
            if "rule" in item:
                raise CatalogueError(file, f"{where}.rule", "an adjudicated criterion has no rule: "
                                                            "the authority decides it")
        else:
            if "rule" not in item:
                raise CatalogueError(file, f"{where}.rule", "this required key is missing")
            try:
                rule = compile_rule(item["rule"], bank.types, f"{where}.rule")
            except RuleError as problem:
                raise CatalogueError(file, problem.path, problem.message) from None
        used = set(rule.variables) if rule is not None else set()
        criteria.append(Criterion(
            id=item["id"], label=item["label"], severity=item["severity"], rule=rule,
            rule_source=item.get("rule"), questions=tuple(q for q in bank if q in used),
            explanation_pass=item.get("explanation_pass"), explanation_fail=item.get("explanation_fail"),
            explanation_unknown=item.get("explanation_unknown"), source=item.get("source"),
        ))
    return tuple(criteria)


def _check_versions_do_not_overlap(versions: list[PathwayVersion]) -> None:
    by_pathway: dict[str, list[PathwayVersion]] = {}
    for v in versions:
        by_pathway.setdefault(v.pathway, []).append(v)
    for group in by_pathway.values():
        group.sort(key=lambda v: v.effective_from)
        for earlier, later in itertools.pairwise(group):
            if earlier.effective_to is None or later.effective_from <= earlier.effective_to:
                raise CatalogueError(later.file, "effective_from",
                                     f"overlaps {earlier.id} (versions of one pathway follow each other; "
                                     f"end {earlier.id} by {later.effective_from - timedelta(days=1)})")
