"""Scenarios shared by the simulation tests: the bundled small scenario and a test set of variants that
exercise every mechanism (blocking, children's priority, fixed and given arrivals, pass-through, empty
resources)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest

from corredor.core.simulation.scenario import Scenario, bundled_scenarios, load_scenario, with_changes


@pytest.fixture(scope="session")
def small() -> Scenario:
    return load_scenario(bundled_scenarios()["test-small"])


def _test_set() -> dict[str, Scenario]:
    base = load_scenario(bundled_scenarios()["test-small"])
    return {
        "small": base,
        "blocking": with_changes(base, {
            "populations.single_adult_men.beds": 40, "populations.family_units.beds": 30,
            "populations.unaccompanied_children.beds": 9, "orr.placements_per_day": 8,
        }),
        "fixed-arrivals": with_changes(base, {
            "arrivals.process": "fixed", "horizon": 45,
            "ports.poe-hidalgo.arrival_counts": {"value": [80, 0, 0, 60, 10], "unit": "persons/day"},
            "ports[0].initial_backlog": 0, "arrivals.annual_cycle.amplitude": 0.3,
        }),
        "pass-through": with_changes(base, {
            "port_processing.mode": "pass_through", "port_processing.min_wait": 0, "arrivals.daily_rate": 90,
        }),
        "no-orr": with_changes(base, {"orr.placements_per_day": 0, "populations.single_adult_women.beds": 0,
                                      "horizon": 30}),
    }


TEST_SET = _test_set()


@pytest.fixture(scope="session", params=sorted(TEST_SET))
def scenario_case(request: pytest.FixtureRequest) -> tuple[str, Scenario]:
    return request.param, TEST_SET[request.param]


def assert_statistically_equal(name: str, engine: Sequence[float], reference: Sequence[float], *, z: float = 4.5,
                               absolute: float = 1e-9) -> None:
    """Means of two independent samples agree within z standard errors (plus a small absolute slack)."""
    a = np.array([v for v in engine if not math.isnan(v)])
    b = np.array([v for v in reference if not math.isnan(v)])
    assert a.size and b.size, name
    se = math.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    difference = abs(a.mean() - b.mean())
    assert difference <= z * se + absolute, f"{name}: engine {a.mean():.5g} vs SimPy {b.mean():.5g} (se {se:.3g})"
