"""Planner pages: diagnose the live flow (with a short forecast and crisis alerts), edit scenarios, run them
as background jobs, read and compare results, and ask for a prescription."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from corredor.accounts.selectors import require_permission
from corredor.core import simulation as sim
from corredor.core.simulation.forecast import forecast_daily
from corredor.platform.authz import Permission
from corredor.platform.errors import CorredorError, ValidationFailedError
from corredor.platform.params import record_id

from . import selectors, services
from .live import flow_breakdown, live_series
from .models import RunKind, RunStatus


def _group_label(group: str) -> str:
    labels = {"single_adult_men": _("Single adult men"), "single_adult_women": _("Single adult women"),
              "family_units": _("Families (persons)"), "unaccompanied_children": _("Unaccompanied children")}
    return labels.get(group, group)


def _lang(request: HttpRequest) -> str:
    return "es" if getattr(request, "LANGUAGE_CODE", "es").startswith("es") else "en"


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    selectors.require_planning_view(user)
    if request.method == "POST":
        alert = selectors.crisis_alerts_visible_to(user=user).filter(pk=record_id(request.POST.get("alert"))).first()
        if alert is not None:
            try:
                services.crisis_alert_acknowledge(actor=user, alert=alert)
            except CorredorError as exc:
                messages.error(request, exc.message)
        return redirect("planning:index")
    first, series = live_series(days=56)
    arrivals = np.array(series.get("arrivals", [0.0] * 56))
    capacity = np.array(series.get("processing_capacity", [0.0] * 56))
    forecast = forecast_daily(arrivals, horizon=14)
    history = list(arrivals) + [float("nan")] * 14
    ahead = [float("nan")] * 55 + [float(arrivals[-1])] + [float(x) for x in forecast.mean]
    low = [float("nan")] * 56 + [float(x) for x in forecast.low]
    high = [float("nan")] * 56 + [float(x) for x in forecast.high]
    lines = [sim.Line(_("Arrivals into custody"), history),
             sim.Line(_("Forecast (90% interval)"), ahead,  # no line before the forecast starts
                      [0.0 if x != x else x for x in low], [0.0 if x != x else x for x in high], dashed=True)]
    forecast_chart = sim.svg_line_chart(lines, title=_("Arrivals per day: last 8 weeks and the next 2"),
                                        description=_("Day 0 is %(date)s.") % {"date": first.isoformat()},
                                        x_label=_("day"), y_label=_("persons"))
    flow = flow_breakdown(weeks=8)
    week_chart = sim.svg_bar_chart([sim.Bar(_("week %(n)s") % {"n": i + 1}, float(n))
                                    for i, n in enumerate(flow["by_week"])],
                                   title=_("Arrivals into custody by week"), y_label=_("persons"))
    group_chart = sim.svg_bar_chart([sim.Bar(_group_label(g), float(n)) for g, n in flow["group"]],
                                    title=_("By family type"), y_label=_("persons"))
    nat_chart = sim.svg_bar_chart([sim.Bar(code, float(n)) for code, n in flow["nationality"]],
                                  title=_("By nationality"), y_label=_("persons"))
    port_chart = sim.svg_bar_chart([sim.Bar(name, float(n)) for name, n in flow["port"]],
                                   title=_("By first facility (port)"), y_label=_("persons"))
    week_arrivals, week_capacity = float(arrivals[-7:].sum()), float(capacity[-7:].sum())
    return render(request, "planning/index.html", {
        "charts": [mark_safe(c) for c in (forecast_chart, week_chart, group_chart, nat_chart, port_chart)],  # noqa: S308 - built by the core, every text escaped
        "ratio": week_arrivals / week_capacity if week_capacity else None, "week_arrivals": week_arrivals,
        "week_capacity": week_capacity, "forecast_total": float(forecast.mean[:7].sum()),
        "forecast_low": float(forecast.low[:7].sum()), "forecast_high": float(forecast.high[:7].sum()),
        "alerts": selectors.crisis_alerts_visible_to(user=user)[:20], "lang": _lang(request),
        "scenarios": selectors.scenarios_visible_to(user=user)[:50], "runs": selectors.runs_visible_to(user=user)[:20],
        "bundled": sorted(sim.bundled_scenarios()),
    })


@login_required
@require_http_methods(["GET", "POST"])
def scenario_edit(request: HttpRequest, scenario_id: int | None = None) -> HttpResponse:
    user: Any = request.user
    scenario = selectors.scenario_get_visible_to(user=user, scenario_id=scenario_id) if scenario_id else None
    errors: dict[str, list[str]] = {}
    if scenario is not None:
        text, name = scenario.text, scenario.name
    else:
        start = request.GET.get("from", "surge-50")[:40]
        path = sim.bundled_scenarios().get(start) or sim.bundled_scenarios()["surge-50"]
        text, name = path.read_text(encoding="utf-8"), ""
    if request.method == "POST":
        require_permission(user=user, permission=Permission.PLANNING_RUN)
        text, name = request.POST.get("text", "")[:100_000], request.POST.get("name", "")[:150]
        action = request.POST.get("action", "save")
        try:
            version = request.POST.get("version", "")
            scenario = services.scenario_save(actor=user, name=name, text=text, scenario=scenario,
                                              expected_version=int(version) if version.isdigit() else None)
            if action in (RunKind.SIMULATE, RunKind.PRESCRIBE):
                reps = request.POST.get("replications", "20")
                run = services.run_request(actor=user, scenario=scenario, kind=action,
                                           replications=int(reps) if reps.isdigit() else 0)
                return redirect("planning:run", run_id=run.pk)
            messages.success(request, _("Scenario saved."))
            return redirect("planning:scenario", scenario_id=scenario.pk)
        except ValidationFailedError as exc:
            errors = exc.errors
        except CorredorError as exc:
            messages.error(request, exc.message)
    runs = scenario.runs.all()[:20] if scenario else []
    return render(request, "planning/scenario.html", {"scenario": scenario, "text": text, "name": name,
                                                      "errors": errors, "runs": runs})


def _run_charts(summary: sim.Summary, lang: str) -> list[str]:
    charts = []
    queues = []
    for code in summary.port_codes:
        s = summary.series.get(f"port_queue.{code}")
        if s:
            queues.append(sim.Line(code, s["mean"], s.get("p5"), s.get("p95")))
    charts.append(sim.svg_line_chart(queues, title=_("People waiting for an appointment, by port (mean, 90% band)"),
                                     x_label=_("day"), y_label=_("persons")))
    occupancy = []
    for g in summary.population_codes:
        if f"occupancy.{g}" in summary.series:
            s = summary.series[f"occupancy.{g}"]
            occupancy.append(sim.Line(_group_label(g), s["mean"], s.get("p5"), s.get("p95")))
            occupancy.append(sim.Line(_("beds: %(group)s") % {"group": _group_label(g)},
                                      summary.series[f"beds.{g}"]["mean"], dashed=True))
    charts.append(sim.svg_line_chart(occupancy, title=_("Reception occupancy against beds"), x_label=_("day"),
                                     y_label=_("persons")))
    bars = []
    for g in summary.population_codes:
        m = summary.metrics.get(f"breaches.share.{g}") or {}
        if m.get("mean") is not None:
            bars.append(sim.Bar(_group_label(g), 100 * (m["mean"] or 0), 100 * (m.get("p5") or 0),
                                100 * (m.get("p95") or 0)))
    charts.append(sim.svg_bar_chart(bars, title=_("Custody past the limit, % of those due (mean, 90% interval)"),
                                    y_label="%"))
    return [mark_safe(c) for c in charts]  # noqa: S308 - built by the core, every text escaped


def _metric_labels() -> dict[str, str]:
    """The figures a run page shows, in order, in the reader's language."""
    return {"waiting_days.mean": _("Mean wait for an appointment (days)"),
            "backlog.days_to_clear": _("Days to clear the initial backlog"),
            "custody_hours.mean": _("Mean hours in custody"), "custody_hours.p90": _("90th percentile hours"),
            "breaches.share": _("Share past the custody limit"), "breaches.count": _("People past the limit"),
            "cost.officer_days": _("Officer-days"), "cost.bed_nights": _("Bed-nights"),
            "cost.usd.total": _("Cost (USD)")}


def _metric_rows(summary: sim.Summary) -> list[dict[str, Any]]:
    rows = []
    for key, label in _metric_labels().items():
        m = summary.metrics.get(key) or {}
        pct = key == "breaches.share"
        row: dict[str, Any] = {"key": key, "label": label, "pct": pct}
        for stat in ("mean", "p5", "p95"):
            value = m.get(stat)
            row[stat] = None if value is None else (100 * value if pct else value)
        rows.append(row)
    return rows


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    user: Any = request.user
    run = selectors.run_get_visible_to(user=user, run_id=run_id)
    context: dict[str, Any] = {"run": run, "finished": run.status in (RunStatus.DONE, RunStatus.FAILED)}
    if run.status == RunStatus.DONE and run.summary:
        summary = sim.Summary.from_dict(run.summary)
        context.update(charts=_run_charts(summary, _lang(request)), metrics=_metric_rows(summary))
        if run.plan:
            planned = sim.Summary.from_dict(run.plan["planned"])
            context.update(plan=run.plan, planned_metrics=_metric_rows(planned),
                           planned_charts=_run_charts(planned, _lang(request)))
        labels = {t.id: (t.label_es if _lang(request) == "es" else t.label_en) for t in sim.default_thresholds()}
        context["thresholds"] = [{"label": labels.get(k.split(":")[0], k), "subject": k.partition(":")[2], **v}
                                 for k, v in (run.thresholds or {}).items()]
    template = "planning/_run_status.html" if request.htmx and not context["finished"] else "planning/run.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def run_report(request: HttpRequest, run_id: int) -> HttpResponse:
    """The self-contained HTML report, as a download (it carries its own styles)."""
    user: Any = request.user
    run = selectors.run_get_visible_to(user=user, run_id=run_id)
    if run.status != RunStatus.DONE:
        raise ValidationFailedError({"run": ["The run has not finished."]})
    summary = sim.Summary.from_dict(run.summary)
    html = sim.render_html(sim.load_scenario(run.scenario_text), summary, f"{run.scenario.name} · run {run.pk}",
                           language=_lang(request), threshold_probabilities=run.thresholds or None,
                           thresholds=sim.default_thresholds())
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="corredor-run-{run.pk}.html"'
    return response


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    ids = [int(x) for x in request.GET.getlist("run") if x.isdigit() and len(x) < 12][:4]
    runs = [r for r in selectors.runs_visible_to(user=user).filter(pk__in=ids, status=RunStatus.DONE)]
    summaries = [(run, sim.Summary.from_dict(run.summary)) for run in runs]
    per_run = [{m["key"]: m for m in _metric_rows(summary)} for _run, summary in summaries]
    columns = [{"run": run} for run, _summary in summaries]
    rows = [{"label": m["label"], "cells": [metrics.get(key) for metrics in per_run]}
            for key, m in (per_run[0].items() if per_run else [])]
    queue_lines = [sim.Line(f"#{run.pk} {run.scenario.name}"[:40], summary.series["port_queue"]["mean"])
                   for run, summary in summaries]
    chart = mark_safe(sim.svg_line_chart(queue_lines, title=_("People waiting for an appointment (all ports, mean)"),  # noqa: S308
                                         x_label=_("day"), y_label=_("persons"))) if columns else ""
    return render(request, "planning/compare.html", {"columns": columns, "rows": rows, "chart": chart,
                                                     "all_runs": selectors.runs_visible_to(user=user)
                                                     .filter(status=RunStatus.DONE)[:30], "chosen": ids})

