"""Roles, permissions and the role -> permission matrix: one table, used by the code and rendered in the docs.

A permission is a named capability. A user holds the union of the permissions of their active role
assignments; an API token narrows that to its own scopes. Scope (which organisation's cases a user may
see) is decided by the selectors, not here.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    INTAKE_WORKER = "intake_worker"
    PORT_OFFICER = "port_officer"
    ASYLUM_OFFICER = "asylum_officer"
    RECEPTION_STAFF = "reception_staff"
    HEALTH_SCREENER = "health_screener"
    ORR_CASEWORKER = "orr_caseworker"
    CASE_MANAGER = "case_manager"
    LEGAL_PROVIDER = "legal_provider"
    COORDINATOR = "coordinator"
    ANALYST = "analyst"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"


ROLE_LABELS = {
    Role.INTAKE_WORKER: _("Intake worker"),
    Role.PORT_OFFICER: _("Port officer"),
    Role.ASYLUM_OFFICER: _("Asylum officer"),
    Role.RECEPTION_STAFF: _("Reception-centre staff"),
    Role.HEALTH_SCREENER: _("Health screener"),
    Role.ORR_CASEWORKER: _("Child-welfare (ORR) caseworker"),
    Role.CASE_MANAGER: _("Case manager"),
    Role.LEGAL_PROVIDER: _("Legal-service provider"),
    Role.COORDINATOR: _("Coordinator / planner"),
    Role.ANALYST: _("Analyst"),
    Role.AUDITOR: _("Auditor"),
    Role.ADMINISTRATOR: _("Administrator"),
}


class Permission(StrEnum):
    PERSON_VIEW = "person.view"
    PERSON_REGISTER = "person.register"
    PERSON_EDIT = "person.edit"
    FAMILY_EDIT = "family.edit"
    CASE_VIEW = "case.view"
    CASE_OPEN = "case.open"
    CASE_EDIT = "case.edit"
    CASE_TRANSITION = "case.transition"
    CASE_SHARE = "case.share"
    CASE_VIEW_ANY_ORGANISATION = "case.view_any_organisation"
    VULNERABILITY_ASSESS = "vulnerability.assess"
    SENSITIVE_PROTECTION_VIEW = "sensitive.protection.view"
    SENSITIVE_PROTECTION_EDIT = "sensitive.protection.edit"
    SENSITIVE_HEALTH_VIEW = "sensitive.health.view"
    SENSITIVE_HEALTH_EDIT = "sensitive.health.edit"
    AGGREGATES_VIEW = "aggregates.view"
    AUDIT_VIEW = "audit.view"
    DATA_IMPORT = "data.import"
    SUBJECT_EXPORT = "data.subject_export"
    USER_MANAGE = "user.manage"
    REFERENCE_MANAGE = "reference.manage"
    RETENTION_RUN = "retention.run"
    WAITLIST_MANAGE = "waitlist.manage"
    HEALTH_SCREENING_RECORD = "health_screening.record"
    APPOINTMENT_VIEW = "appointment.view"
    APPOINTMENT_BOOK = "appointment.book"
    APPOINTMENT_CHECK_IN = "appointment.check_in"
    CAPACITY_MANAGE = "capacity.manage"
    ALLOCATION_RUN = "allocation.run"
    CUSTODY_VIEW = "custody.view"
    CUSTODY_MANAGE = "custody.manage"
    CUSTODY_RELEASE = "custody.release"
    CUSTODY_SUPERVISE = "custody.supervise"
    ORR_PLACEMENT_DECIDE = "orr.placement_decide"
    RECEPTION_SCREEN = "reception.screen"
    FACILITY_MANAGE = "facility.manage"
    FACILITY_BEDS_REPORT = "facility.beds_report"
    OCCUPANCY_VIEW = "occupancy.view"
    PATHWAY_SCREEN = "pathway.screen"
    PATHWAY_APPLY = "pathway.apply"
    PLANNING_RUN = "planning.run"


P = Permission
_CASEWORK_READ = {P.PERSON_VIEW, P.CASE_VIEW}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.INTAKE_WORKER: frozenset(
        _CASEWORK_READ
        | {P.PERSON_REGISTER, P.PERSON_EDIT, P.FAMILY_EDIT, P.CASE_OPEN, P.CASE_EDIT, P.CASE_TRANSITION,
           P.VULNERABILITY_ASSESS, P.SENSITIVE_PROTECTION_VIEW, P.SENSITIVE_PROTECTION_EDIT, P.DATA_IMPORT,
           P.WAITLIST_MANAGE, P.APPOINTMENT_VIEW, P.PATHWAY_SCREEN, P.PATHWAY_APPLY}
    ),
    Role.PORT_OFFICER: frozenset(_CASEWORK_READ | {P.CASE_TRANSITION, P.APPOINTMENT_VIEW, P.APPOINTMENT_CHECK_IN,
                                                   P.CUSTODY_VIEW, P.CUSTODY_MANAGE}),
    Role.ASYLUM_OFFICER: frozenset(
        _CASEWORK_READ | {P.CASE_EDIT, P.CASE_TRANSITION, P.VULNERABILITY_ASSESS, P.SENSITIVE_PROTECTION_VIEW,
                          P.APPOINTMENT_VIEW}
    ),
    Role.RECEPTION_STAFF: frozenset(
        _CASEWORK_READ | {P.PERSON_EDIT, P.FAMILY_EDIT, P.CASE_EDIT, P.CASE_TRANSITION, P.VULNERABILITY_ASSESS,
                          P.CUSTODY_VIEW, P.CUSTODY_MANAGE, P.CUSTODY_RELEASE, P.CUSTODY_SUPERVISE,
                          P.RECEPTION_SCREEN, P.FACILITY_BEDS_REPORT, P.OCCUPANCY_VIEW}
    ),
    Role.HEALTH_SCREENER: frozenset(_CASEWORK_READ | {P.SENSITIVE_HEALTH_VIEW, P.SENSITIVE_HEALTH_EDIT,
                                                      P.HEALTH_SCREENING_RECORD, P.CUSTODY_VIEW, P.RECEPTION_SCREEN}),
    Role.ORR_CASEWORKER: frozenset(
        _CASEWORK_READ | {P.CASE_EDIT, P.CASE_TRANSITION, P.VULNERABILITY_ASSESS, P.SENSITIVE_PROTECTION_VIEW,
                          P.SENSITIVE_HEALTH_VIEW, P.CUSTODY_VIEW, P.CUSTODY_RELEASE, P.ORR_PLACEMENT_DECIDE,
                          P.RECEPTION_SCREEN, P.FACILITY_BEDS_REPORT}
    ),
    Role.CASE_MANAGER: frozenset(
        _CASEWORK_READ
        | {P.PERSON_EDIT, P.FAMILY_EDIT, P.CASE_OPEN, P.CASE_EDIT, P.CASE_TRANSITION, P.CASE_SHARE,
           P.VULNERABILITY_ASSESS, P.SENSITIVE_PROTECTION_VIEW, P.SUBJECT_EXPORT, P.FACILITY_BEDS_REPORT,
           P.PATHWAY_SCREEN, P.PATHWAY_APPLY}
    ),
    Role.LEGAL_PROVIDER: frozenset(_CASEWORK_READ | {P.SENSITIVE_PROTECTION_VIEW, P.SENSITIVE_PROTECTION_EDIT,
                                                     P.CUSTODY_VIEW, P.RECEPTION_SCREEN, P.PATHWAY_SCREEN,
                                                     P.PATHWAY_APPLY}),
    Role.COORDINATOR: frozenset(_CASEWORK_READ | {P.CASE_SHARE, P.AGGREGATES_VIEW, P.DATA_IMPORT, P.WAITLIST_MANAGE,
                                                  P.APPOINTMENT_VIEW, P.APPOINTMENT_BOOK, P.CAPACITY_MANAGE,
                                                  P.ALLOCATION_RUN, P.OCCUPANCY_VIEW, P.FACILITY_MANAGE,
                                                  P.PLANNING_RUN}),
    Role.ANALYST: frozenset({P.AGGREGATES_VIEW, P.OCCUPANCY_VIEW}),
    Role.AUDITOR: frozenset(_CASEWORK_READ | {P.CASE_VIEW_ANY_ORGANISATION, P.AUDIT_VIEW, P.CUSTODY_VIEW,
                                              P.OCCUPANCY_VIEW}),
    Role.ADMINISTRATOR: frozenset({P.USER_MANAGE, P.REFERENCE_MANAGE, P.RETENTION_RUN, P.AUDIT_VIEW,
                                   P.FACILITY_MANAGE}),
}


def render_matrix_markdown() -> str:
    """The role x permission matrix as a Markdown table (written into docs/permissions.md)."""
    roles = list(Role)
    lines = ["| permission | " + " | ".join(r.value for r in roles) + " |",
             "|---|" + "---|" * len(roles)]
    for perm in Permission:
        cells = ["✔" if perm in ROLE_PERMISSIONS[r] else "" for r in roles]
        lines.append(f"| `{perm.value}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
