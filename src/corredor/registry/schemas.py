"""API shapes of the registry. Lengths are bounded here too, so oversized input fails before any work."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

Short = Annotated[str, Field(max_length=200)]
Long = Annotated[str, Field(max_length=20000)]


class DocumentIn(Schema):
    doc_type: Short
    number: Short
    issuing_country: Short = ""
    expires_on: dt.date | None = None


class ContactIn(Schema):
    kind: Short
    value: Short
    label: Short = ""


class PersonIn(Schema):
    given_names: Short
    first_surname: Short = ""
    second_surname: Short = ""
    other_names: Annotated[list[Short], Field(max_length=50)] = []
    sex: Short = "unknown"
    gender_identity: Short = ""
    date_of_birth: dt.date | None = None
    dob_precision: Short = ""
    stated_age: Annotated[int, Field(ge=0, le=150)] | None = None
    nationality: Short = ""
    other_nationalities: Annotated[list[Short], Field(max_length=10)] = []
    origin_country: Short = ""
    origin_subdivision: Short = ""
    origin_municipality: Short = ""
    languages: Annotated[list[Short], Field(max_length=20)] = []
    needs_interpreter: bool = False
    current_place: Short = ""
    current_location_note: Short = ""
    documents: Annotated[list[DocumentIn], Field(max_length=20)] = []
    contacts: Annotated[list[ContactIn], Field(max_length=20)] = []


class PersonUpdateIn(PersonIn):
    version: int
    reason: Short = ""


class DocumentOut(Schema):
    doc_type: str
    number: str
    issuing_country: str | None
    expires_on: dt.date | None


class ContactOut(Schema):
    kind: str
    value: str
    label: str


class PersonOut(Schema):
    id: int
    reference: str
    given_names: str
    first_surname: str
    second_surname: str
    other_names: list[str]
    sex: str
    gender_identity: str
    date_of_birth: dt.date | None
    dob_precision: str
    nationality: str | None
    other_nationalities: list[str]
    origin_country: str | None
    origin_subdivision: str | None
    origin_municipality: str
    languages: list[str]
    needs_interpreter: bool
    current_place: str | None
    current_location_note: str
    registered_by_organisation: str
    version: int
    documents: list[DocumentOut]
    contacts: list[ContactOut]


class PersonSummaryOut(Schema):
    id: int
    reference: str
    given_names: str
    first_surname: str
    second_surname: str
    date_of_birth: dt.date | None
    dob_precision: str
    nationality: str | None


class MemberIn(Schema):
    person_id: int
    relationship: Short
    present: bool = True


class FamilyIn(Schema):
    contact_person_id: int
    members: Annotated[list[MemberIn], Field(max_length=40)] = []


class FamilyMemberAddIn(MemberIn):
    version: int


class FamilyMemberOut(Schema):
    person_id: int
    reference: str
    relationship: str
    present: bool
    child_status: str


class FamilyOut(Schema):
    id: int
    reference: str
    contact_person_id: int | None
    version: int
    members: list[FamilyMemberOut]


class CaseIn(Schema):
    kind: Short
    person_id: int | None = None
    family_id: int | None = None
    site: Short = ""
    opened_on: dt.date | None = None
    place_in_line_on: dt.date | None = None
    status: Short = "registered"


class CaseUpdateIn(Schema):
    version: int
    assigned_worker: Short | None = None
    site: Short | None = None
    reason: Short = ""


class TransitionIn(Schema):
    status: Short
    version: int
    reason: Short = ""


class NoteIn(Schema):
    note: Annotated[str, Field(max_length=2000)]


class ShareIn(Schema):
    organisation: Short
    consent_given_by: Short
    purpose: Short


class CaseEventOut(Schema):
    occurred_at: dt.datetime
    kind: str
    summary: str
    place: str
    actor: str


class CaseOut(Schema):
    id: int
    reference: str
    kind: str
    status: str
    allowed_next: list[str]
    person_id: int | None
    family_id: int | None
    holding_organisation: str
    site: str | None
    assigned_worker: str | None
    opened_on: dt.date
    closed_on: dt.date | None
    place_in_line_on: dt.date | None
    expedite: bool
    expedite_reason: str
    version: int


class CaseDetailOut(CaseOut):
    timeline: list[CaseEventOut]


class AssessmentIn(Schema):
    conditions: Annotated[list[Short], Field(max_length=20)]
    assessed_on: dt.date | None = None
    case_reference: Short = ""
    override: bool | None = None
    override_reason: Short = ""


class AssessmentOut(Schema):
    id: int
    person_id: int
    assessed_on: dt.date
    conditions: list[str]
    expedite: bool
    expedite_reason: str


class SensitiveIn(Schema):
    kind: Short
    text: Long


class SensitiveOut(Schema):
    id: int
    kind: str
    text: str
    recorded_at: dt.datetime
    recorded_by: str


class SearchOut(Schema):
    people: list[PersonSummaryOut]
    cases: list[CaseOut]


class AggregateOut(Schema):
    key: str
    count: int | None
    suppressed: bool


class ImportRowErrorOut(Schema):
    row: int
    column: str
    reason: str


class ImportOut(Schema):
    mode: str
    rows: int
    people_created: int
    families_created: int
    cases_created: int
    already_imported: int
    skipped_rows: list[int]
    errors: list[ImportRowErrorOut]
    committed: bool
