"""allocate_arrays against allocate: the same engine, so the same decision for every case.

Random instances come from the conftest generator (families, expedited cases, not-ready and rescheduled
cases, not_before days, existing appointments, ports without capacity, reserve, lottery, strict order).
Each is turned into columns with the ports listed in a shuffled order and the cases in input order, and
every case's port, day, via, position, port choice, out_of_order flag and unassigned code must match.
allocate_arrays runs the compiled passes and engine, allocate (below COMPILED_FROM_CASES) the Python engine,
so these tests also hold the two engines equal, for every policy and in each column type the kernels take.
"""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corredor.core.scheduling import _compiled, allocator
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


def columns(inst: Instance, shuffle: random.Random, pad: int = 0, extra_ports: int = 0,
            wide: bool = False) -> ArrayInstance:
    """The instance as columns, in the documented dtypes or, with `wide`, every integer column as int64."""
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
    prefs = np.full((len(inst.cases), width), -1, dtype=np.int64 if wide else np.int16)
    for i, case in enumerate(inst.cases):
        prefs[i, : len(case.ports)] = [index[p] for p in case.ports]
    cases = inst.cases
    small = np.int64 if wide else np.int32
    return ArrayInstance(
        case_id=np.asarray([c.case_id for c in cases], dtype=np.int64),
        party_size=np.asarray([c.party_size for c in cases], dtype=small),
        place_in_line=np.asarray([c.place_in_line.toordinal() for c in cases], dtype=small),
        tiebreak=np.asarray([c.tiebreak for c in cases], dtype=np.int64),
        expedite=np.asarray([c.expedite for c in cases], dtype=bool),
        ready=np.asarray([c.ready for c in cases], dtype=bool),
        rescheduled=np.asarray([c.rescheduled for c in cases], dtype=bool),
        not_before=np.asarray([c.not_before.toordinal() if c.not_before else 0 for c in cases], dtype=small),
        port_prefs=prefs,
        ports=tuple(codes),
        days=np.asarray([d.toordinal() for d in days], dtype=np.int32),
        capacity=capacity,
    )


def assert_same(inst: Instance, seed: int, shuffle: random.Random, pad: int = 0, extra_ports: int = 0,
                wide: bool = False) -> None:
    expected = allocate(inst.cases, inst.capacity, inst.existing, inst.policy, seed=seed)
    arrays = columns(inst, shuffle, pad, extra_ports, wide)
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
@given(instances(max_cases=30, max_days=6), st.integers(0, 3), st.randoms(use_true_random=False), st.integers(0, 1),
       st.booleans())
def test_allocate_arrays_decides_exactly_as_allocate(inst: Instance, seed: int, shuffle: random.Random,
                                                     pad: int, wide: bool) -> None:
    # allocate_arrays always runs the compiled passes and engine; allocate, at this size, the Python engine.
    assert_same(inst, seed, shuffle, pad, wide=wide)


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


def test_a_registry_of_thousands_matches(monkeypatch: pytest.MonkeyPatch) -> None:
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
    policies = (Policy(), Policy(expedite_share=0.1, lottery_share=0.2), Policy(backfill=False))
    python_engine = [allocate(cases, capacity, [], policy, seed=3) for policy in policies]
    for policy in policies:
        assert_same(Instance(cases, capacity, [], policy), seed=3, shuffle=random.Random(1))
    # From COMPILED_FROM_CASES cases on, allocate itself runs the compiled passes and engine: same results.
    monkeypatch.setattr(allocator, "COMPILED_FROM_CASES", len(cases))
    assert allocator._engine(len(cases)) == (_compiled.place, True)
    assert [allocate(cases, capacity, [], policy, seed=3) for policy in policies] == python_engine


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 300), st.sampled_from([1, 3, 1 << 20, 1 << 40, 1 << 62]), st.integers(0, 2**32))
def test_the_compiled_queue_order_is_lexsorts(n: int, spread: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    rescheduled = rng.random(n) < 0.1
    line_day = rng.integers(730_000, 730_000 + min(spread, 4000), n, dtype=np.int32)
    tiebreak = rng.integers(-spread, spread, n) if rng.random() < 0.8 else np.zeros(n, dtype=np.int64)
    ids = rng.permutation(n).astype(np.int64) * rng.integers(1, max(2, spread // max(n, 1))) - 7
    order = _compiled.queue_order(rescheduled, line_day, tiebreak, ids)
    first_key = np.where(rescheduled, 0, 1 << 22) + line_day.astype(np.int64)
    expected = np.lexsort((ids, tiebreak, first_key))
    if order is None:  # declined: the key does not pack into 63 bits
        spans = [int(c.max()) - int(c.min()) for c in (first_key, tiebreak, ids)]
        assert sum(span.bit_length() for span in spans) > 63
    else:
        assert order.tolist() == expected.tolist()


def test_malformed_columns_are_refused() -> None:
    good = columns(Instance([WaitingCase(1, 1, date(2026, 1, 1), 0, ("A", "B"))],
                            [PortDay("A", date(2026, 2, 1), 3), PortDay("B", date(2026, 2, 1), 3)], [], Policy()),
                   random.Random(0))
    policy = Policy()
    assert allocate_arrays(good, policy).unassigned_code.tolist() == [0]
    padding, outside, twice = "needs at least one port", "outside ports", "names a port twice"
    bad_prefs = ((np.asarray([[-1, 0]]), padding), (np.asarray([[0, 0]]), twice), (np.asarray([[2, -1]]), outside),
                 (np.zeros((1, 0)), "must have shape"))
    for prefs, message in bad_prefs:
        for dtype in (np.int16, np.int64):
            with pytest.raises(ValueError, match=message):
                allocate_arrays(ArrayInstance(**{**good.__dict__, "port_prefs": prefs.astype(dtype)}), policy)
    # With several faulty rows, the checks report in this order, whichever row comes first.
    two = {**good.__dict__, **{name: np.repeat(getattr(good, name), 2) for name in (
        "party_size", "place_in_line", "tiebreak", "expedite", "ready", "rescheduled", "not_before")},
        "case_id": np.asarray([1, 2], dtype=np.int64)}
    for rows, message in (([[0, 0], [-1, 0]], padding), ([[0, 0], [2, -1]], outside), ([[2, -1], [0, 1]], outside),
                          ([[1, 1], [0, 0]], r"twice: \('{0}', '{0}'\)".format(good.ports[1]))):
        with pytest.raises(ValueError, match=message):
            allocate_arrays(ArrayInstance(**{**two, "port_prefs": np.asarray(rows, dtype=np.int16)}), policy)
    for name, value, message in (("party_size", np.asarray([0], dtype=np.int32), "at least one person"),
                                 ("party_size", np.asarray([1 << 31], dtype=np.int64), "not a party"),
                                 ("case_id", np.asarray([1, 1], dtype=np.int64), "one entry per case"),
                                 ("capacity", np.asarray([[3], [-1]], dtype=np.int32), "negative capacity"),
                                 ("capacity", np.zeros((1, 1), dtype=np.int32), "capacity must have shape")):
        with pytest.raises(ValueError, match=message):
            allocate_arrays(ArrayInstance(**{**good.__dict__, name: value}), policy)
    with pytest.raises(ValueError, match="case 7 is listed twice"):
        allocate_arrays(ArrayInstance(**{**two, "case_id": np.asarray([7, 7], dtype=np.int64),
                                         "port_prefs": np.asarray([[0, 1], [1, 0]], dtype=np.int16)}), policy)
