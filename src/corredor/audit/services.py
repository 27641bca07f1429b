"""Writing audit events. Called by every service inside the same transaction as the change it records."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from . import context
from .events import AuditAction
from .models import AuditEvent

if TYPE_CHECKING:
    from corredor.accounts.models import User

MASK = "•••"


def _plain(value: Any) -> Any:
    """JSON-safe representation of a field value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def diff(
    before: Mapping[str, Any], after: Mapping[str, Any], *, masked: Iterable[str] = ()
) -> dict[str, dict[str, Any]]:
    """Changed fields with old and new values; masked fields say *that* they changed, never to what."""
    masked_set = set(masked)
    changes: dict[str, dict[str, Any]] = {}
    for field in sorted(set(before) | set(after)):
        old, new = _plain(before.get(field)), _plain(after.get(field))
        if old == new:
            continue
        if field in masked_set:
            changes[field] = {
                "old": None if old in (None, "", []) else MASK,
                "new": None if new in (None, "", []) else MASK,
            }
        else:
            changes[field] = {"old": old, "new": new}
    return changes


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {f: _plain(getattr(instance, f)) for f in fields}


def record(
    *,
    actor: User | None,
    action: AuditAction,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    person_id: int | None = None,
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
    system_label: str = "system",
) -> AuditEvent:
    """Append one audit event. Must run inside the caller's transaction (atomic) so both land or neither."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the transaction of the change it records")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    organisation_id = getattr(actor, "organisation_id", None) if actor is not None else None
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.get_username() if actor is not None else system_label,
        organisation_id=organisation_id,
        action=action.value,
        object_type=object_type or "",
        object_id=str(object_id if object_id is not None else ""),
        person_id=person_id,
        changes=dict(changes or {}),
        channel=context.current_channel().value,
        request_id=context.current_request_id() or "",
        reason=reason[:500],
    )


def record_many(
    *, actor: User | None, action: AuditAction, objects: Sequence[models.Model],
    changes: Any, reason: str = "", person_id: Any = None,
) -> int:
    """One audit event per object, written in bulk (a published run creates thousands of appointments).

    `changes` is a function of the object giving its diff; the same transaction rule as `record` holds.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many must be called inside the transaction of the change it records")
    organisation_id = getattr(actor, "organisation_id", None) if actor is not None else None
    label = actor.get_username() if actor is not None else "system"
    channel = context.current_channel().value
    request_id = context.current_request_id() or ""
    events = [AuditEvent(actor=actor if actor is not None and actor.pk else None, actor_label=label,
                         organisation_id=organisation_id, action=action.value, object_type=obj._meta.label_lower,
                         object_id=str(obj.pk), person_id=person_id(obj) if callable(person_id) else person_id,
                         changes=changes(obj), channel=channel, request_id=request_id, reason=reason[:500])
              for obj in objects]
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)
