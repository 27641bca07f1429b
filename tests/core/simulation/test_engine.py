"""The engine: same answers as the SimPy reference person by person, determinism, invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corredor.core.simulation import engine
from corredor.core.simulation.engine import (
    EXIT_NONE,
    EXIT_PLACED,
    expected_arrivals,
    replication_seed,
    simulate_replication,
)
from corredor.core.simulation.results import ReplicationResult
from corredor.core.simulation.scenario import Scenario, with_changes

from .conftest import TEST_SET
from .simpy_reference import persons_from_trace, run_reference


def _clip(values: np.ndarray | list[float], end: float) -> np.ndarray:
    out = np.asarray(values, dtype=np.float64).copy()
    out[out >= end] = np.inf
    return out


def _same_times(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    both_inf = np.isinf(a) & np.isinf(b)
    with np.errstate(invalid="ignore"):
        return both_inf | (np.abs(a - b) <= 1e-7)


@pytest.mark.parametrize("seed", [1, 2])
def test_same_draws_give_the_same_times_as_simpy_for_every_person(scenario_case: tuple[str, Scenario],
                                                                  seed: int) -> None:
    name, scenario = scenario_case
    result = simulate_replication(scenario, seed, keep_trace=True)
    trace = result.trace
    assert trace is not None
    reference = run_reference(scenario, persons=persons_from_trace(trace))
    end = scenario.horizon_days * 24.0
    for ours, theirs in (
        (trace.ports.custody_start, [p.custody_start for p in reference.persons]),
        (trace.per_person("entry"), [p.entry for p in reference.persons]),
        (trace.per_person("leave"), [p.leave for p in reference.persons]),
    ):
        same = _same_times(_clip(ours, end), _clip(theirs, end))
        assert same.all(), f"{name}: {int((~same).sum())} persons differ"
    placed = trace.per_person("exit_kind") == EXIT_PLACED
    assert np.array_equal(placed, np.array([p.placed for p in reference.persons])), name
    for p, code in enumerate(scenario.port_codes):
        assert np.array_equal(result.series[f"port_queue.{code}"], reference.port_queue[p]), (name, code)
        assert np.array_equal(result.series[f"processed.{code}"], reference.processed[p]), (name, code)
    for g, pop in enumerate(scenario.populations):
        assert np.array_equal(result.series[f"occupancy.{pop.code}"], reference.occupancy[g]), (name, pop.code)
        assert np.array_equal(result.series[f"port_custody.{pop.code}"], reference.port_custody[g]), (name, pop.code)
        exits = result.series[f"released.{pop.code}"] + result.series[f"returned.{pop.code}"]
        if pop.is_children:
            exits = exits + result.series[f"placed.{pop.code}"]
        assert np.array_equal(exits, reference.exits[g]), (name, pop.code)
    for key, value in reference.stats.items():
        ours_key = key
        if key.rsplit(".", 1)[-1].isdigit():
            stem, g = key.rsplit(".", 1)
            ours_key = f"{stem}.{scenario.populations[int(g)].code}"
        if ours_key.startswith("occupancy.mean."):
            ours_value = float(result.series["occupancy." + ours_key.rsplit(".", 1)[-1]].mean())
        else:
            ours_value = result.metrics[ours_key]  # type: ignore[assignment]
        if math.isnan(value):
            assert ours_value is None, (name, key)
        else:
            assert ours_value == pytest.approx(value, rel=1e-9, abs=1e-9), (name, key)


def test_a_seed_gives_the_same_replication_every_time(small: Scenario) -> None:
    first = simulate_replication(small, 42, 3)
    again = simulate_replication(small, 42, 3)
    other = simulate_replication(small, 42, 4)
    assert first.metrics == again.metrics
    assert all(np.array_equal(first.series[k], again.series[k]) for k in first.series)
    assert first.metrics != other.metrics
    by_sequence = simulate_replication(small, np.random.SeedSequence(42).spawn(5)[3])
    assert by_sequence.metrics == first.metrics
    assert replication_seed(42, 3).spawn_key == (3,)


def test_capacities_never_change_the_draws(small: Scenario) -> None:
    more = with_changes(small, {"populations.family_units.beds": 99, "orr.placements_per_day": 30,
                                "ports[0].officers": 20})
    a = engine.draw_persons(small, np.random.default_rng(5))
    b = engine.draw_persons(more, np.random.default_rng(5))
    for field in ("arrival_hours", "population", "nationality", "processing_hours", "after_hours", "returned"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field


def _check_invariants(scenario: Scenario, result: ReplicationResult) -> None:
    s = result.series
    days = scenario.horizon_days
    backlog = sum(p.initial_backlog for p in scenario.ports)
    arrived = backlog + np.cumsum(s["arrivals"])
    exits = np.cumsum(s["released"] + s["returned"] + s["placed"])
    # arrivals = exits + in system, at the end of every day
    assert np.array_equal(arrived, exits + s["port_queue"] + s["in_custody"])
    assert np.array_equal(s["in_system"], s["port_queue"] + s["in_custody"])
    for key, values in s.items():
        assert len(values) == days, key
        assert (np.asarray(values) >= 0).all(), key
    for code in scenario.port_codes:
        assert (s[f"processed.{code}"] <= s[f"processing_capacity.{code}"]).all()
    for pop in scenario.populations:
        assert (s[f"occupancy.{pop.code}"] <= pop.beds).all()
        assert (s[f"breaches.{pop.code}"] <= s[f"due.{pop.code}"]).all()
    assert (s["placed"] <= scenario.orr_placements_per_day).all()
    trace = result.trace
    if trace is None:
        return
    end = days * 24.0
    for c in trace.custody:
        entered = np.isfinite(c.entry)
        assert (c.entry[entered] >= c.start[entered] - 1e-9).all()
        left = np.isfinite(c.leave)
        assert (c.leave[left] >= c.entry[left] - 1e-9).all()
        assert ((c.exit_kind == EXIT_NONE) | np.isfinite(c.leave)).all()
        # the exact maximum occupancy over time never exceeds the beds (not just at midnight)
        times = np.concatenate([c.entry[c.entry < end], c.leave[c.leave < end]])
        steps = np.concatenate([np.ones(int((c.entry < end).sum())), -np.ones(int((c.leave < end).sum()))])
        order = np.lexsort((steps, times))  # at equal times a departure (-1) comes first
        assert np.cumsum(steps[order]).max(initial=0) <= c.beds
    # first come, first served at every port: custody starts never go down along a port's line
    start = trace.ports.custody_start
    for p in range(len(scenario.ports)):
        line = start[trace.persons.port_offsets[p]: trace.persons.port_offsets[p + 1]]
        done = line[np.isfinite(line)]
        assert (np.diff(done) >= 0).all()
        assert np.isinf(line[done.size:]).all()


def test_invariants_on_the_test_set(scenario_case: tuple[str, Scenario]) -> None:
    _, scenario = scenario_case
    for seed in range(3):
        _check_invariants(scenario, simulate_replication(scenario, seed, keep_trace=True))


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    base = TEST_SET["small"]
    return with_changes(base, {
        "horizon": draw(st.integers(3, 25)),
        "arrivals.daily_rate": draw(st.integers(0, 150)),
        "ports[0].appointment_capacity": draw(st.integers(0, 90)),
        "ports[1].officers": draw(st.integers(0, 6)),
        "ports[1].initial_backlog": draw(st.integers(0, 200)),
        "populations.single_adult_men.beds": draw(st.integers(0, 60)),
        "populations.family_units.beds": draw(st.integers(0, 40)),
        "populations.unaccompanied_children.beds": draw(st.integers(0, 15)),
        "orr.placements_per_day": draw(st.integers(0, 15)),
        "port_processing.service_hours": draw(st.sampled_from([1, 12, 16])),
    })


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_invariants_hold_for_random_scenarios(scenario: Scenario, seed: int) -> None:
    _check_invariants(scenario, simulate_replication(scenario, seed, keep_trace=True))


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), beds=st.integers(1, 70))
def test_more_beds_never_start_anyone_later(seed: int, beds: int) -> None:
    """First come, first served with one more server: no entry later (what the prescription relies on)."""
    scenario = TEST_SET["blocking"]
    persons = engine.draw_persons(scenario, np.random.default_rng(seed))
    ports = engine.port_stage(scenario, persons)
    members, offsets = engine.custody_order(persons, ports.custody_start)
    men = members[offsets[0]: offsets[1]]
    _, fewer, _, _ = engine._kernels.adult_custody(men, ports.custody_start, persons.processing_hours,
                                                  persons.after_hours, persons.returned, beds)
    _, more, _, _ = engine._kernels.adult_custody(men, ports.custody_start, persons.processing_hours,
                                                 persons.after_hours, persons.returned, beds + 1)
    assert (more <= fewer).all()


def test_fcfs_servers_against_a_plain_simulation() -> None:
    rng = np.random.default_rng(3)
    start = np.sort(rng.uniform(0, 100, 400))
    holding = rng.exponential(5, 400)
    for servers in (1, 3, 17, 500):
        entry = engine._kernels.fcfs_servers(start, holding, servers)
        free = [0.0] * servers
        expected = []
        for t, h in zip(start, holding, strict=True):
            k = min(range(servers), key=free.__getitem__)
            begin = max(t, free[k])
            expected.append(begin)
            free[k] = begin + h
        assert np.allclose(entry, expected)
    assert np.isinf(engine._kernels.fcfs_servers(start, holding, 0)).all()


def test_children_nearest_their_limit_are_placed_first() -> None:
    # three children in beds; the one who arrived first (least time left) finishes processing last
    start = np.array([0.0, 1.0, 2.0])
    processing = np.array([20.0, 5.0, 6.0])
    zeros = np.zeros(3)
    no = np.zeros(3, bool)
    # one placement a day at 12:00; a second slot on day 1 at 12:00
    entry, leave, placed = engine._kernels.children_custody(start, processing, zeros, no, start + 72, 3, 1, 72.0)
    assert np.array_equal(entry, start)
    # at 12:00 on day 0 only children 1 and 2 are ready: child 1 (earlier deadline) goes; at 36:00 child 0
    assert leave.tolist() == [36.0, 12.0, 60.0]
    assert placed.all()


def test_arrival_rates_follow_trend_season_week_and_surges(small: Scenario) -> None:
    fixed = with_changes(small, {"arrivals.process": "fixed", "horizon": 40})
    mean = expected_arrivals(fixed)
    a = fixed.arrivals
    day = 25  # inside the surge of days 20-30
    weekday = (fixed.start_weekday + day) % 7
    rate = (a.daily_rate * (1 + a.trend_per_year) ** (day / 365) * a.weekly_pattern[weekday]
            * (1 + a.annual_amplitude * math.cos(2 * math.pi * (day + 1 - a.annual_peak_day) / 365)) * 1.5)
    assert mean[:, day].sum() == pytest.approx(rate)
    assert mean[0, day] / mean[:, day].sum() == pytest.approx(0.6)
    persons = engine.draw_persons(fixed, np.random.default_rng(0))
    totals = persons.daily_arrivals.sum(axis=1)
    assert np.abs(totals - mean.sum(axis=1)).max() <= 0.5 + 1e-9  # rounded with carry


def test_given_arrival_counts_replace_the_first_days() -> None:
    scenario = TEST_SET["fixed-arrivals"]
    persons = engine.draw_persons(scenario, np.random.default_rng(1))
    assert persons.daily_arrivals[1, :5].tolist() == [80, 0, 0, 60, 10]


def test_without_placements_or_beds_nobody_leaves_that_way() -> None:
    scenario = TEST_SET["no-orr"]
    result = simulate_replication(scenario, 1)
    assert result.series["placed"].sum() == 0
    assert result.series["occupancy.single_adult_women"].sum() == 0
    assert result.metrics["breaches.share.single_adult_women"] == 1.0
    assert result.metrics["occupancy.peak_share.single_adult_women"] is None
