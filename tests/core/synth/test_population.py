"""The synthetic population: determinism, exact counts, household invariants and realistic texture."""

from __future__ import annotations

import dataclasses
import pickle
from collections import Counter
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corredor.core.registry.vocab import DocumentType, Relationship, Sex, Vulnerability
from corredor.core.synth import (
    COMPOSITIONS,
    WAITING_CITY_NAMES,
    SynthDocument,
    SynthHousehold,
    SynthPerson,
    generate_households,
    generate_people,
)
from corredor.core.synth import population as population_module
from tests.core.synth.checks import (
    HISPANIC_NATIONALITIES,
    WAITING_CITIES,
    age_on,
    check_household,
)

TODAY = date(2025, 6, 1)


def _households(seed: int, count: int, today: date = TODAY) -> list[SynthHousehold]:
    return list(generate_households(seed=seed, count=count, today=today))


def _without_keys(household: SynthHousehold) -> tuple[object, ...]:
    return (
        household.composition, household.waiting_city, household.registered_on,
        tuple(dataclasses.replace(member, key="") for member in household.members),
    )


# --- determinism ----------------------------------------------------------------------------------


def test_same_seed_and_arguments_give_identical_output() -> None:
    assert _households(11, 200) == _households(11, 200)
    people = list(generate_people(seed=11, count=300, today=TODAY))
    assert people == list(generate_people(seed=11, count=300, today=TODAY))


def test_different_seeds_give_different_people() -> None:
    first = [_without_keys(household) for household in _households(1, 50)]
    second = [_without_keys(household) for household in _households(2, 50)]
    assert first != second
    # Seeds n and -n are distinct too (an int seed alone would make them the same stream).
    assert [_without_keys(h) for h in _households(7, 30)] != [_without_keys(h) for h in _households(-7, 30)]


def test_today_moves_ages_and_dates() -> None:
    earlier = _households(3, 20, date(2023, 1, 1))
    later = _households(3, 20, date(2026, 1, 1))
    assert [h.members[0].date_of_birth for h in earlier] != [h.members[0].date_of_birth for h in later]


def test_generators_are_independent() -> None:
    """Interleaving two runs changes neither: there is no shared (global) random state."""
    alone = _households(5, 30)
    first = generate_households(seed=5, count=30, today=TODAY)
    second = generate_households(seed=6, count=30, today=TODAY)
    interleaved = []
    for household, _other in zip(first, second, strict=True):
        interleaved.append(household)
    assert interleaved == alone


def test_keys_are_stable_and_unique() -> None:
    households = _households(42, 100)
    assert households[0].key == "S42-H0000001"
    assert households[0].members[0].key == "S42-H0000001-M0"
    keys = [member.key for household in households for member in household.members]
    assert len(keys) == len(set(keys))


# --- counts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1, 2, 3, 7, 50, 333])
def test_generate_people_yields_exactly_count_in_whole_households(count: int) -> None:
    pairs = list(generate_people(seed=9, count=count, today=TODAY))
    assert len(pairs) == count
    # Households come whole and in order: each one's members, all of them, one after the other.
    position = 0
    while position < len(pairs):
        household = pairs[position][0]
        members = [person for _, person in pairs[position:position + len(household.members)]]
        assert members == list(household.members)
        position += len(household.members)


def test_generate_people_draws_the_same_households_as_generate_households() -> None:
    """Only the last household may differ: it is drawn with a size cap so the count comes out exact."""
    pairs = list(generate_people(seed=21, count=500, today=TODAY))
    from_people = list(dict.fromkeys(household for household, _ in pairs))
    from_households = _households(21, len(from_people))
    assert from_people[:-1] == from_households[:-1]
    assert len(from_people[-1].members) <= len(from_households[-1].members)
    check_household(from_people[-1], TODAY)


def test_households_drawn_with_a_size_cap_are_still_coherent() -> None:
    """Small counts make the cap bind often: every composition must shrink to a coherent family."""
    compositions: Counter[str] = Counter()
    for seed in range(80):
        for count in range(1, 10):
            pairs = list(generate_people(seed=seed, count=count, today=TODAY))
            assert len(pairs) == count
            last = pairs[-1][0]
            check_household(last, TODAY)
            compositions[last.composition] += 1
    assert set(compositions) == set(COMPOSITIONS)


def test_generate_households_yields_count_households() -> None:
    assert len(_households(4, 123)) == 123
    assert _households(4, 0) == []


def test_bad_arguments_fail_at_the_call() -> None:
    with pytest.raises(ValueError, match="count"):
        generate_people(seed=1, count=-1, today=TODAY)
    with pytest.raises(ValueError, match="2019-01-01"):
        generate_households(seed=1, count=1, today=date(2018, 12, 31))
    with pytest.raises(TypeError, match="datetime"):
        generate_people(seed=1, count=1, today=datetime(2025, 1, 1))
    with pytest.raises(TypeError, match="seed"):
        generate_households(seed=True, count=1, today=TODAY)
    with pytest.raises(TypeError, match="count"):
        generate_households(seed=1, count=2.0, today=TODAY)  # type: ignore[arg-type]


# --- invariants, on examples and as properties ------------------------------------------------------


def test_every_household_satisfies_the_invariants(sample: list[SynthHousehold]) -> None:
    for household in sample:
        check_household(household, TODAY)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(min_value=-(2**70), max_value=2**70),
    count=st.integers(min_value=0, max_value=40),
    today=st.dates(min_value=date(2019, 1, 1), max_value=date(2045, 12, 31)),
)
def test_property_people_are_coherent_for_any_seed_count_and_day(seed: int, count: int, today: date) -> None:
    pairs = list(generate_people(seed=seed, count=count, today=today))
    assert len(pairs) == count
    for household in dict.fromkeys(household for household, _ in pairs):
        check_household(household, today)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), count=st.integers(min_value=1, max_value=15))
def test_property_generation_is_deterministic(seed: int, count: int) -> None:
    assert _households(seed, count) == _households(seed, count)


def test_all_compositions_and_cities_occur(sample: list[SynthHousehold]) -> None:
    assert {household.composition for household in sample} == set(COMPOSITIONS)
    assert {household.waiting_city for household in sample} == WAITING_CITIES == set(WAITING_CITY_NAMES)


def test_unaccompanied_children_are_alone_and_aged_12_to_17(sample: list[SynthHousehold]) -> None:
    unaccompanied = [h for h in sample if h.composition == "unaccompanied_child"]
    assert unaccompanied
    for household in unaccompanied:
        (child,) = household.members
        assert 12 <= age_on(child.date_of_birth, TODAY) <= 17
        assert Vulnerability.UNACCOMPANIED_CHILD in child.vulnerabilities


def test_separated_children_travel_with_a_named_relative(sample: list[SynthHousehold]) -> None:
    relationships = Counter(
        member.relationship
        for household in sample if household.composition == "separated_child_with_relative"
        for member in household.members if Vulnerability.SEPARATED_CHILD in member.vulnerabilities
    )
    assert set(relationships) == {Relationship.OTHER_RELATIVE, Relationship.GRANDCHILD, Relationship.SIBLING}


def test_children_take_the_hispanic_surnames_of_their_parents(sample: list[SynthHousehold]) -> None:
    checked = 0
    for household in sample:
        if household.composition != "two_parents_with_children":
            continue
        contact, partner = household.members[:2]
        if contact.nationality not in HISPANIC_NATIONALITIES or partner.nationality != contact.nationality:
            continue
        if contact.sex is partner.sex:
            continue
        father, mother = (contact, partner) if contact.sex is Sex.MALE else (partner, contact)
        for child in household.members[2:]:
            assert child.first_surname == father.first_surname
            assert child.second_surname in (mother.first_surname, "")
            checked += 1
    assert checked > 100


def test_haitians_have_a_single_surname(people: list[SynthPerson]) -> None:
    haitians = [person for person in people if person.nationality == "HT"]
    assert haitians
    assert all(person.second_surname == "" for person in haitians)


def test_children_born_on_the_way_carry_their_birthplace(people: list[SynthPerson]) -> None:
    born_in_brazil = [person for person in people if person.nationality == "BR"]
    assert born_in_brazil
    assert all("por" in person.languages and "hat" in person.languages for person in born_in_brazil)
    assert all(person.subdivision_code.startswith("BR-") for person in born_in_brazil)
    assert all(age_on(person.date_of_birth, TODAY) < 18 for person in born_in_brazil)


def test_look_alike_records_occur_naturally(people: list[SynthPerson]) -> None:
    """Common names repeat, which is what a duplicate detector must cope with."""
    names = Counter((p.given_names, p.first_surname, p.second_surname) for p in people)
    assert sum(1 for count in names.values() if count > 1) > 50
    accented = [p for p in people if any(c in "áéíóúñÁÉÍÓÚÑ" for c in p.given_names + p.first_surname)]
    assert len(accented) > len(people) // 4
    assert any(" " in p.given_names for p in people)
    assert any(p.given_names == "María de los Ángeles" for p in people)


def test_nicknames_match_given_names(people: list[SynthPerson]) -> None:
    with_nicknames = [p for p in people if p.other_names]
    assert len(with_nicknames) > len(people) // 20
    by_nickname = {"Chepe": "José", "Lupita": "Guadalupe", "Paco": "Francisco", "Chuy": "Jesús"}
    seen = set()
    for person in with_nicknames:
        for nickname in person.other_names:
            if nickname in by_nickname and person.given_names.split(" ")[0] == by_nickname[nickname]:
                seen.add(nickname)
    assert {"Chepe", "Paco", "Chuy"} <= seen


def test_phones_are_for_adults_and_some_are_shared_in_families(sample: list[SynthHousehold]) -> None:
    shared = 0
    for household in sample:
        phones = [m.phone for m in household.members if m.phone is not None]
        shared += len(phones) - len(set(phones))
        for member in household.members:
            if age_on(member.date_of_birth, TODAY) < 18:
                assert member.phone is None
    assert shared > 0
    prefixes = Counter(m.phone[:3] for h in sample for m in h.members if m.phone)
    assert prefixes["+52"] > 0 and prefixes["+50"] > 0


def test_document_numbers_are_unique_within_a_run(people: list[SynthPerson]) -> None:
    numbers = [(d.doc_type, d.issuing_country, d.number) for p in people for d in p.documents]
    assert len(numbers) == len(set(numbers))
    assert {d for d, _, _ in numbers} >= {
        DocumentType.PASSPORT, DocumentType.NATIONAL_ID, DocumentType.BIRTH_CERTIFICATE, DocumentType.A_NUMBER,
    }


# --- the fast constructors build ordinary dataclass instances ---------------------------------------


def test_builders_match_their_dataclasses_and_build_equal_instances() -> None:
    assert population_module._PersonBuilder.__slots__ == SynthPerson.__slots__
    assert population_module._HouseholdBuilder.__slots__ == SynthHousehold.__slots__
    assert population_module._DocumentBuilder.__slots__ == SynthDocument.__slots__
    assert SynthPerson.__slots__ == tuple(field.name for field in dataclasses.fields(SynthPerson))

    household = _households(8, 1)[0]
    person = household.members[0]
    assert type(person) is SynthPerson and type(household) is SynthHousehold
    rebuilt = SynthPerson(**{field.name: getattr(person, field.name) for field in dataclasses.fields(SynthPerson)})
    assert rebuilt == person and hash(rebuilt) == hash(person)
    assert pickle.loads(pickle.dumps(household)) == household
    with pytest.raises(dataclasses.FrozenInstanceError):
        person.given_names = "Otro"  # type: ignore[misc]
