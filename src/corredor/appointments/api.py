"""Orderly-processing endpoints: thin handlers over the same services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from corredor.accounts.selectors import require_permission
from corredor.core.scheduling import tokens
from corredor.platform.authz import Permission
from corredor.platform.errors import ValidationFailedError
from corredor.reference.models import Place, PlaceKind
from corredor.registry.selectors import case_get_visible_to

from . import selectors, services
from .keys import token_keys
from .ratelimit import lookup_allowed

router = Router(tags=["appointments"])
public_router = Router(tags=["public"])
Short = Annotated[str, Field(max_length=200)]


class AppointmentOut(Schema):
    code: str
    case_reference: str
    port: str
    day: dt.date
    party_size: int
    status: str
    via: str
    position: int | None
    reason: str


class BookIn(Schema):
    case_reference: Short
    port: Short
    day: dt.date
    reason: Short = ""


class CancelIn(Schema):
    reason: Short


class CheckInIn(Schema):
    arrived_person_ids: Annotated[list[int], Field(max_length=40)]


class VerifyIn(Schema):
    token: Annotated[str, Field(max_length=400)]


class VerifyOut(Schema):
    valid: bool
    code: str
    case_reference: str
    port: str
    day: dt.date
    party_size: int
    matches_record: bool
    status: str


class CapacityIn(Schema):
    port: Short
    start: dt.date
    end: dt.date
    capacity: int
    closed_reason: Short = ""


class RunIn(Schema):
    start_day: dt.date
    horizon_days: Annotated[int, Field(ge=1, le=366)]
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None


class RunOut(Schema):
    id: int
    status: str
    progress: int
    policy: str
    seed: int
    assignments: int
    unassigned: int


class PublicStatusOut(Schema):
    code: str
    status: str
    day: dt.date
    port: str
    port_name: str
    party_size: int


def _out(a: Any) -> dict[str, Any]:
    return {"code": a.code, "case_reference": a.case.reference, "port": a.port_day.port.code,
            "day": a.port_day.day, "party_size": a.party_size, "status": a.status, "via": a.via,
            "position": a.position, "reason": a.reason}


def _port(code: str) -> Place:
    port = Place.objects.filter(code=code[:40], kind=PlaceKind.PORT).first()
    if port is None:
        raise ValidationFailedError({"port": [f"Unknown port {code[:40]!r}."]})
    return port


def _run_out(run: Any) -> dict[str, Any]:
    return {"id": run.pk, "status": run.status, "progress": run.progress, "policy": run.policy.version,
            "seed": run.seed, "assignments": len(run.result.get("assignments", [])),
            "unassigned": len(run.result.get("unassigned", []))}


@router.get("/appointments", response=list[AppointmentOut])
def appointment_list(request: HttpRequest, day: dt.date | None = None, port: str = "") -> list[dict[str, Any]]:
    qs = selectors.appointment_list_visible_to(user=request.auth)  # type: ignore[attr-defined]
    if day:
        qs = qs.filter(port_day__day=day)
    if port:
        qs = qs.filter(port_day__port__code=port[:40])
    return [_out(a) for a in qs[:500]]


@router.post("/appointments", response={201: AppointmentOut})
def appointment_book(request: HttpRequest, payload: BookIn) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    require_permission(user=user, permission=Permission.APPOINTMENT_BOOK)
    case = case_get_visible_to(user=user, reference=payload.case_reference[:20])
    appointment = services.appointment_book(actor=user, case=case, port=_port(payload.port), day=payload.day,
                                            reason=payload.reason)
    return Status(201, _out(appointment))


@router.post("/appointments/{code}/cancel", response=AppointmentOut)
def appointment_cancel(request: HttpRequest, code: str, payload: CancelIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    require_permission(user=user, permission=Permission.APPOINTMENT_BOOK)
    appointment = selectors.appointment_get_visible_to(user=user, code=code[:40])
    return _out(services.appointment_cancel(actor=user, appointment=appointment, reason=payload.reason))


@router.post("/appointments/{code}/check-in", response=AppointmentOut)
def appointment_check_in(request: HttpRequest, code: str, payload: CheckInIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    require_permission(user=user, permission=Permission.APPOINTMENT_CHECK_IN)
    appointment = selectors.appointment_get_visible_to(user=user, code=code[:40])
    return _out(services.appointment_check_in(actor=user, appointment=appointment,
                                              arrived_person_ids=payload.arrived_person_ids))


@router.post("/appointments/verify", response=VerifyOut)
def appointment_verify(request: HttpRequest, payload: VerifyIn) -> dict[str, Any]:
    """Check a scanned QR token's signature and compare it with the appointment on record."""
    user = request.auth  # type: ignore[attr-defined]
    require_permission(user=user, permission=Permission.APPOINTMENT_CHECK_IN)
    try:
        claim = tokens.verify_token(payload.token, keys=token_keys())
    except tokens.TokenError as exc:
        raise ValidationFailedError({"token": [f"Not a valid appointment token ({exc.code})."]}) from exc
    appointment = selectors.appointment_get_visible_to(user=user, code=claim.code)
    matches = (claim.port == appointment.port_day.port.code and claim.day == appointment.port_day.day
               and claim.party_size == appointment.party_size and claim.case_reference == appointment.case.reference)
    return {"valid": True, "code": claim.code, "case_reference": claim.case_reference, "port": claim.port,
            "day": claim.day, "party_size": claim.party_size, "matches_record": matches, "status": appointment.status}


@router.post("/capacity", response=dict[str, Any])
def capacity_set(request: HttpRequest, payload: CapacityIn) -> dict[str, Any]:
    displaced = services.capacity_set(actor=request.auth, port=_port(payload.port), start=payload.start,  # type: ignore[attr-defined]
                                      end=payload.end, capacity=payload.capacity, closed_reason=payload.closed_reason)
    return {"displaced": [a.code for a in displaced]}


@router.post("/runs", response={201: RunOut})
def run_request(request: HttpRequest, payload: RunIn) -> Status[dict[str, Any]]:
    run = services.run_request(actor=request.auth, start_day=payload.start_day,  # type: ignore[attr-defined]
                               horizon_days=payload.horizon_days, seed=payload.seed)
    run.refresh_from_db()
    return Status(201, _run_out(run))


@router.get("/runs/{run_id}", response=RunOut)
def run_detail(request: HttpRequest, run_id: int) -> dict[str, Any]:
    return _run_out(selectors.run_get_visible_to(user=request.auth, run_id=run_id))  # type: ignore[attr-defined]


@router.post("/runs/{run_id}/publish", response=RunOut)
def run_publish(request: HttpRequest, run_id: int) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    run = selectors.run_get_visible_to(user=user, run_id=run_id)
    services.run_publish(actor=user, run=run)
    run.refresh_from_db()
    return _run_out(run)


@public_router.get("/status/{code}", response=PublicStatusOut, auth=None)
def public_status(request: HttpRequest, code: str) -> dict[str, Any]:
    """Public, anonymous: what the holder of a code may know. No personal data."""
    if not lookup_allowed(request):
        raise HttpError(429, "Too many lookups from this connection; wait a minute.")
    s = selectors.public_status(code[:40])
    return {"code": s.code, "status": s.status, "day": s.day, "port": s.port_code, "port_name": s.port_name,
            "party_size": s.party_size}
