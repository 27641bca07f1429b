"""Eligibility screening: which protection and migration pathways a person may be able to use, as of a date.

The rules are data. Each version of each pathway is one YAML file in pathways/ (names, descriptions,
sources, dates, closed and suspended periods, documents, caps, and criteria written in a small JsonLogic
subset, see LANGUAGE.md); questions.yaml is the shared question bank; schema/ holds the JSON Schemas the
files and the answers are checked against; vectors/ holds shared test vectors for any other evaluator.

    catalogue = load_catalogue()                       # once; immutable
    answers = validate_answers(raw_answers, catalogue)  # AnswerError for unknown keys and wrong types
    menu = screen_all(catalogue, answers, on=today)      # one PathwayScreening per version in force
    counts = batch(catalogue, columns, on=today).counts  # the whole registry at once, for planners

Evaluation is three-valued (pass, fail, unknown for a missing answer) and pure: no clock (the date is
always passed in), no I/O besides reading the package's own files, no Django.
"""

from __future__ import annotations

from .batch import BatchResult, Column, PathwayBatch, PreparedColumns, batch, screen_columns
from .catalogue import (
    Catalogue,
    Criterion,
    Notice,
    PathwayVersion,
    Period,
    VersionStatus,
    load_catalogue,
)
from .errors import AnswerError, CatalogueError, RuleError
from .questions import Question, QuestionBank, answers_schema, find_answer_problems, validate_answers
from .rules import FAIL, PASS, UNKNOWN, ValueType, business_days_between, compile_rule
from .screening import OUTCOMES, CriterionResult, PathwayScreening, order_questions, screen, screen_all

__all__ = [
    "FAIL",
    "OUTCOMES",
    "PASS",
    "UNKNOWN",
    "AnswerError",
    "BatchResult",
    "Catalogue",
    "CatalogueError",
    "Column",
    "Criterion",
    "CriterionResult",
    "Notice",
    "PathwayBatch",
    "PathwayScreening",
    "PathwayVersion",
    "Period",
    "PreparedColumns",
    "Question",
    "QuestionBank",
    "RuleError",
    "ValueType",
    "VersionStatus",
    "answers_schema",
    "batch",
    "business_days_between",
    "compile_rule",
    "find_answer_problems",
    "load_catalogue",
    "order_questions",
    "screen",
    "screen_all",
    "screen_columns",
    "validate_answers",
]
