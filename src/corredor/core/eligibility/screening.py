"""Screening one person: every criterion as pass, fail or unknown, and what that means for the pathway.

Outcomes (OUTCOMES, in this order, which is also their code in batch arrays):
- "may_apply": every requirement the file encodes is met by the answers. It is never a decision and never a
  promise: the authority decides. For a discretionary pathway (parole, anything resting on the refugee
  definition) the authority decides case by case, and adjudicated criteria stay unknown by design; they are
  reported but never hold the outcome back. For a referral-only pathway it means "a possible candidate for
  referral": the person cannot apply alone.
- "does_not_qualify": at least one requirement fails (those are listed in `failing`), whatever else is
  missing: a failing requirement cannot be rescued by another answer.
- "need_more_info": no requirement fails but some are unknown; `questions_needed` lists the missing answers
  that would decide them.
- "not_open": the version is not taking applications that day (outside its window, closed or suspended);
  `outcome_if_open` still says how the answers fare against its criteria.
Warnings (such as the 30-business-day limit for asylum in Mexico) never change the outcome; a warning
criterion that fails is reported in `warnings`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from .catalogue import Catalogue, Criterion, Notice, PathwayVersion, Text, VersionStatus
from .questions import QuestionBank, validate_answers
from .rules import FAIL, PASS, TRUTH_NAMES, UNKNOWN

Outcome = Literal["may_apply", "does_not_qualify", "need_more_info", "not_open"]
Result = Literal["pass", "fail", "unknown"]
OUTCOMES: Final[tuple[Outcome, ...]] = ("may_apply", "does_not_qualify", "need_more_info", "not_open")


@dataclass(frozen=True)
class CriterionResult:
    """How one criterion came out, why (es/en), and which missing answers would decide it."""

    id: str
    label: Text
    severity: str
    result: Result
    explanation: Text
    questions_needed: tuple[str, ...]


@dataclass(frozen=True)
class PathwayScreening:
    """The result of screening one person against one pathway version on one date."""

    version_id: str
    pathway: str
    name: Text
    on: date
    status: VersionStatus
    outcome: Outcome
    outcome_if_open: Outcome
    discretionary: bool
    referral_only: bool
    criteria: tuple[CriterionResult, ...]
    failing: tuple[CriterionResult, ...]
    questions_needed: tuple[str, ...]
    warnings: tuple[CriterionResult, ...]
    notices: tuple[Notice, ...]
    summary: Text
    rules_digest: str

    @property
    def one_answer_away(self) -> bool:
        """Exactly one missing answer would decide the outcome."""
        return self.outcome == "need_more_info" and len(self.questions_needed) == 1


def screen(version: PathwayVersion, answers: Mapping[str, object], on: date) -> PathwayScreening:
    """Screen one person's answers against `version` as of `on` (answers are validated first)."""
    checked = validate_answers(answers, version.questions)
    return _screen(version, checked, on)


def screen_all(catalogue: Catalogue, answers: Mapping[str, object], on: date) -> list[PathwayScreening]:
    """The menu: one screening for each pathway version in force on `on`, in catalogue order."""
    checked = validate_answers(answers, catalogue.questions)
    return [_screen(version, checked, on) for version in catalogue.in_force(on)]


def _screen(version: PathwayVersion, answers: Mapping[str, object], on: date) -> PathwayScreening:
    bank = version.questions
    results: list[CriterionResult] = []
    requirement_truths: list[int] = []
    undecided: list[frozenset[str]] = []
    for criterion in version.criteria:
        if criterion.rule is None:
            truth, missing = UNKNOWN, frozenset[str]()
        else:
            truth, missing = criterion.rule.truth(answers, on)
        if criterion.severity == "requirement":
            requirement_truths.append(truth)
            if truth == UNKNOWN:
                undecided.append(missing)
        results.append(_criterion_result(criterion, truth, _in_bank_order(missing, bank), bank))
    outcome_if_open = _outcome(requirement_truths)
    status = version.status_on(on)
    outcome: Outcome = outcome_if_open if status.is_open else "not_open"
    needed = order_questions(undecided, bank) if outcome == "need_more_info" else ()
    return PathwayScreening(
        version_id=version.id, pathway=version.pathway, name=version.name, on=on, status=status,
        outcome=outcome, outcome_if_open=outcome_if_open, discretionary=version.discretionary,
        referral_only=version.referral_only, criteria=tuple(results),
        failing=tuple(r for r in results if r.severity == "requirement" and r.result == "fail"),
        questions_needed=needed,
        warnings=tuple(r for r in results if r.severity == "warning" and r.result == "fail"),
        notices=version.notices_on(on), summary=_summary(outcome, version, status), rules_digest=version.digest,
    )


def _outcome(requirement_truths: list[int]) -> Outcome:
    worst = min(requirement_truths, default=PASS)
    return "does_not_qualify" if worst == FAIL else ("need_more_info" if worst == UNKNOWN else "may_apply")


def _in_bank_order(questions: frozenset[str], bank: QuestionBank) -> tuple[str, ...]:
    return tuple(sorted(questions, key=lambda q: bank[q].position))


def order_questions(undecided: list[frozenset[str]], bank: QuestionBank) -> tuple[str, ...]:
    """The missing answers of the undecided requirements, best next question first.

    A question that several undecided requirements wait for comes first (one answer settles more); ties
    keep the bank's order, which puts questions a registry can fill, and the simplest, first.
    """
    counts = Counter(q for missing in undecided for q in missing)
    return tuple(sorted(counts, key=lambda q: (-counts[q], bank[q].position)))


_GENERIC_PASS: Final = {"es": "Se cumple según las respuestas.", "en": "Met, according to the answers."}
_GENERIC_FAIL: Final = {"es": "No se cumple según las respuestas.", "en": "Not met, according to the answers."}
_ADJUDICATED: Final = {"es": "Lo decide la autoridad competente en cada caso; las respuestas no bastan.",
                       "en": "Decided case by case by the competent authority; answers alone cannot settle it."}


def _criterion_result(criterion: Criterion, truth: int, missing: tuple[str, ...], bank: QuestionBank
                      ) -> CriterionResult:
    if truth == PASS:
        explanation: Text = criterion.explanation_pass or _GENERIC_PASS
    elif truth == FAIL:
        explanation = criterion.explanation_fail or _GENERIC_FAIL
    elif criterion.severity == "adjudicated":
        explanation = criterion.explanation_unknown or _ADJUDICATED
    else:
        explanation = criterion.explanation_unknown or {
            "es": "Falta saber: " + " ".join(bank[q].text["es"] for q in missing),
            "en": "Still to answer: " + " ".join(bank[q].text["en"] for q in missing),
        }
    return CriterionResult(criterion.id, criterion.label, criterion.severity, TRUTH_NAMES[truth],  # type: ignore[arg-type]
                           explanation, missing)


def _summary(outcome: Outcome, version: PathwayVersion, status: VersionStatus) -> Text:
    if outcome == "not_open":
        reason = status.reason or {"es": "", "en": ""}
        return {"es": f"No admite solicitudes en esta fecha. {reason['es']}".strip(),
                "en": f"Not taking applications on this date. {reason['en']}".strip()}
    if outcome == "does_not_qualify":
        return {"es": "Según las respuestas, no parece cumplir los requisitos.",
                "en": "According to the answers, does not appear to qualify."}
    if outcome == "need_more_info":
        return {"es": "Hace falta más información para saberlo.", "en": "More information is needed to tell."}
    es = "Según las respuestas, puede que pueda solicitarlo. No es una decisión: decide la autoridad."
    en = "According to the answers, may be able to apply. This is not a decision: the authority decides."
    if version.referral_only:
        es = "Según las respuestas, podría ser candidata o candidato a una referencia; no se solicita directamente."
        en = "According to the answers, may be a candidate for referral; this pathway cannot be applied for directly."
    if version.discretionary:
        es += " La decisión es discrecional, caso por caso."
        en += " The decision is discretionary, case by case."
    return {"es": es, "en": en}
