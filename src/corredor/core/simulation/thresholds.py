"""Crisis thresholds as data, evaluated on daily series (simulated futures or the live platform's figures).

A threshold compares a windowed figure with a value::

    - id: custody-breaches
      label: {es: "Más del 1 % supera el límite de custodia", en: "Custody breaches above 1%"}
      numerator: "breaches.*"        # a series key; ".*" repeats the threshold for every subject
      denominator: "due.*"           # optional; the same subject is used
      window: {value: 7, unit: days}
      aggregate: sum                 # sum | mean | max over the window (ratios: aggregate(num) / aggregate(den))
      comparison: ">"                # > | >= | < | <=
      value: 0.01
      severity: critical             # warning | critical

Series. `evaluate_thresholds` reads a mapping from series key to one number per day, all of the same length,
day 0 first: exactly `ReplicationResult.series` (keys listed in `results`), so the live platform passes
its own figures under the same keys, for example::

    {"arrivals": [...], "processing_capacity": [...],                  # persons/day, over all ports
     "occupancy.family_units": [...], "beds.family_units": [...],      # end-of-day census and beds
     "breaches.unaccompanied_children": [...], "due.unaccompanied_children": [...]}

Per-port or per-population figures may be given without their total: a missing total key (``arrivals``)
is the sum of its ``arrivals.<subject>`` keys (missing if any of them is). Numbers may be None or NaN where
a figure is missing; a window containing a missing figure is not evaluated. A figure is evaluated on each
day with a full window behind it (day w - 1 onwards). A ratio whose denominator is 0 is 0 when its
numerator is 0 too (nothing due: no breach) and infinite otherwise.
Each maximal run of consecutive days on which the condition holds is one `Crossing`.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from .results import ReplicationResult

FORMAT = "corredor-thresholds/1"
_COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
}


class ThresholdError(ValueError):
    """A threshold file that cannot be used; the message names the key at fault."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


@dataclass(frozen=True)
class Threshold:
    id: str
    label_es: str
    label_en: str
    numerator: str
    value: float
    comparison: str = ">"
    denominator: str | None = None
    window_days: int = 1
    aggregate: str = "sum"
    severity: str = "warning"

    def label(self, language: str = "es") -> str:
        return self.label_en if language == "en" else self.label_es

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "label": {"es": self.label_es, "en": self.label_en},
                               "numerator": self.numerator}
        if self.denominator:
            out["denominator"] = self.denominator
        out.update({"window": {"value": self.window_days, "unit": "days"}, "aggregate": self.aggregate,
                    "comparison": self.comparison, "value": self.value, "severity": self.severity})
        return out


@dataclass(frozen=True)
class Crossing:
    """A run of consecutive days on which a threshold's condition held."""

    threshold_id: str
    subject: str | None  # the population or port for ".*" thresholds
    severity: str
    label_es: str
    label_en: str
    start_day: int
    end_day: int  # inclusive
    peak_day: int
    peak_value: float
    ongoing: bool  # still crossed on the last day of the series
    start_date: date | None = None
    end_date: date | None = None

    @property
    def days(self) -> int:
        return self.end_day - self.start_day + 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold_id, "subject": self.subject, "severity": self.severity,
            "label": {"es": self.label_es, "en": self.label_en}, "start_day": self.start_day,
            "end_day": self.end_day, "days": self.days, "peak_day": self.peak_day,
            "peak_value": None if not np.isfinite(self.peak_value) else self.peak_value, "ongoing": self.ongoing,
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
        }


@cache
def _schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("schema", "thresholds.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def load_thresholds(source: str | Path | Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> tuple[Threshold, ...]:
    """Thresholds from a file path, YAML text, a mapping with a `thresholds` list, or the list itself."""
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source
                                    and source.strip().endswith((".yaml", ".yml", ".json"))):
        try:
            document: Any = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ThresholdError("", f"cannot read threshold file {source}: {exc.strerror or exc}") from exc
    elif isinstance(source, str):
        try:
            document = yaml.safe_load(source)
        except yaml.YAMLError as exc:
            raise ThresholdError("", f"not valid YAML: {exc}") from exc
    else:
        document = source
    if isinstance(document, Sequence) and not isinstance(document, str):
        document = {"thresholds": list(document)}
    if not isinstance(document, Mapping):
        raise ThresholdError("", "expected a mapping with a 'thresholds' list")
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(_schema()).iter_errors(document), key=lambda e: list(map(str, e.path)))
    if errors:
        error = errors[0]
        path = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p))
                       for i, p in enumerate(error.absolute_path))
        if error.validator == "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            raise ThresholdError(f"{path}.{extra[0]}" if path else extra[0], "unknown key")
        if error.validator == "required":
            missing = [k for k in error.validator_value if k not in error.instance]
            raise ThresholdError(f"{path}.{missing[0]}" if path else missing[0], "required key is missing")
        raise ThresholdError(path, error.message)
    thresholds = []
    seen: set[str] = set()
    for i, item in enumerate(document["thresholds"]):
        if item["id"] in seen:
            raise ThresholdError(f"thresholds[{i}].id", f"duplicate id {item['id']!r}")
        seen.add(item["id"])
        window = item.get("window", {"value": 1, "unit": "days"})
        days = window["value"] * (7 if window["unit"] == "weeks" else 1)
        if int(days) != days or days < 1:
            raise ThresholdError(f"thresholds[{i}].window", "must be a whole number of days >= 1")
        numerator, denominator = item["numerator"], item.get("denominator")
        if denominator and numerator.endswith(".*") != denominator.endswith(".*"):
            raise ThresholdError(f"thresholds[{i}].denominator",
                                 "use '.*' in both numerator and denominator, or in neither")
        thresholds.append(Threshold(
            id=item["id"], label_es=item["label"]["es"], label_en=item["label"]["en"], numerator=numerator,
            denominator=denominator, value=float(item["value"]), comparison=item.get("comparison", ">"),
            window_days=int(days), aggregate=item.get("aggregate", "sum"), severity=item.get("severity", "warning"),
        ))
    return tuple(thresholds)


def default_thresholds() -> tuple[Threshold, ...]:
    """The shipped crisis thresholds (`crisis-thresholds.yaml`)."""
    return load_thresholds(resources.files(__package__).joinpath("crisis-thresholds.yaml").read_text(encoding="utf-8"))


def _as_array(values: Sequence[float | None] | np.ndarray) -> np.ndarray:
    if isinstance(values, np.ndarray):
        return values.astype(np.float64)
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def _window(values: np.ndarray, days: int, aggregate: str) -> np.ndarray:
    """Aggregate over the trailing window ending on each day; NaN where the window is not full or has gaps."""
    n = values.size
    out = np.full(n, np.nan)
    if n < days:
        return out
    windows = np.lib.stride_tricks.sliding_window_view(values, days)
    if aggregate == "sum":
        agg = windows.sum(axis=1)
    elif aggregate == "mean":
        agg = windows.mean(axis=1)
    else:
        agg = windows.max(axis=1)
    out[days - 1:] = agg  # any NaN in a window propagates
    return out


def _subjects(threshold: Threshold, series: Mapping[str, Any]) -> list[tuple[str | None, str, str | None]]:
    """(subject, numerator key, denominator key) triples the threshold applies to."""
    if not threshold.numerator.endswith(".*"):
        return [(None, threshold.numerator, threshold.denominator)]
    num_prefix = threshold.numerator[:-1]
    den_prefix = threshold.denominator[:-1] if threshold.denominator else None
    found: list[tuple[str | None, str, str | None]] = []
    for key in sorted(series):
        if key.startswith(num_prefix) and len(key) > len(num_prefix):
            subject = key[len(num_prefix):]
            if den_prefix is None or f"{den_prefix}{subject}" in series:
                found.append((subject, key, f"{den_prefix}{subject}" if den_prefix else None))
    return found


def threshold_values(threshold: Threshold, series: Mapping[str, Any]) -> dict[str | None, np.ndarray]:
    """The windowed figure the threshold compares, per subject and day (NaN where not evaluated)."""
    out: dict[str | None, np.ndarray] = {}
    for subject, num_key, den_key in _subjects(threshold, series):
        if num_key not in series or (den_key is not None and den_key not in series):
            continue
        numerator = _window(_as_array(series[num_key]), threshold.window_days, threshold.aggregate)
        if den_key is None:
            out[subject] = numerator
            continue
        denominator = _window(_as_array(series[den_key]), threshold.window_days, threshold.aggregate)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = numerator / denominator
        ratio[(denominator == 0) & (numerator == 0)] = 0.0
        ratio[(denominator == 0) & (numerator > 0)] = np.inf
        out[subject] = ratio
    return out


def evaluate_thresholds(thresholds: Sequence[Threshold], series: Mapping[str, Any], *,
                        first_date: date | None = None) -> list[Crossing]:
    """Every crossing of every threshold in the series (see the module docstring for the shape).

    Series keys a threshold needs but that are absent are skipped (a live platform may not report them
    all). With `first_date` (the date of day 0), crossings also carry dates.
    """
    lengths = {len(v) for v in series.values()}
    if len(lengths) > 1:
        raise ValueError(f"all series must have the same length (got lengths {sorted(lengths)})")
    series = with_totals(series)
    crossings: list[Crossing] = []
    for threshold in thresholds:
        compare = _COMPARISONS[threshold.comparison]
        for subject, values in threshold_values(threshold, series).items():
            with np.errstate(invalid="ignore"):
                crossed = compare(values, threshold.value) & ~np.isnan(values)
            for start, end in _runs(crossed):
                segment = values[start: end + 1]
                pick = int(np.argmin(segment) if threshold.comparison.startswith("<") else np.argmax(segment))
                crossings.append(Crossing(
                    threshold_id=threshold.id, subject=subject, severity=threshold.severity,
                    label_es=threshold.label_es, label_en=threshold.label_en, start_day=start, end_day=end,
                    peak_day=start + pick, peak_value=float(segment[pick]), ongoing=end == values.size - 1,
                    start_date=first_date + timedelta(days=start) if first_date else None,
                    end_date=first_date + timedelta(days=end) if first_date else None,
                ))
    return crossings


def with_totals(series: Mapping[str, Any]) -> dict[str, Any]:
    """The series plus, for every ``<measure>.<subject>`` family without its ``<measure>`` total, the total."""
    out: dict[str, Any] = dict(series)
    families: dict[str, list[str]] = {}
    for key in series:
        measure, dot, _ = key.partition(".")
        if dot:
            families.setdefault(measure, []).append(key)
    for measure, keys in families.items():
        if measure not in out:
            out[measure] = np.sum([_as_array(series[k]) for k in keys], axis=0)
    return out


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    if flags.size == 0:
        return []
    padded = np.concatenate(([False], flags, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def crossing_probabilities(thresholds: Sequence[Threshold], results: Sequence[ReplicationResult]
                           ) -> dict[str, dict[str, float | int | None]]:
    """Over simulated futures: per threshold (and subject, as ``id:subject``), the share of replications
    in which it is crossed at least once, and the median first day of crossing among those."""
    first_days: dict[str, list[int]] = {}
    keys: list[str] = []
    for threshold in thresholds:
        for subject, _, _ in _subjects(threshold, results[0].series if results else {}):
            key = threshold.id if subject is None else f"{threshold.id}:{subject}"
            keys.append(key)
            first_days[key] = []
    for result in results:
        earliest: dict[str, int] = {}
        for crossing in evaluate_thresholds(thresholds, result.series):
            key = crossing.threshold_id if crossing.subject is None else f"{crossing.threshold_id}:{crossing.subject}"
            earliest[key] = min(earliest.get(key, crossing.start_day), crossing.start_day)
        for key, day in earliest.items():
            first_days.setdefault(key, []).append(day)
    n = len(results)
    return {key: {"probability": len(first_days[key]) / n if n else 0.0,
                  "median_first_day": int(np.median(first_days[key])) if first_days[key] else None}
            for key in keys}

