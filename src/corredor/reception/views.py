"""Pages of reception and custody: facilities, the live board, arrivals, a custody record with its actions,
ORR placements, occupancy charts, alerts and shelter beds. Thin: forms in, services and selectors out."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from corredor.accounts.models import Organisation
from corredor.accounts.selectors import require_permission, user_has_permission, user_organisation_ids
from corredor.core.custody import clocks as core_clocks
from corredor.core.custody.populations import UNACCOMPANIED
from corredor.platform.authz import Permission
from corredor.platform.errors import CorredorError, ValidationFailedError
from corredor.platform.params import record_id
from corredor.registry import selectors as registry_selectors
from corredor.registry import services as registry_services

from . import forms, selectors, services
from .models import POPULATION_LABELS, Custody, Facility, FacilityCapacity, FacilityKind, Screening
from .rules import active_rules

LEVEL_CLASS = {core_clocks.Level.MET: "met", core_clocks.Level.RUNNING: "ok", core_clocks.Level.WARNING: "warn",
               core_clocks.Level.ESCALATED: "escalated", core_clocks.Level.BREACHED: "breached"}


def _local(value: dt.datetime | None, facility: Facility | None) -> dt.datetime | None:
    if value is None or facility is None:
        return value
    return core_clocks.local_time(value, facility.time_zone)


def _local_input(value: dt.datetime, facility: Facility | None) -> str:
    """A value for a datetime-local input: the wall-clock time at the facility."""
    zone = facility.time_zone if facility else "UTC"
    return core_clocks.local_time(value, zone).strftime("%Y-%m-%dT%H:%M")


def _hours(delta: dt.timedelta) -> str:
    total = int(delta.total_seconds() // 60)
    sign = "-" if total < 0 else ""
    total = abs(total)
    return f"{sign}{total // 60}h {total % 60:02d}m"


def _clock_view(clock: core_clocks.Clock, facility: Facility | None, language: str) -> dict[str, Any]:
    return {"rule": clock.rule, "label": clock.rule.label(language), "level": LEVEL_CLASS[clock.level],
            "level_name": clock.level.name.lower(), "running": clock.running, "left": _hours(clock.remaining),
            "elapsed": _hours(clock.elapsed), "deadline": _local(clock.deadline, facility),
            "warning_at": _local(clock.warning_at, facility), "escalation_at": _local(clock.escalation_at, facility),
            "stopped_at": _local(clock.stopped_at, facility)}


def _render_local(request: HttpRequest, template: str, context: dict[str, Any], facility: Facility | None
                  ) -> HttpResponse:
    """Render with the facility's time zone active: every time on the page is the facility's wall clock."""
    with timezone.override(ZoneInfo(facility.time_zone) if facility else None):
        return render(request, template, context)


def _fail(request: HttpRequest, exc: CorredorError) -> None:
    if isinstance(exc, ValidationFailedError):
        for field, errs in exc.errors.items():
            messages.error(request, f"{field}: {' '.join(errs)}")
    else:
        messages.error(request, exc.message)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field, errs in form.errors.items():
        messages.error(request, f"{field}: {' '.join(str(e) for e in errs)}")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    facilities = list(selectors.facilities_visible_to(user=user))
    can_board = user_has_permission(user=user, permission=Permission.CUSTODY_VIEW)
    summary = []
    for facility in facilities:
        rows, isolation = selectors.occupancy_now(user=user, facility=facility)
        summary.append({"facility": facility, "rows": rows, "isolation": isolation,
                        "can_board": can_board and selectors.can_see_people_at(user=user, facility=facility),
                        "present": sum(r.occupied or 0 for r in rows), "beds": sum(r.beds for r in rows)})
    return render(request, "reception/index.html", {"summary": summary, "can_board": can_board})


BOARD_PAGE = 200


def _board_context(request: HttpRequest, code: str) -> dict[str, Any]:
    """Counts over everyone; rows for the tightest 200 (or all with ?all=1), with every string prepared here so
    the template stays a plain loop (a facility may hold thousands)."""
    user: Any = request.user
    now = timezone.now()
    show_all = request.GET.get("all") == "1"
    page = selectors.board_page(user=user, facility_code=code, now=now, limit=None if show_all else BOARD_PAGE)
    facility = page.facility
    language = getattr(request, "LANGUAGE_CODE", "es")
    zone = ZoneInfo(facility.time_zone)
    level_words = {"breached": _("BREACHED"), "escalated": _("ESCALATED"), "warn": _("WARNING"), "met": _("met"),
                   "ok": _("on time")}
    labels = {r.id: r.label(language) for r in active_rules()}
    link = reverse("reception:custody", kwargs={"custody_id": 0})[:-2]  # ".../custody/" + id + "/"
    lv = core_clocks.Level
    counts = {"breached": page.levels[lv.BREACHED], "escalated": page.levels[lv.ESCALATED],
              "warn": page.levels[lv.WARNING]}
    view_rows: list[dict[str, Any]] = []
    for row in page.rows:
        level = LEVEL_CLASS[core_clocks.Level(row.level)] if row.clocks else "none"
        clocks = [{"label": labels.get(k.rule.id, k.rule.id), "level": LEVEL_CLASS[k.level],
                   "left": _hours(k.remaining),
                   "due": k.deadline.astimezone(zone).strftime("%d/%m %H:%M") if k.running else ""}
                  for k in row.clocks]
        first = clocks[0] if clocks else None
        view_rows.append({
            "href": f"{link}{row.custody_id}/", "name": row.person_name, "reference": row.case_reference,
            "population": POPULATION_LABELS.get(row.population, row.population),  # type: ignore[call-overload]
            "started": row.started_at.astimezone(zone).strftime("%d/%m %H:%M"),
            "arrived_here": row.arrived_here.astimezone(zone).strftime("%d/%m %H:%M") if row.arrived_here else "",
            "clocks": clocks, "first": first, "first_word": level_words.get(first["level"], "") if first else "",
            "level": level, "blockers": row.blockers, "needs_reason": bool(row.breach_needs_reason)})
    return {"facility": facility, "rows": view_rows, "total": page.total, "hidden": page.total - len(view_rows),
            "now": now.astimezone(zone), "counts": counts, "show_all": show_all,
            "breaches_recorded": selectors.breach_total(facility=facility)}


@login_required
def board(request: HttpRequest, code: str) -> HttpResponse:
    context = _board_context(request, code)
    return _render_local(request, "reception/board.html", context, context["facility"])


@login_required
def board_rows(request: HttpRequest, code: str) -> HttpResponse:
    """The rows alone, for the board's htmx polling (no full reload)."""
    context = _board_context(request, code)
    return _render_local(request, "reception/_board_rows.html", context, context["facility"])


@login_required
@require_http_methods(["GET", "POST"])
def arrival(request: HttpRequest, code: str) -> HttpResponse:
    user: Any = request.user
    require_permission(user=user, permission=Permission.CUSTODY_MANAGE)
    facility = selectors._board_facility(user, code)
    find = forms.ArrivalFindForm(request.GET or None)
    case = None
    members: list[Any] = []
    if find.is_valid():
        try:
            case = registry_selectors.case_get_visible_to(user=user, reference=find.cleaned_data["reference"].strip())
            members = registry_services.case_members(case)
        except CorredorError as exc:
            messages.error(request, exc.message)
    form = forms.ArrivalForm(request.POST or None, zone=facility.time_zone,
                             initial={"arrived_at": _local_input(timezone.now(), facility)})
    if request.method == "POST" and case is not None:
        if form.is_valid():
            chosen = {int(x) for x in request.POST.getlist("persons") if x.isdigit() and len(x) < 12}
            try:
                services.custody_admit(actor=user, case=case, persons=[m for m in members if m.pk in chosen],
                                       facility=facility, arrived_at=form.cleaned_data["arrived_at"],
                                       source=form.cleaned_data["source"])
                messages.success(request, _("Arrival recorded; the clocks are running."))
                return redirect("reception:board", code=facility.code)
            except CorredorError as exc:
                _fail(request, exc)
        else:
            _form_errors(request, form)
    return _render_local(request, "reception/arrival.html", {"facility": facility, "find": find, "case": case,
                                                             "members": members, "form": form}, facility)


def _family_here(custody: Custody) -> list[Custody]:
    return list(Custody.objects.filter(case=custody.case, current_facility=custody.current_facility,
                                       ended_at__isnull=True, in_transit=custody.in_transit)
                .select_related("person").order_by("pk"))


def _chosen(request: HttpRequest, custody: Custody) -> list[Custody]:
    """The custody records acted on together: this person and the family members ticked on the page."""
    ids = {int(x) for x in request.POST.getlist("together") if x.isdigit() and len(x) < 12} | {custody.pk}
    return [c for c in _family_here(custody) if c.pk in ids] or [custody]


@login_required
@require_http_methods(["GET", "POST"])
def custody_detail(request: HttpRequest, custody_id: int) -> HttpResponse:
    user: Any = request.user
    custody = selectors.custody_get_visible_to(user=user, custody_id=custody_id)
    facility = custody.current_facility
    zone = facility.time_zone if facility else "UTC"
    now = timezone.now()
    if request.method == "POST":
        _custody_action(request, custody, zone)
        return redirect("reception:custody", custody_id=custody.pk)
    language = getattr(request, "LANGUAGE_CODE", "es")
    clocks = [_clock_view(k, facility, language) for k in selectors.clocks_for(custody, now=now)]
    recorded = {b.rule_id: b for b in custody.breaches.all()}
    stays = [{"stay": s, "arrived": _local(s.arrived_at, s.facility), "departed": _local(s.departed_at, s.facility)}
             for s in custody.stays.select_related("facility")]
    screenings = list(custody.screenings.select_related("provider"))
    reveal = request.GET.get("reveal") == "health" and user_has_permission(
        user=user, permission=Permission.SENSITIVE_HEALTH_VIEW)
    findings: dict[int, Screening] = {}
    if reveal:
        findings = {s.pk: s for s in services.screenings_reveal(actor=user, custody=custody, reason="custody page")}
    local_now = _local_input(now, facility)
    destinations = Facility.objects.filter(is_active=True).exclude(
        kind__in=[FacilityKind.ORR_SHELTER, FacilityKind.NGO_SHELTER]).exclude(pk=facility.pk if facility else 0)
    orgs = [("", "—"), *Organisation.objects.filter(is_active=True).values_list("code", "name")]
    transfer = forms.TransferForm(initial={"departed_at": local_now})
    transfer.fields["to_facility"].choices = [(f.code, f.name) for f in destinations]  # type: ignore[attr-defined]
    release = forms.ReleaseForm(initial={"released_at": local_now})
    release.fields["provider"].choices = orgs  # type: ignore[attr-defined]
    screening = forms.ScreeningForm(initial={"occurred_at": local_now})
    screening.fields["provider"].choices = orgs  # type: ignore[attr-defined]
    return _render_local(request, "reception/custody.html", {
        "custody": custody, "facility": facility, "clocks": clocks, "stays": stays, "screenings": screenings,
        "findings": findings, "reveal": reveal, "recorded": recorded,
        "needs_reason": [c for c in clocks if c["level"] == "breached" and c["rule"].id not in recorded],
        "family": [c for c in _family_here(custody) if c.pk != custody.pk],
        "referrals": list(custody.referrals.select_related("shelter", "referred_to")),
        "isolated": bool(custody.isolation_until and custody.isolation_until > now),
        "isolation_until": _local(custody.isolation_until, facility),
        "release_record": getattr(custody, "release", None) if custody.ended_at else None,
        "forms": {"transfer": transfer, "release": release, "screening": screening,
                  "exit": forms.ExitForm(initial={"at": local_now}), "arrive": forms.ArriveForm(
                      initial={"arrived_at": local_now}),
                  "sponsor": forms.SponsorForm(initial={"sponsor_status": custody.sponsor_status}),
                  "breach": forms.BreachForm()},
        "population": POPULATION_LABELS.get(custody.population, custody.population),  # type: ignore[call-overload]
        "may_release": not (custody.population in UNACCOMPANIED and facility is not None and facility.is_federal),
    }, facility)


def _org(code: str) -> Organisation | None:
    return Organisation.objects.filter(code=code).first() if code else None


def _custody_action(request: HttpRequest, custody: Custody, zone: str) -> None:
    user: Any = request.user
    form: Any
    action = request.POST.get("action", "")
    try:
        if action == "transfer":
            form = forms.TransferForm(request.POST, zone=zone)
            form.fields["to_facility"].choices = [(f.code, f.name) for f in Facility.objects.all()]
            if not form.is_valid():
                return _form_errors(request, form)
            services.custody_transfer(actor=user, custodies=_chosen(request, custody),
                                      to_facility=Facility.objects.get(code=form.cleaned_data["to_facility"]),
                                      departed_at=form.cleaned_data["departed_at"],
                                      arrived_at=form.cleaned_data.get("arrived_at"),
                                      reason=form.cleaned_data["reason"])
            messages.success(request, _("Transfer recorded."))
        elif action == "arrive":
            form = forms.ArriveForm(request.POST, zone=zone)
            if not form.is_valid():
                return _form_errors(request, form)
            services.custody_transfer_arrive(actor=user, custodies=_chosen(request, custody),
                                             arrived_at=form.cleaned_data["arrived_at"])
            messages.success(request, _("Arrival recorded."))
        elif action == "release":
            form = forms.ReleaseForm(request.POST, zone=zone)
            form.fields["provider"].choices = [("", "—"), *Organisation.objects.values_list("code", "name")]
            if not form.is_valid():
                return _form_errors(request, form)
            d = form.cleaned_data
            services.custody_release(
                actor=user, custodies=_chosen(request, custody), released_at=d["released_at"],
                destination_city=d["destination_city"], destination_region=d["destination_region"],
                sponsor_name=d["sponsor_name"], sponsor_relationship=d["sponsor_relationship"],
                sponsor_phone=d["sponsor_phone"], address=d["address"], documents_issued=d["documents_issued"],
                programme=d["programme"], provider=_org(d["provider"]))
            messages.success(request, _("Released to %(city)s.") % {"city": d["destination_city"]})
        elif action == "exit":
            form = forms.ExitForm(request.POST, zone=zone)
            if not form.is_valid():
                return _form_errors(request, form)
            services.custody_exit(actor=user, custodies=_chosen(request, custody), outcome=form.cleaned_data["outcome"],
                                  at=form.cleaned_data["at"], reason=form.cleaned_data["reason"])
            messages.success(request, _("Exit recorded."))
        elif action == "screening":
            form = forms.ScreeningForm(request.POST, zone=zone)
            form.fields["provider"].choices = [("", "—"), *Organisation.objects.values_list("code", "name")]
            if not form.is_valid():
                return _form_errors(request, form)
            d = form.cleaned_data
            services.screening_record(actor=user, custody=custody, kind=d["kind"], occurred_at=d["occurred_at"],
                                      test_result=d["test_result"], findings=d["findings"],
                                      referral_needed=d["referral_needed"], provider=_org(d["provider"]),
                                      language=d["language"], isolation_until=d.get("isolation_until"))
            messages.success(request, _("Recorded."))
        elif action == "orr_request":
            services.orr_referral_request(actor=user, custody=custody)
            messages.success(request, _("ORR placement requested."))
        elif action == "sponsor":
            form = forms.SponsorForm(request.POST)
            if not form.is_valid():
                return _form_errors(request, form)
            services.sponsor_status_set(actor=user, custodies=_chosen(request, custody),
                                        status=form.cleaned_data["sponsor_status"])
            messages.success(request, _("Saved."))
        elif action == "breach":
            form = forms.BreachForm(request.POST)
            if not form.is_valid():
                return _form_errors(request, form)
            services.breach_record(actor=user, custody=custody, rule_id=form.cleaned_data["rule_id"],
                                   reason_code=form.cleaned_data["reason_code"], reason=form.cleaned_data["reason"])
            messages.success(request, _("The breach and its reason are recorded."))
        elif action == "end_isolation":
            services.isolation_end(actor=user, custody=custody, at=timezone.now(),
                                   reason=request.POST.get("reason", "")[:300])
            messages.success(request, _("Isolation ended."))
        else:
            messages.error(request, _("Unknown action."))
    except CorredorError as exc:
        _fail(request, exc)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def orr(request: HttpRequest) -> HttpResponse:
    """ORR staff: the children referred to their organisation; accept or not, then record the placement."""
    user: Any = request.user
    referrals = selectors.referrals_visible_to(user=user)
    shelters = Facility.objects.filter(kind=FacilityKind.ORR_SHELTER, is_active=True,
                                       organisation_id__in=user_organisation_ids(user=user))
    if request.method == "POST":
        referral = selectors.referral_get_visible_to(user=user, referral_id=record_id(request.POST.get("referral")))
        zone = referral.custody.current_facility.time_zone if referral.custody.current_facility else "UTC"
        form: Any
        try:
            if request.POST.get("action") == "decide":
                form = forms.DecideForm(request.POST)
                form.fields["shelter"].choices = [("", "—"), *[(s.code, s.name) for s in shelters]]
                if form.is_valid():
                    d = form.cleaned_data
                    services.orr_referral_decide(actor=user, referral=referral, accept=d["decision"] == "accept",
                                                 shelter=shelters.filter(code=d["shelter"]).first(),
                                                 decline_reason=d["decline_reason"], note=d["note"])
                    messages.success(request, _("Decision recorded."))
                else:
                    _form_errors(request, form)
            elif request.POST.get("action") == "place":
                form = forms.PlacementForm(request.POST, zone=zone)
                if form.is_valid():
                    services.orr_placement_complete(actor=user, referral=referral,
                                                    departed_at=form.cleaned_data["departed_at"],
                                                    arrived_at=form.cleaned_data["arrived_at"])
                    messages.success(request, _("Placement recorded; the 72-hour clock stopped on arrival."))
                else:
                    _form_errors(request, form)
        except CorredorError as exc:
            _fail(request, exc)
        return redirect("reception:orr")
    now = timezone.now()
    rows = []
    for referral in referrals.order_by("-requested_at")[:200]:
        c = referral.custody
        uc = [k for k in selectors.clocks_for(c, now=now) if k.rule.id == "uc-orr-placement"]
        language = getattr(request, "LANGUAGE_CODE", "es")
        rows.append({"referral": referral, "custody": c,
                     "zone": c.current_facility.time_zone if c.current_facility else "UTC",
                     "clock": _clock_view(uc[0], c.current_facility, language) if uc else None,
                     "population": POPULATION_LABELS.get(c.population, c.population)})  # type: ignore[call-overload]
    decide = forms.DecideForm()
    decide.fields["shelter"].choices = [("", "—"), *[(s.code, s.name) for s in shelters]]  # type: ignore[attr-defined]
    return render(request, "reception/orr.html", {"rows": rows, "decide": decide, "placement": forms.PlacementForm()})


def _line_chart(series: dict[str, list[int]], beds: int, days: list[dt.date]) -> dict[str, Any]:
    """Points for an SVG line chart (viewBox 0..100 x 0..50)."""
    top = max([beds, *[max(v, default=0) for v in series.values()], 1])
    n = max(len(days) - 1, 1)

    def points(values: list[int]) -> str:
        return " ".join(f"{100 * i / n:.2f},{50 - 48 * v / top:.2f}" for i, v in enumerate(values))

    return {"lines": [{"key": k, "label": POPULATION_LABELS.get(k, k), "points": points(v), "last": v[-1] if v else 0}  # type: ignore[call-overload]
                      for k, v in sorted(series.items())],
            "beds_y": f"{50 - 48 * beds / top:.2f}", "top": top, "first": days[0] if days else None,
            "last": days[-1] if days else None}


@login_required
def occupancy(request: HttpRequest, code: str) -> HttpResponse:
    user: Any = request.user
    facility = selectors.facility_get_visible_to(user=user, code=code)
    rows, isolation = selectors.occupancy_now(user=user, facility=facility)
    today = _local(timezone.now(), facility).date()  # type: ignore[union-attr]
    try:
        days = min(max(int(request.GET.get("days", "14")[:4]), 2), 120)
    except ValueError:
        days = 14
    series = selectors.occupancy_over_time(user=user, facility=facility, start=today - dt.timedelta(days=days - 1),
                                           days=days)
    total = {"total": series.total}
    return _render_local(request, "reception/occupancy.html", {
        "facility": facility, "rows": rows, "isolation": isolation, "days": days,
        "chart": _line_chart(series.by_population, series.beds, series.days),
        "total_chart": _line_chart(total, series.beds, series.days), "series": series,
        "daily": list(zip(series.days, series.total, strict=True))[::-1],
        "breaches": selectors.breach_counts(user=user, facility=facility)}, facility)


@login_required
@require_http_methods(["GET", "POST"])
def alerts(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    qs = selectors.alerts_visible_to(user=user)
    if request.method == "POST":
        alert = qs.filter(pk=record_id(request.POST.get("alert"))).first()
        if alert is not None:
            try:
                services.alert_acknowledge(actor=user, alert=alert)
            except CorredorError as exc:
                _fail(request, exc)
        return redirect("reception:alerts")
    return render(request, "reception/alerts.html", {"alerts": qs[:200],
                                                     "open": qs.filter(acknowledged_at__isnull=True).count()})


@login_required
@require_http_methods(["GET", "POST"])
def beds(request: HttpRequest, code: str) -> HttpResponse:
    user: Any = request.user
    require_permission(user=user, permission=Permission.FACILITY_BEDS_REPORT)
    facility = selectors.facility_get_visible_to(user=user, code=code)
    if request.method == "POST":
        form = forms.BedsForm(request.POST)
        if form.is_valid():
            row = FacilityCapacity.objects.filter(pk=form.cleaned_data["capacity_id"], facility=facility).first()
            if row is not None:
                try:
                    services.beds_report(actor=user, capacity=row, available=form.cleaned_data["available"],
                                         expected_version=form.cleaned_data["version"])
                    messages.success(request, _("Free beds saved."))
                except CorredorError as exc:
                    _fail(request, exc)
        else:
            _form_errors(request, form)
        return redirect(reverse("reception:beds", kwargs={"code": facility.code}))
    capacities = [{"row": c, "label": POPULATION_LABELS.get(c.population, c.population)}  # type: ignore[call-overload]
                  for c in FacilityCapacity.objects.filter(facility=facility)]
    return _render_local(request, "reception/beds.html", {"facility": facility, "capacities": capacities},
                         facility)


