"""Pages of orderly processing: the queue with its charts, runs, capacity, the slip, check-in, public status."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from corredor.accounts.selectors import require_permission, user_has_permission
from corredor.core.scheduling import tokens
from corredor.platform.authz import Permission
from corredor.platform.errors import CorredorError, NotFoundError
from corredor.reference.models import Place, PlaceKind
from corredor.registry import selectors as registry_selectors
from corredor.registry import services as registry_services

from . import forms, selectors, services, slips
from .keys import token_keys
from .models import AllocationRun, RunStatus, WaitingListEntry
from .ratelimit import lookup_allowed


def _bars(rows: list[tuple[str, int]]) -> list[dict[str, Any]]:
    top = max((n for _k, n in rows), default=0) or 1
    return [{"label": k, "value": n, "pct": round(100 * n / top, 1)} for k, n in rows]


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = forms.ProjectionForm(request.GET or None)
    change = form.cleaned_data.get("capacity_change") or 0 if form.is_valid() else 0
    summary = selectors.queue_summary(user=user, capacity_change=change)
    today = timezone.localdate()
    table = selectors.utilisation(user=user, start=today, days=14)
    runs = AllocationRun.objects.select_related("policy")[:10] if user_has_permission(
        user=user, permission=Permission.ALLOCATION_RUN) else []
    return render(request, "appointments/queue.html", {
        "summary": summary, "form": form, "table": table, "runs": runs,
        "charts": [(_("Persons by readiness"), _bars(summary.by_readiness)),
                   (_("Persons by first-choice port"), _bars(summary.by_port)),
                   (_("Persons by expedite decision"), _bars(summary.by_expedite)),
                   (_("Persons by nationality"), _bars(summary.by_nationality)),
                   (_("Families by size"), _bars(summary.by_family_size))],
        "run_form": forms.RunForm(initial={"start_day": today + dt.timedelta(days=1), "horizon_days": 14}),
        "history": selectors.fairness_over_time(user=user) if runs else [],
        "policy": services.policy_active(),
    })


@login_required
@require_http_methods(["POST"])
def run_create(request: HttpRequest) -> HttpResponse:
    form = forms.RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("appointments:queue")
    try:
        run = services.run_request(actor=request.user, start_day=form.cleaned_data["start_day"],  # type: ignore[arg-type]
                                   horizon_days=form.cleaned_data["horizon_days"], seed=form.cleaned_data.get("seed"))
    except CorredorError as exc:
        messages.error(request, exc.message)
        return redirect("appointments:queue")
    return redirect("appointments:run_detail", run_id=run.pk)


@login_required
@require_http_methods(["GET", "POST"])
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    user: Any = request.user
    run = selectors.run_get_visible_to(user=user, run_id=run_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                n = services.run_publish(actor=user, run=run)
                messages.success(request, _("Published %(n)d appointments.") % {"n": n})
            elif action == "discard":
                services.run_discard(actor=user, run=run)
                messages.success(request, _("Run discarded."))
        except CorredorError as exc:
            messages.error(request, exc.message)
        return redirect("appointments:run_detail", run_id=run.pk)
    fairness = selectors.fairness_report(run=run) if run.status in (RunStatus.PREVIEWED, RunStatus.PUBLISHED) else None
    from .templatetags.appointment_text import group_label

    fairness_charts = [(group_label(name), _bars([(r["key"], r["median"]) for r in rows]))
                       for name, rows in (fairness or {}).get("groups", {}).items()]
    template = "appointments/_run_progress.html" if request.htmx else "appointments/run_detail.html"  # type: ignore[attr-defined]
    return render(request, template, {
        "run": run, "fairness": fairness, "policy_text": services.policy_as_core(run.policy).describe(
            "es" if (get_language() or "es").startswith("es") else "en"),
        "assignments": run.result.get("assignments", [])[:200],
        "unassigned": run.result.get("unassigned", [])[:100],
        "polling": run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
        "unchanged": run.result.get("inputs", {}).get("existing_appointments", 0),
        "fairness_charts": fairness_charts,
    })


@login_required
@require_http_methods(["GET", "POST"])
def capacity(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require_permission(user=user, permission=Permission.CAPACITY_MANAGE)
    form = forms.CapacityForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            cd = form.cleaned_data
            try:
                displaced = services.capacity_set(
                    actor=user, port=Place.objects.get(code=cd["port"], kind=PlaceKind.PORT), start=cd["start"],
                    end=cd["end"], capacity=cd["capacity"], closed_reason=cd.get("closed_reason") or "")
            except CorredorError as exc:
                for field, errs in exc.details.get("errors", {"__all__": [exc.message]}).items():
                    for err in errs:
                        form.add_error(field if field in form.fields else None, err)
            else:
                messages.success(request, _("Capacity saved. %(n)d appointments must be rescheduled.")
                                 % {"n": len(displaced)})
                return redirect("appointments:capacity")
    today = timezone.localdate()
    return render(request, "appointments/capacity.html", {
        "form": form, "table": selectors.utilisation(user=user, start=today, days=14)}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def waiting(request: HttpRequest, reference: str) -> HttpResponse:
    """A case's place on the waiting list: readiness checks, ports, manual booking, its appointments."""
    user: Any = request.user
    case = registry_selectors.case_get_visible_to(user=user, reference=reference[:20])
    # reading must not write: an entry is created only when someone records a check or a preference
    entry = WaitingListEntry.objects.filter(case=case).first() or WaitingListEntry(case=case)
    waiting_form = forms.WaitingForm(initial={"identity_confirmed": bool(entry.identity_confirmed_at),
                                              "ports": entry.ports, "single_port_only": entry.single_port_only})
    screening_form = forms.ScreeningForm(initial={"screened_on": entry.health_screened_on or timezone.localdate()})
    book_form = forms.BookForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "waiting":
                waiting_form = forms.WaitingForm(request.POST)
                if waiting_form.is_valid():
                    cd = waiting_form.cleaned_data
                    ordered = [p for p in request.POST.getlist("ports") if p in cd["ports"]]
                    services.waiting_entry_update(actor=user, case=case, identity_confirmed=cd["identity_confirmed"],
                                                  ports=ordered, single_port_only=cd["single_port_only"])
            elif action == "screening":
                screening_form = forms.ScreeningForm(request.POST)
                if screening_form.is_valid():
                    services.health_screening_record(actor=user, case=case,
                                                     screened_on=screening_form.cleaned_data["screened_on"])
            elif action == "book":
                book_form = forms.BookForm(request.POST)
                if book_form.is_valid():
                    cd = book_form.cleaned_data
                    appointment = services.appointment_book(
                        actor=user, case=case, port=Place.objects.get(code=cd["port"]), day=cd["day"],
                        reason=cd.get("reason") or "")
                    messages.success(request, _("Booked: %(code)s") % {"code": appointment.code})
            elif action == "reschedule":
                book_form = forms.BookForm(request.POST)
                if book_form.is_valid():
                    cd = book_form.cleaned_data
                    appointment = selectors.appointment_get_visible_to(user=user, code=request.POST.get("code", ""))
                    new = services.appointment_reschedule(actor=user, appointment=appointment,
                                                          port=Place.objects.get(code=cd["port"]), day=cd["day"],
                                                          reason=cd.get("reason") or "")
                    messages.success(request, _("Rescheduled: %(code)s") % {"code": new.code})
            elif action == "cancel":
                appointment = selectors.appointment_get_visible_to(user=user, code=request.POST.get("code", ""))
                services.appointment_cancel(actor=user, appointment=appointment,
                                            reason=request.POST.get("reason", "")[:200])
        except CorredorError as exc:
            messages.error(request, exc.message)
        else:
            if not any(f.errors for f in (waiting_form, screening_form, book_form)):
                return redirect("appointments:waiting", reference=case.reference)
    ready, why = services.readiness(entry, today=timezone.localdate())
    return render(request, "appointments/waiting.html", {
        "case": case, "entry": entry, "ready": ready, "why": why, "waiting_form": waiting_form,
        "screening_form": screening_form, "book_form": book_form, "party_size": services.party_size(case),
        "appointments": case.appointments.select_related("port_day__port").order_by("-created_at"),
    })


def _slip_data(appointment: Any, request: HttpRequest, language: str) -> slips.SlipData:
    port = appointment.port_day.port
    members = registry_services.case_members(appointment.case)
    initials = tuple(" ".join(f"{part[0]}." for part in m.full_name.split() if part) for m in members)
    bring = {
        "es": ("este papel o el código", "documentos de identidad que tenga (no son obligatorios)",
               "medicinas y recetas", "a todas las personas de la familia anotadas aquí"),
        "en": ("this paper or the code", "any identity documents you have (not required)",
               "medicines and prescriptions", "every family member listed here"),
    }[language]
    return slips.SlipData(
        code=appointment.code, token=services.appointment_token(appointment),
        case_reference=appointment.case.reference, port_name=port.name, port_address_hint=port.note[:80],
        day=appointment.port_day.day, arrive_by="07:00", time_zone_label=port.time_zone,
        party_size=appointment.party_size, members_initials=initials, what_to_bring=bring,
        status_url=request.build_absolute_uri("/status/"))


@login_required
def slip(request: HttpRequest, code: str) -> HttpResponse:
    """The printable slip (HTML) and its PDF: code, QR, date, port, party; initials only, never names."""
    appointment = selectors.appointment_get_visible_to(user=request.user, code=code)  # type: ignore[arg-type]
    language = request.GET.get("lang") or ("es" if (get_language() or "es").startswith("es") else "en")
    language = language if language in ("es", "en") else "es"
    data = _slip_data(appointment, request, language)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(slips.slip_pdf(data, language=language), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="cita-{appointment.code}.pdf"'
        return response
    return render(request, "appointments/slip.html", {
        "appointment": appointment, "slip": data, "qr": slips.qr_svg(data.token),
        "sms": slips.slip_sms(data, language=language), "language": language})


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest) -> HttpResponse:
    """Scan or type the code, verify it, see who is expected, record who arrived; close the day."""
    user: Any = request.user
    require_permission(user=user, permission=Permission.APPOINTMENT_CHECK_IN)
    form = forms.CodeForm(request.GET or None)
    appointment = verified = problem = None
    if form.is_valid():
        raw = form.cleaned_data["code"].strip()
        try:
            if len(raw) > 20:  # a scanned QR carries the signed token; a typed code is short
                claim = tokens.verify_token(raw, keys=token_keys())
                appointment = selectors.appointment_get_visible_to(user=user, code=claim.code)
                verified = (claim.port == appointment.port_day.port.code and claim.day == appointment.port_day.day
                            and claim.party_size == appointment.party_size)
                if not verified:
                    problem = _("The QR code does not match the appointment on record.")
            else:
                appointment = selectors.appointment_get_visible_to(user=user, code=raw)
        except tokens.TokenError:
            problem = _("This QR code is not a valid Corredor appointment (altered or forged).")
        except NotFoundError as exc:
            problem = exc.message
    if request.method == "POST":
        appointment = selectors.appointment_get_visible_to(user=user, code=request.POST.get("code", ""))
        try:
            if request.POST.get("action") == "no_show":
                services.appointment_no_show(actor=user, appointment=appointment, reason="marked at the port")
                messages.success(request, _("Marked as not arrived; the family keeps its place in line."))
            else:
                arrived = [int(x) for x in request.POST.getlist("arrived") if x.isdigit() and len(x) < 12]
                services.appointment_check_in(actor=user, appointment=appointment, arrived_person_ids=arrived)
                messages.success(request, _("Checked in. The reception step is open."))
        except CorredorError as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}?code={appointment.code}")
    members = registry_services.case_members(appointment.case) if appointment else []
    return render(request, "appointments/check_in.html", {
        "form": form, "appointment": appointment, "verified": verified, "problem": problem, "members": members,
        "today": timezone.localdate(), "end_of_day_form": forms.EndOfDayForm(initial={"day": timezone.localdate()})})


def public_status(request: HttpRequest) -> HttpResponse:
    """Anyone with a code may check it: date, port, what to bring. No login, no personal data, rate-limited."""
    code = request.GET.get("code", "")[:40]
    result = error = policy = None
    if code:
        if not lookup_allowed(request):
            response = render(request, "appointments/public_status.html",
                              {"code": code, "error": _("Too many lookups from this connection. Wait a minute.")},
                              status=429)
            response["Retry-After"] = "60"
            return response
        try:
            result = selectors.public_status(code)
            policy = services.policy_as_core(services.policy_active()).describe(
                "es" if (get_language() or "es").startswith("es") else "en")
        except NotFoundError:
            error = _("No appointment with that code. Check each character and try again.")
    response = render(request, "appointments/public_status.html",
                      {"code": code, "result": result, "error": error, "policy": policy},
                      status=404 if error else 200)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def legacy_import(request: HttpRequest) -> HttpResponse:
    """A coordinator imports an MPP case list or a metering waitlist; each family keeps its place."""
    from corredor.registry.imports import read_upload

    from .imports import METERING_COLUMNS, MPP_COLUMNS, legacy_list_import

    require_permission(user=request.user, permission=Permission.DATA_IMPORT)  # type: ignore[arg-type]
    form = forms.LegacyImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = legacy_list_import(actor=request.user,  # type: ignore[arg-type]
                                        content=read_upload(form.cleaned_data["file"]),
                                        list_kind=form.cleaned_data["kind"], mode=form.cleaned_data["mode"],
                                        source=form.cleaned_data.get("source") or "")
        except CorredorError as exc:
            form.add_error(None, exc.message)
    return render(request, "appointments/legacy_import.html", {
        "form": form, "result": result, "mpp_columns": MPP_COLUMNS, "metering_columns": METERING_COLUMNS})


@login_required
@require_http_methods(["POST"])
def end_of_day(request: HttpRequest) -> HttpResponse:
    form = forms.EndOfDayForm(request.POST)
    if form.is_valid():
        try:
            n = services.end_of_day_no_shows(actor=request.user,  # type: ignore[arg-type]
                                             port=Place.objects.get(code=form.cleaned_data["port"]),
                                             day=form.cleaned_data["day"])
            messages.success(request, _("%(n)d appointments marked as not arrived.") % {"n": n})
        except CorredorError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("appointments:check_in")
