from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from corredor.accounts.selectors import user_has_permission
from corredor.platform.authz import Permission


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A start page per role: what this person does most, and the figures they may see."""
    user: Any = request.user
    cards: list[dict[str, Any]] = []
    recent = []
    if user_has_permission(user=user, permission=Permission.CASE_VIEW):
        from corredor.registry.selectors import case_list_visible_to

        cases = case_list_visible_to(user=user)
        cards.append({"label": _("Cases you may see, open"), "value": cases.filter(closed_on__isnull=True).count(),
                      "url": reverse("registry:case_list")})
        cards.append({"label": _("Waiting, expedited"),
                      "value": cases.filter(status="waiting", expedite=True).count(),
                      "url": reverse("registry:case_list") + "?status=waiting"})
        recent = list(cases.order_by("-updated_at", "-id")[:10])
    if user_has_permission(user=user, permission=Permission.AGGREGATES_VIEW):
        cards.append({"label": _("Case figures across organisations"), "value": "Σ",
                      "url": reverse("registry:aggregates")})
    if user_has_permission(user=user, permission=Permission.AUDIT_VIEW):
        from corredor.audit.models import AuditEvent

        cards.append({"label": _("Audit events"), "value": AuditEvent.objects.count(), "url": reverse("audit:events")})
    return render(request, "platform/home.html", {"cards": cards, "recent_cases": recent})
