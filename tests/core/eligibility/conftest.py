"""The shared catalogue, answer generators that hit the rules' edges, and helpers for bad-file tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import strategies as st

from corredor.core.eligibility import Catalogue, Column, Question, QuestionBank, load_catalogue
from corredor.core.eligibility._files import PACKAGE_DIRECTORY
from corredor.core.eligibility.rules import SORTED_COUNTRY_CODES

CATALOGUE = load_catalogue()
CORRIDOR_COUNTRIES = ("SV", "GT", "HN", "MX", "CR", "NI", "VE", "CU", "HT", "CO", "EC", "US", "CA", "PA", "BR", "IN")


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return CATALOGUE


def _date_literals(rule: object) -> Iterator[date]:
    if isinstance(rule, dict):
        for op, args in rule.items():
            if op == "date":
                yield date.fromisoformat(args if isinstance(args, str) else args[0])
            else:
                yield from _date_literals(args)
    elif isinstance(rule, list):
        for item in rule:
            yield from _date_literals(item)


def _catalogue_dates(catalogue: Catalogue) -> list[date]:
    """Every date the catalogue mentions (rule literals, windows, periods), with the day before and after."""
    found: set[date] = set()
    for v in catalogue.all_versions:
        found.add(v.effective_from)
        if v.effective_to:
            found.add(v.effective_to)
        for p in (*v.closed_periods, *v.suspended_periods, *v.notices):
            found.add(p.start)
            if p.end:
                found.add(p.end)
        for c in v.criteria:
            found.update(_date_literals(c.rule_source))
    return sorted({d + timedelta(days=k) for d in found for k in (-1, 0, 1)})


EDGE_DATES = _catalogue_dates(CATALOGUE)
evaluation_dates = st.one_of(st.sampled_from(EDGE_DATES), st.dates(date(2014, 1, 1), date(2027, 12, 31)))


def answer_values(question: Question, on_dates: list[date] = EDGE_DATES) -> st.SearchStrategy[object]:
    """Valid answers for one question, concentrated where rules change their result."""
    if question.type == "boolean":
        return st.booleans()
    if question.type == "integer":
        low, high = question.minimum or 0, question.maximum or 130
        return st.one_of(st.sampled_from([v for v in (low, 13, 17, 18, 20, 21, 22, 30, high) if low <= v <= high]),
                         st.integers(low, high))
    if question.type == "date":
        return st.one_of(st.sampled_from(on_dates), st.dates(date(2005, 1, 1), date(2027, 12, 31)))
    if question.type == "country":
        return st.one_of(st.sampled_from(CORRIDOR_COUNTRIES), st.sampled_from(SORTED_COUNTRY_CODES))
    if question.type == "enum":
        return st.sampled_from(question.values)
    universe = SORTED_COUNTRY_CODES[:12] if question.items == "country" else question.values
    return st.lists(st.sampled_from(universe), unique=True, max_size=4).map(tuple)


@st.composite
def answer_sets(draw: st.DrawFn, bank: QuestionBank | None = None, *, missing_share: float = 0.35
                ) -> dict[str, object]:
    """A valid answer set: each question answered or left missing."""
    bank = bank if bank is not None else CATALOGUE.questions
    answers: dict[str, object] = {}
    for q in bank.values():
        if draw(st.floats(0, 1)) >= missing_share:
            answers[q.id] = draw(answer_values(q))
    return answers


def to_columns(people: list[Mapping[str, object]], bank: QuestionBank) -> dict[str, Column]:
    """Answer dicts as batch columns (strings for codes, datetime64 for dates), written independently of batch."""
    columns: dict[str, Column] = {}
    n = len(people)
    for q in bank.values():
        known = np.array([q.id in p for p in people], dtype=bool)
        if q.type == "boolean":
            values = np.array([bool(p.get(q.id, False)) for p in people], dtype=bool)
        elif q.type == "integer":
            values = np.array([p.get(q.id, 0) for p in people], dtype=np.int64)
        elif q.type == "date":
            values = np.array([p.get(q.id, date(2000, 1, 1)) for p in people], dtype="datetime64[D]")
        elif q.type in ("country", "enum"):
            values = np.array([p.get(q.id, "") for p in people], dtype=object)
        else:
            universe = q.value_type.universe
            values = np.zeros((n, len(universe)), dtype=bool)
            for row, p in enumerate(people):
                for item in p.get(q.id, ()):  # type: ignore[attr-defined]
                    values[row, universe.index(item)] = True
        columns[q.id] = Column(values, known)
    return columns


def copy_catalogue(tmp_path: Path) -> Path:
    """A writable copy of the package's data (questions, schemas, pathways) for bad-file tests."""
    target = tmp_path / "eligibility"
    target.mkdir()
    shutil.copy(PACKAGE_DIRECTORY / "questions.yaml", target / "questions.yaml")
    shutil.copytree(PACKAGE_DIRECTORY / "schema", target / "schema")
    shutil.copytree(PACKAGE_DIRECTORY / "pathways", target / "pathways")
    return target


def edit_yaml(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
