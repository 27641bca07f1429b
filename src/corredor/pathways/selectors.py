"""Every read of the pathways context, scoped: screening needs the person to be visible; registry-wide counts
are aggregates with small cells hidden."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import QuerySet

from corredor.accounts.models import User
from corredor.accounts.selectors import require_permission
from corredor.core.eligibility import Column, PathwayScreening, batch, screen_all
from corredor.core.registry import vocab as v
from corredor.core.registry.ages import age_on
from corredor.core.registry.family import ChildStatus, Member, child_status
from corredor.platform.authz import Permission
from corredor.platform.errors import NotFoundError
from corredor.registry.models import Case, FamilyMembership, Person
from corredor.registry.selectors import case_list_visible_to, person_list_visible_to

from .catalogue import catalogue
from .models import Application, ScreeningDecision
from .services import merged_answers, screen_one

SMALL_CELL_THRESHOLD = 5


@dataclass(frozen=True)
class Menu:
    person: Person
    on: dt.date
    answers: dict[str, Any]
    sources: dict[str, str]
    screenings: list[PathwayScreening]

    @property
    def next_questions(self) -> list[str]:
        """The questions still open, most useful first: each pathway's first missing question, in menu order."""
        seen: list[str] = []
        for s in self.screenings:
            for q in s.questions_needed:
                if q not in seen:
                    seen.append(q)
        return seen


def menu_for(*, user: User, person: Person, asked: dict[str, Any], on: dt.date) -> Menu:
    require_permission(user=user, permission=Permission.PATHWAY_SCREEN)
    if not person_list_visible_to(user=user).filter(pk=person.pk).exists():
        raise NotFoundError("No such person that you may see.")
    answers, sources = merged_answers(person, asked, on)
    return Menu(person, on, answers, sources, screen_all(catalogue(), answers, on))


def decision_get_visible_to(*, user: User, decision_id: int) -> ScreeningDecision:
    require_permission(user=user, permission=Permission.PATHWAY_SCREEN)
    people = person_list_visible_to(user=user)
    decision = (ScreeningDecision.objects.filter(pk=decision_id, person__in=people)
                .select_related("person", "case", "created_by").first())
    if decision is None:
        raise NotFoundError(f"No screening {decision_id} that you may see.")
    return decision


@dataclass(frozen=True)
class Reproduced:
    stored: dict[str, Any]
    screening: PathwayScreening | None
    same_rules: bool  # the version file is unchanged since the decision (digest equal)
    same_outcome: bool


def reproduce(decision: ScreeningDecision) -> list[Reproduced]:
    """Re-run the stored answers against the stored rule versions on the stored date."""
    out = []
    for stored in decision.results:
        try:
            screening = screen_one(stored["version_id"], decision.answers, decision.screened_on)
        except KeyError:
            out.append(Reproduced(stored, None, False, False))
            continue
        out.append(Reproduced(stored, screening, screening.rules_digest == stored["digest"],
                              screening.outcome == stored["outcome"]))
    return out


def applications_visible_to(*, user: User) -> QuerySet[Application]:
    require_permission(user=user, permission=Permission.CASE_VIEW)
    return (Application.objects.filter(case__in=case_list_visible_to(user=user))
            .select_related("case", "person", "referred_by").prefetch_related("steps"))


def application_get_visible_to(*, user: User, application_id: int) -> Application:
    application = applications_visible_to(user=user).filter(pk=application_id).first()
    if application is None:
        raise NotFoundError(f"No application {application_id} that you may see.")
    return application


# --- registry-wide counts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PathwayCount:
    pathway: str
    version_id: str
    name: dict[str, str]
    state: str
    may_apply: int | None
    need_more_info: int | None
    one_answer_away: int | None
    does_not_qualify: int | None


def _child_flags(on: dt.date) -> dict[int, bool]:
    """Unaccompanied-child flag per person in a family (the registry's family rule), decided where age is known."""
    by_family: dict[int, list[Member]] = defaultdict(list)
    for family_id, person_id, relationship, dob, present in FamilyMembership.objects.values_list(
            "family_id", "person_id", "relationship", "person__date_of_birth", "present"):
        by_family[family_id].append(Member(person_id, v.Relationship(relationship), dob, present=present))
    flags: dict[int, bool] = {}
    for members in by_family.values():
        for m in members:
            status = child_status(m, members, on)
            if status is not ChildStatus.AGE_UNKNOWN:
                flags[int(m.key)] = status in (ChildStatus.UNACCOMPANIED, ChildStatus.SEPARATED)
    return flags


def registry_counts(*, user: User, on: dt.date) -> tuple[int, list[PathwayCount]]:
    """How many people in the registry may be able to apply to each pathway today, how many need more
    information and how many only one more answer. Registry facts, overlaid with each person's latest saved
    screening answers; one batch over everyone. Counts under 5 are hidden."""
    require_permission(user=user, permission=Permission.AGGREGATES_VIEW)
    rows = list(Person.objects.filter(anonymised_at__isnull=True).values_list(
        "pk", "date_of_birth", "nationality_id", "current_place__country_id"))
    n = len(rows)
    index = {pk: i for i, (pk, *_rest) in enumerate(rows)}
    age = np.zeros(n, dtype=np.int64)
    age_known = np.zeros(n, dtype=bool)
    nationality = np.full(n, "", dtype=object)
    residence = np.full(n, "", dtype=object)
    for i, (_pk, dob, nat, country) in enumerate(rows):
        if dob:
            age[i], age_known[i] = age_on(dob, on), True
        nationality[i] = nat or ""
        residence[i] = country or ""
    child = np.zeros(n, dtype=bool)
    child_known = np.zeros(n, dtype=bool)
    single = set(Case.objects.filter(person__isnull=False).values_list("person_id", flat=True))
    flags = _child_flags(on)
    for pk, i in index.items():
        if pk in flags:
            child[i], child_known[i] = flags[pk], True
        elif pk in single and age_known[i]:
            child[i], child_known[i] = age[i] < 18, True
    columns: dict[str, Any] = {
        "age": Column(age, age_known), "nationality": Column(nationality, nationality != ""),
        "country_of_residence": Column(residence, residence != ""), "unaccompanied_child": Column(child, child_known),
    }
    _overlay_saved_answers(columns, index, n)
    result = batch(catalogue(), columns, on, size=n)
    counts = []
    for version in catalogue().in_force(on):
        c = result[version.pathway].counts

        def hide(x: int) -> int | None:
            return x if x == 0 or x >= SMALL_CELL_THRESHOLD else None

        counts.append(PathwayCount(version.pathway, version.id, dict(version.name), version.status_on(on).state,
                                   hide(c["may_apply"]), hide(c["need_more_info"]), hide(c["one_answer_away"]),
                                   hide(c["does_not_qualify"])))
    return n, counts


def _overlay_saved_answers(columns: dict[str, Any], index: dict[int, int], n: int) -> None:
    """Each person's latest saved screening fills the questions the registry cannot answer."""
    bank = catalogue().questions
    latest: dict[int, dict[str, Any]] = {}
    for person_id, answers in ScreeningDecision.objects.order_by("person_id", "created_at", "id").values_list(
            "person_id", "answers"):
        latest[person_id] = answers
    extra: dict[str, tuple[list[Any], np.ndarray]] = {}
    for person_id, answers in latest.items():
        i = index.get(person_id)
        if i is None:
            continue
        for key, value in answers.items():
            if key in columns or key not in bank or bank[key].type == "list":
                continue
            values, known = extra.setdefault(key, ([None] * n, np.zeros(n, dtype=bool)))
            values[i], known[i] = value, True
    for key, (values, known) in extra.items():
        kind = bank[key].type
        if kind == "boolean":
            arr: Any = np.array([bool(x) for x in values], dtype=bool)
        elif kind == "integer":
            arr = np.array([int(x) if x is not None else 0 for x in values], dtype=np.int64)
        elif kind == "date":
            arr = np.array([x or "1970-01-01" for x in values], dtype="datetime64[D]")
        else:
            arr = np.array([x or "" for x in values], dtype=object)
        columns[key] = Column(arr, known)
