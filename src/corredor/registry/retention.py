"""Retention: people whose every case closed more than the retention period ago are anonymised.

What stays: the case skeleton (kind, status, dates, organisation), the person's sex, nationality and year
of birth (for statistics) and the whole audit trail, which never held personal values. What goes: names,
aliases, exact birth date, documents, contact channels, sensitive details, free-text notes, import keys.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from corredor.accounts.models import User
from corredor.accounts.selectors import require_permission
from corredor.audit import services as audit
from corredor.audit.events import AuditAction
from corredor.core.registry import vocab as v
from corredor.platform.authz import Permission

from .models import (
    Case,
    CaseEvent,
    CaseEventKind,
    ContactChannel,
    IdentityDocument,
    ImportedRecord,
    Person,
    SensitiveDetail,
)

ANONYMISED = "(anonymised)"


@dataclass(frozen=True)
class RetentionReport:
    cutoff: dt.date
    anonymised: int


def people_due_for_anonymisation(*, today: dt.date, retention_days: int) -> list[int]:
    cutoff = today - dt.timedelta(days=retention_days)
    member_of = Q(person=OuterRef("pk")) | Q(family__memberships__person=OuterRef("pk"))
    open_or_recent = Case.objects.filter(member_of).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=cutoff))
    any_case = Case.objects.filter(member_of)
    return list(Person.objects.filter(anonymised_at__isnull=True)
                .filter(Exists(any_case)).exclude(Exists(open_or_recent)).values_list("pk", flat=True))


def retention_apply(*, actor: User | None, today: dt.date | None = None,
                    retention_days: int | None = None) -> RetentionReport:
    require_permission(user=actor, permission=Permission.RETENTION_RUN)
    today = today or timezone.localdate()
    days = settings.RETENTION_CLOSED_CASE_DAYS if retention_days is None else retention_days
    cutoff = today - dt.timedelta(days=days)
    count = 0
    for person_id in people_due_for_anonymisation(today=today, retention_days=days):
        with transaction.atomic():
            person = Person.objects.select_for_update().get(pk=person_id)
            if person.anonymised_at:
                continue
            _anonymise(person)
            audit.record(actor=actor, action=AuditAction.PERSON_ANONYMISED, obj=person, person_id=person.pk,
                         reason=f"retention: every case closed on or before {cutoff.isoformat()}",
                         system_label="system:retention",
                         changes={"personal_data": {"old": audit.MASK, "new": None}})
            count += 1
    return RetentionReport(cutoff, count)


def _anonymise(person: Person) -> None:
    year = person.date_of_birth.year if person.date_of_birth else None
    person.given_names = ANONYMISED
    person.first_surname = person.second_surname = ""
    person.other_names = []
    person.gender_identity = ""
    person.date_of_birth = dt.date(year, 7, 1) if year else None
    person.dob_precision = v.DobPrecision.YEAR.value if year else ""
    person.origin_municipality = ""
    person.current_location_note = ""
    person.current_place = None
    person.search_text = ""
    person.anonymised_at = timezone.now()
    person.version += 1
    person.save()
    IdentityDocument.objects.filter(person=person).delete()
    ContactChannel.objects.filter(person=person).delete()
    SensitiveDetail.objects.filter(person=person).delete()
    ImportedRecord.objects.filter(person=person).delete()
    # Free-text notes may name people; retention is the one path allowed to redact the timeline.
    CaseEvent.objects.filter(kind=CaseEventKind.NOTE).filter(
        Q(case__person=person) | Q(case__family__memberships__person=person)
    ).update(summary="(note removed under the retention policy)", data={})
