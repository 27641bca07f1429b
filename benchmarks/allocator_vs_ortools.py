"""The appointment allocator against OR-Tools' min-cost flow, and at national scale.

    .venv/bin/python benchmarks/allocator_vs_ortools.py [--quick] [--national-only]

1. 40,000 people in about 19,000 families waiting for 8 ports x 60 days (about 1,450 places a day), 20%
   expedite reserve: the allocator's time. Then the strict arrival-order variant of the same instance
   (every person a party of one, no reserve, no lottery), which OR-Tools' min-cost flow can express:
   the allocator and OR-Tools on it, times (median of 3), ratios, and whether the assignments are identical.
   OR-Tools runs two ways: one min-cost flow over the whole instance (what one would write first; its
   costs cannot encode strict priority at this size, so it may differ), and an exact formulation that
   solves the lexicographic problem in blocks of persons (see `ortools_exact`).
2. 2,000,000 people over 8 ports x 365 days: the allocator's time and peak memory, both through
   `allocate()` (explained result objects) and through `allocate_arrays()` (columns in, columns out, the
   same engine; checked to decide exactly as `allocate()` for every case). The arrays are built from the
   same case objects, and that conversion is timed separately: a registry would read the columns straight
   from its database.

The instance generator is self-contained and seeded: parties are single adults (about 45%) or families
of 2-6; each party prefers the port nearest to where it waits and sometimes accepts a neighbouring one;
about 20% are expedited; a few can only travel after a given day.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from corredor.core.scheduling import _fast, allocator
from corredor.core.scheduling.allocator import (
    VIA_CODES,
    AllocationResult,
    ArrayInstance,
    ArrayResult,
    Policy,
    PortDay,
    WaitingCase,
    allocate,
    allocate_arrays,
)

# The eight ports of the 2023 appointment system, west to east, with the share of people waiting near
# each and of the daily capacity (both illustrative).
PORTS = ("SYS", "CLX", "NOG", "ELP", "EGP", "LRD", "HID", "BRO")
WAITING_SHARE = (0.22, 0.06, 0.09, 0.19, 0.07, 0.08, 0.15, 0.14)
CAPACITY_SHARE = (0.21, 0.08, 0.09, 0.17, 0.09, 0.10, 0.14, 0.12)
FAMILY_SIZES = (2, 3, 4, 5, 6)
FAMILY_WEIGHTS = (0.40, 0.30, 0.17, 0.08, 0.05)
EXPEDITE_REASONS = ("unaccompanied child", "pregnant", "serious medical condition", "disability",
                    "elderly", "survivor of gender-based violence", "LGBTQI person at risk")
START = date(2026, 6, 1)


def generate_cases(people: int, seed: int, days: int) -> list[WaitingCase]:
    """Parties totalling exactly `people` persons, in registration order over the past three years."""
    rng = random.Random(seed)
    cases: list[WaitingCase] = []
    total = 0
    first_registration = date(2023, 5, 12).toordinal()
    span = START.toordinal() - first_registration
    while total < people:
        size = 1 if rng.random() < 0.45 else rng.choices(FAMILY_SIZES, FAMILY_WEIGHTS)[0]
        size = min(size, people - total)
        home = rng.choices(range(len(PORTS)), WAITING_SHARE)[0]
        ports: tuple[str, ...] = (PORTS[home],)
        if rng.random() < 0.35:
            neighbour = home + rng.choice((-1, 1))
            if 0 <= neighbour < len(PORTS):
                ports += (PORTS[neighbour],)
        expedite = rng.random() < 0.20
        not_before = START + timedelta(days=rng.randint(1, min(14, days - 1))) if rng.random() < 0.05 else None
        registered = date.fromordinal(first_registration + int(span * rng.random() ** 0.7))
        cases.append(WaitingCase(
            case_id=len(cases) + 1, party_size=size, place_in_line=registered, tiebreak=len(cases),
            ports=ports, expedite=expedite, expedite_reason=rng.choice(EXPEDITE_REASONS) if expedite else "",
            not_before=not_before,
        ))
        total += size
    return cases


def generate_capacity(per_day: int, days: int) -> list[PortDay]:
    """`per_day` places split over the eight ports by CAPACITY_SHARE, every day of the horizon."""
    split = [int(per_day * share) for share in CAPACITY_SHARE]
    split[0] += per_day - sum(split)
    return [PortDay(port, START + timedelta(days=d), seats)
            for d in range(days) for port, seats in zip(PORTS, split, strict=True)]


def strict_variant(cases: list[WaitingCase]) -> list[WaitingCase]:
    """Every person a party of one, in the family's place in line, never expedited."""
    persons: list[WaitingCase] = []
    for case in cases:
        for member in range(case.party_size):
            persons.append(WaitingCase(
                case_id=len(persons) + 1, party_size=1, place_in_line=case.place_in_line,
                tiebreak=case.tiebreak * 16 + member, ports=case.ports, not_before=case.not_before,
            ))
    return persons


# --- OR-Tools --------------------------------------------------------------------------------------------

Slot = tuple[str, date] | None


class StrictProblem:
    """The strict instance as arrays in queue order: each person's ports, earliest day, and the capacity."""

    def __init__(self, persons: list[WaitingCase], capacity: list[PortDay]) -> None:
        self.persons = sorted(persons, key=lambda c: (c.place_in_line, c.tiebreak, c.case_id))
        self.days = sorted({pd.day for pd in capacity})
        self.ports = sorted({pd.port for pd in capacity})
        port_id = {p: i for i, p in enumerate(self.ports)}
        day_id = {d: i for i, d in enumerate(self.days)}
        self.cap = np.zeros((len(self.ports), len(self.days)), dtype=np.int64)
        for pd in capacity:
            self.cap[port_id[pd.port], day_id[pd.day]] = pd.capacity
        self.prefs = [tuple(port_id[p] for p in c.ports) for c in self.persons]
        first = self.days[0]
        self.nb = [0 if c.not_before is None else max(0, (c.not_before - first).days) for c in self.persons]

    def slots(self, chosen: list[tuple[int, int] | None]) -> dict[int, Slot]:
        return {c.case_id: None if s is None else (self.ports[s[0]], self.days[s[1]])
                for c, s in zip(self.persons, chosen, strict=True)}


def ortools_one_flow(problem: StrictProblem) -> dict[int, Slot]:
    """One min-cost flow over the whole instance, the formulation one writes first.

    Person i (queue rank i of n) -> port-day arcs cost (2 * day + choice - 1) * (n - i): earlier days and
    preferred ports are cheaper, more so for people ahead in the queue; not being placed costs as much as
    a day past the horizon. Exact strict priority would need weights growing geometrically with the queue
    (no 64-bit cost can hold them for thousands of people), so the optimum may trade one person's
    preferred port for another's earlier day: the comparison below says whether it did.
    """
    from ortools.graph.python import min_cost_flow

    n, n_days = len(problem.persons), len(problem.days)
    n_ports = len(problem.ports)
    sink = n + n_ports * n_days
    tails, heads, costs = [], [], []
    weight = np.arange(n, 0, -1, dtype=np.int64)
    ranks = np.arange(n, dtype=np.int64)
    nb = np.asarray(problem.nb, dtype=np.int64)
    for choice in (0, 1):
        has = np.asarray([len(p) > choice for p in problem.prefs])
        port = np.asarray([p[choice] if len(p) > choice else 0 for p in problem.prefs], dtype=np.int64)
        for d in range(n_days):
            ok = has & (nb <= d)
            tails.append(ranks[ok])
            heads.append(n + port[ok] * n_days + d)
            costs.append((2 * d + choice) * weight[ok])
    tails.append(ranks)
    heads.append(np.full(n, sink))
    costs.append((2 * n_days) * weight)
    slot_nodes = np.arange(n_ports * n_days, dtype=np.int64)
    tails.append(n + slot_nodes)
    heads.append(np.full(len(slot_nodes), sink))
    costs.append(np.zeros(len(slot_nodes), dtype=np.int64))
    tail, head, cost = np.concatenate(tails), np.concatenate(heads), np.concatenate(costs)
    capacity = np.ones(len(tail), dtype=np.int64)
    capacity[-len(slot_nodes):] = problem.cap.reshape(-1)

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tail, head, capacity, cost)
    flow.set_nodes_supplies(np.arange(sink + 1), np.concatenate([np.ones(n, dtype=np.int64),
                                                                np.zeros(n_ports * n_days, dtype=np.int64), [-n]]))
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("OR-Tools did not find an optimum")
    used = flow.flows(arcs) > 0
    chosen: list[tuple[int, int] | None] = [None] * n
    for t, h in zip(tail[used].tolist(), head[used].tolist(), strict=True):
        if t < n and h < sink:
            chosen[t] = divmod(h - n, n_days)
    return problem.slots(chosen)


def ortools_exact(problem: StrictProblem, block: int = 12) -> dict[int, Slot]:
    """The strict arrival-order assignment, exactly, as a sequence of min-cost flows over blocks of persons.

    Strict arrival order is the lexicographic optimum: person 1's best (day, port), then person 2's best
    given person 1, and so on. Within a block of b persons a single min-cost flow finds it exactly with
    costs W_j * option_rank_j, W_j = (b + 1) ** (b - 1 - j): one rank better for person j outweighs any
    change (at most b ranks each) for everyone after j in the block, so the optimum is unique and is the
    lexicographic one. Each person only needs arcs to its first b port-days with a free seat (the b - 1
    people before it in the block can fill at most b - 1 of them), which keeps every cost below 2**50 for
    b = 12. Blocks are solved in queue order against the seats the earlier blocks left.
    """
    from ortools.graph.python import min_cost_flow

    remaining = problem.cap.copy()
    n_days = len(problem.days)
    first_open = [0] * len(problem.ports)  # seats only disappear, so the first open day only moves forward
    weights = [(block + 1) ** (block - 1 - j) for j in range(block)]
    chosen: list[tuple[int, int] | None] = [None] * len(problem.persons)
    for start in range(0, len(problem.persons), block):
        members = range(start, min(start + block, len(problem.persons)))
        options: list[list[tuple[int, int]]] = []
        for i in members:
            ports, found = problem.prefs[i], []
            d = max(problem.nb[i], min(first_open[p] for p in ports))
            while d < n_days and len(found) < block:
                found.extend((p, d) for p in ports if remaining[p, d] > 0)
                d += 1
            options.append(found[:block])
        slot_node: dict[tuple[int, int], int] = {}
        tail, head, cost, cap = [], [], [], []
        sink = len(members)
        for j, found in enumerate(options):
            for rank, slot in enumerate(found):
                node = slot_node.setdefault(slot, sink + 1 + len(slot_node))
                tail.append(j), head.append(node), cost.append(weights[j] * rank), cap.append(1)
            tail.append(j), head.append(sink), cost.append(weights[j] * block), cap.append(1)
        for slot, node in slot_node.items():
            tail.append(node), head.append(sink), cost.append(0), cap.append(int(remaining[slot]))
        flow = min_cost_flow.SimpleMinCostFlow()
        arcs = flow.add_arcs_with_capacity_and_unit_cost(np.asarray(tail), np.asarray(head), np.asarray(cap),
                                                         np.asarray(cost))
        supplies = np.zeros(sink + 1 + len(slot_node), dtype=np.int64)
        supplies[:sink], supplies[sink] = 1, -len(members)
        flow.set_nodes_supplies(np.arange(len(supplies)), supplies)
        if flow.solve() != flow.OPTIMAL:
            raise RuntimeError("OR-Tools did not find an optimum")
        nodes_slot = {node: slot for slot, node in slot_node.items()}
        for arc in np.flatnonzero(flow.flows(arcs)).tolist():
            t, h = tail[arc], head[arc]
            if t < sink and h != sink:
                chosen[start + t] = nodes_slot[h]
                remaining[nodes_slot[h]] -= 1
        for p in range(len(problem.ports)):
            while first_open[p] < n_days and remaining[p, first_open[p]] == 0:
                first_open[p] += 1
    return problem.slots(chosen)


def allocator_slots(result: AllocationResult) -> dict[int, Slot]:
    slots: dict[int, Slot] = {a.case_id: (a.port, a.day) for a in result.assignments}
    slots.update((u.case_id, None) for u in result.unassigned)
    return slots


# --- measurement -----------------------------------------------------------------------------------------

def median_time[T](fn: Callable[[], T], repeats: int = 3) -> tuple[float, T]:
    times, value = [], None
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value  # type: ignore[return-value]


def compare(label: str, ours: dict[int, Slot], theirs: dict[int, Slot]) -> str:
    differ = sum(1 for case_id, slot in ours.items() if theirs.get(case_id) != slot)
    return f"{label}: {'identical' if differ == 0 else f'NOT identical ({differ:,} persons differ)'}"


def allocation_only(cases: list[WaitingCase], capacity: list[PortDay], policy: Policy) -> object:
    """The allocator without its explanations: read the inputs, run the engine, stop before building results.

    This is what OR-Tools' time is comparable with (it returns arrays, not explained result objects).
    """
    prepared = allocator._prepare(cases, capacity, [], policy)
    return _fast.place(prepared.inst, policy.backfill, random.Random(0))


def breakdown(cases: list[WaitingCase], capacity: list[PortDay], policy: Policy) -> tuple[float, float, float]:
    """Seconds spent reading the inputs, in the engine, and building the explained results (one run)."""
    gc.collect()
    with allocator._collector_paused():
        start = time.perf_counter()
        prepared = allocator._prepare(cases, capacity, [], policy)
        read = time.perf_counter()
        placement = _fast.place(prepared.inst, policy.backfill, random.Random(0))
        placed = time.perf_counter()
        allocator._build(prepared, placement, policy, 0)
        built = time.perf_counter()
    return read - start, placed - read, built - placed


def part_one(repeats: int) -> None:
    people, days, per_day = 40_000, 60, 1_450
    cases, capacity = generate_cases(people, seed=7, days=days), generate_capacity(per_day, days)
    print(f"1. {people:,} people in {len(cases):,} parties; {len(PORTS)} ports x {days} days, "
          f"{per_day:,} places a day ({per_day * days:,} in the horizon); times are medians of {repeats}")
    policy = Policy(expedite_share=0.20)
    t_full, full = median_time(lambda: allocate(cases, capacity, [], policy), repeats)
    print(f"   allocate(), families, 20% expedite reserve ....... {t_full * 1000:8.1f} ms  "
          f"({full.stats['assigned_cases']:,} parties placed, {full.stats['out_of_order']:,} out of order, "
          f"{full.stats['expedite_persons']:,} persons from the reserve)")

    persons = strict_variant(cases)
    strict = Policy(version="strict", expedite_share=0.0, lottery_share=0.0, backfill=False)
    t_ours, ours = median_time(lambda: allocate(persons, capacity, [], strict), repeats)
    t_core, _ = median_time(lambda: allocation_only(persons, capacity, strict), repeats)
    problem = StrictProblem(persons, capacity)
    t_one, one = median_time(lambda: ortools_one_flow(problem), repeats)
    t_exact, exact = median_time(lambda: ortools_exact(problem), repeats)
    ours_slots = allocator_slots(ours)
    blocks = -(-len(persons) // 12)
    print(f"   strict arrival-order variant: {len(persons):,} parties of one, no reserve, no lottery")
    print(f"   allocate(), with every reason ..................... {t_ours * 1000:8.1f} ms")
    print(f"   allocator, allocation only (no result objects) ..... {t_core * 1000:8.1f} ms")
    for label, t, theirs in (("OR-Tools, one min-cost flow over everything ...", t_one, one),
                             (f"OR-Tools, exact: {blocks:,} min-cost flows of 12 ...", t_exact, exact)):
        print(f"   {label:51s} {t * 1000:8.1f} ms  ratio {t / t_ours:5.1f}x end to end, "
              f"{t / t_core:5.1f}x allocation only; " + compare("assignments", ours_slots, theirs))
    placed = sum(1 for s in ours_slots.values() if s is not None)
    print(f"   ({placed:,} of {len(persons):,} persons placed; target >= 200x: "
          f"{'met' if min(t_one, t_exact) / t_ours >= 200 else 'not met'})")


def as_arrays(cases: list[WaitingCase], capacity: list[PortDay]) -> ArrayInstance:
    """The same instance as columns (one pass per attribute over the case objects)."""
    n = len(cases)
    port_index = {code: i for i, code in enumerate(PORTS)}
    width = max(len(c.ports) for c in cases)
    prefs = np.full((n, width), -1, dtype=np.int16)
    for k in range(width):
        prefs[:, k] = np.fromiter((port_index[c.ports[k]] if len(c.ports) > k else -1 for c in cases),
                                  dtype=np.int16, count=n)
    days = sorted({pd.day for pd in capacity})
    day_index = {d: i for i, d in enumerate(days)}
    seats = np.zeros((len(PORTS), len(days)), dtype=np.int32)
    for pd in capacity:
        seats[port_index[pd.port], day_index[pd.day]] = pd.capacity
    return ArrayInstance(
        case_id=np.fromiter((c.case_id for c in cases), dtype=np.int64, count=n),
        party_size=np.fromiter((c.party_size for c in cases), dtype=np.int32, count=n),
        place_in_line=np.fromiter((c.place_in_line.toordinal() for c in cases), dtype=np.int32, count=n),
        tiebreak=np.fromiter((c.tiebreak for c in cases), dtype=np.int64, count=n),
        expedite=np.fromiter((c.expedite for c in cases), dtype=bool, count=n),
        ready=np.fromiter((c.ready for c in cases), dtype=bool, count=n),
        rescheduled=np.fromiter((c.rescheduled for c in cases), dtype=bool, count=n),
        not_before=np.fromiter((c.not_before.toordinal() if c.not_before else 0 for c in cases), dtype=np.int32,
                               count=n),
        port_prefs=prefs, ports=PORTS, days=np.asarray([d.toordinal() for d in days], dtype=np.int32),
        capacity=seats,
    )


def same_decisions(cases: list[WaitingCase], result: AllocationResult, arrays: ArrayResult) -> int:
    """Cases on which allocate() and allocate_arrays() differ (port, day, via, position, out_of_order, code)."""
    index = {c.case_id: i for i, c in enumerate(cases)}
    n = len(cases)
    port, day = np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.int64)
    via, position = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    jumped, code = np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64)
    for a in result.assignments:
        i = index[a.case_id]
        port[i], day[i], via[i] = PORTS.index(a.port), a.day.toordinal(), VIA_CODES.index(a.via)
        position[i], jumped[i] = a.position, a.out_of_order
    for u in result.unassigned:
        i = index[u.case_id]
        position[i], code[i] = u.position, 1 + allocator.CODES.index(u.code)
    differ = (port != arrays.port) | (day != arrays.day) | (via != arrays.via) | (position != arrays.position) \
        | (jumped != arrays.out_of_order) | (code != arrays.unassigned_code)
    return int(differ.sum())


def peak_memory[T](fn: Callable[[], T]) -> int:
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def part_two(cases: list[WaitingCase], per_day: int, days: int = 365) -> None:
    capacity = generate_capacity(per_day, days)
    policy = Policy(expedite_share=0.20)
    gc.collect()
    t, result = median_time(lambda: allocate(cases, capacity, [], policy), 3)
    stats = result.stats
    read, engine, build = breakdown(cases, capacity, policy)
    peak = peak_memory(lambda: allocate(cases, capacity, [], policy))
    waiting = stats["unassigned_by_code"]["no_capacity_in_horizon"]  # type: ignore[index]
    print(f"   {per_day:,} places a day: allocate() {t:5.2f} s (median of 3; target < 2 s: "
          f"{'met' if t < 2 else 'not met'}), peak memory {peak / 2**20:,.0f} MiB beyond the input "
          f"(tracemalloc); {stats['assigned_cases']:,} parties ({stats['assigned_persons']:,} persons) placed, "
          f"{waiting:,} still waiting")
    print(f"      one run, split: reading the inputs {read:4.2f} s, engine {engine:4.2f} s, "
          f"building {stats['cases']:,} explained results {build:4.2f} s")

    gc.collect()
    start = time.perf_counter()
    instance = as_arrays(cases, capacity)
    t_build = time.perf_counter() - start
    t_arrays, columns = median_time(lambda: allocate_arrays(instance, policy), 3)
    peak_arrays = peak_memory(lambda: allocate_arrays(instance, policy))
    differ = same_decisions(cases, result, columns)
    del result
    verdict = "identical to allocate() for every case" if differ == 0 else \
        f"DIFFER from allocate() for {differ:,} cases"
    input_mib = sum(getattr(instance, f).nbytes for f in ("case_id", "party_size", "place_in_line", "tiebreak",
                                                          "expedite", "ready", "rescheduled", "not_before",
                                                          "port_prefs")) / 2**20
    print(f"      allocate_arrays() {t_arrays:5.2f} s (median of 3, same engine, no reasons; target < 2 s: "
          f"{'met' if t_arrays < 2 else 'not met'}), peak memory {peak_arrays / 2**20:,.0f} MiB beyond its "
          f"{input_mib:,.0f} MiB of input columns (tracemalloc); decisions "
          + verdict)
    print(f"      (building those input columns from the {len(cases):,} case objects, not included above: "
          f"{t_build:4.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="one repeat and a 200,000-person national run")
    parser.add_argument("--national-only", action="store_true", help="skip section 1 (the OR-Tools comparison)")
    args = parser.parse_args()
    if not args.national_only:
        part_one(1 if args.quick else 3)
    people = 200_000 if args.quick else 2_000_000
    cases = generate_cases(people, seed=11, days=365)
    print(f"2. {people:,} people in {len(cases):,} parties, {len(PORTS)} ports x 365 days, 20% expedite reserve")
    part_two(cases, 1_450)
    part_two(cases, 5_600)


if __name__ == "__main__":
    main()
