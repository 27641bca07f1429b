"""The simulation engine against SimPy on the same three-stage model with about 1,000,000 arrivals.

    .venv/bin/python benchmarks/simulation_vs_simpy.py [--quick] [--same-draws]

The model is the baseline scenario (eight ports, a year) scaled to about 2,740 arrivals a day, so that a
year brings about 1,000,000 people through port processing, reception custody and exits. The engine runs
it as array kernels (median of 3 runs); the SimPy reference implementation from the tests
(`tests/core/simulation/simpy_reference.py`) runs it event by event, once, drawing its own random numbers.
Printed: times, the ratio, and the statistics side by side (one replication each: they should agree to
within sampling noise). With --same-draws, SimPy also replays the engine's own draws and the largest
difference in any person's custody times is printed (it should be 0: the same answers).

The compiled kernels are also timed against the same Python code run without numba (`.py_func`) on a
slice, which is the measurement behind using numba for them.
"""

from __future__ import annotations

import argparse
import heapq
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.core.simulation import simpy_reference  # noqa: E402
from tests.core.simulation.simpy_reference import ReferenceResult, persons_from_trace, sample_persons  # noqa: E402

from corredor.core.simulation import _kernels, engine  # noqa: E402
from corredor.core.simulation.engine import simulate_replication  # noqa: E402
from corredor.core.simulation.scenario import Scenario, bundled_scenarios, load_scenario, with_changes  # noqa: E402


def scaled_baseline(arrivals_per_day: float) -> Scenario:
    """The baseline with arrivals, port capacity, beds and placements scaled together."""
    baseline = load_scenario(bundled_scenarios()["baseline"])
    factor = arrivals_per_day / baseline.arrivals.daily_rate
    changes: dict[str, object] = {"arrivals.daily_rate": arrivals_per_day,
                                  "orr.placements_per_day": round(baseline.orr_placements_per_day * factor)}
    for i, port in enumerate(baseline.ports):
        changes[f"ports[{i}].appointment_capacity"] = round(port.appointment_capacity * factor)
        changes[f"ports[{i}].officers"] = round(port.officers * factor)
    for pop in baseline.populations:
        changes[f"populations.{pop.code}.beds"] = round(pop.beds * factor)
    return with_changes(baseline, changes, name=f"Baseline scaled to {arrivals_per_day:,.0f} arrivals a day")


def run_simpy(scenario: Scenario, lines: list[list[object]]) -> tuple[ReferenceResult, float]:
    start = time.perf_counter()
    model = simpy_reference._Model(scenario, lines)  # type: ignore[arg-type]
    model.run()
    elapsed = time.perf_counter() - start
    persons = [p for line in lines for p in line]
    result = ReferenceResult(persons, model.port_queue, model.processed, model.port_custody,  # type: ignore[arg-type]
                             model.occupancy, model.exits, model.end,
                             tuple(p.custody_limit_hours for p in scenario.populations))
    result.stats = simpy_reference.statistics(result, len(scenario.populations))
    return result, elapsed


def engine_stats(scenario: Scenario, metrics: dict[str, float | None], series: dict[str, np.ndarray]
                 ) -> dict[str, float]:
    out = {"waiting_days.mean": metrics["waiting_days.mean"], "queue.mean": metrics["queue.mean"],
           "breaches.share": metrics["breaches.share"]}
    for g, pop in enumerate(scenario.populations):
        out[f"custody_hours.mean.{g}"] = metrics[f"custody_hours.mean.{pop.code}"]
        out[f"breaches.share.{g}"] = metrics[f"breaches.share.{pop.code}"]
        out[f"occupancy.mean.{g}"] = float(series[f"occupancy.{pop.code}"].mean())
    return {k: float("nan") if v is None else float(v) for k, v in out.items()}


def fcfs_in_python(start: list[float], holding: list[float], servers: int) -> list[float]:
    """The reception-bed kernel as one would write it in Python: heapq's C heap of free times."""
    free = [0.0] * servers
    entry = []
    for t, h in zip(start, holding, strict=True):
        begin = max(t, free[0])
        entry.append(begin)
        heapq.heapreplace(free, begin + h)
    return entry


def kernel_timings(scenario: Scenario) -> None:
    persons = engine.draw_persons(scenario, np.random.default_rng(0))
    ports = engine.port_stage(scenario, persons)
    members, offsets = engine.custody_order(persons, ports.custody_start)
    men = members[offsets[0]: offsets[1]]
    beds = scenario.populations[0].beds
    start_times = ports.custody_start[men]
    holding = persons.processing_hours[men] + persons.after_hours[men]
    rows = []
    _kernels.fcfs_servers(start_times[:10], holding[:10], beds)  # load the kernel first
    began = time.perf_counter()
    compiled_entry = _kernels.fcfs_servers(start_times, holding, beds)
    compiled = time.perf_counter() - began
    as_lists = start_times.tolist(), holding.tolist()
    began = time.perf_counter()
    python_entry = fcfs_in_python(*as_lists, beds)
    rows.append((f"reception beds, {men.size:,} people (heapq)", compiled, time.perf_counter() - began))
    assert np.allclose(compiled_entry, python_entry)
    rng = np.random.default_rng(1)
    kinds, params, shares = engine._distribution_table(scenario)
    cdf = np.cumsum(scenario.arrivals.population_shares)
    other = np.array([1.0])
    _kernels.attributes(rng, 10, cdf, other, other, kinds, params, shares)
    began = time.perf_counter()
    _kernels.attributes(rng, 20_000, cdf, other, other, kinds, params, shares)
    compiled = time.perf_counter() - began
    began = time.perf_counter()
    _kernels.attributes.py_func(rng, 20_000, cdf, other, other, kinds, params, shares)
    rows.append(("per-person draws, 20,000 people", compiled, time.perf_counter() - began))
    print("\nCompiled kernels against the same work in plain Python (one run each):")
    for name, fast, slow in rows:
        print(f"  {name:42s} numba {fast * 1e3:8.2f} ms   plain Python {slow * 1e3:9.1f} ms   x{slow / fast:,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="about 100,000 arrivals instead of 1,000,000")
    parser.add_argument("--same-draws", action="store_true", help="also replay the engine's draws in SimPy")
    args = parser.parse_args()
    per_day = 274.0 if args.quick else 2740.0
    scenario = scaled_baseline(per_day)
    simulate_replication(with_changes(scenario, horizon=5), 0)  # load the compiled kernels once

    times = []
    result = None
    for _ in range(3):
        start = time.perf_counter()
        result = simulate_replication(scenario, 1, keep_trace=args.same_draws)
        times.append(time.perf_counter() - start)
    assert result is not None
    engine_time = statistics.median(times)
    arrivals = int(result.metrics["flow.arrivals"] or 0)
    print(f"{scenario.name}: {arrivals:,} arrivals over {scenario.horizon_days} days, "
          f"{int(result.metrics['flow.initial_backlog'] or 0):,} waiting at the start")
    print(f"engine (median of 3): {engine_time:8.2f} s   ({arrivals / engine_time / 1e6:.2f} M arrivals/s)")

    start = time.perf_counter()
    lines = sample_persons(scenario, np.random.default_rng(2))
    draw_time = time.perf_counter() - start
    reference, simpy_time = run_simpy(scenario, lines)  # type: ignore[arg-type]
    total = draw_time + simpy_time
    print(f"SimPy reference:      {total:8.2f} s   (draws {draw_time:.2f} s + event simulation {simpy_time:.2f} s)")
    print(f"ratio: engine is {total / engine_time:,.0f}x faster ({simpy_time / engine_time:,.0f}x on the event "
          "simulation alone); target >= 100x")

    ours = engine_stats(scenario, result.metrics, result.series)
    names = {str(g): pop.code for g, pop in enumerate(scenario.populations)}
    print(f"\n{'statistic':46s} {'engine':>12s} {'SimPy':>12s} {'difference':>11s}")
    for key, value in ours.items():
        other = reference.stats[key]
        stem, _, tail = key.rpartition(".")
        label = f"{stem}.{names[tail]}" if tail in names else key
        relative = abs(value - other) / abs(other) if other else abs(value - other)
        print(f"{label:46s} {value:12.4f} {other:12.4f} {relative:10.2%}")

    if args.same_draws:
        trace = result.trace
        assert trace is not None
        replay, replay_time = run_simpy(scenario, persons_from_trace(trace))  # type: ignore[arg-type]
        end = scenario.horizon_days * 24.0
        worst = 0.0
        for ours_t, theirs in ((trace.ports.custody_start, [p.custody_start for p in replay.persons]),
                               (trace.per_person("entry"), [p.entry for p in replay.persons]),
                               (trace.per_person("leave"), [p.leave for p in replay.persons])):
            a = np.where(ours_t < end, ours_t, np.inf)
            b = np.asarray(theirs, dtype=np.float64)
            b = np.where(b < end, b, np.inf)
            both = np.isfinite(a) & np.isfinite(b)
            mismatch = int((np.isfinite(a) != np.isfinite(b)).sum())
            worst = max(worst, float(np.abs(a[both] - b[both]).max(initial=0.0)) + mismatch)
        print(f"\nSimPy on the engine's draws ({replay_time:.1f} s): largest difference in any person's custody "
              f"start, bed entry or exit: {worst:.2e} hours")

    kernel_timings(scenario)


if __name__ == "__main__":
    main()
