"""Shares in a sample of 20,000 people stay near the targets the generator documents."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from corredor.core.registry.vocab import INDIGENOUS_LANGUAGES, DobPrecision, Sex, Vulnerability
from corredor.core.synth import SynthHousehold, SynthPerson
from corredor.core.synth._places import INDIGENOUS_ORIGINS, ORIGINS
from tests.core.synth.checks import age_on
from tests.core.synth.conftest import SAMPLE_TODAY

REFERENCE_SUBDIVISIONS = Path(__file__).parents[3] / "src/corredor/reference/data/subdivisions.csv"

# Household shares from the product brief's nationality list (see population.py).
NATIONALITY_TARGETS = {
    "HN": 0.25, "GT": 0.20, "MX": 0.12, "SV": 0.10, "VE": 0.10, "HT": 0.08, "NI": 0.05, "CU": 0.04, "CO": 0.02,
    "EC": 0.02,
}
EXTRA_CONTINENTAL = {"IN", "CN", "SN", "RU", "ER"}
COMPOSITION_TARGETS = {
    "single_adult": 0.35, "parent_with_children": 0.25, "two_parents_with_children": 0.15, "couple": 0.08,
    "extended_family": 0.07, "unaccompanied_child": 0.06, "separated_child_with_relative": 0.04,
}


def _share(count: int, total: int) -> float:
    return count / total


def test_nationality_mix_of_people_is_near_the_targets(people: list[SynthPerson]) -> None:
    counts = Counter(person.nationality for person in people)
    for nationality, target in NATIONALITY_TARGETS.items():
        # Children born on the way (Brazil, Chile, Mexico) move a point or so between nationalities.
        assert _share(counts[nationality], len(people)) == pytest.approx(target, abs=0.025), nationality
    extra = sum(counts[code] for code in EXTRA_CONTINENTAL)
    assert _share(extra, len(people)) == pytest.approx(0.02, abs=0.01)
    born_on_the_way = counts["BR"] + counts["CL"]
    assert 0 < born_on_the_way < 0.03 * len(people)


def test_composition_mix_of_households_is_near_the_targets(sample: list[SynthHousehold]) -> None:
    counts = Counter(household.composition for household in sample)
    for composition, target in COMPOSITION_TARGETS.items():
        assert _share(counts[composition], len(sample)) == pytest.approx(target, abs=0.02), composition


def test_dates_of_birth_are_mostly_exact(people: list[SynthPerson]) -> None:
    counts = Counter(person.dob_precision for person in people)
    assert _share(counts[DobPrecision.EXACT], len(people)) == pytest.approx(0.70, abs=0.05)
    for precision in (DobPrecision.MONTH, DobPrecision.YEAR, DobPrecision.ESTIMATED):
        assert _share(counts[precision], len(people)) == pytest.approx(0.10, abs=0.04), precision

    def exact_share(group: list[SynthPerson]) -> float:
        return _share(sum(p.dob_precision is DobPrecision.EXACT for p in group), len(group))

    adults = [p for p in people if age_on(p.date_of_birth, SAMPLE_TODAY) >= 18]
    children = [p for p in people if age_on(p.date_of_birth, SAMPLE_TODAY) < 18]
    assert exact_share(adults) < exact_share(children), "adults more often know only an age or a year"


def test_about_forty_percent_carry_no_document(people: list[SynthPerson]) -> None:
    assert _share(sum(not p.documents for p in people), len(people)) == pytest.approx(0.40, abs=0.05)


def test_about_half_the_adults_have_a_phone(people: list[SynthPerson]) -> None:
    adults = [p for p in people if age_on(p.date_of_birth, SAMPLE_TODAY) >= 18]
    assert _share(sum(p.phone is not None for p in adults), len(adults)) == pytest.approx(0.55, abs=0.04)


def test_vulnerability_prevalence_is_plausible(people: list[SynthPerson]) -> None:
    def share(vulnerability: Vulnerability, group: list[SynthPerson]) -> float:
        return _share(sum(vulnerability in p.vulnerabilities for p in group), len(group))

    ages = {p.key: age_on(p.date_of_birth, SAMPLE_TODAY) for p in people}
    women = [p for p in people if p.sex is Sex.FEMALE and ages[p.key] >= 18]
    childbearing = [p for p in people if p.sex is Sex.FEMALE and 16 <= ages[p.key] <= 45]
    adults = [p for p in people if ages[p.key] >= 18]
    from_twelve = [p for p in people if ages[p.key] >= 12]
    assert share(Vulnerability.PREGNANT, childbearing) == pytest.approx(0.04, abs=0.015)
    assert share(Vulnerability.DISABILITY, people) == pytest.approx(0.03, abs=0.01)
    assert share(Vulnerability.SERIOUS_MEDICAL_CONDITION, people) == pytest.approx(0.04, abs=0.01)
    assert share(Vulnerability.LGBTQI, adults) == pytest.approx(0.02, abs=0.01)
    assert share(Vulnerability.GBV_SURVIVOR, women) == pytest.approx(0.06, abs=0.015)
    assert share(Vulnerability.WOMAN_AT_RISK, women) == pytest.approx(0.05, abs=0.015)
    assert share(Vulnerability.TORTURE_SURVIVOR, from_twelve) == pytest.approx(0.01, abs=0.005)
    assert share(Vulnerability.TRAFFICKING_SURVIVOR, from_twelve) == pytest.approx(0.01, abs=0.005)
    elderly = [p for p in people if ages[p.key] >= 60]
    assert elderly and all(Vulnerability.ELDERLY in p.vulnerabilities for p in elderly)


def test_guatemalans_speak_mayan_languages_and_some_only_those(people: list[SynthPerson]) -> None:
    guatemalans = [p for p in people if p.nationality == "GT"]
    mayan = [p for p in guatemalans if any(code in INDIGENOUS_LANGUAGES for code in p.languages)]
    monolingual = [p for p in guatemalans if Vulnerability.MONOLINGUAL_INDIGENOUS in p.vulnerabilities]
    assert _share(len(mayan), len(guatemalans)) == pytest.approx(0.25, abs=0.05)
    assert _share(len(monolingual), len(guatemalans)) == pytest.approx(0.08, abs=0.03)
    assert all(p.needs_interpreter for p in monolingual)
    assert {code for p in mayan for code in p.languages} >= {"quc", "mam", "kek", "cak", "kjb"}


def test_honduran_indigenous_and_haitian_languages_occur(people: list[SynthPerson]) -> None:
    honduran_languages = Counter(code for p in people if p.nationality == "HN" for code in p.languages)
    assert {"cab", "len", "miq"} <= set(honduran_languages)
    haitians = [p for p in people if p.nationality == "HT"]
    assert all(p.languages[0] == "hat" for p in haitians)
    assert any(p.needs_interpreter for p in haitians) and not all(p.needs_interpreter for p in haitians)


def test_language_places_match_the_language() -> None:
    """Speakers of an indigenous language come from where it is spoken, in their own country."""
    for (country, _language), regions in INDIGENOUS_ORIGINS.items():
        assert all(region.code.startswith(country + "-") for region in regions.items)
    k_iche = {region.code for region in INDIGENOUS_ORIGINS["GT", "quc"].items}
    assert "GT-14" in k_iche  # Quiché


@pytest.mark.skipif(not REFERENCE_SUBDIVISIONS.exists(), reason="reference data not in this checkout")
def test_subdivisions_are_the_reference_iso_codes() -> None:
    with REFERENCE_SUBDIVISIONS.open(encoding="utf-8") as handle:
        reference = {row["code"]: row["country"] for row in csv.DictReader(handle)}
    used = {region.code for regions in ORIGINS.values() for region in regions.items}
    used |= {region.code for regions in INDIGENOUS_ORIGINS.values() for region in regions.items}
    for code in used:
        if code[:2] in {"SV", "GT", "HN", "MX"}:
            assert code in reference, code
    # Every department of the three northern Central American countries can be a place of origin.
    for country, departments in (("SV", 14), ("GT", 22), ("HN", 18)):
        codes = {region.code for region in ORIGINS[country].items}
        assert len(codes) == departments
        assert codes == {code for code, owner in reference.items() if owner == country}


def test_people_come_from_many_departments(people: list[SynthPerson]) -> None:
    hondurans = Counter(p.subdivision_code for p in people if p.nationality == "HN")
    assert hondurans.most_common(1)[0][0] == "HN-CR"  # Cortés: San Pedro Sula
    assert len(hondurans) >= 15
    municipalities = {p.municipality for p in people if p.subdivision_code == "HN-CR"}
    assert {"San Pedro Sula", "Choloma"} <= municipalities
