"""Screening one person: outcomes, explanations, the questions to ask next, warnings and closed pathways."""

from __future__ import annotations

from datetime import date

from corredor.core.eligibility import Catalogue, order_questions, screen, screen_all

ON = date(2024, 6, 3)
CHILD = {"age": 15, "married": False, "nationality": "HN", "country_of_residence": "HN"}


def test_may_apply_is_never_a_promise(catalogue: Catalogue) -> None:
    result = screen(catalogue.version("us-cam-2023"), CHILD | {"us_petitioner_relationship": "parent",
                                                               "us_petitioner_status": "lpr"}, ON)
    assert result.outcome == "may_apply"
    assert result.discretionary
    assert "not a decision" in result.summary["en"] and "discrecional" in result.summary["es"]
    decision = result.criteria[-1]
    assert (decision.severity, decision.result) == ("adjudicated", "unknown")
    assert decision.questions_needed == ()
    assert result.questions_needed == () and result.failing == ()


def test_does_not_qualify_lists_the_failing_criteria_with_their_reasons(catalogue: Catalogue) -> None:
    result = screen(catalogue.version("us-cam-2023"), CHILD | {"age": 22, "nationality": "MX"}, ON)
    assert result.outcome == "does_not_qualify"
    assert [c.id for c in result.failing] == ["unmarried_under_21", "national_living_in_sv_gt_hn"]
    assert result.failing[0].explanation["en"] == "The program is for unmarried children under 21."
    assert result.questions_needed == ()  # nothing can rescue it


def test_need_more_info_asks_exactly_the_deciding_questions(catalogue: Catalogue) -> None:
    result = screen(catalogue.version("us-cam-2014"), {}, date(2015, 3, 1))
    assert result.outcome == "need_more_info"
    assert result.questions_needed == ("age", "nationality", "country_of_residence", "married",
                                       "us_petitioner_relationship", "us_petitioner_status", "us_petitioner_age")
    unknown = result.criteria[2]
    assert unknown.questions_needed == ("us_petitioner_relationship", "us_petitioner_status", "us_petitioner_age")
    assert unknown.explanation["en"].startswith("Still to answer: What is the relationship")
    assert not result.one_answer_away


def test_questions_several_requirements_wait_for_come_first(catalogue: Catalogue) -> None:
    bank = catalogue.questions
    assert order_questions([frozenset({"married", "fears_return"}), frozenset({"fears_return"})], bank) == (
        "fears_return", "married")
    assert order_questions([frozenset({"married", "age"})], bank) == ("age", "married")


def test_one_answer_away(catalogue: Catalogue) -> None:
    result = screen(catalogue.version("us-cam-2021"), CHILD | {"us_petitioner_relationship": "parent",
                                                               "us_petitioner_status": "parole"}, date(2022, 1, 3))
    assert result.questions_needed == ("us_petitioner_status_one_year",)
    assert result.one_answer_away


def test_warnings_never_change_the_outcome(catalogue: Catalogue) -> None:
    comar = catalogue.version("mx-comar-2014")
    base = {"nationality": "SV", "fears_return": True}
    recent = screen(comar, base | {"date_entered_mexico": "2024-05-30"}, ON)
    late = screen(comar, base | {"date_entered_mexico": "2023-05-30"}, ON)
    unknown = screen(comar, base, ON)
    assert recent.outcome == late.outcome == unknown.outcome == "may_apply"
    assert [w.id for w in late.warnings] == ["filed_within_30_business_days"]
    assert "materially possible" in late.warnings[0].explanation["en"]
    assert recent.warnings == unknown.warnings == ()


def test_not_open_keeps_the_outcome_it_would_have(catalogue: Catalogue) -> None:
    answers = CHILD | {"us_petitioner_relationship": "parent", "us_petitioner_status": "lpr",
                       "us_petitioner_age": 40}
    closed = screen(catalogue.version("us-cam-2016"), answers, date(2019, 1, 1))
    assert (closed.outcome, closed.outcome_if_open, closed.status.state) == ("not_open", "may_apply", "closed")
    assert "9 November 2017" in closed.summary["en"]
    suspended = screen(catalogue.version("us-cam-2023"), {}, date(2025, 2, 1))
    assert (suspended.outcome, suspended.outcome_if_open) == ("not_open", "need_more_info")
    assert suspended.questions_needed == ()


def test_referral_only_pathways_say_so(catalogue: Catalogue) -> None:
    result = screen(catalogue.version("sv-idp-2020"), {"country_of_residence": "SV",
                                                      "displacement_cause": "violence"}, ON)
    assert result.outcome == "may_apply" and result.referral_only
    assert "referral" in result.summary["en"]


def test_notices_in_force_are_reported(catalogue: Catalogue) -> None:
    pta = catalogue.version("cr-pta-2016")
    assert screen(pta, {}, date(2025, 1, 26)).notices == ()
    assert "USRAP" in screen(pta, {}, date(2025, 1, 27)).notices[0].text["en"]


def test_the_menu_holds_every_pathway_in_force(catalogue: Catalogue) -> None:
    answers = {"age": 34, "nationality": "VE", "country_of_residence": "CR", "fears_return": True}
    menu = screen_all(catalogue, answers, date(2025, 6, 1))
    by_pathway = {s.pathway: s for s in menu}
    assert set(by_pathway) == {v.pathway for v in catalogue.in_force(date(2025, 6, 1))}
    assert by_pathway["us-cam"].outcome == "not_open"
    assert by_pathway["cr-cet"].status.state == "closed"
    assert by_pathway["us-parole"].outcome == "may_apply"
    assert by_pathway["cr-asylum"].outcome == "may_apply" and by_pathway["cr-asylum"].version_id == "cr-asylum-2022"
    assert by_pathway["cr-pc"].outcome == "need_more_info"
    assert all(s.rules_digest == catalogue.version(s.version_id).digest for s in menu)
