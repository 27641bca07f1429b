"""The registry's REST endpoints: thin handlers over the same services and selectors as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from corredor.accounts.models import Organisation, User
from corredor.accounts.selectors import require_permission
from corredor.platform.api_types import Limit, Offset
from corredor.platform.authz import Permission
from corredor.platform.errors import NotFoundError, ValidationFailedError
from corredor.reference.models import Place

from . import exports, imports, presenters, selectors, services
from .schemas import (
    AggregateOut,
    AssessmentIn,
    AssessmentOut,
    CaseDetailOut,
    CaseIn,
    CaseOut,
    CaseUpdateIn,
    FamilyIn,
    FamilyMemberAddIn,
    FamilyOut,
    ImportOut,
    NoteIn,
    PersonIn,
    PersonOut,
    PersonSummaryOut,
    PersonUpdateIn,
    SearchOut,
    SensitiveIn,
    SensitiveOut,
    ShareIn,
    TransitionIn,
)

router = Router(tags=["registry"])


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]


def _person_data(payload: PersonIn) -> services.PersonData:
    data = payload.dict(exclude={"documents", "contacts", "version", "reason"})
    return services.PersonData(
        **data,
        documents=[services.DocumentData(**d.dict()) for d in payload.documents],
        contacts=[services.ContactData(**c.dict()) for c in payload.contacts],
    )


def _place(code: str | None) -> Place | None:
    if not code:
        return None
    place = Place.objects.filter(code=code).first()
    if place is None:
        raise ValidationFailedError({"site": [f"Unknown place {code[:40]!r}."]})
    return place


@router.get("/people", response=list[PersonSummaryOut])
def people_list(request: HttpRequest, q: str = "", limit: Limit = 50, offset: Offset = 0) -> list[dict[str, Any]]:
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    user = _user(request)
    if q:
        people = selectors.registry_search(user=user, query=q, limit=limit).people
    else:
        people = list(selectors.person_list_visible_to(user=user).order_by("id")[offset:offset + limit])
    return [presenters.person_summary(p) for p in people]


@router.post("/people", response={201: PersonOut})
def person_register(request: HttpRequest, payload: PersonIn) -> Status[dict[str, Any]]:
    person = services.person_register(actor=_user(request), data=_person_data(payload))
    return Status(201, presenters.person_dict(person))


@router.get("/people/{person_id}", response=PersonOut)
def person_detail(request: HttpRequest, person_id: int) -> dict[str, Any]:
    return presenters.person_dict(selectors.person_get_visible_to(user=_user(request), person_id=person_id))


@router.put("/people/{person_id}", response=PersonOut)
def person_update(request: HttpRequest, person_id: int, payload: PersonUpdateIn) -> dict[str, Any]:
    user = _user(request)
    require_permission(user=user, permission=Permission.PERSON_EDIT)
    person = selectors.person_get_visible_to(user=user, person_id=person_id)
    person = services.person_update(actor=user, person=person, data=_person_data(payload),
                                    expected_version=payload.version, reason=payload.reason)
    return presenters.person_dict(person)


@router.get("/people/{person_id}/sensitive", response=list[SensitiveOut])
def sensitive_list(request: HttpRequest, person_id: int, reason: str = "") -> list[dict[str, Any]]:
    user = _user(request)
    person = selectors.person_get_visible_to(user=user, person_id=person_id)
    details = services.sensitive_details_reveal(actor=user, person=person, reason=reason[:500])
    return [{"id": d.pk, "kind": d.kind, "text": d.text, "recorded_at": d.recorded_at,
             "recorded_by": d.recorded_by.username if d.recorded_by else "system"} for d in details]


@router.post("/people/{person_id}/sensitive", response={201: dict[str, Any]})
def sensitive_record(request: HttpRequest, person_id: int, payload: SensitiveIn) -> Status[dict[str, Any]]:
    user = _user(request)
    person = selectors.person_get_visible_to(user=user, person_id=person_id)
    detail = services.sensitive_detail_record(actor=user, person=person, kind=payload.kind, text_value=payload.text)
    return Status(201, {"id": detail.pk, "kind": detail.kind})


# Write handlers check the action's permission before looking the record up, so a refusal never reveals
# whether a record outside the caller's scope exists.


@router.post("/people/{person_id}/assessments", response={201: AssessmentOut})
def assessment_record(request: HttpRequest, person_id: int, payload: AssessmentIn) -> Status[dict[str, Any]]:
    user = _user(request)
    require_permission(user=user, permission=Permission.VULNERABILITY_ASSESS)
    person = selectors.person_get_visible_to(user=user, person_id=person_id)
    case = selectors.case_get_visible_to(user=user, reference=payload.case_reference) \
        if payload.case_reference else None
    a = services.vulnerability_assess(actor=user, person=person, conditions=payload.conditions,
                                      assessed_on=payload.assessed_on, case=case, override=payload.override,
                                      override_reason=payload.override_reason)
    return Status(201, {"id": a.pk, "person_id": person.pk, "assessed_on": a.assessed_on, "conditions": a.conditions,
                 "expedite": a.expedite, "expedite_reason": a.expedite_reason})


@router.get("/people/{person_id}/export", response=dict[str, Any])
def person_export(request: HttpRequest, person_id: int) -> dict[str, Any]:
    user = _user(request)
    require_permission(user=user, permission=Permission.SUBJECT_EXPORT)
    person = selectors.person_get_visible_to(user=user, person_id=person_id)
    return exports.person_export(actor=user, person=person)


@router.post("/families", response={201: FamilyOut})
def family_create(request: HttpRequest, payload: FamilyIn) -> Status[dict[str, Any]]:
    user = _user(request)
    require_permission(user=user, permission=Permission.FAMILY_EDIT)
    contact = selectors.person_get_visible_to(user=user, person_id=payload.contact_person_id)
    members = [services.MemberData(selectors.person_get_visible_to(user=user, person_id=m.person_id),
                                   m.relationship, m.present) for m in payload.members]
    family = services.family_create(actor=user, contact=contact, members=members)
    return Status(201, presenters.family_dict(family))


@router.get("/families/{family_id}", response=FamilyOut)
def family_detail(request: HttpRequest, family_id: int) -> dict[str, Any]:
    return presenters.family_dict(selectors.family_get_visible_to(user=_user(request), family_id=family_id))


@router.post("/families/{family_id}/members", response={201: FamilyOut})
def family_member_add(request: HttpRequest, family_id: int, payload: FamilyMemberAddIn) -> Status[dict[str, Any]]:
    user = _user(request)
    require_permission(user=user, permission=Permission.FAMILY_EDIT)
    family = selectors.family_get_visible_to(user=user, family_id=family_id)
    person = selectors.person_get_visible_to(user=user, person_id=payload.person_id)
    services.family_member_add(actor=user, family=family,
                               member=services.MemberData(person, payload.relationship, payload.present),
                               expected_version=payload.version)
    family.refresh_from_db()
    return Status(201, presenters.family_dict(family))


@router.get("/cases", response=list[CaseOut])
def case_list(request: HttpRequest, status: str = "", kind: str = "", limit: Limit = 50,
              offset: Offset = 0) -> list[dict[str, Any]]:
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    qs = selectors.case_list_visible_to(user=_user(request))
    if status:
        qs = qs.filter(status=status[:24])
    if kind:
        qs = qs.filter(kind=kind[:32])
    return [presenters.case_dict(c) for c in qs.order_by("id")[offset:offset + limit]]


@router.post("/cases", response={201: CaseDetailOut})
def case_open(request: HttpRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    user = _user(request)
    require_permission(user=user, permission=Permission.CASE_OPEN)
    person = selectors.person_get_visible_to(user=user, person_id=payload.person_id) if payload.person_id else None
    family = selectors.family_get_visible_to(user=user, family_id=payload.family_id) if payload.family_id else None
    case = services.case_open(actor=user, kind=payload.kind, person=person, family=family,
                              site=_place(payload.site), opened_on=payload.opened_on,
                              place_in_line_on=payload.place_in_line_on, status=payload.status)
    return Status(201, presenters.case_dict(case, timeline=True))


@router.get("/cases/{reference}", response=CaseDetailOut)
def case_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    case = selectors.case_get_visible_to(user=_user(request), reference=reference[:20])
    return presenters.case_dict(case, timeline=True)


@router.patch("/cases/{reference}", response=CaseDetailOut)
def case_update(request: HttpRequest, reference: str, payload: CaseUpdateIn) -> dict[str, Any]:
    user = _user(request)
    require_permission(user=user, permission=Permission.CASE_EDIT)
    case = selectors.case_get_visible_to(user=user, reference=reference[:20])
    kwargs: dict[str, Any] = {}
    if payload.assigned_worker is not None:
        worker = User.objects.filter(username=payload.assigned_worker).first() if payload.assigned_worker else None
        if payload.assigned_worker and worker is None:
            raise ValidationFailedError({"assigned_worker": ["Unknown user."]})
        kwargs["assigned_worker"] = worker
    if payload.site is not None:
        kwargs["site"] = _place(payload.site)
    case = services.case_update(actor=user, case=case, expected_version=payload.version, reason=payload.reason,
                                **kwargs)
    return presenters.case_dict(case, timeline=True)


@router.post("/cases/{reference}/transitions", response=CaseDetailOut)
def case_transition(request: HttpRequest, reference: str, payload: TransitionIn) -> dict[str, Any]:
    user = _user(request)
    require_permission(user=user, permission=Permission.CASE_TRANSITION)
    case = selectors.case_get_visible_to(user=user, reference=reference[:20])
    case = services.case_transition(actor=user, case=case, target=payload.status,
                                    expected_version=payload.version, reason=payload.reason)
    return presenters.case_dict(case, timeline=True)


@router.post("/cases/{reference}/notes", response={201: CaseDetailOut})
def case_note(request: HttpRequest, reference: str, payload: NoteIn) -> Status[dict[str, Any]]:
    user = _user(request)
    require_permission(user=user, permission=Permission.CASE_EDIT)
    case = selectors.case_get_visible_to(user=user, reference=reference[:20])
    services.case_note_add(actor=user, case=case, note=payload.note)
    return Status(201, presenters.case_dict(case, timeline=True))


@router.post("/cases/{reference}/shares", response={201: CaseDetailOut})
def case_share(request: HttpRequest, reference: str, payload: ShareIn) -> Status[dict[str, Any]]:
    user = _user(request)
    require_permission(user=user, permission=Permission.CASE_SHARE)
    case = selectors.case_get_visible_to(user=user, reference=reference[:20])
    organisation = Organisation.objects.filter(code=payload.organisation, is_active=True).first()
    if organisation is None:
        raise NotFoundError(f"No organisation {payload.organisation[:40]!r}.", field="organisation")
    services.case_share(actor=user, case=case, organisation=organisation,
                        consent_given_by=payload.consent_given_by, purpose=payload.purpose)
    return Status(201, presenters.case_dict(case, timeline=True))


@router.get("/search", response=SearchOut)
def search(request: HttpRequest, q: str) -> dict[str, Any]:
    result = selectors.registry_search(user=_user(request), query=q)
    return {"people": [presenters.person_summary(p) for p in result.people],
            "cases": [presenters.case_dict(c) for c in result.cases]}


@router.get("/aggregates/cases", response=list[AggregateOut])
def case_aggregates(request: HttpRequest, by: str = "status") -> list[dict[str, Any]]:
    rows = selectors.case_aggregates(user=_user(request), by=by)
    return [{"key": r.key, "count": r.count, "suppressed": r.count is None} for r in rows]


@router.post("/imports/people", response=ImportOut)
def people_import(request: HttpRequest, file: File[UploadedFile], mode: Form[str] = "all_or_nothing",
                  source: Form[str] = "") -> dict[str, Any]:
    result = imports.people_import_csv(actor=_user(request), content=imports.read_upload(file), mode=mode,
                                       source=source[:100] or (file.name or "upload")[:100])
    return result.as_dict()
