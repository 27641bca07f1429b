"""Who a person in custody counts as: the population that decides their beds and their clocks.

Beds are planned by population (single adult men, single adult women, families, unaccompanied boys and
girls by age band). A child under 18 with no parent or legal guardian present counts as unaccompanied,
as in U.S. law (6 U.S.C. 279(g)(2)): a separated child, with an aunt or an older sibling but no parent,
is unaccompanied for custody purposes. When age is not established and no parent is present, the person
is treated as a child until it is (UNHCR's guidance: in case of doubt, the benefit of the doubt).
"""

from __future__ import annotations

from enum import StrEnum

from corredor.core.registry.family import ChildStatus

UC_UNDER_13_LIMIT = 13


class Population(StrEnum):
    SINGLE_MEN = "single_men"
    SINGLE_WOMEN = "single_women"
    SINGLE_ADULTS_OTHER = "single_adults_other"
    FAMILIES = "families"
    UC_BOYS_0_12 = "uc_boys_0_12"
    UC_BOYS_13_17 = "uc_boys_13_17"
    UC_GIRLS_0_12 = "uc_girls_0_12"
    UC_GIRLS_13_17 = "uc_girls_13_17"
    UC_OTHER = "uc_other"


UNACCOMPANIED = frozenset(p for p in Population if p.value.startswith("uc_"))

# Groups a clock rule can name in `applies_to`.
GROUPS: dict[str, frozenset[Population]] = {
    "all": frozenset(Population),
    "unaccompanied_children": UNACCOMPANIED,
    "families": frozenset({Population.FAMILIES}),
    "single_adults": frozenset({Population.SINGLE_MEN, Population.SINGLE_WOMEN, Population.SINGLE_ADULTS_OTHER}),
}


def classify(*, sex: str, age: int | None, child_status: ChildStatus, family_unit: bool,
             adult_present: bool) -> Population:
    """The population of one person arriving in custody.

    `child_status` comes from the registry's family rule applied to the members who actually arrived
    together; `family_unit` says whether the group that arrived holds a child with a parent or legal guardian
    (adults and children of such a group are a family unit); `adult_present` whether any adult of the same
    family arrived with the person.
    """
    if child_status in (ChildStatus.UNACCOMPANIED, ChildStatus.SEPARATED) or (
        child_status is ChildStatus.AGE_UNKNOWN and not adult_present
    ):
        if age is None or sex not in ("male", "female"):
            return Population.UC_OTHER
        young = age < UC_UNDER_13_LIMIT
        if sex == "male":
            return Population.UC_BOYS_0_12 if young else Population.UC_BOYS_13_17
        return Population.UC_GIRLS_0_12 if young else Population.UC_GIRLS_13_17
    if child_status in (ChildStatus.ACCOMPANIED, ChildStatus.AGE_UNKNOWN) or family_unit:
        return Population.FAMILIES
    if sex == "male":
        return Population.SINGLE_MEN
    if sex == "female":
        return Population.SINGLE_WOMEN
    return Population.SINGLE_ADULTS_OTHER
