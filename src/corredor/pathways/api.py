"""Pathway endpoints: the catalogue in force on a date, a person's menu (optionally saved), registry-wide
counts, and applications. Thin handlers over the same selectors and services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Router, Schema, Status
from pydantic import Field

from corredor.accounts.selectors import require_permission
from corredor.platform.api_types import RecordId
from corredor.platform.authz import Permission
from corredor.registry import selectors as registry_selectors

from . import selectors, services
from .catalogue import catalogue

router = Router(tags=["pathways"])
PathId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class ScreenIn(Schema):
    person_id: RecordId
    answers: Annotated[dict[Annotated[str, Field(max_length=60)], Any], Field(max_length=60)] = {}
    case_reference: Annotated[str, Field(max_length=20)] = ""
    save: bool = False


class CriterionOut(Schema):
    id: str
    result: str
    label: dict[str, str]
    explanation: dict[str, str]
    questions_needed: list[str]


class PathwayOut(Schema):
    version_id: str
    pathway: str
    outcome: str
    state: str
    discretionary: bool
    questions_needed: list[str]
    one_answer_away: bool
    rules_digest: str
    criteria: list[CriterionOut]


class MenuOut(Schema):
    on: dt.date
    fingerprint: str
    answers: dict[str, Any]
    sources: dict[str, str]
    pathways: list[PathwayOut]
    saved_screening_id: int | None = None


class CountOut(Schema):
    pathway: str
    version_id: str
    state: str
    may_apply: int | None
    need_more_info: int | None
    one_answer_away: int | None
    does_not_qualify: int | None


class ReferIn(Schema):
    pathway: Annotated[str, Field(max_length=40)]
    person_id: RecordId | None = None
    note: Annotated[str, Field(max_length=300)] = ""


class StepIn(Schema):
    step: Annotated[str, Field(max_length=24)]
    occurred_on: dt.date
    version: int | None = None
    note: Annotated[str, Field(max_length=300)] = ""
    mode: Annotated[str, Field(max_length=16)] = ""


class ApplicationOut(Schema):
    id: int
    case_reference: str
    pathway: str
    version_id: str
    track: str
    status: str
    version: int
    steps: list[dict[str, Any]]


def _json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _application_out(a: Any) -> dict[str, Any]:
    return {"id": a.pk, "case_reference": a.case.reference, "pathway": a.pathway, "version_id": a.version_id,
            "track": a.track, "status": a.status, "version": a.version,
            "steps": [{"step": s.step, "occurred_on": s.occurred_on.isoformat(), "mode": s.mode}
                      for s in a.steps.all()]}


@router.get("/pathways/catalogue", response=list[dict[str, Any]])
def catalogue_in_force(request: HttpRequest, on: dt.date | None = None) -> list[dict[str, Any]]:
    """Every pathway version in force on the date, with its criteria and sources (no personal data)."""
    day = on or timezone.localdate()
    return [{**v.data, "status": v.status_on(day).state, "digest": v.digest} for v in catalogue().in_force(day)]


@router.post("/pathways/screen", response=MenuOut)
def screen(request: HttpRequest, payload: ScreenIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    require_permission(user=user, permission=Permission.PATHWAY_SCREEN)
    person = registry_selectors.person_get_visible_to(user=user, person_id=payload.person_id)
    on = timezone.localdate()
    result = selectors.menu_for(user=user, person=person, asked=payload.answers, on=on)
    saved = None
    if payload.save:
        case = (registry_selectors.case_get_visible_to(user=user, reference=payload.case_reference)
                if payload.case_reference else None)
        saved = services.screening_save(actor=user, person=person, case=case, asked=payload.answers, on=on).pk
    return {"on": on, "fingerprint": catalogue().fingerprint,
            "answers": {k: _json(v) for k, v in result.answers.items()},
            "sources": result.sources, "saved_screening_id": saved,
            "pathways": [{"version_id": s.version_id, "pathway": s.pathway, "outcome": s.outcome,
                          "state": s.status.state, "discretionary": s.discretionary,
                          "questions_needed": list(s.questions_needed), "one_answer_away": s.one_answer_away,
                          "rules_digest": s.rules_digest,
                          "criteria": [{"id": c.id, "result": c.result, "label": dict(c.label),
                                        "explanation": dict(c.explanation),
                                        "questions_needed": list(c.questions_needed)} for c in s.criteria]}
                         for s in result.screenings]}


@router.get("/pathways/counts", response=list[CountOut])
def counts(request: HttpRequest) -> list[dict[str, Any]]:
    _total, rows = selectors.registry_counts(user=request.auth, on=timezone.localdate())  # type: ignore[attr-defined]
    return [{"pathway": r.pathway, "version_id": r.version_id, "state": r.state, "may_apply": r.may_apply,
             "need_more_info": r.need_more_info, "one_answer_away": r.one_answer_away,
             "does_not_qualify": r.does_not_qualify} for r in rows]


@router.post("/cases/{reference}/applications", response={201: ApplicationOut})
def application_refer(request: HttpRequest, reference: str, payload: ReferIn) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    require_permission(user=user, permission=Permission.PATHWAY_APPLY)
    case = registry_selectors.case_get_visible_to(user=user, reference=reference[:20])
    person = registry_selectors.person_get_visible_to(user=user, person_id=payload.person_id) \
        if payload.person_id else None
    application = services.application_refer(actor=user, case=case, pathway=payload.pathway, person=person,
                                             note=payload.note)
    return Status(201, _application_out(application))


@router.post("/pathway-applications/{application_id}/steps", response=ApplicationOut)
def application_step(request: HttpRequest, application_id: PathId, payload: StepIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    application = selectors.application_get_visible_to(user=user, application_id=application_id)
    return _application_out(services.application_advance(
        actor=user, application=application, step=payload.step, occurred_on=payload.occurred_on,
        expected_version=payload.version, note=payload.note, mode=payload.mode))
