"""Reads of orderly processing, always scoped: planners see figures, port officers see their port's day."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from corredor.accounts.selectors import require_permission, user_grants
from corredor.core.registry import vocab as v
from corredor.platform.authz import Permission
from corredor.platform.errors import NotFoundError
from corredor.reference.models import Place, PlaceKind
from corredor.registry.models import Case, Person
from corredor.registry.selectors import case_list_visible_to

from .models import AllocationRun, Appointment, AppointmentStatus, PortDay, WaitingListEntry
from .services import readiness

if TYPE_CHECKING:
    from corredor.accounts.models import User


def appointment_list_visible_to(*, user: User) -> QuerySet[Appointment]:
    """Appointments of cases the user sees, plus, for port officers, every appointment at their own port."""
    require_permission(user=user, permission=Permission.APPOINTMENT_VIEW)
    qs = Appointment.objects.select_related("port_day__port", "case")
    q = Q(case__in=case_list_visible_to(user=user).values("pk"))
    sites = [s.site_id for s in user_grants(user=user).scopes if s.site_id]
    if sites and Permission.APPOINTMENT_CHECK_IN in user_grants(user=user).permissions:
        q |= Q(port_day__port_id__in=sites)
    return qs.filter(q)


def appointment_get_visible_to(*, user: User, code: str) -> Appointment:
    from corredor.core.scheduling import tokens

    canonical = tokens.normalise_code(code)
    appointment = appointment_list_visible_to(user=user).filter(code=canonical).first() if canonical else None
    if appointment is None:
        raise NotFoundError("No appointment with that code that you may see.", field="code")
    return appointment


@dataclass(frozen=True)
class PublicStatus:
    code: str
    status: str
    day: dt.date
    port_name: str
    port_code: str
    party_size: int
    time_zone: str


def public_status(code: str) -> PublicStatus:
    """What anyone holding the code may know: when, where, how many. No name, no case details."""
    from corredor.core.scheduling import tokens

    canonical = tokens.normalise_code(code)
    appointment = (Appointment.objects.select_related("port_day__port").filter(code=canonical)
                   .exclude(status=AppointmentStatus.RESCHEDULED).first()) if canonical else None
    if appointment is None:
        raise NotFoundError("No appointment with that code. Check each character.", field="code")
    port = appointment.port_day.port
    return PublicStatus(appointment.code, appointment.status, appointment.port_day.day, port.name, port.code,
                        appointment.party_size, port.time_zone)


# ---------------------------------------------------------------------------------------------------
# Planning views


@dataclass(frozen=True)
class QueueSummary:
    waiting_cases: int
    waiting_persons: int
    ready_persons: int
    by_readiness: list[tuple[str, int]]
    by_port: list[tuple[str, int]]
    by_expedite: list[tuple[str, int]]
    by_nationality: list[tuple[str, int]]
    by_family_size: list[tuple[str, int]]
    daily_capacity: int
    clears_on: dt.date | None
    clears_on_with_change: dt.date | None
    capacity_change: int


def _suppress(counter: Counter[str]) -> list[tuple[str, int]]:
    """Planners see counts; a cell under the small-cell threshold is folded into "other" (no singling out)."""
    threshold = settings.SMALL_CELL_THRESHOLD
    kept = [(k, n) for k, n in counter.most_common() if n >= threshold]
    other = sum(n for _k, n in counter.items() if n < threshold)
    return kept + ([("other (< 5 each)", other)] if other else [])


def queue_summary(*, user: User, capacity_change: int = 0, today: dt.date | None = None) -> QueueSummary:
    """How many wait, by readiness, port, expedite, nationality and family size, and when the backlog clears."""
    require_permission(user=user, permission=Permission.APPOINTMENT_VIEW)
    today = today or timezone.localdate()
    cases = list(Case.objects.filter(status=v.CaseStatus.WAITING)
                 .select_related("person", "family__contact_member", "site").prefetch_related("family__memberships"))
    entries = {e.case_id: e for e in WaitingListEntry.objects.filter(case__in=cases)}
    port_names = dict(Place.objects.filter(kind=PlaceKind.PORT).values_list("code", "name"))
    readiness_counts: Counter[str] = Counter()
    ports: Counter[str] = Counter()
    expedite: Counter[str] = Counter()
    nationality: Counter[str] = Counter()
    sizes: Counter[str] = Counter()
    persons = ready_persons = 0
    for case in cases:
        size = case.family.memberships.count() if case.family is not None else 1
        persons += size
        entry = entries.get(case.pk) or WaitingListEntry(case=case)
        ready, why = readiness(entry, today=today)
        readiness_counts["ready" if ready else (why.split(";")[0] or "not ready")] += size
        ready_persons += size if ready else 0
        ports[port_names.get((entry.ports or [""])[0], "nearest port")] += size
        expedite["expedited" if case.expedite else "in arrival order"] += size
        principal = case.person if case.person_id else (case.family.contact_member if case.family is not None
                                                         else None)
        nationality[(principal.nationality_id if principal else None) or "unknown"] += size
        sizes[str(size) if size < 6 else "6+"] += 1
    # "current capacity": the calendar as set for the next two weeks (closures and cuts included)
    calendar = utilisation(user=user, start=today, days=14)
    daily = round(sum(c["capacity"] for row in calendar for c in row["cells"]) / 14)
    booked_ahead = Appointment.objects.filter(status=AppointmentStatus.BOOKED, port_day__day__gte=today).aggregate(
        n=Sum("party_size"))["n"] or 0

    def clears(capacity: int) -> dt.date | None:
        if capacity <= 0:
            return None
        return today + dt.timedelta(days=-(-(persons + booked_ahead) // capacity))

    return QueueSummary(
        waiting_cases=len(cases), waiting_persons=persons, ready_persons=ready_persons,
        by_readiness=_suppress(readiness_counts), by_port=_suppress(ports), by_expedite=_suppress(expedite),
        by_nationality=_suppress(nationality), by_family_size=sorted(sizes.items()),
        daily_capacity=daily, clears_on=clears(daily), clears_on_with_change=clears(daily + capacity_change),
        capacity_change=capacity_change)


def utilisation(*, user: User, start: dt.date, days: int) -> list[dict[str, Any]]:
    """Per port and day: capacity and seats booked (rows not yet created use the port's default)."""
    require_permission(user=user, permission=Permission.APPOINTMENT_VIEW)
    end = start + dt.timedelta(days=days - 1)
    rows = {(r.port_id, r.day): r for r in PortDay.objects.filter(day__range=(start, end))}
    table = []
    for port in Place.objects.filter(kind=PlaceKind.PORT).order_by("name"):
        cells = []
        for i in range(days):
            day = start + dt.timedelta(days=i)
            row = rows.get((port.pk, day))
            capacity = row.capacity if row else (port.daily_capacity or 0)
            booked = row.booked if row else 0
            cells.append({"day": day, "capacity": capacity, "booked": booked,
                          "closed": bool(row and row.capacity == 0), "reason": row.closed_reason if row else ""})
        table.append({"port": port, "cells": cells})
    return table


def run_get_visible_to(*, user: User, run_id: int) -> AllocationRun:
    require_permission(user=user, permission=Permission.ALLOCATION_RUN)
    run = AllocationRun.objects.select_related("policy").filter(pk=run_id).first()
    if run is None:
        raise NotFoundError(f"No run {run_id}.", field="run")
    return run


def fairness_report(*, run: AllocationRun) -> dict[str, Any]:
    """Waiting days (appointment day minus place-in-line date) by group; expedite share; out-of-order; unassigned."""
    assignments = run.result.get("assignments", [])
    if not assignments:
        return {"groups": {}, "unassigned": run.result.get("unassigned", []), "stats": run.result.get("stats", {})}
    case_ids = [a["case_id"] for a in assignments]
    cases = {c.pk: c for c in Case.objects.filter(pk__in=case_ids).select_related("person", "family__contact_member")}
    principal_ids = {pk: (c.person_id or (c.family.contact_member_id if c.family is not None else None))
                     for pk, c in cases.items()}
    people = {p.pk: p for p in Person.objects.filter(pk__in=[x for x in principal_ids.values() if x])}
    groups: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for a in assignments:
        case = cases.get(a["case_id"])
        if case is None:
            continue
        waited = (dt.date.fromisoformat(a["day"]) - (case.place_in_line_on or case.opened_on)).days
        person = people.get(principal_ids.get(case.pk) or 0)
        groups["expedite"]["expedited" if case.expedite else "arrival order"].append(waited)
        groups["family size"][str(a["party_size"]) if a["party_size"] < 6 else "6+"].append(waited)
        groups["nationality"][(person.nationality_id if person else None) or "unknown"].append(waited)
        groups["language"][((person.languages or ["unknown"])[0]) if person else "unknown"].append(waited)
    threshold = settings.SMALL_CELL_THRESHOLD
    summary: dict[str, list[dict[str, Any]]] = {}
    for name, by_key in groups.items():
        rows = []
        for key, waits in sorted(by_key.items()):
            if len(waits) < threshold:
                continue  # small groups are not shown: a median of three people identifies them
            ordered = sorted(waits)
            rows.append({"key": key, "cases": len(waits), "median": statistics.median(ordered),
                         "p90": ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], "max": ordered[-1]})
        summary[name] = rows
    persons = sum(a["party_size"] for a in assignments)
    expedite_persons = sum(a["party_size"] for a in assignments if a.get("via") == "expedite_reserve")
    unassigned = Counter(u["code"] for u in run.result.get("unassigned", []))
    return {"groups": summary, "persons": persons, "expedite_persons": expedite_persons,
            "expedite_share_pct": round(100 * expedite_persons / persons, 1) if persons else 0.0,
            "out_of_order": sum(1 for a in assignments if a.get("out_of_order")),
            "unassigned": sorted(unassigned.items()), "stats": run.result.get("stats", {})}


def fairness_over_time(*, user: User, limit: int = 10) -> list[dict[str, Any]]:
    """The published runs, newest first, with the figures that show whether the line stays fair over time."""
    require_permission(user=user, permission=Permission.ALLOCATION_RUN)
    rows = []
    for run in AllocationRun.objects.filter(status="published").select_related("policy").order_by("-published_at")[
            :limit]:
        report = fairness_report(run=run)
        by_expedite = {r["key"]: r["median"] for r in report["groups"].get("expedite", [])}
        rows.append({"run": run, "persons": report.get("persons", 0),
                     "median_arrival": by_expedite.get("arrival order"),
                     "median_expedited": by_expedite.get("expedited"),
                     "expedite_share_pct": report.get("expedite_share_pct", 0.0),
                     "out_of_order": report.get("out_of_order", 0),
                     "unassigned": sum(n for _code, n in report.get("unassigned", []))})
    return rows
