"""Plain dictionaries of registry records for the API and exports (no sensitive details here)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from corredor.core.registry import case_status
from corredor.core.registry import vocab as v
from corredor.core.registry.family import Member, child_status

from . import labels
from .models import Case, Family, Person


def person_dict(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk, "reference": person.reference, "given_names": person.given_names,
        "first_surname": person.first_surname, "second_surname": person.second_surname,
        "other_names": person.other_names, "sex": person.sex, "gender_identity": person.gender_identity,
        "date_of_birth": person.date_of_birth, "dob_precision": person.dob_precision,
        "nationality": person.nationality_id, "other_nationalities": person.other_nationalities,
        "origin_country": person.origin_country_id, "origin_subdivision": person.origin_subdivision_id,
        "origin_municipality": person.origin_municipality, "languages": person.languages,
        "needs_interpreter": person.needs_interpreter,
        "current_place": person.current_place.code if person.current_place_id and person.current_place else None,
        "current_location_note": person.current_location_note,
        "registered_by_organisation": person.registered_by_organisation.code, "version": person.version,
        "documents": [{"doc_type": d.doc_type, "number": d.number, "issuing_country": d.issuing_country_id,
                       "expires_on": d.expires_on} for d in person.documents.all()],
        "contacts": [{"kind": c.kind, "value": c.value, "label": c.label} for c in person.contacts.all()],
    }


def person_summary(person: Person) -> dict[str, Any]:
    return {"id": person.pk, "reference": person.reference, "given_names": person.given_names,
            "first_surname": person.first_surname, "second_surname": person.second_surname,
            "date_of_birth": person.date_of_birth, "dob_precision": person.dob_precision,
            "nationality": person.nationality_id}


def family_members(family: Family) -> list[dict[str, Any]]:
    today = timezone.localdate()
    memberships = list(family.memberships.select_related("person").order_by("id"))
    members = [Member(m.person_id, v.Relationship(m.relationship), m.person.date_of_birth,
                      v.DobPrecision(m.person.dob_precision) if m.person.dob_precision else None, m.present)
               for m in memberships]
    return [{"person_id": m.person_id, "reference": m.person.reference, "person": m.person,
             "relationship": m.relationship, "relationship_label": labels.RELATIONSHIP[v.Relationship(m.relationship)],
             "present": m.present,
             "child_status": child_status(member, members, today).value}
            for m, member in zip(memberships, members, strict=True)]


def family_dict(family: Family) -> dict[str, Any]:
    return {"id": family.pk, "reference": family.reference, "contact_person_id": family.contact_member_id,
            "version": family.version,
            "members": [{k: val for k, val in m.items() if k not in ("person", "relationship_label")}
                        for m in family_members(family)]}


def case_dict(case: Case, *, timeline: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": case.pk, "reference": case.reference, "kind": case.kind, "status": case.status,
        "allowed_next": sorted(s.value for s in case_status.allowed_next(v.CaseStatus(case.status))),
        "person_id": case.person_id, "family_id": case.family_id,
        "holding_organisation": case.holding_organisation.code,
        "site": case.site.code if case.site_id and case.site else None,
        "assigned_worker": case.assigned_worker.username if case.assigned_worker_id and case.assigned_worker else None,
        "opened_on": case.opened_on, "closed_on": case.closed_on, "place_in_line_on": case.place_in_line_on,
        "expedite": case.expedite, "expedite_reason": case.expedite_reason, "version": case.version,
    }
    if timeline:
        data["timeline"] = [{"occurred_at": e.occurred_at, "kind": e.kind, "summary": e.summary,
                             "place": e.place, "actor": e.actor_label} for e in case.events.all()]
    return data
