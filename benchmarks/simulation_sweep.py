"""Simulation at national scale, and a prescription search.

    .venv/bin/python benchmarks/simulation_sweep.py [--quick] [--workers 2] [--skip-prescription]

1. One year, 8 ports, 10,000 arrivals a day (about 3.65 million people per replication), 100 replications
   on local worker processes (`ProcessExecutor`): wall time against the 60 s target, and the summary's
   headline figures with their 90% intervals.
2. A prescription search for the 50% surge scenario (`scenarios/surge-50.yaml`): the smallest additions of
   officers per port, beds per population and ORR placements per day that keep every port's mean wait for
   an appointment under 7 days and every population's custody breaches under 1%, together, in 90% of 40
   replications, with its cost: wall time against the 5-minute target.

Wall times depend on what else the machine runs, so the CPU seconds spent in the replications and the
load average are printed too. --quick runs 10 replications and a 10-replication prescription.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from corredor.core.simulation.engine import simulate_replication  # noqa: E402
from corredor.core.simulation.executors import ProcessExecutor  # noqa: E402
from corredor.core.simulation.prescribe import prescribe  # noqa: E402
from corredor.core.simulation.results import ReplicationResult, summarise  # noqa: E402
from corredor.core.simulation.scenario import Scenario, bundled_scenarios, load_scenario, with_changes  # noqa: E402


def national_scale() -> Scenario:
    """The baseline at 10,000 arrivals a day, with capacity in proportion (about 10% headroom at ports)."""
    baseline = load_scenario(bundled_scenarios()["baseline"])
    changes: dict[str, object] = {"arrivals.daily_rate": 10_000, "orr.placements_per_day": 600,
                                  "populations.single_adult_men.beds": 6000,
                                  "populations.single_adult_women.beds": 2600,
                                  "populations.family_units.beds": 6000,
                                  "populations.unaccompanied_children.beds": 900}
    for i in range(len(baseline.ports)):
        changes[f"ports[{i}].appointment_capacity"] = 1400
        changes[f"ports[{i}].officers"] = 120
    return with_changes(baseline, changes, name="National scale: 10,000 arrivals a day at 8 ports")


def timed_replication(task: tuple[Scenario, int, int]) -> tuple[ReplicationResult, float]:
    """One replication and the CPU seconds it took in its worker."""
    scenario, seed, replication = task
    began = time.process_time()
    result = simulate_replication(scenario, seed, replication)
    return result, time.process_time() - began


def show(label: str, stats: dict[str, float | None], percent: bool = False) -> None:
    def fmt(v: float | None) -> str:
        if v is None:
            return "-"
        return f"{v * 100:.2f}%" if percent else f"{v:,.1f}"

    print(f"  {label:48s} {fmt(stats['mean']):>12s}  [{fmt(stats['p5'])} - {fmt(stats['p95'])}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-prescription", action="store_true")
    args = parser.parse_args()
    replications = 10 if args.quick else 100

    scenario = national_scale()
    start = time.perf_counter()
    single = simulate_replication(scenario, 0)
    one = time.perf_counter() - start
    print(f"{scenario.name}: {int(single.metrics['flow.arrivals'] or 0):,} arrivals in {scenario.horizon_days} days")
    print(f"one replication in this process: {one:.2f} s (kernels loaded from the numba cache on first use)")

    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    with ProcessExecutor(args.workers) as executor:
        done = list(executor.map(timed_replication, [(scenario, 2026, r) for r in range(replications)]))
    sweep = time.perf_counter() - start
    results = [result for result, _ in done]
    cpu = sum(seconds for _, seconds in done)
    summary = summarise(results, seed=2026)
    print(f"{replications} replications on {args.workers} worker processes: {sweep:.1f} s wall "
          f"(target < 60 s for 100), worker start-up included; load average {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after")
    print(f"CPU in the replications: {cpu:.1f} s, {cpu / replications:.2f} s each: on {args.workers} otherwise idle "
          f"cores about {cpu / args.workers:.0f} s plus start-up")
    m = summary.metrics
    show("mean wait for an appointment (days)", m["waiting_days.mean"])
    show("mean waiting at ports (persons)", m["queue.mean"])
    for pop in scenario.populations:
        show(f"custody breaches, {pop.code}", m[f"breaches.share.{pop.code}"], percent=True)
    show("peak bed occupancy, family units", m["occupancy.peak_share.family_units"], percent=True)
    show("cost over the year (USD)", m["cost.usd.total"])

    if args.skip_prescription:
        return
    surge = load_scenario(bundled_scenarios()["surge-50"])
    plan_replications = 10 if args.quick else 40
    start = time.perf_counter()
    with ProcessExecutor(args.workers) as executor:
        plan = prescribe(surge, target_breach_share=0.01, confidence=0.9, replications=plan_replications,
                         executor=executor, seed=7, target_wait_days=7.0)
    search = time.perf_counter() - start
    print(f"\nPrescription for '{surge.name}' ({plan_replications} replications; mean wait <= 7 days at every "
          f"port and breaches <= 1% for every population, in 90% of them): {search:.1f} s (target < 300 s), "
          f"{plan.simulations:,} stage simulations")
    print(f"  feasible: {plan.feasible}; achieved confidence (full simulation of the plan) "
          f"{plan.achieved_confidence:.0%}")
    print(f"  officers added: {plan.officers_added}")
    print(f"  appointments per day added with them: {plan.appointments_added}")
    print(f"  beds added: {plan.beds_added}; ORR placements added per day: {plan.orr_placements_added}")
    print(f"  cost of the additions over {surge.horizon_days} days: USD {plan.cost_usd['total']:,.0f} "
          f"(officers {plan.cost_usd['officers']:,.0f}, beds {plan.cost_usd['beds']:,.0f}, "
          f"ORR {plan.cost_usd['orr']:,.0f})")
    wait_before = plan.baseline.metrics["waiting_days.mean"]["p90"] or 0
    wait_after = plan.planned.metrics["waiting_days.mean"]["p90"] or 0
    print(f"  mean wait for an appointment, 90th percentile over replications: before {wait_before:.1f} days, "
          f"with the plan {wait_after:.1f} days")
    for pop in surge.populations:
        before = plan.baseline.metrics[f"breaches.share.{pop.code}"]
        after = plan.planned.metrics[f"breaches.share.{pop.code}"]
        print(f"  {pop.code:24s} breach share, 90th percentile over replications: before "
              f"{(before['p90'] or 0) * 100:5.2f}%, with the plan {(after['p90'] or 0) * 100:5.2f}%")
    for note in plan.notes:
        print(f"  note: {note}")


if __name__ == "__main__":
    main()
