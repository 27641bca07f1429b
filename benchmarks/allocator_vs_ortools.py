"""The appointment allocator against OR-Tools' min-cost flow, and at national scale.

    .venv/bin/python benchmarks/allocator_vs_ortools.py [--quick] [--national-only]

0. What the compiled kernels cost before the first allocation, timed on its own: in a full run, from scratch
   (a fresh process with an empty numba cache imports numba and compiles every kernel: what the first run
   after a change to `_compiled.py` pays), and the first call in this process (importing numba, then
   loading the kernels from numba's on-disk cache, or compiling them if it is empty). It is paid once per
   process and is excluded from every time below: each of those runs only after it.
1. 40,000 people in about 19,000 families waiting for 8 ports x 60 days (about 1,450 places a day), 20%
   expedite reserve: allocate() (explained result objects) and allocate_arrays() (columns in, columns out;
   checked to decide exactly as allocate() for every case). Then the strict arrival-order variant of the same
   instance (every person a party of one, no reserve, no lottery), which OR-Tools' min-cost flow can
   express: the allocator and OR-Tools on it, times, ratios, and whether the assignments are identical.
   Both sides start from the same columnar instance (an `ArrayInstance`, built once and not timed):
   - allocate_arrays(): everything from those columns to its result columns (validation, queue order,
     engine, the per-case columns and statistics);
   - OR-Tools: its problem is built from the same columns (queue order, each person's ports and first
     day) and that is timed separately and NOT included in its times (which only makes the ratios smaller);
     its times cover building its graphs, solving them, and reading the flows back into a (port, day) per
     person. Converting either side's answer into the dictionaries that are compared is not timed.
   allocate() on the same persons as WaitingCase objects is timed too (it also explains every case).
   OR-Tools runs two ways: one min-cost flow over the whole instance (what one would write first; its
   costs cannot encode strict priority at this size, so it may differ), and an exact formulation that
   solves the lexicographic problem in blocks of persons (see `ortools_exact`). The target compares
   allocate_arrays() with the faster of the two.
2. 2,000,000 people over 8 ports x 365 days: the allocator's time and peak memory, both through
   `allocate()` (explained result objects) and through `allocate_arrays()` (columns in, columns out, the
   same rules; checked to decide exactly as `allocate()` for every case). The arrays are built from the
   same case objects, and that conversion is timed separately: a registry would read the columns straight
   from its database.

The instance generator is self-contained and seeded: parties are single adults (about 45%) or families
of 2-6; each party prefers the port nearest to where it waits and sometimes accepts a neighbouring one;
about 20% are expedited; a few can only travel after a given day.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from corredor.core.scheduling import allocator
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

Slot = tuple[str, int] | None  # (port code, day ordinal), or None: not placed
Chosen = list[tuple[int, int] | None]  # by queue rank: (port index, day index), or None


class StrictProblem:
    """The strict instance as OR-Tools' side reads it, in queue order: each person's ports, first day, the seats."""

    def __init__(self, instance: ArrayInstance) -> None:
        assert instance.ready.all() and not instance.expedite.any(), "the strict variant: all ready, none expedited"
        first_key = np.where(instance.rescheduled, 0, 1 << 22) + instance.place_in_line.astype(np.int64)
        order = np.lexsort((instance.case_id, instance.tiebreak, first_key))
        self.case_id: list[int] = instance.case_id[order].tolist()
        self.ports = instance.ports
        self.days: list[int] = instance.days.tolist()
        self.cap = np.asarray(instance.capacity, dtype=np.int64)
        self.prefs = [tuple(p for p in row if p >= 0) for row in instance.port_prefs[order].tolist()]
        not_before = instance.not_before[order].astype(np.int64)
        self.nb: list[int] = np.where(not_before > 0, np.searchsorted(instance.days, not_before), 0).tolist()

    def slots(self, chosen: Chosen) -> dict[int, Slot]:
        return {case_id: None if s is None else (self.ports[s[0]], self.days[s[1]])
                for case_id, s in zip(self.case_id, chosen, strict=True)}


def ortools_one_flow(problem: StrictProblem) -> Chosen:
    """One min-cost flow over the whole instance, the formulation one writes first.

    Person i (queue rank i of n) -> port-day arcs cost (2 * day + choice - 1) * (n - i): earlier days and
    preferred ports are cheaper, more so for people ahead in the queue; not being placed costs as much as
    a day past the horizon. Exact strict priority would need weights growing geometrically with the queue
    (no 64-bit cost can hold them for thousands of people), so the optimum may trade one person's
    preferred port for another's earlier day: the comparison below says whether it did.
    """
    from ortools.graph.python import min_cost_flow

    n, n_days = len(problem.case_id), len(problem.days)
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
    chosen: Chosen = [None] * n
    for t, h in zip(tail[used].tolist(), head[used].tolist(), strict=True):
        if t < n and h < sink:
            chosen[t] = divmod(h - n, n_days)
    return chosen


def ortools_exact(problem: StrictProblem, block: int = 12) -> Chosen:
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
    chosen: Chosen = [None] * len(problem.case_id)
    for start in range(0, len(problem.case_id), block):
        members = range(start, min(start + block, len(problem.case_id)))
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
    return chosen


def allocator_slots(result: AllocationResult) -> dict[int, Slot]:
    slots: dict[int, Slot] = {a.case_id: (a.port, a.day.toordinal()) for a in result.assignments}
    slots.update((u.case_id, None) for u in result.unassigned)
    return slots


def array_slots(instance: ArrayInstance, result: ArrayResult) -> dict[int, Slot]:
    return {case_id: None if port < 0 else (instance.ports[port], day)
            for case_id, port, day in zip(instance.case_id.tolist(), result.port.tolist(), result.day.tolist(),
                                          strict=True)}


# --- measurement -----------------------------------------------------------------------------------------

def _timed_runs[T](fn: Callable[[], T], repeats: int) -> tuple[list[float], T]:
    """Seconds of each run (after a garbage collection) and the last run's value."""
    times, value = [], None
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return times, value  # type: ignore[return-value]


def median_time[T](fn: Callable[[], T], repeats: int = 3) -> tuple[float, T]:
    times, value = _timed_runs(fn, repeats)
    return statistics.median(times), value


def compare(label: str, ours: dict[int, Slot], theirs: dict[int, Slot]) -> str:
    differ = sum(1 for case_id in ours.keys() | theirs.keys() if ours.get(case_id, ()) != theirs.get(case_id, ()))
    return f"{label}: {'identical' if differ == 0 else f'NOT identical ({differ:,} persons differ)'}"


def engine_name(cases: int) -> str:
    engine, _ = allocator._engine(cases)
    return "compiled" if engine.__module__.endswith("_compiled") else "Python (_fast)"


def breakdown(cases: list[WaitingCase], capacity: list[PortDay], policy: Policy) -> tuple[float, float, float]:
    """Seconds spent reading the inputs, in the engine, and building the explained results (one run)."""
    engine, compiled = allocator._engine(len(cases))
    gc.collect()
    with allocator._collector_paused():
        start = time.perf_counter()
        prepared = allocator._prepare(cases, capacity, [], policy, compiled)
        read = time.perf_counter()
        placement = engine(prepared.inst, policy.backfill, random.Random(0))
        placed = time.perf_counter()
        allocator._build(prepared, placement, policy, 0)
        built = time.perf_counter()
    return read - start, placed - read, built - placed


def first_call(from_scratch: bool) -> None:
    """Import the compiled kernels and make their first call, timed: once per process, before anything else.

    With `from_scratch`, also the cost without numba's on-disk cache: a fresh process with an empty cache
    directory compiles every kernel (what the first run after a change to `_compiled.py` pays).
    """
    print("0. compiled kernels (numba, cached on disk): paid once per process, excluded from every time below")
    if from_scratch:
        src = str(Path(__file__).resolve().parents[1] / "src")
        with tempfile.TemporaryDirectory() as empty:
            child = subprocess.run(
                [sys.executable, "-c", "import time; t = time.perf_counter(); "
                 "from corredor.core.scheduling import _compiled; _compiled.warm_up(); "
                 "print(time.perf_counter() - t)"],
                env={**os.environ, "NUMBA_CACHE_DIR": empty, "PYTHONPATH": src},
                capture_output=True, text=True, check=True)
        took = float(child.stdout)
        print(f"   from scratch (a fresh process, empty cache: import, compile all) {took:6.2f} s")
    gc.collect()
    start = time.perf_counter()
    compiled = allocator._compiled_module()
    imported = time.perf_counter()
    loaded, built = compiled.warm_up()
    done = time.perf_counter()
    how = f"compiling {built} kernels" if built else f"loading {loaded} kernels from numba's cache"
    if built and loaded:
        how += f" and loading {loaded} from its cache"
    print(f"   first call in this process {done - start:6.2f} s (importing numba and the module "
          f"{imported - start:4.2f} s, {how} {done - imported:4.2f} s); everything below is measured after it")


def part_one(repeats: int, ours_repeats: int) -> None:
    people, days, per_day = 40_000, 60, 1_450
    cases, capacity = generate_cases(people, seed=7, days=days), generate_capacity(per_day, days)
    print(f"1. {people:,} people in {len(cases):,} parties; {len(PORTS)} ports x {days} days, "
          f"{per_day:,} places a day ({per_day * days:,} in the horizon); times are medians of {repeats} "
          f"(allocate_arrays(): of {ours_repeats}, with the fastest and slowest run)")
    policy = Policy(expedite_share=0.20)
    t_full, full = median_time(lambda: allocate(cases, capacity, [], policy), repeats)
    print(f"   allocate(), families, 20% expedite reserve ........ {t_full * 1000:8.1f} ms  "
          f"({full.stats['assigned_cases']:,} parties placed, {full.stats['out_of_order']:,} out of order, "
          f"{full.stats['expedite_persons']:,} persons from the reserve; {engine_name(len(cases))} engine)")
    family_columns = as_arrays(cases, capacity)
    t_cols, cols, spread = spread_time(lambda: allocate_arrays(family_columns, policy), ours_repeats)
    differ = same_decisions(cases, full, cols)
    verdict = "identical to allocate() for every case" if differ == 0 else f"DIFFER from allocate() in {differ:,} cases"
    print(f"   allocate_arrays(), the same instance as columns ..... {t_cols * 1000:8.2f} ms  ({spread}; decisions "
          f"{verdict})")

    persons = strict_variant(cases)
    strict = Policy(version="strict", expedite_share=0.0, lottery_share=0.0, backfill=False)
    columns = as_arrays(persons, capacity)  # the instance both sides start from (built once, not timed)
    t_ours, ours, spread = spread_time(lambda: allocate_arrays(columns, strict), ours_repeats)
    t_objects, objects = median_time(lambda: allocate(persons, capacity, [], strict), repeats)
    gc.collect()
    start = time.perf_counter()
    problem = StrictProblem(columns)
    t_problem = time.perf_counter() - start
    t_one, one = median_time(lambda: ortools_one_flow(problem), repeats)
    t_exact, exact = median_time(lambda: ortools_exact(problem), repeats)
    ours_slots = array_slots(columns, ours)
    blocks = -(-len(persons) // 12)
    print(f"   strict arrival-order variant: {len(persons):,} parties of one, no reserve, no lottery; both sides "
          "start from the same columns")
    print(f"   allocate_arrays(), columns to result columns ....... {t_ours * 1000:8.2f} ms  ({spread}; validation, "
          "queue order, engine, per-case columns and statistics)")
    print(f"   allocate(), WaitingCase objects, every reason ...... {t_objects * 1000:8.1f} ms  "
          f"({engine_name(len(persons))} engine; " + compare("decisions against allocate_arrays()", ours_slots,
                                                              allocator_slots(objects)) + ")")
    print(f"   OR-Tools' problem built from the same columns ...... {t_problem * 1000:8.1f} ms  (queue order, each "
          "person's ports and first day; NOT included in OR-Tools' times)")
    for label, t, theirs in (("OR-Tools, one min-cost flow over everything ...", t_one, one),
                             (f"OR-Tools, exact: {blocks:,} min-cost flows of 12 ...", t_exact, exact)):
        print(f"   {label:51s} {t * 1000:8.1f} ms  ratio {t / t_ours:6.1f}x allocate_arrays(), "
              f"{t / t_objects:5.1f}x allocate(); " + compare("assignments", ours_slots, problem.slots(theirs)))
    placed = sum(1 for s in ours_slots.values() if s is not None)
    ratio = min(t_one, t_exact) / t_ours
    print(f"   (OR-Tools' times: building its graphs, solving them, reading the flows back into a port and day per "
          f"person. {placed:,} of {len(persons):,} persons placed.)")
    print(f"   target >= 200x, allocate_arrays() against the faster OR-Tools run ({ratio:.0f}x): "
          f"{'met' if ratio >= 200 else 'not met'}")


def spread_time[T](fn: Callable[[], T], repeats: int) -> tuple[float, T, str]:
    """The median time, the last value, and "fastest ... slowest ..." in milliseconds."""
    times, value = _timed_runs(fn, repeats)
    spread = f"fastest {min(times) * 1000:.2f}, slowest {max(times) * 1000:.2f}"
    return statistics.median(times), value, spread


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
    print(f"      one run, split: reading the inputs {read:4.2f} s, {engine_name(len(cases))} engine {engine:4.2f} s, "
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
    print(f"      allocate_arrays() {t_arrays:5.2f} s (median of 3, compiled engine, no reasons; target < 2 s: "
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
    first_call(from_scratch=not args.quick)
    if not args.national_only:
        part_one(1 if args.quick else 3, 5 if args.quick else 21)
    people = 200_000 if args.quick else 2_000_000
    cases = generate_cases(people, seed=11, days=365)
    print(f"2. {people:,} people in {len(cases):,} parties, {len(PORTS)} ports x 365 days, 20% expedite reserve")
    part_two(cases, 1_450)
    part_two(cases, 5_600)


if __name__ == "__main__":
    main()
