"""Random allocation instances and three independent oracles for the allocator's tests.

Oracles (none of them shares code with the allocator):
- `lexmin_by_min_cost_flow`: OR-Tools' min-cost flow with costs W_i * rank_i(option), unit parties.
- `lexmin_by_blocks`: the same lexicographic optimum for large instances, one exact flow per block.
- `lexmin_by_enumeration`: brute force over every assignment of tiny instances, families included.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from hypothesis import strategies as st
from ortools.graph.python import min_cost_flow

from corredor.core.scheduling import _compiled, allocator
from corredor.core.scheduling._model import Placement
from corredor.core.scheduling.allocator import (
    AllocationResult,
    ExistingAppointment,
    Policy,
    PortDay,
    WaitingCase,
)

START = date(2026, 5, 4)
Slot = tuple[str, date] | None


@dataclass(frozen=True)
class Instance:
    cases: list[WaitingCase]
    capacity: list[PortDay]
    existing: list[ExistingAppointment]
    policy: Policy


@st.composite
def instances(draw: st.DrawFn, *, max_cases: int = 24, max_days: int = 5, port_names: str = "ABC",
              unit: bool = False, policy: Policy | None = None, reserve_and_lottery: bool = True) -> Instance:
    """A small random instance: few ports and days, tight capacity, every kind of case."""
    ports = port_names[: draw(st.integers(1, len(port_names)))]
    n_days = draw(st.integers(1, max_days))
    days = [START + timedelta(days=2 * i) for i in range(n_days)]  # gaps: days need not be consecutive
    capacity = [PortDay(p, d, draw(st.integers(0, 7) | st.just(12))) for d in days for p in ports
                if draw(st.integers(0, 9)) > 0]  # now and then a port-day is missing (capacity 0)
    n = draw(st.integers(0, max_cases))
    cases = []
    for i in range(n):
        choice = draw(st.permutations(ports + "Z"))  # Z has no capacity at all
        k = draw(st.integers(1, len(choice)))
        not_before = draw(st.one_of(st.none(), st.sampled_from([START - timedelta(days=1), *days,
                                                                days[-1] + timedelta(days=1)])))
        cases.append(WaitingCase(
            case_id=1000 + i,
            party_size=1 if unit else draw(st.sampled_from([1, 1, 1, 2, 3, 4, 6, 9])),
            place_in_line=date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 4))),
            tiebreak=draw(st.integers(0, 3)),
            ports=tuple(choice[:k]) if draw(st.integers(0, 9)) else tuple(p for p in choice[:k] if p != "Z") or ("A",),
            expedite=draw(st.booleans()),
            expedite_reason=draw(st.sampled_from(["", "unaccompanied child", "pregnant"])),
            ready=draw(st.integers(0, 9)) > 0,
            not_ready_reason="waiting for documents",
            rescheduled=draw(st.integers(0, 9)) == 0,
            not_before=not_before,
        ))
    existing = []
    for case in cases:
        if draw(st.integers(0, 9)) == 0:
            existing.append(ExistingAppointment(case.case_id, draw(st.sampled_from(ports)),
                                                draw(st.sampled_from(days)), case.party_size))
    if draw(st.booleans()):  # an appointment of someone no longer in the list still uses seats
        existing.append(ExistingAppointment(1, ports[0], days[0], draw(st.integers(1, 3))))
    if policy is None:
        policy = Policy(
            expedite_share=draw(st.sampled_from([0.0, 0.2, 0.5])) if reserve_and_lottery else 0.0,
            lottery_share=draw(st.sampled_from([0.0, 0.0, 0.3])) if reserve_and_lottery else 0.0,
            backfill=draw(st.booleans()),
        )
    cases = draw(st.permutations(cases))  # input order never matters
    return Instance(list(cases), capacity, existing, policy)


def allocate_compiled(cases: Sequence[WaitingCase], capacity: Sequence[PortDay],
                      existing: Sequence[ExistingAppointment], policy: Policy, seed: int = 0) -> AllocationResult:
    """`allocate` through the compiled engine and the compiled queue sort, whatever the number of cases."""
    return allocator._allocate(cases, capacity, existing, policy, seed, _compiled.place, compiled=True)


def placement_lists(placement: Placement) -> tuple[list[int], list[int], list[int], list[bool]]:
    """An engine's placement as plain lists (the Python engines return lists, the compiled one arrays)."""
    return (np.asarray(placement.day).tolist(), np.asarray(placement.port).tolist(),
            np.asarray(placement.via).tolist(), np.asarray(placement.out_of_order).tolist())


# --- what every oracle needs -----------------------------------------------------------------------------

def queue(cases: Sequence[WaitingCase]) -> list[WaitingCase]:
    """Queue order, written independently of the allocator."""
    return sorted(cases, key=lambda c: (not c.rescheduled, c.place_in_line, c.tiebreak, c.case_id))


def seats_left(capacity: Sequence[PortDay], existing: Sequence[ExistingAppointment]) -> dict[tuple[str, date], int]:
    left = {(pd.port, pd.day): pd.capacity for pd in capacity}
    for a in existing:
        if (a.port, a.day) in left:
            left[(a.port, a.day)] -= a.party_size
    return {k: max(v, 0) for k, v in left.items()}


def options(case: WaitingCase, days: list[date], left: dict[tuple[str, date], int]) -> list[tuple[str, date]]:
    """The case's port-days in its order of preference: earliest day first, then its port order."""
    return [(p, d) for d in days for p in case.ports
            if (case.not_before is None or d >= case.not_before) and left.get((p, d), 0) > 0]


def waiting(inst: Instance) -> list[WaitingCase]:
    scheduled = {a.case_id for a in inst.existing}
    return [c for c in queue(inst.cases) if c.ready and c.case_id not in scheduled]


# --- oracle 1: one exact min-cost flow -------------------------------------------------------------------

def lexmin_by_min_cost_flow(inst: Instance) -> dict[int, Slot]:
    """The strict arrival-order assignment of unit parties, as one OR-Tools min-cost flow.

    Nodes: one per waiting person (supply 1), one per port-day with seats left, and a sink. Person i
    (0-based in queue order, m persons) has an arc to each of its options, the k-th (0-based, ordered by
    day and then by its port preference) costing W_i * k, and an arc straight to the sink ("not placed")
    costing W_i * K, where K is the largest number of options of anyone. Port-days reach the sink with
    their seats as capacity.

    Why the optimum is unique and equals strict arrival order: take W_i = (K + 1) ** (m - 1 - i). Two
    different assignments differ first at some person i (in queue order); if i is better off by at
    least one rank in one of them, that gains W_i, while every later person j can lose at most K ranks,
    W_j * K in all, and sum_{j>i} K * (K + 1) ** (m - 1 - j) = (K + 1) ** (m - 1 - i) - 1 < W_i. So the
    optimum is the lexicographic minimum of (rank_0, rank_1, ...), which is exactly "each person in
    queue order takes its best port-day with a seat left". The weights grow like (K + 1) ** m, so the
    helper refuses instances whose costs would not fit OR-Tools' 64-bit arithmetic (it also multiplies
    costs by the number of nodes internally).
    """
    people = waiting(inst)
    assert all(c.party_size == 1 for c in people), "one flow models parties of one"
    left = seats_left(inst.capacity, inst.existing)
    days = sorted({pd.day for pd in inst.capacity})
    return _exact_flow(people, {c.case_id: options(c, days, left) for c in people}, left)


# --- oracle 2: exact flows block by block ----------------------------------------------------------------

def lexmin_by_blocks(inst: Instance, block: int = 10) -> dict[int, Slot]:
    """The same optimum for instances of any size: persons in blocks of `block`, one exact flow each.

    The lexicographic optimum of the whole queue is the optimum of the first block followed by that of
    the next block on the seats left, and so on; inside a block the weights above are exact. A person
    only needs its first `block` options with a seat left: the block-mates ahead of it take at most
    block - 1 seats, so they can fill at most block - 1 of those port-days.
    """
    people = waiting(inst)
    assert all(c.party_size == 1 for c in people), "the block argument needs parties of one"
    left = seats_left(inst.capacity, inst.existing)
    days = sorted({pd.day for pd in inst.capacity})
    result: dict[int, Slot] = {}
    for start in range(0, len(people), block):
        members = people[start:start + block]
        chosen = _exact_flow(members, {c.case_id: options(c, days, left)[:block] for c in members}, left)
        for case_id, slot in chosen.items():
            result[case_id] = slot
            if slot is not None:
                left[slot] -= 1
    return result


def _exact_flow(members: list[WaitingCase], opts: dict[int, list[tuple[str, date]]],
                left: dict[tuple[str, date], int]) -> dict[int, Slot]:
    """One min-cost flow with the weights described in `lexmin_by_min_cost_flow` (members in queue order)."""
    m = len(members)
    if m == 0:
        return {}
    k_max = max((len(o) for o in opts.values()), default=0)
    slots = sorted({s for o in opts.values() for s in o})
    node = {s: m + i for i, s in enumerate(slots)}
    sink = m + len(slots)
    assert (k_max + 1) ** m * (k_max + 1) * (sink + 2) < 2**62, "instance too large for exact 64-bit costs"
    tail, head, cap, cost = [], [], [], []
    for i, c in enumerate(members):
        w = (k_max + 1) ** (m - 1 - i)
        for k, s in enumerate(opts[c.case_id]):
            tail.append(i), head.append(node[s]), cap.append(1), cost.append(w * k)
        tail.append(i), head.append(sink), cap.append(1), cost.append(w * k_max)
    for s in slots:
        tail.append(node[s]), head.append(sink), cap.append(left[s]), cost.append(0)
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(np.asarray(tail), np.asarray(head), np.asarray(cap),
                                                     np.asarray(cost))
    flow.set_nodes_supplies(np.arange(sink + 1), np.asarray([1] * m + [0] * len(slots) + [-m]))
    assert flow.solve() == flow.OPTIMAL
    chosen = {tail[a]: slots[head[a] - m] for a in np.flatnonzero(flow.flows(arcs)).tolist()
              if tail[a] < m and head[a] != sink}
    return {c.case_id: chosen.get(i) for i, c in enumerate(members)}


# --- oracle 3: enumeration, families included ------------------------------------------------------------

def lexmin_by_enumeration(inst: Instance) -> dict[int, Slot]:
    """The lexicographically best assignment of a tiny instance, by trying every assignment.

    Each waiting case gets one of its options or nothing (always last). itertools.product walks the
    choices in lexicographic order of (first case's option index, second case's, ...), so the first
    feasible assignment is the lexicographic optimum. Feasible: no port-day over its seats (whole
    parties). With backfill off, also strict order: no case sits at port p on day d while a case ahead
    of it, eligible that day and able to fit p on some day, is placed later or not at all.
    """
    people = waiting(inst)
    left = seats_left(inst.capacity, inst.existing)
    days = sorted({pd.day for pd in inst.capacity})
    largest = {p: max((s for (q, _), s in left.items() if q == p), default=0) for p, _ in left}
    opts: list[list[Slot]] = [[*options(c, days, left), None] for c in people]
    for combo in itertools.product(*opts):
        used: dict[tuple[str, date], int] = {}
        for c, slot in zip(people, combo, strict=True):
            if slot is not None:
                used[slot] = used.get(slot, 0) + c.party_size
        if any(u > left[s] for s, u in used.items()):
            continue
        if not inst.policy.backfill and _jumps(people, combo, largest):
            continue
        return {c.case_id: s for c, s in zip(people, combo, strict=True)}
    raise AssertionError("leaving everyone unplaced is always feasible")


def _jumps(people: list[WaitingCase], combo: tuple[Slot, ...], largest: dict[str, int]) -> bool:
    for b, slot in enumerate(combo):
        if slot is None:
            continue
        port, day = slot
        for a in range(b):
            ahead = people[a]
            if port not in ahead.ports or ahead.party_size > largest.get(port, 0):
                continue
            if ahead.not_before is not None and ahead.not_before > day:
                continue
            if combo[a] is None or combo[a][1] > day:  # type: ignore[index]
                return True
    return False
