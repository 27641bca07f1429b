"""Every write of capacity planning: saving a scenario (validated by the simulator, errors naming the key),
requesting and executing a run (simulation or prescription) as a background job, and raising crisis alerts
from the live platform's figures. Each checks its permission and audits."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from corredor.accounts.models import User
from corredor.accounts.selectors import require_permission
from corredor.audit import services as audit
from corredor.audit.events import AuditAction
from corredor.core import simulation as sim
from corredor.platform.authz import Permission
from corredor.platform.errors import ValidationFailedError
from corredor.registry import services as registry_services

from .live import live_series
from .models import CrisisAlert, PlanningRun, PlanningScenario, RunKind, RunStatus

MAX_REPLICATIONS = 500


def parse_scenario(text: str) -> sim.Scenario:
    """The scenario in `text`, or ValidationFailedError naming the key at fault."""
    if len(text) > 100_000:
        raise ValidationFailedError({"text": ["The scenario file is longer than 100,000 characters."]})
    try:
        return sim.load_scenario(text)
    except sim.ScenarioError as exc:
        errors: dict[str, list[str]] = {}
        for path, message in exc.problems:
            errors.setdefault(path or "text", []).append(message)
        raise ValidationFailedError(errors) from exc


def scenario_save(*, actor: User | None, name: str, text: str, scenario: PlanningScenario | None = None,
                  expected_version: int | None = None) -> PlanningScenario:
    require_permission(user=actor, permission=Permission.PLANNING_RUN)
    parsed = parse_scenario(text)
    name = (name or parsed.name or "").strip()[:150]
    if not name:
        raise ValidationFailedError({"name": ["Give the scenario a name."]})
    organisation = registry_services._actor_organisation(actor, None) if actor else None
    with transaction.atomic():
        if scenario is None:
            if organisation is None:
                from corredor.accounts.models import Organisation

                organisation = Organisation.objects.get(code="UNHCR")
            saved = PlanningScenario.objects.create(name=name, text=text, organisation=organisation,
                                                    created_by=actor if actor and actor.pk else None)
            changes: dict[str, Any] = {"name": {"old": None, "new": name}}
        else:
            saved = PlanningScenario.objects.select_for_update().get(pk=scenario.pk)
            registry_services._check_version(saved, expected_version)
            changes = {"name": {"old": saved.name, "new": name}, "text": {"old": len(saved.text), "new": len(text)}}
            saved.name, saved.text, saved.updated_at = name, text, timezone.now()
            saved.version += 1
            saved.save()
        audit.record(actor=actor, action=AuditAction.SCENARIO_SAVED, obj=saved, changes=changes)
    return saved


def run_request(*, actor: User | None, scenario: PlanningScenario, kind: str = RunKind.SIMULATE,
                replications: int = 20, seed: int | None = None, target_breach_share: float = 0.01,
                enqueue: bool = True) -> PlanningRun:
    """Queue a simulation (or a prescription search) of the scenario as it is now."""
    require_permission(user=actor, permission=Permission.PLANNING_RUN)
    errors: dict[str, list[str]] = {}
    if kind not in RunKind.values:
        errors["kind"] = [f"Unknown run kind {kind[:20]!r}."]
    if not 1 <= replications <= MAX_REPLICATIONS:
        errors["replications"] = [f"Between 1 and {MAX_REPLICATIONS} replications."]
    if not 0 <= target_breach_share <= 1:
        errors["target_breach_share"] = ["A share between 0 and 1 (0.01 is 1%)."]
    if seed is not None and not 0 <= seed < 2**63:
        errors["seed"] = ["A seed is a whole number from 0."]
    if errors:
        raise ValidationFailedError(errors)
    parsed = parse_scenario(scenario.text)
    chosen_seed = seed if seed is not None else (parsed.seed if parsed.seed is not None else 2021)
    with transaction.atomic():
        run = PlanningRun.objects.create(scenario=scenario, kind=kind, scenario_text=scenario.text, seed=chosen_seed,
                                         replications=replications, target_breach_share=target_breach_share,
                                         created_by=actor if actor and actor.pk else None)
        audit.record(actor=actor, action=AuditAction.PLANNING_RUN_REQUESTED, obj=run,
                     changes={"kind": {"old": None, "new": kind}, "replications": {"old": None, "new": replications},
                              "seed": {"old": None, "new": chosen_seed}})
        if enqueue:
            from .tasks import planning_run

            planning_run.enqueue(run.pk)  # the task row commits with the run (database backend)
    return run


def _progress(run_id: int) -> Any:
    last = {"pct": -1}

    def report(done: int, total: int) -> None:
        pct = int(100 * done / max(total, 1))
        if pct != last["pct"]:
            last["pct"] = pct
            PlanningRun.objects.filter(pk=run_id).update(progress=min(pct, 99))

    return report


def run_execute(run_id: int) -> PlanningRun:
    """The background job: simulate (or prescribe), store the summaries, mark done or failed with why."""
    run = PlanningRun.objects.get(pk=run_id)
    if run.status in (RunStatus.DONE, RunStatus.FAILED):
        return run
    PlanningRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=0)
    started = time.perf_counter()
    try:
        scenario = sim.load_scenario(run.scenario_text)
        if run.kind == RunKind.PRESCRIBE:
            plan = sim.prescribe(scenario, target_breach_share=run.target_breach_share, confidence=0.90,
                                 replications=run.replications, seed=run.seed)
            fields = {"plan": plan.to_dict(), "summary": plan.baseline.to_dict()}
        else:
            results = sim.run_replications(scenario, run.replications, run.seed, progress=_progress(run.pk))
            summary = sim.summarise(results, seed=run.seed)
            fields = {"summary": summary.to_dict(),
                      "thresholds": sim.crossing_probabilities(sim.default_thresholds(), results)}
        status, error = RunStatus.DONE, ""
    except Exception as exc:
        fields, status, error = {}, RunStatus.FAILED, f"{type(exc).__name__}: {exc}"[:500]
    with transaction.atomic():
        PlanningRun.objects.filter(pk=run.pk).update(status=status, progress=100, error=error,
                                                     seconds=time.perf_counter() - started,
                                                     finished_at=timezone.now(), **fields)
        run.refresh_from_db()
        audit.record(actor=None, action=AuditAction.PLANNING_RUN_FINISHED, obj=run,
                     changes={"status": {"old": "running", "new": status}})
    return run


def crisis_watch(*, today: dt.date | None = None, days: int = 56) -> list[CrisisAlert]:
    """Evaluate the crisis thresholds on the live figures; raise one alert per new crossing for coordinators."""
    first, series = live_series(days=days, today=today)
    crossings = sim.evaluate_thresholds(sim.default_thresholds(), series, first_date=first)
    raised: list[CrisisAlert] = []
    for c in crossings:
        start = c.start_date or first + dt.timedelta(days=c.start_day)
        end = c.end_date or first + dt.timedelta(days=c.end_day)
        try:
            with transaction.atomic():
                alert = CrisisAlert.objects.create(
                    threshold_id=c.threshold_id, subject=c.subject or "", severity=c.severity, label_en=c.label_en,
                    label_es=c.label_es, start_date=start, end_date=end,
                    peak_value=c.peak_value if c.peak_value == c.peak_value else None)
                audit.record(actor=None, action=AuditAction.CRISIS_ALERT_RAISED, obj=alert,
                             changes={"threshold": {"old": None, "new": c.threshold_id},
                                      "subject": {"old": None, "new": c.subject}})
                raised.append(alert)
        except IntegrityError:
            CrisisAlert.objects.filter(threshold_id=c.threshold_id, subject=c.subject or "",
                                       start_date=start).update(end_date=end)
    return raised


def crisis_alert_acknowledge(*, actor: User | None, alert: CrisisAlert) -> CrisisAlert:
    require_permission(user=actor, permission=Permission.PLANNING_RUN)
    with transaction.atomic():
        locked = CrisisAlert.objects.select_for_update().get(pk=alert.pk)
        if locked.acknowledged_at is None:
            locked.acknowledged_at, locked.acknowledged_by = timezone.now(), actor if actor and actor.pk else None
            locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
            audit.record(actor=actor, action=AuditAction.CRISIS_ALERT_ACKNOWLEDGED, obj=locked,
                         changes={"acknowledged_at": {"old": None, "new": locked.acknowledged_at.isoformat()}})
    return locked
