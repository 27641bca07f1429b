"""Crisis thresholds: data in, crossings out, on simulated and on live-shaped series."""

from __future__ import annotations

from datetime import date

import pytest

from corredor.core.simulation.engine import simulate_replication
from corredor.core.simulation.scenario import Scenario, bundled_scenarios, load_scenario
from corredor.core.simulation.thresholds import (
    ThresholdError,
    crossing_probabilities,
    default_thresholds,
    evaluate_thresholds,
    load_thresholds,
    with_totals,
)


def test_default_thresholds_are_the_three_of_the_issue() -> None:
    by_id = {t.id: t for t in default_thresholds()}
    assert set(by_id) == {"arrivals-above-capacity", "custody-breaches", "occupancy-high"}
    arrivals = by_id["arrivals-above-capacity"]
    assert (arrivals.window_days, arrivals.value, arrivals.comparison) == (7, 1.10, ">")
    assert by_id["custody-breaches"].value == 0.01
    assert by_id["occupancy-high"].value == 0.90
    assert by_id["occupancy-high"].label("en").startswith("Reception bed occupancy")
    assert by_id["occupancy-high"].label("es").startswith("Ocupación")


def test_live_series_crossings() -> None:
    days = 20
    live = {
        "arrivals": [100] * 10 + [130] * 10,  # capacity 110 a day
        "processing_capacity": [110] * days,
        "occupancy.family_units": [50] * 5 + [95] * 3 + [50] * 12,
        "beds.family_units": [100] * days,
        "occupancy.single_adult_men": [None] * days,  # not reported: never evaluated
        "beds.single_adult_men": [100] * days,
        "breaches.unaccompanied_children": [0] * 15 + [1] * 5,
        "due.unaccompanied_children": [0] * 10 + [50] * 10,
    }
    crossings = evaluate_thresholds(default_thresholds(), live, first_date=date(2026, 3, 1))
    found = {(c.threshold_id, c.subject): c for c in crossings}
    assert set(found) == {("arrivals-above-capacity", None), ("occupancy-high", "family_units"),
                          ("custody-breaches", "unaccompanied_children")}
    arrivals = found["arrivals-above-capacity", None]
    # 7-day arrivals over 7 x 110: with j days at 130 in the window, 700 + 30 j > 847 from j = 5, day 14
    assert (arrivals.start_day, arrivals.end_day, arrivals.ongoing) == (14, 19, True)
    assert arrivals.peak_value == pytest.approx(130 / 110)
    assert arrivals.start_date == date(2026, 3, 15)
    occupancy = found["occupancy-high", "family_units"]
    assert (occupancy.start_day, occupancy.end_day, occupancy.days, occupancy.ongoing) == (5, 7, 3, False)
    breaches = found["custody-breaches", "unaccompanied_children"]
    assert breaches.start_day == 18  # 7-day breaches / due: 1/300, 2/350, 3/350, then 4/350 = 1.14%
    assert breaches.peak_value == pytest.approx(5 / 350)
    assert crossings[0].to_dict()["label"]["es"]


def test_windows_with_gaps_and_zero_denominators() -> None:
    threshold = load_thresholds([{"id": "x", "label": {"es": "x", "en": "x"}, "numerator": "breaches",
                                  "denominator": "due", "window": {"value": 2, "unit": "days"},
                                  "value": 0.5, "comparison": ">="}])
    series = {"breaches": [0, 0, 1, float("nan"), 1, 1], "due": [0, 0, 0, 2, 2, 0]}
    crossings = evaluate_thresholds(threshold, series)
    # day 1: 0/0 -> 0; day 2: 1/0 -> inf (crossed); days 3-4: NaN in window -> not evaluated; day 5: 2/2 = 1
    assert [(c.start_day, c.end_day) for c in crossings] == [(2, 2), (5, 5)]
    assert crossings[0].to_dict()["peak_value"] is None  # infinite ratio
    below = load_thresholds([{"id": "low", "label": {"es": "b", "en": "b"}, "numerator": "beds", "value": 5,
                              "comparison": "<", "aggregate": "max"}])
    assert [(c.start_day, c.peak_value) for c in evaluate_thresholds(below, {"beds": [9, 4, 3, 8]})] == [(1, 3.0)]
    with pytest.raises(ValueError, match="same length"):
        evaluate_thresholds(below, {"beds": [1, 2], "other": [1]})


@pytest.mark.parametrize(("document", "path", "message"), [
    ([{"id": "a", "label": {"es": "a", "en": "a"}, "numerator": "arrivals", "value": 1, "colour": "red"}],
     "thresholds[0].colour", "unknown key"),
    ([{"id": "a", "label": {"es": "a"}, "numerator": "arrivals", "value": 1}], "thresholds[0].label.en",
     "required key is missing"),
    ([{"id": "a", "label": {"es": "a", "en": "a"}, "numerator": "arrivals", "value": 1, "comparison": "=="}],
     "thresholds[0].comparison", "is not one of"),
    ([{"id": "a", "label": {"es": "a", "en": "a"}, "numerator": "occupancy.*", "denominator": "beds",
       "value": 1}], "thresholds[0].denominator", "'.*'"),
    ([{"id": "a", "label": {"es": "a", "en": "a"}, "numerator": "arrivals", "value": 1},
      {"id": "a", "label": {"es": "a", "en": "a"}, "numerator": "arrivals", "value": 2}], "thresholds[1].id",
     "duplicate"),
])
def test_bad_threshold_files_name_the_key(document: list[dict[str, object]], path: str, message: str) -> None:
    with pytest.raises(ThresholdError) as caught:
        load_thresholds(document)
    assert caught.value.path == path
    assert message in str(caught.value)


def test_thresholds_on_simulated_futures() -> None:
    surge: Scenario = load_scenario(bundled_scenarios()["test-small"])
    results = [simulate_replication(surge, 5, r) for r in range(6)]
    crossings = evaluate_thresholds(default_thresholds(), results[0].series)
    assert any(c.threshold_id == "arrivals-above-capacity" for c in crossings)  # the day 20-30 surge
    probabilities = crossing_probabilities(default_thresholds(), results)
    assert probabilities["arrivals-above-capacity"]["probability"] == 1.0
    first = probabilities["arrivals-above-capacity"]["median_first_day"]
    assert first is not None and 20 <= first <= 30
    assert "occupancy-high:family_units" in probabilities
    assert all(0 <= v["probability"] <= 1 for v in probabilities.values())


def test_totals_are_added_from_per_subject_figures() -> None:
    live = {"arrivals.poe-laredo": [50] * 8, "arrivals.poe-hidalgo": [80] * 8,
            "processing_capacity.poe-laredo": [50] * 8, "processing_capacity.poe-hidalgo": [60] * 8}
    crossings = evaluate_thresholds(default_thresholds(), live)
    assert [(c.threshold_id, c.start_day) for c in crossings] == [("arrivals-above-capacity", 6)]  # 130/110
    assert with_totals({"x.a": [1, None], "x.b": [2, 3]})["x"][0] == 3
