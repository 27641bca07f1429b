"""Capacity planning in the platform: scenarios validated with the key named, runs as background jobs with
stored summaries, prescriptions, the live figures in the simulator's shape, crisis alerts, pages and CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from corredor.audit.models import AuditEvent
from corredor.core import simulation as sim
from corredor.planning import services
from corredor.planning.live import live_series
from corredor.planning.models import CrisisAlert, PlanningRun
from corredor.platform.authz import Role
from corredor.platform.errors import PermissionDeniedError, ValidationFailedError
from corredor.reception import services as reception
from corredor.reception.models import FacilityKind
from corredor.registry import services as registry

pytestmark = pytest.mark.django_db
SMALL = sim.bundled_scenarios()["test-small"].read_text(encoding="utf-8")


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR, "UNHCR", username="planner")


def test_scenario_errors_name_the_key_and_nothing_is_saved(coordinator):
    bad = SMALL.replace("daily_rate: {value: 100, unit: persons/day}", "daily_rate: {value: -5, unit: persons/day}")
    with pytest.raises(ValidationFailedError) as err:
        services.scenario_save(actor=coordinator, name="x", text=bad)
    assert any("daily_rate" in key for key in err.value.errors)
    with pytest.raises(ValidationFailedError) as err:
        services.scenario_save(actor=coordinator, name="x", text=SMALL + "\ncolour: red\n")
    assert "colour" in json.dumps(err.value.errors)
    assert not AuditEvent.objects.filter(action="planning.scenario_saved").exists()


def test_run_as_a_job_stores_a_summary_and_threshold_probabilities(coordinator):
    scenario = services.scenario_save(actor=coordinator, name="", text=SMALL)
    assert scenario.name == "Small test scenario"
    run = services.run_request(actor=coordinator, scenario=scenario, replications=3, seed=5)  # immediate backend
    run.refresh_from_db()
    assert run.status == "done" and run.progress == 100 and run.seconds is not None
    summary = sim.Summary.from_dict(run.summary)
    assert summary.replications == 3 and "breaches.share" in summary.metrics
    assert "arrivals-above-capacity" in run.thresholds
    again = services.run_request(actor=coordinator, scenario=scenario, replications=3, seed=5)
    again.refresh_from_db()
    assert again.summary == run.summary  # the same seed reproduces the same result
    with pytest.raises(ValidationFailedError):
        services.run_request(actor=coordinator, scenario=scenario, replications=0)


def test_prescription_run_gives_a_plan(coordinator):
    scenario = services.scenario_save(actor=coordinator, name="", text=SMALL)
    run = services.run_request(actor=coordinator, scenario=scenario, kind="prescribe", replications=4, seed=1)
    run.refresh_from_db()
    assert run.status == "done", run.error
    assert {"officers_added", "beds_added", "orr_placements_added", "cost_usd", "feasible"} <= set(run.plan)


def test_only_planners_run_and_analysts_read(coordinator, make_user, login):
    analyst = make_user(Role.ANALYST, "UNHCR", username="an-p")
    with pytest.raises(PermissionDeniedError):
        services.scenario_save(actor=analyst, name="x", text=SMALL)
    scenario = services.scenario_save(actor=coordinator, name="", text=SMALL)
    run = services.run_request(actor=coordinator, scenario=scenario, replications=2, seed=3)
    client = login(analyst)
    assert client.get("/planning/").status_code == 200
    page = client.get(f"/planning/runs/{run.pk}/").content.decode()
    assert "<svg" in page and "Share past the custody limit" in page
    assert client.post(f"/planning/scenarios/{scenario.pk}/", {"name": "x", "text": SMALL}).status_code == 403
    intake = login(make_user(Role.INTAKE_WORKER, "UNHCR", username="in-p"))
    assert intake.get("/planning/").status_code == 403
    report = client.get(f"/planning/runs/{run.pk}/report.html")
    assert report.status_code == 200 and "attachment" in report["Content-Disposition"]
    compare = client.get(f"/planning/compare/?run={run.pk}&run={run.pk}")
    assert compare.status_code == 200 and "<svg" in compare.content.decode()


def test_scenario_page_edit_and_run(coordinator, login):
    client = login(coordinator)
    page = client.get("/planning/scenarios/new/?from=test-small")
    assert page.status_code == 200 and "format: corredor-scenario/1" in page.content.decode()
    response = client.post("/planning/scenarios/new/", {"name": "Mine", "text": SMALL + "\nnope: 1\n"})
    assert response.status_code == 200 and "nope" in response.content.decode()
    response = client.post("/planning/scenarios/new/", {"name": "Mine", "text": SMALL, "action": "simulate",
                                                        "replications": "2"})
    assert response.status_code == 302
    run = PlanningRun.objects.get()
    assert run.status == "done"


def test_live_series_and_crisis_alerts_from_the_platform(coordinator, intake, person_data, reference):
    jpc = reception.facility_create(actor=None, code="jpc-live", name="JPC Live", kind=FacilityKind.JPC,
                                    organisation=__import__("corredor.accounts.models", fromlist=["x"])
                                    .Organisation.objects.get(code="CBP"), city="San Diego",
                                    time_zone="America/Los_Angeles", beds={"families": 2})
    now = timezone.now()
    for i in range(3):
        person = registry.person_register(actor=intake, data=person_data(
            given_names=f"Persona {'ABC'[i]}", documents=[], contacts=[]))
        case = registry.case_open(actor=intake, kind="asylum_at_port", person=person)
        reception.custody_admit(actor=None, case=case, persons=[person], facility=jpc,
                                arrived_at=now - dt.timedelta(hours=100 + i))
    first, series = live_series(days=14)
    assert first == timezone.localdate() - dt.timedelta(days=13)
    assert sum(series["arrivals"]) == 3 and len(series["arrivals"]) == 14
    assert sum(series["breaches.single_adult_women"]) == 3 and sum(series["due.single_adult_women"]) == 3
    raised = services.crisis_watch(days=14)
    assert any(a.threshold_id == "custody-breaches" for a in raised)
    assert services.crisis_watch(days=14) == []  # once per crossing
    alert = CrisisAlert.objects.first()
    services.crisis_alert_acknowledge(actor=coordinator, alert=alert)
    assert CrisisAlert.objects.get(pk=alert.pk).acknowledged_by == coordinator


def test_simulate_command_writes_a_report(tmp_path):
    out = io.StringIO()
    html = tmp_path / "report.html"
    call_command("simulate", "test-small", "--replications", "2", "--seed", "4", "--html", str(html), stdout=out)
    assert "breaches.share" in out.getvalue() and html.exists()
    assert "<svg" in Path(html).read_text(encoding="utf-8")
    with pytest.raises(Exception, match="No scenario file"):
        call_command("simulate", "nowhere.yaml")
