"""Invariants every synthetic household must satisfy, shared by the example and property tests."""

from __future__ import annotations

import re
from datetime import date

from corredor.core.registry.vocab import (
    INDIGENOUS_LANGUAGES,
    LANGUAGES,
    DobPrecision,
    DocumentType,
    Relationship,
    Sex,
    Vulnerability,
)
from corredor.core.synth import COMPOSITIONS, EARLIEST_REGISTRATION, SynthHousehold, SynthPerson

# The eight Mexican waiting cities, exactly as in shared/reference/ports-and-cities.csv.
WAITING_CITIES = frozenset({
    "Tijuana", "Mexicali", "Nogales", "Ciudad Juárez", "Piedras Negras", "Nuevo Laredo", "Reynosa", "Matamoros",
})
HISPANIC_NATIONALITIES = frozenset({"HN", "GT", "SV", "NI", "MX", "VE", "CO", "EC", "CU"})
RELATIVES_BEYOND_NUCLEAR = frozenset({
    Relationship.PARENT, Relationship.SIBLING, Relationship.OTHER_RELATIVE, Relationship.GRANDCHILD,
})
E164 = re.compile(r"^\+[1-9]\d{7,14}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
VULNERABILITY_ORDER = {vulnerability: position for position, vulnerability in enumerate(Vulnerability)}


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def older_by(older: SynthPerson, younger: SynthPerson, years: int) -> bool:
    """True when `younger` was born at least `years` calendar years after `older`."""
    return younger.date_of_birth >= add_years(older.date_of_birth, years)


def check_person(person: SynthPerson, household: SynthHousehold, today: date) -> None:
    assert isinstance(person.sex, Sex)
    assert isinstance(person.dob_precision, DobPrecision)
    assert isinstance(person.relationship, Relationship)
    assert all(isinstance(vulnerability, Vulnerability) for vulnerability in person.vulnerabilities)
    assert person.given_names and person.first_surname
    assert person.given_names == person.given_names.strip()
    assert person.date_of_birth <= today
    age = age_on(person.date_of_birth, today)
    assert 0 <= age <= 110
    if person.dob_precision is DobPrecision.MONTH:
        assert person.date_of_birth.day == 1
    if person.dob_precision is DobPrecision.YEAR:
        assert (person.date_of_birth.month, person.date_of_birth.day) == (7, 1)

    assert COUNTRY.match(person.nationality) and COUNTRY.match(person.country_of_origin)
    if person.subdivision_code:
        assert person.subdivision_code.startswith(person.country_of_origin + "-")
    else:
        assert person.municipality == ""

    assert person.languages, "everyone speaks at least one language"
    assert len(set(person.languages)) == len(person.languages)
    assert all(code in LANGUAGES for code in person.languages)
    assert person.needs_interpreter == ("spa" not in person.languages and "eng" not in person.languages)
    monolingual_indigenous = all(code in INDIGENOUS_LANGUAGES for code in person.languages)
    assert (Vulnerability.MONOLINGUAL_INDIGENOUS in person.vulnerabilities) == monolingual_indigenous
    if monolingual_indigenous:
        assert person.needs_interpreter

    vulnerabilities = person.vulnerabilities
    assert len(set(vulnerabilities)) == len(vulnerabilities)
    assert list(vulnerabilities) == sorted(vulnerabilities, key=VULNERABILITY_ORDER.__getitem__)
    assert (Vulnerability.ELDERLY in vulnerabilities) == (age >= 60)
    assert (Vulnerability.UNACCOMPANIED_CHILD in vulnerabilities) == (household.composition == "unaccompanied_child")
    if Vulnerability.SEPARATED_CHILD in vulnerabilities:
        assert household.composition == "separated_child_with_relative"
        assert age < 18
    female = person.sex is Sex.FEMALE
    if Vulnerability.PREGNANT in vulnerabilities:
        assert female and 16 <= age <= 45
    if Vulnerability.WOMAN_AT_RISK in vulnerabilities:
        assert female and age >= 18
    if Vulnerability.GBV_SURVIVOR in vulnerabilities:
        assert female and age >= 12
    if Vulnerability.LGBTQI in vulnerabilities:
        assert age >= 18
    if person.sex is Sex.INTERSEX and age >= 18:
        assert Vulnerability.LGBTQI in vulnerabilities

    if age < 18:
        assert person.phone is None, "children have no phone"
    if person.phone is not None:
        assert E164.match(person.phone), person.phone

    for document in person.documents:
        assert isinstance(document.doc_type, DocumentType)
        assert document.number
        assert COUNTRY.match(document.issuing_country)


def check_household(household: SynthHousehold, today: date) -> None:
    assert household.composition in COMPOSITIONS
    assert household.waiting_city in WAITING_CITIES
    assert EARLIEST_REGISTRATION <= household.registered_on <= today
    assert re.match(r"^S-?\d+-H\d{7,}$", household.key)
    members = household.members
    assert members
    assert members[0].relationship is Relationship.SELF
    assert [member.relationship for member in members].count(Relationship.SELF) == 1
    for index, member in enumerate(members):
        assert member.key == f"{household.key}-M{index}"
        check_person(member, household, today)

    contact = members[0]
    ages = [age_on(member.date_of_birth, today) for member in members]
    partners = [member for member in members if member.relationship is Relationship.SPOUSE_PARTNER]
    assert len(partners) <= 1
    for member in members[1:]:
        if member.relationship is Relationship.CHILD:
            for parent in (contact, *partners):
                assert older_by(parent, member, 15), (parent, member)
        elif member.relationship is Relationship.PARENT:
            assert older_by(member, contact, 15), (member, contact)
        elif member.relationship is Relationship.GRANDCHILD:
            assert older_by(contact, member, 30), (contact, member)

    composition = household.composition
    if composition == "single_adult":
        assert len(members) == 1 and ages[0] >= 18
    elif composition == "couple":
        assert len(members) == 2 and members[1].relationship is Relationship.SPOUSE_PARTNER
        assert min(ages) >= 18
    elif composition == "parent_with_children":
        assert len(members) >= 2 and ages[0] >= 18
        assert all(m.relationship is Relationship.CHILD for m in members[1:])
        assert all(age < 18 for age in ages[1:])
    elif composition == "two_parents_with_children":
        assert len(members) >= 3 and members[1].relationship is Relationship.SPOUSE_PARTNER
        assert min(ages[:2]) >= 18
        assert all(m.relationship is Relationship.CHILD for m in members[2:])
        assert all(age < 18 for age in ages[2:])
    elif composition == "extended_family":
        assert len(members) >= 3 and ages[0] >= 18
        assert any(m.relationship in RELATIVES_BEYOND_NUCLEAR for m in members)
    elif composition == "unaccompanied_child":
        assert len(members) == 1
        assert 12 <= ages[0] <= 17
        assert Vulnerability.UNACCOMPANIED_CHILD in contact.vulnerabilities
    elif composition == "separated_child_with_relative":
        assert ages[0] >= 18
        separated = [m for m in members if Vulnerability.SEPARATED_CHILD in m.vulnerabilities]
        assert separated
        assert all(
            m.relationship in (Relationship.OTHER_RELATIVE, Relationship.GRANDCHILD, Relationship.SIBLING)
            for m in separated
        )
