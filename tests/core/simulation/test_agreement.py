"""Engine and SimPy reference, each drawing its own random numbers, agree within statistical tolerance on
every scenario of the test set (means over replications, z-test on the difference)."""

from __future__ import annotations

import math

import numpy as np

from corredor.core.simulation.engine import simulate_replication
from corredor.core.simulation.scenario import Scenario

from .conftest import assert_statistically_equal
from .simpy_reference import run_reference

ENGINE_REPLICATIONS = 30
SIMPY_REPLICATIONS = 6


def _bed_hours(entry: np.ndarray, leave: np.ndarray, end: float) -> float:
    """Mean time in a reception bed of those who left: no queueing in it, so it checks the draws closely."""
    done = leave < end
    return float((leave[done] - entry[done]).mean()) if done.any() else math.nan


def _engine_stats(scenario: Scenario, seed: int) -> dict[str, float]:
    result = simulate_replication(scenario, seed, keep_trace=True)
    assert result.trace is not None
    end = scenario.horizon_days * 24.0
    m = result.metrics
    stats = {"waiting_days.mean": m["waiting_days.mean"], "queue.mean": m["queue.mean"],
             "breaches.share": m["breaches.share"]}
    for g, pop in enumerate(scenario.populations):
        stats[f"custody_hours.mean.{g}"] = m[f"custody_hours.mean.{pop.code}"]
        stats[f"breaches.share.{g}"] = m[f"breaches.share.{pop.code}"]
        stats[f"occupancy.mean.{g}"] = float(result.series[f"occupancy.{pop.code}"].mean())
        custody = result.trace.custody[g]
        stats[f"bed_hours.mean.{g}"] = _bed_hours(custody.entry, custody.leave, end)
    return {k: math.nan if v is None else float(v) for k, v in stats.items()}


def _reference_stats(scenario: Scenario, seed: int) -> dict[str, float]:
    reference = run_reference(scenario, seed=seed)
    stats = dict(reference.stats)
    for g in range(len(scenario.populations)):
        mine = [p for p in reference.persons if p.population == g]
        stats[f"bed_hours.mean.{g}"] = _bed_hours(np.array([p.entry for p in mine]),
                                                  np.array([p.leave for p in mine]), reference.horizon_hours)
    return stats


def test_engine_and_simpy_agree_statistically(scenario_case: tuple[str, Scenario]) -> None:
    name, scenario = scenario_case
    ours = [_engine_stats(scenario, 1000 + r) for r in range(ENGINE_REPLICATIONS)]
    theirs = [_reference_stats(scenario, r) for r in range(SIMPY_REPLICATIONS)]
    compared = 0
    for key in ours[0]:
        a = [s[key] for s in ours]
        b = [s[key] for s in theirs]
        if all(math.isnan(v) for v in a + b):
            continue  # e.g. nobody ever leaves a population without beds, in both
        assert_statistically_equal(f"{name} {key}", a, b, absolute=1e-6 * max(1.0, float(np.nanmean(a))))
        compared += 1
    assert compared >= 12
