"""A deterministic synthetic population of people waiting in Mexican border cities for protection.

Used by the demo data, the tests and the benchmarks. Same seed and arguments give the same people, down to
the last character; everything comes from one `random.Random` seeded from `seed` and from the explicit
`today`, so the module has no clock, no I/O and no global state. Households stream from a generator, so
a million people never sit in memory at once.

Nationalities are the product brief's list of nationalities to expect. Their weights are an assumption,
chosen so that the Central American flows and the top nationalities of CBP One's first months (Haitian,
Mexican and Venezuelan: DHS fact sheet of 2023, in shared/reference/figures.md) are all well represented:
Honduras 25%, Guatemala 20%, Mexico 12%, El Salvador 10%, Venezuela 10%, Haiti 8%, Nicaragua 5%, Cuba 4%,
Colombia 2%, Ecuador 2%, extra-continental 2% (India, China, Senegal, Russia, Eritrea). The shares are of
households, and so very nearly of people: children born on the way (Haitians' children born in Brazil or
Chile, babies born in Mexico) carry the nationality of their birthplace.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from corredor.core.registry.vocab import (
    INDIGENOUS_LANGUAGES,
    DobPrecision,
    DocumentType,
    Relationship,
    Sex,
    Vulnerability,
)
from corredor.core.synth._documents import NI_MUNICIPALITY_CODES, DocumentNumbers
from corredor.core.synth._names import (
    COMPOUND_NICKNAMES,
    CULTURES,
    INDIGENOUS_SURNAMES,
    NICKNAMES,
    SPELLING_VARIANTS,
    Culture,
    SurnameRule,
)
from corredor.core.synth._places import (
    ETHNIC_LANGUAGES,
    INDIGENOUS_ORIGINS,
    ORIGINS,
    PHONE_PLANS,
    WAITING_CITIES,
    Region,
    WaitingCity,
)
from corredor.core.synth._sampling import Weighted

__all__ = [
    "COMPOSITIONS",
    "EARLIEST_REGISTRATION",
    "WAITING_CITY_NAMES",
    "SynthDocument",
    "SynthHousehold",
    "SynthPerson",
    "generate_households",
    "generate_people",
]

EARLIEST_REGISTRATION = date(2019, 1, 1)  # earliest place-in-line date (MPP began in January 2019)

COMPOSITIONS = (
    "single_adult",
    "couple",
    "parent_with_children",
    "two_parents_with_children",
    "extended_family",
    "unaccompanied_child",
    "separated_child_with_relative",
)
WAITING_CITY_NAMES = tuple(city.name for city in WAITING_CITIES.items)


@dataclass(frozen=True, slots=True)
class SynthDocument:
    """An identity document a person carries."""

    doc_type: DocumentType
    number: str
    issuing_country: str  # ISO 3166-1 alpha-2


@dataclass(frozen=True, slots=True)
class SynthPerson:
    """One synthetic person, as an intake worker would record them."""

    key: str  # "S{seed}-H{household:07d}-M{i}", stable within a run
    given_names: str  # may be compound: "José Luis", "María de los Ángeles"
    first_surname: str  # paternal
    second_surname: str  # maternal; "" where the culture or the record has only one surname
    other_names: tuple[str, ...]  # nicknames and names also used: "Chepe", "Lupita", "Jefferson"
    sex: Sex
    date_of_birth: date  # as recorded; see dob_precision
    dob_precision: DobPrecision
    nationality: str  # ISO 3166-1 alpha-2
    country_of_origin: str  # ISO 3166-1 alpha-2: where the person comes from (birth country for children)
    subdivision_code: str  # ISO 3166-2, "" when not modelled
    municipality: str  # "" when unknown
    languages: tuple[str, ...]  # ISO 639-3 codes of vocab.LANGUAGES, primary first
    needs_interpreter: bool  # speaks neither Spanish nor English
    relationship: Relationship  # to the household's contact member
    vulnerabilities: tuple[Vulnerability, ...]
    phone: str | None  # E.164
    documents: tuple[SynthDocument, ...]


@dataclass(frozen=True, slots=True)
class SynthHousehold:
    """A family (or a person alone) holding one place in the queue."""

    key: str  # "S{seed}-H{household:07d}"
    composition: str  # one of COMPOSITIONS
    waiting_city: str  # one of WAITING_CITY_NAMES
    registered_on: date  # place-in-line date, EARLIEST_REGISTRATION <= registered_on <= today
    members: tuple[SynthPerson, ...]  # members[0] is the contact member (Relationship.SELF)


# Hot-path constructors. A frozen dataclass's generated __init__ parses keywords and stores each field
# through object.__setattr__; with 18 fields that was a fifth of the generator's time. Each builder below
# has exactly the slots of its dataclass, stores the fields with plain attribute assignments, then turns
# itself into an instance of the dataclass by `__class__` assignment, which CPython allows between classes
# of identical layout. The result is an ordinary instance of the dataclass, equal to one built normally
# (the tests check both the layouts and the equality); nothing outside this module uses the builders.


class _PersonBuilder:
    __slots__ = SynthPerson.__slots__

    def __init__(
        self, key: str, given_names: str, first_surname: str, second_surname: str, other_names: tuple[str, ...],
        sex: Sex, date_of_birth: date, dob_precision: DobPrecision, nationality: str, country_of_origin: str,
        subdivision_code: str, municipality: str, languages: tuple[str, ...], needs_interpreter: bool,
        relationship: Relationship, vulnerabilities: tuple[Vulnerability, ...], phone: str | None,
        documents: tuple[SynthDocument, ...],
    ) -> None:
        self.key = key
        self.given_names = given_names
        self.first_surname = first_surname
        self.second_surname = second_surname
        self.other_names = other_names
        self.sex = sex
        self.date_of_birth = date_of_birth
        self.dob_precision = dob_precision
        self.nationality = nationality
        self.country_of_origin = country_of_origin
        self.subdivision_code = subdivision_code
        self.municipality = municipality
        self.languages = languages
        self.needs_interpreter = needs_interpreter
        self.relationship = relationship
        self.vulnerabilities = vulnerabilities
        self.phone = phone
        self.documents = documents
        self.__class__ = SynthPerson  # type: ignore[assignment]


class _HouseholdBuilder:
    __slots__ = SynthHousehold.__slots__

    def __init__(self, key: str, composition: str, waiting_city: str, registered_on: date,
                 members: tuple[SynthPerson, ...]) -> None:
        self.key = key
        self.composition = composition
        self.waiting_city = waiting_city
        self.registered_on = registered_on
        self.members = members
        self.__class__ = SynthHousehold  # type: ignore[assignment]


class _DocumentBuilder:
    __slots__ = SynthDocument.__slots__

    def __init__(self, doc_type: DocumentType, number: str, issuing_country: str) -> None:
        self.doc_type = doc_type
        self.number = number
        self.issuing_country = issuing_country
        self.__class__ = SynthDocument  # type: ignore[assignment]


_new_person: Callable[..., SynthPerson] = _PersonBuilder  # type: ignore[assignment]
_new_household: Callable[..., SynthHousehold] = _HouseholdBuilder  # type: ignore[assignment]
_new_document: Callable[..., SynthDocument] = _DocumentBuilder  # type: ignore[assignment]


def generate_households(*, seed: int, count: int, today: date) -> Iterator[SynthHousehold]:
    """Yield `count` synthetic households, deterministically from `seed`, with ages relative to `today`.

    `today` must be on or after 2019-01-01 (the earliest place-in-line date). Raises ValueError or
    TypeError on bad arguments, at the call rather than at the first item.
    """
    _check_arguments(seed=seed, count=count, today=today)
    return _households(seed, count, today)


def generate_people(*, seed: int, count: int, today: date) -> Iterator[tuple[SynthHousehold, SynthPerson]]:
    """Yield exactly `count` (household, person) pairs, each household's members in order.

    No household is ever cut after it is drawn. The households are the very ones `generate_households`
    gives for the same seed and today, except at the end: when fewer people remain to be generated than
    a drawn household needs, that household is drawn with a size cap (fewer children or relatives, or a
    composition small enough to fit, such as a single adult), so the last household may be smaller than
    it would otherwise have been but is still complete and coherent.
    """
    _check_arguments(seed=seed, count=count, today=today)
    return _people(seed, count, today)


def _check_arguments(*, seed: int, count: int, today: date) -> None:
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"seed must be an int, not {type(seed).__name__}")
    if not isinstance(count, int) or isinstance(count, bool):
        raise TypeError(f"count must be an int, not {type(count).__name__}")
    if count < 0:
        raise ValueError(f"count must be zero or more, not {count}")
    if isinstance(today, datetime) or not isinstance(today, date):
        raise TypeError("today must be a datetime.date (not a datetime)")
    if today < EARLIEST_REGISTRATION:
        raise ValueError(f"today must be on or after {EARLIEST_REGISTRATION.isoformat()}")


_UNCAPPED = 1_000  # larger than any household


def _households(seed: int, count: int, today: date) -> Iterator[SynthHousehold]:
    generator = _Generator(seed, today)
    for index in range(1, count + 1):
        yield generator.household(index, _UNCAPPED)


def _people(seed: int, count: int, today: date) -> Iterator[tuple[SynthHousehold, SynthPerson]]:
    generator = _Generator(seed, today)
    remaining = count
    index = 0
    while remaining > 0:
        index += 1
        household = generator.household(index, remaining)
        for person in household.members:
            yield household, person
        remaining -= len(household.members)


# --- Distributions ------------------------------------------------------------------------------

_EXTRA_CONTINENTAL = "extra-continental"
_NATIONALITIES: Weighted[str] = Weighted((
    ("HN", 25), ("GT", 20), ("MX", 12), ("SV", 10), ("VE", 10), ("HT", 8), ("NI", 5), ("CU", 4), ("CO", 2),
    ("EC", 2), (_EXTRA_CONTINENTAL, 2),
))
_EXTRA_CONTINENTAL_NATIONALITIES: Weighted[str] = Weighted((
    ("IN", 35), ("CN", 20), ("SN", 15), ("RU", 15), ("ER", 15),
))
# A partner of another nationality met on the way or at home (4% of partners).
_NEIGHBOURS: dict[str, Weighted[str]] = {
    "HN": Weighted((("GT", 1), ("SV", 1), ("NI", 1))), "GT": Weighted((("HN", 1), ("SV", 1), ("MX", 1))),
    "SV": Weighted((("HN", 1), ("GT", 1))), "NI": Weighted((("HN", 1),)), "MX": Weighted((("GT", 1), ("HN", 1))),
    "VE": Weighted((("CO", 2), ("EC", 1))), "CO": Weighted((("VE", 1),)), "EC": Weighted((("CO", 1), ("VE", 1))),
    "CU": Weighted((("VE", 1), ("MX", 1))),
}
_MPP_NATIONALITIES = frozenset({"HN", "GT", "SV", "NI", "VE", "CU", "CO", "EC"})  # never Mexicans
_MPP_END = date(2021, 1, 20)  # DHS suspended new MPP enrolments from 21 January 2021

_COMPOSITION_TABLE: Weighted[str] = Weighted((
    ("single_adult", 35), ("parent_with_children", 25), ("two_parents_with_children", 15), ("couple", 8),
    ("extended_family", 7), ("unaccompanied_child", 6), ("separated_child_with_relative", 4),
))
_MIN_MEMBERS = {
    "single_adult": 1, "couple": 2, "parent_with_children": 2, "two_parents_with_children": 3,
    "extended_family": 3, "unaccompanied_child": 1, "separated_child_with_relative": 2,
}
_FITTING_COMPOSITIONS: dict[int, Weighted[str]] = {
    cap: Weighted(
        (name, _COMPOSITION_TABLE.probability(name)) for name in COMPOSITIONS if _MIN_MEMBERS[name] <= cap
    )
    for cap in (1, 2)
}


def _ages(*bands: tuple[int, int, float]) -> Weighted[int]:
    """A table of whole years of age from bands (first, last, share of the band)."""
    return Weighted(
        (age, share / (last - first + 1)) for first, last, share in bands for age in range(first, last + 1)
    )


_ADULT_AGE = _ages((18, 24, 27), (25, 34, 38), (35, 44, 20), (45, 59, 12), (60, 79, 3))
_PARENT_AGE = _ages((18, 24, 20), (25, 34, 45), (35, 44, 28), (45, 52, 7))
_GRANDPARENT_AGE = _ages((45, 54, 25), (55, 64, 45), (65, 79, 30))
_EXTENDED_PARENT_AGE = _ages((22, 29, 30), (30, 44, 55), (45, 55, 15))
_AUNT_AGE = _ages((20, 29, 35), (30, 44, 45), (45, 55, 20))
_SIBLING_AGE = _ages((18, 30, 1))
_UNACCOMPANIED_AGE = Weighted(((12, 4), (13, 7), (14, 13), (15, 20), (16, 26), (17, 30)))
_CHILDREN_OF_ONE = Weighted(((1, 40), (2, 32), (3, 17), (4, 8), (5, 3)))
_CHILDREN_OF_TWO = Weighted(((1, 30), (2, 33), (3, 20), (4, 10), (5, 5), (6, 2)))

_DAYS_PER_YEAR = 365.2425
_GENERATION_GAP = 5844  # days in 16 years: a parent is always at least 15 calendar years older
_MAX_PARENT_AGE_AT_BIRTH = 45

# Date-of-birth precision, as cumulative thresholds (exact, month, year; the rest is estimated). People
# with documents know their date; undocumented adults often state only an age or a year; parents know
# their children's dates. Overall about 72% exact, 10% month, 9% year, 9% estimated.
_PRECISION_DOCUMENTED = (0.93, 0.96, 0.98)
_PRECISION_UNDOCUMENTED_CHILD = (0.70, 0.82, 0.91)
_PRECISION_UNDOCUMENTED_ADULT = (0.10, 0.40, 0.70)
_DOCUMENTED_ADULT = 0.62  # so with MPP A-numbers about 40% of people carry no document
_DOCUMENTED_CHILD = 0.55

_PHONE_ADULT = 0.55
_PHONE_MEXICAN = 0.45  # a Mexican SIM bought while waiting
_PHONE_SHARED = 0.30  # adults of a family often give the contact member's number

# Vulnerability prevalence (shares of the group at risk), plausible orders of magnitude.
_PREGNANT = 0.04  # women 16-45
_DISABILITY = 0.03
_SERIOUS_MEDICAL = 0.04
_LGBTQI = 0.02  # adults
_GBV_SURVIVOR = 0.06  # women and girls from 12
_WOMAN_AT_RISK = 0.05  # adult women
_TORTURE = 0.01  # from 12
_TRAFFICKING = 0.01  # from 12
_INTERSEX = 0.0005


class _Risks:
    """Independent vulnerabilities of one group of people, drawn with one uniform in the common case.

    Most people have none of them, so one draw decides "none" (probability prod(1 - p)); otherwise the
    flags are drawn conditioned on "at least one": flag i with probability p_i / P(any of i..n) while none
    is set yet, independently (p_i) once one is. The result has exactly the independent distribution.
    """

    __slots__ = ("_risks", "any")

    def __init__(self, risks: tuple[tuple[Vulnerability, float], ...]) -> None:
        chained = []
        none_of_rest = 1.0
        for vulnerability, probability in reversed(risks):
            none_of_rest *= 1 - probability
            chained.append((vulnerability, probability, 1 - none_of_rest))
        self._risks = tuple(reversed(chained))
        self.any = 1 - none_of_rest

    def draw(self, u: float, rnd: Callable[[], float]) -> list[Vulnerability]:
        """The flags, given that at least one is set; u is a fresh uniform used for the first decision."""
        drawn: list[Vulnerability] = []
        for vulnerability, probability, any_of_rest in self._risks:
            if drawn:
                if rnd() < probability:
                    drawn.append(vulnerability)
            elif u * any_of_rest < probability:
                drawn.append(vulnerability)
            else:
                # Given "not this one", u is still uniform on the rest of its range; rescale it.
                u = (u * any_of_rest - probability) / (any_of_rest - probability)
        return drawn


def _risks_for(key: int) -> _Risks:
    """Risks of the group coded by `key`: bit 0 female, 1 aged 16-45, 2 adult, 3 aged 12+, 4 LGBTQI open."""
    female, childbearing, adult, from_twelve, lgbtqi = (bool(key >> bit & 1) for bit in range(5))
    risks = []
    if female and childbearing:
        risks.append((Vulnerability.PREGNANT, _PREGNANT))
    risks += [(Vulnerability.SERIOUS_MEDICAL_CONDITION, _SERIOUS_MEDICAL), (Vulnerability.DISABILITY, _DISABILITY)]
    if lgbtqi:
        risks.append((Vulnerability.LGBTQI, _LGBTQI))
    if from_twelve and female:
        risks.append((Vulnerability.GBV_SURVIVOR, _GBV_SURVIVOR))
    if from_twelve and female and adult:
        risks.append((Vulnerability.WOMAN_AT_RISK, _WOMAN_AT_RISK))
    if from_twelve:
        risks += [(Vulnerability.TORTURE_SURVIVOR, _TORTURE), (Vulnerability.TRAFFICKING_SURVIVOR, _TRAFFICKING)]
    return _Risks(tuple(risks))


_RISKS = tuple(_risks_for(key) for key in range(32))

_SPANISH = ("spa",)
_SPANISH_ENGLISH = ("spa", "eng")
_ENGLISH_TOO = 0.03  # adults who also speak English (return migrants, deportees)
_UNHCR_REGISTERED = 0.015
_NICKNAME = 0.35  # share asked for a nickname who give one (when their name has a usual one)
_ALIAS = 0.06  # share also recorded under a spelling variant or their second given name
_EXACT = DobPrecision.EXACT
_MONOLINGUAL_BASE = {"cab": 0.05, "miq": 0.30, "nah": 0.15, "tzo": 0.25, "tzh": 0.25, "zap": 0.10, "mix": 0.20}
_MAYAN_MONOLINGUAL = 0.32  # of Mayan-speaking Guatemalans: 8% of all Guatemalans (brief)

_SELF = Relationship.SELF
_CHILD = Relationship.CHILD
_SPOUSE = Relationship.SPOUSE_PARTNER
_FEMALE = Sex.FEMALE
_MALE = Sex.MALE


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where a person comes from and how they are named and speak."""

    nationality: str
    country: str
    region: str
    municipality: str
    municipality_index: int
    culture_code: str  # key of CULTURES
    culture: Culture
    ethnic_language: str | None
    language_profile: str


class _Household:
    """Scratch state while one household is drawn."""

    __slots__ = ("city", "contact_phone", "key", "mpp", "origin", "registered_on", "registered_ord")

    def __init__(self, key: str, origin: _Origin, city: WaitingCity, registered_on: date, mpp: bool) -> None:
        self.key = key
        self.origin = origin
        self.city = city
        self.registered_on = registered_on
        self.registered_ord = registered_on.toordinal()
        self.mpp = mpp
        self.contact_phone: str | None = None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def _age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


class _Generator:
    """Draws households from one random stream. Instances are independent: no shared state."""

    def __init__(self, seed: int, today: date) -> None:
        # Reproducible pseudo-random data, not secrets: the standard PRNG is the right tool. Seeding with a
        # string (hashed with SHA-512 by `random`) keeps seeds n and -n apart, which an int seed would not.
        self._rng = random.Random(f"corredor.synth:{seed}")  # noqa: S311
        self._rnd = self._rng.random
        self._key_prefix = f"S{seed}-H"
        self._today_ord = today.toordinal()
        self._earliest_ord = EARLIEST_REGISTRATION.toordinal()
        # Born on or before born_by[n] <=> aged n or more today.
        self._born_by = {n: _add_years(today, -n).toordinal() for n in (5, 12, 16, 18, 25, 46, 60, 95)}
        self._born_by_12 = self._born_by[12]
        self._born_by_16 = self._born_by[16]
        self._born_by_25 = self._born_by[25]
        self._born_by_46 = self._born_by[46]
        self._born_by_60 = self._born_by[60]
        self._adult_latest = self._born_by[18]
        self._minor_earliest = self._born_by[18] + 1
        self._oldest = self._born_by[95]
        self._documents = DocumentNumbers(self._rng)
        self._other_name_options: dict[
            str, tuple[tuple[tuple[str, ...], ...], tuple[str, ...] | None, tuple[str, ...] | None]
        ] = {}
        self._origins: dict[tuple[str, str, str, str, str, str | None, str], _Origin] = {}
        self._builders = {
            "single_adult": self._build_single_adult,
            "couple": self._build_couple,
            "parent_with_children": self._build_parent_with_children,
            "two_parents_with_children": self._build_two_parents_with_children,
            "extended_family": self._build_extended_family,
            "unaccompanied_child": self._build_unaccompanied_child,
            "separated_child_with_relative": self._build_separated_child_with_relative,
        }

    # --- households --------------------------------------------------------------------------

    def household(self, index: int, cap: int) -> SynthHousehold:
        """The household numbered `index`, with at most `cap` members (a cap only binds at the very end)."""
        rnd = self._rnd
        composition = _COMPOSITION_TABLE.pick(rnd())
        if _MIN_MEMBERS[composition] > cap:
            composition = _FITTING_COMPOSITIONS[cap].pick(rnd())
        nationality = _NATIONALITIES.pick(rnd())
        if nationality == _EXTRA_CONTINENTAL:
            nationality = _EXTRA_CONTINENTAL_NATIONALITIES.pick(rnd())
            if composition in ("unaccompanied_child", "separated_child_with_relative"):
                composition = "single_adult"  # children rarely cross oceans alone to this border
        origin = self._origin(nationality)
        city = WAITING_CITIES.pick(rnd())
        registered_on, legacy = self._registration()
        mpp = legacy and registered_on <= _MPP_END and nationality in _MPP_NATIONALITIES and rnd() < 0.5
        household = _Household(f"{self._key_prefix}{index:07d}", origin, city, registered_on, mpp)
        members = self._builders[composition](household, cap)
        return _new_household(household.key, composition, city.name, registered_on, tuple(members))

    def _registration(self) -> tuple[date, bool]:
        """A place-in-line date: a quarter from legacy lists (any day since 2019), the rest recent (18 months)."""
        rnd = self._rnd
        span = self._today_ord - self._earliest_ord
        if rnd() < 0.25:
            return date.fromordinal(self._earliest_ord + int(rnd() * (span + 1))), True
        window = min(span, 540)
        return date.fromordinal(self._today_ord - int(rnd() * (window + 1))), False

    def _build_single_adult(self, household: _Household, cap: int) -> list[SynthPerson]:
        sex = self._adult_sex(male_share=0.62)
        born = self._draw_adult(_ADULT_AGE, self._oldest, self._adult_latest)
        return [self._fresh_adult(household, 0, sex, born, self._oldest, self._adult_latest, _SELF)]

    def _build_couple(self, household: _Household, cap: int) -> list[SynthPerson]:
        contact_sex = self._adult_sex(male_share=0.45)
        same_sex = self._rnd() < 0.03
        flags = (Vulnerability.LGBTQI,) if same_sex else ()
        born = self._draw_adult(_ADULT_AGE, self._oldest, self._adult_latest)
        contact = self._fresh_adult(household, 0, contact_sex, born, self._oldest, self._adult_latest, _SELF,
                                    flags)
        partner = self._partner(household, 1, contact, same_sex, flags)
        return [contact, partner]

    def _build_parent_with_children(self, household: _Household, cap: int) -> list[SynthPerson]:
        rnd = self._rnd
        sex = _FEMALE if rnd() < 0.85 else _MALE
        born = self._draw_adult(_PARENT_AGE, self._oldest, self._adult_latest)
        parent = self._fresh_adult(household, 0, sex, born, self._oldest, self._adult_latest, _SELF)
        count = min(_CHILDREN_OF_ONE.pick(rnd()), cap - 1)
        father, mother = (parent, None) if sex is _MALE else (None, parent)
        children = self._children(household, 1, count, father, mother, (parent,), _CHILD)
        return [parent, *children]

    def _build_two_parents_with_children(self, household: _Household, cap: int) -> list[SynthPerson]:
        rnd = self._rnd
        contact_sex = _FEMALE if rnd() < 0.6 else _MALE
        same_sex = rnd() < 0.015
        flags = (Vulnerability.LGBTQI,) if same_sex else ()
        born = self._draw_adult(_PARENT_AGE, self._oldest, self._adult_latest)
        contact = self._fresh_adult(household, 0, contact_sex, born, self._oldest, self._adult_latest, _SELF,
                                    flags)
        partner = self._partner(household, 1, contact, same_sex, flags)
        count = min(_CHILDREN_OF_TWO.pick(rnd()), cap - 2)
        father, mother = _father_and_mother(contact, partner)
        children = self._children(household, 2, count, father, mother, (contact, partner), _CHILD)
        return [contact, partner, *children]

    def _build_extended_family(self, household: _Household, cap: int) -> list[SynthPerson]:
        if self._rnd() < 0.3:
            return self._extended_around_grandparent(household, cap)
        return self._extended_around_parent(household, cap)

    def _extended_around_parent(self, household: _Household, cap: int) -> list[SynthPerson]:
        """A parent with partner and children, plus their own parent(s), a sibling, nieces or nephews."""
        rnd = self._rnd
        has_partner = rnd() < 0.7
        children = _CHILDREN_OF_TWO.pick(rnd()) if has_partner else _CHILDREN_OF_ONE.pick(rnd())
        children = min(children, 4)
        parents = 0 if rnd() < 0.5 else (1 if rnd() < 0.7 else 2)
        in_law = has_partner and rnd() < 0.1
        sibling = rnd() < 0.35
        nieces = (1 + int(rnd() * 2)) if sibling and rnd() < 0.4 else 0
        if not (parents or in_law or sibling):
            parents = 1  # an extended family has someone beyond the couple and their children
        # Fit the cap, dropping the most optional members first but keeping one relative beyond the couple
        # and their children (a cap is at least 3 here).
        while 1 + has_partner + children + parents + in_law + sibling + nieces > cap:
            if nieces:
                nieces -= 1
            elif children > 1:
                children -= 1
            elif parents > 1:
                parents -= 1
            elif in_law and (parents or sibling):
                in_law = False
            elif sibling and parents:
                sibling = False
            elif has_partner and not in_law:
                has_partner = False
            else:
                children -= 1  # the contact, the partner and the partner's parent remain
        contact_sex = _FEMALE if rnd() < 0.6 else _MALE
        born = self._draw_adult(_EXTENDED_PARENT_AGE, self._oldest, self._adult_latest)
        contact = self._fresh_adult(household, 0, contact_sex, born, self._oldest, self._adult_latest, _SELF)
        members = [contact]
        partner = None
        if has_partner:
            partner = self._partner(household, 1, contact, False, ())
            members.append(partner)
        father, mother = _father_and_mother(contact, partner)
        parent_generation = (contact, partner) if partner else (contact,)
        members += self._children(household, len(members), children, father, mother, parent_generation, _CHILD)
        for number in range(parents):
            sex = _FEMALE if number == 0 and rnd() < 0.7 else (_MALE if number == 0 else _opposite(members[-1].sex))
            members.append(self._elder(household, len(members), contact, sex, Relationship.PARENT))
        if in_law and partner is not None:
            members.append(self._elder(household, len(members), partner, _FEMALE, Relationship.OTHER_RELATIVE))
        if sibling:
            brother_or_sister = self._sibling(household, len(members), contact)
            members.append(brother_or_sister)
            # The sibling's own children are the contact's nieces and nephews.
            sibling_father, sibling_mother = (
                (brother_or_sister, None) if brother_or_sister.sex is _MALE else (None, brother_or_sister)
            )
            members += self._children(household, len(members), nieces, sibling_father, sibling_mother,
                                      (brother_or_sister,), Relationship.OTHER_RELATIVE)
        return members

    def _extended_around_grandparent(self, household: _Household, cap: int) -> list[SynthPerson]:
        """A grandparent with partner, an adult child (and their partner) and grandchildren."""
        rnd = self._rnd
        has_partner = rnd() < 0.55
        adult_children = 1 if rnd() < 0.8 else 2
        in_law = rnd() < 0.3
        grandchildren = 1 + int(rnd() * 3)
        while 1 + has_partner + adult_children + in_law + grandchildren > cap:
            if in_law:
                in_law = False
            elif grandchildren > 1:
                grandchildren -= 1
            elif adult_children > 1:
                adult_children -= 1
            else:
                has_partner = False
        contact_sex = _FEMALE if rnd() < 0.7 else _MALE
        # Old enough for an adult child who is old enough to be a parent.
        latest = self._adult_latest - _GENERATION_GAP - 365
        born = self._draw_adult(_GRANDPARENT_AGE, self._oldest, latest)
        contact = self._fresh_adult(household, 0, contact_sex, born, self._oldest, latest, _SELF)
        members = [contact]
        partner = None
        if has_partner:
            partner = self._partner(household, 1, contact, False, (), latest)
            members.append(partner)
        father, mother = _father_and_mother(contact, partner)
        elders = (contact, partner) if partner else (contact,)
        grown = self._children(household, len(members), adult_children, father, mother, elders, _CHILD,
                               adults=True)
        members += grown
        middle = grown[0]
        other_parent = None
        if in_law:
            other_parent = self._fresh_adult(
                household, len(members), _opposite(middle.sex),
                self._near(middle.date_of_birth.toordinal(), -5, 5, self._oldest, self._adult_latest),
                self._oldest, self._adult_latest, Relationship.OTHER_RELATIVE,
            )
            members.append(other_parent)
        grand_father: SynthPerson | None
        grand_mother: SynthPerson | None
        if middle.sex is _MALE:
            grand_father, grand_mother = middle, other_parent
        else:
            grand_father, grand_mother = other_parent, middle
        members += self._children(household, len(members), grandchildren, grand_father, grand_mother,
                                  (middle, other_parent) if other_parent else (middle,), Relationship.GRANDCHILD)
        return members

    def _build_unaccompanied_child(self, household: _Household, cap: int) -> list[SynthPerson]:
        rnd = self._rnd
        sex = _MALE if rnd() < 0.68 else _FEMALE
        age = _UNACCOMPANIED_AGE.pick(rnd())
        earliest, latest = self._minor_earliest, self._born_by[12]
        born = min(max(self._today_ord - int((age + rnd()) * _DAYS_PER_YEAR), earliest), latest)
        given, first, second = self._fresh_names(household.origin, sex, born)
        return [self._person(household, 0, household.origin, sex, born, earliest, latest, _SELF, given, first,
                             second, (Vulnerability.UNACCOMPANIED_CHILD,))]

    def _build_separated_child_with_relative(self, household: _Household, cap: int) -> list[SynthPerson]:
        """Children travelling with a relative who is not their parent (an aunt, a grandparent, a sibling)."""
        rnd = self._rnd
        kind = rnd()
        separated = 1 if rnd() < 0.7 else (2 if rnd() < 0.85 else 3)
        if kind < 0.5:  # aunt or uncle
            relationship, ages, has_partner = Relationship.OTHER_RELATIVE, _AUNT_AGE, rnd() < 0.35
            own_children = (1 + int(rnd() * 2)) if rnd() < 0.4 else 0
        elif kind < 0.75:
            relationship, ages, has_partner, own_children = Relationship.GRANDCHILD, _GRANDPARENT_AGE, rnd() < 0.35, 0
        else:
            relationship, ages, has_partner, own_children = Relationship.SIBLING, _SIBLING_AGE, rnd() < 0.15, 0
        while 1 + has_partner + own_children + separated > cap:
            if own_children:
                own_children -= 1
            elif has_partner:
                has_partner = False
            else:
                separated -= 1
        contact_sex = _FEMALE if rnd() < 0.65 else _MALE
        latest = self._adult_latest
        if relationship is Relationship.GRANDCHILD:
            latest = min(latest, self._today_ord - 2 * _GENERATION_GAP - 365)
        born = self._draw_adult(ages, self._oldest, latest)
        contact = self._fresh_adult(household, 0, contact_sex, born, self._oldest, latest, _SELF)
        members = [contact]
        partner = None
        if has_partner:
            partner = self._partner(household, 1, contact, False, (), latest)
            members.append(partner)
        father, mother = _father_and_mother(contact, partner)
        members += self._children(household, len(members), own_children, father, mother,
                                  (contact, partner) if partner else (contact,), _CHILD)
        members += self._separated_children(household, len(members), separated, contact, relationship)
        return members

    # --- members -----------------------------------------------------------------------------

    def _partner(self, household: _Household, index: int, contact: SynthPerson, same_sex: bool,
                 flags: tuple[Vulnerability, ...], latest: int | None = None) -> SynthPerson:
        rnd = self._rnd
        sex = contact.sex if same_sex else _opposite(contact.sex)
        # Men partnered with women are a few years older on average.
        low, high = (-3, 9) if sex is _MALE and not same_sex else ((-9, 3) if not same_sex else (-6, 6))
        latest = self._adult_latest if latest is None else latest
        born = self._near(contact.date_of_birth.toordinal(), -high, -low, self._oldest, latest)
        origin = household.origin
        neighbours = _NEIGHBOURS.get(origin.nationality)
        if neighbours is not None and rnd() < 0.04:
            origin = self._origin(neighbours.pick(rnd()))
        given, first, second = self._fresh_names(origin, sex, born)
        return self._person(household, index, origin, sex, born, self._oldest, latest, _SPOUSE, given, first,
                            second, flags)

    def _children(self, household: _Household, first_index: int, count: int, father: SynthPerson | None,
                  mother: SynthPerson | None, parents: tuple[SynthPerson, ...], relationship: Relationship,
                  adults: bool = False) -> list[SynthPerson]:
        """Children of `father` and/or `mother` (either may be absent), younger than every one of `parents`."""
        if count <= 0:
            return []
        rnd = self._rnd
        parent_births = [parent.date_of_birth.toordinal() for parent in parents]
        earliest = max(parent_births) + _GENERATION_GAP
        latest = min(parent_births) + int(_MAX_PARENT_AGE_AT_BIRTH * _DAYS_PER_YEAR)
        if adults:
            latest = min(latest, self._adult_latest)
        else:
            earliest = max(earliest, self._minor_earliest)
            latest = min(latest, self._today_ord)
        latest = max(latest, earliest)
        origin = household.origin
        culture = origin.culture
        born_by_5 = self._born_by[5]
        # A mother alone may have given the children her own surnames, or their absent father's.
        own_surnames = father is None and mother is not None and rnd() < 0.3
        absent_surname = self._surname(origin) if culture.rule is not SurnameRule.PATRONYMIC \
            else culture.male.pick(rnd())
        absent_mother_surname = self._surname(origin) if mother is None else ""
        members: list[SynthPerson] = []
        births: list[int] = []
        first_names: set[str] = set()
        for offset in range(count):
            sex = _MALE if rnd() < 0.51 else _FEMALE
            born = self._sibling_birth(births, earliest, latest)
            births.append(born)
            if adults or (born <= born_by_5 and origin.nationality != "HT"):
                child_origin = origin  # only babies and Haitian children may have been born on the way
            else:
                child_origin = self._birthplace(origin, born, household)
            given = self._given(child_origin.culture, sex, born)
            if offset:
                if given.partition(" ")[0] in first_names:
                    given = self._given(child_origin.culture, sex, born)  # parents rarely reuse a first name
                first_names.add(given.partition(" ")[0])
            elif count > 1:
                first_names.add(given.partition(" ")[0])
            if offset and father is None and rnd() < 0.2:
                absent_surname = self._surname(origin)  # half-siblings by another father
            if culture.rule is SurnameRule.PATRONYMIC:
                first = father.given_names.split(" ")[0] if father is not None else absent_surname
                second = ""
            elif own_surnames and mother is not None:
                first, second = mother.first_surname, mother.second_surname
            else:
                first = father.first_surname if father is not None else absent_surname
                second = mother.first_surname if mother is not None else absent_mother_surname
            first, second = self._finish_surnames(culture, sex, first, second)
            members.append(self._person(household, first_index + offset, child_origin, sex, born, earliest, latest,
                                        relationship, given, first, second))
        return members

    def _sibling_birth(self, births: list[int], earliest: int, latest: int) -> int:
        """A birth date in [earliest, latest] for a sibling of those born on `births`.

        Twins now and then (2%), which duplicate detection must not merge; otherwise siblings are at least
        ten months apart when the range allows it (a few tries, then any date).
        """
        rnd = self._rnd
        span = latest - earliest + 1
        born = earliest + int(rnd() * span)
        if not births:
            return born
        if rnd() < 0.02:
            return births[-1]
        for _ in range(4):
            for other in births:
                if -300 < born - other < 300:
                    break
            else:
                return born
            born = earliest + int(rnd() * span)
        return born

    def _separated_children(self, household: _Household, first_index: int, count: int, contact: SynthPerson,
                            relationship: Relationship) -> list[SynthPerson]:
        rnd = self._rnd
        origin = household.origin
        culture = origin.culture
        contact_born = contact.date_of_birth.toordinal()
        if relationship is Relationship.GRANDCHILD:
            earliest = contact_born + 2 * _GENERATION_GAP
        elif relationship is Relationship.SIBLING:
            earliest = contact_born + 365
        else:
            earliest = contact_born + 5 * 365
        earliest = max(earliest, self._minor_earliest)
        latest = max(self._today_ord, earliest)
        members = []
        for offset in range(count):
            sex = _MALE if rnd() < 0.55 else _FEMALE
            born = earliest + int(rnd() * (latest - earliest + 1))
            given = self._given(culture, sex, born)
            if relationship is Relationship.SIBLING:
                first, second = contact.first_surname, contact.second_surname
            elif relationship is Relationship.GRANDCHILD:
                # Through a son (his surname first) or a daughter (hers second); a grandmother's own
                # surname does not pass to her grandchildren, her husband's does.
                line = contact.first_surname if contact.sex is _MALE else self._surname(origin)
                first, second = (line, self._surname(origin)) if rnd() < 0.5 else (self._surname(origin), line)
            elif rnd() < 0.8:
                # A child of the contact's brother (his surname, hence the contact's, first) or sister (second).
                first, second = (contact.first_surname, self._surname(origin)) if rnd() < 0.5 else \
                    (self._surname(origin), contact.first_surname)
            else:  # a niece or nephew by marriage: no surname in common
                first, second = self._surname(origin), self._surname(origin)
            if culture.rule is SurnameRule.PATRONYMIC:
                first, second = culture.male.pick(rnd()), ""
            first, second = self._finish_surnames(culture, sex, first, second)
            members.append(self._person(household, first_index + offset, origin, sex, born, earliest, latest,
                                        relationship, given, first, second, (Vulnerability.SEPARATED_CHILD,)))
        return members

    def _elder(self, household: _Household, index: int, child: SynthPerson, sex: Sex,
               relationship: Relationship) -> SynthPerson:
        """A parent of `child` (the contact member or the partner), at least a generation older."""
        child_born = child.date_of_birth.toordinal()
        latest = child_born - _GENERATION_GAP
        earliest = max(self._oldest, child_born - int(40 * _DAYS_PER_YEAR))
        earliest = min(earliest, latest)
        born = earliest + int(self._rnd() * (latest - earliest + 1))
        origin = household.origin
        given = self._given(origin.culture, sex, born)
        if origin.culture.rule is SurnameRule.HISPANIC:
            # The father's first surname is the child's first; the mother's first is the child's second.
            first = child.first_surname if sex is _MALE else (child.second_surname or self._surname(origin))
            second = self._surname(origin)
        elif origin.culture.rule is SurnameRule.PATRONYMIC:
            first, second = origin.culture.male.pick(self._rnd()), ""
        else:
            first = child.first_surname if sex is _MALE else self._surname(origin)
            second = ""
        first, second = self._finish_surnames(origin.culture, sex, first, second)
        return self._person(household, index, origin, sex, born, earliest, latest, relationship, given, first,
                            second)

    def _sibling(self, household: _Household, index: int, contact: SynthPerson) -> SynthPerson:
        rnd = self._rnd
        sex = _MALE if rnd() < 0.5 else _FEMALE
        born = self._near(contact.date_of_birth.toordinal(), -12, 12, self._oldest, self._adult_latest)
        origin = household.origin
        given = self._given(origin.culture, sex, born)
        if rnd() < 0.8:
            first, second = contact.first_surname, contact.second_surname
        else:  # a half-sibling by the same mother
            first, second = self._surname(origin), contact.second_surname
        first, second = self._finish_surnames(origin.culture, sex, first, second)
        return self._person(household, index, origin, sex, born, self._oldest, self._adult_latest,
                            Relationship.SIBLING, given, first, second)

    def _fresh_adult(self, household: _Household, index: int, sex: Sex, born: int, earliest: int, latest: int,
                     relationship: Relationship, flags: tuple[Vulnerability, ...] = ()) -> SynthPerson:
        given, first, second = self._fresh_names(household.origin, sex, born)
        return self._person(household, index, household.origin, sex, born, earliest, latest, relationship, given,
                            first, second, flags)

    def _person(self, household: _Household, index: int, origin: _Origin, sex: Sex, born: int, earliest: int,
                latest: int, relationship: Relationship, given: str, first: str, second: str,
                flags: tuple[Vulnerability, ...] = ()) -> SynthPerson:
        """Complete a person: recorded birth date, languages, vulnerabilities, phone and documents.

        The hot path of the generator (once per person), so the common cases are written inline.
        """
        rnd = self._rnd
        adult_latest = self._adult_latest
        adult_by_true_age = born <= adult_latest
        documented = rnd() < (_DOCUMENTED_ADULT if adult_by_true_age else _DOCUMENTED_CHILD)
        birth = date.fromordinal(born)
        thresholds = _PRECISION_DOCUMENTED if documented else (
            _PRECISION_UNDOCUMENTED_ADULT if adult_by_true_age else _PRECISION_UNDOCUMENTED_CHILD)
        u = rnd()
        if u < thresholds[0]:
            recorded, precision, recorded_ord = birth, _EXACT, born
        else:
            recorded, precision = self._imprecise_birth(birth, u, thresholds, earliest, latest,
                                                        household.registered_ord)
            recorded_ord = recorded.toordinal()
        adult = recorded_ord <= adult_latest

        languages: tuple[str, ...]
        if origin.language_profile == "hispanic":
            languages = _SPANISH_ENGLISH if adult and rnd() < _ENGLISH_TOO else _SPANISH
            needs_interpreter = monolingual_indigenous = False
        else:
            languages = self._languages(origin, recorded_ord, sex, adult)
            needs_interpreter = "spa" not in languages and "eng" not in languages
            monolingual_indigenous = needs_interpreter and all(code in INDIGENOUS_LANGUAGES for code in languages)

        # Independent risks by group: bit 0 female, 1 aged 16-45, 2 adult, 3 aged 12+, 4 LGBTQI still open.
        lgbtqi_open = adult and sex is not Sex.INTERSEX and Vulnerability.LGBTQI not in flags
        at_risk = _RISKS[
            (sex is _FEMALE)
            | (self._born_by_46 < recorded_ord <= self._born_by_16) << 1
            | adult << 2
            | (recorded_ord <= self._born_by_12) << 3
            | lgbtqi_open << 4
        ]
        u = rnd()
        elderly = recorded_ord <= self._born_by_60
        if u >= at_risk.any and not (flags or elderly or monolingual_indigenous or (adult and not lgbtqi_open)):
            vulnerabilities: tuple[Vulnerability, ...] = ()  # most people
        else:
            found = list(flags)
            if adult and not lgbtqi_open and sex is Sex.INTERSEX and Vulnerability.LGBTQI not in found:
                found.append(Vulnerability.LGBTQI)
            if u < at_risk.any:
                found += at_risk.draw(u / at_risk.any, rnd)
            if elderly:
                found.append(Vulnerability.ELDERLY)
            if monolingual_indigenous:
                found.append(Vulnerability.MONOLINGUAL_INDIGENOUS)
            if len(found) > 1:
                found.sort(key=_VULNERABILITY_ORDER.__getitem__)
            vulnerabilities = tuple(found)

        phone = None
        if adult and rnd() < _PHONE_ADULT:
            if household.contact_phone is not None and rnd() < _PHONE_SHARED:
                phone = household.contact_phone
            else:
                phone = self._phone(origin.nationality, household.city)
        if index == 0:
            household.contact_phone = phone

        if documented or household.mpp:
            documents = self._documents_for(household, origin, sex, birth, given, first, second, documented,
                                            adult_by_true_age)
        else:
            documents = ()
        if adult and rnd() < _UNHCR_REGISTERED:
            number = self._documents.unhcr_certificate(household.registered_on.year)
            documents = (*documents, _new_document(DocumentType.UNHCR_CERTIFICATE, number, "MX"))

        u = rnd()
        other_names = self._other_names(given, u) if u < _NICKNAME or u > 1 - _ALIAS else ()
        return _new_person(
            f"{household.key}-M{index}", given, first, second, other_names, sex, recorded, precision,
            origin.nationality, origin.country, origin.region, origin.municipality, languages, needs_interpreter,
            relationship, vulnerabilities, phone, documents,
        )

    # --- attributes ----------------------------------------------------------------------------

    def _adult_sex(self, male_share: float) -> Sex:
        u = self._rnd()
        if u < _INTERSEX:
            return Sex.INTERSEX
        return _MALE if u < male_share else _FEMALE

    def _draw_adult(self, ages: Weighted[int], earliest: int, latest: int) -> int:
        """A true birth date (ordinal) for an age drawn from `ages`, kept within [earliest, latest]."""
        rnd = self._rnd
        born = self._today_ord - int((ages.pick(rnd()) + rnd()) * _DAYS_PER_YEAR)
        if earliest <= born <= latest:
            return born
        return earliest + int(rnd() * (latest - earliest + 1))

    def _near(self, anchor: int, low_years: int, high_years: int, earliest: int, latest: int) -> int:
        """A birth date between low_years and high_years after `anchor`, kept within [earliest, latest]."""
        born = anchor + int((low_years + self._rnd() * (high_years - low_years)) * _DAYS_PER_YEAR)
        return min(max(born, earliest), latest)

    def _imprecise_birth(self, true: date, u: float, thresholds: tuple[float, float, float], earliest: int,
                         latest: int, registered: int) -> tuple[date, DobPrecision]:
        """The date as recorded when not known exactly; kept within [earliest, latest], else exact after all."""
        if u < thresholds[1]:
            recorded, precision = true.replace(day=1), DobPrecision.MONTH
        elif u < thresholds[2]:
            recorded, precision = date(true.year, 7, 1), DobPrecision.YEAR
        else:
            # An age stated at registration (or today, for a baby born since), turned into a date.
            asked_on = date.fromordinal(registered if registered >= true.toordinal() else self._today_ord)
            recorded, precision = _add_years(asked_on, -_age_on(true, asked_on)), DobPrecision.ESTIMATED
        if earliest <= recorded.toordinal() <= latest:
            return recorded, precision
        return true, DobPrecision.EXACT

    def _origin(self, nationality: str) -> _Origin:
        """Where a person of this nationality comes from, and whether they speak an indigenous language."""
        rnd = self._rnd
        ethnic = ETHNIC_LANGUAGES.get(nationality)
        if ethnic is not None and rnd() < ethnic[0]:
            return _INDIGENOUS_ORIGIN_TABLES[nationality, ethnic[1].pick(rnd())].pick(rnd())
        if nationality == "IN" and rnd() < 0.4:
            nationality = "IN-HI"  # Hindi-speaking rather than Punjabi Sikh
        return _ORIGIN_TABLES[nationality].pick(rnd())

    def _cached_origin(self, nationality: str, country: str, region: str, municipality: str, index: int,
                       culture_code: str, ethnic_language: str | None, profile: str) -> _Origin:
        """One shared _Origin per distinct place and profile (children born in Mexico)."""
        key = (nationality, country, region, municipality, culture_code, ethnic_language, profile)
        origin = self._origins.get(key)
        if origin is None:
            origin = self._origins[key] = _Origin(nationality, country, region, municipality, index, culture_code,
                                                  CULTURES[culture_code], ethnic_language, profile)
        return origin

    def _birthplace(self, parents: _Origin, born: int, household: _Household) -> _Origin:
        """Where a child was born: mostly the parents' country; sometimes on the way."""
        rnd = self._rnd
        if parents.nationality == "HT" and born > self._born_by_12 and rnd() < 0.4:
            # Haitian families who lived in Brazil or Chile in the 2010s have children born there.
            country = "BR" if rnd() < 0.6 else "CL"
            return _ORIGIN_TABLES[country].pick(rnd())
        if parents.nationality != "MX" and born > self._born_by[5] and rnd() < 0.06:
            # Born in Mexico while the family waited: Mexican by birth.
            city = household.city
            return self._cached_origin("MX", "MX", city.subdivision, city.municipality, 0, parents.culture_code,
                                       parents.ethnic_language, parents.language_profile)
        return parents

    def _fresh_names(self, origin: _Origin, sex: Sex, born: int) -> tuple[str, str, str]:
        """Given names and surnames of a person whose parents are not in the household."""
        culture = origin.culture
        if origin.ethnic_language is None and culture.rule is SurnameRule.HISPANIC:  # the common case, inline
            rnd = self._rnd
            surnames = culture.surnames
            first = surnames.pick(rnd())
            second = surnames.pick(rnd()) if rnd() < culture.second_surname_rate else ""
            return self._given(culture, sex, born), first, second
        first = self._surname(origin)
        second = self._surname(origin)
        if culture.rule is SurnameRule.PATRONYMIC:
            first = culture.male.pick(self._rnd())
        first, second = self._finish_surnames(culture, sex, first, second)
        return self._given(culture, sex, born), first, second

    def _given(self, culture: Culture, sex: Sex, born: int) -> str:
        rnd = self._rnd
        female = sex is _FEMALE or (sex is not _MALE and rnd() < 0.5)
        young = born > self._born_by_25 and rnd() < 0.7
        if female:
            name = (culture.young_female if young else culture.female).pick(rnd())
            seconds = culture.second_female
        else:
            name = (culture.young_male if young else culture.male).pick(rnd())
            seconds = culture.second_male
        if " " not in name and rnd() < culture.double_name_rate:
            second = seconds.pick(rnd())
            if second != name:
                return f"{name} {second}"
        return name

    def _surname(self, origin: _Origin) -> str:
        language = origin.ethnic_language
        if language is not None and self._rnd() < 0.6:
            return INDIGENOUS_SURNAMES[language].pick(self._rnd())
        return origin.culture.surnames.pick(self._rnd())

    def _finish_surnames(self, culture: Culture, sex: Sex, first: str, second: str) -> tuple[str, str]:
        """Apply the culture's surname form, and drop second surnames that records often omit."""
        rule = culture.rule
        if rule is SurnameRule.HISPANIC:
            if not second or self._rnd() >= culture.second_surname_rate:
                return first, ""
            return first, second
        if rule is SurnameRule.SLAVIC:
            stem = first[:-1] if first.endswith(("ova", "eva", "ina")) else first
            return (stem + "a" if sex is _FEMALE else stem), ""
        if rule is SurnameRule.SIKH and first in ("Singh", "Kaur"):
            return ("Kaur" if sex is _FEMALE else "Singh"), ""
        return first, ""

    def _other_names(self, given: str, u: float) -> tuple[str, ...]:
        """Other names for a person whose draw u fell in the nickname or alias ranges."""
        options = self._other_name_options.get(given)
        if options is None:
            options = self._other_name_options[given] = _other_name_options(given)
        nicknames, variant, alias = options
        if u < _NICKNAME:
            if nicknames:
                return nicknames[int(self._rnd() * len(nicknames))]
        elif variant is not None:
            return variant
        elif alias is not None and u > 1 - _ALIAS / 2:
            return alias
        return ()

    def _languages(self, origin: _Origin, born: int, sex: Sex, adult: bool) -> tuple[str, ...]:
        rnd = self._rnd
        profile = origin.language_profile
        if profile == "hispanic":
            return _SPANISH_ENGLISH if adult and rnd() < _ENGLISH_TOO else _SPANISH
        if profile == "indigenous" or origin.ethnic_language is not None:
            language = origin.ethnic_language
            assert language is not None
            if language == "len":
                return ("spa", "len")  # Lenca is a heritage language today; speakers also speak Spanish
            base = _MONOLINGUAL_BASE.get(language, _MAYAN_MONOLINGUAL)
            if born <= self._born_by[60]:
                chance = min(1.0, base * 1.9)
            elif adult:
                chance = base * (1.2 if sex is _FEMALE else 0.8)
            elif born > self._born_by[5]:
                chance = base * 1.3  # small children speak the language of home
            else:
                chance = base * 0.6  # school-age children learn Spanish
            if rnd() < chance:
                return (language,)
            return (language, "spa") if adult else ("spa", language)
        if profile == "bay-islands":
            return ("eng", "spa") if rnd() < 0.7 else ("spa", "eng")
        if profile == "HT":
            if not adult:
                return ("hat", "spa") if rnd() < 0.35 else ("hat",)
            spoken = ["hat"]
            if rnd() < 0.25:
                spoken.append("fra")
            if rnd() < 0.40:
                spoken.append("spa")
            if rnd() < 0.15:
                spoken.append("por")
            if rnd() < 0.05:
                spoken.append("eng")
            return tuple(spoken)
        if profile == "BR":
            return ("por", "hat", "spa") if rnd() < 0.3 else ("por", "hat")
        if profile == "CL":
            return ("spa", "hat")
        return self._extra_continental_languages(profile, adult)

    def _extra_continental_languages(self, profile: str, adult: bool) -> tuple[str, ...]:
        rnd = self._rnd
        if profile == "IN":
            spoken = ["pan"]
            if rnd() < 0.4:
                spoken.append("hin")
            if rnd() < 0.35:
                spoken.append("eng")
        elif profile == "IN-HI":
            spoken = ["hin"]
            if rnd() < 0.4:
                spoken.append("eng")
        elif profile == "SN":
            u = rnd()
            spoken = ["wol", "fra"] if u < 0.7 else (["wol"] if u < 0.9 else ["fra", "wol"])
        elif profile == "CN":
            spoken = ["cmn", "eng"] if rnd() < 0.15 else ["cmn"]
        elif profile == "RU":
            spoken = ["rus", "eng"] if rnd() < 0.25 else ["rus"]
        else:  # Eritrea
            spoken = ["tir"]
            if rnd() < 0.2:
                spoken.append("arb")
            if rnd() < 0.2:
                spoken.append("eng")
        if adult and rnd() < 0.1:
            spoken.append("spa")  # picked up on the long way through Latin America
        return tuple(spoken)

    def _phone(self, nationality: str, city: WaitingCity) -> str:
        rnd = self._rnd
        plan = PHONE_PLANS.get(nationality)
        if plan is None or rnd() < _PHONE_MEXICAN:
            return f"+52{city.area_code}{int(rnd() * 10_000_000):07d}"
        # str(10**rest + n)[1:] zero-pads n to `rest` digits, cheaper than a nested format spec.
        return f"+{plan.country_code}{plan.prefixes.pick(rnd())}{str(plan.modulus + int(rnd() * plan.modulus))[1:]}"

    def _documents_for(self, household: _Household, origin: _Origin, sex: Sex, born: date, given: str, first: str,
                       second: str, documented: bool, adult: bool) -> tuple[SynthDocument, ...]:
        rnd = self._rnd
        country = origin.nationality
        documents: list[SynthDocument] = []
        if documented:
            if adult:
                u = rnd()
                national_id = u < 0.8
                passport = u >= 0.55
            else:
                national_id = country in ("MX", "GT", "EC") and rnd() < 0.6
                passport = rnd() < 0.25
                documents.append(_new_document(
                    DocumentType.BIRTH_CERTIFICATE, self._documents.birth_certificate(country, born.year), country
                ))
            number = self._national_id(origin, sex, born, given, first, second) if national_id else None
            if number is not None:
                documents.append(_new_document(DocumentType.NATIONAL_ID, number, country))
            elif adult:
                passport = True  # no national ID of a known form: a passport instead
            if passport:
                documents.append(_new_document(DocumentType.PASSPORT, self._documents.passport(country), country))
        if household.mpp:
            documents.append(_new_document(DocumentType.A_NUMBER, self._documents.a_number(), "US"))
        return tuple(documents)

    def _national_id(self, origin: _Origin, sex: Sex, born: date, given: str, first: str,
                     second: str) -> str | None:
        numbers = self._documents
        country = origin.nationality
        region = origin.region
        if country == "HN" and region:
            return numbers.honduras_dni(region, origin.municipality_index, born.year)
        if country == "GT" and region:
            return numbers.guatemala_cui(region, origin.municipality_index)
        if country == "SV":
            return numbers.el_salvador_dui()
        if country == "MX" and sex in (_FEMALE, _MALE):
            return numbers.mexico_curp(given_names=given, first_surname=first, second_surname=second, birth=born,
                                       sex=sex, region=region)
        if country == "NI":
            return numbers.nicaragua_cedula(NI_MUNICIPALITY_CODES.get(region, "001"), born)
        if country == "EC":
            return numbers.ecuador_cedula(region)
        if country == "VE":
            return numbers.venezuela_cedula()
        if country == "CO":
            return numbers.colombia_cedula(born.year)
        if country == "CU":
            return numbers.cuba_identity_number(born, sex)
        if country == "HT":
            return numbers.haiti_nin()
        if country == "IN":
            return numbers.india_aadhaar()
        if country == "RU":
            return numbers.russia_internal_passport()
        if country == "CN":
            return numbers.china_resident_id(born, sex)
        return None


def _other_name_options(
    given: str,
) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...] | None, tuple[str, ...] | None]:
    """For a given name: its nicknames, its other spelling, and the second given name used alone."""
    first = given.split(" ", 1)[0]
    nicknames = COMPOUND_NICKNAMES.get(given) or NICKNAMES.get(first) or ()
    variant = None
    if first in SPELLING_VARIANTS:
        variant = (SPELLING_VARIANTS[first] + given[len(first):],)
    elif given in SPELLING_VARIANTS:
        variant = (SPELLING_VARIANTS[given],)
    alias = (given.rsplit(" ", 1)[1],) if " " in given else None  # goes by the second given name
    return tuple((nickname,) for nickname in nicknames), variant, alias


def _origin_table(nationality: str, culture_code: str, profile: str, ethnic_language: str | None,
                  regions: Weighted[Region] | None) -> Weighted[_Origin]:
    """Every (region, municipality) of a nationality as a ready-made origin, weighted, drawn in one pick."""
    culture = CULTURES[culture_code]
    if regions is None:  # not modelled below the country (extra-continental arrivals)
        return Weighted(((_Origin(nationality, nationality, "", "", 0, culture_code, culture, None, profile), 1.0),))
    pairs = []
    for region in regions.items:
        region_share = regions.probability(region)
        place_profile = "bay-islands" if region.code == "HN-IB" else profile  # English-speaking Bay Islands
        for index, municipality in enumerate(region.municipalities.items):
            origin = _Origin(nationality, nationality, region.code, municipality, index, culture_code, culture,
                             ethnic_language, place_profile)
            pairs.append((origin, region_share * region.municipalities.probability(municipality)))
    return Weighted(pairs)


def _profile(nationality: str) -> str:
    if nationality in ("HT", "BR", "CL", "IN", "IN-HI", "SN", "CN", "RU", "ER"):
        return nationality
    return "hispanic"


_ORIGIN_TABLES: dict[str, Weighted[_Origin]] = {
    code: _origin_table(code[:2], code, _profile(code), None, ORIGINS.get(code[:2])) for code in CULTURES
}
_INDIGENOUS_ORIGIN_TABLES: dict[tuple[str, str], Weighted[_Origin]] = {
    (country, language): _origin_table(country, country, "indigenous", language, regions)
    for (country, language), regions in INDIGENOUS_ORIGINS.items()
}

_VULNERABILITY_ORDER = {vulnerability: position for position, vulnerability in enumerate(Vulnerability)}


def _opposite(sex: Sex) -> Sex:
    return _FEMALE if sex is _MALE else _MALE


def _father_and_mother(
    one: SynthPerson, other: SynthPerson | None
) -> tuple[SynthPerson | None, SynthPerson | None]:
    """Who passes the paternal and the maternal surname (a same-sex couple: the contact's line first)."""
    if other is None:
        return (one, None) if one.sex is _MALE else (None, one)
    if one.sex is other.sex:
        return (one, other) if one.sex is _MALE else (None, one)
    return (one, other) if one.sex is _MALE else (other, one)
