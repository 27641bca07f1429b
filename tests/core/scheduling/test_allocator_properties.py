"""Properties of the allocator on random instances (hypothesis), each checked from the inputs alone."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import replace
from datetime import date
from fractions import Fraction

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corredor.core.scheduling import _compiled, _fast, _reference, allocator
from corredor.core.scheduling.allocator import AllocationResult, Assignment, allocate, allocate_reference

from .conftest import Instance, allocate_compiled, instances, placement_lists, queue

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(inst: Instance, seed: int = 0) -> AllocationResult:
    return allocate(inst.cases, inst.capacity, inst.existing, inst.policy, seed=seed)


def _seats(inst: Instance) -> tuple[dict[tuple[str, date], int], dict[tuple[str, date], int]]:
    """Seats left after existing appointments, and the expedite reserve, per port-day (from the docstring)."""
    left: dict[tuple[str, date], int] = {}
    reserve: dict[tuple[str, date], int] = {}
    share = Fraction(repr(inst.policy.expedite_share))
    used: dict[tuple[str, date], int] = defaultdict(int)
    for a in inst.existing:
        used[(a.port, a.day)] += a.party_size
    for pd in inst.capacity:
        key = (pd.port, pd.day)
        left[key] = max(pd.capacity - used[key], 0)
        reserve[key] = min(int(pd.capacity * share), left[key])
    return left, reserve


def _jumped(inst: Instance, result: AllocationResult, b: Assignment) -> bool:
    """The out-of-order definition, evaluated from the inputs and the final assignment."""
    if b.via == "lottery":
        return False
    left, reserve = _seats(inst)
    pool = reserve if b.via == "expedite_reserve" else left
    largest = {p: max((s for (q, _), s in pool.items() if q == p), default=0) for p, _ in pool}
    fits_somewhere = {p: max((s for (q, _), s in left.items() if q == p), default=0) for p, _ in left}
    scheduled = {a.case_id for a in inst.existing}
    day_of = {a.case_id: a.day for a in result.assignments}
    for a in queue(inst.cases):
        if a.case_id == b.case_id:
            return False
        if not a.ready or a.case_id in scheduled or b.port not in a.ports:
            continue
        if a.party_size > max(fits_somewhere.get(p, 0) for p in a.ports):
            continue  # never placeable: not waiting for these seats
        if b.via == "expedite_reserve" and not a.expedite:
            continue
        if a.party_size > largest.get(b.port, 0) or (a.not_before is not None and a.not_before > b.day):
            continue
        if a.case_id not in day_of or day_of[a.case_id] > b.day:
            return True
    raise AssertionError("b is in the queue")


@SETTINGS
@given(instances())
def test_invariants(inst: Instance) -> None:
    result = run(inst)
    by_id = {c.case_id: c for c in inst.cases}
    scheduled = {a.case_id for a in inst.existing}
    position = {c.case_id: i for i, c in enumerate(queue(inst.cases), start=1)}

    # Every case exactly once, with its place in line; results ordered by position.
    everyone = [a.case_id for a in result.assignments] + [u.case_id for u in result.unassigned]
    assert sorted(everyone) == sorted(by_id)
    for items in (result.assignments, result.unassigned):
        assert [x.position for x in items] == sorted(x.position for x in items)
        assert all(x.position == position[x.case_id] for x in items)

    # No port-day over capacity (existing + new); a port-day already over capacity gets nobody new.
    left, reserve = _seats(inst)
    new: dict[tuple[str, date], int] = defaultdict(int)
    from_reserve: dict[tuple[str, date], int] = defaultdict(int)
    for a in result.assignments:
        case = by_id[a.case_id]
        new[(a.port, a.day)] += a.party_size
        if a.via == "expedite_reserve":
            from_reserve[(a.port, a.day)] += a.party_size
            assert case.expedite
        assert a.via in ("arrival_order", "expedite_reserve", "lottery")
        assert a.via != "lottery" or inst.policy.lottery_share > 0
        # Whole party, at one of its ports, on a horizon day not before its earliest acceptable day.
        assert a.party_size == case.party_size
        assert a.port in case.ports and case.ports.index(a.port) + 1 == a.port_choice
        assert (a.port, a.day) in left
        assert case.not_before is None or a.day >= case.not_before
        assert case.ready and a.case_id not in scheduled
        json.dumps(a.reason_parts)  # plain data
    for key, persons in new.items():
        assert persons <= left[key]
        assert from_reserve[key] <= reserve[key]

    # Existing appointments: their cases are never reassigned; not-ready cases wait.
    codes = {u.case_id: u.code for u in result.unassigned}
    for case in inst.cases:
        if case.case_id in scheduled:
            assert codes[case.case_id] == "already_scheduled"
        elif not case.ready:
            assert codes[case.case_id] == "not_ready"

    # Out of order exactly when the definition says so; never under strict order.
    for a in result.assignments:
        assert a.out_of_order == _jumped(inst, result, a), a
        assert not (a.out_of_order and not inst.policy.backfill)

    stats = result.stats
    assert stats["assigned_cases"] == len(result.assignments)
    assert stats["assigned_persons"] == sum(a.party_size for a in result.assignments)
    assert stats["out_of_order"] == sum(a.out_of_order for a in result.assignments)
    assert sum(stats["unassigned_by_code"].values()) == len(result.unassigned)  # type: ignore[attr-defined]
    assert stats["expedite_persons"] == sum(from_reserve.values())
    utilisation = {(row["port"], date.fromisoformat(row["day"])): row for row in stats["utilisation"]}  # type: ignore[attr-defined]
    for key in left:
        assert utilisation[key]["used"] == utilisation[key]["existing"] + new[key]


@SETTINGS
@given(instances())
def test_the_fast_and_compiled_engines_equal_the_reference(inst: Instance) -> None:
    for seed in (0, 7):
        expected = allocate_reference(inst.cases, inst.capacity, inst.existing, inst.policy, seed)
        assert run(inst, seed) == expected
        assert allocate_compiled(inst.cases, inst.capacity, inst.existing, inst.policy, seed) == expected
        # Engine by engine, before any result is built; the compiled lottery leaves the generator where the
        # Python one does.
        prepared = allocator._prepare(inst.cases, inst.capacity, inst.existing, inst.policy)
        generators = [random.Random(seed) for _ in range(3)]
        placements = [placement_lists(engine(prepared.inst, inst.policy.backfill, rng)) for engine, rng
                      in zip((_reference.place, _fast.place, _compiled.place), generators, strict=True)]
        assert placements[0] == placements[1] == placements[2]
        assert generators[0].getstate() == generators[1].getstate() == generators[2].getstate()


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**64), st.lists(st.integers(1, 2**63 - 1) | st.integers(1, 40), max_size=60))
def test_the_compiled_lottery_draws_as_random_randrange(seed: int, totals: list[int]) -> None:
    """Python's Mersenne Twister and randrange, run in the kernel from the generator's state."""
    rng = random.Random(seed)
    _, internal, _ = rng.getstate()
    mt = np.asarray(internal[:624], dtype=np.int64)
    pos = np.asarray(internal[624:], dtype=np.int64)
    for total in [*totals, *range(1, 1500)]:  # long enough to regenerate the state words twice
        assert _compiled._randbelow(total, mt, pos) == rng.randrange(total)
    assert (*mt.tolist(), int(pos[0])) == rng.getstate()[1]


@SETTINGS
@given(instances(), st.integers(0, 2**32))
def test_same_inputs_and_seed_same_result_and_the_seed_only_drives_the_lottery(inst: Instance, seed: int) -> None:
    first, again = run(inst, seed), run(inst, seed)
    assert first == again
    if inst.policy.lottery_share == 0:
        other = run(inst, seed + 1)
        assert other.assignments == first.assignments and other.unassigned == first.unassigned
        assert {**other.stats, "seed": seed} == first.stats


@SETTINGS
@given(instances(reserve_and_lottery=False), st.sampled_from([0.0, 0.2, 0.5]))
def test_nobody_is_seated_after_an_equal_case_behind_it(inst: Instance, expedite_share: float) -> None:
    """Same ports, party size and not_before: the case ahead is never later, unless only the one behind is
    expedited (that is what expediting is for). Holds with and without backfill."""
    policy = replace(inst.policy, expedite_share=expedite_share)
    result = allocate(inst.cases, inst.capacity, inst.existing, policy)
    day_of = {a.case_id: a.day for a in result.assignments}
    ranked = [c for c in queue(inst.cases) if c.case_id not in {u.case_id for u in result.unassigned
                                                                 if u.code in ("not_ready", "already_scheduled")}]
    for i, ahead in enumerate(ranked):
        for behind in ranked[i + 1:]:
            if (ahead.ports, ahead.party_size, ahead.not_before) != (behind.ports, behind.party_size,
                                                                        behind.not_before):
                continue
            if behind.expedite and not ahead.expedite:
                continue
            if behind.case_id in day_of:
                assert ahead.case_id in day_of and day_of[ahead.case_id] <= day_of[behind.case_id]


@SETTINGS
@given(instances(reserve_and_lottery=False))
def test_expediting_a_case_never_delays_it(inst: Instance) -> None:
    """Under backfill, turning the expedite flag on for one case never gives it a later day."""
    policy = replace(inst.policy, expedite_share=0.2, backfill=True)
    for case in inst.cases:
        if case.expedite:
            continue
        flipped = [replace(c, expedite=True) if c is case else c for c in inst.cases]
        before = {a.case_id: a.day for a in allocate(inst.cases, inst.capacity, inst.existing, policy).assignments}
        after = {a.case_id: a.day for a in allocate(flipped, inst.capacity, inst.existing, policy).assignments}
        if case.case_id in before:
            assert case.case_id in after and after[case.case_id] <= before[case.case_id]
        break  # one case per example keeps the test fast
