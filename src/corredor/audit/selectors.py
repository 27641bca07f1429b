"""Reading the audit trail: only for holders of audit.view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from corredor.platform.authz import Permission
from corredor.platform.errors import PermissionDeniedError

from .models import AuditEvent

if TYPE_CHECKING:
    from corredor.accounts.models import User


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    person_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def audit_event_list_visible_to(*, user: User, filters: AuditFilters) -> QuerySet[AuditEvent]:
    from corredor.accounts.selectors import user_has_permission

    if not user_has_permission(user=user, permission=Permission.AUDIT_VIEW):
        raise PermissionDeniedError(Permission.AUDIT_VIEW)
    qs = AuditEvent.objects.select_related("organisation").all()
    if filters.actor:
        qs = qs.filter(actor_label__iexact=filters.actor)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.person_id is not None:
        qs = qs.filter(person_id=filters.person_id)
    if filters.since:
        qs = qs.filter(occurred_at__date__gte=filters.since)
    if filters.until:
        qs = qs.filter(occurred_at__date__lte=filters.until)
    return qs
