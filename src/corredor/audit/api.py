from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from corredor.platform.api_types import Limit, Offset

from .selectors import AuditFilters, audit_event_list_visible_to

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    occurred_at: dt.datetime
    actor: str
    organisation: str | None
    action: str
    object_type: str
    object_id: str
    person_id: int | None
    changes: dict[str, Any]
    channel: str
    request_id: str
    reason: str


@router.get("/events", response=list[AuditEventOut])
def audit_events(request: HttpRequest, actor: str = "", action: str = "", object_type: str = "",
                 object_id: str = "", person_id: int | None = None, since: dt.date | None = None,
                 until: dt.date | None = None, limit: Limit = 100, offset: Offset = 0) -> list[dict[str, Any]]:
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    qs = audit_event_list_visible_to(user=request.auth, filters=AuditFilters(  # type: ignore[attr-defined]
        actor=actor[:150], action=action[:64], object_type=object_type[:64], object_id=object_id[:64],
        person_id=person_id, since=since, until=until))
    return [{"id": e.pk, "occurred_at": e.occurred_at, "actor": e.actor_label,
             "organisation": e.organisation.code if e.organisation else None, "action": e.action,
             "object_type": e.object_type, "object_id": e.object_id, "person_id": e.person_id,
             "changes": e.changes, "channel": e.channel, "request_id": e.request_id, "reason": e.reason}
            for e in qs[offset:offset + limit]]
