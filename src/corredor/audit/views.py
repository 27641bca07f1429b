from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .events import AuditAction
from .selectors import AuditFilters, audit_event_list_visible_to


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def events(request: HttpRequest) -> HttpResponse:
    """Who saw or changed what, when: filterable by actor, action, object, person and dates."""
    g = request.GET
    person = g.get("person", "").strip().upper().removeprefix("P-")
    filters = AuditFilters(actor=g.get("actor", "")[:150].strip(), action=g.get("action", "")[:64],
                           object_type=g.get("object_type", "")[:64].strip(),
                           object_id=g.get("object_id", "")[:64].strip(),
                           person_id=int(person) if person.isdigit() and len(person) < 12 else None,
                           since=_date(g.get("since", "")), until=_date(g.get("until", "")))
    qs = audit_event_list_visible_to(user=request.user, filters=filters)  # type: ignore[arg-type]
    page = max(1, int(g["page"])) if g.get("page", "").isdigit() and len(g["page"]) < 7 else 1
    per_page = 100
    rows = list(qs[(page - 1) * per_page: page * per_page + 1])
    return render(request, "audit/events.html", {
        "events": rows[:per_page], "has_next": len(rows) > per_page, "page": page, "filters": filters,
        "actions": [a.value for a in AuditAction], "query": g.urlencode() if g else "",
        "person": g.get("person", "")[:20]})
