"""allocate_arrays against allocate: the same engine, so the same decision for every case.

Random instances come from the conftest generator (families, expedited cases, not-ready and rescheduled
cases, not_before days, existing appointments, ports without capacity, reserve, lottery, strict order).
Each is turned into columns with the ports listed in a shuffled order and the cases in input order, and
every case's port, day, via, position, port choice, out_of_order flag and unassigned code must match.
"""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corredor.core.scheduling.allocator import (
    UNASSIGNED_CODES,
    VIA_CODES,
    ArrayInstance,
    Policy,
    PortDay,
    WaitingCase,
    allocate,
    allocate_arrays,
)

from .conftest import Instance, instances


def columns(inst: Instance, shuffle: random.Random, pad: int = 0, extra_ports: int = 0) -> ArrayInstance:
    codes = sorted({pd.port for pd in inst.capacity} | {p for c in inst.cases for p in c.ports})
    codes += [f"X{i:03d}" for i in range(extra_ports)]  # listed by nobody, never open
    shuffle.shuffle(codes)
    index = {code: i for i, code in enumerate(codes)}
    days = sorted({pd.day for pd in inst.capacity})
    day_index = {d: i for i, d in enumerate(days)}
    capacity = np.zeros((len(codes), len(days)), dtype=np.int32)
    for pd in inst.capacity:
        capacity[index[pd.port], day_index[pd.day]] = pd.capacity
    width = max((len(c.ports) for c in inst.cases), default=1) + pad
    prefs = np.full((len(inst.cases), width), -1, dtype=np.int16)
    for i, case in enumerate(inst.cases):
        prefs[i, : len(case.ports)] = [index[p] for p in case.ports]
    cases = inst.cases
    return ArrayInstance(
        case_id=np.asarray([c.case_id for c in cases], dtype=np.int64),
        party_size=np.asarray([c.party_size for c in cases], dtype=np.int32),
        place_in_line=np.asarray([c.place_in_line.toordinal() for c in cases], dtype=np.int32),
        tiebreak=np.asarray([c.tiebreak for c in cases], dtype=np.int64),
        expedite=np.asarray([c.expedite for c in cases], dtype=bool),
        ready=np.asarray([c.ready for c in cases], dtype=bool),
        rescheduled=np.asarray([c.rescheduled for c in cases], dtype=bool),
        not_before=np.asarray([c.not_before.toordinal() if c.not_before else 0 for c in cases], dtype=np.int32),
        port_prefs=prefs,
        ports=tuple(codes),
        days=np.asarray([d.toordinal() for d in days], dtype=np.int32),
        capacity=capacity,
    )


def assert_same(inst: Instance, seed: int, shuffle: random.Random, pad: int = 0, extra_ports: int = 0) -> None:
    expected = allocate(inst.cases, inst.capacity, inst.existing, inst.policy, seed=seed)
    arrays = columns(inst, shuffle, pad, extra_ports)
    got = allocate_arrays(arrays, inst.policy, seed=seed, existing=inst.existing)
    assigned = {a.case_id: a for a in expected.assignments}
    unassigned = {u.case_id: u for u in expected.unassigned}
    for i, case in enumerate(inst.cases):
        if case.case_id in assigned:
            a = assigned[case.case_id]
            want = (arrays.ports.index(a.port), a.day.toordinal(), VIA_CODES.index(a.via), a.position,
                    a.port_choice, a.out_of_order, 0)
        else:
            u = unassigned[case.case_id]
            want = (-1, 0, 0, u.position, 0, False, UNASSIGNED_CODES.index(u.code))
        have = (int(got.port[i]), int(got.day[i]), int(got.via[i]), int(got.position[i]), int(got.port_choice[i]),
                bool(got.out_of_order[i]), int(got.unassigned_code[i]))
        assert have == want, case
    for name in ("cases", "persons", "assigned_cases", "assigned_persons", "unassigned_by_code", "out_of_order",
                 "expedite_persons", "lottery_persons", "arrival_order_persons", "horizon"):
        assert got.stats[name] == expected.stats[name], name
    used = got.stats["used"]
    assert isinstance(used, np.ndarray)
    for row in expected.stats["utilisation"]:  # type: ignore[attr-defined]
        if row["port"] in arrays.ports:
            day = date.fromisoformat(row["day"]).toordinal()
            d = int(np.searchsorted(arrays.days, day))
            assert used[arrays.ports.index(row["port"]), d] == row["used"] - row["existing"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_cases=30, max_days=6), st.integers(0, 3), st.randoms(use_true_random=False), st.integers(0, 1))
def test_allocate_arrays_decides_exactly_as_allocate(inst: Instance, seed: int, shuffle: random.Random,
                                                     pad: int) -> None:
    assert_same(inst, seed, shuffle, pad)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_cases=60, max_days=8, port_names="ABCDE"), st.integers(0, 3), st.randoms(use_true_random=False))
def test_allocate_arrays_decides_exactly_as_allocate_on_larger_instances(inst: Instance, seed: int,
                                                                         shuffle: random.Random) -> None:
    assert_same(inst, seed, shuffle)


@pytest.mark.parametrize("pad", [0, 8])  # 300 ports: preference lists numbered by sort, or by comparing rows
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_cases=30, max_days=4), st.randoms(use_true_random=False))
def test_many_ports_and_long_padded_lists_match(pad: int, inst: Instance, shuffle: random.Random) -> None:
    assert_same(inst, 1, shuffle, pad, extra_ports=300)


def test_a_registry_of_thousands_matches() -> None:
    rng = random.Random(5)
    start = date(2026, 6, 1)
    ports = ("A", "B", "C", "D")
    capacity = [PortDay(p, date.fromordinal(start.toordinal() + d), rng.randint(0, 40)) for d in range(30)
                for p in ports]
    cases = []
    for i in range(4000):
        first = rng.randrange(4)
        listed = (ports[first],) + ((ports[(first + 1) % 4],) if rng.random() < 0.4 else ())
        cases.append(WaitingCase(
            case_id=i + 1, party_size=rng.choice((1, 1, 2, 3, 5)),
            place_in_line=date.fromordinal(start.toordinal() - rng.randint(1, 400)), tiebreak=i, ports=listed,
            expedite=rng.random() < 0.2, ready=rng.random() < 0.95, rescheduled=rng.random() < 0.02,
            not_before=date.fromordinal(start.toordinal() + rng.randint(0, 10)) if rng.random() < 0.1 else None))
    for policy in (Policy(), Policy(expedite_share=0.1, lottery_share=0.2), Policy(backfill=False)):
        assert_same(Instance(cases, capacity, [], policy), seed=3, shuffle=random.Random(1))


def test_malformed_columns_are_refused() -> None:
    good = columns(Instance([WaitingCase(1, 1, date(2026, 1, 1), 0, ("A", "B"))],
                            [PortDay("A", date(2026, 2, 1), 3), PortDay("B", date(2026, 2, 1), 3)], [], Policy()),
                   random.Random(0))
    policy = Policy()
    assert allocate_arrays(good, policy).unassigned_code.tolist() == [0]
    bad_prefs = (np.asarray([[-1, 0]], dtype=np.int16), np.asarray([[0, 0]], dtype=np.int16),
                 np.asarray([[2, -1]], dtype=np.int16), np.zeros((1, 0), dtype=np.int16))
    for prefs in bad_prefs:
        with pytest.raises(ValueError):
            allocate_arrays(ArrayInstance(**{**good.__dict__, "port_prefs": prefs}), policy)
    for name, value in (("party_size", np.asarray([0], dtype=np.int32)),
                        ("case_id", np.asarray([1, 1], dtype=np.int64)),
                        ("capacity", np.asarray([[3], [-1]], dtype=np.int32)),
                        ("capacity", np.zeros((1, 1), dtype=np.int32))):
        with pytest.raises(ValueError):
            allocate_arrays(ArrayInstance(**{**good.__dict__, name: value}), policy)
