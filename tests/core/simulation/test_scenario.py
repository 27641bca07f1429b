"""Scenario files: the bundled ones load and round-trip; bad files get errors that name the key."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from jsonschema import Draft202012Validator

from corredor.core.simulation.scenario import (
    POPULATIONS,
    Scenario,
    ScenarioError,
    bundled_scenarios,
    dump_scenario,
    fit_distribution,
    load_scenario,
    scenario_schema,
    scenario_to_dict,
    with_changes,
)

BUNDLED = bundled_scenarios()


def test_bundled_scenarios_are_the_baseline_the_surge_and_the_small_one() -> None:
    assert {"baseline", "surge-50", "test-small"} <= set(BUNDLED)


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_scenarios_load_validate_and_round_trip(name: str) -> None:
    scenario = load_scenario(BUNDLED[name])
    Draft202012Validator.check_schema(scenario_schema())
    assert not list(Draft202012Validator(scenario_schema()).iter_errors(scenario_to_dict(scenario)))
    again = load_scenario(dump_scenario(scenario))
    assert again == scenario
    assert dict(again.sources) == dict(scenario.sources)


def test_baseline_uses_the_reference_ports_and_figures() -> None:
    baseline = load_scenario(BUNDLED["baseline"])
    assert baseline.port_codes == ("poe-san-ysidro", "poe-calexico", "poe-nogales", "poe-el-paso", "poe-eagle-pass",
                                   "poe-laredo", "poe-hidalgo", "poe-brownsville")
    assert sum(p.appointment_capacity for p in baseline.ports) == 1450  # CBP, 30 June 2023
    assert baseline.port("poe-san-ysidro").initial_backlog == 9600  # Tijuana metering waitlist
    assert all(pop.custody_limit_hours == 72 for pop in baseline.populations)
    assert abs(sum(p.arrival_share for p in baseline.ports) - 1) < 1e-12
    sources = dict(baseline.sources)
    assert "1,450" in sources["arrivals.daily_rate"]
    surge = load_scenario(BUNDLED["surge-50"])
    assert [(s.start_day, s.end_day, s.multiplier) for s in surge.arrivals.surges] == [(30, 120, 1.5)]


def test_units_are_converted_to_canonical_ones() -> None:
    doc = scenario_to_dict(load_scenario(BUNDLED["test-small"]))
    doc["horizon"] = "2 weeks"
    doc["arrivals"]["daily_rate"] = {"value": 700, "unit": "persons/week"}
    doc["arrivals"]["trend"] = "5 %/year"
    doc["populations"]["family_units"]["sponsor_delay"] = {"distribution": "fixed", "value": "1.5 days"}
    doc["populations"]["family_units"]["screening"] = {"distribution": "exponential", "mean": "90 min"}
    doc["populations"]["family_units"]["return_share"] = "5 %"
    scenario = load_scenario(doc)
    assert scenario.horizon_days == 14
    assert scenario.arrivals.daily_rate == pytest.approx(100)
    assert scenario.arrivals.trend_per_year == pytest.approx(0.05)
    families = scenario.population("family_units")
    assert families.sponsor_delay is not None and families.sponsor_delay.value == pytest.approx(36)
    assert families.screening.mean == pytest.approx(1.5)
    assert families.return_share == pytest.approx(0.05)


def test_with_changes_by_index_by_code_and_top_level() -> None:
    base = load_scenario(BUNDLED["test-small"])
    changed = with_changes(base, {"ports[1].officers": 9, "ports.poe-el-paso.appointment_capacity": 95,
                                  "populations.family_units.beds": "50 beds"}, name="Changed", horizon=30)
    assert changed.ports[1].officers == 9
    assert changed.port("poe-el-paso").appointment_capacity == 95
    assert changed.population("family_units").beds == 50
    assert (changed.name, changed.horizon_days) == ("Changed", 30)
    by_keywords = with_changes(base, ports__1__officers=9, populations__family_units__beds=50)
    assert by_keywords.ports[1].officers == 9 and by_keywords.population("family_units").beds == 50
    assert base.ports[1].officers == 4  # the original is untouched (frozen)
    with pytest.raises(ScenarioError, match=r"ports\[1\]\.officers: must be >= 0"):
        with_changes(base, {"ports[1].officers": -1})
    with pytest.raises(ScenarioError, match="no entry with code 'poe-nowhere'"):
        with_changes(base, {"ports.poe-nowhere.officers": 1})


def _doc() -> dict[str, Any]:
    return copy.deepcopy(scenario_to_dict(load_scenario(BUNDLED["test-small"])))


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return change


def _delete(path: list[Any]) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        node = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return change


BAD_FILES = [
    ("negative rate", _set(["arrivals", "daily_rate"], "-5 persons/day"), "arrivals.daily_rate", "must be >= 0"),
    ("negative officers", _set(["ports", 1, "officers"], {"value": -2, "unit": "officers"}), "ports[1].officers",
     "must be >= 0"),
    ("unknown key", _set(["ports", 1, "bogus"], 1), "ports[1].bogus", "unknown key"),
    ("unknown top-level key", _set(["arrivalz"], {}), "arrivalz", "unknown key"),
    ("missing unit", _set(["ports", 0, "officers"], 12), "ports[0].officers", "missing unit"),
    ("missing unit in a distribution", _set(["populations", "family_units", "screening", "mean"], 4),
     "populations.family_units.screening.mean", "missing unit"),
    ("wrong unit", _set(["populations", "single_adult_men", "beds"], "40 persons"), "populations.single_adult_men.beds",
     "is not a beds unit"),
    ("unknown unit", _set(["horizon"], "3 fortnights"), "horizon", "is not a days unit"),
    ("wrong type", _set(["ports"], "two ports"), "ports", "must be a list"),
    ("not a quantity", _set(["orr", "placements_per_day"], "many"), "orr.placements_per_day", "not a quantity"),
    ("missing required key", _delete(["populations", "family_units", "beds"]), "populations.family_units.beds",
     "required key is missing"),
    ("missing section", _delete(["costs"]), "costs", "required key is missing"),
    ("shares do not add up", _set(["arrivals", "composition", "population", "family_units"], "0.5 share"),
     "arrivals.composition.population", "must add up to 1"),
    ("share above 1", _set(["populations", "family_units", "return_share"], "1.5 share"),
     "populations.family_units.return_share", "must be <= 1"),
    ("fractional beds", _set(["populations", "family_units", "beds"], "10.5 beds"), "populations.family_units.beds",
     "whole number"),
    ("duplicate port", _set(["ports", 1, "code"], "poe-el-paso"), "ports[1].code", "duplicate port code"),
    ("children have no sponsor delay", _set(["populations", "unaccompanied_children", "sponsor_delay"],
                                             {"distribution": "fixed", "value": "1 h"}),
     "populations.unaccompanied_children.sponsor_delay", "unknown key"),
    ("unknown distribution", _set(["populations", "family_units", "screening"], {"distribution": "weibull"}),
     "populations.family_units.screening.distribution", "must be one of"),
    ("missing distribution parameter", _set(["populations", "family_units", "screening"],
                                            {"distribution": "lognormal", "mean": "4 h"}),
     "populations.family_units.screening.sd", "required key is missing"),
    ("parameter of another family", _set(["populations", "family_units", "screening"],
                                         {"distribution": "exponential", "mean": "4 h", "sd": "1 h"}),
     "populations.family_units.screening.sd", "not a parameter of the exponential distribution"),
    ("surge ends before it starts", _set(["arrivals", "surges", 0, "end"], "10 days"), "arrivals.surges[0].end",
     "must be after start"),
    ("weekly pattern length", _set(["arrivals", "weekly_pattern"], {"value": [1, 1], "unit": "factor"}),
     "arrivals.weekly_pattern", "exactly 7"),
    ("appointments on the same day", _set(["port_processing", "min_wait"], "0 days"), "port_processing.min_wait",
     "must be >= 1 day"),
    ("service past midnight", _set(["port_processing", "service_hours"], "20 h"), "port_processing.service_hours",
     "must not pass midnight"),
    ("bad nationality code", _set(["arrivals", "composition", "nationality", "Honduras"], "0 share"),
     "arrivals.composition.nationality.Honduras", "ISO 3166-1 alpha-2"),
    ("bad vulnerability code", _set(["arrivals", "composition", "vulnerability", "sad"], "0 share"),
     "arrivals.composition.vulnerability.sad", "unknown vulnerability code"),
    ("non-text key", _set(["arrivals", "composition", "nationality", False], "0 share"),
     "arrivals.composition.nationality.False", "keys must be text"),
]


@pytest.mark.parametrize(("case", "change", "path", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_scenarios_get_an_error_naming_the_key(case: str, change: Callable[[dict[str, Any]], None], path: str,
                                                   message: str) -> None:
    doc = _doc()
    change(doc)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(doc)
    matching = [m for p, m in caught.value.problems if p == path]
    assert matching, f"{case}: expected a problem at {path}, got {caught.value.problems}"
    assert any(message in m for m in matching), f"{case}: {matching}"
    assert f"{path}: " in str(caught.value)


def test_every_problem_is_reported_at_once() -> None:
    doc = _doc()
    doc["ports"][0]["officers"] = "-1 officers"
    doc["orr"]["placements_per_day"] = "-3 placements/day"
    with pytest.raises(ScenarioError) as caught:
        load_scenario(doc)
    assert [p for p, _ in caught.value.problems] == ["orr.placements_per_day", "ports[0].officers"]


def test_text_and_files(tmp_path: Path) -> None:
    text = dump_scenario(load_scenario(BUNDLED["test-small"]))
    assert isinstance(load_scenario(text), Scenario)
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_scenario(str(path)) == load_scenario(path)
    with pytest.raises(ScenarioError, match="cannot read scenario file"):
        load_scenario(tmp_path / "missing.yaml")
    with pytest.raises(ScenarioError, match="not valid YAML"):
        load_scenario("name: [unclosed\nhorizon: 1")
    with pytest.raises(ScenarioError, match="must be a mapping"):
        load_scenario("- a\n- list\n")


def test_norway_must_be_quoted() -> None:
    text = dump_scenario(load_scenario(BUNDLED["test-small"])).replace("HT:", "NO:")
    with pytest.raises(ScenarioError, match=r"arrivals\.composition\.nationality\.False: keys must be text"):
        load_scenario(text)
    assert load_scenario(text.replace("NO:", "'NO':")).arrivals.nationality_shares[-1][0] == "NO"


def test_populations_are_fixed_and_ordered() -> None:
    scenario = load_scenario(BUNDLED["test-small"])
    assert tuple(p.code for p in scenario.populations) == POPULATIONS
    assert scenario.population("unaccompanied_children").is_children
    assert scenario.population("unaccompanied_children").sponsor_delay is None


def test_distributions_fitted_to_observed_durations_go_into_a_scenario() -> None:
    rng = np.random.default_rng(1)
    observed = rng.lognormal(3.0, 0.4, 20_000)
    fitted = fit_distribution(observed)
    assert fitted.kind == "lognormal" and fitted.mean == pytest.approx(observed.mean())
    assert fit_distribution([5.0, 5.0]).to_dict() == {"distribution": "fixed", "value": {"value": 5, "unit": "h"}}
    assert fit_distribution([1.0, 3.0], "exponential").mean == 2.0
    changed = with_changes(load_scenario(BUNDLED["test-small"]),
                           {"populations.family_units.sponsor_delay": fitted.to_dict()})
    sponsor = changed.population("family_units").sponsor_delay
    assert sponsor is not None and (sponsor.mean, sponsor.sd) == pytest.approx((fitted.mean, fitted.sd))
    with pytest.raises(ValueError):
        fit_distribution([])
    with pytest.raises(ValueError):
        fit_distribution([-1.0, 2.0])
