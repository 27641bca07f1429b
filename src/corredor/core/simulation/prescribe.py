"""Prescription: the smallest surge that keeps custody breaches under a target with a given confidence.

Resources: reception beds per population, ORR placements per day and, when a waiting-time target is given,
officers per port. (Officers do not reduce custody breaches in this model: the port line waits in Mexico,
outside custody, and more officers only bring people into custody sooner. They are sized by the optional
`target_wait_days`: the mean wait for an appointment at each port, counting people still waiting at the
end of the horizon as waiting until then (`waiting_days.mean_with_unserved`), which never grows with
capacity. An officer surge comes with the matching
appointments: each port's appointment capacity is raised to what its officers can process.)

Target. "Under the target with confidence q" means: in at least a share q of the simulated futures
(replications), every population's breach share (breaches / people whose limit fell within the horizon)
is at most the target. With q = 0.9 this puts the 90th percentile of each population's breach share at or
under the target.

Search. Replications use common random numbers (capacities never change a draw), so each replication can
be solved on its own:

1. per replication and resource, the smallest addition that meets the target in that replication, by an
   exponential then binary search over simulations of the stage concerned only (beds of one adult
   population affect only that population; for children, the smallest bed addition for each ORR
   addition on a grid, because both resources act together). Adults' breaches never increase with beds
   (first-come-first-served with more servers never starts anyone later), so this is exact for them;
2. across replications, a greedy cost-ordered tightening: start from the plan that meets the target in
   every replication, then repeatedly give up the replication whose removal saves the most money, until
   only a share q is kept (for children, for each ORR level of the grid; the cheapest wins). Officers are
   planned first (they change who enters custody); the custody plan then only counts the replications
   whose waiting targets the officer plan meets, so that all targets hold together;
3. the plan is checked by a full simulation of every replication (the same seeds), which gives the
   achieved confidence and the simulated result shown with the plan.

Replications run through an executor, so a search can use local processes or a Dask cluster.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _kernels
from .engine import HOURS_PER_DAY, Persons, custody_order, draw_persons, port_stage, replication_seed, serve_port
from .executors import Executor, SerialExecutor, resolve_seed, run_replications
from .results import Summary, summarise
from .scenario import POPULATIONS, UNACCOMPANIED_CHILDREN, Population, Scenario, scenario_to_dict


@dataclass
class Plan:
    """A surge plan: additions per resource, their cost over the horizon, and the simulated result."""

    scenario_name: str
    target_breach_share: float
    target_wait_days: float | None
    confidence: float
    replications: int
    seed: int
    feasible: bool
    officers_added: dict[str, int]
    appointments_added: dict[str, int]
    beds_added: dict[str, int]
    orr_placements_added: int
    cost_usd: dict[str, float]  # "officers", "beds", "orr", "total": the additions over the horizon
    achieved_confidence: float  # share of replications meeting every target under the plan
    planned_scenario: Scenario
    baseline: Summary
    planned: Summary
    notes: list[str] = field(default_factory=list)
    simulations: int = 0  # stage simulations run by the search

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario_name,
            "target_breach_share": self.target_breach_share,
            "target_wait_days": self.target_wait_days,
            "confidence": self.confidence,
            "replications": self.replications,
            "seed": self.seed,
            "feasible": self.feasible,
            "officers_added": self.officers_added,
            "appointments_added": self.appointments_added,
            "beds_added": self.beds_added,
            "orr_placements_added": self.orr_placements_added,
            "cost_usd": self.cost_usd,
            "achieved_confidence": self.achieved_confidence,
            "notes": self.notes,
            "simulations": self.simulations,
            "planned_scenario": scenario_to_dict(self.planned_scenario),
            "baseline": self.baseline.to_dict(),
            "planned": self.planned.to_dict(),
        }


def _rng(seed: int, replication: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(replication_seed(seed, replication)))


def _smallest(meets: Any, base: int, ceiling: int) -> tuple[float, int]:
    """Smallest addition a in [0, ceiling - base] with meets(base + a), assuming monotone; inf if none.

    Returns (addition, number of evaluations).
    """
    calls = 1
    if meets(base):
        return 0.0, calls
    if base >= ceiling:
        return math.inf, calls
    low, step = base, max(1, base // 8)
    high = min(base + step, ceiling)
    while True:
        calls += 1
        if meets(high):
            break
        if high >= ceiling:
            return math.inf, calls
        low = high
        step *= 2
        high = min(high + step, ceiling)
    while high - low > 1:  # meets(high) holds, meets(low) does not
        mid = (low + high) // 2
        calls += 1
        if meets(mid):
            high = mid
        else:
            low = mid
    return float(high - base), calls


def _share_ok(start: np.ndarray, leave: np.ndarray, limit: float, end: float, target: float) -> bool:
    deadline = start + limit
    due = deadline < end
    n_due = int(due.sum())
    return n_due == 0 or int((leave[due] > deadline[due]).sum()) <= target * n_due + 1e-9


# ---------------------------------------------------------------------------------------------------------
# Per-replication searches (module level: they run in worker processes)


def _officer_needs(task: tuple[Scenario, int, int, float]) -> tuple[list[float], int]:
    """Per port, the fewest officers to add for a mean wait <= target in this replication (inf: impossible)."""
    scenario, seed, replication, target = task
    persons = draw_persons(scenario, _rng(seed, replication))
    pp = scenario.port_processing
    days = scenario.horizon_days
    end = days * HOURS_PER_DAY
    needs: list[float] = []
    calls = 0
    for p, port in enumerate(scenario.ports):
        lo = int(persons.port_offsets[p] + persons.backlog[p])
        hi = int(persons.port_offsets[p + 1])
        arrival = persons.arrival_hours[lo:hi]
        counted = persons.eligible_day[lo:hi] < days  # as `waiting_days.mean_with_unserved`: monotone in capacity

        def meets(officers: int, p: int = p, lo: int = lo, arrival: np.ndarray = arrival,
                  counted: np.ndarray = counted) -> bool:
            port = scenario.ports[p]
            per_day = port.daily_capacity if officers <= port.officers else \
                math.floor(officers * port.interviews_per_officer + 1e-9)
            start = serve_port(persons, p, np.full(days, per_day), pp.opening_hour, pp.service_hours)[0]
            new = start[lo - int(persons.port_offsets[p]):][counted]
            if new.size == 0:
                return True
            return bool(((np.minimum(new, end) - arrival[counted]) / HOURS_PER_DAY).mean() <= target)

        if port.interviews_per_officer <= 0:
            needs.append(0.0 if meets(port.officers) else math.inf)
            calls += 1
            continue
        # enough officers to see everyone on their first eligible day: the most eligible on any one day
        eligible = np.bincount(persons.eligible_day[lo:hi], minlength=days)[:days].copy()
        eligible[0] += int(persons.backlog[p])
        ceiling = max(port.officers, math.ceil(max(int(eligible.max(initial=0)), 1) / port.interviews_per_officer))
        added, n = _smallest(meets, port.officers, ceiling)
        calls += n
        needs.append(added)
    return needs, calls


@dataclass
class _CustodyNeeds:
    adults: dict[str, float]  # population -> beds to add
    children: list[float]  # per ORR addition of the grid: beds to add for children
    calls: int


def _custody_needs(task: tuple[Scenario, int, int, float, list[int]]) -> _CustodyNeeds:
    scenario, seed, replication, target, orr_grid = task
    persons: Persons = draw_persons(scenario, _rng(seed, replication))
    ports = port_stage(scenario, persons)
    members, offsets = custody_order(persons, ports.custody_start)
    end = scenario.horizon_days * HOURS_PER_DAY
    adults: dict[str, float] = {}
    children: list[float] = []
    calls = 0
    for g, pop in enumerate(scenario.populations):
        mine = members[offsets[g]: offsets[g + 1]]
        ceiling = max(pop.beds, int(mine.size))
        if pop.is_children:
            children, n = _children_needs(scenario, pop, persons, ports.custody_start[mine], mine, target, orr_grid,
                                          ceiling, end)
            calls += n
            continue

        def meets(beds: int, mine: np.ndarray = mine, pop: Population = pop) -> bool:
            start, _, leave, _ = _kernels.adult_custody(mine, ports.custody_start, persons.processing_hours,
                                                        persons.after_hours, persons.returned, beds)
            return _share_ok(start, leave, pop.custody_limit_hours, end, target)

        adults[pop.code], n = _smallest(meets, pop.beds, ceiling)
        calls += n
    return _CustodyNeeds(adults, children, calls)


def _children_needs(scenario: Scenario, pop: Population, persons: Persons, start: np.ndarray, mine: np.ndarray,
                    target: float, orr_grid: list[int], ceiling: int, end: float) -> tuple[list[float], int]:
    processing = persons.processing_hours[mine]
    after = persons.after_hours[mine]
    returned = persons.returned[mine]
    deadline = start + pop.custody_limit_hours
    needs: list[float] = []
    calls = 0
    for extra in orr_grid:
        placements = scenario.orr_placements_per_day + extra

        def meets(beds: int, placements: int = placements) -> bool:
            _, leave, _ = _kernels.children_custody(start, processing, after, returned, deadline, beds, placements,
                                                    end)
            return _share_ok(start, leave, pop.custody_limit_hours, end, target)

        added, n = _smallest(meets, pop.beds, ceiling)
        needs.append(added)
        calls += n
    return needs, calls


# ---------------------------------------------------------------------------------------------------------
# Combining replications


def _tighten(requirements: np.ndarray, unit_costs: np.ndarray, keep: int, allowed: np.ndarray | None = None
             ) -> tuple[np.ndarray, float]:
    """Greedy: drop replications (rows) one by one, each time the one whose removal saves the most, until
    `keep` rows remain; the plan is the column-wise maximum of the rows kept. Rows that cannot be met (inf,
    or not `allowed`) go first."""
    rows = list(range(requirements.shape[0]))
    finite = [r for r in rows if np.isfinite(requirements[r]).all() and (allowed is None or allowed[r])]
    if len(finite) < keep:
        return np.full(requirements.shape[1], math.inf), math.inf
    rows = finite
    while len(rows) > keep:
        best_row, best_cost = rows[0], math.inf
        for r in rows:
            others = [x for x in rows if x != r]
            cost = float(requirements[others].max(axis=0) @ unit_costs)
            if cost < best_cost - 1e-9:
                best_row, best_cost = r, cost
        rows.remove(best_row)
    plan = requirements[rows].max(axis=0) if rows else np.zeros(requirements.shape[1])
    return plan, float(plan @ unit_costs)


def _orr_grid(scenario: Scenario, max_points: int = 14) -> list[int]:
    """ORR additions to try: 0 up to about twice the peak daily flow of children into custody."""
    from .engine import expected_arrivals

    share = scenario.arrivals.population_shares[POPULATIONS.index(UNACCOMPANIED_CHILDREN)]
    daily_in = expected_arrivals(scenario).sum(axis=0)
    capacity = sum(p.daily_capacity for p in scenario.ports)
    if scenario.port_processing.mode == "daily":
        daily_in = np.minimum(daily_in, capacity)
    peak = float(daily_in.max(initial=0.0)) * share
    high = max(0, math.ceil(2 * peak) + 2 - scenario.orr_placements_per_day)
    if high <= max_points:
        return list(range(high + 1))
    grid = {0, *np.unique(np.round(np.geomspace(1, high, max_points - 1)).astype(int)).tolist()}
    return sorted(grid)


def _with_officers(scenario: Scenario, added: dict[str, int]) -> tuple[Scenario, dict[str, int]]:
    ports = []
    appointments: dict[str, int] = {}
    for port in scenario.ports:
        extra = added.get(port.code, 0)
        if extra == 0:
            ports.append(port)
            appointments[port.code] = 0
            continue
        officers = port.officers + extra
        can_process = math.floor(officers * port.interviews_per_officer + 1e-9)
        appointment_capacity = max(port.appointment_capacity, can_process)
        appointments[port.code] = appointment_capacity - port.appointment_capacity
        ports.append(dataclasses.replace(port, officers=officers, appointment_capacity=appointment_capacity))
    return dataclasses.replace(scenario, ports=tuple(ports)), appointments


def _with_custody(scenario: Scenario, beds: dict[str, int], orr: int) -> Scenario:
    populations = tuple(dataclasses.replace(p, beds=p.beds + beds.get(p.code, 0)) for p in scenario.populations)
    return dataclasses.replace(scenario, populations=populations,
                               orr_placements_per_day=scenario.orr_placements_per_day + orr)


def _meets_all(metrics: dict[str, float | None], scenario: Scenario, target: float, wait: float | None) -> bool:
    for pop in scenario.populations:
        share = metrics.get(f"breaches.share.{pop.code}") or 0.0
        if share > target + 1e-12:
            return False
    if wait is not None:
        for code in scenario.port_codes:
            mean = metrics.get(f"waiting_days.mean_with_unserved.{code}")
            if mean is not None and mean > wait + 1e-12:
                return False
    return True


def prescribe(scenario: Scenario, target_breach_share: float = 0.01, confidence: float = 0.90,
              replications: int = 40, executor: Executor | None = None, *, seed: int | None = None,
              target_wait_days: float | None = None) -> Plan:
    """The smallest surge keeping every population's breach share <= target in a share `confidence` of
    replications (and, with `target_wait_days`, every port's mean wait for an appointment <= that)."""
    if not 0 <= target_breach_share <= 1:
        raise ValueError("target_breach_share must be between 0 and 1")
    if not 0 < confidence <= 1:
        raise ValueError("confidence must be in (0, 1]")
    base_seed = resolve_seed(scenario, seed)
    runner: Executor = executor if executor is not None else SerialExecutor()
    keep = math.ceil(confidence * replications - 1e-9)
    days = scenario.horizon_days
    costs = scenario.costs
    notes: list[str] = []
    calls = 0
    feasible = True

    officers_added = {code: 0 for code in scenario.port_codes}
    waits_met = np.ones(replications, bool)  # replications whose waiting targets the officer plan meets
    if target_wait_days is not None and scenario.port_processing.mode == "daily":
        tasks = [(scenario, base_seed, r, target_wait_days) for r in range(replications)]
        found = list(runner.map(_officer_needs, tasks))
        calls += sum(n for _, n in found)
        matrix = np.array([needs for needs, _ in found])
        plan, _ = _tighten(matrix, np.full(len(scenario.ports), costs.officer_day * days), keep)
        waits_met = (matrix <= plan).all(axis=1)
        for code, value in zip(scenario.port_codes, plan, strict=True):
            if math.isfinite(value):
                officers_added[code] = int(value)
            else:
                feasible = False
                notes.append(f"{code}: no number of officers brings the mean wait under {target_wait_days:g} days "
                             "(the minimum wait for an appointment is already longer)")
    staffed, appointments_added = _with_officers(scenario, officers_added)

    grid = _orr_grid(staffed)
    tasks2 = [(staffed, base_seed, r, target_breach_share, grid) for r in range(replications)]
    found2 = list(runner.map(_custody_needs, tasks2))
    calls += sum(f.calls for f in found2)
    adult_codes = [p.code for p in staffed.populations if not p.is_children]
    bed_cost = costs.bed_night * days
    best: tuple[float, int, np.ndarray] | None = None
    for j, extra in enumerate(grid):
        matrix = np.array([[f.adults[c] for c in adult_codes] + [f.children[j]] for f in found2])
        # only replications whose waits are met count, so that every target holds together in `keep` of them
        plan, cost = _tighten(matrix, np.full(len(adult_codes) + 1, bed_cost), keep, allowed=waits_met)
        cost += extra * costs.orr_placement_day * days
        if math.isfinite(cost) and (best is None or cost < best[0] - 1e-9):
            best = (cost, extra, plan)
    if best is None:
        feasible = False
        allowed = replications - keep
        for code in adult_codes:
            if sum(not math.isfinite(f.adults[code]) for f in found2) > allowed:
                notes.append(f"{code}: beds alone cannot meet the target: processing and exit delays already keep "
                             f"more than {target_breach_share:.1%} past the custody limit")
        notes.append("no combination of beds and ORR placements on the search grid meets the target in "
                     f"{confidence:.0%} of replications; the plan shown is the search ceiling's best effort")
        adult_matrix = np.array([[f.adults[c] for c in adult_codes] for f in found2])
        adult_plan = np.nanmax(np.where(np.isfinite(adult_matrix), adult_matrix, np.nan), axis=0, initial=0.0)
        beds_added = {c: int(v) for c, v in zip(adult_codes, adult_plan, strict=True)}
        beds_added[UNACCOMPANIED_CHILDREN] = 0
        orr_added = 0
    else:
        _, orr_added, plan = best
        beds_added = {c: int(v) for c, v in zip([*adult_codes, UNACCOMPANIED_CHILDREN], plan, strict=True)}
    planned_scenario = _with_custody(staffed, beds_added, orr_added)
    planned_scenario = dataclasses.replace(planned_scenario, name=f"{scenario.name} (surge plan)")

    baseline_results = run_replications(scenario, replications, base_seed, runner)
    planned_results = run_replications(planned_scenario, replications, base_seed, runner)
    achieved = sum(_meets_all(r.metrics, planned_scenario, target_breach_share, target_wait_days)
                   for r in planned_results) / replications
    if feasible and achieved + 1e-9 < confidence:
        notes.append(f"checked by full simulation, the plan meets every target in {achieved:.0%} of replications, "
                     f"under the {confidence:.0%} asked (children's beds and placements are searched on a grid, "
                     "and their effects are not exactly monotone); add a margin")
    officer_cost = sum(officers_added.values()) * costs.officer_day * days
    bed_cost_total = sum(beds_added.values()) * bed_cost
    orr_cost = orr_added * costs.orr_placement_day * days
    return Plan(
        scenario_name=scenario.name, target_breach_share=target_breach_share, target_wait_days=target_wait_days,
        confidence=confidence, replications=replications, seed=base_seed, feasible=feasible,
        officers_added=officers_added, appointments_added=appointments_added, beds_added=beds_added,
        orr_placements_added=orr_added,
        cost_usd={"officers": officer_cost, "beds": bed_cost_total, "orr": orr_cost,
                  "total": officer_cost + bed_cost_total + orr_cost},
        achieved_confidence=achieved, planned_scenario=planned_scenario,
        baseline=summarise(baseline_results, seed=base_seed), planned=summarise(planned_results, seed=base_seed),
        notes=notes, simulations=calls,
    )
