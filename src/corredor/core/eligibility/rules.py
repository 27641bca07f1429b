"""The rule language: a small, strictly typed JsonLogic subset, evaluated in three-valued (Kleene) logic.

LANGUAGE.md is the specification; this module is its reference implementation. A rule is compiled once
(when the catalogue is loaded) into a tree of nodes, checked against the question bank's types, and then
evaluated either for one person (`TruthNode.truth`, used by `screen`) or for whole columns of people at
once (`TruthNode.truth_columns`, used by `batch`). Both walk the same tree, so they cannot drift apart.

Truth values are the integers PASS = 1, UNKNOWN = 0, FAIL = -1, so that Kleene's `and` is the minimum,
`or` is the maximum and `!` is the negation, in plain Python and in numpy alike.

Besides its truth value, every node reports which missing answers it is waiting for: only the questions
inside sub-expressions that are themselves still unknown (in `or(A, B)` with A passing, B's questions do
not matter). That set is what "the questions that would decide it" means throughout the package.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Protocol

import numpy as np

from .countries import COUNTRY_CODES
from .errors import RuleError

PASS: Final = 1
UNKNOWN: Final = 0
FAIL: Final = -1
TRUTH_NAMES: Final = {PASS: "pass", UNKNOWN: "unknown", FAIL: "fail"}

SORTED_COUNTRY_CODES: Final = tuple(sorted(COUNTRY_CODES))
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EPOCH = date(1970, 1, 1)

NO_MISSING: Final[frozenset[str]] = frozenset()


class _Missing:
    """The value of a question nobody has answered."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()


@dataclass(frozen=True)
class ValueType:
    """The type of a value in a rule: boolean, integer, date, country or enum, or a list of country/enum."""

    name: str
    values: tuple[str, ...] = ()  # the allowed values of an enum
    is_list: bool = False

    @property
    def element(self) -> ValueType:
        return ValueType(self.name, self.values)

    @property
    def universe(self) -> tuple[str, ...]:
        """The coded values of a country or enum (their position is their code in batch columns)."""
        return SORTED_COUNTRY_CODES if self.name == "country" else self.values

    def describe(self) -> str:
        """The type in words, for error messages."""
        if self.name == "enum":
            return f"{'a list of values from' if self.is_list else 'one of'} ({', '.join(self.values)})"
        if self.is_list:
            return f"a list of {self.name} codes"
        return _DESCRIPTIONS[self.name]


_DESCRIPTIONS: Final = {"boolean": "a yes/no answer", "integer": "a whole number", "date": "a date",
                         "country": "a country code"}
BOOLEAN: Final = ValueType("boolean")
INTEGER: Final = ValueType("integer")
DATE: Final = ValueType("date")
COUNTRY: Final = ValueType("country")


def day_number(day: date) -> int:
    """Days since 1970-01-01: how dates are held in batch columns."""
    return (day - _EPOCH).days


def business_days_between(start: date, end: date) -> int:
    """The number of Monday-to-Friday dates d with start < d <= end (negative, mirrored, when start > end).

    Public holidays are not subtracted (see LANGUAGE.md: the count can only be larger than an office's own
    count, so a deadline warning based on it appears early, never late).
    """
    if start > end:
        return -business_days_between(end, start)
    weeks, extra = divmod((end - start).days, 7)
    first = start.weekday()
    return weeks * 5 + sum(1 for step in range(1, extra + 1) if (first + step) % 7 < 5)


class ColumnSource(Protocol):
    """What vectorised evaluation needs: coded columns, their known masks and the evaluation date."""

    size: int
    on_day: int  # the evaluation date as a day number
    on: date

    def values(self, question: str) -> np.ndarray: ...

    def known(self, question: str) -> np.ndarray: ...

    def missing(self, question: str) -> np.ndarray: ...


Missing = dict[str, np.ndarray]  # question id -> boolean array: "this missing answer matters here"


# --- value nodes ----------------------------------------------------------------------------------------


class ValueNode:
    """An expression giving a value (an answer, a literal, a count of days)."""

    type: ValueType
    variables: tuple[str, ...] = ()
    literal: bool = False

    def value(self, answers: Mapping[str, object], on: date) -> object:
        raise NotImplementedError

    def column(self, source: ColumnSource) -> tuple[Any, np.ndarray | None]:
        """Coded values (an array, or a scalar for literals) and the known mask (None: always known)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Var(ValueNode):
    question: str
    type: ValueType

    @property
    def variables(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.question,)

    def value(self, answers: Mapping[str, object], on: date) -> object:
        return answers.get(self.question, MISSING)

    def column(self, source: ColumnSource) -> tuple[Any, np.ndarray | None]:
        return source.values(self.question), source.known(self.question)


@dataclass(frozen=True)
class Literal(ValueNode):
    constant: object  # bool, int, str (country/enum) or date
    type: ValueType
    literal: bool = True

    def value(self, answers: Mapping[str, object], on: date) -> object:
        return self.constant

    def column(self, source: ColumnSource) -> tuple[Any, np.ndarray | None]:
        return coded(self.constant, self.type), None


@dataclass(frozen=True)
class _Text:
    """A string literal before the other operand tells whether it is a country code or an enum value."""

    text: str
    literal: bool = True


@dataclass(frozen=True)
class DaysSince(ValueNode):
    """Whole days from a date to the evaluation date (negative when the date is later)."""

    operand: ValueNode
    type: ValueType = INTEGER

    @property
    def variables(self) -> tuple[str, ...]:  # type: ignore[override]
        return self.operand.variables

    def value(self, answers: Mapping[str, object], on: date) -> object:
        day = self.operand.value(answers, on)
        return MISSING if day is MISSING else (on - day).days  # type: ignore[operator]

    def column(self, source: ColumnSource) -> tuple[Any, np.ndarray | None]:
        days, known = self.operand.column(source)
        return source.on_day - days, known


@dataclass(frozen=True)
class BusinessDaysSince(ValueNode):
    """Monday-to-Friday days after a date up to and including the evaluation date."""

    operand: ValueNode
    type: ValueType = INTEGER

    @property
    def variables(self) -> tuple[str, ...]:  # type: ignore[override]
        return self.operand.variables

    def value(self, answers: Mapping[str, object], on: date) -> object:
        day = self.operand.value(answers, on)
        return MISSING if day is MISSING else business_days_between(day, on)  # type: ignore[arg-type]

    def column(self, source: ColumnSource) -> tuple[Any, np.ndarray | None]:
        days, known = self.operand.column(source)
        days = np.asarray(days, dtype=np.int64)
        # numpy counts a reversed interval from the other end, so count forwards and apply the sign here.
        low = np.minimum(days, source.on_day).astype("datetime64[D]") + np.timedelta64(1, "D")
        high = np.maximum(days, source.on_day).astype("datetime64[D]") + np.timedelta64(1, "D")
        count = np.busday_count(low, high).astype(np.int64)
        return np.where(days > source.on_day, -count, count), known


def coded(constant: object, value_type: ValueType) -> object:
    """A literal as batch columns hold it: day numbers for dates, positions in the universe for codes."""
    if value_type.name == "date":
        return day_number(constant)  # type: ignore[arg-type]
    if value_type.name in ("country", "enum"):
        return value_type.universe.index(str(constant))
    return constant


# --- truth nodes ----------------------------------------------------------------------------------------


class TruthNode:
    """An expression giving pass, fail or unknown."""

    variables: tuple[str, ...] = ()

    def truth(self, answers: Mapping[str, object], on: date) -> tuple[int, frozenset[str]]:
        """The truth value for one person and the missing answers that would decide it (empty unless unknown)."""
        raise NotImplementedError

    def truth_columns(self, source: ColumnSource) -> tuple[np.ndarray, Missing]:
        """Truth values as an int8 array (1 pass, 0 unknown, -1 fail) and, per question, where its
        missing answer would decide the expression (only ever true where the result is unknown)."""
        raise NotImplementedError


def _missing_among(nodes: Sequence[ValueNode], answers: Mapping[str, object]) -> frozenset[str]:
    return frozenset(v for node in nodes for v in node.variables if answers.get(v, MISSING) is MISSING)


def _missing_columns(nodes: Sequence[ValueNode], source: ColumnSource) -> Missing:
    return {v: source.missing(v) for node in nodes for v in node.variables}


def _as_truth(condition: np.ndarray, known: np.ndarray | None) -> np.ndarray:
    result = condition.astype(np.int8)
    result *= 2
    result -= 1
    if known is not None:
        result *= known
    return result


def _all_known(masks: Sequence[np.ndarray | None]) -> np.ndarray | None:
    present = [m for m in masks if m is not None]
    if not present:
        return None
    return np.logical_and.reduce(present) if len(present) > 1 else present[0]


_ORDERING: Final[dict[str, Callable[[Any, Any], Any]]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
_EQUALITY: Final[dict[str, Callable[[Any, Any], Any]]] = {"==": operator.eq, "!=": operator.ne}


@dataclass(frozen=True)
class Compare(TruthNode):
    """`==`, `!=`, `<`, `<=`, `>`, `>=`; `<` and `<=` also take three operands (a between-test)."""

    op: str
    operands: tuple[ValueNode, ...]

    @property
    def variables(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(v for node in self.operands for v in node.variables)

    def _relation(self) -> Callable[[Any, Any], Any]:
        return _EQUALITY.get(self.op) or _ORDERING[self.op]

    def truth(self, answers: Mapping[str, object], on: date) -> tuple[int, frozenset[str]]:
        values = [node.value(answers, on) for node in self.operands]
        if any(v is MISSING for v in values):
            return UNKNOWN, _missing_among(self.operands, answers)
        relation = self._relation()
        holds = all(relation(a, b) for a, b in itertools.pairwise(values))
        return (PASS if holds else FAIL), NO_MISSING

    def truth_columns(self, source: ColumnSource) -> tuple[np.ndarray, Missing]:
        pairs = [node.column(source) for node in self.operands]
        relation = self._relation()
        condition = relation(pairs[0][0], pairs[1][0])
        if len(pairs) == 3:
            condition = condition & relation(pairs[1][0], pairs[2][0])
        condition = np.broadcast_to(condition, (source.size,))
        return _as_truth(condition, _all_known([known for _, known in pairs])), _missing_columns(self.operands, source)


@dataclass(frozen=True)
class Member(TruthNode):
    """`in`: a value in a list of literals, or a value in a list-typed answer."""

    item: ValueNode
    choices: tuple[object, ...] | None  # the literal list, or None when `collection` is a list answer
    collection: ValueNode | None = None

    @property
    def variables(self) -> tuple[str, ...]:  # type: ignore[override]
        return self.item.variables + (self.collection.variables if self.collection is not None else ())

    def _nodes(self) -> tuple[ValueNode, ...]:
        return (self.item,) if self.collection is None else (self.item, self.collection)

    def truth(self, answers: Mapping[str, object], on: date) -> tuple[int, frozenset[str]]:
        item = self.item.value(answers, on)
        group = self.choices if self.collection is None else self.collection.value(answers, on)
        if item is MISSING or group is MISSING:
            return UNKNOWN, _missing_among(self._nodes(), answers)
        return (PASS if item in group else FAIL), NO_MISSING  # type: ignore[operator]

    def truth_columns(self, source: ColumnSource) -> tuple[np.ndarray, Missing]:
        values, known = self.item.column(source)
        element = self.item.type
        if self.collection is None:
            assert self.choices is not None
            choices = np.asarray([coded(c, element) for c in self.choices])
            if element.name in ("country", "enum"):
                table = np.zeros(len(element.universe), dtype=bool)
                table[choices] = True
                condition = table[values]
            else:
                condition = np.isin(values, choices)
        else:
            matrix, list_known = self.collection.column(source)
            rows = np.arange(source.size)
            condition = matrix[rows, values] if np.ndim(values) else matrix[:, values]
            known = _all_known([known, list_known])
        condition = np.broadcast_to(condition, (source.size,))
        return _as_truth(condition, known), _missing_columns(self._nodes(), source)


@dataclass(frozen=True)
class BooleanVar(TruthNode):
    """A yes/no question used directly as a condition: yes passes, no fails."""

    var: Var

    @property
    def variables(self) -> tuple[str, ...]:  # type: ignore[override]
        return self.var.variables

    def truth(self, answers: Mapping[str, object], on: date) -> tuple[int, frozenset[str]]:
        value = self.var.value(answers, on)
        if value is MISSING:
            return UNKNOWN, frozenset(self.var.variables)
        return (PASS if value else FAIL), NO_MISSING

    def truth_columns(self, source: ColumnSource) -> tuple[np.ndarray, Missing]:
        values, known = self.var.column(source)
        return _as_truth(values, known), _missing_columns((self.var,), source)


@dataclass(frozen=True)
class Constant(TruthNode):
    holds: bool

    def truth(self, answers: Mapping[str, object], on: date) -> tuple[int, frozenset[str]]:
        return (PASS if self.holds else FAIL), NO_MISSING

    def truth_columns(self, source: ColumnSource) -> tuple[np.ndarray, Missing]:
        return np.full(source.size, PASS if self.holds else FAIL, dtype=np.int8), {}


@dataclass(frozen=True)
class Combine(TruthNode):
    """`and` (the minimum of the truth values) and `or` (the maximum)."""

    op: str  # "and" | "or"
    children: tuple[TruthNode, ...]

    @property
    def variables(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(v for child in self.children for v in child.variables)

    def truth(self, answers: Mapping[str, object], on: date) -> tuple[int, frozenset[str]]:
        results = [child.truth(answers, on) for child in self.children]
        pick = min if self.op == "and" else max
        value = pick(r for r, _ in results)
        if value != UNKNOWN:
            return value, NO_MISSING
        return UNKNOWN, frozenset().union(*(m for r, m in results if r == UNKNOWN))

    def truth_columns(self, source: ColumnSource) -> tuple[np.ndarray, Missing]:
        results = [child.truth_columns(source) for child in self.children]
        pick = np.minimum if self.op == "and" else np.maximum
        value = results[0][0].copy()
        for other, _ in results[1:]:
            pick(value, other, out=value)
        undecided = value == UNKNOWN
        missing: Missing = {}
        for _, child_missing in results:
            for question, where in child_missing.items():
                previous = missing.get(question)
                missing[question] = where if previous is None else previous | where
        return value, {q: where & undecided for q, where in missing.items()}


@dataclass(frozen=True)
class Negate(TruthNode):
    """`!`: pass and fail swap, unknown stays unknown."""

    child: TruthNode

    @property
    def variables(self) -> tuple[str, ...]:  # type: ignore[override]
        return self.child.variables

    def truth(self, answers: Mapping[str, object], on: date) -> tuple[int, frozenset[str]]:
        value, missing = self.child.truth(answers, on)
        return -value, missing

    def truth_columns(self, source: ColumnSource) -> tuple[np.ndarray, Missing]:
        value, missing = self.child.truth_columns(source)
        return np.negative(value), missing


# --- compiling ------------------------------------------------------------------------------------------

CONDITIONS: Final = ("and", "or", "!", "==", "!=", "<", "<=", ">", ">=", "in")
VALUES: Final = ("var", "date", "days_since", "business_days_since")
OPERATIONS: Final = CONDITIONS + VALUES


def compile_rule(rule: object, types: Mapping[str, ValueType], path: str = "rule") -> TruthNode:
    """Check a rule against the question types and compile it; raises RuleError naming the exact place."""
    return _condition(rule, types, path)


def _operation(expr: object, path: str) -> tuple[str, object, str]:
    if not isinstance(expr, dict) or len(expr) != 1:
        raise RuleError(path, 'an operation is an object with exactly one key, such as {"==": [a, b]}')
    op, args = next(iter(expr.items()))
    if op not in OPERATIONS:
        raise RuleError(path, f"unknown operation {op!r}; the language has: {', '.join(OPERATIONS)}")
    return op, args, f"{path}.{op}"


def _arguments(args: object, path: str, op: str, counts: Sequence[int] | None = None, *,
               unary: bool = False) -> list[object]:
    if not isinstance(args, list):
        if unary:
            return [args]
        raise RuleError(path, f"the operands of {op!r} are written as a list")
    if counts is not None and len(args) not in counts:
        wanted = " or ".join(str(c) for c in counts)
        raise RuleError(path, f"{op!r} takes {wanted} operands, not {len(args)}")
    if not args:
        raise RuleError(path, f"{op!r} needs at least one operand")
    return args


def _condition(expr: object, types: Mapping[str, ValueType], path: str) -> TruthNode:
    if isinstance(expr, bool):
        return Constant(expr)
    op, args, here = _operation(expr, path)
    if op == "var":
        var = _var(args, types, here)
        if var.type != BOOLEAN:
            raise RuleError(here, f"question {var.question!r} gives {var.type.describe()}, not yes/no; "
                                  "compare it with a value to make a condition")
        return BooleanVar(var)
    if op in ("and", "or"):
        items = _arguments(args, here, op)
        return Combine(op, tuple(_condition(a, types, f"{here}[{i}]") for i, a in enumerate(items)))
    if op == "!":
        (item,) = _arguments(args, here, op, (1,), unary=True)
        return Negate(_condition(item, types, f"{here}[0]"))
    if op in _EQUALITY:
        return _equality(op, _arguments(args, here, op, (2,)), types, here)
    if op in _ORDERING:
        return _ordering(op, _arguments(args, here, op, (2, 3) if op in ("<", "<=") else (2,)), types, here)
    if op == "in":
        return _membership(_arguments(args, here, op, (2,)), types, here)
    raise RuleError(here, f"{op!r} gives a value, not a condition; compare it with something")


def _var(args: object, types: Mapping[str, ValueType], path: str) -> Var:
    if isinstance(args, list):
        if len(args) != 1:
            raise RuleError(path, "a var names one question and takes no default: a missing answer is unknown")
        args = args[0]
    if not isinstance(args, str) or not args:
        raise RuleError(path, "a var names a question id (a non-empty string)")
    if args not in types:
        raise RuleError(path, f"unknown question {args!r}: every var must be a question in questions.yaml")
    return Var(args, types[args])


def _value(expr: object, types: Mapping[str, ValueType], path: str) -> ValueNode | _Text:
    if isinstance(expr, bool):
        return Literal(expr, BOOLEAN)
    if isinstance(expr, int):
        return Literal(expr, INTEGER)
    if isinstance(expr, float):
        raise RuleError(path, f"{expr!r}: the language has whole numbers only")
    if isinstance(expr, str):
        return _Text(expr)
    if expr is None:
        raise RuleError(path, "null is not a value here (a missing answer is already unknown)")
    if isinstance(expr, list):
        raise RuleError(path, "a list is only allowed as the second operand of 'in'")
    op, args, here = _operation(expr, path)
    if op == "var":
        return _var(args, types, here)
    if op == "date":
        (text,) = _arguments(args, here, op, (1,), unary=True)
        return Literal(_date_literal(text, here), DATE)
    if op in ("days_since", "business_days_since"):
        (item,) = _arguments(args, here, op, (1,), unary=True)
        operand = _typed(_value(item, types, f"{here}[0]"), DATE, f"{here}[0]")
        if operand.type != DATE:
            raise RuleError(here, f"{op!r} counts days from a date, not from {operand.type.describe()}")
        return DaysSince(operand) if op == "days_since" else BusinessDaysSince(operand)
    raise RuleError(here, f"{op!r} is a condition; it cannot be compared (combine conditions with and, or, !)")


def _date_literal(text: object, path: str) -> date:
    if not isinstance(text, str) or not _DATE_TEXT.match(text):
        raise RuleError(path, f"{text!r} is not a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RuleError(path, f"{text!r} is not a calendar date") from None


def _typed(node: ValueNode | _Text, expected: ValueType, path: str) -> ValueNode:
    """Give a string literal the type of the value it is compared with, checking it belongs there."""
    if not isinstance(node, _Text):
        return node
    text = node.text
    if expected.name == "country" and not expected.is_list:
        if text not in COUNTRY_CODES:
            raise RuleError(path, f"{text!r} is not an ISO 3166-1 alpha-2 country code (such as 'HN')")
        return Literal(text, COUNTRY)
    if expected.name == "enum" and not expected.is_list:
        if text not in expected.values:
            raise RuleError(path, f"{text!r} is not one of the allowed answers: {', '.join(expected.values)}")
        return Literal(text, expected)
    hint = ' (write dates as {"date": "YYYY-MM-DD"})' if expected.name == "date" else ""
    raise RuleError(path, f"the text {text!r} cannot be compared with {expected.describe()}{hint}")


def _resolve(items: Sequence[object], types: Mapping[str, ValueType], path: str, op: str) -> list[ValueNode]:
    raw = [_value(item, types, f"{path}[{i}]") for i, item in enumerate(items)]
    anchors = [node for node in raw if isinstance(node, ValueNode) and not node.literal]
    if not anchors:
        raise RuleError(path, f"{op!r} compares constants only; at least one operand must depend on an answer")
    anchor = anchors[0].type
    nodes = [_typed(node, anchor, f"{path}[{i}]") for i, node in enumerate(raw)]
    for i, node in enumerate(nodes):
        if node.type != anchor:
            raise RuleError(f"{path}[{i}]", f"compares {anchor.describe()} with {node.type.describe()}: "
                                            "values of different types are never compared")
    if anchor.is_list:
        raise RuleError(path, "a list answer is tested with 'in', not compared")
    return nodes


def _equality(op: str, items: Sequence[object], types: Mapping[str, ValueType], path: str) -> TruthNode:
    return Compare(op, tuple(_resolve(items, types, path, op)))


def _ordering(op: str, items: Sequence[object], types: Mapping[str, ValueType], path: str) -> TruthNode:
    nodes = _resolve(items, types, path, op)
    if nodes[0].type not in (INTEGER, DATE):
        raise RuleError(path, f"{op!r} orders whole numbers or dates, not {nodes[0].type.describe()}")
    return Compare(op, tuple(nodes))


def _membership(items: Sequence[object], types: Mapping[str, ValueType], path: str) -> TruthNode:
    item_expr, group_expr = items
    if isinstance(group_expr, list):
        item = _value(item_expr, types, f"{path}[0]")
        if not isinstance(item, ValueNode) or item.literal:
            raise RuleError(f"{path}[0]", "the value tested with 'in' must depend on an answer")
        if item.type.is_list:
            raise RuleError(f"{path}[0]", "a list answer cannot be looked up in a list")
        if not group_expr:
            raise RuleError(f"{path}[1]", "the list of 'in' is empty")
        choices: list[object] = []
        for i, raw in enumerate(group_expr):
            where = f"{path}[1][{i}]"
            node = _typed(_value(raw, types, where), item.type, where)
            if not node.literal:
                raise RuleError(where, "the list of 'in' holds constants only")
            if node.type != item.type:
                raise RuleError(where, f"compares {item.type.describe()} with {node.type.describe()}: "
                                       "values of different types are never compared")
            constant = node.value({}, _EPOCH)
            if constant in choices:
                raise RuleError(where, f"{constant!r} appears twice in the list")
            choices.append(constant)
        return Member(item, tuple(choices))
    group = _value(group_expr, types, f"{path}[1]")
    if not isinstance(group, ValueNode) or not group.type.is_list:
        raise RuleError(f"{path}[1]", "the second operand of 'in' is a list of constants or a list answer")
    member = _typed(_value(item_expr, types, f"{path}[0]"), group.type.element, f"{path}[0]")
    if member.type != group.type.element:
        raise RuleError(f"{path}[0]", f"looks up {member.type.describe()} in {group.type.describe()}")
    return Member(member, None, group)
