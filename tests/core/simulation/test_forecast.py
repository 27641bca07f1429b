import numpy as np
import pytest

from corredor.core.simulation.forecast import forecast_daily


def test_flat_poisson_history_forecasts_its_rate_with_an_honest_interval():
    rng = np.random.default_rng(3)
    history = rng.poisson(200, 56)
    f = forecast_daily(history, horizon=14)
    assert np.all(np.abs(f.mean - 200) < 25)
    future = rng.poisson(200, (2000, 14))
    inside = ((future >= f.low) & (future <= f.high)).mean()
    assert 0.8 <= inside <= 0.98  # about 90% of future days fall in the 90% interval


def test_weekly_pattern_and_trend_are_followed():
    days = np.arange(56)
    weekly = np.array([1.3, 1.2, 1.0, 1.0, 0.9, 0.8, 0.8])
    history = (100 + 2 * days) * weekly[days % 7]
    f = forecast_daily(history, horizon=7)
    expected_next = (100 + 2 * 56) * weekly[56 % 7]
    assert abs(f.mean[0] - expected_next) / expected_next < 0.05
    assert f.trend_per_day > 0
    assert np.all(f.low <= f.mean) and np.all(f.mean <= f.high)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="at least 7 days"):
        forecast_daily(np.array([1, 2, 3]))
    with pytest.raises(ValueError, match="horizon"):
        forecast_daily(np.ones(14), horizon=0)
