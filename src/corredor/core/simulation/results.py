"""What a simulation reports: daily series and scalar metrics per replication, and their summary.

Series. A replication's `series` maps a key to one number per day (index 0 = day 0). The same shape is what
`thresholds.evaluate_thresholds` reads, so the live platform can pass its own daily figures under the same
keys. Keys are ``<measure>.<port code>`` or ``<measure>.<population>`` plus the total ``<measure>``:

=========================  ==========================================================================
key                        meaning (per day)
=========================  ==========================================================================
arrivals[.port]            new arrivals joining the waiting list (persons)
processing_capacity[.port] persons the port can process that day
processed[.port]           persons processed at the port (entering federal custody)
port_queue[.port]          persons waiting for an appointment at the end of the day
custody_starts[.pop]       persons entering custody (= processed, by population)
port_custody[.pop]         persons in port custody waiting for a reception bed, end of day
occupancy[.pop]            reception beds occupied at the end of the day (midnight census)
beds[.pop]                 reception beds available
in_custody[.pop]           port custody + reception, end of day
released[.pop]             released to case management that day
placed[.pop]               placed with ORR that day (unaccompanied children only)
returned[.pop]             returned that day
due[.pop]                  persons whose custody limit fell that day (their breach status is known)
breaches[.pop]             of those, persons still in custody at their limit
orr_capacity               ORR placement slots per day
in_system                  port_queue + in_custody
=========================  ==========================================================================

A person's custody limit "falls" on the day of custody start + limit; breach shares are breaches / due over
the days considered, so people whose limit lies past the horizon are not counted either way.

Metrics are flat dotted keys with a number or None; see `measure` for the list. Over replications,
`summarise` gives each series its mean and 5th-95th percentile band per day and each metric its mean,
median and 90% interval. Everything converts to JSON with `to_dict` (daily series and aggregates, never
per-person data) and back with `from_dict`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _kernels

if TYPE_CHECKING:
    from .engine import CustodyOutcome, Persons, PortOutcome, Trace
    from .scenario import Scenario

CUSTODY_BINS_HOURS: tuple[float, ...] = (0, 12, 24, 36, 48, 60, 72, 96, 120, 168, 240, math.inf)
BANDED_MEASURES = frozenset({"port_queue", "port_custody", "occupancy", "in_custody", "in_system", "breaches"})
OCCUPANCY_ALERT_SHARE = 0.9
_WAIT_BINS_PER_DAY = 20  # waiting-days quantiles to 0.05 day
_CUSTODY_BINS_PER_HOUR = 4  # custody-hours quantiles to 0.25 hour
EXIT_NONE, EXIT_RELEASED, EXIT_PLACED, EXIT_RETURNED = 0, 1, 2, 3  # exit kinds (engine.EXIT_*)


def _histogram_quantile(counts: np.ndarray, q: float, per_unit: int) -> float | None:
    """The q-quantile from a histogram of 1/per_unit-wide bins (bin midpoint: within half a bin)."""
    total = counts.sum()
    if total == 0:
        return None
    index = int(np.searchsorted(np.cumsum(counts), q * total, side="left"))
    return (index + 0.5) / per_unit


def _distribution_metrics(prefix: str, histogram: np.ndarray, total: float, largest: float, count: int,
                          per_unit: int, suffix: str = "") -> dict[str, float | None]:
    tail = f".{suffix}" if suffix else ""
    if count == 0:
        return {f"{prefix}.mean{tail}": None, f"{prefix}.p50{tail}": None, f"{prefix}.p90{tail}": None,
                f"{prefix}.max{tail}": None}
    return {
        f"{prefix}.mean{tail}": total / count,
        f"{prefix}.p50{tail}": _histogram_quantile(histogram, 0.5, per_unit),
        f"{prefix}.p90{tail}": _histogram_quantile(histogram, 0.9, per_unit),
        f"{prefix}.max{tail}": largest,
    }


def _share(count: float, total: float) -> float:
    return float(count / total) if total > 0 else 0.0


@dataclass
class ReplicationResult:
    scenario_name: str
    horizon_days: int
    port_codes: tuple[str, ...]
    population_codes: tuple[str, ...]
    series: dict[str, np.ndarray]
    metrics: dict[str, float | None]
    histograms: dict[str, list[int]]  # custody hours per population, bins CUSTODY_BINS_HOURS
    trace: Trace | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario_name,
            "horizon_days": self.horizon_days,
            "ports": list(self.port_codes),
            "populations": list(self.population_codes),
            "series": {k: v.tolist() for k, v in self.series.items()},
            "metrics": dict(self.metrics),
            "histograms": {k: list(v) for k, v in self.histograms.items()},
            "custody_bins_hours": _bins_json(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReplicationResult:
        return cls(
            scenario_name=data["scenario"], horizon_days=int(data["horizon_days"]),
            port_codes=tuple(data["ports"]), population_codes=tuple(data["populations"]),
            series={k: np.asarray(v) for k, v in data["series"].items()},
            metrics=dict(data["metrics"]), histograms={k: list(v) for k, v in data["histograms"].items()},
        )


def _bins_json() -> list[float | None]:
    return [None if math.isinf(b) else b for b in CUSTODY_BINS_HOURS]


def measure(scenario: Scenario, persons: Persons, ports: PortOutcome, custody: Sequence[CustodyOutcome]
            ) -> ReplicationResult:
    """Daily series and metrics of one replication from its per-person outcome arrays."""
    days = scenario.horizon_days
    codes = scenario.port_codes
    series: dict[str, np.ndarray] = {}
    metrics: dict[str, float | None] = {}
    histograms: dict[str, list[int]] = {}

    for p, code in enumerate(codes):
        series[f"arrivals.{code}"] = persons.daily_arrivals[p].astype(np.int64)
        series[f"processing_capacity.{code}"] = ports.capacity[p].astype(np.int64)
        series[f"processed.{code}"] = ports.processed[p].astype(np.int64)
        series[f"port_queue.{code}"] = ports.queue_end[p].astype(np.int64)
    for measure_name in ("arrivals", "processing_capacity", "processed", "port_queue"):
        series[measure_name] = sum((series[f"{measure_name}.{c}"] for c in codes), np.zeros(days, np.int64))

    # waiting for an appointment (new arrivals only: the backlog's waiting began before day 0)
    wait_hist, wait_sums, wait_counts, wait_max, open_sums, open_counts = _kernels.waiting_tally(
        ports.custody_start, persons.arrival_hours, persons.eligible_day, persons.port_offsets, persons.backlog, days,
        _WAIT_BINS_PER_DAY)
    metrics.update(_distribution_metrics("waiting_days", wait_hist, float(wait_sums.sum()), wait_max,
                                         int(wait_counts.sum()), _WAIT_BINS_PER_DAY))
    for p, code in enumerate(codes):
        metrics[f"waiting_days.mean.{code}"] = float(wait_sums[p] / wait_counts[p]) if wait_counts[p] else None
        metrics[f"waiting_days.mean_with_unserved.{code}"] = (
            float(open_sums[p] / open_counts[p]) if open_counts[p] else None)
        metrics[f"queue.mean.{code}"] = float(ports.queue_end[p].mean())
    metrics["queue.mean"] = float(series["port_queue"].mean())
    metrics["queue.peak"] = float(series["port_queue"].max())
    for p, code in enumerate(codes):
        metrics[f"backlog.days_to_clear.{code}"] = _opt(ports.days_to_clear[p])
        metrics[f"backlog.days_to_process.{code}"] = _opt(ports.days_to_process[p])
    for key, values in (("days_to_clear", ports.days_to_clear), ("days_to_process", ports.days_to_process)):
        known = [v for v in values if v is not None]
        metrics[f"backlog.{key}"] = None if len(known) < len(values) else float(max(known, default=0))

    nat_codes = [c for c, _ in scenario.arrivals.nationality_shares]
    vul_codes = [c for c, _ in scenario.arrivals.vulnerability_shares]
    breach_by_nat = np.zeros(len(nat_codes), np.int64)
    due_by_nat = np.zeros(len(nat_codes), np.int64)
    breach_by_vul = np.zeros(len(vul_codes), np.int64)
    due_by_vul = np.zeros(len(vul_codes), np.int64)
    all_hours = np.zeros(0, np.int64)
    all_sum, all_max, all_left = 0.0, 0.0, 0
    occupied_nights = 0.0
    coarse_edges = np.array([int(b * _CUSTODY_BINS_PER_HOUR) for b in CUSTODY_BINS_HOURS[:-1]])

    for c in custody:
        g = c.population
        (starts, entries, exits, due, breaches, hours_hist, hours_sum, hours_max, left, wait_sum, entered, waited,
         b_nat, d_nat, b_vul, d_vul) = _kernels.custody_tally(
            c.persons, c.start, c.entry, c.leave, c.deadline, c.exit_kind, persons.nationality,
            persons.vulnerability, len(nat_codes), len(vul_codes), days, _CUSTODY_BINS_PER_HOUR)
        n_exits = exits.sum(axis=0)
        series[f"custody_starts.{g}"] = starts
        series[f"port_custody.{g}"] = np.cumsum(starts) - np.cumsum(entries)
        series[f"occupancy.{g}"] = np.cumsum(entries) - np.cumsum(n_exits)
        series[f"beds.{g}"] = np.full(days, c.beds, np.int64)
        series[f"in_custody.{g}"] = series[f"port_custody.{g}"] + series[f"occupancy.{g}"]
        series[f"released.{g}"] = exits[EXIT_RELEASED]
        series[f"returned.{g}"] = exits[EXIT_RETURNED]
        if g == "unaccompanied_children":
            series[f"placed.{g}"] = exits[EXIT_PLACED]
        series[f"due.{g}"] = due
        series[f"breaches.{g}"] = breaches
        n_due, n_breach = int(due.sum()), int(breaches.sum())
        metrics[f"breaches.count.{g}"] = float(n_breach)
        metrics[f"breaches.due.{g}"] = float(n_due)
        metrics[f"breaches.share.{g}"] = _share(n_breach, n_due)
        breach_by_nat += b_nat
        due_by_nat += d_nat
        breach_by_vul += b_vul
        due_by_vul += d_vul

        metrics.update(_distribution_metrics("custody_hours", hours_hist, hours_sum, hours_max, left,
                                             _CUSTODY_BINS_PER_HOUR, g))
        all_hours = hours_hist if all_hours.size == 0 else all_hours + hours_hist
        all_sum += hours_sum
        all_max = max(all_max, hours_max)
        all_left += left
        padded = np.zeros(max(hours_hist.size, int(coarse_edges[-1]) + 1), np.int64)
        padded[: hours_hist.size] = hours_hist
        histograms[g] = np.add.reduceat(padded, coarse_edges).astype(int).tolist()
        metrics[f"bed_wait_hours.mean.{g}"] = wait_sum / entered if entered else None
        metrics[f"bed_wait.share.{g}"] = _share(waited, entered)
        occupancy = series[f"occupancy.{g}"]
        occupied_nights += float(occupancy.sum())
        if c.beds > 0:
            metrics[f"occupancy.mean_share.{g}"] = float(occupancy.mean() / c.beds)
            metrics[f"occupancy.peak_share.{g}"] = float(occupancy.max() / c.beds)
            metrics[f"occupancy.days_above_90pct.{g}"] = float((occupancy > OCCUPANCY_ALERT_SHARE * c.beds).sum())
        else:
            for key in ("mean_share", "peak_share", "days_above_90pct"):
                metrics[f"occupancy.{key}.{g}"] = None

    pops = [c.population for c in custody]
    for measure_name in ("custody_starts", "port_custody", "occupancy", "beds", "in_custody", "released",
                         "returned", "due", "breaches"):
        series[measure_name] = sum((series[f"{measure_name}.{g}"] for g in pops), np.zeros(days, np.int64))
    series["placed"] = series.get("placed.unaccompanied_children", np.zeros(days, np.int64))
    series["orr_capacity"] = np.full(days, scenario.orr_placements_per_day, np.int64)
    series["in_system"] = series["port_queue"] + series["in_custody"]

    total_due = sum(metrics[f"breaches.due.{g}"] or 0.0 for g in pops)
    total_breach = sum(metrics[f"breaches.count.{g}"] or 0.0 for g in pops)
    metrics["breaches.count"] = total_breach
    metrics["breaches.due"] = total_due
    metrics["breaches.share"] = _share(total_breach, total_due)
    for i, code in enumerate(nat_codes):
        metrics[f"breaches.count.nationality.{code}"] = float(breach_by_nat[i])
        metrics[f"breaches.share.nationality.{code}"] = _share(breach_by_nat[i], due_by_nat[i])
    for i, code in enumerate(vul_codes):
        metrics[f"breaches.count.vulnerability.{code}"] = float(breach_by_vul[i])
        metrics[f"breaches.share.vulnerability.{code}"] = _share(breach_by_vul[i], due_by_vul[i])
    metrics.update(_distribution_metrics("custody_hours", all_hours, all_sum, all_max, all_left,
                                         _CUSTODY_BINS_PER_HOUR))

    placed = float(series["placed"].sum())
    metrics["orr.placements"] = placed
    slots = scenario.orr_placements_per_day * days
    metrics["orr.slot_use_share"] = _share(placed, slots)

    officer_days = float(sum(p.officers for p in scenario.ports) * days)
    bed_nights = float(sum(pop.beds for pop in scenario.populations) * days)
    orr_days = float(scenario.orr_placements_per_day * days)
    costs = scenario.costs
    metrics.update({
        "cost.officer_days": officer_days,
        "cost.bed_nights": bed_nights,
        "cost.bed_nights_occupied": occupied_nights,
        "cost.orr_placement_days": orr_days,
        "cost.usd.officers": officer_days * costs.officer_day,
        "cost.usd.beds": bed_nights * costs.bed_night,
        "cost.usd.orr": orr_days * costs.orr_placement_day,
    })
    metrics["cost.usd.total"] = (metrics["cost.usd.officers"] or 0.0) + (metrics["cost.usd.beds"] or 0.0) + (
        metrics["cost.usd.orr"] or 0.0)

    metrics.update({
        "flow.initial_backlog": float(persons.backlog.sum()),
        "flow.arrivals": float(series["arrivals"].sum()),
        "flow.processed": float(series["processed"].sum()),
        "flow.released": float(series["released"].sum()),
        "flow.placed": placed,
        "flow.returned": float(series["returned"].sum()),
        "flow.waiting_end": float(series["port_queue"][-1]),
        "flow.port_custody_end": float(series["port_custody"][-1]),
        "flow.in_reception_end": float(series["occupancy"][-1]),
        "flow.in_system_end": float(series["in_system"][-1]),
    })
    return ReplicationResult(scenario.name, days, codes, tuple(pops), series, metrics, histograms)


def _opt(value: int | None) -> float | None:
    return None if value is None else float(value)


# --------------------------------------------------------------------------------------------------
# Over replications


def _round(values: np.ndarray, digits: int = 2) -> list[float]:
    return [float(v) for v in np.round(values, digits)]


@dataclass
class Summary:
    """Mean and 90% interval (5th to 95th percentile) over replications."""

    scenario_name: str
    horizon_days: int
    replications: int
    port_codes: tuple[str, ...]
    population_codes: tuple[str, ...]
    series: dict[str, dict[str, list[float]]]  # key -> {"mean": [...]} and, for levels, "p5" and "p95"
    metrics: dict[str, dict[str, float | None]]  # key -> {"mean", "p5", "p50", "p90", "p95", "missing"}
    histograms: dict[str, list[float]]  # mean custody-hours histogram per population
    seed: int | None = None

    def metric(self, key: str, stat: str = "mean") -> float | None:
        return self.metrics[key][stat]

    def band(self, key: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(mean, p5, p95) of a series as arrays; p5 and p95 equal the mean for unbanded series."""
        entry = self.series[key]
        mean = np.asarray(entry["mean"])
        return mean, np.asarray(entry.get("p5", mean)), np.asarray(entry.get("p95", mean))

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario_name,
            "horizon_days": self.horizon_days,
            "replications": self.replications,
            "seed": self.seed,
            "ports": list(self.port_codes),
            "populations": list(self.population_codes),
            "series": self.series,
            "metrics": self.metrics,
            "histograms": self.histograms,
            "custody_bins_hours": _bins_json(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Summary:
        return cls(
            scenario_name=data["scenario"], horizon_days=int(data["horizon_days"]),
            replications=int(data["replications"]), port_codes=tuple(data["ports"]),
            population_codes=tuple(data["populations"]), series=dict(data["series"]),
            metrics=dict(data["metrics"]), histograms=dict(data["histograms"]), seed=data.get("seed"),
        )


def metric_stats(values: Iterable[float | None]) -> dict[str, float | None]:
    """Mean, 5th/50th/90th/95th percentiles of the values present, and the share missing (None)."""
    listed = list(values)
    present = np.array([v for v in listed if v is not None and math.isfinite(v)], dtype=np.float64)
    missing = _share(len(listed) - present.size, len(listed))
    if present.size == 0:
        return {"mean": None, "p5": None, "p50": None, "p90": None, "p95": None, "missing": missing}
    p5, p50, p90, p95 = np.percentile(present, [5, 50, 90, 95])
    return {"mean": float(present.mean()), "p5": float(p5), "p50": float(p50), "p90": float(p90),
            "p95": float(p95), "missing": missing}


def summarise(results: Sequence[ReplicationResult], seed: int | None = None) -> Summary:
    """Aggregate replications of one scenario."""
    if not results:
        raise ValueError("no replications to summarise")
    first = results[0]
    series: dict[str, dict[str, list[float]]] = {}
    for key in first.series:
        stacked = np.stack([r.series[key] for r in results]).astype(np.float64)
        entry = {"mean": _round(stacked.mean(axis=0))}
        if key.split(".")[0] in BANDED_MEASURES:
            p5, p95 = np.percentile(stacked, [5, 95], axis=0)
            entry["p5"] = _round(p5)
            entry["p95"] = _round(p95)
        series[key] = entry
    metrics = {key: metric_stats(r.metrics.get(key) for r in results) for key in first.metrics}
    histograms = {g: _round(np.mean([r.histograms[g] for r in results], axis=0)) for g in first.histograms}
    return Summary(first.scenario_name, first.horizon_days, len(results), first.port_codes,
                   first.population_codes, series, metrics, histograms, seed)
