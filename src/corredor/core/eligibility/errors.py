"""Errors of the eligibility core, each naming exactly what is wrong and where."""

from __future__ import annotations


class CatalogueError(ValueError):
    """A rule file or the question bank is invalid: names the file, the key path inside it and the problem."""

    def __init__(self, file: str, key: str, message: str) -> None:
        self.file = file
        self.key = key
        self.message = message
        super().__init__(f"{file}: {key}: {message}" if key else f"{file}: {message}")


class RuleError(ValueError):
    """A rule expression breaks the language (unknown operation, wrong types, unknown question)."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")


class AnswerError(ValueError):
    """An answer cannot be used: an unknown question, a wrong type or a value outside the allowed ones.

    `key` is the question id (or the column name in a batch); `message` is written for a caseworker.
    """

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        self.message = message
        super().__init__(f"{key}: {message}")
