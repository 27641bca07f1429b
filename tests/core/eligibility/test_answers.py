"""Answers: strict types, clear messages, and the same rules as the committed JSON Schema."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from corredor.core.eligibility import (
    AnswerError,
    Catalogue,
    Question,
    QuestionBank,
    answers_schema,
    find_answer_problems,
    screen,
    validate_answers,
)
from corredor.core.eligibility._files import PACKAGE_DIRECTORY

from .conftest import CATALOGUE


def test_valid_answers_are_normalised(catalogue: Catalogue) -> None:
    checked = validate_answers({"age": 17, "nationality": "HN", "married": False, "fears_return": None,
                                "date_entered_mexico": "2024-03-01", "date_entered_canada": date(2024, 1, 2)},
                               catalogue)
    assert checked == {"age": 17, "nationality": "HN", "married": False, "date_entered_mexico": date(2024, 3, 1),
                       "date_entered_canada": date(2024, 1, 2)}


@pytest.mark.parametrize(("key", "value", "says"), [
    ("edad", 17, "'edad' is not a question of the screening questionnaire"),
    ("age", "17", "must be a whole number, not the text '17'"),
    ("age", 17.0, "must be a whole number, not the number 17.0"),
    ("age", True, "must be a whole number, not the yes/no value True"),
    ("age", 131, "must be at most 130, not 131"),
    ("age", -1, "must be at least 0, not -1"),
    ("married", 1, "must be yes or no (true or false), not the number 1"),
    ("married", "false", "must be yes or no (true or false), not the text 'false'"),
    ("nationality", "hn", "country codes are written in capitals: 'HN', not 'hn'"),
    ("nationality", "XX", "'XX' is not a country code (ISO 3166-1 alpha-2, such as 'HN' for Honduras)"),
    ("nationality", "HND", "'HND' is not a country code"),
    ("nationality", 340, "must be a two-letter country code such as 'HN', not the number 340"),
    ("us_petitioner_status", "green_card", "must be one of: citizen, lpr, tps"),
    ("us_petitioner_status", 1, "not the number 1"),
    ("date_entered_mexico", "01/03/2024", "must be a date written YYYY-MM-DD (for example 2024-03-31)"),
    ("date_entered_mexico", "20240301", "must be a date written YYYY-MM-DD"),
    ("date_entered_mexico", "2024-02-30", "'2024-02-30' is not a real calendar date"),
    ("date_entered_mexico", datetime(2024, 3, 1, 10, 0), "must be a date without a time of day"),
    ("date_entered_mexico", 20240301, "must be a date written YYYY-MM-DD"),
])
def test_wrong_answers_get_clear_errors(key: str, value: object, says: str, catalogue: Catalogue) -> None:
    with pytest.raises(AnswerError) as caught:
        validate_answers({key: value}, catalogue)
    assert caught.value.key == key
    assert says in caught.value.message


def test_screen_refuses_bad_answers(catalogue: Catalogue) -> None:
    with pytest.raises(AnswerError, match="age: must be a whole number"):
        screen(catalogue.version("us-cam-2023"), {"age": "15"}, date(2024, 1, 1))


def test_every_problem_is_listed_for_a_form(catalogue: Catalogue) -> None:
    problems = find_answer_problems({"age": "x", "married": "no", "nationality": "HN", "foo": 1}, catalogue)
    assert [p.key for p in problems] == ["age", "married", "foo"]
    assert find_answer_problems([1, 2], catalogue)[0].key == "answers"  # type: ignore[arg-type]


def _list_bank() -> QuestionBank:
    values = ("a", "b", "c")
    return QuestionBank([
        Question("tags", "list", {"es": "t", "en": "t"}, values=values, items="enum",
                 value_labels={v: {"es": v, "en": v} for v in values}),
        Question("places", "list", {"es": "p", "en": "p"}, items="country", position=1),
    ], "test")


@pytest.mark.parametrize(("answers", "says"), [
    ({"tags": "a"}, "must be a list, not the text 'a'"),
    ({"tags": ["a", "z"]}, "item 2: must be one of: a, b, c"),
    ({"tags": ["a", "a"]}, "lists each value only once"),
    ({"places": ["HN", "hn"]}, "item 2: country codes are written in capitals"),
])
def test_list_answers(answers: dict, says: str) -> None:
    with pytest.raises(AnswerError) as caught:
        validate_answers(answers, _list_bank())
    assert says in caught.value.message


def test_list_answers_become_tuples() -> None:
    assert validate_answers({"tags": ["b", "a"], "places": []}, _list_bank()) == {"tags": ("b", "a"), "places": ()}


def test_committed_answers_schema_is_current(catalogue: Catalogue) -> None:
    committed = json.loads((PACKAGE_DIRECTORY / "schema" / "answers.schema.json").read_text(encoding="utf-8"))
    assert committed == answers_schema(catalogue.questions), "regenerate schema/answers.schema.json (LANGUAGE.md)"


SCHEMA = Draft202012Validator(answers_schema(CATALOGUE.questions), format_checker=FormatChecker())
json_values = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 200),
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()),
    st.sampled_from(["HN", "hn", "XX", "MX", "2024-03-01", "2024-02-30", "01/03/2024", "parent", "lpr", "violence",
                     "us_land_port", "", "yes"]),
    st.dates(date(2000, 1, 1), date(2030, 1, 1)).map(date.isoformat),
    st.lists(st.sampled_from(["HN", "a"]), max_size=2),
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from([*CATALOGUE.questions, "unknown_key"]), json_values, max_size=4))
def test_python_checks_and_json_schema_agree(answers: dict[str, object]) -> None:
    """JSON answers (as a browser would send them) pass `validate_answers` exactly when they pass the schema."""
    accepted_by_schema = SCHEMA.is_valid(answers)
    assert (not find_answer_problems(answers, CATALOGUE)) == accepted_by_schema
