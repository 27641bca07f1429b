"""Reception and custody endpoints: thin handlers over the same selectors and services as the pages.
Times are ISO 8601 with their offset (an instant); answers give UTC and the facility's local time."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Router, Schema, Status
from pydantic import Field

from corredor.accounts.models import Organisation
from corredor.accounts.selectors import require_permission
from corredor.core.custody import clocks as core_clocks
from corredor.platform.api_types import RecordId
from corredor.platform.authz import Permission
from corredor.platform.errors import ValidationFailedError
from corredor.registry.models import Person
from corredor.registry.selectors import case_get_visible_to

from . import selectors, services
from .models import Custody, Facility

router = Router(tags=["reception"])
Short = Annotated[str, Field(max_length=300)]
Ids = Annotated[list[RecordId], Field(max_length=40)]
PathId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class FacilityOut(Schema):
    code: str
    name: str
    kind: str
    city: str
    time_zone: str
    organisation: str


class ClockOut(Schema):
    rule: str
    level: str
    running: bool
    elapsed_hours: float
    remaining_hours: float
    deadline: dt.datetime
    deadline_local: str


class CustodyOut(Schema):
    id: int
    case_reference: str
    person_id: int
    population: str
    facility: str | None
    in_transit: bool
    started_at: dt.datetime
    ended_at: dt.datetime | None
    outcome: str
    isolation_until: dt.datetime | None
    sponsor_status: str
    version: int
    clocks: list[ClockOut]
    blockers: list[str]


class ArrivalIn(Schema):
    case_reference: Annotated[str, Field(max_length=20)]
    person_ids: Ids
    arrived_at: dt.datetime
    source: Annotated[str, Field(max_length=20)] = "manual"


class TransferIn(Schema):
    custody_ids: Ids
    to_facility: Annotated[str, Field(max_length=40)]
    departed_at: dt.datetime
    arrived_at: dt.datetime | None = None
    reason: Short = ""


class ArriveIn(Schema):
    custody_ids: Ids
    arrived_at: dt.datetime


class ReleaseIn(Schema):
    custody_ids: Ids
    released_at: dt.datetime
    destination_city: Annotated[str, Field(max_length=100)]
    destination_region: Annotated[str, Field(max_length=60)] = ""
    sponsor_name: Annotated[str, Field(max_length=150)] = ""
    sponsor_relationship: Annotated[str, Field(max_length=60)] = ""
    sponsor_phone: Annotated[str, Field(max_length=40)] = ""
    address: Short = ""
    documents_issued: Annotated[list[Annotated[str, Field(max_length=40)]], Field(max_length=10)] = []
    programme: Annotated[str, Field(max_length=150)] = ""
    provider: Annotated[str, Field(max_length=40)] = ""


class ExitIn(Schema):
    custody_ids: Ids
    outcome: Annotated[str, Field(max_length=20)]
    at: dt.datetime
    reason: Short


class ScreeningIn(Schema):
    kind: Annotated[str, Field(max_length=20)]
    occurred_at: dt.datetime
    test_result: Annotated[str, Field(max_length=12)] = ""
    findings: Annotated[str, Field(max_length=4000)] = ""
    referral_needed: bool = False
    provider: Annotated[str, Field(max_length=40)] = ""
    language: Annotated[str, Field(max_length=40)] = ""
    isolation_until: dt.datetime | None = None


class BreachIn(Schema):
    rule_id: Annotated[str, Field(max_length=40)]
    reason_code: Annotated[str, Field(max_length=20)]
    reason: Annotated[str, Field(max_length=500)]


class DecideIn(Schema):
    accept: bool
    shelter: Annotated[str, Field(max_length=40)] = ""
    decline_reason: Annotated[str, Field(max_length=24)] = ""
    note: Short = ""


class PlaceIn(Schema):
    departed_at: dt.datetime
    arrived_at: dt.datetime


class ReferralOut(Schema):
    id: int
    custody_id: int
    case_reference: str
    status: str
    requested_at: dt.datetime
    shelter: str | None
    decline_reason: str
    placed_at: dt.datetime | None


class OccupancyOut(Schema):
    population: str
    occupied: int | None
    beds: int
    available_reported: int | None


def _clock_out(clock: core_clocks.Clock, facility: Facility | None) -> dict[str, Any]:
    local = core_clocks.local_time(clock.deadline, facility.time_zone if facility else "UTC")
    return {"rule": clock.rule.id, "level": clock.level.name.lower(), "running": clock.running,
            "elapsed_hours": round(clock.elapsed.total_seconds() / 3600, 3),
            "remaining_hours": round(clock.remaining.total_seconds() / 3600, 3), "deadline": clock.deadline,
            "deadline_local": local.isoformat()}


def _custody_out(custody: Custody, clocks: list[core_clocks.Clock] | None = None,
                 blockers: list[str] | None = None) -> dict[str, Any]:
    now = timezone.now()
    clocks = selectors.clocks_for(custody, now=now) if clocks is None else clocks
    return {"id": custody.pk, "case_reference": custody.case.reference, "person_id": custody.person_id,
            "population": custody.population,
            "facility": custody.current_facility.code if custody.current_facility else None,
            "in_transit": custody.in_transit, "started_at": custody.started_at, "ended_at": custody.ended_at,
            "outcome": custody.outcome, "isolation_until": custody.isolation_until,
            "sponsor_status": custody.sponsor_status, "version": custody.version,
            "clocks": [_clock_out(c, custody.current_facility) for c in clocks],
            "blockers": blockers if blockers is not None else selectors._blockers(custody, now)}


def _custodies(user: Any, ids: list[int]) -> list[Custody]:
    found = list(selectors.custody_list_visible_to(user=user).filter(pk__in=ids))
    if len(found) != len(set(ids)) or not ids:
        raise ValidationFailedError({"custody_ids": ["Give the custody records you can see (at least one)."]})
    return found


def _facility(code: str) -> Facility:
    facility = Facility.objects.filter(code=code[:40], is_active=True).first()
    if facility is None:
        raise ValidationFailedError({"to_facility": [f"Unknown facility {code[:40]!r}."]})
    return facility


def _org(code: str, field: str) -> Organisation | None:
    if not code:
        return None
    org = Organisation.objects.filter(code=code[:40]).first()
    if org is None:
        raise ValidationFailedError({field: [f"Unknown organisation {code[:40]!r}."]})
    return org


@router.get("/facilities", response=list[FacilityOut])
def facility_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"code": f.code, "name": f.name, "kind": f.kind, "city": f.city, "time_zone": f.time_zone,
             "organisation": f.organisation.code} for f in selectors.facilities_visible_to(user=request.auth)]  # type: ignore[attr-defined]


@router.get("/facilities/{code}/board", response=list[CustodyOut])
def facility_board(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    facility, rows = selectors.board(user=request.auth, facility_code=code[:40])  # type: ignore[attr-defined]
    return [{"id": r.custody_id, "case_reference": r.case_reference, "person_id": r.person_id,
             "population": r.population, "facility": facility.code, "in_transit": r.in_transit,
             "started_at": r.started_at, "ended_at": None, "outcome": "", "isolation_until": r.isolation_until,
             "sponsor_status": r.sponsor_status, "version": r.version,
             "clocks": [_clock_out(c, facility) for c in r.clocks], "blockers": r.blockers} for r in rows]


@router.get("/facilities/{code}/occupancy", response=list[OccupancyOut])
def facility_occupancy(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    facility = selectors.facility_get_visible_to(user=user, code=code[:40])
    rows, _isolation = selectors.occupancy_now(user=user, facility=facility)
    return [{"population": r.population, "occupied": r.occupied, "beds": r.beds,
             "available_reported": r.available_reported} for r in rows]


@router.post("/facilities/{code}/arrivals", response={201: list[CustodyOut]})
def custody_arrival(request: HttpRequest, code: str, payload: ArrivalIn) -> Status[list[dict[str, Any]]]:
    user = request.auth  # type: ignore[attr-defined]
    require_permission(user=user, permission=Permission.CUSTODY_MANAGE)
    facility = _facility(code)
    case = case_get_visible_to(user=user, reference=payload.case_reference)
    persons = list(Person.objects.filter(pk__in=payload.person_ids))
    created = services.custody_admit(actor=user, case=case, persons=persons, facility=facility,
                                     arrived_at=payload.arrived_at, source=payload.source)
    return Status(201, [_custody_out(c) for c in created])


@router.get("/custody/{int:custody_id}", response=CustodyOut)
def custody_detail(request: HttpRequest, custody_id: PathId) -> dict[str, Any]:
    return _custody_out(selectors.custody_get_visible_to(user=request.auth, custody_id=custody_id))  # type: ignore[attr-defined]


@router.post("/custody/transfer", response=list[CustodyOut])
def custody_transfer(request: HttpRequest, payload: TransferIn) -> list[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    moved = services.custody_transfer(actor=user, custodies=_custodies(user, payload.custody_ids),
                                      to_facility=_facility(payload.to_facility), departed_at=payload.departed_at,
                                      arrived_at=payload.arrived_at, reason=payload.reason)
    return [_custody_out(c) for c in moved]


@router.post("/custody/arrive", response=list[CustodyOut])
def custody_arrive(request: HttpRequest, payload: ArriveIn) -> list[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    return [_custody_out(c) for c in services.custody_transfer_arrive(
        actor=user, custodies=_custodies(user, payload.custody_ids), arrived_at=payload.arrived_at)]


@router.post("/custody/release", response=list[CustodyOut])
def custody_release(request: HttpRequest, payload: ReleaseIn) -> list[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    releases = services.custody_release(
        actor=user, custodies=_custodies(user, payload.custody_ids), released_at=payload.released_at,
        destination_city=payload.destination_city, destination_region=payload.destination_region,
        sponsor_name=payload.sponsor_name, sponsor_relationship=payload.sponsor_relationship,
        sponsor_phone=payload.sponsor_phone, address=payload.address, documents_issued=payload.documents_issued,
        programme=payload.programme, provider=_org(payload.provider, "provider"))
    return [_custody_out(r.custody) for r in releases]


@router.post("/custody/exit", response=list[CustodyOut])
def custody_exit(request: HttpRequest, payload: ExitIn) -> list[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    return [_custody_out(c) for c in services.custody_exit(
        actor=user, custodies=_custodies(user, payload.custody_ids), outcome=payload.outcome, at=payload.at,
        reason=payload.reason)]


@router.post("/custody/{int:custody_id}/screenings", response={201: dict[str, Any]})
def screening_record(request: HttpRequest, custody_id: PathId, payload: ScreeningIn) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    custody = selectors.custody_get_visible_to(user=user, custody_id=custody_id)
    screening = services.screening_record(
        actor=user, custody=custody, kind=payload.kind, occurred_at=payload.occurred_at,
        test_result=payload.test_result, findings=payload.findings, referral_needed=payload.referral_needed,
        provider=_org(payload.provider, "provider"), language=payload.language,
        isolation_until=payload.isolation_until)
    return Status(201, {"id": screening.pk, "kind": screening.kind, "occurred_at": screening.occurred_at.isoformat()})


@router.post("/custody/{int:custody_id}/breaches", response={201: dict[str, Any]})
def breach_record(request: HttpRequest, custody_id: PathId, payload: BreachIn) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    custody = selectors.custody_get_visible_to(user=user, custody_id=custody_id)
    breach = services.breach_record(actor=user, custody=custody, rule_id=payload.rule_id,
                                    reason_code=payload.reason_code, reason=payload.reason)
    return Status(201, {"id": breach.pk, "rule_id": breach.rule_id, "breached_at": breach.breached_at.isoformat()})


@router.post("/custody/{int:custody_id}/orr-referral", response={201: ReferralOut})
def orr_referral_request(request: HttpRequest, custody_id: PathId) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    custody = selectors.custody_get_visible_to(user=user, custody_id=custody_id)
    return Status(201, _referral_out(services.orr_referral_request(actor=user, custody=custody)))


def _referral_out(r: Any) -> dict[str, Any]:
    return {"id": r.pk, "custody_id": r.custody_id, "case_reference": r.custody.case.reference, "status": r.status,
            "requested_at": r.requested_at, "shelter": r.shelter.code if r.shelter else None,
            "decline_reason": r.decline_reason, "placed_at": r.placed_at}


@router.get("/orr/referrals", response=list[ReferralOut])
def orr_referral_list(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    qs = selectors.referrals_visible_to(user=request.auth)  # type: ignore[attr-defined]
    if status:
        qs = qs.filter(status=status[:20])
    return [_referral_out(r) for r in qs.order_by("-requested_at")[:500]]


@router.post("/orr/referrals/{int:referral_id}/decision", response=ReferralOut)
def orr_referral_decide(request: HttpRequest, referral_id: PathId, payload: DecideIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    referral = selectors.referral_get_visible_to(user=user, referral_id=referral_id)
    shelter = Facility.objects.filter(code=payload.shelter[:40]).first() if payload.shelter else None
    return _referral_out(services.orr_referral_decide(actor=user, referral=referral, accept=payload.accept,
                                                      shelter=shelter, decline_reason=payload.decline_reason,
                                                      note=payload.note))


@router.post("/orr/referrals/{int:referral_id}/placement", response=ReferralOut)
def orr_placement(request: HttpRequest, referral_id: PathId, payload: PlaceIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    referral = selectors.referral_get_visible_to(user=user, referral_id=referral_id)
    return _referral_out(services.orr_placement_complete(actor=user, referral=referral,
                                                         departed_at=payload.departed_at,
                                                         arrived_at=payload.arrived_at))
