"""The live platform's daily figures, in the simulator's series shape (see corredor.core.simulation.results),
so crisis thresholds read the real capacity calendars, beds, occupancy and observed custody the same way they
read a simulated future. Aggregates only: no person is named here."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import numpy as np
from django.db.models import Sum
from django.utils import timezone

from corredor.appointments.models import PortDay
from corredor.core.custody.populations import UNACCOMPANIED, Population
from corredor.reception.models import Custody, FacilityCapacity, Stay
from corredor.reception.rules import active_rules
from corredor.reference.models import Place, PlaceKind

# The reception populations as the simulator groups them (single adults whose sex is not recorded are
# counted with the men: the larger pool of beds, so the share is not understated).
SIM_GROUP = {
    Population.SINGLE_MEN.value: "single_adult_men", Population.SINGLE_ADULTS_OTHER.value: "single_adult_men",
    Population.SINGLE_WOMEN.value: "single_adult_women", Population.FAMILIES.value: "family_units",
    **{p.value: "unaccompanied_children" for p in UNACCOMPANIED},
}
GROUPS = ("single_adult_men", "single_adult_women", "family_units", "unaccompanied_children")


def _day_index(instant: dt.datetime, first: dt.date) -> int:
    return (timezone.localtime(instant).date() - first).days


def _limit_hours(population: str) -> float:
    """The tightest clock limit for a population (the custody limit the simulator uses)."""
    limits = [r.limit_hours for r in active_rules() if r.applies(population)]
    return min(limits) if limits else 72.0


def live_series(*, days: int = 56, today: dt.date | None = None) -> tuple[dt.date, dict[str, list[float]]]:
    """Daily figures for the `days` days up to and including today: (date of day 0, series)."""
    today = today or timezone.localdate()
    first = today - dt.timedelta(days=days - 1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time(0)))
    series: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(days))
    # arrivals into custody, by population group and by port
    journeys = list(Custody.objects.filter(started_at__gte=start - dt.timedelta(hours=200))
                    .values_list("started_at", "ended_at", "population"))
    for started, ended, population in journeys:
        group = SIM_GROUP.get(population, "single_adult_men")
        i = _day_index(started, first)
        if 0 <= i < days:
            series["arrivals"][i] += 1
            series[f"custody_starts.{group}"][i] += 1
        limit = dt.timedelta(hours=_limit_hours(population))
        due = _day_index(started + limit, first)
        if 0 <= due < days and started + limit <= timezone.now():
            series[f"due.{group}"][due] += 1
            if ended is None or ended - started > limit:
                series[f"breaches.{group}"][due] += 1
    # end-of-day census in reception custody, against beds
    ends = [timezone.make_aware(dt.datetime.combine(first + dt.timedelta(days=i + 1), dt.time(0))) for i in range(days)]
    for arrived, departed, population in (Stay.objects.filter(arrived_at__lt=ends[-1])
                                          .exclude(departed_at__lt=start)
                                          .exclude(facility__kind__in=["orr_shelter", "ngo_shelter"])
                                          .values_list("arrived_at", "departed_at", "custody__population")):
        group = SIM_GROUP.get(population, "single_adult_men")
        for i, end in enumerate(ends):
            if arrived < end and (departed is None or departed >= end):
                series[f"occupancy.{group}"][i] += 1
    beds = Counter[str]()
    for population, n in (FacilityCapacity.objects.exclude(facility__kind__in=["orr_shelter", "ngo_shelter"])
                          .values_list("population").annotate(total=Sum("beds"))):
        beds[SIM_GROUP.get(population, "single_adult_men")] += n or 0
    for group in GROUPS:
        series[f"beds.{group}"] = np.full(days, float(beds[group]))
    # port processing capacity from the capacity calendars (the reference default where a day is not set)
    defaults = dict(Place.objects.filter(kind=PlaceKind.PORT).values_list("pk", "daily_capacity"))
    set_days: dict[tuple[int, dt.date], int] = {
        (port, day): cap for port, day, cap in PortDay.objects.filter(day__gte=first, day__lte=today)
        .values_list("port_id", "day", "capacity")}
    for i in range(days):
        day = first + dt.timedelta(days=i)
        series["processing_capacity"][i] = sum(set_days.get((port, day), default or 0)
                                               for port, default in defaults.items())
    return first, {k: [float(x) for x in v] for k, v in series.items()}


def flow_breakdown(*, weeks: int = 8, today: dt.date | None = None) -> dict[str, Any]:
    """Arrivals into custody by week, and over the period by nationality, population group and port."""
    today = today or timezone.localdate()
    first = today - dt.timedelta(days=7 * weeks - 1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time(0)))
    by_week = [0] * weeks
    nationality: Counter[str] = Counter()
    group: Counter[str] = Counter()
    port: Counter[str] = Counter()
    rows = (Custody.objects.filter(started_at__gte=start)
            .values_list("pk", "started_at", "population", "person__nationality_id"))
    first_stay: dict[int, str] = {}
    for custody_id, name in (Stay.objects.filter(custody__started_at__gte=start)
                             .order_by("custody_id", "arrived_at", "id").values_list("custody_id", "facility__name")):
        first_stay.setdefault(custody_id, name)
    for pk, started, population, nat in rows:
        w = _day_index(started, first) // 7
        if 0 <= w < weeks:
            by_week[w] += 1
        nationality[nat or "?"] += 1
        group[SIM_GROUP.get(population, "single_adult_men")] += 1
        port[first_stay.get(pk, "?")] += 1
    return {"first": first, "by_week": by_week, "nationality": nationality.most_common(10),
            "group": [(g, group[g]) for g in GROUPS], "port": port.most_common(10)}
