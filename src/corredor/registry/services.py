"""Every write on the registry. Each service checks permission, makes the change and writes its audit
event in one transaction, so the pages, the API, the admin, the command line and imports behave alike."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from corredor.accounts.models import Organisation, User
from corredor.accounts.selectors import require_permission, user_organisation_ids
from corredor.audit import services as audit
from corredor.audit.events import AuditAction
from corredor.audit.models import AuditEvent
from corredor.core.registry import ages, case_status, names, text
from corredor.core.registry import vocab as v
from corredor.core.registry.vulnerability import decide_expedite
from corredor.platform.authz import Permission
from corredor.platform.errors import (
    InvalidTransitionError,
    PermissionDeniedError,
    StaleEditError,
    ValidationFailedError,
)
from corredor.reference.models import Country, Place, Subdivision
from corredor.reference.services import canonical_subdivision_code

from .models import (
    Case,
    CaseEvent,
    CaseEventKind,
    CaseShare,
    ContactChannel,
    Family,
    FamilyMembership,
    IdentityDocument,
    Person,
    SensitiveDetail,
    SensitiveKind,
    VulnerabilityAssessment,
)

# Person fields whose values never reach the audit trail: it records that they changed, not to what.
PERSONAL_FIELDS = frozenset({
    "given_names", "first_surname", "second_surname", "other_names", "gender_identity", "date_of_birth",
    "origin_municipality", "current_location_note", "number", "value", "label",
})

# ---------------------------------------------------------------------------------------------------
# Inputs


@dataclass
class DocumentData:
    doc_type: str
    number: str
    issuing_country: str = ""
    expires_on: dt.date | None = None


@dataclass
class ContactData:
    kind: str
    value: str
    label: str = ""


@dataclass
class PersonData:
    given_names: str
    first_surname: str = ""
    second_surname: str = ""
    other_names: list[str] = field(default_factory=list)
    sex: str = v.Sex.UNKNOWN.value
    gender_identity: str = ""
    date_of_birth: dt.date | None = None
    dob_precision: str = ""
    stated_age: int | None = None  # when only an age is known; gives an estimated date of birth
    nationality: str = ""
    other_nationalities: list[str] = field(default_factory=list)
    origin_country: str = ""
    origin_subdivision: str = ""
    origin_municipality: str = ""
    languages: list[str] = field(default_factory=list)
    needs_interpreter: bool = False
    current_place: str = ""
    current_location_note: str = ""
    documents: list[DocumentData] = field(default_factory=list)
    contacts: list[ContactData] = field(default_factory=list)


EDITABLE_PERSON_FIELDS = (
    "given_names", "first_surname", "second_surname", "other_names", "sex", "gender_identity",
    "date_of_birth", "dob_precision", "nationality_id", "other_nationalities", "origin_country_id",
    "origin_subdivision_id", "origin_municipality", "languages", "needs_interpreter", "current_place_id",
    "current_location_note",
)

# ---------------------------------------------------------------------------------------------------
# Validation


@dataclass(frozen=True)
class ReferenceCodes:
    """The reference codes a person's data is checked against; loaded once per import or bulk load."""

    countries: frozenset[str]
    subdivisions: dict[str, str]  # code -> country code
    places: dict[str, int]  # code -> primary key

    @classmethod
    def load(cls) -> ReferenceCodes:
        return cls(frozenset(Country.objects.values_list("code", flat=True)),
                   dict(Subdivision.objects.values_list("code", "country_id")),
                   dict(Place.objects.values_list("code", "pk")))


def validate_person_data(data: PersonData, *, today: dt.date, codes: ReferenceCodes | None = None,
                         ) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Check a person's data; return the model values and the field errors (empty when valid)."""
    codes = codes or ReferenceCodes.load()
    errors: dict[str, list[str]] = {}
    # Codes are compared trimmed and in their canonical case: " hn" is HN, "gt-qz" is GT-QZ.
    data = replace(
        data, nationality=data.nationality.strip().upper(), origin_country=data.origin_country.strip().upper(),
        origin_subdivision=canonical_subdivision_code(data.origin_subdivision),
        current_place=data.current_place.strip(),
        other_nationalities=[c.strip().upper() for c in data.other_nationalities],
        documents=[replace(d, issuing_country=d.issuing_country.strip().upper()) for d in data.documents])

    def err(f: str, message: str) -> None:
        errors.setdefault(f, []).append(message)

    for f, limit, required in (("given_names", 120, True), ("first_surname", 80, False),
                               ("second_surname", 80, False)):
        problem = text.name_problem(getattr(data, f) or "", max_length=limit, required=required)
        if problem:
            err(f, f"The {f.replace('_', ' ')} {problem}.")
    if len(data.other_names) > 20:
        err("other_names", "At most 20 other names may be recorded.")
    for alias in data.other_names:
        problem = text.name_problem(alias, max_length=80, required=True)
        if problem:
            err("other_names", f"The other name {alias[:40]!r} {problem}.")
    if data.sex not in v.Sex._value2member_map_:
        err("sex", f"Unknown sex {data.sex[:30]!r}; use one of {', '.join(s.value for s in v.Sex)}.")
    for f, limit in (("gender_identity", 60), ("origin_municipality", 100), ("current_location_note", 200)):
        problem = text.free_text_problem(getattr(data, f) or "", max_length=limit)
        if problem:
            err(f, f"The {f.replace('_', ' ')} {problem}.")

    dob, precision = data.date_of_birth, data.dob_precision
    if data.stated_age is not None:
        if dob is not None:
            err("stated_age", "Give either a date of birth or a stated age, not both.")
        elif not 0 <= data.stated_age <= 120:
            err("stated_age", "A stated age must be between 0 and 120 years.")
        else:
            dob, precision = ages.dob_from_stated_age(data.stated_age, today), v.DobPrecision.ESTIMATED.value
    if dob is not None:
        if precision and precision not in v.DobPrecision._value2member_map_:
            err("dob_precision", f"Unknown precision {precision[:20]!r}; use exact, month, year or estimated.")
        else:
            precision = precision or v.DobPrecision.EXACT.value
            dob = ages.normalise_dob(dob, v.DobPrecision(precision))
            if dob > today:
                err("date_of_birth", "The date of birth is in the future.")
            elif ages.age_on(dob, today) > 120:
                err("date_of_birth", "The date of birth gives an age over 120 years.")
    elif precision:
        err("dob_precision", "A precision was given without a date of birth.")

    known = codes.countries
    for f in ("nationality", "origin_country"):
        code = getattr(data, f)
        if code and code not in known:
            err(f, f"Unknown country code {code[:10]!r}; use ISO 3166-1 alpha-2, e.g. HN.")
    for code in data.other_nationalities:
        if code not in known:
            err("other_nationalities", f"Unknown country code {code[:10]!r}.")
    subdivision_country = codes.subdivisions.get(data.origin_subdivision) if data.origin_subdivision else None
    if data.origin_subdivision:
        if subdivision_country is None:
            err("origin_subdivision", f"Unknown subdivision {data.origin_subdivision[:10]!r}; use ISO 3166-2.")
        elif data.origin_country and subdivision_country != data.origin_country:
            err("origin_subdivision", "The subdivision is not in the country of origin.")
    place_id = codes.places.get(data.current_place) if data.current_place else None
    if data.current_place and place_id is None:
        err("current_place", f"Unknown place {data.current_place[:40]!r}.")
    if len(data.languages) > 10:
        err("languages", "At most 10 languages may be recorded.")
    for lang in data.languages:
        problem = text.free_text_problem(lang, max_length=40, required=True)
        if problem or not all(ch.isalpha() or ch in " '’-" for ch in lang):
            err("languages", f"The language {lang[:40]!r} is not a valid language code or name.")

    for i, doc in enumerate(data.documents):
        if doc.doc_type not in v.DocumentType._value2member_map_:
            err(f"documents[{i}].doc_type", f"Unknown document type {doc.doc_type[:30]!r}.")
        folded = names.fold_document_number(doc.number or "")
        if not folded or len(doc.number) > 40:
            err(f"documents[{i}].number", "A document number needs 1 to 40 letters or digits.")
        elif text.control_character_problem(doc.number):
            err(f"documents[{i}].number", "The document number contains a control character.")
        if doc.issuing_country and doc.issuing_country not in known:
            err(f"documents[{i}].issuing_country", f"Unknown country code {doc.issuing_country[:10]!r}.")
    for i, contact in enumerate(data.contacts):
        if contact.kind not in v.ContactKind._value2member_map_:
            err(f"contacts[{i}].kind", f"Unknown contact kind {contact.kind[:30]!r}.")
        if contact.kind in (v.ContactKind.PHONE_SMS, v.ContactKind.PHONE_WHATSAPP, v.ContactKind.TRUSTED_CONTACT):
            digits = names.fold_phone(contact.value or "")
            if not 7 <= len(digits) <= 15 or not all(ch in "+0123456789 -()." for ch in contact.value):
                err(f"contacts[{i}].value", "A phone number needs 7 to 15 digits (spaces, dashes, + allowed).")
        else:
            problem = text.free_text_problem(contact.value or "", max_length=40, required=True)
            if problem:
                err(f"contacts[{i}].value", f"The contact {problem}.")
        problem = text.free_text_problem(contact.label or "", max_length=100)
        if problem:
            err(f"contacts[{i}].label", f"The contact label {problem}.")

    values = {
        "given_names": data.given_names.strip(),
        "first_surname": data.first_surname.strip(),
        "second_surname": data.second_surname.strip(),
        "other_names": [a.strip() for a in data.other_names],
        "sex": data.sex,
        "gender_identity": data.gender_identity.strip(),
        "date_of_birth": dob,
        "dob_precision": precision if dob else "",
        "nationality_id": data.nationality or None,
        "other_nationalities": sorted(set(data.other_nationalities)),
        "origin_country_id": data.origin_country or None,
        "origin_subdivision_id": data.origin_subdivision if subdivision_country else None,
        "origin_municipality": data.origin_municipality.strip(),
        "languages": [lang.strip() for lang in data.languages],
        "needs_interpreter": bool(data.needs_interpreter),
        "current_place_id": place_id,
        "current_location_note": data.current_location_note.strip(),
    }
    return values, errors


def _search_text(values: dict[str, Any]) -> str:
    parts = [values.get("given_names", ""), values.get("first_surname", ""), values.get("second_surname", ""),
             *values.get("other_names", [])]
    return names.fold(" ".join(p for p in parts if p))[:600]


# ---------------------------------------------------------------------------------------------------
# Helpers


def _audit_person_view(values: dict[str, Any]) -> dict[str, Any]:
    return {k.removesuffix("_id"): val for k, val in values.items()}


def _actor_organisation(actor: User | None, organisation: Organisation | None) -> Organisation:
    """The organisation a write is made for: given explicitly, or the actor's own."""
    if organisation is None:
        if actor is None or actor.organisation is None:
            raise ValidationFailedError({"organisation": ["An organisation is required."]})
        organisation = actor.organisation
    if actor is not None and organisation.pk not in user_organisation_ids(user=actor):
        raise PermissionDeniedError(Permission.PERSON_REGISTER,
                                    f"You hold no role in the organisation '{organisation.code}'.")
    return organisation


def _check_version(obj: Model, expected_version: int | None) -> None:
    current: int = obj.version  # type: ignore[attr-defined]
    if expected_version is None or expected_version == current:
        return
    label = obj._meta.label_lower
    later = [e for e in AuditEvent.objects.filter(object_type=label, object_id=str(obj.pk)).order_by("id")
             if (e.changes.get("version") or {}).get("new", 0) > expected_version]
    changed = sorted({f for e in later for f in e.changes if f != "version"})
    who = sorted({e.actor_label for e in later})
    raise StaleEditError(
        f"This record changed since you opened it (your version {expected_version}, now {current}). "
        f"Changed: {', '.join(changed) or 'unknown fields'}; by {', '.join(who) or 'someone else'}. "
        "Reload it, check the changes, and make your edit again.",
        details={"expected_version": expected_version, "current_version": current,
                 "changed_fields": changed, "changed_by": who},
    )


def _case_event(case: Case, *, kind: CaseEventKind, summary: str, actor: User | None,
                data: dict[str, Any] | None = None, place: str = "") -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=kind, summary=summary[:500], actor=actor if actor and actor.pk else None,
        actor_label=actor.get_username() if actor else "system", organisation=getattr(actor, "organisation", None),
        data=data or {}, place=place,
    )


def case_members(case: Case) -> list[Person]:
    if case.family_id:
        return list(Person.objects.filter(memberships__family_id=case.family_id).order_by("id"))
    return [case.person] if case.person else []


# ---------------------------------------------------------------------------------------------------
# People


def _person_create(*, actor: User | None, organisation: Organisation, data: PersonData,
                   today: dt.date, codes: ReferenceCodes | None = None) -> Person:
    values, errors = validate_person_data(data, today=today, codes=codes)
    if errors:
        raise ValidationFailedError(errors)
    person = Person.objects.create(registered_by_organisation=organisation, search_text=_search_text(values),
                                   **values)
    for doc in data.documents:
        IdentityDocument.objects.create(
            person=person, doc_type=doc.doc_type, number=doc.number.strip(),
            number_folded=names.fold_document_number(doc.number), issuing_country_id=doc.issuing_country or None,
            expires_on=doc.expires_on)
    for contact in data.contacts:
        ContactChannel.objects.create(person=person, kind=contact.kind, value=contact.value.strip(),
                                      value_folded=names.fold_phone(contact.value), label=contact.label)
    # One event for the whole registration; document numbers and phone numbers are masked like names.
    changes = audit.diff({}, {**_audit_person_view(values), "organisation": organisation.code},
                         masked=PERSONAL_FIELDS)
    if data.documents:
        changes["documents"] = {"old": None, "new": [
            {"doc_type": d.doc_type, "number": audit.MASK, "issuing_country": d.issuing_country or None}
            for d in data.documents]}
    if data.contacts:
        changes["contacts"] = {"old": None, "new": [{"kind": c.kind, "value": audit.MASK} for c in data.contacts]}
    audit.record(actor=actor, action=AuditAction.PERSON_REGISTERED, obj=person, person_id=person.pk,
                 changes=changes)
    return person


def person_register(*, actor: User | None, data: PersonData, organisation: Organisation | None = None,
                    today: dt.date | None = None) -> Person:
    """Register a person (with documents and contact channels) for the actor's organisation."""
    require_permission(user=actor, permission=Permission.PERSON_REGISTER)
    organisation = _actor_organisation(actor, organisation)
    with transaction.atomic():
        return _person_create(actor=actor, organisation=organisation, data=data,
                              today=today or timezone.localdate())


def person_update(*, actor: User | None, person: Person, data: PersonData, expected_version: int | None,
                  reason: str = "", today: dt.date | None = None) -> Person:
    """Replace a person's basic record. A stale `expected_version` is refused with what changed since."""
    require_permission(user=actor, permission=Permission.PERSON_EDIT)
    values, errors = validate_person_data(replace(data, documents=[], contacts=[]),
                                          today=today or timezone.localdate())
    if errors:
        raise ValidationFailedError(errors)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if locked.anonymised_at:
            raise ValidationFailedError({"person": ["This record was anonymised and cannot be edited."]})
        _check_version(locked, expected_version)
        before = audit.snapshot(locked, [*EDITABLE_PERSON_FIELDS, "version"])
        for k, val in values.items():
            setattr(locked, k, val)
        after = audit.snapshot(locked, [*EDITABLE_PERSON_FIELDS, "version"])
        if after == before:
            return locked
        locked.version += 1
        locked.search_text = _search_text(values)
        locked.updated_at = timezone.now()
        locked.save()
        after["version"] = locked.version
        audit.record(actor=actor, action=AuditAction.PERSON_UPDATED, obj=locked, person_id=locked.pk,
                     reason=reason, changes=audit.diff(_audit_person_view(before), _audit_person_view(after),
                                                      masked=PERSONAL_FIELDS))
        return locked


# ---------------------------------------------------------------------------------------------------
# Families


@dataclass
class MemberData:
    person: Person
    relationship: str
    present: bool = True


def _family_create(*, actor: User | None, organisation: Organisation, contact: Person,
                   members: list[MemberData]) -> Family:
    relationships = {m.relationship for m in members}
    unknown = relationships - set(v.Relationship._value2member_map_)
    if unknown:
        raise ValidationFailedError({"relationship": [f"Unknown relationship(s): {', '.join(sorted(unknown))}."]})
    ids = [contact.pk, *(m.person.pk for m in members)]
    if len(ids) != len(set(ids)):
        raise ValidationFailedError({"members": ["A person can be added to a family only once."]})
    if any(m.relationship == v.Relationship.SELF for m in members):
        raise ValidationFailedError({"relationship": ["Only the contact member is 'self'."]})
    family = Family.objects.create(contact_member=contact, registered_by_organisation=organisation)
    FamilyMembership.objects.create(family=family, person=contact, relationship=v.Relationship.SELF)
    for m in members:
        FamilyMembership.objects.create(family=family, person=m.person, relationship=m.relationship,
                                        present=m.present)
    audit.record(actor=actor, action=AuditAction.FAMILY_CREATED, obj=family, person_id=contact.pk,
                 changes=audit.diff({}, {"contact_member": contact.pk, "organisation": organisation.code,
                                         "members": [{"person": m.person.pk, "relationship": m.relationship}
                                                     for m in members]}))
    return family


def family_create(*, actor: User | None, contact: Person, members: list[MemberData],
                  organisation: Organisation | None = None) -> Family:
    """Group registered people into a family around a contact member."""
    require_permission(user=actor, permission=Permission.FAMILY_EDIT)
    organisation = _actor_organisation(actor, organisation)
    from .selectors import person_get_visible_to

    if actor is not None:
        for p in [contact, *(m.person for m in members)]:
            person_get_visible_to(user=actor, person_id=p.pk)
    with transaction.atomic():
        return _family_create(actor=actor, organisation=organisation, contact=contact, members=members)


def family_member_add(*, actor: User | None, family: Family, member: MemberData,
                      expected_version: int | None) -> FamilyMembership:
    require_permission(user=actor, permission=Permission.FAMILY_EDIT)
    if member.relationship not in v.Relationship._value2member_map_ or member.relationship == v.Relationship.SELF:
        raise ValidationFailedError({"relationship": [f"Unknown or invalid relationship {member.relationship!r}."]})
    with transaction.atomic():
        locked = Family.objects.select_for_update().get(pk=family.pk)
        _check_version(locked, expected_version)
        if FamilyMembership.objects.filter(family=locked, person=member.person).exists():
            raise ValidationFailedError({"person": ["This person is already a member of the family."]})
        membership = FamilyMembership.objects.create(family=locked, person=member.person,
                                                     relationship=member.relationship, present=member.present)
        locked.version += 1
        locked.save(update_fields=["version"])
        audit.record(actor=actor, action=AuditAction.FAMILY_MEMBER_ADDED, obj=locked, person_id=member.person.pk,
                     changes={"members": {"old": None, "new": {"person": member.person.pk,
                                                               "relationship": member.relationship}},
                              "version": {"old": locked.version - 1, "new": locked.version}})
        for case in Case.objects.filter(family=locked):
            _case_event(case, kind=CaseEventKind.MEMBER_ADDED, actor=actor,
                        summary=f"{member.person.reference} joined the family as {member.relationship}.",
                        data={"person": member.person.reference, "relationship": member.relationship})
        return membership


# ---------------------------------------------------------------------------------------------------
# Cases


def _case_open(*, actor: User | None, organisation: Organisation, kind: str, person: Person | None,
               family: Family | None, site: Place | None = None, assigned_worker: User | None = None,
               opened_on: dt.date | None = None, place_in_line_on: dt.date | None = None,
               status: str = v.CaseStatus.REGISTERED.value, summary_note: str = "") -> Case:
    errors: dict[str, list[str]] = {}
    if kind not in v.CaseKind._value2member_map_:
        errors["kind"] = [f"Unknown case kind {kind[:40]!r}."]
    if (person is None) == (family is None):
        errors["subject"] = ["A case is opened for exactly one person or one family."]
    if status not in (v.CaseStatus.REGISTERED, v.CaseStatus.WAITING):
        errors["status"] = ["A new case starts as registered or waiting."]
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        errors["opened_on"] = ["The opening date is in the future."]
    if place_in_line_on and place_in_line_on > opened_on:
        errors["place_in_line_on"] = ["The place-in-line date cannot be after the opening date."]
    if assigned_worker is not None and assigned_worker.organisation_id != organisation.pk:
        errors["assigned_worker"] = ["The assigned worker must belong to the organisation holding the case."]
    if errors:
        raise ValidationFailedError(errors)
    case = Case.objects.create(
        reference=f"tmp-{uuid.uuid4().hex[:12]}", kind=kind, status=status, person=person, family=family,
        holding_organisation=organisation, site=site, assigned_worker=assigned_worker, opened_on=opened_on,
        place_in_line_on=place_in_line_on)
    case.reference = f"CR-{opened_on.year}-{case.pk:06d}"
    case.save(update_fields=["reference"])
    subject = person.reference if person else (family.reference if family else "")
    _case_event(case, kind=CaseEventKind.OPENED, actor=actor,
                summary=f"Case {case.reference} ({kind.replace('_', ' ')}) opened for {subject} by "
                        f"{organisation.code}." + (f" {summary_note}" if summary_note else ""),
                place=site.name if site else "",
                data={"reference": case.reference, "kind": kind, "subject": subject, "organisation": organisation.code,
                      "note": summary_note})
    audit.record(actor=actor, action=AuditAction.CASE_OPENED, obj=case,
                 person_id=person.pk if person else (family.contact_member_id if family else None),
                 changes=audit.diff({}, {"reference": case.reference, "kind": kind, "status": status,
                                         "person": person.pk if person else None,
                                         "family": family.pk if family else None,
                                         "organisation": organisation.code, "site": site.code if site else None,
                                         "assigned_worker": assigned_worker.username if assigned_worker else None,
                                         "opened_on": opened_on, "place_in_line_on": place_in_line_on}))
    return case


def case_open(*, actor: User | None, kind: str, person: Person | None = None, family: Family | None = None,
              organisation: Organisation | None = None, site: Place | None = None,
              assigned_worker: User | None = None, opened_on: dt.date | None = None,
              place_in_line_on: dt.date | None = None, status: str = v.CaseStatus.REGISTERED.value) -> Case:
    require_permission(user=actor, permission=Permission.CASE_OPEN)
    organisation = _actor_organisation(actor, organisation)
    if actor is not None:
        from .selectors import family_get_visible_to, person_get_visible_to

        if person is not None:
            person_get_visible_to(user=actor, person_id=person.pk)
        if family is not None:
            family_get_visible_to(user=actor, family_id=family.pk)
    with transaction.atomic():
        return _case_open(actor=actor, organisation=organisation, kind=kind, person=person, family=family,
                          site=site, assigned_worker=assigned_worker, opened_on=opened_on,
                          place_in_line_on=place_in_line_on, status=status)


def case_transition(*, actor: User | None, case: Case, target: str, expected_version: int | None,
                    reason: str = "", on: dt.date | None = None) -> Case:
    """Move a case to another status, if the transition table allows it."""
    require_permission(user=actor, permission=Permission.CASE_TRANSITION)
    return case_transition_within(actor=actor, case=case, target=target, expected_version=expected_version,
                                  reason=reason, on=on)


def case_transition_within(*, actor: User | None, case: Case, target: str, expected_version: int | None,
                           reason: str = "", on: dt.date | None = None) -> Case:
    """The status move itself, for a service that already checked its own permission (booking an appointment
    schedules the case; checking in opens custody): the move is attributed to the person who acted."""
    if target not in v.CaseStatus._value2member_map_:
        raise ValidationFailedError({"status": [f"Unknown status {target[:40]!r}."]})
    problem = text.free_text_problem(reason, max_length=500)
    if problem:
        raise ValidationFailedError({"reason": [f"The reason {problem}."]})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        _check_version(locked, expected_version)
        current, wanted = v.CaseStatus(locked.status), v.CaseStatus(target)
        if not case_status.can_transition(current, wanted):
            allowed = ", ".join(sorted(s.value for s in case_status.allowed_next(current)))
            raise InvalidTransitionError(
                f"A case that is {current.value} cannot become {wanted.value}; allowed next: {allowed}.",
                field="status", details={"from": current.value, "to": wanted.value, "allowed": allowed})
        if current is v.CaseStatus.CLOSED and not reason.strip():
            raise ValidationFailedError({"reason": ["Reopening a closed case needs a reason."]})
        before = audit.snapshot(locked, ["status", "closed_on", "version"])
        locked.status = wanted.value
        locked.closed_on = (on or timezone.localdate()) if wanted is v.CaseStatus.CLOSED else None
        if locked.closed_on and locked.closed_on < locked.opened_on:
            raise ValidationFailedError({"closed_on": ["A case cannot close before it opened."]})
        locked.version += 1
        locked.updated_at = timezone.now()
        locked.save()
        _case_event(locked, kind=CaseEventKind.STATUS_CHANGED, actor=actor,
                    summary=f"Status changed from {current.value.replace('_', ' ')} to "
                            f"{wanted.value.replace('_', ' ')}." + (f" Reason: {reason.strip()}" if reason else ""),
                    data={"from": current.value, "to": wanted.value, "reason": reason.strip()})
        audit.record(actor=actor, action=AuditAction.CASE_TRANSITIONED, obj=locked, reason=reason,
                     changes=audit.diff(before, audit.snapshot(locked, ["status", "closed_on", "version"])))
        return locked


def case_update(*, actor: User | None, case: Case, expected_version: int | None,
                assigned_worker: User | object | None = ..., site: Place | object | None = ...,
                reason: str = "") -> Case:
    """Reassign a case's worker or site (other fields change through their own services)."""
    require_permission(user=actor, permission=Permission.CASE_EDIT)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        _check_version(locked, expected_version)
        tracked = ["assigned_worker_id", "site_id", "version"]
        before = audit.snapshot(locked, tracked)
        if assigned_worker is not ...:
            if isinstance(assigned_worker, User) and assigned_worker.organisation_id != locked.holding_organisation_id:
                raise ValidationFailedError({"assigned_worker": [
                    "The assigned worker must belong to the organisation holding the case."]})
            locked.assigned_worker = assigned_worker  # type: ignore[assignment]
        if site is not ...:
            locked.site = site  # type: ignore[assignment]
        after = audit.snapshot(locked, tracked)
        if after == before:
            return locked
        locked.version += 1
        locked.updated_at = timezone.now()
        locked.save()
        changes = audit.diff(before, audit.snapshot(locked, tracked))
        changed = [f.removesuffix("_id") for f in changes if f != "version"]
        _case_event(locked, kind=CaseEventKind.UPDATED, actor=actor,
                    summary="Case updated: " + ", ".join(f.replace("_", " ") for f in changed) + ".",
                    data={"fields": changed})
        audit.record(actor=actor, action=AuditAction.CASE_UPDATED, obj=locked, reason=reason, changes=changes)
        return locked


def case_note_add(*, actor: User | None, case: Case, note: str) -> CaseEvent:
    require_permission(user=actor, permission=Permission.CASE_EDIT)
    problem = text.free_text_problem(note, max_length=500, required=True, allow_newlines=True)
    if problem:
        raise ValidationFailedError({"note": [f"The note {problem}."]})
    with transaction.atomic():
        event = _case_event(case, kind=CaseEventKind.NOTE, actor=actor, summary=note.strip())
        audit.record(actor=actor, action=AuditAction.CASE_NOTE_ADDED, obj=case,
                     changes={"note": {"old": None, "new": audit.MASK}})
        return event


def case_share(*, actor: User | None, case: Case, organisation: Organisation, consent_given_by: str,
               purpose: str) -> CaseShare:
    """Share a case with another organisation. Consent must be recorded: who gave it, for what purpose."""
    require_permission(user=actor, permission=Permission.CASE_SHARE)
    errors: dict[str, list[str]] = {}
    for f, value, limit in (("consent_given_by", consent_given_by, 200), ("purpose", purpose, 300)):
        problem = text.free_text_problem(value, max_length=limit, required=True)
        if problem:
            errors[f] = [f"The {f.replace('_', ' ')} {problem}."]
    if organisation.pk == case.holding_organisation_id:
        errors["organisation"] = ["The case is already held by this organisation."]
    if errors:
        raise ValidationFailedError(errors)
    with transaction.atomic():
        if CaseShare.objects.filter(case=case, organisation=organisation, revoked_at__isnull=True).exists():
            raise ValidationFailedError({"organisation": ["The case is already shared with this organisation."]})
        share = CaseShare.objects.create(case=case, organisation=organisation, consent_given_by=consent_given_by,
                                         purpose=purpose, shared_by=actor if actor and actor.pk else None)
        _case_event(case, kind=CaseEventKind.SHARED, actor=actor,
                    summary=f"Shared with {organisation.code} for: {purpose.strip()} (consent recorded).",
                    data={"organisation": organisation.code, "purpose": purpose.strip()})
        audit.record(actor=actor, action=AuditAction.CASE_SHARED, obj=case,
                     changes=audit.diff({}, {"shared_with": organisation.code, "purpose": purpose,
                                             "consent_given_by": consent_given_by},
                                        masked={"consent_given_by"}))
        return share


# ---------------------------------------------------------------------------------------------------
# Vulnerability


def case_expedite_assessments(case: Case) -> list[VulnerabilityAssessment]:
    """The latest assessment of each member of the case that decides to expedite."""
    deciding = []
    for member in case_members(case):
        latest = (VulnerabilityAssessment.objects.filter(person=member).select_related("person")
                  .order_by("-assessed_on", "-id").first())
        if latest and latest.expedite:
            deciding.append(latest)
    return deciding


def _refresh_case_expedite(case: Case) -> None:
    """A case is expedited when the latest assessment of any member decides so."""
    deciding = case_expedite_assessments(case)
    case.expedite = bool(deciding)
    case.expedite_reason = "; ".join(f"{a.person.reference} {a.expedite_reason}" for a in deciding)[:300]
    case.save(update_fields=["expedite", "expedite_reason"])


def vulnerability_assess(*, actor: User | None, person: Person, conditions: list[str],
                         assessed_on: dt.date | None = None, case: Case | None = None,
                         override: bool | None = None, override_reason: str = "",
                         organisation: Organisation | None = None) -> VulnerabilityAssessment:
    """Record a dated, structured assessment and its expedite decision; update the person's open cases."""
    require_permission(user=actor, permission=Permission.VULNERABILITY_ASSESS)
    organisation = _actor_organisation(actor, organisation)
    errors: dict[str, list[str]] = {}
    unknown = [c for c in conditions if c not in v.Vulnerability._value2member_map_]
    if unknown:
        errors["conditions"] = [f"Unknown condition(s): {', '.join(u[:40] for u in unknown)}."]
    assessed_on = assessed_on or timezone.localdate()
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = ["The assessment date is in the future."]
    problem = text.free_text_problem(override_reason, max_length=200, required=override is not None)
    if problem:
        errors["override_reason"] = [f"The reason for overriding the rule {problem}."]
    if errors:
        raise ValidationFailedError(errors)
    decision = decide_expedite({v.Vulnerability(c) for c in conditions}, override=override,
                               override_reason=override_reason)
    with transaction.atomic():
        assessment = VulnerabilityAssessment.objects.create(
            person=person, case=case, assessed_on=assessed_on, assessed_by=actor if actor and actor.pk else None,
            organisation=organisation, conditions=sorted(set(conditions)), expedite=decision.expedite,
            expedite_reason=decision.reason[:300], override=override)
        audit.record(actor=actor, action=AuditAction.VULNERABILITY_ASSESSED, obj=assessment, person_id=person.pk,
                     changes=audit.diff({}, {"conditions": assessment.conditions, "expedite": decision.expedite,
                                             "reason": decision.reason, "override": override,
                                             "assessed_on": assessed_on}))
        affected = Case.objects.filter(closed_on__isnull=True).filter(
            models_q_person_or_family(person)).distinct()
        for open_case in affected:
            _refresh_case_expedite(open_case)
            _case_event(open_case, kind=CaseEventKind.ASSESSMENT, actor=actor,
                        summary=f"Vulnerability assessed for {person.reference}: {decision.reason}.",
                        data={"assessment": assessment.pk, "person": person.reference, "expedite": decision.expedite,
                              "deciding": [c.value for c in decision.deciding],
                              "override": override})
        return assessment


def models_q_person_or_family(person: Person) -> Any:
    from django.db.models import Q

    return Q(person=person) | Q(family__memberships__person=person)


# ---------------------------------------------------------------------------------------------------
# Sensitive details


SENSITIVE_PERMISSIONS = {
    SensitiveKind.PROTECTION_NARRATIVE: (Permission.SENSITIVE_PROTECTION_VIEW, Permission.SENSITIVE_PROTECTION_EDIT),
    SensitiveKind.GBV: (Permission.SENSITIVE_PROTECTION_VIEW, Permission.SENSITIVE_PROTECTION_EDIT),
    SensitiveKind.HEALTH: (Permission.SENSITIVE_HEALTH_VIEW, Permission.SENSITIVE_HEALTH_EDIT),
}


def sensitive_detail_record(*, actor: User | None, person: Person, kind: str, text_value: str,
                            organisation: Organisation | None = None) -> SensitiveDetail:
    if kind not in SensitiveKind.values:
        raise ValidationFailedError({"kind": [f"Unknown kind of sensitive detail {kind[:30]!r}."]})
    require_permission(user=actor, permission=SENSITIVE_PERMISSIONS[SensitiveKind(kind)][1])
    organisation = _actor_organisation(actor, organisation)
    problem = text.free_text_problem(text_value, max_length=20000, required=True, allow_newlines=True)
    if problem:
        raise ValidationFailedError({"text": [f"The text {problem}."]})
    with transaction.atomic():
        detail = SensitiveDetail.objects.create(person=person, kind=kind, text=text_value.strip(),
                                                recorded_by=actor if actor and actor.pk else None,
                                                organisation=organisation)
        audit.record(actor=actor, action=AuditAction.SENSITIVE_RECORDED, obj=detail, person_id=person.pk,
                     changes={"kind": {"old": None, "new": kind}, "text": {"old": None, "new": audit.MASK}})
        return detail


def sensitive_details_reveal(*, actor: User, person: Person, reason: str = "") -> list[SensitiveDetail]:
    """The sensitive details of a person the actor may see; each one revealed is an audit event."""
    from corredor.accounts.selectors import user_has_permission

    kinds = [k for k, (view, _edit) in SENSITIVE_PERMISSIONS.items()
             if user_has_permission(user=actor, permission=view)]
    if not kinds:
        raise PermissionDeniedError(Permission.SENSITIVE_PROTECTION_VIEW,
                                    "Your role may not see sensitive details.")
    details = list(SensitiveDetail.objects.filter(person=person, kind__in=kinds))
    with transaction.atomic():
        for detail in details:
            audit.record(actor=actor, action=AuditAction.SENSITIVE_VIEWED, obj=detail, person_id=person.pk,
                         reason=reason, changes={"kind": {"old": None, "new": detail.kind}})
    return details
