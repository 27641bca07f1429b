"""Every write of orderly processing: waiting-list checks, capacity, runs, publication, bookings, check-in.

Each service checks its permission, makes its change and writes its audit event in one transaction.
Seats are taken with a conditional UPDATE (booked + n <= capacity) backed by a check constraint, so
capacity holds under any number of concurrent bookings.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from corredor.accounts.models import User
from corredor.accounts.selectors import require_permission
from corredor.audit import services as audit
from corredor.audit.events import AuditAction
from corredor.core.registry import text
from corredor.core.registry import vocab as v
from corredor.core.scheduling import allocator, tokens
from corredor.platform.authz import Permission
from corredor.platform.errors import PermissionDeniedError, ValidationFailedError
from corredor.reception import services as reception_services
from corredor.reference.models import Place, PlaceKind
from corredor.registry import services as registry_services
from corredor.registry.models import Case, CaseEvent, CaseEventKind, Person

from .errors import AppointmentStateError, CapacityFullError, RunConflictError
from .keys import signing_key
from .models import (
    AllocationPolicy,
    AllocationRun,
    Appointment,
    AppointmentStatus,
    PortDay,
    RunStatus,
    WaitingListEntry,
)

MAX_CAPACITY = 5000  # persons per port-day; far above any port's real processing capacity
MAX_RANGE_DAYS = 366

# ---------------------------------------------------------------------------------------------------
# Waiting list


def _waiting_entry_locked(case: Case) -> tuple[WaitingListEntry, bool]:
    """The case's entry, locked for update, created on first use (the caller's audit event says so)."""
    entry, created = WaitingListEntry.objects.get_or_create(case=case)
    return WaitingListEntry.objects.select_for_update().get(pk=entry.pk), created


def _ports(codes: Iterable[str]) -> list[Place]:
    codes = list(codes)
    ports = {p.code: p for p in Place.objects.filter(code__in=codes, kind=PlaceKind.PORT)}
    unknown = [c for c in codes if c not in ports]
    if unknown:
        raise ValidationFailedError({"ports": [f"Unknown port(s): {', '.join(c[:40] for c in unknown)}."]})
    return [ports[c] for c in codes]


def waiting_entry_update(*, actor: User | None, case: Case, identity_confirmed: bool | None = None,
                         ports: list[str] | None = None, single_port_only: bool | None = None,
                         reason: str = "") -> WaitingListEntry:
    """Confirm identity and set port preferences (intake worker or coordinator)."""
    require_permission(user=actor, permission=Permission.WAITLIST_MANAGE)
    if ports is not None:
        if len(ports) != len(set(ports)) or len(ports) > 8:
            raise ValidationFailedError({"ports": ["List each port once, at most eight."]})
        _ports(ports)
        if single_port_only and len(ports) != 1:
            raise ValidationFailedError({"ports": ["A family that cannot travel names exactly one port."]})
    with transaction.atomic():
        entry, created = _waiting_entry_locked(case)
        fields = ["identity_confirmed_at", "ports", "single_port_only", "version"]
        before = {} if created else audit.snapshot(entry, fields)
        if identity_confirmed is not None:
            entry.identity_confirmed_at = timezone.now() if identity_confirmed else None
            entry.identity_confirmed_by = actor if identity_confirmed and actor and actor.pk else None
        if ports is not None:
            entry.ports = ports
        if single_port_only is not None:
            entry.single_port_only = single_port_only
        after = audit.snapshot(entry, fields)
        if after == before:
            return entry
        if not created:
            entry.version += 1
        entry.save()
        audit.record(actor=actor, action=AuditAction.WAITLIST_UPDATED, obj=entry, reason=reason,
                     changes=audit.diff(before, audit.snapshot(entry, fields)))
        return entry


def health_screening_record(*, actor: User | None, case: Case, screened_on: dt.date) -> WaitingListEntry:
    """Record that humanitarian health screening was done (details, if any, go to sensitive health notes)."""
    require_permission(user=actor, permission=Permission.HEALTH_SCREENING_RECORD)
    if screened_on > timezone.localdate():
        raise ValidationFailedError({"screened_on": ["The screening date is in the future."]})
    with transaction.atomic():
        entry, created = _waiting_entry_locked(case)
        before = {} if created else audit.snapshot(entry, ["health_screened_on", "version"])
        entry.health_screened_on = screened_on
        if not created:
            entry.version += 1
        entry.save()
        audit.record(actor=actor, action=AuditAction.WAITLIST_UPDATED, obj=entry,
                     changes=audit.diff(before, audit.snapshot(entry, ["health_screened_on", "version"])))
        return entry


def readiness(entry: WaitingListEntry, *, today: dt.date) -> tuple[bool, str]:
    """Ready when identity is confirmed and the health screening is recent enough; else why not."""
    missing = []
    if entry.identity_confirmed_at is None:
        missing.append("identity not confirmed")
    if entry.health_screened_on is None:
        missing.append("no health screening")
    elif (today - entry.health_screened_on).days > settings.HEALTH_SCREENING_VALID_DAYS:
        missing.append(f"health screening older than {settings.HEALTH_SCREENING_VALID_DAYS} days")
    return (not missing, "; ".join(missing))


# ---------------------------------------------------------------------------------------------------
# Capacity


def port_day(port: Place, day: dt.date) -> PortDay:
    """The port-day row, created with the port's default capacity the first time it is needed."""
    row = PortDay.objects.filter(port=port, day=day).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return PortDay.objects.create(port=port, day=day, capacity=port.daily_capacity or 0)
    except IntegrityError:  # created concurrently
        return PortDay.objects.get(port=port, day=day)


def capacity_set(*, actor: User | None, port: Place, start: dt.date, end: dt.date, capacity: int,
                 closed_reason: str = "", today: dt.date | None = None) -> list[Appointment]:
    """Set persons per day for a date range (0 closes the port). Appointments beyond a cut are displaced:
    they return to the waiting list with priority over everyone behind them. Returns the displaced ones."""
    require_permission(user=actor, permission=Permission.CAPACITY_MANAGE)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if port.kind != PlaceKind.PORT:
        errors["port"] = [f"{port.code} is not a port of entry."]
    if capacity < 0 or capacity > MAX_CAPACITY:
        errors["capacity"] = [f"Capacity must be between 0 and {MAX_CAPACITY} persons a day (got {capacity})."]
    if start < today:
        errors["start"] = [f"{start.isoformat()} is in the past; capacity can change from today on."]
    if end < start:
        errors["end"] = ["The range ends before it starts."]
    elif (end - start).days >= MAX_RANGE_DAYS:
        errors["end"] = [f"Change at most {MAX_RANGE_DAYS} days at once."]
    problem = text.free_text_problem(closed_reason, max_length=200)
    if problem:
        errors["closed_reason"] = [f"The reason {problem}."]
    if capacity == 0 and not closed_reason.strip():
        errors["closed_reason"] = ["Say why the port is closed (holiday, emergency...)."]
    if errors:
        raise ValidationFailedError(errors)
    displaced: list[Appointment] = []
    with transaction.atomic():
        day = start
        while day <= end:
            row = PortDay.objects.select_for_update().get(pk=port_day(port, day).pk)
            if capacity < row.booked:
                displaced += _displace(actor, row, row.booked - capacity)
                row.refresh_from_db()
            row.capacity = capacity
            row.closed_reason = closed_reason.strip() if capacity == 0 else ""
            row.save(update_fields=["capacity", "closed_reason"])
            day += dt.timedelta(days=1)
        audit.record(actor=actor, action=AuditAction.CAPACITY_SET, object_type="appointments.portday",
                     object_id=f"{port.code}:{start.isoformat()}..{end.isoformat()}", reason=closed_reason,
                     changes={"capacity": {"old": None, "new": capacity},
                              "displaced_appointments": {"old": None, "new": len(displaced)}})
    return displaced


def _displace(actor: User | None, row: PortDay, persons: int) -> list[Appointment]:
    """Free at least `persons` seats, latest bookings first; their cases go back to the head of the line."""
    displaced = []
    freed = 0
    for appointment in row.appointments.filter(status=AppointmentStatus.BOOKED).order_by("-created_at", "-id"):
        if freed >= persons:
            break
        _release(appointment, AppointmentStatus.RESCHEDULED)
        # back to waiting; the RESCHEDULED appointment gives the case priority in the next run
        _case_back_to_waiting(actor, appointment.case, "capacity cut: the appointment will be rescheduled")
        audit.record(actor=actor, action=AuditAction.APPOINTMENT_RESCHEDULED, obj=appointment,
                     reason="capacity cut", changes={"status": {"old": "booked", "new": "rescheduled"}})
        freed += appointment.party_size
        displaced.append(appointment)
    return displaced


# ---------------------------------------------------------------------------------------------------
# Seats


def _take_seats(row: PortDay, persons: int) -> None:
    updated = PortDay.objects.filter(pk=row.pk, booked__lte=F("capacity") - persons).update(
        booked=F("booked") + persons)
    if updated != 1:
        row.refresh_from_db()
        raise CapacityFullError(
            f"{row.port.name} on {row.day.isoformat()} has {max(row.capacity - row.booked, 0)} free places; "
            f"the family needs {persons}.", field="day",
            details={"port": row.port.code, "day": row.day.isoformat(), "free": row.capacity - row.booked,
                     "needed": persons})


def _release(appointment: Appointment, status: str) -> None:
    PortDay.objects.filter(pk=appointment.port_day_id).update(booked=F("booked") - appointment.party_size)
    appointment.status = status
    appointment.version += 1
    appointment.save(update_fields=["status", "version"])


def party_size(case: Case) -> int:
    return max(len(registry_services.case_members(case)), 1)


def _assign_codes(appointments: list[Appointment]) -> None:
    """Draw each appointment's short code. Codes come from 2^45 values, so collisions are rare: one query
    finds codes already in use, and only those (or repeats within the batch) draw again."""
    _, key = signing_key()

    def draw(ap: Appointment, nonce: int) -> str:
        return tokens.appointment_code(case_reference=ap.case.reference, port=ap.port_day.port.code,
                                       day=ap.port_day.day, key=key, nonce=nonce)

    for ap in appointments:
        ap.code = draw(ap, 0)
    seen = set(Appointment.objects.filter(code__in=[ap.code for ap in appointments]).values_list("code", flat=True))
    for ap in appointments:
        nonce = 1
        while ap.code in seen:
            ap.code = draw(ap, nonce)
            nonce += 1
        seen.add(ap.code)


def appointment_token(appointment: Appointment) -> str:
    """The signed token in the QR code: date, port, case reference and party size; never a name."""
    key_id, key = signing_key()
    claim = tokens.AppointmentClaim(code=appointment.code, case_reference=appointment.case.reference,
                                    port=appointment.port_day.port.code, day=appointment.port_day.day,
                                    party_size=appointment.party_size)
    return tokens.sign_claim(claim, key=key, key_id=key_id)


def _case_status_follows(case: Case, target: v.CaseStatus, summary: str, actor: User | None) -> None:
    """Status moves caused by scheduling are part of the scheduling action the actor was allowed to do."""
    registry_services.case_transition_within(actor=actor, case=case, target=target.value, expected_version=None,
                                             reason=summary)


def _case_back_to_waiting(actor: User | None, case: Case, summary: str) -> None:
    case.refresh_from_db()
    if case.status == v.CaseStatus.SCHEDULED:
        _case_status_follows(case, v.CaseStatus.WAITING, summary, actor)


def appointment_book(*, actor: User | None, case: Case, port: Place, day: dt.date,
                     today: dt.date | None = None, reason: str = "") -> Appointment:
    """Book a case onto a port-day by hand (the coordinator's discretion), if the seats are there."""
    require_permission(user=actor, permission=Permission.APPOINTMENT_BOOK)
    today = today or timezone.localdate()
    if day < today:
        raise ValidationFailedError({"day": [f"{day.isoformat()} is in the past."]})
    if port.kind != PlaceKind.PORT:
        raise ValidationFailedError({"port": [f"{port.code} is not a port of entry."]})
    if case.status != v.CaseStatus.WAITING:
        raise AppointmentStateError(f"Case {case.reference} is {case.status}, not waiting.", field="case")
    size = party_size(case)
    with transaction.atomic():
        if Appointment.objects.filter(case=case, status=AppointmentStatus.BOOKED).exists():
            raise AppointmentStateError(f"Case {case.reference} already has an appointment.", field="case")
        row = port_day(port, day)
        _take_seats(row, size)
        appointment = Appointment(
            case=case, port_day=row, party_size=size, via="manual", created_by=actor if actor and actor.pk else None,
            reason=f"booked by hand{': ' + reason.strip() if reason.strip() else ''}"[:500])
        _assign_codes([appointment])
        appointment.save()
        _case_status_follows(case, v.CaseStatus.SCHEDULED, f"appointment {appointment.code} at {port.name} on "
                                                         f"{day.isoformat()}", actor)
        audit.record(actor=actor, action=AuditAction.APPOINTMENT_BOOKED, obj=appointment, reason=reason,
                     changes={"case": {"old": None, "new": case.reference}, "port": {"old": None, "new": port.code},
                              "day": {"old": None, "new": day.isoformat()}, "party_size": {"old": None, "new": size}})
        return appointment


def appointment_cancel(*, actor: User | None, appointment: Appointment, reason: str) -> Appointment:
    require_permission(user=actor, permission=Permission.APPOINTMENT_BOOK)
    if not reason.strip():
        raise ValidationFailedError({"reason": ["Say why the appointment is cancelled."]})
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.status != AppointmentStatus.BOOKED:
            raise AppointmentStateError(f"Appointment {locked.code} is {locked.status}.", field="status")
        _release(locked, AppointmentStatus.CANCELLED)
        _case_back_to_waiting(actor, locked.case, f"appointment {locked.code} cancelled: {reason.strip()}")
        audit.record(actor=actor, action=AuditAction.APPOINTMENT_CANCELLED, obj=locked, reason=reason,
                     changes={"status": {"old": "booked", "new": "cancelled"}})
        return locked


def appointment_reschedule(*, actor: User | None, appointment: Appointment, port: Place, day: dt.date,
                           reason: str) -> Appointment:
    """Move one appointment (e.g. after a closure); the new seats are taken before the old ones are freed."""
    require_permission(user=actor, permission=Permission.APPOINTMENT_BOOK)
    if not reason.strip():
        raise ValidationFailedError({"reason": ["Say why the appointment is rescheduled."]})
    if day < timezone.localdate():
        raise ValidationFailedError({"day": [f"{day.isoformat()} is in the past."]})
    with transaction.atomic():
        old = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if old.status != AppointmentStatus.BOOKED:
            raise AppointmentStateError(f"Appointment {old.code} is {old.status}.", field="status")
        row = port_day(port, day)
        _take_seats(row, old.party_size)
        _release(old, AppointmentStatus.RESCHEDULED)
        new = Appointment(
            case=old.case, port_day=row, party_size=old.party_size, via="reschedule", position=old.position,
            created_by=actor if actor and actor.pk else None,
            reason=f"rescheduled from {old.port_day.port.name} {old.port_day.day.isoformat()}: {reason.strip()}"[:500])
        _assign_codes([new])
        new.save()
        audit.record(actor=actor, action=AuditAction.APPOINTMENT_RESCHEDULED, obj=new, reason=reason,
                     changes={"from": {"old": None, "new": f"{old.code} {old.port_day.day.isoformat()}"},
                              "to": {"old": None, "new": f"{port.code} {day.isoformat()}"}})
        return new


def appointment_no_show(*, actor: User | None, appointment: Appointment, reason: str = "") -> Appointment:
    """The family did not come. No penalty: the case returns to the waiting list with its original place."""
    require_permission(user=actor, permission=Permission.APPOINTMENT_CHECK_IN)
    _require_port_scope(actor, appointment.port_day.port_id)
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.status != AppointmentStatus.BOOKED:
            raise AppointmentStateError(f"Appointment {locked.code} is {locked.status}.", field="status")
        locked.status = AppointmentStatus.NO_SHOW
        locked.version += 1
        locked.save(update_fields=["status", "version"])  # the day has passed: its seats are not given back
        _case_back_to_waiting(actor, locked.case, f"did not come to appointment {locked.code}; keeps its place")
        audit.record(actor=actor, action=AuditAction.APPOINTMENT_NO_SHOW, obj=locked, reason=reason,
                     changes={"status": {"old": "booked", "new": "no_show"}})
        return locked


def appointment_check_in(*, actor: User | None, appointment: Appointment, arrived_person_ids: list[int],
                         today: dt.date | None = None) -> Appointment:
    """Record who arrived; the case moves into custody, which opens the reception step."""
    require_permission(user=actor, permission=Permission.APPOINTMENT_CHECK_IN)
    _require_port_scope(actor, appointment.port_day.port_id)
    today = today or timezone.localdate()
    members = {p.pk for p in registry_services.case_members(appointment.case)}
    unknown = set(arrived_person_ids) - members
    if unknown or not arrived_person_ids:
        raise ValidationFailedError({"arrived": ["Tick at least one expected family member, and only them."]})
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().select_related("port_day").get(pk=appointment.pk)
        if locked.status != AppointmentStatus.BOOKED:
            raise AppointmentStateError(f"Appointment {locked.code} is {locked.status}.", field="status")
        if locked.port_day.day != today:
            raise AppointmentStateError(
                f"Appointment {locked.code} is for {locked.port_day.day.isoformat()}, not today ({today.isoformat()}).",
                field="day")
        locked.status = AppointmentStatus.CHECKED_IN
        locked.checked_in_at = timezone.now()
        locked.arrived_person_ids = sorted(arrived_person_ids)
        locked.version += 1
        locked.save(update_fields=["status", "checked_in_at", "arrived_person_ids", "version"])
        missing = len(members) - len(arrived_person_ids)
        _case_status_follows(locked.case, v.CaseStatus.IN_CUSTODY,
                           f"checked in at {locked.port_day.port.name} with appointment {locked.code}"
                           + (f"; {missing} expected member(s) did not arrive" if missing else ""), actor)
        # the reception step opens here: everyone who arrived enters custody at the port, and their clocks start
        reception_services.admit_from_check_in(
            actor=actor, case=locked.case,
            persons=list(Person.objects.filter(pk__in=arrived_person_ids).order_by("pk")),
            port=locked.port_day.port, appointment_code=locked.code, arrived_at=locked.checked_in_at)
        audit.record(actor=actor, action=AuditAction.APPOINTMENT_CHECKED_IN, obj=locked,
                     changes={"status": {"old": "booked", "new": "checked_in"},
                              "arrived": {"old": None, "new": len(arrived_person_ids)},
                              "expected": {"old": None, "new": len(members)}})
        return locked


def _require_port_scope(actor: User | None, port_id: int) -> None:
    """An officer whose role is limited to a site acts only at that port."""
    if actor is None:
        return
    from corredor.accounts.selectors import user_grants

    sites = {s.site_id for s in user_grants(user=actor).scopes}
    if None not in sites and port_id not in sites:
        raise PermissionDeniedError(Permission.APPOINTMENT_CHECK_IN, "Your role is limited to another port.")


def end_of_day_no_shows(*, actor: User | None, port: Place, day: dt.date) -> int:
    """Close a port-day: every appointment still booked becomes a no-show (each audited)."""
    require_permission(user=actor, permission=Permission.APPOINTMENT_CHECK_IN)
    _require_port_scope(actor, port.pk)
    count = 0
    for appointment in Appointment.objects.filter(port_day__port=port, port_day__day=day,
                                                  status=AppointmentStatus.BOOKED):
        appointment_no_show(actor=actor, appointment=appointment, reason="end of day")
        count += 1
    return count


# ---------------------------------------------------------------------------------------------------
# Policies and runs


def policy_active() -> AllocationPolicy:
    policy = AllocationPolicy.objects.filter(is_active=True).first()
    if policy is None:
        policy, _ = AllocationPolicy.objects.get_or_create(version="default-2026", defaults={"is_active": True})
    return policy


def policy_create(*, actor: User | None, version: str, expedite_share: float, lottery_share: float = 0.0,
                  backfill: bool = True, activate: bool = True) -> AllocationPolicy:
    require_permission(user=actor, permission=Permission.ALLOCATION_RUN)
    errors: dict[str, list[str]] = {}
    if not 0 <= expedite_share <= 0.5:
        errors["expedite_share"] = ["The expedite reserve must be between 0% and 50% of a day's capacity."]
    if not 0 <= lottery_share <= 0.5:
        errors["lottery_share"] = ["The lottery share must be between 0% and 50%."]
    if expedite_share + lottery_share > 0.8:
        errors["lottery_share"] = ["Reserve and lottery together must leave at least 20% for arrival order."]
    problem = text.free_text_problem(version, max_length=40, required=True)
    if problem:
        errors["version"] = [f"The version {problem}."]
    elif AllocationPolicy.objects.filter(version=version).exists():
        errors["version"] = [f"A policy version {version!r} exists; versions are never changed, make a new one."]
    if errors:
        raise ValidationFailedError(errors)
    with transaction.atomic():
        if activate:
            AllocationPolicy.objects.filter(is_active=True).update(is_active=False)
        policy = AllocationPolicy.objects.create(version=version, expedite_share=expedite_share,
                                                 lottery_share=lottery_share, backfill=backfill, is_active=activate,
                                                 created_by=actor if actor and actor.pk else None)
        audit.record(actor=actor, action=AuditAction.POLICY_CREATED, obj=policy,
                     changes=audit.diff({}, {"version": version, "expedite_share": expedite_share,
                                             "lottery_share": lottery_share, "backfill": backfill,
                                             "active": activate}))
        return policy


def policy_as_core(policy: AllocationPolicy) -> allocator.Policy:
    return allocator.Policy(version=policy.version, expedite_share=float(policy.expedite_share),
                            lottery_share=float(policy.lottery_share), backfill=policy.backfill)


def run_request(*, actor: User | None, start_day: dt.date, horizon_days: int, seed: int | None = None,
                enqueue: bool = True) -> AllocationRun:
    """Ask for a preview run; it is computed by a background job and reviewed before publication."""
    require_permission(user=actor, permission=Permission.ALLOCATION_RUN)
    errors = {}
    if start_day < timezone.localdate():
        errors["start_day"] = [f"{start_day.isoformat()} is in the past."]
    if not 1 <= horizon_days <= 366:
        errors["horizon_days"] = ["Plan between 1 and 366 days ahead."]
    if errors:
        raise ValidationFailedError(errors)
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    with transaction.atomic():
        run = AllocationRun.objects.create(policy=policy_active(), seed=seed, start_day=start_day,
                                           horizon_days=horizon_days, created_by=actor if actor and actor.pk else None)
        audit.record(actor=actor, action=AuditAction.RUN_REQUESTED, obj=run,
                     changes=audit.diff({}, {"policy": run.policy.version, "seed": seed, "start_day": start_day,
                                             "horizon_days": horizon_days}))
    if enqueue:
        from .tasks import allocation_run_execute

        transaction.on_commit(lambda: allocation_run_execute.enqueue(run.pk))
    return run


def _inputs(run: AllocationRun, today: dt.date) -> tuple[list[allocator.WaitingCase], list[allocator.PortDay],
                                                        list[allocator.ExistingAppointment], dict[int, Case]]:
    end = run.start_day + dt.timedelta(days=run.horizon_days - 1)
    ports = list(Place.objects.filter(kind=PlaceKind.PORT).order_by("code"))
    rows = {(r.port_id, r.day): r for r in PortDay.objects.filter(day__range=(run.start_day, end))}
    capacity = []
    for port in ports:
        day = run.start_day
        while day <= end:
            row = rows.get((port.pk, day))
            capacity.append(allocator.PortDay(port=port.code, day=day,
                                              capacity=row.capacity if row else (port.daily_capacity or 0)))
            day += dt.timedelta(days=1)
    existing = [allocator.ExistingAppointment(case_id=a.case_id, port=a.port_day.port.code, day=a.port_day.day,
                                              party_size=a.party_size)
                for a in Appointment.objects.filter(status=AppointmentStatus.BOOKED, port_day__day__range=(
                    run.start_day, end)).select_related("port_day__port")]
    cases: dict[int, Any] = {c.pk: c for c in Case.objects.filter(status=v.CaseStatus.WAITING)
                             .select_related("waiting_entry", "site").annotate(members=Count("family__memberships"))}
    rescheduled = set(Appointment.objects.filter(status=AppointmentStatus.RESCHEDULED, case_id__in=cases)
                      .values_list("case_id", flat=True))
    booked = set(Appointment.objects.filter(status=AppointmentStatus.BOOKED).values_list("case_id", flat=True))
    nearest = _nearest_ports(ports)
    waiting = []
    for case in cases.values():
        entry = getattr(case, "waiting_entry", None) or WaitingListEntry(case=case)  # never checked yet
        ready, why = readiness(entry, today=today)
        size = case.members if case.family_id else 1
        place = case.site.code if case.site_id and case.site else ""
        port_codes = tuple(entry.ports) or nearest.get(place, tuple(p.code for p in ports[:1]))
        waiting.append(allocator.WaitingCase(
            case_id=case.pk, party_size=max(size, 1), place_in_line=case.place_in_line_on or case.opened_on,
            tiebreak=entry.list_position or case.pk, ports=port_codes, expedite=case.expedite,
            expedite_reason=_expedite_words(case.expedite_reason) if case.expedite else "",
            ready=ready and case.pk not in booked,
            not_ready_reason=why if not ready else "", rescheduled=case.pk in rescheduled))
    return waiting, capacity, existing, cases


def _expedite_words(stored_reason: str) -> str:
    """The conditions from the case's stored expedite reason ("P-000012 expedited: pregnant; ...")."""
    parts = [p.split("expedited:", 1)[1].strip() for p in stored_reason.split(";") if "expedited:" in p]
    return "; ".join(dict.fromkeys(parts))


def _nearest_ports(ports: list[Place]) -> dict[str, tuple[str, ...]]:
    """Default preferences: the port paired with the waiting city, then the next nearest (by distance)."""
    from math import cos, radians, sqrt

    result = {}
    for city in Place.objects.filter(kind=PlaceKind.WAITING_CITY):
        def distance(port: Place, city: Place = city) -> float:
            dlat = float(port.latitude - city.latitude)
            dlon = float(port.longitude - city.longitude) * cos(radians(float(city.latitude)))
            return sqrt(dlat * dlat + dlon * dlon)

        ranked = sorted(ports, key=distance)
        result[city.code] = tuple(p.code for p in ranked[:2])
    return result


def run_execute(run_id: int, *, today: dt.date | None = None) -> AllocationRun:
    """Compute a preview: the pure allocator over the live waiting list, capacity and published appointments."""
    today = today or timezone.localdate()
    run = AllocationRun.objects.select_related("policy").get(pk=run_id)
    AllocationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=10)
    try:
        waiting, capacity, existing, cases = _inputs(run, today)
        AllocationRun.objects.filter(pk=run.pk).update(progress=40)
        result = allocator.allocate(waiting, capacity, existing, policy_as_core(run.policy), seed=run.seed)
        refs = {pk: c.reference for pk, c in cases.items()}
        payload = {
            "assignments": [{**_jsonable(asdict(a)), "case_reference": refs.get(a.case_id, "")}
                            for a in result.assignments],
            "unassigned": [{**_jsonable(asdict(u)), "case_reference": refs.get(u.case_id, "")}
                           for u in result.unassigned],
            "stats": _jsonable(result.stats),
            "inputs": {"waiting_cases": len(waiting), "existing_appointments": len(existing),
                       "port_days": len(capacity)},
        }
        AllocationRun.objects.filter(pk=run.pk).update(status=RunStatus.PREVIEWED, progress=100, result=payload)
    except Exception as exc:
        AllocationRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=str(exc)[:500])
        raise
    run.refresh_from_db()
    return run


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(x) for k, x in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(x) for x in value]
    return value


def run_publish(*, actor: User | None, run: AllocationRun) -> int:
    """Publish a previewed run: every appointment or none. Returns the number of appointments created."""
    require_permission(user=actor, permission=Permission.ALLOCATION_RUN)
    with transaction.atomic():
        locked = AllocationRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != RunStatus.PREVIEWED:
            raise AppointmentStateError(f"Run {locked.pk} is {locked.status}; only a previewed run is published.")
        assignments = locked.result.get("assignments", [])
        case_ids = [a["case_id"] for a in assignments]
        cases = {c.pk: c for c in Case.objects.filter(pk__in=case_ids).select_for_update()}
        stale = [a["case_reference"] for a in assignments
                 if cases.get(a["case_id"]) is None or cases[a["case_id"]].status != v.CaseStatus.WAITING]
        if stale or Appointment.objects.filter(case_id__in=case_ids, status=AppointmentStatus.BOOKED).exists():
            raise RunConflictError("The waiting list changed after this preview (e.g. " + ", ".join(stale[:3])
                                   + "); nothing was published. Preview again.")
        ports = {p.code: p for p in Place.objects.filter(kind=PlaceKind.PORT)}
        per_day: dict[tuple[str, str], int] = {}
        for a in assignments:
            per_day[(a["port"], a["day"])] = per_day.get((a["port"], a["day"]), 0) + a["party_size"]
        rows = {}
        for (port_code, day_iso), persons in sorted(per_day.items()):
            row = port_day(ports[port_code], dt.date.fromisoformat(day_iso))
            try:
                _take_seats(row, persons)
            except CapacityFullError as exc:
                raise RunConflictError(f"Capacity changed after this preview: {exc.message} Nothing was published; "
                                       "preview again.") from exc
            row.port = ports[port_code]  # already loaded: no query per port-day when codes and events are written
            rows[(port_code, day_iso)] = row
        now = timezone.now()
        appointments = []
        for a in assignments:
            appointments.append(Appointment(
                case=cases[a["case_id"]], port_day=rows[(a["port"], a["day"])], party_size=a["party_size"],
                run=locked, via=a["via"], position=a["position"],
                reason=a["reason"][:500], reason_parts=a["reason_parts"], created_at=now,
                created_by=actor if actor and actor.pk else None))
        _assign_codes(appointments)
        Appointment.objects.bulk_create(appointments, batch_size=2000)
        # Case status and timelines in bulk: the same facts a single booking writes, without 40,000 round trips.
        Case.objects.filter(pk__in=case_ids).update(status=v.CaseStatus.SCHEDULED, version=F("version") + 1,
                                                    updated_at=now)
        label = actor.get_username() if actor else "system"
        CaseEvent.objects.bulk_create([CaseEvent(
            case_id=ap.case_id, kind=CaseEventKind.STATUS_CHANGED, actor=actor if actor and actor.pk else None,
            actor_label=label, occurred_at=now,
            summary=f"Appointment {ap.code} at {ap.port_day.port.name} on {ap.port_day.day.isoformat()} "
                    f"(run {locked.pk}): {ap.reason}"[:500],
            data={"from": "waiting", "to": "scheduled", "reason": f"run {locked.pk}"}) for ap in appointments],
            batch_size=2000)
        locked.status = RunStatus.PUBLISHED
        locked.published_at = now
        locked.published_by = actor if actor and actor.pk else None
        locked.save(update_fields=["status", "published_at", "published_by"])
        audit.record(actor=actor, action=AuditAction.RUN_PUBLISHED, obj=locked,
                     changes={"appointments": {"old": None, "new": len(appointments)},
                              "persons": {"old": None, "new": sum(a.party_size for a in appointments)},
                              "policy": {"old": None, "new": locked.policy.version},
                              "seed": {"old": None, "new": locked.seed}})
        audit.record_many(actor=actor, action=AuditAction.APPOINTMENT_BOOKED, objects=appointments,
                          changes=lambda ap: {"case": {"old": None, "new": ap.case.reference},
                                              "port": {"old": None, "new": ap.port_day.port.code},
                                              "day": {"old": None, "new": ap.port_day.day.isoformat()},
                                              "party_size": {"old": None, "new": ap.party_size},
                                              "run": {"old": None, "new": locked.pk}})
        return len(appointments)


def run_discard(*, actor: User | None, run: AllocationRun) -> AllocationRun:
    require_permission(user=actor, permission=Permission.ALLOCATION_RUN)
    with transaction.atomic():
        locked = AllocationRun.objects.select_for_update().get(pk=run.pk)
        if locked.status in (RunStatus.PUBLISHED, RunStatus.DISCARDED):
            raise AppointmentStateError(f"Run {locked.pk} is {locked.status}.")
        locked.status = RunStatus.DISCARDED
        locked.save(update_fields=["status"])
        audit.record(actor=actor, action=AuditAction.RUN_DISCARDED, obj=locked,
                     changes={"status": {"old": "previewed", "new": "discarded"}})
        return locked
