"""The demo: one user per role and a synthetic population registered through the real services.

Everything here goes through the same services (and audit trail) as real work, so the demo shows the
system as it behaves, not a picture of it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from corredor.accounts import services as account_services
from corredor.accounts.models import Organisation, User
from corredor.core.registry import names
from corredor.core.registry import vocab as v
from corredor.core.synth import generate_households
from corredor.core.synth.population import SynthHousehold, SynthPerson
from corredor.platform.authz import Role
from corredor.reference.models import Place
from corredor.reference.services import canonical_subdivision_code

from . import services
from .models import Case

DEMO_PASSWORD = "corredor-demo-2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    organisation: str
    site: str = ""
    staff: bool = False


DEMO_USERS = (
    DemoUser("intake", Role.INTAKE_WORKER, "UNHCR"),
    DemoUser("port", Role.PORT_OFFICER, "CBP", site="poe-san-ysidro"),
    DemoUser("asylum", Role.ASYLUM_OFFICER, "USCIS"),
    DemoUser("reception", Role.RECEPTION_STAFF, "CBP"),
    DemoUser("health", Role.HEALTH_SCREENER, "IOM"),
    DemoUser("orr", Role.ORR_CASEWORKER, "ORR"),
    DemoUser("casemanager", Role.CASE_MANAGER, "WRC"),
    DemoUser("legal", Role.LEGAL_PROVIDER, "KIND"),
    DemoUser("coordinator", Role.COORDINATOR, "UNHCR"),
    DemoUser("analyst", Role.ANALYST, "UNHCR"),
    DemoUser("auditor", Role.AUDITOR, "DHS"),
    DemoUser("admin", Role.ADMINISTRATOR, "UNHCR", staff=True),
)


def demo_users_create(password: str = DEMO_PASSWORD) -> dict[str, User]:
    users = {}
    for spec in DEMO_USERS:
        existing = User.objects.filter(username=spec.username).first()
        if existing:
            users[spec.username] = existing
            continue
        org = Organisation.objects.get(code=spec.organisation)
        with transaction.atomic():
            user = account_services.user_create(actor=None, username=spec.username, password=password,
                                                organisation=org, first_name=spec.username.capitalize(),
                                                validate=False)
            user.email = f"{spec.username}@demo.corredor.invalid"  # reserved domain: the outbox never reaches anyone
            user.is_staff = spec.staff
            user.save(update_fields=["email", "is_staff"])
            site = Place.objects.get(code=spec.site) if spec.site else None
            account_services.role_assign(actor=None, user=user, role=spec.role, organisation=org,
                                         site_id=site.pk if site else None, reason="demo set-up")
        users[spec.username] = user
    return users


def person_data_from_synth(p: SynthPerson, place_code: str, known_subdivisions: set[str]) -> services.PersonData:
    """The registry input for a synthetic person (used by the demo and the benchmarks). Subdivisions the
    reference data does not carry (it covers SV, GT, HN and MX) are left out rather than invented."""
    subdivision = canonical_subdivision_code(p.subdivision_code) if p.subdivision_code else ""
    return services.PersonData(
        given_names=p.given_names, first_surname=p.first_surname, second_surname=p.second_surname,
        other_names=list(p.other_names), sex=p.sex.value, date_of_birth=p.date_of_birth,
        dob_precision=p.dob_precision.value, nationality=p.nationality, origin_country=p.country_of_origin,
        origin_subdivision=subdivision if subdivision in known_subdivisions else "",
        origin_municipality=p.municipality, languages=list(p.languages), needs_interpreter=p.needs_interpreter,
        current_place=place_code,
        documents=[services.DocumentData(d.doc_type.value, d.number, d.issuing_country) for d in p.documents],
        contacts=[services.ContactData(v.ContactKind.PHONE_WHATSAPP.value, p.phone)] if p.phone else [],
    )


def known_subdivisions() -> set[str]:
    from corredor.reference.models import Subdivision

    return set(Subdivision.objects.values_list("code", flat=True))


def demo_population_create(*, households: int, seed: int, users: dict[str, User],
                           today: dt.date | None = None) -> int:
    """Register `households` synthetic households with cases, assessments, shares and some history."""
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    places = {names.fold(p.name): p for p in Place.objects.filter(kind="waiting_city")}
    subdivisions = known_subdivisions()
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=["UNHCR", "IOM", "CBP", "KIND", "ORR", "WRC"])}
    intake = users["intake"]
    created = 0
    for household in generate_households(seed=seed, count=households, today=today):
        with transaction.atomic():
            created += _register_household(household, rng, places, subdivisions, orgs, intake, users, today)
    return created


def _register_household(household: SynthHousehold, rng: random.Random, places: dict, subdivisions: set[str],
                        orgs: dict[str, Organisation], intake: User, users: dict[str, User],
                        today: dt.date) -> int:
    place = places.get(names.fold(household.waiting_city))
    holder = orgs["UNHCR"] if rng.random() < 0.7 else orgs["IOM"]
    people = []
    for member in household.members:
        data = person_data_from_synth(member, place.code if place else "", subdivisions)
        people.append(services._person_create(actor=intake, organisation=holder, data=data, today=today))
    family = None
    if len(people) > 1:
        family = services._family_create(
            actor=intake, organisation=holder, contact=people[0],
            members=[services.MemberData(p, m.relationship.value)
                     for p, m in zip(people[1:], household.members[1:], strict=True)])
    unaccompanied = household.composition == "unaccompanied_child"
    kind = (v.CaseKind.UNACCOMPANIED_CHILD if unaccompanied
            else rng.choices([v.CaseKind.ASYLUM_AT_PORT, v.CaseKind.MPP_BACKLOG, v.CaseKind.METERING_BACKLOG],
                             weights=[4, 3, 3])[0])
    opened_on = min(today, household.registered_on + dt.timedelta(days=rng.randint(0, 30)))
    case = services._case_open(actor=intake, organisation=holder, kind=kind.value,
                               person=None if family else people[0], family=family, site=place,
                               opened_on=opened_on, place_in_line_on=household.registered_on,
                               status=v.CaseStatus.WAITING.value)
    for person, member in zip(people, household.members, strict=True):
        if member.vulnerabilities:
            services.vulnerability_assess(actor=None, person=person, organisation=holder,
                                          conditions=[c.value for c in member.vulnerabilities],
                                          assessed_on=opened_on, case=case)
        if v.Vulnerability.GBV_SURVIVOR in member.vulnerabilities:
            services.sensitive_detail_record(
                actor=None, person=person, organisation=holder, kind="gbv",
                text_value="(synthetic demo text) Threatened by a former partner who is linked to a local gang; "
                           "left with the children after the threats were repeated.")
        if v.Vulnerability.SERIOUS_MEDICAL_CONDITION in member.vulnerabilities:
            services.sensitive_detail_record(
                actor=None, person=person, organisation=holder, kind="health",
                text_value="(synthetic demo text) Chronic condition needing daily medication; supply for 10 days.")
    if unaccompanied:
        services.case_share(actor=None, case=case, organisation=orgs["ORR"], consent_given_by="the child, with a "
                            "child-welfare specialist present", purpose="ORR placement within the legal time limit")
    elif rng.random() < 0.25:
        services.case_share(actor=None, case=case, organisation=orgs["CBP"], consent_given_by="the contact "
                            "member, verbally", purpose="appointment at a port of entry")
    if not unaccompanied and rng.random() < 0.15:
        services.case_share(actor=None, case=case, organisation=orgs["KIND"] if rng.random() < 0.5 else orgs["WRC"],
                            consent_given_by="the contact member, in writing", purpose="legal orientation")
    roll = rng.random()
    if roll < 0.1:
        services.case_transition(actor=None, case=case, target=v.CaseStatus.SCHEDULED.value, expected_version=None,
                                 reason="appointment published")
    elif roll < 0.14:
        closed_on = min(today, opened_on + dt.timedelta(days=rng.randint(1, 200)))
        services.case_transition(actor=None, case=Case.objects.get(pk=case.pk), target=v.CaseStatus.CLOSED.value,
                                 expected_version=None, reason="person left the waiting list", on=closed_on)
    return len(people)
