"""The allocator against exact oracles: OR-Tools' min-cost flow (parties of one) and enumeration (families).

On strict arrival-order instances (no reserve, no lottery) the allocator must give every case the same
port and day as the lexicographic optimum "each case in queue order takes its best port-day with room".
See conftest.py for why each oracle computes exactly that optimum.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings

from corredor.core.scheduling.allocator import (
    AllocationResult,
    ExistingAppointment,
    Policy,
    PortDay,
    WaitingCase,
    allocate,
)

from .conftest import (
    START,
    Instance,
    Slot,
    instances,
    lexmin_by_blocks,
    lexmin_by_enumeration,
    lexmin_by_min_cost_flow,
    waiting,
)


def slots(result: AllocationResult) -> dict[int, Slot]:
    found: dict[int, Slot] = {a.case_id: (a.port, a.day) for a in result.assignments}
    found.update((u.case_id, None) for u in result.unassigned)
    return found


def assert_same(inst: Instance, expected: dict[int, Slot]) -> None:
    result = allocate(inst.cases, inst.capacity, inst.existing, inst.policy)
    got = slots(result)
    for case in inst.cases:
        if case.case_id in expected:
            assert got[case.case_id] == expected[case.case_id], case
        else:  # not ready or already scheduled: the oracle never places it, nor may the allocator
            assert got[case.case_id] is None


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(unit=True, max_cases=12, max_days=4, reserve_and_lottery=False))
def test_parties_of_one_match_one_exact_min_cost_flow(inst: Instance) -> None:
    assert_same(inst, lexmin_by_min_cost_flow(inst))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_cases=5, max_days=2, port_names="AB", reserve_and_lottery=False))
def test_families_match_enumeration_of_every_assignment(inst: Instance) -> None:
    assert_same(inst, lexmin_by_enumeration(inst))


def _large_instance(seed: int, people: int) -> Instance:
    """A few hundred parties of one on tight capacity: most of them compete for the same days."""
    rng = random.Random(seed)
    ports = ("SYS", "CLX", "ELP", "HID")
    days = [START + timedelta(days=i) for i in range(12)]
    capacity = [PortDay(p, d, rng.randint(0, 12)) for d in days for p in ports]
    cases = []
    for i in range(people):
        home = rng.randrange(len(ports))
        prefs = (ports[home],) + ((ports[(home + 1) % len(ports)],) if rng.random() < 0.4 else ())
        cases.append(WaitingCase(
            case_id=i + 1, party_size=1, place_in_line=date(2024, 1, 1) + timedelta(days=rng.randint(0, 30)),
            tiebreak=rng.randint(0, 1_000), ports=prefs, expedite=rng.random() < 0.2,
            ready=rng.random() < 0.95, rescheduled=rng.random() < 0.03,
            not_before=days[rng.randint(0, 11)] if rng.random() < 0.1 else None,
        ))
    existing = [ExistingAppointment(c.case_id, c.ports[0], rng.choice(days), 1) for c in cases if rng.random() < 0.03]
    return Instance(cases, capacity, existing, Policy(expedite_share=0.0, backfill=rng.random() < 0.5))


def test_hundreds_of_parties_of_one_match_exact_flows_block_by_block() -> None:
    for seed in range(8):
        inst = _large_instance(seed, people=400)
        expected = lexmin_by_blocks(inst)
        assert len(expected) == len(waiting(inst))
        assert_same(inst, expected)


def test_the_oracles_agree_with_each_other() -> None:
    # The block formulation is only trusted at scale because it matches the single flow where both run.
    for seed in range(30):
        inst = _large_instance(100 + seed, people=11)
        assert lexmin_by_blocks(inst, block=4) == lexmin_by_min_cost_flow(inst)
