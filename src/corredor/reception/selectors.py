"""Every read of reception and custody, scoped.

A user sees a facility when their organisation runs it or works inside it as a partner (at their site only
when their role is limited to a site); auditors see every facility. People in custody are visible at the
facility where they are (or are travelling to). ORR staff see only the children referred to their
organisation, and those in their organisation's shelters.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from corredor.accounts.models import User
from corredor.accounts.selectors import require_permission, user_grants, user_has_permission
from corredor.core.custody import clocks as core_clocks
from corredor.core.custody.populations import UNACCOMPANIED, Population
from corredor.core.custody.rules import ClockRule
from corredor.platform.authz import Permission
from corredor.platform.errors import NotFoundError

from .models import (
    POPULATION_LABELS,
    Alert,
    Breach,
    Custody,
    DeclineReason,
    Facility,
    FacilityCapacity,
    OrrReferral,
    ReferralStatus,
    SponsorStatus,
    Stay,
)
from .rules import active_rules

SMALL_CELL_THRESHOLD = 5


def _facility_scope_q(user: User) -> Q | None:
    """None: every facility."""
    if user_has_permission(user=user, permission=Permission.CASE_VIEW_ANY_ORGANISATION):
        return None
    q = Q(pk__in=[])
    for scope in user_grants(user=user).scopes:
        mine = Q(organisation_id=scope.organisation_id) | Q(partners__id=scope.organisation_id)
        if scope.site_id is not None:
            mine &= Q(place_id=scope.site_id)
        q |= mine
    return q


def facilities_visible_to(*, user: User) -> QuerySet[Facility]:
    if not (user_has_permission(user=user, permission=Permission.CUSTODY_VIEW)
            or user_has_permission(user=user, permission=Permission.OCCUPANCY_VIEW)
            or user_has_permission(user=user, permission=Permission.FACILITY_BEDS_REPORT)):
        require_permission(user=user, permission=Permission.CUSTODY_VIEW)
    qs = Facility.objects.filter(is_active=True).select_related("organisation", "place")
    if user_has_permission(user=user, permission=Permission.OCCUPANCY_VIEW):
        return qs  # occupancy is an aggregate: planners see every facility's counts, never who is there
    scope = _facility_scope_q(user)
    return qs if scope is None else qs.filter(scope).distinct()


def can_see_people_at(*, user: User, facility: Facility) -> bool:
    """Whether the user may see who is held at the facility (not only how many)."""
    if not user_has_permission(user=user, permission=Permission.CUSTODY_VIEW):
        return False
    scope = _facility_scope_q(user)
    return scope is None or Facility.objects.filter(scope, pk=facility.pk).exists()


def facility_get_visible_to(*, user: User, code: str) -> Facility:
    facility = facilities_visible_to(user=user).filter(code=code).first()
    if facility is None:
        raise NotFoundError(f"No facility {code[:40]!r} that you can see.")
    return facility


def _board_facility(user: User, code: str) -> Facility:
    require_permission(user=user, permission=Permission.CUSTODY_VIEW)
    scope = _facility_scope_q(user)
    qs = Facility.objects.filter(code=code, is_active=True)
    facility = (qs if scope is None else qs.filter(scope)).distinct().first()
    if facility is None:
        raise NotFoundError(f"No facility {code[:40]!r} whose people you can see.")
    return facility


def custody_list_visible_to(*, user: User) -> QuerySet[Custody]:
    require_permission(user=user, permission=Permission.CUSTODY_VIEW)
    qs = Custody.objects.select_related("person", "case", "current_facility")
    scope = _facility_scope_q(user)
    if scope is None:
        return qs
    org_ids = {s.organisation_id for s in user_grants(user=user).scopes}
    facilities = Facility.objects.filter(scope)
    return qs.filter(Q(current_facility__in=facilities) | Q(referrals__referred_to_id__in=org_ids)).distinct()


def custody_get_visible_to(*, user: User, custody_id: int) -> Custody:
    custody = custody_list_visible_to(user=user).filter(pk=custody_id).first()
    if custody is None:
        raise NotFoundError(f"No custody record {custody_id} that you can see.")
    return custody


# --- the board ----------------------------------------------------------------------------------------


@dataclass
class BoardRow:
    """One person on the board, as plain values (no model instances: a board holds thousands)."""

    custody_id: int
    person_id: int
    person_name: str
    case_reference: str
    population: str
    started_at: dt.datetime
    in_transit: bool
    isolation_until: dt.datetime | None
    sponsor_status: str
    version: int
    clocks: list[core_clocks.Clock]
    blockers: list[str] = field(default_factory=list)
    breach_needs_reason: list[ClockRule] = field(default_factory=list)
    arrived_here: dt.datetime | None = None

    @property
    def tightest(self) -> core_clocks.Clock | None:
        return self.clocks[0] if self.clocks else None

    @property
    def level(self) -> int:
        return max((int(c.level) for c in self.clocks if c.running or c.breached), default=0)


def _stays(custody: Custody) -> list[core_clocks.Stay]:
    return [core_clocks.Stay(s.facility.kind, s.arrived_at, s.departed_at) for s in custody.stays.all()]


def clocks_for(custody: Custody, *, now: dt.datetime, rules: tuple[ClockRule, ...] | None = None
               ) -> list[core_clocks.Clock]:
    """Every clock of a custody journey (stays must be prefetched with their facility for a list)."""
    return core_clocks.clocks(rules or active_rules(), population=custody.population, started_at=custody.started_at,
                              stays=_stays(custody), ended_at=custody.ended_at, now=now)


def stays_by_custody(custodies: QuerySet[Custody]) -> dict[int, list[core_clocks.Stay]]:
    """The stays of these custody journeys, in order, as the clock core reads them (one query)."""
    kinds = dict(Facility.objects.values_list("pk", "kind"))
    stays: dict[int, list[core_clocks.Stay]] = defaultdict(list)
    for custody_id, facility_id, arrived, departed in (Stay.objects.filter(custody__in=custodies)
                                                       .order_by("custody_id", "arrived_at", "id")
                                                       .values_list("custody_id", "facility_id", "arrived_at",
                                                                    "departed_at")):
        stays[custody_id].append(core_clocks.Stay(kinds[facility_id], arrived, departed))
    return stays


@dataclass(frozen=True)
class BoardPage:
    facility: Facility
    rows: list[BoardRow]  # the tightest `limit` people (everyone when no limit)
    total: int
    levels: Counter[int]  # worst running-or-breached clock level per person, over everyone


def board(*, user: User, facility_code: str, now: dt.datetime | None = None) -> tuple[Facility, list[BoardRow]]:
    """Everyone in custody at (or travelling to) a facility, tightest clock first, with what blocks them."""
    page = board_page(user=user, facility_code=facility_code, now=now, limit=None)
    return page.facility, page.rows


def board_page(*, user: User, facility_code: str, now: dt.datetime | None = None, limit: int | None = 200
               ) -> BoardPage:
    """The board: everyone's clocks computed and sorted (tightest first), rows built for the first `limit`.

    Built from a handful of column queries (no model instance per person) and the clocks computed as arrays,
    so a facility holding thousands stays quick (benchmarks/custody_board.py)."""
    facility = _board_facility(user, facility_code)
    now = now or timezone.now()
    rules = active_rules()
    open_here = Custody.objects.filter(current_facility=facility, ended_at__isnull=True)
    rows = list(open_here.values_list(
        "pk", "person_id", "person__given_names", "person__first_surname", "person__second_surname",
        "case__reference", "population", "started_at", "in_transit", "isolation_until", "sponsor_status", "version"))
    stays = stays_by_custody(open_here)
    journeys = [core_clocks.Journey(r[6], r[7], stays.get(r[0], [])) for r in rows]
    table = core_clocks.ClockTable(rules, journeys, now)
    started = np.array([r[7].timestamp() for r in rows]) if rows else np.zeros(0)
    order = np.lexsort((started, table.tightest)).tolist()  # tightest running clock first, then longest held
    levels: Counter[int] = Counter(table.worst.tolist())
    chosen = order if limit is None else order[:limit]
    chosen_ids = [rows[i][0] for i in chosen]
    latest: dict[int, tuple[str, str]] = {}
    for custody_id, status, reason in (OrrReferral.objects.filter(custody_id__in=chosen_ids)
                                       .order_by("custody_id", "requested_at", "id")
                                       .values_list("custody_id", "status", "decline_reason")):
        latest[custody_id] = (status, reason)
    recorded: dict[int, set[str]] = defaultdict(set)
    for custody_id, rule_id in Breach.objects.filter(custody_id__in=chosen_ids).values_list("custody_id", "rule_id"):
        recorded[custody_id].add(rule_id)
    texts = _blocker_texts()
    result: list[BoardRow] = []
    for i in chosen:
        pk, person_id, given, first, second, reference, population, started, transit, isolation, sponsor, version = \
            rows[i]
        clocks = table.clocks(i)
        here = stays.get(pk, [])
        row = BoardRow(pk, person_id, " ".join(x for x in (given, first, second) if x), reference, population,
                       started, transit, isolation, sponsor, version, clocks,
                       arrived_here=here[-1].arrived_at if here and not transit else None)
        row.blockers = blockers_for(population=population, facility=facility, latest_referral=latest.get(pk),
                                    isolation_until=isolation, sponsor_status=sponsor, in_transit=transit, now=now,
                                    texts=texts)
        row.breach_needs_reason = [c.rule for c in clocks if c.breached and c.rule.id not in recorded[pk]]
        result.append(row)
    return BoardPage(facility, result, len(rows), levels)


def _blocker_texts() -> dict[str, str]:
    """The blocker phrases in the reader's language, translated once per board rather than once per person."""
    from django.utils.translation import gettext as _

    return {"pending": _("ORR placement pending"), "accepted": _("ORR placement accepted, transport pending"),
            "declined": _("ORR did not accept (%(reason)s): request again"),
            "not_requested": _("ORR placement not yet requested"), "isolation": _("In isolation until %(time)s"),
            "not_found": _("Sponsor not found"), "searching": _("Looking for a sponsor"), "transit": _("In transit")}


def blockers_for(*, population: str, facility: Facility | None, latest_referral: tuple[str, str] | None,
                 isolation_until: dt.datetime | None, sponsor_status: str, in_transit: bool,
                 now: dt.datetime, texts: dict[str, str] | None = None) -> list[str]:
    """What keeps a person in custody, in the reader's language."""
    t = texts or _blocker_texts()
    found: list[str] = []
    status = latest_referral[0] if latest_referral else None
    held_federally = facility is not None and facility.is_federal
    if status == ReferralStatus.REQUESTED:
        found.append(t["pending"])
    elif status == ReferralStatus.ACCEPTED:
        found.append(t["accepted"])
    elif population in UNACCOMPANIED and held_federally:
        if status == ReferralStatus.NOT_ACCEPTED and latest_referral:
            found.append(t["declined"] % {
                "reason": DeclineReason(latest_referral[1]).label if latest_referral[1] else "-"})
        else:
            found.append(t["not_requested"])
    if isolation_until and isolation_until > now:
        local = core_clocks.local_time(isolation_until, facility.time_zone if facility else "UTC")
        found.append(t["isolation"] % {"time": local.strftime("%d/%m %H:%M")})
    if sponsor_status == SponsorStatus.NOT_FOUND:
        found.append(t["not_found"])
    elif sponsor_status == SponsorStatus.SEARCHING:
        found.append(t["searching"])
    if in_transit:
        found.append(t["transit"])
    return found


def _blockers(custody: Custody, now: dt.datetime) -> list[str]:
    latest = custody.referrals.order_by("-requested_at", "-id").values_list("status", "decline_reason").first()
    return blockers_for(population=custody.population, facility=custody.current_facility,
                        latest_referral=latest, isolation_until=custody.isolation_until,
                        sponsor_status=custody.sponsor_status, in_transit=custody.in_transit, now=now)


# --- occupancy ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OccupancyRow:
    population: str
    label: str
    occupied: int | None  # None: hidden (small cell) for a reader who may only see aggregates
    beds: int
    available_reported: int | None

    @property
    def pct(self) -> float:
        return round(100 * (self.occupied or 0) / self.beds, 1) if self.beds else 0.0


def _suppress(exact: bool, n: int) -> int | None:
    """Counts under the small-cell threshold are hidden from readers who may not see the people themselves."""
    return n if exact or n == 0 or n >= SMALL_CELL_THRESHOLD else None


def occupancy_now(*, user: User, facility: Facility) -> tuple[list[OccupancyRow], dict[str, int | None]]:
    """Persons present by population against beds; isolation in use against isolation capacity."""
    exact = can_see_people_at(user=user, facility=facility)
    present = Counter(Custody.objects.filter(current_facility=facility, ended_at__isnull=True, in_transit=False)
                      .values_list("population", flat=True))
    capacity = {c.population: c for c in FacilityCapacity.objects.filter(facility=facility)}
    rows = []
    for population in Population:
        cap = capacity.get(population.value)
        if cap is None and not present.get(population.value):
            continue
        rows.append(OccupancyRow(population.value, str(POPULATION_LABELS[population]),
                                 _suppress(exact, present.get(population.value, 0)),
                                 cap.beds if cap else 0, cap.available_reported if cap else None))
    isolated = Custody.objects.filter(current_facility=facility, ended_at__isnull=True,
                                      isolation_until__gt=timezone.now()).count()
    return rows, {"isolated": _suppress(exact, isolated), "isolation_capacity": facility.isolation_capacity}


@dataclass(frozen=True)
class OccupancySeries:
    days: list[dt.date]
    by_population: dict[str, list[int]]
    total: list[int]
    beds: int


def occupancy_over_time(*, user: User, facility: Facility, start: dt.date, days: int) -> OccupancySeries:
    """Persons present at the end of each local day (the midnight count), from the stays on record."""
    if not (user_has_permission(user=user, permission=Permission.OCCUPANCY_VIEW)
            or user_has_permission(user=user, permission=Permission.CUSTODY_VIEW)):
        require_permission(user=user, permission=Permission.OCCUPANCY_VIEW)
    zone = ZoneInfo(facility.time_zone)
    day_list = [start + dt.timedelta(days=i) for i in range(days)]
    ends = [dt.datetime.combine(d + dt.timedelta(days=1), dt.time(0), tzinfo=zone) for d in day_list]
    first, last = ends[0] - dt.timedelta(days=1), ends[-1]
    stays = (Stay.objects.filter(facility=facility, arrived_at__lt=last)
             .filter(Q(departed_at__isnull=True) | Q(departed_at__gte=first))
             .values_list("arrived_at", "departed_at", "custody__population"))
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * days)
    for arrived, departed, population in stays:
        for i, end in enumerate(ends):
            if arrived < end and (departed is None or departed >= end):
                counts[population][i] += 1
    total = [sum(series[i] for series in counts.values()) for i in range(days)]
    beds = sum(FacilityCapacity.objects.filter(facility=facility).values_list("beds", flat=True))
    if not can_see_people_at(user=user, facility=facility):
        counts = defaultdict(lambda: [0] * days, {
            p: [n if n == 0 or n >= SMALL_CELL_THRESHOLD else 0 for n in series] for p, series in counts.items()})
        total = [n if n == 0 or n >= SMALL_CELL_THRESHOLD else 0 for n in total]
    return OccupancySeries(day_list, dict(counts), total, beds)


def breach_total(*, facility: Facility) -> int:
    """How many breaches were recorded at a facility (for a board whose reader was already checked)."""
    return Breach.objects.filter(facility=facility).count()


def breach_counts(*, user: User, facility: Facility | None = None) -> list[tuple[str, str, int]]:
    """Recorded breaches by rule and reason (what planners and the public accountability report count)."""
    if not user_has_permission(user=user, permission=Permission.OCCUPANCY_VIEW):
        require_permission(user=user, permission=Permission.CUSTODY_VIEW)
    qs = Breach.objects.all()
    if facility is not None:
        qs = qs.filter(facility=facility)
    counted = qs.values_list("rule_id", "reason_code").annotate(n=Count("id")).order_by()
    return sorted(((rule, reason, n) for rule, reason, n in counted), key=lambda r: (-r[2], r[0]))


# --- ORR and alerts -----------------------------------------------------------------------------------


def referrals_visible_to(*, user: User) -> QuerySet[OrrReferral]:
    """ORR staff see only the children referred to their organisation."""
    require_permission(user=user, permission=Permission.ORR_PLACEMENT_DECIDE)
    org_ids = {s.organisation_id for s in user_grants(user=user).scopes}
    return (OrrReferral.objects.filter(referred_to_id__in=org_ids)
            .select_related("custody__person", "custody__case", "custody__current_facility", "shelter"))


def referral_get_visible_to(*, user: User, referral_id: int) -> OrrReferral:
    referral = referrals_visible_to(user=user).filter(pk=referral_id).first()
    if referral is None:
        raise NotFoundError(f"No referral {referral_id} to your organisation.")
    return referral


def alerts_visible_to(*, user: User) -> QuerySet[Alert]:
    require_permission(user=user, permission=Permission.CUSTODY_SUPERVISE)
    scope = _facility_scope_q(user)
    qs = Alert.objects.select_related("facility", "custody__case")
    return qs if scope is None else qs.filter(facility__in=Facility.objects.filter(scope))
