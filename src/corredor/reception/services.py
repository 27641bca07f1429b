"""Every write of reception and custody. Keyword-only; each checks its permission and scope, validates the
whole change before writing anything, writes in one transaction and records its audit event there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from corredor.accounts.models import Organisation, RoleAssignment, User
from corredor.accounts.selectors import require_permission, user_grants
from corredor.audit import services as audit
from corredor.audit.events import AuditAction
from corredor.core.custody import clocks as core_clocks
from corredor.core.custody import timeline
from corredor.core.custody.populations import UNACCOMPANIED, classify
from corredor.core.registry import text
from corredor.core.registry import vocab as v
from corredor.core.registry.ages import age_on
from corredor.core.registry.family import ChildStatus, Member, child_status
from corredor.platform.authz import ROLE_PERMISSIONS, Permission
from corredor.platform.errors import DuplicateError, NotFoundError, PermissionDeniedError, ValidationFailedError
from corredor.reference.models import Place, PlaceKind
from corredor.registry import services as registry_services
from corredor.registry.models import Case, CaseEventKind, FamilyMembership, Person

from . import selectors
from .errors import CustodyStateError, ReleaseBlockedError
from .models import (
    POPULATION_LABELS,
    Alert,
    AlertLevel,
    ArrivalSource,
    Breach,
    BreachReason,
    CaseManagementEnrolment,
    Custody,
    CustodyOutcome,
    DeclineReason,
    Facility,
    FacilityCapacity,
    FacilityKind,
    OrrReferral,
    OutboxMessage,
    OutboxStatus,
    ReferralStatus,
    Release,
    Screening,
    ScreeningKind,
    SponsorStatus,
    Stay,
    StayExit,
    TestResult,
)
from .rules import active_rules, rule_by_id

DOCUMENTS_ISSUED = ("notice_to_appear", "i94", "parole_document", "orr_verification_of_release",
                    "work_permit_information", "other")
_UTC = dt.UTC


# ---------------------------------------------------------------------------------------------------
# helpers


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _aware(value: dt.datetime, name: str) -> dt.datetime:
    if timezone.is_naive(value):
        raise ValidationFailedError({name: ["Give the time with its time zone (local time at the facility)."]})
    return value.astimezone(_UTC)


def _in_scope(actor: User | None, facility: Facility, permission: Permission) -> None:
    """The actor holds the permission and works at the facility (or is the system)."""
    require_permission(user=actor, permission=permission)
    if actor is None:
        return
    scope = selectors._facility_scope_q(actor)
    if scope is not None and not Facility.objects.filter(scope, pk=facility.pk).exists():
        raise PermissionDeniedError(permission, f"You do not work at {facility.name}.")


def _text(errors: dict[str, list[str]], name: str, value: str, *, max_length: int, required: bool = False,
          label: str = "") -> str:
    problem = text.free_text_problem(value or "", max_length=max_length, required=required)
    if problem:
        errors.setdefault(name, []).append(f"{label or name.replace('_', ' ').capitalize()} {problem}.")
    return (value or "").strip()


def _fmt_local(instant: dt.datetime, facility: Facility) -> str:
    return core_clocks.local_time(instant, facility.time_zone).strftime("%Y-%m-%d %H:%M %Z")


def _case_event(case: Case, kind: CaseEventKind, summary: str, actor: User | None, facility: Facility | None,
                data: dict[str, Any] | None = None) -> None:
    registry_services._case_event(case, kind=kind, summary=summary, actor=actor, data=data,
                                  place=facility.name if facility else "")


def _lock_open(custodies: Sequence[Custody]) -> list[Custody]:
    ids = [c.pk for c in custodies]
    locked = list(Custody.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(set(ids)):
        raise NotFoundError("A custody record was not found.")
    for custody in locked:
        if custody.ended_at is not None:
            raise CustodyStateError(f"Custody record {custody.pk} already ended ({custody.outcome}).", field="custody")
    return locked


def _open_stay(custody: Custody) -> Stay | None:
    return Stay.objects.select_for_update().filter(custody=custody, departed_at__isnull=True).first()


def _problems(problems: list[tuple[str, str]], prefix: str = "") -> None:
    if problems:
        errors: dict[str, list[str]] = {}
        for name, message in problems:
            errors.setdefault(name, []).append(prefix + message)
        raise ValidationFailedError(errors)


def _organisation(code: str) -> Organisation:
    org = Organisation.objects.filter(code=code).first()
    if org is None:
        raise NotFoundError(f"Organisation {code} is not set up.")
    return org


def _release_case_if_done(actor: User | None, case: Case, target: v.CaseStatus, summary: str) -> None:
    """The case follows its people: it leaves custody when none of its members is still held."""
    if Custody.objects.filter(case=case, ended_at__isnull=True).exists():
        return
    case.refresh_from_db()
    if case.status == v.CaseStatus.IN_CUSTODY:
        registry_services.case_transition_within(actor=actor, case=case, target=target.value,
                                                 expected_version=None, reason=summary)


# ---------------------------------------------------------------------------------------------------
# facilities and beds


def facility_create(*, actor: User | None, code: str, name: str, kind: str, organisation: Organisation, city: str,
                    time_zone: str, place: Place | None = None, isolation_capacity: int = 0,
                    partners: Sequence[Organisation] = (), beds: dict[str, int] | None = None) -> Facility:
    require_permission(user=actor, permission=Permission.FACILITY_MANAGE)
    errors: dict[str, list[str]] = {}
    if kind not in FacilityKind.values:
        errors["kind"] = [f"Unknown facility kind {kind[:30]!r}; one of {', '.join(FacilityKind.values)}."]
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = [f"{time_zone[:60]!r} is not an IANA time zone (for example America/Tijuana)."]
    if isolation_capacity < 0:
        errors["isolation_capacity"] = ["Isolation capacity cannot be negative."]
    name = _text(errors, "name", name, max_length=120, required=True)
    city = _text(errors, "city", city, max_length=100, required=True)
    for population, n in (beds or {}).items():
        if population not in POPULATION_LABELS or n < 0:
            errors.setdefault("beds", []).append(f"{population[:30]}: beds must be 0 or more for a known population.")
    if Facility.objects.filter(code=code).exists():
        errors["code"] = [f"A facility with code {code[:40]!r} already exists."]
    if errors:
        raise ValidationFailedError(errors)
    with transaction.atomic():
        facility = Facility.objects.create(code=code, name=name, kind=kind, organisation=organisation, city=city,
                                           time_zone=time_zone, place=place, isolation_capacity=isolation_capacity)
        facility.partners.set(partners)
        for population, n in (beds or {}).items():
            FacilityCapacity.objects.create(facility=facility, population=population, beds=n)
        audit.record(actor=actor, action=AuditAction.FACILITY_CREATED, obj=facility,
                     changes={"code": {"old": None, "new": code}, "kind": {"old": None, "new": kind},
                              "beds": {"old": None, "new": beds or {}},
                              "partners": {"old": None, "new": [p.code for p in partners]}})
    return facility


def facility_for_port(*, actor: User | None, port: Place) -> Facility:
    """The CBP facility of a port of entry, set up from the reference data the first time it is needed."""
    if port.kind != PlaceKind.PORT:
        raise ValidationFailedError({"port": [f"{port.code} is not a port of entry."]})
    found = Facility.objects.filter(place=port, kind=FacilityKind.PORT).first()
    if found is not None:
        return found
    with transaction.atomic():
        facility, created = Facility.objects.get_or_create(
            place=port, kind=FacilityKind.PORT,
            defaults={"code": port.code, "name": port.name, "organisation": _organisation("CBP"),
                      "city": port.name, "time_zone": port.time_zone})
        if created:
            audit.record(actor=actor, action=AuditAction.FACILITY_CREATED, obj=facility,
                         changes={"code": {"old": None, "new": facility.code}, "kind": {"old": None, "new": "port"}},
                         reason="set up at the first arrival at the port")
    return facility


def capacity_set(*, actor: User | None, facility: Facility, population: str, beds: int) -> FacilityCapacity:
    require_permission(user=actor, permission=Permission.FACILITY_MANAGE)
    if population not in POPULATION_LABELS:
        raise ValidationFailedError({"population": [f"Unknown population {population[:30]!r}."]})
    if beds < 0:
        raise ValidationFailedError({"beds": ["Beds cannot be negative."]})
    with transaction.atomic():
        row = FacilityCapacity.objects.select_for_update().filter(facility=facility, population=population).first()
        old = row.beds if row else None
        if row is None:
            row = FacilityCapacity.objects.create(facility=facility, population=population, beds=beds)
        else:
            row.beds = beds
            if row.available_reported is not None and row.available_reported > beds:
                row.available_reported = beds
            row.version += 1
            row.save()
        audit.record(actor=actor, action=AuditAction.FACILITY_CAPACITY_SET, obj=row,
                     changes={"beds": {"old": old, "new": beds}, "population": {"old": None, "new": population}})
    return row


def beds_report(*, actor: User | None, capacity: FacilityCapacity, available: int,
                expected_version: int | None) -> FacilityCapacity:
    """A shelter reports how many of its beds for a population are free now."""
    _in_scope(actor, capacity.facility, Permission.FACILITY_BEDS_REPORT)
    with transaction.atomic():
        row = FacilityCapacity.objects.select_for_update().get(pk=capacity.pk)
        registry_services._check_version(row, expected_version)
        if available < 0 or available > row.beds:
            raise ValidationFailedError({"available": [f"Free beds must be between 0 and {row.beds} (the beds for "
                                                       "this population); ask a coordinator to change the beds."]})
        old = row.available_reported
        row.available_reported, row.reported_at = available, timezone.now()
        row.reported_by = actor if actor and actor.pk else None
        row.version += 1
        row.save()
        audit.record(actor=actor, action=AuditAction.BEDS_REPORTED, obj=row,
                     changes={"available_reported": {"old": old, "new": available}})
    return row


# ---------------------------------------------------------------------------------------------------
# arrival


def _populations(case: Case, persons: Sequence[Person], on: dt.date) -> dict[int, str]:
    arrived = {p.pk for p in persons}
    if case.family_id:
        rows = FamilyMembership.objects.filter(family_id=case.family_id).select_related("person")
        members = [Member(m.person_id, v.Relationship(m.relationship), m.person.date_of_birth,
                          v.DobPrecision(m.person.dob_precision) if m.person.dob_precision else None,
                          present=m.person_id in arrived) for m in rows]
    else:
        members = [Member(p.pk, v.Relationship.SELF, p.date_of_birth) for p in persons]
    by_key = {m.key: m for m in members}
    statuses = {p.pk: child_status(by_key.get(p.pk) or Member(p.pk, v.Relationship.SELF, p.date_of_birth), members, on)
                for p in persons}
    adults = {p.pk for p in persons if statuses[p.pk] is ChildStatus.NOT_A_CHILD}
    family_unit = any(s is ChildStatus.ACCOMPANIED for s in statuses.values())
    result: dict[int, str] = {}
    for person in persons:
        age = age_on(person.date_of_birth, on) if person.date_of_birth else None
        result[person.pk] = classify(sex=person.sex, age=age, child_status=statuses[person.pk],
                                     family_unit=family_unit, adult_present=bool(adults - {person.pk})).value
    return result


def _admit(*, actor: User | None, case: Case, persons: Sequence[Person], facility: Facility,
           arrived_at: dt.datetime, source: str, appointment_code: str = "", now: dt.datetime | None = None
           ) -> list[Custody]:
    now = _now(now)
    arrived_at = _aware(arrived_at, "arrived_at")
    if not facility.is_federal:
        raise ValidationFailedError({"facility": [
            f"{facility.name} is a {facility.get_kind_display()}: people enter custody at a port, a Border Patrol "
            "station or a Joint Processing Center."]})
    if source not in ArrivalSource.values:
        raise ValidationFailedError({"source": [f"Unknown arrival source {source[:30]!r}."]})
    if not persons:
        raise ValidationFailedError({"persons": ["Name at least one person who arrived."]})
    members = {p.pk for p in registry_services.case_members(case)}
    strangers = [p.pk for p in persons if p.pk not in members]
    if strangers:
        raise ValidationFailedError({"persons": [f"Only members of case {case.reference} can arrive with it."]})
    populations = _populations(case, persons, arrived_at.date())
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk__in=[p.pk for p in persons]).exists()
        problems: list[tuple[str, str]] = []
        for i, person in enumerate(persons, start=1):
            existing = [timeline.Interval(s.facility.name, s.arrived_at, s.departed_at)
                        for s in Stay.objects.filter(custody__person=person).select_related("facility", "custody")]
            existing += [timeline.Interval(c.current_facility.name if c.current_facility else "-", c.started_at, None)
                         for c in Custody.objects.filter(person=person, ended_at__isnull=True, in_transit=True)]
            problems += [(f, f"member {i} of case {case.reference}: {m}") for f, m in
                         timeline.check_arrival(existing, facility=facility.name, arrived_at=arrived_at, now=now)]
        _problems(problems)
        created: list[Custody] = []
        try:
            with transaction.atomic():
                for person in persons:
                    custody = Custody.objects.create(
                        person=person, case=case, population=populations[person.pk], source=source,
                        appointment_code=appointment_code, started_at=arrived_at, current_facility=facility)
                    Stay.objects.create(custody=custody, facility=facility, arrived_at=arrived_at)
                    created.append(custody)
        except IntegrityError as exc:
            raise CustodyStateError("One of these people was admitted to custody by someone else a moment ago; "
                                    "reload the board.", field="persons") from exc
        case.refresh_from_db()
        if case.status != v.CaseStatus.IN_CUSTODY:
            registry_services.case_transition_within(
                actor=actor, case=case, target=v.CaseStatus.IN_CUSTODY.value, expected_version=None,
                reason=f"arrived at {facility.name} ({ArrivalSource(source).label})")
        _case_event(case, CaseEventKind.CUSTODY, f"{len(created)} person(s) entered custody at {facility.name} at "
                    f"{_fmt_local(arrived_at, facility)} ({ArrivalSource(source).label}).", actor, facility,
                    {"facility": facility.code, "persons": len(created), "source": source})
        audit.record_many(actor=actor, action=AuditAction.CUSTODY_ADMITTED, objects=created,
                          person_id=lambda c: c.person_id,
                          changes=lambda c: {"facility": {"old": None, "new": facility.code},
                                             "population": {"old": None, "new": c.population},
                                             "started_at": {"old": None, "new": c.started_at.isoformat()},
                                             "source": {"old": None, "new": source}})
    return created


def custody_admit(*, actor: User | None, case: Case, persons: Sequence[Person], facility: Facility,
                  arrived_at: dt.datetime, source: str = ArrivalSource.MANUAL, now: dt.datetime | None = None
                  ) -> list[Custody]:
    """A manual arrival: people who reached a port without an appointment, or were encountered between ports."""
    if not facility.is_federal:
        raise ValidationFailedError({"facility": [
            f"{facility.name} is a {facility.get_kind_display()}: people enter custody at a port, a Border Patrol "
            "station or a Joint Processing Center."]})
    _in_scope(actor, facility, Permission.CUSTODY_MANAGE)
    if source == ArrivalSource.CHECK_IN:
        raise ValidationFailedError({"source": ["Check-in arrivals come from the appointment check-in."]})
    return _admit(actor=actor, case=case, persons=persons, facility=facility, arrived_at=arrived_at, source=source,
                  now=now)


def admit_from_check_in(*, actor: User | None, case: Case, persons: Sequence[Person], port: Place,
                        appointment_code: str, arrived_at: dt.datetime) -> list[Custody]:
    """Called by the appointment check-in (whose permission and port scope were already checked)."""
    facility = facility_for_port(actor=actor, port=port)
    return _admit(actor=actor, case=case, persons=persons, facility=facility, arrived_at=arrived_at,
                  source=ArrivalSource.CHECK_IN, appointment_code=appointment_code, now=arrived_at)


# ---------------------------------------------------------------------------------------------------
# moves and exits


def _check_isolation(custody: Custody, at: dt.datetime, action: str) -> None:
    if custody.isolation_until and custody.isolation_until > at:
        facility = custody.current_facility
        when = _fmt_local(custody.isolation_until, facility) if facility else custody.isolation_until.isoformat()
        raise ReleaseBlockedError(f"Custody record {custody.pk} is in medical isolation until {when}: no {action} "
                                  "before then (a health screener can end isolation early).", field="isolation_until")


def _leave(custody: Custody, at: dt.datetime, exit_kind: str, now: dt.datetime) -> Stay:
    stay = _open_stay(custody)
    if stay is None or custody.in_transit:
        raise CustodyStateError(f"Custody record {custody.pk} is in transit: record the arrival first.",
                                field="custody")
    _problems(timeline.check_departure(timeline.Interval(stay.facility.name, stay.arrived_at, None),
                                       departed_at=at, now=now))
    stay.departed_at, stay.exit = at, exit_kind
    stay.save(update_fields=["departed_at", "exit"])
    return stay


def _move(custody: Custody, to_facility: Facility, departed_at: dt.datetime, arrived_at: dt.datetime | None,
          now: dt.datetime) -> None:
    """Leave the current stay for another facility (arriving now, or later when `arrived_at` is None).
    Isolation and impossible times are refused before anything is written; the clocks keep running."""
    _check_isolation(custody, departed_at, "transfer")
    stay = _open_stay(custody)
    if stay is None or custody.in_transit:
        raise CustodyStateError(f"Custody record {custody.pk} is in transit already.", field="custody")
    _problems(timeline.check_transfer(timeline.Interval(stay.facility.name, stay.arrived_at, None),
                                      departed_at=departed_at, arrived_at=arrived_at,
                                      destination=to_facility.name, now=now))
    stay.departed_at, stay.exit = departed_at, StayExit.TRANSFER
    stay.save(update_fields=["departed_at", "exit"])
    if arrived_at is not None:
        Stay.objects.create(custody=custody, facility=to_facility, arrived_at=arrived_at)
    custody.current_facility, custody.in_transit = to_facility, arrived_at is None
    custody.version += 1
    custody.save(update_fields=["current_facility", "in_transit", "version"])


def _same_facility(custodies: Sequence[Custody]) -> Facility:
    facilities = {c.current_facility_id for c in custodies}
    if len(facilities) != 1 or None in facilities:
        raise ValidationFailedError({"custody": ["Move people together only when they are at the same facility."]})
    facility = custodies[0].current_facility
    assert facility is not None
    return facility


def custody_transfer(*, actor: User | None, custodies: Sequence[Custody], to_facility: Facility,
                     departed_at: dt.datetime, arrived_at: dt.datetime | None = None, reason: str = "",
                     now: dt.datetime | None = None) -> list[Custody]:
    """Move people (a family moves together) to another facility. The clocks keep running."""
    now = _now(now)
    departed_at = _aware(departed_at, "departed_at")
    arrived_at = _aware(arrived_at, "arrived_at") if arrived_at else None
    if not custodies:
        raise ValidationFailedError({"custody": ["Choose who is transferred."]})
    origin = _same_facility(custodies)
    _in_scope(actor, origin, Permission.CUSTODY_MANAGE)
    if to_facility.kind == FacilityKind.ORR_SHELTER:
        raise ValidationFailedError({"to_facility": ["Children go to an ORR shelter through an ORR placement "
                                                     "(request, acceptance, placement), not a plain transfer."]})
    if to_facility.kind == FacilityKind.NGO_SHELTER or not to_facility.is_active:
        raise ValidationFailedError({"to_facility": [f"{to_facility.name} does not hold people in custody: "
                                                     "release them to it instead."]})
    errors: dict[str, list[str]] = {}
    reason = _text(errors, "reason", reason, max_length=300)
    if errors:
        raise ValidationFailedError(errors)
    with transaction.atomic():
        locked = _lock_open(custodies)
        for custody in locked:
            _move(custody, to_facility, departed_at, arrived_at, now)
        _case_event(locked[0].case, CaseEventKind.CUSTODY,
                    f"{len(locked)} person(s) transferred from {origin.name} to {to_facility.name}, left "
                    f"{_fmt_local(departed_at, origin)}" + (f", arrived {_fmt_local(arrived_at, to_facility)}"
                                                            if arrived_at else " (in transit)") + ".",
                    actor, origin, {"from": origin.code, "to": to_facility.code, "reason": reason})
        audit.record_many(actor=actor, action=AuditAction.CUSTODY_TRANSFERRED, objects=locked, reason=reason,
                          person_id=lambda c: c.person_id,
                          changes=lambda c: {"facility": {"old": origin.code, "new": to_facility.code},
                                             "departed_at": {"old": None, "new": departed_at.isoformat()},
                                             "arrived_at": {"old": None,
                                                            "new": arrived_at.isoformat() if arrived_at else None}})
    return locked


def custody_transfer_arrive(*, actor: User | None, custodies: Sequence[Custody], arrived_at: dt.datetime,
                            now: dt.datetime | None = None) -> list[Custody]:
    now = _now(now)
    arrived_at = _aware(arrived_at, "arrived_at")
    destination = _same_facility(custodies)
    _in_scope(actor, destination, Permission.CUSTODY_MANAGE)
    with transaction.atomic():
        locked = _lock_open(custodies)
        for custody in locked:
            if not custody.in_transit:
                raise CustodyStateError(f"Custody record {custody.pk} is not in transit.", field="custody")
            last = Stay.objects.filter(custody=custody).order_by("-arrived_at", "-id").first()
            problems = timeline.check_arrival(
                [timeline.Interval(last.facility.name, last.arrived_at, last.departed_at)] if last else [],
                facility=destination.name, arrived_at=arrived_at, now=now)
            if last and last.departed_at and arrived_at < last.departed_at:
                problems.append(("arrived_at", "The arrival is before the departure."))
            _problems(problems)
            Stay.objects.create(custody=custody, facility=destination, arrived_at=arrived_at)
            custody.in_transit = False
            custody.version += 1
            custody.save(update_fields=["in_transit", "version"])
        _case_event(locked[0].case, CaseEventKind.CUSTODY, f"{len(locked)} person(s) arrived at {destination.name} "
                    f"at {_fmt_local(arrived_at, destination)}.", actor, destination, {"to": destination.code})
        audit.record_many(actor=actor, action=AuditAction.CUSTODY_ARRIVED, objects=locked,
                          person_id=lambda c: c.person_id,
                          changes=lambda c: {"arrived_at": {"old": None, "new": arrived_at.isoformat()}})
    return locked


def custody_exit(*, actor: User | None, custodies: Sequence[Custody], outcome: str, at: dt.datetime, reason: str,
                 now: dt.datetime | None = None) -> list[Custody]:
    """Leave custody other than by release: returned, or another exit (with a reason)."""
    now = _now(now)
    at = _aware(at, "at")
    if outcome not in (CustodyOutcome.RETURNED, CustodyOutcome.OTHER):
        raise ValidationFailedError({"outcome": ["Use release for a release; here: returned or other."]})
    facility = _same_facility(custodies)
    _in_scope(actor, facility, Permission.CUSTODY_MANAGE)
    errors: dict[str, list[str]] = {}
    reason = _text(errors, "reason", reason, max_length=300, required=True)
    if errors:
        raise ValidationFailedError(errors)
    with transaction.atomic():
        locked = _lock_open(custodies)
        for custody in locked:
            _leave(custody, at, StayExit.RETURN if outcome == CustodyOutcome.RETURNED else StayExit.OTHER, now)
            custody.ended_at, custody.outcome = at, outcome
            custody.version += 1
            custody.save(update_fields=["ended_at", "outcome", "version"])
        case = locked[0].case
        _case_event(case, CaseEventKind.CUSTODY, f"{len(locked)} person(s) left custody at {facility.name}: "
                    f"{CustodyOutcome(outcome).label}. Reason: {reason}", actor, facility, {"outcome": outcome})
        audit.record_many(actor=actor, action=AuditAction.CUSTODY_EXITED, objects=locked, reason=reason,
                          person_id=lambda c: c.person_id,
                          changes=lambda c: {"outcome": {"old": None, "new": outcome},
                                             "ended_at": {"old": None, "new": at.isoformat()}})
        if outcome == CustodyOutcome.RETURNED:
            _release_case_if_done(actor, case, v.CaseStatus.RETURNED, f"left custody: {reason}")
        # another exit (a hospital, another agency's custody) says nothing about the case's next status: the
        # caseworker moves the case explicitly
    return locked


def custody_release(*, actor: User | None, custodies: Sequence[Custody], released_at: dt.datetime,
                    destination_city: str, destination_region: str = "", sponsor_name: str = "",
                    sponsor_relationship: str = "", sponsor_phone: str = "", address: str = "",
                    documents_issued: Sequence[str] = (), programme: str = "", provider: Organisation | None = None,
                    now: dt.datetime | None = None) -> list[Release]:
    """Release to a destination city, enrolled in a case-management programme there. Refused, with the
    reason, while isolation lasts or for an unaccompanied child still in federal custody."""
    now = _now(now)
    released_at = _aware(released_at, "released_at")
    if not custodies:
        raise ValidationFailedError({"custody": ["Choose who is released."]})
    facility = _same_facility(custodies)
    _in_scope(actor, facility, Permission.CUSTODY_RELEASE)
    errors: dict[str, list[str]] = {}
    destination_city = _text(errors, "destination_city", destination_city, max_length=100, required=True)
    destination_region = _text(errors, "destination_region", destination_region, max_length=60)
    sponsor_name = _text(errors, "sponsor_name", sponsor_name, max_length=150)
    sponsor_relationship = _text(errors, "sponsor_relationship", sponsor_relationship, max_length=60)
    sponsor_phone = _text(errors, "sponsor_phone", sponsor_phone, max_length=40)
    address = _text(errors, "address", address, max_length=300)
    programme = _text(errors, "programme", programme, max_length=150)
    unknown = [d for d in documents_issued if d not in DOCUMENTS_ISSUED]
    if unknown:
        errors["documents_issued"] = [f"Unknown document {unknown[0][:40]!r}; one of {', '.join(DOCUMENTS_ISSUED)}."]
    if programme and provider is None:
        errors["provider"] = ["Name the organisation that runs the case-management programme."]
    if errors:
        raise ValidationFailedError(errors)
    with transaction.atomic():
        locked = _lock_open(custodies)
        for custody in locked:
            _check_isolation(custody, released_at, "release")
            if custody.population in UNACCOMPANIED and facility.is_federal:
                raise ReleaseBlockedError(
                    f"Custody record {custody.pk} is an unaccompanied child: the law (TVPRA) requires placement with "
                    "ORR, which then releases the child to a vetted sponsor. Request an ORR placement.",
                    field="custody")
        case = locked[0].case
        enrolment = None
        if programme:
            assert provider is not None
            enrolment = CaseManagementEnrolment.objects.create(
                case=case, programme=programme, provider=provider, destination_city=destination_city,
                enrolled_at=released_at, enrolled_by=actor if actor and actor.pk else None)
        releases = []
        for custody in locked:
            _leave(custody, released_at, StayExit.RELEASE, now)
            custody.ended_at, custody.outcome = released_at, CustodyOutcome.RELEASED
            custody.sponsor_status = SponsorStatus.FOUND
            custody.version += 1
            custody.save(update_fields=["ended_at", "outcome", "sponsor_status", "version"])
            releases.append(Release.objects.create(
                custody=custody, released_at=released_at, destination_city=destination_city,
                destination_region=destination_region, sponsor_name=sponsor_name,
                sponsor_relationship=sponsor_relationship, sponsor_phone=sponsor_phone, address=address,
                documents_issued=list(documents_issued), enrolment=enrolment,
                released_by=actor if actor and actor.pk else None))
        _case_event(case, CaseEventKind.RELEASE, f"{len(locked)} person(s) released from {facility.name} to "
                    f"{destination_city}" + (f", enrolled in {programme} ({provider.name})" if enrolment and provider
                                             else "") + ".", actor, facility,
                    {"destination_city": destination_city, "programme": programme,
                     "documents_issued": list(documents_issued)})
        audit.record_many(actor=actor, action=AuditAction.CUSTODY_RELEASED, objects=releases,
                          person_id=lambda r: r.custody.person_id,
                          changes=lambda r: audit.diff({}, {"destination_city": destination_city,
                                                            "sponsor_name": sponsor_name,
                                                            "sponsor_phone": sponsor_phone, "address": address,
                                                            "programme": programme,
                                                            "released_at": released_at.isoformat()},
                                                       masked=("sponsor_name", "sponsor_phone", "address")))
        _release_case_if_done(actor, case, v.CaseStatus.RELEASED, f"released to {destination_city}")
    return releases


def sponsor_status_set(*, actor: User | None, custodies: Sequence[Custody], status: str) -> list[Custody]:
    if status not in SponsorStatus.values:
        raise ValidationFailedError({"sponsor_status": [f"Unknown status {status[:30]!r}."]})
    facility = _same_facility(custodies)
    _in_scope(actor, facility, Permission.CUSTODY_MANAGE)
    with transaction.atomic():
        locked = _lock_open(custodies)
        old = {c.pk: c.sponsor_status for c in locked}
        for custody in locked:
            custody.sponsor_status = status
            custody.version += 1
            custody.save(update_fields=["sponsor_status", "version"])
        audit.record_many(actor=actor, action=AuditAction.SPONSOR_STATUS_SET, objects=locked,
                          person_id=lambda c: c.person_id,
                          changes=lambda c: {"sponsor_status": {"old": old[c.pk], "new": status}})
    return locked


# ---------------------------------------------------------------------------------------------------
# ORR placement of unaccompanied children


def orr_referral_request(*, actor: User | None, custody: Custody, requested_at: dt.datetime | None = None
                         ) -> OrrReferral:
    requested_at = _aware(requested_at or timezone.now(), "requested_at")
    facility = custody.current_facility
    if facility is None:
        raise CustodyStateError("This person is not at a facility.", field="custody")
    _in_scope(actor, facility, Permission.CUSTODY_MANAGE)
    if custody.population not in UNACCOMPANIED:
        raise ValidationFailedError({"custody": ["ORR places unaccompanied children; this person is recorded as "
                                                 f"{POPULATION_LABELS[custody.population]}."]})  # type: ignore[index]
    if custody.ended_at is not None or not facility.is_federal:
        raise CustodyStateError("An ORR placement is requested for a child held in federal custody.", field="custody")
    orr = _organisation(getattr(settings, "CORREDOR_ORR_ORGANISATION", "ORR"))
    try:
        with transaction.atomic():
            referral = OrrReferral.objects.create(custody=custody, referred_to=orr, requested_at=requested_at,
                                                  requested_by=actor if actor and actor.pk else None)
            _case_event(custody.case, CaseEventKind.REFERRAL, f"ORR placement requested from {facility.name}.",
                        actor, facility, {"referral": referral.pk})
            audit.record(actor=actor, action=AuditAction.ORR_REFERRAL_REQUESTED, obj=referral,
                         person_id=custody.person_id, changes={"status": {"old": None, "new": "requested"}})
    except IntegrityError as exc:
        raise DuplicateError("An ORR placement is already pending for this child.", field="custody") from exc
    return referral


def orr_referral_decide(*, actor: User | None, referral: OrrReferral, accept: bool, shelter: Facility | None = None,
                        decline_reason: str = "", note: str = "", now: dt.datetime | None = None) -> OrrReferral:
    now = _now(now)
    require_permission(user=actor, permission=Permission.ORR_PLACEMENT_DECIDE)
    if actor is not None and referral.referred_to_id not in {s.organisation_id for s in user_grants(user=actor).scopes}:
        raise PermissionDeniedError(Permission.ORR_PLACEMENT_DECIDE, "This child was referred to another organisation.")
    errors: dict[str, list[str]] = {}
    note = _text(errors, "note", note, max_length=300)
    if accept:
        if (shelter is None or shelter.kind != FacilityKind.ORR_SHELTER
                or shelter.organisation_id != referral.referred_to_id):
            errors["shelter"] = ["Choose one of your organisation's ORR shelters."]
    elif decline_reason not in DeclineReason.values:
        errors["decline_reason"] = [f"Give the reason: one of {', '.join(DeclineReason.values)}."]
    if errors:
        raise ValidationFailedError(errors)
    with transaction.atomic():
        locked = OrrReferral.objects.select_for_update().select_related("custody").get(pk=referral.pk)
        if locked.status != ReferralStatus.REQUESTED:
            raise CustodyStateError(f"This referral is {locked.status} already.", field="status")
        if accept:
            assert shelter is not None
            cap = FacilityCapacity.objects.filter(facility=shelter, population=locked.custody.population).first()
            held = Custody.objects.filter(current_facility=shelter, ended_at__isnull=True,
                                          population=locked.custody.population).count()
            pending = OrrReferral.objects.filter(shelter=shelter, status=ReferralStatus.ACCEPTED,
                                                 custody__population=locked.custody.population).count()
            if cap is None or held + pending >= cap.beds:
                raise ValidationFailedError({"shelter": [
                    f"{shelter.name} has no free bed for {POPULATION_LABELS[locked.custody.population]}"  # type: ignore[index]
                    f" ({held} held + {pending} on the way of {cap.beds if cap else 0}). Choose another shelter or "
                    "decline with 'no bed'."]})
        locked.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.NOT_ACCEPTED
        locked.decided_at, locked.decided_by = now, actor if actor and actor.pk else None
        locked.shelter = shelter if accept else None
        locked.decline_reason, locked.decline_note = ("" if accept else decline_reason), note
        locked.version += 1
        locked.save()
        summary = (f"ORR accepted the placement at {shelter.name}." if accept and shelter else
                   f"ORR did not accept the placement: {DeclineReason(decline_reason).label}.")
        _case_event(locked.custody.case, CaseEventKind.REFERRAL, summary, actor, None,
                    {"referral": locked.pk, "status": locked.status, "decline_reason": locked.decline_reason})
        audit.record(actor=actor, action=AuditAction.ORR_REFERRAL_DECIDED, obj=locked,
                     person_id=locked.custody.person_id,
                     changes={"status": {"old": "requested", "new": locked.status},
                              "shelter": {"old": None, "new": shelter.code if shelter and accept else None},
                              "decline_reason": {"old": None, "new": locked.decline_reason or None}})
    return locked


def orr_placement_complete(*, actor: User | None, referral: OrrReferral, departed_at: dt.datetime,
                           arrived_at: dt.datetime, now: dt.datetime | None = None) -> OrrReferral:
    """The child leaves federal custody and arrives at the ORR shelter: the 72-hour clock stops on arrival."""
    now = _now(now)
    departed_at, arrived_at = _aware(departed_at, "departed_at"), _aware(arrived_at, "arrived_at")
    custody = referral.custody
    origin = custody.current_facility
    if origin is None:
        raise CustodyStateError("This child is not at a facility.", field="custody")
    if actor is not None and Permission.ORR_PLACEMENT_DECIDE in user_grants(user=actor).permissions:
        if referral.referred_to_id not in {s.organisation_id for s in user_grants(user=actor).scopes}:
            raise PermissionDeniedError(Permission.ORR_PLACEMENT_DECIDE, "This child was referred elsewhere.")
    else:
        _in_scope(actor, origin, Permission.CUSTODY_MANAGE)
    with transaction.atomic():
        locked = OrrReferral.objects.select_for_update().get(pk=referral.pk)
        if locked.status != ReferralStatus.ACCEPTED or locked.shelter is None:
            raise CustodyStateError(f"The placement is {locked.status}: it must be accepted by ORR first.",
                                    field="status")
        shelter = locked.shelter
        (child,) = _lock_open([custody])
        _move(child, shelter, departed_at, arrived_at, now)
        locked.status, locked.placed_at = ReferralStatus.PLACED, arrived_at
        locked.version += 1
        locked.save(update_fields=["status", "placed_at", "version"])
        hours = (arrived_at - child.started_at).total_seconds() / 3600
        transport = (arrived_at - departed_at).total_seconds() / 3600
        _case_event(child.case, CaseEventKind.REFERRAL,
                    f"Placed with ORR at {shelter.name}, arrived {_fmt_local(arrived_at, shelter)} after "
                    f"{transport:.1f} h of transport, {hours:.1f} h after entering federal custody.", actor, shelter,
                    {"referral": locked.pk, "hours_in_federal_custody": round(hours, 2)})
        audit.record(actor=actor, action=AuditAction.ORR_PLACED, obj=locked, person_id=child.person_id,
                     changes={"status": {"old": "accepted", "new": "placed"},
                              "placed_at": {"old": None, "new": arrived_at.isoformat()},
                              "transport_hours": {"old": None, "new": round(transport, 2)}})
    return locked


# ---------------------------------------------------------------------------------------------------
# screenings and services


_HEALTH_KINDS = (ScreeningKind.HEALTH, ScreeningKind.MENTAL_HEALTH)


def screening_record(*, actor: User | None, custody: Custody, kind: str, occurred_at: dt.datetime,
                     test_result: str = "", findings: str = "", referral_needed: bool = False,
                     provider: Organisation | None = None, language: str = "",
                     isolation_until: dt.datetime | None = None, now: dt.datetime | None = None) -> Screening:
    now = _now(now)
    occurred_at = _aware(occurred_at, "occurred_at")
    isolation_until = _aware(isolation_until, "isolation_until") if isolation_until else None
    if kind not in ScreeningKind.values:
        raise ValidationFailedError({"kind": [f"Unknown screening {kind[:30]!r}."]})
    facility = custody.current_facility
    if facility is None:
        raise CustodyStateError("This person is not at a facility.", field="custody")
    _in_scope(actor, facility, Permission.RECEPTION_SCREEN)
    if kind in _HEALTH_KINDS:
        require_permission(user=actor, permission=Permission.SENSITIVE_HEALTH_EDIT)
    errors: dict[str, list[str]] = {}
    findings = findings.strip()
    problem = text.free_text_problem(findings, max_length=4000, allow_newlines=True)
    if problem:
        errors["findings"] = [f"Findings {problem}."]
    language = _text(errors, "language", language, max_length=40)
    if custody.ended_at is not None:
        errors["custody"] = ["This person is no longer in custody."]
    if occurred_at > now + timeline.FUTURE_TOLERANCE:
        errors["occurred_at"] = ["The time is in the future."]
    elif occurred_at < custody.started_at:
        errors["occurred_at"] = ["The time is before the person entered custody."]
    if kind == ScreeningKind.HEALTH and test_result not in TestResult.values:
        errors["test_result"] = [f"Record the test result: one of {', '.join(TestResult.values)}."]
    if kind != ScreeningKind.HEALTH and (test_result or isolation_until):
        errors["test_result"] = ["A test result and isolation belong to the health screening."]
    if isolation_until is not None and isolation_until <= occurred_at:
        errors["isolation_until"] = ["Isolation must end after the screening."]
    if kind == ScreeningKind.LEGAL_ORIENTATION and provider is None:
        errors["provider"] = ["Name the legal-service provider who delivered the orientation."]
    if kind == ScreeningKind.INTERPRETER and not language:
        errors["language"] = ["Name the language interpreted."]
    if kind == ScreeningKind.CHILD_WELFARE and custody.population not in UNACCOMPANIED:
        dob = custody.person.date_of_birth
        if dob is None or age_on(dob, occurred_at.date()) >= 18:
            errors["kind"] = ["The child-welfare interview is for children."]
    if errors:
        raise ValidationFailedError(errors)
    with transaction.atomic():
        (locked,) = _lock_open([custody])
        screening = Screening.objects.create(
            custody=locked, kind=kind, occurred_at=occurred_at, recorded_by=actor if actor and actor.pk else None,
            organisation=getattr(actor, "organisation", None) or facility.organisation, provider=provider,
            test_result=test_result, findings=findings, referral_needed=referral_needed, language=language,
            isolation_until=isolation_until)
        old_isolation = locked.isolation_until
        if isolation_until and (old_isolation is None or isolation_until > old_isolation):
            locked.isolation_until = isolation_until
            locked.version += 1
            locked.save(update_fields=["isolation_until", "version"])
        label = ScreeningKind(kind).label
        summary = f"{label} recorded" + (f" by {provider.name}" if provider else "") + (
            f" ({language})" if language else "") + (
            f"; isolation until {_fmt_local(isolation_until, facility)}" if isolation_until else "") + "."
        _case_event(locked.case, CaseEventKind.SCREENING, summary, actor, facility,
                    {"kind": kind, "screening": screening.pk, "referral_needed": referral_needed,
                     "isolation_until": isolation_until.isoformat() if isolation_until else None})
        audit.record(actor=actor, action=AuditAction.SCREENING_RECORDED, obj=screening, person_id=locked.person_id,
                     changes=audit.diff({}, {"kind": kind, "test_result": test_result, "findings": findings,
                                             "isolation_until": isolation_until, "language": language,
                                             "provider": provider.code if provider else None},
                                        masked=("findings", "test_result")))
    return screening


def screenings_reveal(*, actor: User, custody: Custody, reason: str = "") -> list[Screening]:
    """Health and mental-health findings, for those allowed to see health data; every view is audited."""
    require_permission(user=actor, permission=Permission.SENSITIVE_HEALTH_VIEW)
    with transaction.atomic():
        rows = list(Screening.objects.filter(custody=custody, kind__in=_HEALTH_KINDS))
        audit.record(actor=actor, action=AuditAction.SCREENING_VIEWED, obj=custody, person_id=custody.person_id,
                     reason=reason, changes={"screenings": {"old": None, "new": len(rows)}})
    return rows


def isolation_end(*, actor: User | None, custody: Custody, at: dt.datetime, reason: str) -> Custody:
    at = _aware(at, "at")
    facility = custody.current_facility
    if facility is None:
        raise CustodyStateError("This person is not at a facility.", field="custody")
    _in_scope(actor, facility, Permission.RECEPTION_SCREEN)
    require_permission(user=actor, permission=Permission.SENSITIVE_HEALTH_EDIT)
    errors: dict[str, list[str]] = {}
    reason = _text(errors, "reason", reason, max_length=300, required=True)
    if errors:
        raise ValidationFailedError(errors)
    with transaction.atomic():
        (locked,) = _lock_open([custody])
        if not locked.isolation_until or locked.isolation_until <= at:
            raise CustodyStateError("This person is not in isolation.", field="isolation_until")
        old = locked.isolation_until
        locked.isolation_until = at
        locked.version += 1
        locked.save(update_fields=["isolation_until", "version"])
        _case_event(locked.case, CaseEventKind.SCREENING, "Medical isolation ended.", actor, facility, {})
        audit.record(actor=actor, action=AuditAction.ISOLATION_ENDED, obj=locked, person_id=locked.person_id,
                     reason=reason, changes={"isolation_until": {"old": old.isoformat(), "new": at.isoformat()}})
    return locked


# ---------------------------------------------------------------------------------------------------
# breaches, alerts and the outbox


def breach_record(*, actor: User | None, custody: Custody, rule_id: str, reason_code: str, reason: str,
                  now: dt.datetime | None = None) -> Breach:
    """A supervisor records why a clock passed its limit. Only a breached clock takes a reason."""
    now = _now(now)
    facility = custody.current_facility
    if facility is None:
        raise CustodyStateError("This person is not at a facility.", field="custody")
    _in_scope(actor, facility, Permission.CUSTODY_SUPERVISE)
    rule = rule_by_id(rule_id)
    errors: dict[str, list[str]] = {}
    if rule is None:
        errors["rule_id"] = [f"Unknown clock rule {rule_id[:40]!r}."]
    if reason_code not in BreachReason.values:
        errors["reason_code"] = [f"Choose a reason: one of {', '.join(BreachReason.values)}."]
    reason = _text(errors, "reason", reason, max_length=500, required=True, label="The explanation")
    if errors:
        raise ValidationFailedError(errors)
    assert rule is not None
    clock = next((c for c in selectors.clocks_for(custody, now=now, rules=(rule,))), None)
    if clock is None or not clock.breached:
        raise ValidationFailedError({"rule_id": [f"The clock '{rule.label_en}' is not breached for this person."]})
    at_breach = (Stay.objects.filter(custody=custody, arrived_at__lte=clock.deadline)
                 .select_related("facility").order_by("-arrived_at", "-id").first())
    try:
        with transaction.atomic():
            breach = Breach.objects.create(custody=custody, rule_id=rule.id,
                                           facility=at_breach.facility if at_breach else facility,
                                           breached_at=clock.deadline, reason_code=reason_code, reason=reason,
                                           recorded_by=actor if actor and actor.pk else None)
            _case_event(custody.case, CaseEventKind.CUSTODY, f"Breach of '{rule.label_en}' recorded: "
                        f"{BreachReason(reason_code).label}. {reason}", actor, facility,
                        {"rule": rule.id, "reason_code": reason_code})
            audit.record(actor=actor, action=AuditAction.BREACH_RECORDED, obj=breach, person_id=custody.person_id,
                         reason=reason, changes={"rule": {"old": None, "new": rule.id},
                                                 "reason_code": {"old": None, "new": reason_code}})
    except IntegrityError as exc:
        raise DuplicateError("This breach already has its reason recorded.", field="rule_id") from exc
    return breach


_LEVELS = {core_clocks.Level.WARNING: AlertLevel.WARNING, core_clocks.Level.ESCALATED: AlertLevel.ESCALATION,
           core_clocks.Level.BREACHED: AlertLevel.BREACH}
_ORDER = [AlertLevel.WARNING, AlertLevel.ESCALATION, AlertLevel.BREACH]


def _supervisors(facility: Facility) -> list[User]:
    roles = [r.value for r, perms in ROLE_PERMISSIONS.items() if Permission.CUSTODY_SUPERVISE in perms]
    assignments = (RoleAssignment.objects.active().filter(role__in=roles, organisation_id=facility.organisation_id)
                   .filter(user__is_active=True).select_related("user"))
    return sorted({a.user for a in assignments if a.site_id in (None, facility.place_id)}, key=lambda u: u.pk)


def alerts_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Raise the alerts due on every open custody (once per clock and level) and queue the messages that
    escalations and breaches send to the facility's supervisors. Safe to run as often as wanted."""
    now = _now(now)
    rules = active_rules()
    raised = messages = 0
    existing = set(Alert.objects.filter(custody__ended_at__isnull=True).values_list("custody_id", "rule_id", "level"))
    held = Custody.objects.filter(ended_at__isnull=True, current_facility__isnull=False)
    rows = list(held.values_list("pk", "population", "started_at"))
    stays = selectors.stays_by_custody(held)
    table = core_clocks.ClockTable(rules, [core_clocks.Journey(p, s, stays.get(pk, [])) for pk, p, s in rows], now)
    # every clock as arrays; Custody objects are loaded only for the few people with an alert due
    due_rows = [i for i in range(len(rows)) if table.worst[i] >= core_clocks.Level.WARNING]
    custodies = Custody.objects.select_related("case", "current_facility").in_bulk([rows[i][0] for i in due_rows])
    for i in due_rows:
        custody = custodies[rows[i][0]]
        for clock in table.clocks(i):
            level = _LEVELS.get(clock.level)
            if level is None or not (clock.running or clock.breached):
                continue
            for due in _ORDER[: _ORDER.index(level) + 1]:
                if (custody.pk, clock.rule.id, due.value) in existing:
                    continue
                raised += 1
                messages += _raise_alert(custody, clock, due, now)
                existing.add((custody.pk, clock.rule.id, due.value))
    delivered = outbox_deliver()
    return {"raised": raised, "messages": messages, "delivered": delivered}


def _raise_alert(custody: Custody, clock: core_clocks.Clock, level: AlertLevel, now: dt.datetime) -> int:
    facility = custody.current_facility
    assert facility is not None
    left = clock.remaining.total_seconds() / 3600
    when = f"{left:.0f} h left" if left >= 0 else f"{-left:.0f} h past the limit"
    message = (f"{level.label}: case {custody.case.reference}, {POPULATION_LABELS[custody.population]}, "  # type: ignore[index]
               f"{facility.name}: {when} on '{clock.rule.label_en}'.")
    with transaction.atomic():
        try:
            with transaction.atomic():
                alert = Alert.objects.create(facility=facility, custody=custody, rule_id=clock.rule.id,
                                             level=level, raised_at=now, message=message[:300])
        except IntegrityError:
            return 0  # another sweep raised it a moment ago
        queued = []
        if level != AlertLevel.WARNING:
            for user in _supervisors(facility):
                if user.email:
                    queued.append(OutboxMessage(alert=alert, channel="email", recipient=user, address=user.email,
                                                body=f"[Corredor] {message}"[:320]))
                phone = getattr(user, "phone", "")
                if phone:
                    queued.append(OutboxMessage(alert=alert, channel="sms", recipient=user, address=phone,
                                                body=message[:160]))
            OutboxMessage.objects.bulk_create(queued)
        audit.record(actor=None, action=AuditAction.ALERT_RAISED, obj=alert, person_id=custody.person_id,
                     changes={"level": {"old": None, "new": level.value}, "rule": {"old": None, "new": clock.rule.id},
                              "messages": {"old": None, "new": len(queued)}})
    return len(queued)


def outbox_deliver() -> int:
    """Send pending messages through the configured adapter (CORREDOR_OUTBOX_ADAPTER, a dotted path to a
    callable taking an OutboxMessage). With none configured, messages stay recorded in the outbox."""
    path = getattr(settings, "CORREDOR_OUTBOX_ADAPTER", "")
    if not path:
        return 0
    adapter = import_string(path)
    sent = 0
    for message in OutboxMessage.objects.filter(status=OutboxStatus.PENDING).order_by("id")[:500]:
        try:
            adapter(message)
            status = OutboxStatus.SENT
        except Exception:
            status = OutboxStatus.FAILED
        with transaction.atomic():
            OutboxMessage.objects.filter(pk=message.pk).update(status=status, adapter=path[-60:],
                                                               sent_at=timezone.now())
            audit.record(actor=None, action=AuditAction.OUTBOX_DELIVERED, obj=message,
                         changes={"status": {"old": "pending", "new": status.value}})
        sent += status == OutboxStatus.SENT
    return sent


def alert_acknowledge(*, actor: User | None, alert: Alert) -> Alert:
    _in_scope(actor, alert.facility, Permission.CUSTODY_SUPERVISE)
    with transaction.atomic():
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        if locked.acknowledged_at is not None:
            return locked
        locked.acknowledged_at, locked.acknowledged_by = timezone.now(), actor if actor and actor.pk else None
        locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit.record(actor=actor, action=AuditAction.ALERT_ACKNOWLEDGED, obj=locked,
                     changes={"acknowledged_at": {"old": None, "new": locked.acknowledged_at.isoformat()}})
    return locked
