"""An assignment's reason in the reader's language, from the structured parts the allocator returns."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.cache import cache
from django.utils.translation import gettext as _

from corredor.core.registry import vocab as v
from corredor.core.registry.vulnerability import LABELS_EN
from corredor.reference.models import Place, PlaceKind
from corredor.registry import labels

register = template.Library()
_CONDITION_BY_ENGLISH = {text: code for code, text in LABELS_EN.items()}


def _port_names() -> dict[str, str]:
    names = cache.get("appointments:port-names")
    if names is None:
        names = dict(Place.objects.filter(kind=PlaceKind.PORT).values_list("code", "name"))
        cache.set("appointments:port-names", names, 300)
    return names


def _conditions(reason: str) -> str:
    words = []
    for part in (p.strip() for chunk in reason.split(";") for p in chunk.split(",")):
        code = _CONDITION_BY_ENGLISH.get(part) or (part if part in v.Vulnerability._value2member_map_ else None)
        words.append(str(labels.VULNERABILITY[v.Vulnerability(code)]).lower() if code else part)
    return ", ".join(w for w in words if w)


@register.filter
def assignment_text(parts: Any) -> str:
    """"position 1,234 in line since 2020-03-02; expedited: ...; family of 4 kept together; ..." translated."""
    if not isinstance(parts, dict) or "position" not in parts:
        return ""
    names = _port_names()
    bits = [_("position %(position)s in line since %(date)s") % {
        "position": f"{parts['position']:,}", "date": parts.get("place_in_line", "")}]
    if parts.get("rescheduled"):
        bits.append(_("rescheduled by a coordinator, keeps its priority"))
    if parts.get("expedite_reason") is not None:
        reason = _conditions(str(parts["expedite_reason"]))
        bits.append(_("expedited: %(reason)s") % {"reason": reason} if reason else _("expedited"))
    if parts.get("via") == "lottery":
        bits.append(_("lottery draw"))
    if int(parts.get("party_size", 1)) > 1:
        bits.append(_("family of %(n)s kept together") % {"n": parts["party_size"]})
    for earlier in parts.get("earlier_choices_full") or ():
        port = names.get(str(earlier.get("port")), str(earlier.get("port")))
        if earlier.get("full_until"):
            bits.append(_("%(port)s (choice %(k)s) was full until %(date)s") % {
                "port": port, "k": earlier.get("choice"), "date": earlier["full_until"]})
        else:
            bits.append(_("%(port)s (choice %(k)s) was full") % {"port": port, "k": earlier.get("choice")})
    if parts.get("out_of_order"):
        bits.append(_("took seats an earlier, larger family could not use that day"))
    if parts.get("not_before"):
        bits.append(_("not before %(date)s") % {"date": parts["not_before"]})
    return "; ".join(bits)


@register.filter
def group_label(name: str) -> str:
    return {"expedite": _("expedite decision"), "family size": _("family size"), "nationality": _("nationality"),
            "language": _("first language")}.get(name, name)
