"""The pathway catalogue, loaded once per process, and the answers the registry already holds."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from corredor.core.eligibility import Catalogue, load_catalogue
from corredor.core.registry import vocab as v
from corredor.core.registry.ages import age_on
from corredor.core.registry.family import ChildStatus, Member, child_status
from corredor.registry.models import FamilyMembership, Person


@cache
def catalogue() -> Catalogue:
    return load_catalogue()


def registry_answers(person: Person, on: dt.date) -> dict[str, Any]:
    """Answers filled from the registry: age on the date, nationality, country where the person is now,
    whether they are an unaccompanied child (the family rule). A recorded partner does not say "married"
    (many couples are not legally married), so that question is always asked."""
    answers: dict[str, Any] = {}
    if person.date_of_birth:
        answers["age"] = age_on(person.date_of_birth, on)
    if person.nationality_id:
        answers["nationality"] = person.nationality_id
    if person.current_place_id and person.current_place is not None:
        answers["country_of_residence"] = person.current_place.country_id
    memberships = list(FamilyMembership.objects.filter(family__memberships__person=person)
                       .select_related("person").distinct())
    if memberships:
        members = [Member(m.person_id, v.Relationship(m.relationship), m.person.date_of_birth, present=m.present)
                   for m in memberships]
        me = next((m for m in members if m.key == person.pk), None)
        status = child_status(me, members, on) if me else ChildStatus.AGE_UNKNOWN
    else:
        status = child_status(Member(person.pk, v.Relationship.SELF, person.date_of_birth), [], on)
    if status is not ChildStatus.AGE_UNKNOWN:
        answers["unaccompanied_child"] = status in (ChildStatus.UNACCOMPANIED, ChildStatus.SEPARATED)
    return answers
