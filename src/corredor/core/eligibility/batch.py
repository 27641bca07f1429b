"""Screening a whole registry at once: numpy columns in, per-person outcomes and per-pathway counts out.

Columns, one per question (a missing column means nobody answered it), each a `Column(values, known)`
(a plain tuple works too; a numpy masked array is read with its mask as "unknown"; a bare array is all
known). Values by question type:
- boolean: a bool array;  integer: an integer array;  date: a datetime64 array (any unit; read as days);
- country / enum: an array of strings (unicode, bytes or object), or of integer codes, a code being the
  position in `ValueType.universe` (sorted ISO codes for countries, the file's order for enum values);
- list: a 2-D bool array, one column per value of the universe (True: the value is in the person's list).
Values where `known` is False are ignored. Known values are checked as strictly as `validate_answers`
checks one person's answers, and a problem raises AnswerError naming the column and the first bad row.

The evaluation walks the same compiled rules as `screen` (rules.TruthNode.truth_columns), so for every
person the outcome and "one answer away" equal what `screen` says (a property test holds them equal).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

import numpy as np

from .catalogue import Catalogue, PathwayVersion, VersionStatus
from .errors import AnswerError
from .questions import Question, QuestionBank
from .rules import FAIL, PASS, UNKNOWN, day_number
from .screening import OUTCOMES

MAY_APPLY, DOES_NOT_QUALIFY, NEED_MORE_INFO, NOT_OPEN = range(4)
_SMALL_UNIVERSE = 32


class Column(NamedTuple):
    """One question's answers for everyone: values, and where they are known (None: known everywhere)."""

    values: Any
    known: Any = None


@dataclass(frozen=True)
class PathwayBatch:
    """One pathway version over everyone: outcome codes (positions in OUTCOMES) and the criteria's truths."""

    pathway: str
    version_id: str
    status: VersionStatus
    outcome: np.ndarray  # int8: 0 may_apply, 1 does_not_qualify, 2 need_more_info, 3 not_open
    outcome_if_open: np.ndarray  # int8, the same codes as if the version were open
    one_answer_away: np.ndarray  # bool: need_more_info and exactly one missing answer would decide it
    criteria: Mapping[str, np.ndarray] = field(repr=False)  # criterion id -> int8: 1 pass, 0 unknown, -1 fail

    @property
    def counts(self) -> dict[str, int]:
        """How many people per outcome, and how many are one answer away (no small-cell suppression here)."""
        tally = np.bincount(self.outcome, minlength=len(OUTCOMES))
        counts: dict[str, int] = {name: int(tally[code]) for code, name in enumerate(OUTCOMES)}
        counts["one_answer_away"] = int(np.count_nonzero(self.one_answer_away))
        return counts


@dataclass(frozen=True)
class BatchResult(Mapping[str, PathwayBatch]):
    """Per pathway id, the batch of the version in force on `on`."""

    on: date
    size: int
    fingerprint: str  # the catalogue the results came from
    pathways: Mapping[str, PathwayBatch]

    def __getitem__(self, pathway: str) -> PathwayBatch:
        return self.pathways[pathway]

    def __iter__(self) -> Iterator[str]:
        return iter(self.pathways)

    def __len__(self) -> int:
        return len(self.pathways)

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        return {pathway: result.counts for pathway, result in self.pathways.items()}


def batch(catalogue: Catalogue, columns: Mapping[str, Any], on: date, *, size: int | None = None,
          versions: list[PathwayVersion] | None = None) -> BatchResult:
    """Screen everyone in `columns` against every pathway version in force on `on` (or against `versions`)."""
    source = PreparedColumns(catalogue.questions, columns, on, size)
    chosen = catalogue.in_force(on) if versions is None else versions
    results = {version.pathway: screen_columns(version, source) for version in chosen}
    return BatchResult(on, source.size, catalogue.fingerprint, results)


def screen_columns(version: PathwayVersion, source: PreparedColumns) -> PathwayBatch:
    """One version over prepared columns."""
    n = source.size
    truths: dict[str, np.ndarray] = {}
    worst = np.full(n, PASS, dtype=np.int8)
    needed: dict[str, np.ndarray] = {}
    for criterion in version.criteria:
        missing: dict[str, np.ndarray] = {}
        if criterion.rule is None:
            truth = np.zeros(n, dtype=np.int8)
        else:
            truth, missing = criterion.rule.truth_columns(source)
        truths[criterion.id] = truth
        if criterion.severity == "requirement":
            np.minimum(worst, truth, out=worst)
            for question, where in missing.items():
                previous = needed.get(question)
                needed[question] = where if previous is None else previous | where
    outcome_if_open = np.full(n, MAY_APPLY, dtype=np.int8)
    outcome_if_open[worst == UNKNOWN] = NEED_MORE_INFO
    outcome_if_open[worst == FAIL] = DOES_NOT_QUALIFY
    status = version.status_on(source.on)
    if status.is_open:
        outcome = outcome_if_open
        missing_count = np.zeros(n, dtype=np.int16)
        for where in needed.values():
            missing_count += where
        one_away = (outcome == NEED_MORE_INFO) & (missing_count == 1)
    else:
        outcome = np.full(n, NOT_OPEN, dtype=np.int8)
        one_away = np.zeros(n, dtype=bool)
    return PathwayBatch(version.pathway, version.id, status, outcome, outcome_if_open, one_away, truths)


class PreparedColumns:
    """Columns checked and coded for evaluation (see the module docstring); implements rules.ColumnSource."""

    def __init__(self, bank: QuestionBank, columns: Mapping[str, Any], on: date, size: int | None = None) -> None:
        unknown = [key for key in columns if key not in bank]
        if unknown:
            raise AnswerError(str(unknown[0]), f"{unknown[0]!r} is not a question of the screening questionnaire")
        sizes = {key: len(_split(column)[0]) for key, column in columns.items()}
        if size is None:
            if not sizes:
                raise AnswerError("columns", "no columns given: say how many people with size=")
            size = next(iter(sizes.values()))
        for key, length in sizes.items():
            if length != size:
                raise AnswerError(key, f"has {length} rows where the other columns have {size}")
        self.size = size
        self.on = on
        self.on_day = day_number(on)
        self._bank = bank
        self._values: dict[str, np.ndarray] = {}
        self._known: dict[str, np.ndarray] = {}
        self._missing: dict[str, np.ndarray] = {}
        for key, column in columns.items():
            self._values[key], self._known[key] = _prepare(bank[key], column, size)

    def values(self, question: str) -> np.ndarray:
        if question not in self._values:
            self._values[question], self._known[question] = _empty(self._bank[question], self.size)
        return self._values[question]

    def known(self, question: str) -> np.ndarray:
        self.values(question)
        return self._known[question]

    def missing(self, question: str) -> np.ndarray:
        if question not in self._missing:
            self._missing[question] = ~self.known(question)
        return self._missing[question]


def _split(column: Any) -> tuple[np.ndarray, np.ndarray | None]:
    if isinstance(column, np.ma.MaskedArray):
        return np.asarray(column.data), ~np.ma.getmaskarray(column)
    if isinstance(column, tuple):
        known = column[1] if len(column) > 1 else None
        return np.asarray(column[0]), None if known is None else np.asarray(known)
    return np.asarray(column), None


def _empty(question: Question, size: int) -> tuple[np.ndarray, np.ndarray]:
    known = np.zeros(size, dtype=bool)
    if question.type == "list":
        return np.zeros((size, len(question.value_type.universe)), dtype=bool), known
    dtype = {"boolean": bool, "integer": np.int64, "date": np.int64}.get(question.type, np.int16)
    return np.zeros(size, dtype=dtype), known


def _prepare(question: Question, column: Any, size: int) -> tuple[np.ndarray, np.ndarray]:
    values, known = _split(column)
    key = question.id
    if known is None:
        known = np.ones(size, dtype=bool)
    elif known.dtype != bool or known.shape != (size,):
        raise AnswerError(key, "the known mask is a bool array with one entry per person")
    kind = question.type
    if kind == "boolean":
        if values.dtype != bool:
            raise AnswerError(key, f"a yes/no column holds booleans, not {values.dtype}")
        return values & known, known
    if kind == "integer":
        return _integers(question, values, known), known
    if kind == "date":
        if values.dtype.kind != "M":
            raise AnswerError(key, f"a date column holds datetime64 values, not {values.dtype}")
        days = values.astype("datetime64[D]")
        bad = known & np.isnat(days)
        if bad.any():
            raise AnswerError(key, f"row {int(np.argmax(bad))}: a known date cannot be NaT")
        return np.where(known, days.astype(np.int64), 0), known
    if kind == "list":
        width = len(question.value_type.universe)
        if values.dtype != bool or values.shape != (size, width):
            raise AnswerError(key, f"a list column is a bool array of shape ({size}, {width})")
        return values & known[:, None], known
    return _codes(question, values, known), known


def _integers(question: Question, values: np.ndarray, known: np.ndarray) -> np.ndarray:
    if values.dtype.kind not in "iu":
        raise AnswerError(question.id, f"a whole-number column holds integers, not {values.dtype}")
    values = np.where(known, values, 0).astype(np.int64)
    bad = np.zeros(len(values), dtype=bool)
    if question.minimum is not None:
        bad |= known & (values < question.minimum)
    if question.maximum is not None:
        bad |= known & (values > question.maximum)
    if bad.any():
        row = int(np.argmax(bad))
        raise AnswerError(question.id, f"row {row}: {values[row]} is outside the allowed range "
                                       f"{question.minimum}..{question.maximum}")
    return values


def _codes(question: Question, values: np.ndarray, known: np.ndarray) -> np.ndarray:
    universe = question.value_type.universe
    if values.dtype.kind in "iu":
        bad = known & ((values < 0) | (values >= len(universe)))
        if bad.any():
            raise AnswerError(question.id, f"row {int(np.argmax(bad))}: code {values[np.argmax(bad)]} is not a "
                                           f"position in the {len(universe)} allowed values")
        return np.where(known, values, 0).astype(np.int16)
    if values.dtype.kind not in "USO":
        raise AnswerError(question.id, f"a {question.type} column holds text codes, not {values.dtype}")
    if values.dtype.kind == "O":
        values = np.where(known, values, universe[0]).astype(str)
    elif values.dtype.kind == "S":
        values = values.astype(str)
    if len(universe) <= _SMALL_UNIVERSE:  # a few equality passes beat sorting strings
        codes: np.ndarray = np.full(len(values), -1, dtype=np.int16)
        for code, value in enumerate(universe):
            codes[values == value] = code
        bad = known & (codes < 0)
    else:
        reference = np.asarray(universe)
        order = np.argsort(reference)
        position = np.searchsorted(reference, values, sorter=order)
        codes = order[np.minimum(position, len(reference) - 1)]
        bad = known & (reference[codes] != values)
    if bad.any():
        row = int(np.argmax(bad))
        raise AnswerError(question.id, f"row {row}: {str(values[row])!r} is not one of the allowed values")
    return np.where(known, codes, 0).astype(np.int16)
