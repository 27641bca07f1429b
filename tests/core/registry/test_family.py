import datetime as dt

from corredor.core.registry.family import ChildStatus, Member, child_status
from corredor.core.registry.vocab import Relationship as R

TODAY = dt.date(2026, 11, 30)
ADULT = dt.date(1990, 1, 1)
CHILD = dt.date(2015, 6, 1)
TEEN = dt.date(2010, 2, 1)


def status_of(key, members):
    member = next(m for m in members if m.key == key)
    return child_status(member, members, TODAY)


def test_child_of_adult_contact_is_accompanied():
    fam = [Member(1, R.SELF, ADULT), Member(2, R.CHILD, CHILD)]
    assert status_of(2, fam) is ChildStatus.ACCOMPANIED
    assert status_of(1, fam) is ChildStatus.NOT_A_CHILD


def test_child_alone_is_unaccompanied():
    assert status_of(1, [Member(1, R.SELF, TEEN)]) is ChildStatus.UNACCOMPANIED


def test_child_with_aunt_is_separated():
    fam = [Member(1, R.SELF, ADULT), Member(2, R.OTHER_RELATIVE, CHILD)]
    assert status_of(2, fam) is ChildStatus.SEPARATED


def test_child_contact_with_grandparent_is_separated():
    fam = [Member(1, R.SELF, TEEN), Member(2, R.GRANDPARENT, dt.date(1960, 1, 1))]
    assert status_of(1, fam) is ChildStatus.SEPARATED


def test_child_contact_with_parent_present_is_accompanied():
    fam = [Member(1, R.SELF, TEEN), Member(2, R.PARENT, ADULT)]
    assert status_of(1, fam) is ChildStatus.ACCOMPANIED


def test_absent_parent_does_not_accompany():
    fam = [Member(1, R.SELF, TEEN), Member(2, R.PARENT, ADULT, present=False)]
    assert status_of(1, fam) is ChildStatus.UNACCOMPANIED


def test_two_children_together_are_both_unaccompanied():
    fam = [Member(1, R.SELF, TEEN), Member(2, R.SIBLING, CHILD)]
    assert status_of(1, fam) is ChildStatus.UNACCOMPANIED
    assert status_of(2, fam) is ChildStatus.UNACCOMPANIED


def test_child_whose_contact_is_a_minor_sibling_with_adult_relative_is_separated():
    fam = [Member(1, R.SELF, TEEN), Member(2, R.SIBLING, CHILD), Member(3, R.OTHER_CAREGIVER, ADULT)]
    assert status_of(2, fam) is ChildStatus.SEPARATED


def test_unknown_age_is_reported_not_guessed():
    assert status_of(1, [Member(1, R.SELF, None)]) is ChildStatus.AGE_UNKNOWN


def test_turning_eighteen_today_ends_childhood():
    fam = [Member(1, R.SELF, dt.date(2008, 11, 30))]
    assert status_of(1, fam) is ChildStatus.NOT_A_CHILD
    fam = [Member(1, R.SELF, dt.date(2008, 12, 1))]
    assert status_of(1, fam) is ChildStatus.UNACCOMPANIED
