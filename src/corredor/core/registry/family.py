"""Derived family flags: unaccompanied and separated children.

Definitions follow common usage in child protection (UNHCR/UNICEF Inter-agency Guiding Principles on
Unaccompanied and Separated Children, 2004): an unaccompanied child is separated from both parents and
other relatives and not cared for by an adult responsible for doing so; a separated child is separated
from parents or legal caregivers but may be with other relatives. Here: a child under 18 present with no
parent or legal guardian is *unaccompanied* when no adult relative or caregiver is present either, and
*separated* when an adult relative or other caregiver who is not a parent or guardian is present.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from .ages import age_on
from .vocab import DobPrecision, Relationship

ADULT_AGE = 18


class ChildStatus(StrEnum):
    NOT_A_CHILD = "not_a_child"
    ACCOMPANIED = "accompanied"
    SEPARATED = "separated"
    UNACCOMPANIED = "unaccompanied"
    AGE_UNKNOWN = "age_unknown"


@dataclass(frozen=True)
class Member:
    """A family member as the rule sees them: who they are to the contact member, and their birth date."""

    key: int | str
    relationship: Relationship
    date_of_birth: dt.date | None
    dob_precision: DobPrecision | None = None
    present: bool = True


# Relationship of a member to the contact member; "parent of X" depends on both sides, so the rule
# reasons about who is a parent/guardian of whom through the contact member.
_PARENTAL_TO_CONTACT = {Relationship.PARENT, Relationship.LEGAL_GUARDIAN}
_CHILD_OF_CONTACT = {Relationship.CHILD, Relationship.WARD}
_CARER_KINDS = {Relationship.OTHER_CAREGIVER, Relationship.GRANDPARENT, Relationship.SIBLING,
                Relationship.OTHER_RELATIVE, Relationship.SPOUSE_PARTNER, Relationship.SELF,
                Relationship.GRANDCHILD}


def _is_adult(member: Member, today: dt.date) -> bool | None:
    if member.date_of_birth is None:
        return None
    return age_on(member.date_of_birth, today) >= ADULT_AGE


def child_status(member: Member, family: list[Member], today: dt.date) -> ChildStatus:
    """Classify one member of a family as of `today`.

    A parent or legal guardian of the child is present when the child is the contact member's child or
    ward and the contact member is an adult, or the child is the contact member (SELF) and an adult
    PARENT/LEGAL_GUARDIAN of the contact member is present, or both are children of the contact member's
    spouse/partner... (partners count as parents of the contact member's children: step-parents are
    treated as caregivers, not parents, unless recorded as legal guardian).
    """
    adult = _is_adult(member, today)
    if adult is None:
        return ChildStatus.AGE_UNKNOWN
    if adult:
        return ChildStatus.NOT_A_CHILD
    others = [m for m in family if m.key != member.key and m.present]
    contact = next((m for m in family if m.relationship is Relationship.SELF and m.present), None)
    contact_is_adult = contact is not None and contact.key != member.key and bool(_is_adult(contact, today))

    parent_present = False
    if member.relationship in _CHILD_OF_CONTACT and contact_is_adult:
        parent_present = True  # the contact member is this child's parent or guardian
    if member.relationship is Relationship.SELF:
        parent_present = any(
            m.relationship in _PARENTAL_TO_CONTACT and _is_adult(m, today) for m in others
        )
    if member.relationship is Relationship.SIBLING:
        # a sibling of the contact member shares the contact member's parents
        parent_present = any(
            m.relationship in _PARENTAL_TO_CONTACT and _is_adult(m, today) for m in others
        )
    if parent_present:
        return ChildStatus.ACCOMPANIED
    other_adult_present = any(_is_adult(m, today) and m.relationship is not Relationship.NOT_RELATED
                              for m in others)
    return ChildStatus.SEPARATED if other_adult_present else ChildStatus.UNACCOMPANIED
