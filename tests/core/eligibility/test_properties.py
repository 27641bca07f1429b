"""Properties of three-valued screening over random answers and dates (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corredor.core.eligibility import PathwayVersion, screen

from .conftest import CATALOGUE, answer_sets, answer_values, evaluation_dates

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
versions = st.sampled_from(CATALOGUE.all_versions)


def _requirement_results(version: PathwayVersion, answers: dict[str, object], on: date) -> dict[str, str]:
    result = screen(version, answers, on)
    return {c.id: c.result for c in result.criteria if c.severity == "requirement"}


@SETTINGS
@given(versions, answer_sets(), evaluation_dates, st.data())
def test_missing_answers_only_ever_make_results_unknown(version: PathwayVersion, answers: dict[str, object], on: date,
                                                        data: st.DataObject) -> None:
    """Removing answers never turns pass into fail or back: a criterion either keeps its result or becomes unknown.

    So a missing answer never yields "does not appear to qualify" by itself: whatever fails with fewer answers
    also fails with all of them, on answers that are actually there.
    """
    removed = data.draw(st.sets(st.sampled_from(sorted(answers)))) if answers else set()
    fewer = {k: v for k, v in answers.items() if k not in removed}
    full, partial = _requirement_results(version, answers, on), _requirement_results(version, fewer, on)
    for criterion, result in partial.items():
        assert result == "unknown" or result == full[criterion]
    screening = screen(version, fewer, on)
    if screening.outcome_if_open == "does_not_qualify":
        assert screening.failing
        for failing in screening.failing:
            assert full[failing.id] == "fail"
            assert failing.questions_needed == ()


@SETTINGS
@given(evaluation_dates)
def test_no_answers_never_disqualify(on: date) -> None:
    for version in CATALOGUE.in_force(on):
        result = screen(version, {}, on)
        assert result.outcome_if_open in ("need_more_info", "may_apply")
        assert not result.failing


@SETTINGS
@given(versions, answer_sets(), evaluation_dates, st.data())
def test_answering_the_questions_needed_decides_the_outcome(version: PathwayVersion, answers: dict[str, object],
                                                           on: date, data: st.DataObject) -> None:
    result = screen(version, answers, on)
    if result.outcome_if_open != "need_more_info":
        assert result.questions_needed == ()
        return
    if result.outcome == "not_open":
        assert result.questions_needed == ()
        return
    assert result.questions_needed
    completed = dict(answers)
    for question in result.questions_needed:
        completed[question] = data.draw(answer_values(CATALOGUE.questions[question]))
    assert screen(version, completed, on).outcome in ("may_apply", "does_not_qualify")
    if result.one_answer_away:
        only = result.questions_needed[0]
        value = data.draw(answer_values(CATALOGUE.questions[only]))
        assert screen(version, answers | {only: value}, on).outcome in ("may_apply", "does_not_qualify")


@SETTINGS
@given(versions, answer_sets(), evaluation_dates)
def test_warnings_and_adjudicated_criteria_never_move_the_outcome(version: PathwayVersion,
                                                                 answers: dict[str, object], on: date) -> None:
    result = screen(version, answers, on)
    assert result.outcome in ("may_apply", "does_not_qualify", "need_more_info", "not_open")
    for criterion in result.criteria:
        if criterion.severity == "adjudicated":
            assert criterion.result == "unknown" and criterion.questions_needed == ()
    warning_questions = {q for c in version.criteria if c.severity == "warning" for q in c.questions}
    requirement_questions = {q for c in version.requirements for q in c.questions}
    for question in warning_questions - requirement_questions:
        without = {k: v for k, v in answers.items() if k != question}
        assert screen(version, without, on).outcome == result.outcome


@SETTINGS
@given(evaluation_dates, answer_sets())
def test_effective_dates_hold_and_one_version_per_pathway(on: date, answers: dict[str, object]) -> None:
    in_force = CATALOGUE.in_force(on)
    assert len({v.pathway for v in in_force}) == len(in_force)
    for pathway in CATALOGUE.pathway_ids:
        chosen = CATALOGUE.version_for(pathway, on)
        containing = [v for v in CATALOGUE.versions(pathway)
                      if v.effective_from <= on and (v.effective_to is None or on <= v.effective_to)]
        assert containing == ([chosen] if chosen else [])
    for version in CATALOGUE.all_versions:
        if not version.in_force_on(on):
            assert screen(version, answers, on).outcome == "not_open"


CAM_TABLE = [  # (first day, version) from the facts: four versions, nothing before 1 December 2014
    (date(2014, 12, 1), "us-cam-2014"), (date(2016, 11, 15), "us-cam-2016"),
    (date(2021, 6, 15), "us-cam-2021"), (date(2023, 4, 11), "us-cam-2023"),
]


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.dates(date(2013, 1, 1), date(2030, 1, 1)),
                 st.sampled_from([d + timedelta(days=k) for d, _ in CAM_TABLE for k in (-1, 0)])))
def test_the_cam_version_in_force_is_chosen_by_date(on: date) -> None:
    expected = None
    for start, version_id in CAM_TABLE:
        if on >= start:
            expected = version_id
    chosen = CATALOGUE.version_for("us-cam", on)
    assert (chosen.id if chosen else None) == expected
    if chosen is not None:
        state = chosen.status_on(on).state
        closed = date(2017, 11, 10) <= on <= date(2021, 6, 14)
        suspended = on >= date(2025, 1, 27)
        assert state == ("closed" if closed else "suspended" if suspended else "open")
