"""A short-term forecast of daily arrivals with its uncertainty, for the flow diagnosis.

Method (deliberately simple and explainable): a weekly profile (each weekday's mean over the last four
weeks, relative to their overall mean), a level and a damped trend fitted by least squares to the last 28
deseasonalised days, and a 90% interval from the larger of Poisson noise and the fit's own residual spread
(normal approximation). Recent surges therefore widen the interval instead of being smoothed away.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Z90 = 1.6448536269514722  # the 95th percentile of the standard normal: a two-sided 90% interval
SEASON = 7


@dataclass(frozen=True)
class Forecast:
    mean: np.ndarray
    low: np.ndarray  # 5th percentile
    high: np.ndarray  # 95th percentile
    profile: np.ndarray  # weekday factors applied, for the first forecast day onwards
    trend_per_day: float


def forecast_daily(history: np.ndarray, horizon: int = 14, damping: float = 0.9) -> Forecast:
    """Forecast `horizon` days after `history` (counts per day, oldest first; at least one week)."""
    y = np.asarray(history, dtype=np.float64)
    if y.ndim != 1 or len(y) < SEASON:
        raise ValueError("history needs at least 7 days")
    if horizon < 1:
        raise ValueError("horizon must be at least 1 day")
    recent = y[-28:]
    n = len(recent)
    weekday = (np.arange(len(y)) % SEASON)[-n:]
    overall = recent.mean()
    profile = np.ones(SEASON)
    if overall > 0:
        for d in range(SEASON):
            sel = recent[weekday == d]
            if len(sel):
                profile[d] = sel.mean() / overall
        profile = np.where(profile > 0, profile, 1.0)
    deseasonalised = recent / profile[weekday]
    t = np.arange(n, dtype=np.float64)
    if n >= 2:
        slope, intercept = np.polyfit(t, deseasonalised, 1)
    else:
        slope, intercept = 0.0, float(deseasonalised[0])
    residual_sd = float(np.std(deseasonalised - (intercept + slope * t), ddof=min(1, n - 1))) if n > 2 else 0.0
    steps = np.arange(1, horizon + 1, dtype=np.float64)
    damped = np.cumsum(damping ** steps)  # the trend fades out instead of running away
    level = intercept + slope * (n - 1)
    future_weekday = (len(y) + np.arange(horizon)) % SEASON
    mean = np.maximum((level + slope * damped) * profile[future_weekday], 0.0)
    spread = np.sqrt(np.maximum(mean, residual_sd**2 * profile[future_weekday] ** 2))
    low = np.maximum(mean - Z90 * spread, 0.0)
    high = mean + Z90 * spread
    return Forecast(mean, low, high, profile[future_weekday], float(slope))
