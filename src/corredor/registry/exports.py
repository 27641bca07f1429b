"""Subject access: one person's complete record as JSON, as the person (or their representative) may ask."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from corredor.accounts.models import User
from corredor.accounts.selectors import require_permission, user_has_permission
from corredor.audit import services as audit
from corredor.audit.events import AuditAction
from corredor.audit.models import AuditEvent
from corredor.platform.authz import Permission

from . import presenters
from .models import Case, Family, Person, SensitiveDetail
from .services import SENSITIVE_PERMISSIONS, models_q_person_or_family


def person_export(*, actor: User | None, person: Person) -> dict[str, Any]:
    """Everything held about `person`, including who saw or changed it; sensitive details only of the
    kinds the actor may view. The export itself is an audit event."""
    require_permission(user=actor, permission=Permission.SUBJECT_EXPORT)
    kinds = [k.value for k, (view, _edit) in SENSITIVE_PERMISSIONS.items()
             if actor is None or user_has_permission(user=actor, permission=view)]
    families = Family.objects.filter(memberships__person=person).distinct()
    cases = Case.objects.filter(models_q_person_or_family(person)).distinct().select_related(
        "holding_organisation", "site", "assigned_worker").prefetch_related("events")
    record: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "person": audit._plain(presenters.person_dict(person)),
        "families": [audit._plain(presenters.family_dict(f)) for f in families],
        "cases": [audit._plain(presenters.case_dict(c, timeline=True)) for c in cases],
        "vulnerability_assessments": [
            {"assessed_on": a.assessed_on.isoformat(), "conditions": a.conditions, "expedite": a.expedite,
             "expedite_reason": a.expedite_reason} for a in person.assessments.all()],
        "sensitive_details": [
            {"kind": d.kind, "text": d.text, "recorded_at": d.recorded_at.isoformat()}
            for d in SensitiveDetail.objects.filter(person=person, kind__in=kinds)],
        "sensitive_details_withheld_kinds": sorted(
            {k.value for k in SENSITIVE_PERMISSIONS} - set(kinds)),
        "access_history": [
            {"at": e.occurred_at.isoformat(), "action": e.action, "by": e.actor_label,
             "organisation": e.organisation.code if e.organisation else None}
            for e in AuditEvent.objects.filter(person_id=person.pk).select_related("organisation").order_by("id")],
    }
    with transaction.atomic():
        audit.record(actor=actor, action=AuditAction.PERSON_EXPORTED, obj=person, person_id=person.pk,
                     changes={"sensitive_kinds_included": {"old": None, "new": sorted(kinds)}})
    return record
