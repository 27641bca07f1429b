"""The shared test vectors (vectors/*.json): the contract any other evaluator (such as a browser one) must meet."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from corredor.core.eligibility import Catalogue, batch, screen
from corredor.core.eligibility._files import PACKAGE_DIRECTORY
from corredor.core.eligibility.batch import NOT_OPEN
from corredor.core.eligibility.screening import OUTCOMES

from .conftest import CATALOGUE, to_columns

VECTOR_FILES = sorted((PACKAGE_DIRECTORY / "vectors").glob("*.json"))
VECTORS = [(path.name, index, vector) for path in VECTOR_FILES
           for index, vector in enumerate(json.loads(path.read_text(encoding="utf-8")))]


def _schema_validator() -> Draft202012Validator:
    schemas = {name: json.loads((PACKAGE_DIRECTORY / "schema" / name).read_text(encoding="utf-8"))
               for name in ("vectors.schema.json", "answers.schema.json")}
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values())
    return Draft202012Validator(schemas["vectors.schema.json"], registry=registry)


@pytest.mark.parametrize("path", VECTOR_FILES, ids=lambda p: p.name)
def test_vector_files_follow_their_schema(path: Path) -> None:
    _schema_validator().validate(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(("file", "index", "vector"), VECTORS, ids=[f"{f}[{i}] {v['name']}" for f, i, v in VECTORS])
def test_vector(file: str, index: int, vector: dict, catalogue: Catalogue) -> None:
    version = catalogue.version(vector["version"])
    result = screen(version, vector["answers"], date.fromisoformat(vector["on"]))
    expected = vector["expected"]
    assert result.outcome == expected["outcome"]
    assert {c.id: c.result for c in result.criteria} == expected["criteria"]
    if "status" in expected:
        assert result.status.state == expected["status"]
    if "questions_needed" in expected:
        assert list(result.questions_needed) == expected["questions_needed"]
    if "warnings" in expected:
        assert [w.id for w in result.warnings] == expected["warnings"]


def test_every_version_has_vectors_including_its_start_date() -> None:
    by_version: dict[str, list[dict]] = {}
    for _, _, vector in VECTORS:
        by_version.setdefault(vector["version"], []).append(vector)
    for version in CATALOGUE.all_versions:
        vectors = by_version.get(version.id, [])
        assert len(vectors) >= 2, version.id
        outcomes = {v["expected"]["outcome"] for v in vectors}
        assert outcomes - {"not_open"}, f"{version.id} has no vector where it is open"
        days = {date.fromisoformat(v["on"]) for v in vectors}
        changes = [version.effective_from, *(p.start for p in (*version.closed_periods, *version.suspended_periods))]
        if version.effective_to is not None:
            changes.append(version.effective_to + timedelta(days=1))
        edges = {day - timedelta(days=k) for day in changes for k in (0, 1)}  # each side of every change
        assert days & edges, f"{version.id} has no vector on a boundary date"


def test_vectors_give_the_same_outcomes_in_batch() -> None:
    by_date: dict[tuple[str, str], list[dict]] = {}
    for _, _, vector in VECTORS:
        by_date.setdefault((vector["on"], vector["version"]), []).append(vector)
    for (on, version_id), vectors in by_date.items():
        version = CATALOGUE.version(version_id)
        people = [{k: (date.fromisoformat(a) if CATALOGUE.questions[k].type == "date" else a)
                   for k, a in v["answers"].items()} for v in vectors]
        result = batch(CATALOGUE, to_columns(people, CATALOGUE.questions), date.fromisoformat(on), versions=[version])
        codes = result[version.pathway].outcome
        expected = np.array([OUTCOMES.index(v["expected"]["outcome"]) for v in vectors])
        assert (codes == expected).all(), (version_id, on)
        assert NOT_OPEN not in codes or (codes == NOT_OPEN).all()
