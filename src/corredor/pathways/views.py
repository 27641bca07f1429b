"""Pages of the pathways context: the menu of options for a person (with the questions still open),
saved screening decisions, applications step by step, and registry-wide counts for planners."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from corredor.accounts.selectors import require_permission
from corredor.core.eligibility import PathwayScreening, Question
from corredor.core.eligibility.tracks import INTERVIEW_MODES, track_for
from corredor.platform.authz import Permission
from corredor.platform.errors import CorredorError, ValidationFailedError
from corredor.platform.params import record_id
from corredor.reference.models import Country
from corredor.registry import selectors as registry_selectors
from corredor.registry import services as registry_services

from . import selectors, services
from .catalogue import catalogue

OUTCOME_CLASS = {"may_apply": "ok", "need_more_info": "warn", "does_not_qualify": "met", "not_open": "met"}


def _lang(request: HttpRequest) -> str:
    return "es" if getattr(request, "LANGUAGE_CODE", "es").startswith("es") else "en"


def _t(text: Any, lang: str) -> str:
    if isinstance(text, dict):
        return str(text.get(lang) or text.get("en") or "")
    return str(text or "")


def asked_from(query: QueryDict) -> dict[str, Any]:
    """Answers typed on the page (parameters a_<question>), converted to the question's type where the text
    clearly is one; anything else is passed on as text so the validator names the problem."""
    bank = catalogue().questions
    asked: dict[str, Any] = {}
    for key in query:
        if not key.startswith("a_"):
            continue
        qid = key[2:][:60]
        question = bank.get(qid)
        if question is None:
            asked[qid] = query.get(key)
            continue
        if question.type == "list":
            values = [x for x in query.getlist(key) if x]
            if values:
                asked[qid] = values
            continue
        raw = (query.get(key) or "").strip()[:60]
        if not raw:
            continue
        if question.type == "boolean":
            asked[qid] = {"yes": True, "no": False}.get(raw, raw)
        elif question.type == "integer":
            asked[qid] = int(raw) if raw.lstrip("-").isdigit() else raw
        elif question.type == "country":
            asked[qid] = raw.upper()
        else:
            asked[qid] = raw
    return asked


def _field(question: Question, value: Any, lang: str, countries: list[tuple[str, str]]) -> dict[str, Any]:
    field: dict[str, Any] = {"id": question.id, "type": question.type, "text": _t(question.text, lang),
                             "help": _t(question.help, lang) if question.help else "", "value": value,
                             "minimum": question.minimum, "maximum": question.maximum}
    if question.type in ("enum", "list") and (question.type == "enum" or question.items == "enum"):
        field["options"] = [(val, _t(question.value_labels.get(val, {"en": val, "es": val}), lang))
                            for val in question.values]
    elif question.type == "country" or question.items == "country":
        field["options"] = countries
    if question.type == "list":
        field["selected"] = set(value or [])
    return field


def _card(s: PathwayScreening, lang: str) -> dict[str, Any]:
    version = catalogue().version(s.version_id)
    bank = catalogue().questions
    next_q = s.questions_needed[0] if s.questions_needed else None
    return {
        "s": s, "name": _t(s.name, lang), "summary": _t(s.summary, lang), "outcome_class": OUTCOME_CLASS[s.outcome],
        "criteria": [{"label": _t(c.label, lang), "result": c.result, "explanation": _t(c.explanation, lang),
                      "severity": c.severity} for c in s.criteria],
        "next_question": _t(bank[next_q].text, lang) if next_q else "",
        "status_reason": _t(s.status.reason, lang) if s.status.reason else "",
        "notices": [_t(n.text, lang) for n in s.notices],
        "sources": version.data.get("sources", []), "country": version.data.get("country", ""),
        "how_to_apply": _t(version.data.get("how_to_apply"), lang),
    }


@login_required
def menu(request: HttpRequest, person_id: int) -> HttpResponse:
    user: Any = request.user
    person = registry_selectors.person_get_visible_to(user=user, person_id=person_id)
    lang = _lang(request)
    on = timezone.localdate()
    case_ref = (request.GET.get("case") or "")[:20]
    asked = asked_from(request.GET)
    problems: dict[str, list[str]] = {}
    try:
        result = selectors.menu_for(user=user, person=person, asked=asked, on=on)
    except ValidationFailedError as exc:
        problems = exc.errors
        result = selectors.menu_for(user=user, person=person,
                                    asked={k: val for k, val in asked.items() if k not in exc.errors}, on=on)
    bank = catalogue().questions
    countries = [(c.code, str(c)) for c in Country.objects.all()]
    registry_facts = [{"text": _t(bank[k].text, lang), "value": result.answers[k]}
                      for k, src in result.sources.items() if src == "registry"]
    open_ids = [q for q in result.next_questions if result.sources.get(q) != "registry"]
    answered_ids = [q for q, src in result.sources.items() if src == "asked" and q not in open_ids]
    fields = [_field(bank[q], asked.get(q, result.answers.get(q)), lang, countries) for q in open_ids + answered_ids]
    cards = [_card(s, lang) for s in result.screenings]
    order = {"may_apply": 0, "need_more_info": 1, "does_not_qualify": 2, "not_open": 3}
    cards.sort(key=lambda c: order[c["s"].outcome])
    members = []
    case = None
    if case_ref:
        case = registry_selectors.case_get_visible_to(user=user, reference=case_ref)
        members = registry_services.case_members(case)
    template = "pathways/_menu.html" if request.htmx else "pathways/menu.html"  # type: ignore[attr-defined]
    return render(request, template, {
        "person": person, "case": case, "members": members, "on": on, "fields": fields, "cards": cards,
        "registry_facts": registry_facts, "problems": problems, "fingerprint": catalogue().fingerprint[:12],
        "asked_items": [(f"a_{k}", val) for k, val in request.GET.items() if k.startswith("a_")],
        "may_count": sum(1 for c in cards if c["s"].outcome == "may_apply"),
    })


@login_required
@require_http_methods(["POST"])
def save(request: HttpRequest, person_id: int) -> HttpResponse:
    user: Any = request.user
    person = registry_selectors.person_get_visible_to(user=user, person_id=person_id)
    case = None
    if request.POST.get("case"):
        case = registry_selectors.case_get_visible_to(user=user, reference=request.POST["case"][:20])
    try:
        decision = services.screening_save(actor=user, person=person, case=case, asked=asked_from(request.POST))
    except CorredorError as exc:
        messages.error(request, exc.message)
        return redirect("pathways:menu", person_id=person.pk)
    messages.success(request, _("Screening saved. It can be reproduced exactly later."))
    return redirect("pathways:decision", decision_id=decision.pk)


@login_required
def decision(request: HttpRequest, decision_id: int) -> HttpResponse:
    user: Any = request.user
    found = selectors.decision_get_visible_to(user=user, decision_id=decision_id)
    lang = _lang(request)
    bank = catalogue().questions
    rows = []
    for r in selectors.reproduce(found):
        name = _t(r.screening.name, lang) if r.screening else r.stored["version_id"]
        rows.append({"r": r, "name": name, "outcome_class": OUTCOME_CLASS.get(r.stored["outcome"], "met")})
    answers = [{"text": _t(bank[k].text, lang) if k in bank else k, "value": val,
                "source": found.answer_sources.get(k, "asked")} for k, val in found.answers.items()]
    return render(request, "pathways/decision.html", {"decision": found, "rows": rows, "answers": answers,
                                                      "current": catalogue().fingerprint})


@login_required
@require_http_methods(["GET", "POST"])
def applications(request: HttpRequest, reference: str) -> HttpResponse:
    user: Any = request.user
    case = registry_selectors.case_get_visible_to(user=user, reference=reference[:20])
    lang = _lang(request)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "refer":
                person_id = request.POST.get("person", "")
                person = next((p for p in registry_services.case_members(case) if str(p.pk) == person_id), None)
                services.application_refer(actor=user, case=case, pathway=request.POST.get("pathway", "")[:40],
                                           person=person, note=request.POST.get("note", "")[:300])
                messages.success(request, _("Referral recorded."))
            else:
                application = selectors.application_get_visible_to(
                    user=user, application_id=record_id(request.POST.get("application")))
                try:
                    day = dt.date.fromisoformat(request.POST.get("occurred_on", "")[:10])
                except ValueError as exc:
                    raise ValidationFailedError({"occurred_on": ["Give the date of the step."]}) from exc
                version = request.POST.get("version", "")
                services.application_advance(actor=user, application=application,
                                             step=request.POST.get("step", "")[:24], occurred_on=day,
                                             expected_version=int(version) if version.isdigit() else None,
                                             note=request.POST.get("note", "")[:300],
                                             mode=request.POST.get("mode", "")[:16])
                messages.success(request, _("Step recorded."))
        except CorredorError as exc:
            messages.error(request, exc.message)
        return redirect("pathways:applications", reference=case.reference)
    require_permission(user=user, permission=Permission.CASE_VIEW)
    today = timezone.localdate()
    rows = []
    for application in selectors.applications_visible_to(user=user).filter(case=case):
        track = track_for(application.pathway)
        rows.append({"a": application, "status": track.label(application.status, lang),
                     "steps": [{"step": track.label(s.step, lang), "s": s,
                                "mode": _t(INTERVIEW_MODES.get(s.mode), lang) if s.mode else ""}
                               for s in application.steps.all()],
                     "next": [(step, track.label(step, lang)) for step in sorted(track.allowed(application.status))],
                     "interview_step": track.interview_step})
    pathways = [(v.pathway, _t(v.name, lang)) for v in catalogue().in_force(today) if v.status_on(today).is_open]
    return render(request, "pathways/applications.html", {
        "case": case, "rows": rows, "pathways": pathways, "members": registry_services.case_members(case),
        "today": today, "modes": [(k, _t(val, lang)) for k, val in INTERVIEW_MODES.items()]})


@login_required
def counts(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    on = timezone.localdate()
    total, rows = selectors.registry_counts(user=user, on=on)
    lang = _lang(request)
    top = max([r.may_apply or 0 for r in rows] + [1])
    ordered = sorted(rows, key=lambda r: -(r.may_apply or 0))
    states = {"closed": _("closed for now"), "suspended": _("suspended"), "not_in_force": _("not in force")}
    view_rows = [{"r": r, "name": _t(r.name, lang), "pct": round(100 * (r.may_apply or 0) / top, 1),
                  "state": states.get(r.state, r.state)} for r in ordered]
    return render(request, "pathways/counts.html", {"rows": view_rows, "total": total, "on": on})
