"""Prescription on a tiny scenario: the plan meets the target with the confidence asked, and costs money."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from corredor.core.simulation.engine import custody_order, draw_persons, port_stage
from corredor.core.simulation.prescribe import _kernels, _share_ok, _smallest, _tighten, prescribe
from corredor.core.simulation.scenario import Scenario, with_changes


@pytest.fixture(scope="module")
def strained(small: Scenario) -> Scenario:
    return with_changes(small, {"horizon": 30, "populations.single_adult_men.beds": 35,
                                "populations.unaccompanied_children.beds": 8, "orr.placements_per_day": 8})


def test_the_plan_meets_the_target_with_the_confidence_asked(strained: Scenario) -> None:
    plan = prescribe(strained, target_breach_share=0.02, confidence=0.8, replications=10, seed=4)
    assert plan.feasible, plan.notes
    assert plan.achieved_confidence >= 0.8
    assert plan.beds_added["single_adult_men"] > 0
    assert plan.orr_placements_added > 0 or plan.beds_added["unaccompanied_children"] > 0
    assert plan.cost_usd["total"] == pytest.approx(plan.cost_usd["beds"] + plan.cost_usd["orr"])
    assert plan.cost_usd["beds"] == sum(plan.beds_added.values()) * strained.costs.bed_night * 30
    assert plan.planned_scenario.population("single_adult_men").beds == 35 + plan.beds_added["single_adult_men"]
    baseline_share = plan.baseline.metric("breaches.share.single_adult_men", "p95")
    planned_share = plan.planned.metric("breaches.share.single_adult_men", "p50")
    assert baseline_share is not None and planned_share is not None and planned_share <= 0.02 < baseline_share
    stored = json.loads(json.dumps(plan.to_dict(), allow_nan=False))
    assert stored["planned_scenario"]["name"].endswith("(surge plan)")
    assert stored["beds_added"] == plan.beds_added


def test_officers_are_sized_by_the_waiting_target(strained: Scenario) -> None:
    plan = prescribe(strained, target_breach_share=1.0, confidence=0.8, replications=5, seed=2, target_wait_days=2.5)
    assert sum(plan.officers_added.values()) > 0
    assert plan.achieved_confidence >= 0.8
    for code, added in plan.officers_added.items():
        port = plan.planned_scenario.port(code)
        assert port.officers == strained.port(code).officers + added
        assert port.daily_capacity == math.floor(port.officers * port.interviews_per_officer) or added == 0
    impossible = prescribe(strained, 1.0, 0.8, replications=3, seed=2, target_wait_days=0.2)
    assert not impossible.feasible and any("no number of officers" in n for n in impossible.notes)


def test_the_per_replication_search_finds_the_smallest_addition(strained: Scenario) -> None:
    persons = draw_persons(strained, np.random.default_rng(8))
    ports = port_stage(strained, persons)
    members, offsets = custody_order(persons, ports.custody_start)
    men = members[offsets[0]: offsets[1]]
    end = strained.horizon_days * 24.0
    limit = strained.populations[0].custody_limit_hours

    def meets(beds: int) -> bool:
        start, _, leave, _ = _kernels.adult_custody(men, ports.custody_start, persons.processing_hours,
                                                    persons.after_hours, persons.returned, beds)
        return _share_ok(start, leave, limit, end, 0.01)

    added, _ = _smallest(meets, 35, men.size)
    assert math.isfinite(added)
    assert meets(35 + int(added)) and not meets(35 + int(added) - 1)
    assert _smallest(lambda b: b >= 3, 0, 10) == (3.0, 4) or _smallest(lambda b: b >= 3, 0, 10)[0] == 3.0
    assert _smallest(lambda b: False, 0, 10)[0] == math.inf


def test_tightening_gives_up_the_costliest_replications() -> None:
    needs = np.array([[1.0, 0.0], [2.0, 5.0], [9.0, 1.0], [math.inf, 0.0]])
    plan, cost = _tighten(needs, np.array([1.0, 1.0]), keep=2)
    assert plan.tolist() == [2.0, 5.0] or plan.tolist() == [9.0, 1.0]
    assert cost == 7.0
    assert _tighten(needs, np.array([1.0, 1.0]), keep=4)[1] == math.inf
