"""Timeline lines and expedite decisions in the reader's language, built from each event's structured data.

The stored summary (English) stays the canonical text for exports and the API; pages render the same facts
with translated words, and fall back to the stored summary for free text (notes) and older events.
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from corredor.core.registry import vocab as v
from corredor.registry import labels
from corredor.registry.models import CaseEvent, CaseEventKind

register = template.Library()


def _label(mapping: dict, enum: type, value: str) -> str:
    try:
        return str(mapping[enum(value)])
    except (ValueError, KeyError):
        return value


def _decision(data: dict) -> str:
    deciding = ", ".join(_label(labels.VULNERABILITY, v.Vulnerability, c) for c in data.get("deciding", []))
    if data.get("override") is not None:
        return _("expedited by the assessor's decision") if data.get("expedite") else \
            _("not expedited, by the assessor's decision")
    if data.get("expedite"):
        return _("expedited (%(conditions)s)") % {"conditions": deciding}
    return _("not expedited") + (f" ({deciding})" if deciding else "")


@register.filter
def event_text(event: CaseEvent) -> str:
    d = event.data or {}
    try:
        if event.kind == CaseEventKind.OPENED and "kind" in d:
            text = _("Case %(ref)s (%(kind)s) opened for %(subject)s by %(org)s.") % {
                "ref": d["reference"], "kind": _label(labels.CASE_KIND, v.CaseKind, d["kind"]),
                "subject": d["subject"], "org": d["organisation"]}
            return text + (f" {d['note']}" if d.get("note") else "")
        if event.kind == CaseEventKind.STATUS_CHANGED and "from" in d:
            text = _("Status changed from %(old)s to %(new)s.") % {
                "old": _label(labels.CASE_STATUS, v.CaseStatus, d["from"]),
                "new": _label(labels.CASE_STATUS, v.CaseStatus, d["to"])}
            return text + (" " + _("Reason: %(reason)s") % {"reason": d["reason"]} if d.get("reason") else "")
        if event.kind == CaseEventKind.SHARED and "organisation" in d:
            return _("Shared with %(org)s for: %(purpose)s (consent recorded).") % {
                "org": d["organisation"], "purpose": d["purpose"]}
        if event.kind == CaseEventKind.ASSESSMENT and "person" in d:
            return _("Vulnerability assessed for %(person)s: %(decision)s.") % {
                "person": d["person"], "decision": _decision(d)}
        if event.kind == CaseEventKind.MEMBER_ADDED and "person" in d:
            return _("%(person)s joined the family as %(relationship)s.") % {
                "person": d["person"], "relationship": _label(labels.RELATIONSHIP, v.Relationship,
                                                             d["relationship"]).lower()}
        if event.kind == CaseEventKind.UPDATED and "fields" in d:
            return _("Case updated: %(fields)s.") % {"fields": ", ".join(d["fields"])}
    except (KeyError, TypeError):
        pass
    return event.summary


@register.filter
def status_label(value: str) -> str:
    return _label(labels.CASE_STATUS, v.CaseStatus, value)


@register.filter
def conditions_label(codes: list[str]) -> str:
    return ", ".join(_label(labels.VULNERABILITY, v.Vulnerability, c) for c in codes or []) or "—"


@register.filter
def assessment_decision(assessment: object) -> str:
    from corredor.core.registry.vulnerability import decide_expedite

    conditions = {v.Vulnerability(c) for c in getattr(assessment, "conditions", []) or []
                  if c in v.Vulnerability._value2member_map_}
    override = getattr(assessment, "override", None)
    if override is not None:
        return _decision({"override": override, "expedite": getattr(assessment, "expedite", False)})
    decision = decide_expedite(conditions)
    return _decision({"expedite": decision.expedite, "deciding": [c.value for c in decision.deciding]})
