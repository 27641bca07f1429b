"""The whole-registry batch: the same decisions as `screen` for every person, and strict columns."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corredor.core.eligibility import AnswerError, Catalogue, Column, batch, screen
from corredor.core.eligibility.screening import OUTCOMES

from .conftest import CATALOGUE, answer_sets, evaluation_dates, to_columns

ON = date(2024, 6, 3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(answer_sets(missing_share=0.4), min_size=1, max_size=30), evaluation_dates)
def test_batch_decides_exactly_as_screen(people: list[dict[str, object]], on: date) -> None:
    result = batch(CATALOGUE, to_columns(people, CATALOGUE.questions), on)
    assert set(result) == {v.pathway for v in CATALOGUE.in_force(on)}
    for pathway, columns in result.items():
        version = CATALOGUE.version(columns.version_id)
        for row, answers in enumerate(people):
            single = screen(version, answers, on)
            assert OUTCOMES[columns.outcome[row]] == single.outcome, (pathway, answers)
            assert OUTCOMES[columns.outcome_if_open[row]] == single.outcome_if_open
            assert bool(columns.one_answer_away[row]) == single.one_answer_away, (pathway, answers)
            names = {1: "pass", 0: "unknown", -1: "fail"}
            for criterion in single.criteria:
                assert names[int(columns.criteria[criterion.id][row])] == criterion.result


def test_counts(catalogue: Catalogue) -> None:
    people = [
        {"age": 15, "married": False, "nationality": "HN", "country_of_residence": "HN",
         "us_petitioner_relationship": "parent", "us_petitioner_status": "lpr"},
        {"age": 15, "married": False, "nationality": "HN", "country_of_residence": "HN",
         "us_petitioner_relationship": "parent", "us_petitioner_status": "parole"},
        {"age": 30},
        {},
    ]
    result = batch(catalogue, to_columns(people, catalogue.questions), ON)
    assert result.counts["us-cam"] == {"may_apply": 1, "does_not_qualify": 1, "need_more_info": 2, "not_open": 0,
                                       "one_answer_away": 1}
    assert result.counts["us-parole"]["may_apply"] == 4
    assert result.size == 4 and result.fingerprint == catalogue.fingerprint
    closed = batch(catalogue, to_columns(people, catalogue.questions), date(2025, 6, 1))
    assert closed.counts["us-cam"]["not_open"] == 4 and closed.counts["us-cam"]["one_answer_away"] == 0
    assert closed["us-cam"].status.state == "suspended"
    assert list(closed["us-cam"].outcome_if_open) == list(result["us-cam"].outcome)


def test_other_column_forms(catalogue: Catalogue) -> None:
    ages = np.ma.masked_array([15, 40, 0], mask=[False, False, True])
    nationality = np.array([catalogue.questions.types["nationality"].universe.index(c) for c in ("HN", "MX", "HN")])
    result = batch(catalogue, {"age": ages, "married": np.array([False, False, False]),
                               "nationality": nationality, "country_of_residence": np.array(["HN", "MX", "HN"])}, ON)
    assert result["us-cam"].criteria["unmarried_under_21"].tolist() == [1, -1, 0]
    assert result["us-cam"].criteria["national_living_in_sv_gt_hn"].tolist() == [1, -1, 1]
    empty = batch(catalogue, {}, ON, size=3)
    assert empty.counts["us-cam"]["need_more_info"] == 3


@pytest.mark.parametrize(("columns", "key", "says"), [
    ({"edad": np.array([1])}, "edad", "not a question"),
    ({"married": np.array([1, 0])}, "married", "holds booleans, not int64"),
    ({"age": np.array(["15"])}, "age", "holds integers"),
    ({"age": np.array([15, 200])}, "age", "row 1: 200 is outside the allowed range 0..130"),
    ({"nationality": np.array(["HN", "XX"])}, "nationality", "row 1: 'XX' is not one of the allowed values"),
    ({"nationality": np.array([3, 400])}, "nationality", "row 1: code 400"),
    ({"nationality": np.array([1.5])}, "nationality", "holds text codes"),
    ({"us_petitioner_status": np.array(["lpr", "green_card"])}, "us_petitioner_status", "row 1"),
    ({"date_entered_mexico": np.array(["2024-01-01"])}, "date_entered_mexico", "holds datetime64"),
    ({"date_entered_mexico": np.array(["NaT"], dtype="datetime64[D]")}, "date_entered_mexico", "cannot be NaT"),
    ({"age": Column(np.array([1, 2]), np.array([1, 0]))}, "age", "known mask is a bool array"),
    ({"age": np.array([1, 2]), "married": np.array([True])}, "married", "has 1 rows where the other columns have 2"),
    ({}, "columns", "size="),
])
def test_bad_columns_are_refused(columns: dict, key: str, says: str, catalogue: Catalogue) -> None:
    with pytest.raises(AnswerError) as caught:
        batch(catalogue, columns, ON)
    assert caught.value.key == key
    assert says in caught.value.message


def test_unknown_entries_are_not_checked(catalogue: Catalogue) -> None:
    nationality = Column(np.array(["HN", "??"], dtype=object), np.array([True, False]))
    dates = Column(np.array(["2024-01-01", "NaT"], dtype="datetime64[D]"), np.array([True, False]))
    result = batch(catalogue, {"nationality": nationality, "date_entered_mexico": dates}, ON)
    assert result["mx-comar"].criteria["not_mexican_national"].tolist() == [1, 0]
    assert result["mx-comar"].criteria["filed_within_30_business_days"].tolist() == [-1, 0]
