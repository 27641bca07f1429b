"""Outputs: what a replication reports, summaries over replications, JSON round trips."""

from __future__ import annotations

import json

import numpy as np
import pytest

from corredor.core.simulation.engine import EXIT_NONE, simulate_replication
from corredor.core.simulation.results import CUSTODY_BINS_HOURS, ReplicationResult, Summary, summarise
from corredor.core.simulation.scenario import Scenario, bundled_scenarios, load_scenario, with_changes


def test_a_replication_is_json_and_round_trips(small: Scenario) -> None:
    result = simulate_replication(small, 9)
    text = json.dumps(result.to_dict(), allow_nan=False)
    back = ReplicationResult.from_dict(json.loads(text))
    assert back.metrics == result.metrics
    assert all(np.array_equal(back.series[k], v) for k, v in result.series.items())
    assert back.histograms == result.histograms


def test_summary_bands_and_json(small: Scenario) -> None:
    results = [simulate_replication(small, 3, r) for r in range(12)]
    summary = summarise(results, seed=3)
    mean, low, high = summary.band("port_queue")
    assert (low <= mean + 1e-9).all() and (mean <= high + 1e-9).all()
    assert summary.series["arrivals"].keys() == {"mean"}  # flows carry their mean only
    stats = summary.metrics["breaches.share.single_adult_men"]
    assert stats["p5"] <= stats["mean"] <= stats["p95"]
    values = sorted(r.metrics["breaches.share.single_adult_men"] for r in results)
    assert stats["p5"] == pytest.approx(np.percentile(values, 5))
    back = Summary.from_dict(json.loads(json.dumps(summary.to_dict(), allow_nan=False)))
    assert back.metrics == summary.metrics and back.series == summary.series and back.seed == 3
    with pytest.raises(ValueError):
        summarise([])


def test_the_stored_summary_of_the_baseline_is_compact() -> None:
    baseline = load_scenario(bundled_scenarios()["baseline"])
    short = with_changes(baseline, horizon=365)  # a full year: the size of a stored run
    summary = summarise([simulate_replication(short, 1, r) for r in range(2)])
    size = len(json.dumps(summary.to_dict()))
    assert size < 400_000, size


def test_metrics_match_the_per_person_outcomes(small: Scenario) -> None:
    result = simulate_replication(small, 4, keep_trace=True)
    trace = result.trace
    assert trace is not None
    end = small.horizon_days * 24.0
    persons = trace.persons
    for c in trace.custody:
        left = c.leave < end
        hours = c.leave[left] - c.start[left]
        assert result.metrics[f"custody_hours.mean.{c.population}"] == pytest.approx(hours.mean())
        assert result.metrics[f"custody_hours.max.{c.population}"] == pytest.approx(hours.max())
        p90 = result.metrics[f"custody_hours.p90.{c.population}"]
        assert p90 is not None and abs(p90 - np.quantile(hours, 0.9)) <= 0.25  # quarter-hour bins
        assert sum(result.histograms[c.population]) == int(left.sum())
        due = c.deadline < end
        assert result.metrics[f"breaches.count.{c.population}"] == int((due & (c.leave > c.deadline)).sum())
        assert (c.exit_kind[left] != EXIT_NONE).all()
    backlog = persons.is_backlog()
    seen = ~backlog & np.isfinite(trace.ports.custody_start)
    waits = (trace.ports.custody_start[seen] - persons.arrival_hours[seen]) / 24.0
    assert result.metrics["waiting_days.mean"] == pytest.approx(waits.mean())
    assert abs((result.metrics["waiting_days.p90"] or 0) - np.quantile(waits, 0.9)) <= 0.05
    by_nationality = sum(result.metrics[f"breaches.count.nationality.{code}"] or 0
                         for code, _ in small.arrivals.nationality_shares)
    assert by_nationality == result.metrics["breaches.count"]
    assert len(CUSTODY_BINS_HOURS) - 1 == len(result.histograms["family_units"])


def test_days_to_clear_the_backlog_and_costs(small: Scenario) -> None:
    calm = with_changes(small, {"arrivals.daily_rate": 10, "arrivals.surges": [], "ports[0].initial_backlog": 350,
                                "ports[1].initial_backlog": 0})
    result = simulate_replication(calm, 1)
    # 350 waiting at 70 a day plus a trickle of arrivals: the backlog is processed on day 5, and the line fits
    # in a day's capacity from then on
    assert result.metrics["backlog.days_to_process.poe-el-paso"] == 5
    assert result.metrics["backlog.days_to_clear.poe-el-paso"] in (5.0, 6.0)
    assert result.metrics["backlog.days_to_clear.poe-hidalgo"] == 0
    jammed = with_changes(small, {"ports[0].appointment_capacity": 1})
    assert simulate_replication(jammed, 1).metrics["backlog.days_to_clear"] is None
    days = small.horizon_days
    assert result.metrics["cost.officer_days"] == sum(p.officers for p in small.ports) * days
    assert result.metrics["cost.bed_nights"] == sum(p.beds for p in small.populations) * days
    assert result.metrics["cost.usd.total"] == pytest.approx(
        result.metrics["cost.officer_days"] * 600 + result.metrics["cost.bed_nights"] * 180
        + small.orr_placements_per_day * days * 10200)
    assert result.metrics["cost.bed_nights_occupied"] == sum(
        result.series[f"occupancy.{p.code}"].sum() for p in small.populations)
