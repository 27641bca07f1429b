"""The rule language: Kleene truth tables, strict typing at compile time, and the day counts."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corredor.core.eligibility import FAIL, PASS, UNKNOWN, RuleError, business_days_between, compile_rule
from corredor.core.eligibility.batch import PreparedColumns
from corredor.core.eligibility.questions import Question, QuestionBank
from corredor.core.eligibility.rules import BOOLEAN, COUNTRY, DATE, INTEGER, ValueType

TYPES = {
    "a": BOOLEAN, "b": BOOLEAN, "n": INTEGER, "m": INTEGER, "d": DATE, "c": COUNTRY,
    "colour": ValueType("enum", ("red", "green", "blue")),
    "shade": ValueType("enum", ("light", "dark")),
    "colours": ValueType("enum", ("red", "green", "blue"), True),
    "places": ValueType("country", (), True),
}
ON = date(2024, 5, 15)
TRUTHS = {True: PASS, False: FAIL, None: UNKNOWN}


def truth(rule: object, **answers: object) -> int:
    return compile_rule(rule, TYPES).truth(answers, ON)[0]


def missing(rule: object, **answers: object) -> frozenset[str]:
    return compile_rule(rule, TYPES).truth(answers, ON)[1]


def _answers(a: bool | None, b: bool | None) -> dict[str, bool]:
    return {k: v for k, v in (("a", a), ("b", b)) if v is not None}


@pytest.mark.parametrize("a", [True, False, None])
@pytest.mark.parametrize("b", [True, False, None])
def test_kleene_tables(a: bool | None, b: bool | None) -> None:
    answers = _answers(a, b)
    ta, tb = TRUTHS[a], TRUTHS[b]
    assert truth({"and": [{"var": "a"}, {"var": "b"}]}, **answers) == min(ta, tb)
    assert truth({"or": [{"var": "a"}, {"var": "b"}]}, **answers) == max(ta, tb)
    assert truth({"!": {"var": "a"}}, **answers) == -ta
    assert truth({"!": [{"var": "a"}]}, **answers) == -ta
    # the textbook cases, spelled out
    if a is False or b is False:
        assert truth({"and": [{"var": "a"}, {"var": "b"}]}, **answers) == FAIL
    if a is True or b is True:
        assert truth({"or": [{"var": "a"}, {"var": "b"}]}, **answers) == PASS


def test_comparisons_with_a_missing_operand_are_unknown() -> None:
    for op in ("==", "!=", "<", "<=", ">", ">="):
        assert truth({op: [{"var": "n"}, 3]}) == UNKNOWN
        assert missing({op: [{"var": "n"}, {"var": "m"}]}, m=1) == {"n"}
    assert truth({"in": [{"var": "c"}, ["SV", "GT"]]}) == UNKNOWN
    assert truth({"in": ["SV", {"var": "places"}]}) == UNKNOWN


def test_values_compare_as_written() -> None:
    assert truth({"<": [{"var": "n"}, 21]}, n=20) == PASS
    assert truth({"<": [{"var": "n"}, 21]}, n=21) == FAIL
    assert truth({"<=": [18, {"var": "n"}, 20]}, n=20) == PASS
    assert truth({"<": [18, {"var": "n"}, 20]}, n=20) == FAIL
    assert truth({"==": [{"var": "c"}, "HN"]}, c="HN") == PASS
    assert truth({"!=": [{"var": "colour"}, "red"]}, colour="red") == FAIL
    assert truth({"in": [{"var": "colour"}, ["red", "blue"]]}, colour="blue") == PASS
    assert truth({"in": ["green", {"var": "colours"}]}, colours=("red",)) == FAIL
    assert truth({"in": [{"var": "c"}, {"var": "places"}]}, c="MX", places=("GT", "MX")) == PASS
    assert truth({"<": [{"var": "d"}, {"date": "2021-05-15"}]}, d=date(2021, 5, 14)) == PASS
    assert truth({"<": [{"var": "d"}, {"date": "2021-05-15"}]}, d=date(2021, 5, 15)) == FAIL
    assert truth({">": [{"days_since": {"var": "d"}}, 14]}, d=ON - timedelta(days=15)) == PASS
    assert truth({">": [{"days_since": {"var": "d"}}, 14]}, d=ON - timedelta(days=14)) == FAIL
    assert truth(True) == PASS


def test_only_the_missing_answers_that_matter_are_reported() -> None:
    rule = {"or": [{"var": "a"}, {"and": [{"var": "b"}, {">": [{"var": "n"}, 3]}]}]}
    assert missing(rule) == {"a", "b", "n"}
    assert missing(rule, a=True) == frozenset()  # decided
    assert missing(rule, a=False) == {"b", "n"}
    assert missing(rule, b=False) == {"a"}  # the and() already fails
    assert missing(rule, a=False, n=1) == frozenset()  # fails whatever b is


@pytest.mark.parametrize(("rule", "where", "says"), [
    ({"==": [{"var": "n"}, "1"]}, "rule.==[1]", "cannot be compared with a whole number"),
    ({"==": [{"var": "a"}, 1]}, "rule.==[1]", "compares a yes/no answer with a whole number"),
    ({"==": [{"var": "c"}, "XX"]}, "rule.==[1]", "not an ISO 3166-1 alpha-2 country code"),
    ({"==": [{"var": "c"}, "hn"]}, "rule.==[1]", "not an ISO 3166-1 alpha-2 country code"),
    ({"in": [{"var": "colour"}, ["red", "purple"]]}, "rule.in[1][1]", "not one of the allowed answers"),
    ({"==": [{"var": "colour"}, {"var": "shade"}]}, "rule.==[1]", "compares one of (red, green, blue)"),
    ({"<": [{"var": "c"}, "HN"]}, "rule.<", "orders whole numbers or dates"),
    ({"<": [{"var": "d"}, "2021-05-15"]}, "rule.<[1]", 'write dates as {"date": "YYYY-MM-DD"}'),
    ({"var": "n"}, "rule.var", "not yes/no"),
    ({"var": "nope"}, "rule.var", "unknown question 'nope'"),
    ({"var": ["a", True]}, "rule.var", "takes no default"),
    ({"==": [1, 1]}, "rule.==", "compares constants only"),
    ({"==": [{"var": "n"}, 1.5]}, "rule.==[1]", "whole numbers only"),
    ({"==": [{"var": "n"}, None]}, "rule.==[1]", "null is not a value"),
    ({"==": [{"var": "n"}]}, "rule.==", "takes 2 operands, not 1"),
    ({">": [1, {"var": "n"}, 3]}, "rule.>", "takes 2 operands, not 3"),
    ({"and": []}, "rule.and", "at least one operand"),
    ({"and": {"var": "a"}}, "rule.and", "written as a list"),
    ({"+": [1, 2]}, "rule", "unknown operation '+'"),
    ({"var": "a", "==": [1, 1]}, "rule", "exactly one key"),
    ({"in": [{"var": "c"}, []]}, "rule.in[1]", "empty"),
    ({"in": [{"var": "c"}, ["HN", "HN"]]}, "rule.in[1][1]", "appears twice"),
    ({"in": [{"var": "c"}, [{"var": "c"}]]}, "rule.in[1][0]", "constants only"),
    ({"in": ["SV", {"var": "colours"}]}, "rule.in[0]", "not one of the allowed answers"),
    ({"in": [{"var": "c"}, {"var": "c"}]}, "rule.in[1]", "a list of constants or a list answer"),
    ({"==": [{"var": "colours"}, {"var": "colours"}]}, "rule.==", "tested with 'in'"),
    ({"days_since": {"var": "d"}}, "rule.days_since", "gives a value, not a condition"),
    ({"<": [{"days_since": {"var": "n"}}, 3]}, "rule.<[0].days_since", "counts days from a date"),
    ({"==": [{"var": "d"}, {"date": "2021-02-30"}]}, "rule.==[1].date", "not a calendar date"),
    ({"==": [{"var": "d"}, {"date": "20210215"}]}, "rule.==[1].date", "not a date written YYYY-MM-DD"),
    ({"==": [{"var": "a"}, {"and": [True]}]}, "rule.==[1].and", "is a condition"),
    ("yes", "rule", "exactly one key"),
])
def test_type_errors_name_the_place(rule: object, where: str, says: str) -> None:
    with pytest.raises(RuleError) as caught:
        compile_rule(rule, TYPES)
    assert caught.value.path == where
    assert says in caught.value.message


def test_business_days_examples() -> None:
    friday, monday = date(2024, 5, 10), date(2024, 5, 13)
    assert business_days_between(friday, monday) == 1  # Saturday and Sunday do not count
    assert business_days_between(friday, friday) == 0
    assert business_days_between(monday, friday) == -1
    assert business_days_between(date(2024, 1, 1), date(2024, 12, 31)) == 261  # 2024 has 262 weekdays; 1 Jan excluded


@settings(max_examples=300, deadline=None)
@given(st.dates(date(2000, 1, 1), date(2040, 1, 1)), st.dates(date(2000, 1, 1), date(2040, 1, 1)))
def test_business_days_agree_with_numpy(start: date, end: date) -> None:
    one = timedelta(days=1)
    low, high = min(start, end), max(start, end)
    forwards = int(np.busday_count(low + one, high + one))  # Mon-Fri days d with low < d <= high
    assert business_days_between(start, end) == (forwards if start <= end else -forwards)


def _bank() -> QuestionBank:
    questions = [
        Question("a", "boolean", {"es": "a", "en": "a"}, position=0),
        Question("n", "integer", {"es": "n", "en": "n"}, position=1),
        Question("d", "date", {"es": "d", "en": "d"}, position=2),
        Question("c", "country", {"es": "c", "en": "c"}, position=3),
        Question("colours", "list", {"es": "x", "en": "x"}, values=("red", "green", "blue"), items="enum",
                 value_labels={v: {"es": v, "en": v} for v in ("red", "green", "blue")}, position=4),
        Question("places", "list", {"es": "p", "en": "p"}, items="country", position=5),
    ]
    return QuestionBank(questions, "test")


RULES = [
    {"or": [{"var": "a"}, {"and": [{">=": [{"var": "n"}, 18]}, {"in": [{"var": "c"}, ["SV", "GT", "HN"]]}]}]},
    {"!": {"and": [{"in": ["green", {"var": "colours"}]}, {"<=": [{"business_days_since": {"var": "d"}}, 30]}]}},
    {"or": [{"in": [{"var": "c"}, {"var": "places"}]}, {"<": [{"date": "2020-01-01"}, {"var": "d"},
                                                                {"date": "2024-01-01"}]}]},
    {"and": [{"!=": [{"var": "c"}, "MX"]}, {">": [{"days_since": {"var": "d"}}, 14]}]},
]
small_answers = st.fixed_dictionaries({}, optional={
    "a": st.booleans(), "n": st.integers(0, 40), "c": st.sampled_from(["SV", "GT", "HN", "MX", "US"]),
    "d": st.dates(date(2019, 6, 1), date(2024, 8, 1)),
    "colours": st.lists(st.sampled_from(["red", "green", "blue"]), unique=True).map(tuple),
    "places": st.lists(st.sampled_from(["SV", "MX", "CA"]), unique=True).map(tuple),
})


@settings(max_examples=60, deadline=None)
@given(st.lists(small_answers, min_size=1, max_size=25), st.dates(date(2020, 1, 1), date(2024, 12, 31)))
def test_columns_evaluate_exactly_like_single_answers(people: list[dict[str, object]], on: date) -> None:
    from .conftest import to_columns

    bank = _bank()
    source = PreparedColumns(bank, to_columns(people, bank), on)
    for rule in RULES:
        node = compile_rule(rule, bank.types)
        values, missing_by_question = node.truth_columns(source)
        for row, answers in enumerate(people):
            expected, expected_missing = node.truth(answers, on)
            assert values[row] == expected
            assert {q for q, where in missing_by_question.items() if where[row]} == expected_missing
