"""Demo data for reception and custody: facilities around San Diego, two weeks of past journeys for the
occupancy charts, people in custody now at every clock level, and a family and an unaccompanied child booked
at San Ysidro today for the port officer to check in."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from corredor.accounts.models import Organisation, User
from corredor.core.custody.populations import UNACCOMPANIED
from corredor.core.registry import vocab as v
from corredor.reference.models import Place
from corredor.registry import services as registry_services
from corredor.registry.models import Case

from . import services
from .models import BreachReason, Custody, DeclineReason, Facility, FacilityKind, OrrReferral

SAN_DIEGO = "America/Los_Angeles"
_ADULT_BEDS = {"single_men": 120, "single_women": 60, "single_adults_other": 10, "families": 150}
_UC_BEDS = {"uc_boys_0_12": 20, "uc_boys_13_17": 40, "uc_girls_0_12": 20, "uc_girls_13_17": 30, "uc_other": 10}


def _org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def demo_facilities_create() -> dict[str, Facility]:
    """Illustrative facilities (names marked 'demo'); the port facility comes from the reference data."""
    port = services.facility_for_port(actor=None, port=Place.objects.get(code="poe-san-ysidro"))
    if not port.capacities.exists():
        for population, n in {**_ADULT_BEDS, **_UC_BEDS}.items():
            services.capacity_set(actor=None, facility=port, population=population, beds=max(n // 5, 4))
    specs: list[tuple[str, str, str, str, list[str], int, dict[str, int]]] = [
        ("jpc-san-diego-demo", "JPC San Diego (demo)", FacilityKind.JPC, "CBP", ["IOM", "KIND", "UNICEF"], 12,
         {**_ADULT_BEDS, **_UC_BEDS}),
        ("bp-chula-vista-demo", "Border Patrol station Chula Vista (demo)", FacilityKind.BP_STATION, "CBP", [], 2,
         {"single_men": 40, "single_women": 20, "families": 40, "uc_boys_13_17": 10, "uc_girls_13_17": 10}),
        ("orr-shelter-san-diego-demo", "ORR shelter San Diego (demo)", FacilityKind.ORR_SHELTER, "ORR", [], 4,
         _UC_BEDS),
        ("family-shelter-san-diego-demo", "Family shelter San Diego (demo)", FacilityKind.NGO_SHELTER, "WRC", [], 0,
         {"families": 80, "single_women": 20}),
    ]
    found = {"port": port}
    for code, name, kind, org, partners, isolation, beds in specs:
        facility = Facility.objects.filter(code=code).first() or services.facility_create(
            actor=None, code=code, name=name, kind=kind, organisation=_org(org), city="San Diego", time_zone=SAN_DIEGO,
            isolation_capacity=isolation, partners=[_org(p) for p in partners], beds=beds)
        found[kind] = facility
    return found


def _candidates(rng: random.Random) -> tuple[list[Case], list[Case]]:
    """Cases not yet in custody: unaccompanied children's cases, and everyone else's."""
    free = list(Case.objects.filter(status__in=[v.CaseStatus.REGISTERED, v.CaseStatus.WAITING])
                .exclude(custodies__isnull=False).select_related("person", "family").order_by("pk"))
    rng.shuffle(free)
    children = [c for c in free if c.kind == v.CaseKind.UNACCOMPANIED_CHILD and c.person_id]
    return children, [c for c in free if c not in children]


def _admit(case: Case, facility: Facility, at: dt.datetime, source: str = "manual") -> list[Custody]:
    persons = registry_services.case_members(case)
    return services.custody_admit(actor=None, case=case, persons=persons, facility=facility, arrived_at=at,
                                  source=source, now=timezone.now())


def demo_reception_create(*, users: dict[str, User], seed: int = 2021) -> dict[str, int]:
    if Custody.objects.exists():
        return {"skipped": 1}
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    places = demo_facilities_create()
    port, jpc, orr_shelter = places["port"], places[FacilityKind.JPC], places[FacilityKind.ORR_SHELTER]
    family_shelter = places[FacilityKind.NGO_SHELTER]
    now = timezone.now().replace(second=0, microsecond=0)
    children, others = _candidates(rng)
    wrc = _org("WRC")
    past = 0
    # Two weeks of past journeys: port -> JPC -> release (families, adults) or ORR placement (children).
    for i, case in enumerate(others[:45]):
        start = now - dt.timedelta(hours=rng.uniform(30, 14 * 24))
        custodies = _admit(case, port, start)
        moved = start + dt.timedelta(hours=rng.uniform(2, 10))
        services.custody_transfer(actor=None, custodies=custodies, to_facility=jpc, departed_at=moved,
                                  arrived_at=moved + dt.timedelta(minutes=40), now=now)
        out = min(moved + dt.timedelta(hours=rng.uniform(8, 70 if i % 9 else 90)), now - dt.timedelta(minutes=5))
        adults = [c for c in custodies if c.population not in UNACCOMPANIED]
        for child in [c for c in custodies if c.population in UNACCOMPANIED]:
            referral = services.orr_referral_request(actor=None, custody=child,
                                                     requested_at=moved + dt.timedelta(hours=1))
            referral = services.orr_referral_decide(actor=None, referral=referral, accept=True, shelter=orr_shelter,
                                                    now=moved + dt.timedelta(hours=2))
            services.orr_placement_complete(actor=None, referral=referral, departed_at=out - dt.timedelta(hours=2),
                                            arrived_at=out - dt.timedelta(hours=1), now=now)
        if adults and out < now - dt.timedelta(hours=24):
            services.custody_release(actor=None, custodies=adults, released_at=out, destination_city=rng.choice(
                ["Los Angeles", "Houston", "New York", "Chicago", "Miami"]), documents_issued=["notice_to_appear"],
                programme="Post-release case management (demo)", provider=wrc, now=now)
            past += 1
    # Unaccompanied children: one placed with ORR in time, one escalated waiting for a bed, one breached.
    kids = children[1:4]  # the first is kept for today's live check-in
    placed = escalated = breached = 0
    for hours_ago, fate in zip((40, 62, 78), ("placed", "escalated", "breached"), strict=False):
        if not kids:
            break
        case = kids.pop(0)
        start = now - dt.timedelta(hours=hours_ago)
        (child,) = _admit(case, port, start)[:1]
        services.custody_transfer(actor=None, custodies=[child], to_facility=jpc, departed_at=start +
                                  dt.timedelta(hours=3), arrived_at=start + dt.timedelta(hours=4), now=now)
        child.refresh_from_db()
        if child.population not in UNACCOMPANIED:
            continue
        referral = services.orr_referral_request(actor=None, custody=child, requested_at=start + dt.timedelta(hours=5))
        if fate == "placed":
            services.orr_referral_decide(actor=None, referral=referral, accept=True, shelter=orr_shelter,
                                         now=start + dt.timedelta(hours=20))
            services.orr_placement_complete(actor=None, referral=OrrReferral.objects.get(pk=referral.pk),
                                            departed_at=start + dt.timedelta(hours=30),
                                            arrived_at=start + dt.timedelta(hours=31, minutes=30), now=now)
            placed += 1
        elif fate == "breached":
            services.orr_referral_decide(actor=None, referral=referral, accept=False,
                                         decline_reason=DeclineReason.NO_BED_AGE, note="no bed for a 16-year-old "
                                         "this week", now=start + dt.timedelta(hours=26))
            breached += 1
        else:
            escalated += 1
    # A family in isolation at the JPC, and one whose sponsor has not been found yet.
    for case, isolation in zip(others[45:47], (True, False), strict=False):
        start = now - dt.timedelta(hours=rng.uniform(20, 50))
        custodies = _admit(case, port, start)
        services.custody_transfer(actor=None, custodies=custodies, to_facility=jpc, departed_at=start +
                                  dt.timedelta(hours=2), arrived_at=start + dt.timedelta(hours=3), now=now)
        if isolation:
            services.screening_record(actor=None, custody=custodies[0], kind="health",
                                      occurred_at=start + dt.timedelta(hours=4), test_result="positive",
                                      findings="(synthetic demo) fever; COVID-19 test positive",
                                      isolation_until=now + dt.timedelta(days=3), now=now)
        else:
            services.sponsor_status_set(actor=None, custodies=custodies, status="not_found")
    # A past breach with its recorded reason, so the counts show one.
    for custody in Custody.objects.filter(ended_at__isnull=True, current_facility=jpc).order_by("started_at"):
        breached_clocks = [c for c in services.selectors.clocks_for(custody, now=now) if c.breached]
        if breached_clocks and custody.population not in UNACCOMPANIED:
            for clock in breached_clocks:
                services.breach_record(actor=users.get("reception"), custody=custody, rule_id=clock.rule.id,
                                       reason_code=BreachReason.SPONSOR, reason="Sponsor unreachable for two days "
                                       "(demo).", now=now)
            break
    services.alerts_sweep(now=now)
    _book_today(users, rng)
    return {"past_releases": past, "placed": placed, "escalated": escalated, "breached": breached,
            "family_shelter": family_shelter.pk}


def _book_today(users: dict[str, User], rng: random.Random) -> None:
    """A family and an unaccompanied child booked at San Ysidro today, for the live check-in."""
    from corredor.appointments import services as appointment_services
    from corredor.appointments.models import PortDay

    port = Place.objects.get(code="poe-san-ysidro")
    today = timezone.localdate()
    waiting = list(Case.objects.filter(status=v.CaseStatus.WAITING).exclude(custodies__isnull=False)
                   .select_related("person", "family").order_by("pk"))
    family = next((c for c in waiting if c.family_id and len(registry_services.case_members(c)) >= 3), None)
    child = next((c for c in waiting if c.kind == v.CaseKind.UNACCOMPANIED_CHILD and c.person_id), None)
    chosen = [c for c in (family, child) if c is not None]
    day = PortDay.objects.filter(port=port, day=today).first()
    booked = day.booked if day else 0
    need = sum(len(registry_services.case_members(c)) for c in chosen)
    appointment_services.capacity_set(actor=users["coordinator"], port=port, start=today, end=today,
                                      capacity=booked + need)
    for case in chosen:
        appointment_services.appointment_book(actor=users["coordinator"], case=case, port=port, day=today,
                                              reason="demo: live check-in at reception")
