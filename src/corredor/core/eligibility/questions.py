"""The shared question bank (questions.yaml) and the checking of answers against it.

Answers are strict: a whole number is an int (never the text "1", never a float, never True), a yes/no
answer is a bool (never 1 or "yes"), a date is a `datetime.date` or text written YYYY-MM-DD, a country is an
ISO 3166-1 alpha-2 code in capitals, an enum answer is one of the question's values, and a list answer is a
list of distinct such values. None means "not answered" and is simply left out. `answers_schema` gives the
same rules as a JSON Schema (committed as schema/answers.schema.json for a browser-side evaluator); a test
holds the two in agreement.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from ._files import canonical_digest, check_against_schema, key_path, load_schema, read_yaml
from .countries import COUNTRY_CODES
from .errors import AnswerError, CatalogueError
from .rules import BOOLEAN, COUNTRY, DATE, INTEGER, SORTED_COUNTRY_CODES, ValueType

QUESTIONS_FILE: Final = "questions.yaml"
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SCALAR_TYPES: Final = {"boolean": BOOLEAN, "integer": INTEGER, "date": DATE, "country": COUNTRY}


@dataclass(frozen=True)
class Question:
    """One question of the bank. `values` are the allowed answers of an enum (or of a list of enum)."""

    id: str
    type: str  # boolean | integer | date | country | enum | list
    text: Mapping[str, str]
    help: Mapping[str, str] | None = None
    values: tuple[str, ...] = ()
    value_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    items: str | None = None  # for a list: "enum" or "country"
    minimum: int | None = None
    maximum: int | None = None
    from_registry: str | None = None
    position: int = 0  # place in questions.yaml: the tie-break when ordering questions to ask

    @property
    def value_type(self) -> ValueType:
        """The type a rule sees for this question."""
        if self.type == "enum":
            return ValueType("enum", self.values)
        if self.type == "list":
            return ValueType("enum", self.values, True) if self.items == "enum" else ValueType("country", (), True)
        return _SCALAR_TYPES[self.type]


class QuestionBank(Mapping[str, Question]):
    """The questions in their file order, with the digest of the file's content."""

    def __init__(self, questions: list[Question], digest: str) -> None:
        self._questions = {q.id: q for q in questions}
        self.digest = digest
        self.types: Mapping[str, ValueType] = {q.id: q.value_type for q in questions}

    def __getitem__(self, key: str) -> Question:
        return self._questions[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._questions)

    def __len__(self) -> int:
        return len(self._questions)

    def __repr__(self) -> str:
        return f"QuestionBank({len(self)} questions, digest={self.digest[:12]})"

    def as_data(self) -> list[dict[str, Any]]:
        """The questions as plain data (for the app layer and a browser-side evaluator)."""
        return [_question_data(q) for q in self._questions.values()]


def _question_data(q: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"id": q.id, "type": q.type, "text": dict(q.text)}
    if q.help:
        data["help"] = dict(q.help)
    if q.items:
        data["items"] = q.items
    if q.values:
        data["values"] = [{"value": v, "label": dict(q.value_labels[v])} for v in q.values]
    if q.minimum is not None:
        data["minimum"] = q.minimum
    if q.maximum is not None:
        data["maximum"] = q.maximum
    if q.from_registry:
        data["from_registry"] = q.from_registry
    return data


def load_question_bank(directory: Path) -> QuestionBank:
    """Read and check questions.yaml (schema first, then unique ids, values and bounds)."""
    raw = read_yaml(directory / QUESTIONS_FILE)
    check_against_schema(raw, load_schema(directory, "questions.schema.json"), QUESTIONS_FILE)
    assert isinstance(raw, dict)
    questions: list[Question] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw["questions"]):
        where = key_path(["questions", index])
        if entry["id"] in seen:
            raise CatalogueError(QUESTIONS_FILE, f"{where}.id", f"question {entry['id']!r} is defined twice")
        seen.add(entry["id"])
        questions.append(_question(entry, index, where))
    return QuestionBank(questions, canonical_digest(raw))


def _question(entry: dict[str, Any], index: int, where: str) -> Question:
    kind = entry["type"]
    items = entry.get("items")
    needs_values = kind == "enum" or (kind == "list" and items == "enum")
    if kind == "list" and items is None:
        raise CatalogueError(QUESTIONS_FILE, f"{where}.items", "a list question says what it holds: enum or country")
    if kind != "list" and items is not None:
        raise CatalogueError(QUESTIONS_FILE, f"{where}.items", "only a list question has items")
    if needs_values != ("values" in entry):
        message = "an enum question lists its values" if needs_values else "only an enum question has values"
        raise CatalogueError(QUESTIONS_FILE, f"{where}.values", message)
    if kind != "integer" and ("minimum" in entry or "maximum" in entry):
        raise CatalogueError(QUESTIONS_FILE, f"{where}.minimum", "only a whole-number question has bounds")
    if entry.get("minimum") is not None and entry.get("maximum") is not None and entry["minimum"] > entry["maximum"]:
        raise CatalogueError(QUESTIONS_FILE, f"{where}.maximum", "the maximum is below the minimum")
    values: list[str] = []
    for i, item in enumerate(entry.get("values", [])):
        if item["value"] in values:
            raise CatalogueError(QUESTIONS_FILE, f"{where}.values[{i}].value", f"{item['value']!r} is listed twice")
        values.append(item["value"])
    return Question(
        id=entry["id"], type=kind, text=entry["text"], help=entry.get("help"), values=tuple(values),
        value_labels={item["value"]: item["label"] for item in entry.get("values", [])}, items=items,
        minimum=entry.get("minimum"), maximum=entry.get("maximum"), from_registry=entry.get("from_registry"),
        position=index,
    )


# --- answers --------------------------------------------------------------------------------------------


def validate_answers(answers: Mapping[str, object], bank: QuestionBank | Any) -> dict[str, object]:
    """Check answers against the bank and return them normalised; raise AnswerError at the first problem.

    `bank` is a QuestionBank (or anything with a `.questions` bank, such as the Catalogue). The result holds
    only the answered questions: None is dropped, dates become `datetime.date`, lists become tuples.
    """
    problems = find_answer_problems(answers, bank)
    if problems:
        raise problems[0]
    questions = _bank(bank)
    return {key: _normalised(questions[key], value) for key, value in answers.items() if value is not None}


def find_answer_problems(answers: Mapping[str, object], bank: QuestionBank | Any) -> list[AnswerError]:
    """Every problem with the answers, in the order of the keys given (a form can show them all at once)."""
    questions = _bank(bank)
    if not isinstance(answers, Mapping):
        return [AnswerError("answers", f"answers are a mapping of question id to answer, not {type(answers).__name__}")]
    problems: list[AnswerError] = []
    for key, value in answers.items():
        if not isinstance(key, str) or key not in questions:
            problems.append(AnswerError(str(key), f"{key!r} is not a question of the screening questionnaire"))
            continue
        if value is None:
            continue
        message = _problem(questions[key], value)
        if message:
            problems.append(AnswerError(key, message))
    return problems


def _bank(bank: QuestionBank | Any) -> QuestionBank:
    return bank if isinstance(bank, QuestionBank) else bank.questions


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"the yes/no value {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    return f"a {type(value).__name__}"


def _problem(question: Question, value: object) -> str | None:
    kind = question.type
    if kind == "boolean":
        return None if isinstance(value, bool) else f"must be yes or no (true or false), not {_describe(value)}"
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"must be a whole number, not {_describe(value)}"
        if question.minimum is not None and value < question.minimum:
            return f"must be at least {question.minimum}, not {value}"
        if question.maximum is not None and value > question.maximum:
            return f"must be at most {question.maximum}, not {value}"
        return None
    if kind == "date":
        return _date_problem(value)
    if kind == "country":
        return _country_problem(value)
    if kind == "enum":
        return _enum_problem(question, value)
    return _list_problem(question, value)


def _date_problem(value: object) -> str | None:
    if isinstance(value, datetime):
        return "must be a date without a time of day"
    if isinstance(value, date):
        return None
    if not isinstance(value, str) or not _DATE_TEXT.match(value):
        return f"must be a date written YYYY-MM-DD (for example 2024-03-31), not {_describe(value)}"
    try:
        date.fromisoformat(value)
    except ValueError:
        return f"{value!r} is not a real calendar date"
    return None


def _country_problem(value: object) -> str | None:
    if not isinstance(value, str):
        return f"must be a two-letter country code such as 'HN', not {_describe(value)}"
    if value in COUNTRY_CODES:
        return None
    if value.upper() in COUNTRY_CODES:
        return f"country codes are written in capitals: {value.upper()!r}, not {value!r}"
    return f"{value!r} is not a country code (ISO 3166-1 alpha-2, such as 'HN' for Honduras)"


def _enum_problem(question: Question, value: object) -> str | None:
    if isinstance(value, str) and value in question.values:
        return None
    return f"must be one of: {', '.join(question.values)}; not {_describe(value)}"


def _list_problem(question: Question, value: object) -> str | None:
    if not isinstance(value, list | tuple):
        return f"must be a list, not {_describe(value)}"
    check = _country_problem if question.items == "country" else (lambda v: _enum_problem(question, v))
    for index, item in enumerate(value):
        message = check(item)
        if message:
            return f"item {index + 1}: {message}"
    if len(set(value)) != len(value):
        return "lists each value only once"
    return None


def _normalised(question: Question, value: object) -> object:
    if question.type == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    if question.type == "list":
        assert isinstance(value, list | tuple)
        return tuple(value)
    return value


def answers_schema(bank: QuestionBank) -> dict[str, Any]:
    """A JSON Schema (2020-12) accepting exactly the answers `validate_answers` accepts, in JSON form."""
    properties: dict[str, Any] = {}
    for q in bank.values():
        properties[q.id] = _property_schema(q)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://corredor.example/eligibility/answers.schema.json",
        "title": "Screening answers",
        "description": "Generated from questions.yaml by corredor.core.eligibility.answers_schema; "
                       "null (or an absent key) means not answered.",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }


def _property_schema(q: Question) -> dict[str, Any]:
    if q.type == "boolean":
        return {"type": ["boolean", "null"]}
    if q.type == "integer":
        schema: dict[str, Any] = {"type": ["integer", "null"]}
        if q.minimum is not None:
            schema["minimum"] = q.minimum
        if q.maximum is not None:
            schema["maximum"] = q.maximum
        return schema
    if q.type == "date":
        return {"anyOf": [{"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"},
                          {"type": "null"}]}
    if q.type == "country":
        return {"enum": [*SORTED_COUNTRY_CODES, None]}
    if q.type == "enum":
        return {"enum": [*q.values, None]}
    items = list(SORTED_COUNTRY_CODES) if q.items == "country" else list(q.values)
    return {"type": ["array", "null"], "items": {"enum": items}, "uniqueItems": True}
