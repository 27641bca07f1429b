"""The typed audit actions. Every write in Corredor is one of these; views of sensitive data are too."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    # registry
    PERSON_REGISTERED = "person.registered"
    PEOPLE_BULK_REGISTERED = "people.bulk_registered"
    PERSON_UPDATED = "person.updated"
    PERSON_ANONYMISED = "person.anonymised"
    PERSON_EXPORTED = "person.exported"
    FAMILY_CREATED = "family.created"
    FAMILY_UPDATED = "family.updated"
    FAMILY_MEMBER_ADDED = "family.member_added"
    FAMILY_MEMBER_REMOVED = "family.member_removed"
    CASE_OPENED = "case.opened"
    CASE_UPDATED = "case.updated"
    CASE_TRANSITIONED = "case.transitioned"
    CASE_SHARED = "case.shared"
    CASE_NOTE_ADDED = "case.note_added"
    VULNERABILITY_ASSESSED = "vulnerability.assessed"
    SENSITIVE_RECORDED = "sensitive.recorded"
    SENSITIVE_VIEWED = "sensitive.viewed"
    IMPORT_RUN = "import.run"
    # appointments
    WAITLIST_UPDATED = "waitlist.updated"
    CAPACITY_SET = "capacity.set"
    POLICY_CREATED = "policy.created"
    RUN_REQUESTED = "run.requested"
    RUN_PUBLISHED = "run.published"
    RUN_DISCARDED = "run.discarded"
    APPOINTMENT_BOOKED = "appointment.booked"
    APPOINTMENT_CANCELLED = "appointment.cancelled"
    APPOINTMENT_RESCHEDULED = "appointment.rescheduled"
    APPOINTMENT_NO_SHOW = "appointment.no_show"
    APPOINTMENT_CHECKED_IN = "appointment.checked_in"
    # accounts
    USER_CREATED = "user.created"
    USER_UPDATED = "user.updated"
    ROLE_ASSIGNED = "role.assigned"
    ROLE_REVOKED = "role.revoked"
    TOKEN_ISSUED = "token.issued"
    TOKEN_REVOKED = "token.revoked"
    ORGANISATION_CREATED = "organisation.created"
    ORGANISATION_UPDATED = "organisation.updated"
    # reference data
    REFERENCE_CREATED = "reference.created"
    REFERENCE_UPDATED = "reference.updated"
    REFERENCE_DELETED = "reference.deleted"
    # generic writes made through the admin on models without a richer action
    ADMIN_CHANGED = "admin.changed"
    ADMIN_DELETED = "admin.deleted"
