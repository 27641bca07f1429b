"""Scenario files: the parameters of a capacity and crisis simulation, with units and sources.

A scenario is YAML (or JSON, or an already-parsed mapping). Its structure is fixed by
`schema/scenario.schema.json`; `load_scenario` checks it against that schema, then checks every unit and
value, and returns frozen dataclasses in canonical units. Every problem is reported with the dotted path of
the key at fault, e.g. ``ports[2].officers: must be >= 0``.

Quantities. Every number in the file carries its unit, in one of two spellings::

    appointment_capacity: {value: 190, unit: persons/day, source: "CBP release, 30 Jun 2023"}
    appointment_capacity: "190 persons/day"

A bare number is an error ("missing unit"). Vector quantities use a list value:
``weekly_pattern: {value: [1, 1, 1, 1, 1, 0.9, 0.8], unit: factor}``. ``source`` and ``note`` are free text
kept with the scenario (and written back by `dump_scenario`). Accepted units, with the canonical one first:

==================  =============================================================================
dimension           units
==================  =============================================================================
duration            h, hours, min, minutes, days, d
calendar length     days, d, weeks
arrival rate        persons/day, persons/week, persons/month (x 12/365), persons/year (/ 365)
count               persons; officers; beds
officer throughput  persons/officer/day, interviews/officer/day
placement capacity  placements/day, placements/week
share               share, fraction, % (/ 100)
multiplier          factor, x
growth              share/year, %/year
clock               hour-of-day (0 to 24); day-of-year (1 to 366)
money               USD/officer-day, USD/bed-night, USD/placement-day
==================  =============================================================================

Distributions (durations) name their family and give parameters as duration quantities:
``{distribution: lognormal, mean: {value: 6, unit: h}, sd: {value: 3, unit: h}}``. Families: fixed (value),
exponential (mean), lognormal (mean, sd), gamma (mean, sd), uniform (low, high), triangular (low, mode, high).
Lognormal and gamma are given by their mean and standard deviation, not by their internal parameters.

Canonical units inside the dataclasses: hours for durations, days for calendar lengths, persons per day
for rates, fractions for shares, USD for costs. `dump_scenario` writes every quantity in its canonical
unit, so ``load_scenario(dump_scenario(s)) == s``.

Shares that must add up to 1 (a composition, the ports' arrival shares) may be off by up to 0.001 from
rounding; they are rescaled to add up to exactly 1.

Populations are fixed by the model: single adult men, single adult women, family units (counted in
persons) and unaccompanied children. Nationality and vulnerability compositions are open lists of codes
(ISO 3166-1 alpha-2 codes, quoted in YAML so that ``NO`` stays a string; vulnerability codes from the
registry vocabulary or ``none``): they are carried as attributes of each simulated person for breakdowns.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from corredor.core.registry.vocab import Vulnerability

FORMAT = "corredor-scenario/1"

SINGLE_ADULT_MEN = "single_adult_men"
SINGLE_ADULT_WOMEN = "single_adult_women"
FAMILY_UNITS = "family_units"
UNACCOMPANIED_CHILDREN = "unaccompanied_children"
POPULATIONS: tuple[str, ...] = (SINGLE_ADULT_MEN, SINGLE_ADULT_WOMEN, FAMILY_UNITS, UNACCOMPANIED_CHILDREN)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DISTRIBUTIONS = ("fixed", "exponential", "lognormal", "gamma", "uniform", "triangular")
SHARE_TOLERANCE = 1e-3  # shares written with rounding are accepted and rescaled to add up to exactly 1
VULNERABILITY_CODES = frozenset({"none", *(v.value for v in Vulnerability)})

# dimension -> {unit: factor to the canonical unit}; the first unit listed is the canonical one.
UNITS: dict[str, dict[str, float]] = {
    "duration": {"h": 1.0, "hours": 1.0, "min": 1 / 60, "minutes": 1 / 60, "days": 24.0, "d": 24.0},
    "days": {"days": 1.0, "d": 1.0, "weeks": 7.0},
    "rate": {"persons/day": 1.0, "persons/week": 1 / 7, "persons/month": 12 / 365, "persons/year": 1 / 365},
    "persons": {"persons": 1.0},
    "officers": {"officers": 1.0},
    "beds": {"beds": 1.0},
    "throughput": {"persons/officer/day": 1.0, "interviews/officer/day": 1.0},
    "placements": {"placements/day": 1.0, "placements/week": 1 / 7},
    "share": {"share": 1.0, "fraction": 1.0, "%": 0.01},
    "factor": {"factor": 1.0, "x": 1.0},
    "growth": {"share/year": 1.0, "%/year": 0.01},
    "hour_of_day": {"hour-of-day": 1.0},
    "day_of_year": {"day-of-year": 1.0},
    "usd_officer_day": {"USD/officer-day": 1.0},
    "usd_bed_night": {"USD/bed-night": 1.0},
    "usd_placement_day": {"USD/placement-day": 1.0},
}


def canonical_unit(dimension: str) -> str:
    return next(iter(UNITS[dimension]))


class ScenarioError(ValueError):
    """A scenario file that cannot be used. `problems` lists (dotted key path, message), path-sorted."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems: list[tuple[str, str]] = list(problems)
        super().__init__("; ".join(f"{path}: {message}" if path else message for path, message in self.problems))

    @property
    def path(self) -> str:
        return self.problems[0][0] if self.problems else ""


# --------------------------------------------------------------------------------------------------
# The dataclasses (canonical units)


@dataclass(frozen=True)
class Distribution:
    """A distribution of durations in hours. Only the parameters its family uses are meaningful."""

    kind: str
    value: float = 0.0
    mean: float = 0.0
    sd: float = 0.0
    low: float = 0.0
    mode: float = 0.0
    high: float = 0.0

    @property
    def expected(self) -> float:
        """The mean duration in hours."""
        match self.kind:
            case "fixed":
                return self.value
            case "uniform":
                return (self.low + self.high) / 2
            case "triangular":
                return (self.low + self.mode + self.high) / 3
            case _:
                return self.mean

    def to_dict(self) -> dict[str, Any]:
        """The file form, e.g. for `with_changes`: ``{"distribution": "lognormal", "mean": ..., "sd": ...}``."""
        return _dist(self, "", {})

    def kernel_code(self) -> tuple[int, float, float, float]:
        """(family code, a, b, c) as the engine's compiled sampler reads them (see `_kernels._duration`)."""
        match self.kind:
            case "fixed":
                return 0, self.value, 0.0, 0.0
            case "exponential":
                return 1, self.mean, 0.0, 0.0
            case "lognormal":
                if self.sd == 0:
                    return 0, self.mean, 0.0, 0.0
                sigma2 = math.log1p((self.sd / self.mean) ** 2)
                return 2, math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2), 0.0
            case "gamma":
                return 3, (self.mean / self.sd) ** 2, self.sd**2 / self.mean, 0.0
            case "uniform":
                return 4, self.low, self.high, 0.0
            case "triangular":
                return 5, self.low, self.mode, self.high
        raise ValueError(self.kind)  # pragma: no cover - kinds are checked on load

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """n independent durations (hours, float64) drawn from `rng`."""
        match self.kind:
            case "fixed":
                return np.full(n, self.value)
            case "exponential":
                return rng.exponential(self.mean, n) if self.mean > 0 else np.zeros(n)
            case "lognormal":
                if self.sd == 0:
                    return np.full(n, self.mean)
                sigma2 = math.log1p((self.sd / self.mean) ** 2)
                return rng.lognormal(math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2), n)
            case "gamma":
                return rng.gamma((self.mean / self.sd) ** 2, self.sd**2 / self.mean, n)
            case "uniform":
                return rng.uniform(self.low, self.high, n)
            case "triangular":
                if self.low == self.high:
                    return np.full(n, self.low)
                return rng.triangular(self.low, self.mode, self.high, n)
        raise ValueError(self.kind)  # pragma: no cover - kinds are checked on load


ZERO_HOURS = Distribution("fixed", value=0.0)


def fit_distribution(hours: Sequence[float] | np.ndarray, kind: str = "lognormal") -> Distribution:
    """A duration distribution fitted to observed durations (hours) by their mean and standard deviation.

    For scenarios built from the platform's own records (observed screening, sponsor or placement delays):
    lognormal and gamma match mean and sd; exponential matches the mean; no spread gives `fixed`.
    """
    values = np.asarray(hours, dtype=np.float64)
    values = values[np.isfinite(values)]
    if values.size == 0:
        raise ValueError("no observed durations to fit")
    if (values < 0).any():
        raise ValueError("durations cannot be negative")
    mean = float(values.mean())
    sd = float(values.std(ddof=1)) if values.size > 1 else 0.0
    if kind not in ("lognormal", "gamma", "exponential"):
        raise ValueError(f"cannot fit a {kind} distribution (use lognormal, gamma or exponential)")
    if mean == 0 or sd == 0:
        return Distribution("fixed", value=mean)
    if kind == "exponential":
        return Distribution("exponential", mean=mean)
    return Distribution(kind, mean=mean, sd=sd)


@dataclass(frozen=True)
class Surge:
    """Arrivals multiplied by `multiplier` on days start_day <= day < end_day (day 0 is the first)."""

    start_day: float
    end_day: float
    multiplier: float
    label: str = ""


@dataclass(frozen=True)
class Arrivals:
    process: str  # "poisson" (random daily counts) or "fixed" (expected counts, rounded with carry)
    daily_rate: float  # persons/day across all ports, before trend, seasonality and surges
    population_shares: tuple[float, ...]  # in POPULATIONS order
    trend_per_year: float = 0.0  # compound growth per 365 days
    weekly_pattern: tuple[float, ...] = (1.0,) * 7  # multipliers, Monday first
    annual_amplitude: float = 0.0  # rate x (1 + amplitude x cos(2 pi (day_of_year - peak_day) / 365))
    annual_peak_day: float = 1.0
    surges: tuple[Surge, ...] = ()
    nationality_shares: tuple[tuple[str, float], ...] = (("unknown", 1.0),)
    vulnerability_shares: tuple[tuple[str, float], ...] = (("none", 1.0),)


@dataclass(frozen=True)
class Port:
    code: str
    arrival_share: float
    appointment_capacity: int  # persons/day
    officers: int
    interviews_per_officer: float  # persons/officer/day
    name: str = ""
    initial_backlog: int = 0  # persons already waiting on day 0, first in line
    arrival_counts: tuple[int, ...] | None = None  # given counts for the first days, replacing the rate model

    @property
    def daily_capacity(self) -> int:
        """Persons processed per day: min(appointment capacity, officers x interviews per officer)."""
        return min(self.appointment_capacity, math.floor(self.officers * self.interviews_per_officer + 1e-9))


@dataclass(frozen=True)
class PortProcessing:
    mode: str = "daily"  # "daily": appointments by day; "pass_through": custody starts on arrival (checks)
    min_wait_days: int = 1  # an arrival on day d is first eligible on day d + min_wait_days
    opening_hour: float = 8.0
    service_hours: float = 12.0  # the day's appointments are spread evenly over this window


@dataclass(frozen=True)
class Population:
    code: str
    beds: int
    custody_limit_hours: float
    screening: Distribution
    legal_orientation: Distribution
    release_planning: Distribution
    sponsor_delay: Distribution | None  # adults and families only; children leave through ORR
    return_share: float = 0.0
    return_delay: Distribution = ZERO_HOURS

    @property
    def is_children(self) -> bool:
        return self.code == UNACCOMPANIED_CHILDREN


@dataclass(frozen=True)
class Costs:
    officer_day: float  # USD per officer per day
    bed_night: float  # USD per reception bed per night
    orr_placement_day: float  # USD per unit of daily ORR placement capacity per day


@dataclass(frozen=True)
class Scenario:
    name: str
    horizon_days: int
    arrivals: Arrivals
    ports: tuple[Port, ...]
    port_processing: PortProcessing
    populations: tuple[Population, ...]  # in POPULATIONS order
    orr_placements_per_day: int
    costs: Costs
    description: str = ""
    start_weekday: int = 0  # 0 = Monday
    start_day_of_year: int = 1
    seed: int | None = None
    sources: tuple[tuple[str, str], ...] = field(default=(), compare=False)  # (dotted path, source text)

    @property
    def port_codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.ports)

    def port(self, code: str) -> Port:
        for p in self.ports:
            if p.code == code:
                return p
        raise KeyError(code)

    def population(self, code: str) -> Population:
        return self.populations[POPULATIONS.index(code)]


# --------------------------------------------------------------------------------------------------
# Loading


@cache
def scenario_schema() -> dict[str, Any]:
    """The JSON schema of scenario files (draft 2020-12)."""
    text = resources.files(__package__).joinpath("schema", "scenario.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def bundled_scenarios() -> dict[str, Path]:
    """The scenario files shipped with the package, by name (file stem)."""
    folder = resources.files(__package__).joinpath("scenarios")
    return {Path(str(f)).stem: Path(str(f)) for f in folder.iterdir() if str(f).endswith(".yaml")}


def load_scenario(source: str | Path | Mapping[str, Any]) -> Scenario:
    """Read and check a scenario: a path, YAML/JSON text, or a parsed mapping. Raises `ScenarioError`.

    A `str` is read as YAML text when it contains a line break or does not end in .yaml/.yml/.json;
    otherwise it is a path.
    """
    if isinstance(source, Mapping):
        document: Any = source
    else:
        if isinstance(source, Path) or (
            "\n" not in source and source.strip().lower().endswith((".yaml", ".yml", ".json"))
        ):
            path = Path(source)
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise ScenarioError([("", f"cannot read scenario file {path}: {exc.strerror or exc}")]) from exc
        else:
            text = str(source)
        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ScenarioError([("", f"not valid YAML: {exc}")]) from exc
    if not isinstance(document, Mapping):
        raise ScenarioError([("", "a scenario must be a mapping of keys to values")])
    _check_structure(document)
    reader = _Reader()
    scenario = reader.scenario(document)
    if reader.problems:
        raise ScenarioError(sorted(set(reader.problems), key=_path_sort_key))
    assert scenario is not None
    return scenario


_TYPE_WORDS = {"object": "a mapping", "array": "a list", "string": "a text", "number": "a number",
               "integer": "a whole number", "boolean": "true or false"}


def _format_path(parts: Sequence[Any]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _path_sort_key(problem: tuple[str, str]) -> tuple[list[Any], str]:
    parts: list[Any] = []
    for token in re.split(r"[.\[\]]+", problem[0]):
        if token:
            parts.append((0, int(token), "") if token.isdigit() else (1, 0, token))
    return parts, problem[1]


def _check_structure(document: Mapping[str, Any]) -> None:
    from jsonschema import Draft202012Validator  # imported here: only loading needs it

    for path, key in _non_text_keys(document, ""):
        raise ScenarioError([(_join(path, key), "keys must be text (quote codes such as 'NO' or 'ON' in YAML)")])
    validator = Draft202012Validator(scenario_schema())
    problems: list[tuple[str, str]] = []
    for error in validator.iter_errors(document):
        problems.extend(_describe(error))
    if problems:
        raise ScenarioError(sorted(set(problems), key=_path_sort_key))


def _non_text_keys(node: Any, path: str) -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    if isinstance(node, Mapping):
        for key, value in node.items():
            if not isinstance(key, str):
                found.append((path, key))
            else:
                found.extend(_non_text_keys(value, _join(path, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.extend(_non_text_keys(value, f"{path}[{i}]"))
    return found


def _describe(error: Any) -> list[tuple[str, str]]:
    """Turn one jsonschema error into (path, message) pairs that name the key."""
    path = _format_path(list(error.absolute_path))
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    instance = error.instance
    match error.validator:
        case "additionalProperties":
            allowed = sorted(schema.get("properties", {}))
            extras = sorted(k for k in instance if k not in schema.get("properties", {}))
            hint = f" (allowed: {', '.join(allowed)})" if allowed else ""
            return [(_join(path, k), f"unknown key{hint}") for k in extras]
        case "required":
            return [(_join(path, k), "required key is missing") for k in error.validator_value if k not in instance]
        case "type":
            if schema.get("title") == "quantity" and isinstance(instance, int | float) and not isinstance(
                instance, bool
            ):
                return [(path, f"missing unit: write {{value: {instance}, unit: ...}} or '{instance} <unit>'")]
            if schema.get("title") == "quantity":
                return [(path, "must be a quantity: {value: <number>, unit: <unit>} or '<number> <unit>'")]
            if schema.get("title") == "distribution":
                return [(path, "must be a distribution: {distribution: <family>, <parameters>...}")]
            wanted = error.validator_value
            names = [str(t) for t in (wanted if isinstance(wanted, list) else [wanted])]
            words = " or ".join(_TYPE_WORDS.get(t, t) for t in names)
            return [(path, f"must be {words}")]
        case "pattern":
            if schema.get("title") == "quantity":
                return [(path, f"not a quantity: expected '<number> <unit>', got {instance!r}")]
            return [(path, f"{instance!r} does not match the pattern {error.validator_value}")]
        case "enum":
            return [(path, f"must be one of: {', '.join(map(str, error.validator_value))} (got {instance!r})")]
        case "const":
            return [(path, f"must be {error.validator_value!r}")]
        case "minItems":
            return [(path, f"needs at least {error.validator_value} item(s)")]
        case "maxItems":
            return [(path, f"allows at most {error.validator_value} items")]
        case "minProperties":
            return [(path, "needs at least one entry")]
        case "minLength":
            return [(path, "must not be empty")]
        case "minimum":
            return [(path, f"must be >= {error.validator_value}")]
    return [(path, str(error.message))]


_QUANTITY_TEXT = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*(\S.*?)\s*$")


class _Reader:
    """Reads a structurally valid document into dataclasses, collecting (path, message) problems."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []
        self.sources: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def raw(self, node: Any, path: str, dimension: str) -> tuple[Any, float] | None:
        """(value as written, factor to the canonical unit), or None after recording a problem."""
        if isinstance(node, str):
            match = _QUANTITY_TEXT.match(node)
            if match is None:
                self.fail(path, f"not a quantity: expected '<number> <unit>', got {node!r}")
                return None
            value: Any = float(match.group(1))
            unit = match.group(2)
        else:
            value, unit = node["value"], node["unit"]
            if "source" in node:
                self.sources.append((path, str(node["source"])))
        units = UNITS[dimension]
        if unit not in units:
            self.fail(path, f"unit {unit!r} is not a {dimension.replace('_', ' ')} unit (use one of: "
                            f"{', '.join(units)})")
            return None
        return value, units[unit]

    def number(self, node: Any, path: str, dimension: str, *, minimum: float | None = None,
               maximum: float | None = None, above: float | None = None, whole: bool = False) -> float:
        got = self.raw(node, path, dimension)
        if got is None:
            return 0.0
        value, factor = got
        if isinstance(value, list):
            self.fail(path, "must be a single number, not a list")
            return 0.0
        return self._check(float(value) * factor, path, minimum, maximum, above, whole)

    def numbers(self, node: Any, path: str, dimension: str, *, minimum: float | None = None,
                whole: bool = False, length: int | None = None) -> tuple[float, ...]:
        got = self.raw(node, path, dimension)
        if got is None:
            return ()
        value, factor = got
        if not isinstance(value, list):
            self.fail(path, "must be a list of numbers")
            return ()
        if length is not None and len(value) != length:
            self.fail(path, f"must list exactly {length} numbers (got {len(value)})")
            return ()
        return tuple(self._check(float(v) * factor, f"{path}[{i}]", minimum, None, None, whole)
                     for i, v in enumerate(value))

    def _check(self, value: float, path: str, minimum: float | None, maximum: float | None,
               above: float | None, whole: bool) -> float:
        if not math.isfinite(value):
            self.fail(path, "must be a finite number")
            return 0.0
        if minimum is not None and value < minimum:
            self.fail(path, f"must be >= {minimum:g}")
        if maximum is not None and value > maximum:
            self.fail(path, f"must be <= {maximum:g}")
        if above is not None and value <= above:
            self.fail(path, f"must be > {above:g}")
        if whole:
            if abs(value - round(value)) > 1e-9:
                self.fail(path, "must be a whole number")
            return float(round(value))
        return value

    def distribution(self, node: Mapping[str, Any], path: str) -> Distribution:
        kind = node["distribution"]
        if "source" in node:
            self.sources.append((path, str(node["source"])))
        params = {k: self.number(node[k], f"{path}.{k}", "duration", minimum=0.0)
                  for k in ("value", "mean", "sd", "low", "mode", "high") if k in node}
        allowed = {"fixed": {"value"}, "exponential": {"mean"}, "lognormal": {"mean", "sd"},
                   "gamma": {"mean", "sd"}, "uniform": {"low", "high"}, "triangular": {"low", "mode", "high"}}[kind]
        for extra in sorted(set(params) - allowed):
            uses = ", ".join(sorted(allowed))
            self.fail(f"{path}.{extra}", f"not a parameter of the {kind} distribution (uses: {uses})")
        dist = Distribution(kind, **{k: v for k, v in params.items() if k in allowed})
        if kind in ("lognormal", "gamma") and dist.mean <= 0:
            self.fail(f"{path}.mean", "must be > 0")
        if kind == "gamma" and dist.sd <= 0:
            self.fail(f"{path}.sd", "must be > 0 (use 'fixed' for a constant)")
        if kind == "uniform" and dist.low > dist.high:
            self.fail(f"{path}.high", "must be >= low")
        if kind == "triangular" and not dist.low <= dist.mode <= dist.high:
            self.fail(f"{path}.mode", "must lie between low and high")
        return dist

    def shares(self, node: Mapping[str, Any], path: str, *, codes: Sequence[str] | None = None,
               check_code: Any = None) -> tuple[tuple[str, float], ...]:
        pairs: list[tuple[str, float]] = []
        for code in codes if codes is not None else list(node):
            if check_code is not None:
                message = check_code(code)
                if message:
                    self.fail(_join(path, code), message)
            pairs.append((code, self.number(node[code], _join(path, code), "share", minimum=0.0, maximum=1.0)))
        total = sum(v for _, v in pairs)
        if abs(total - 1.0) > SHARE_TOLERANCE:
            self.fail(path, f"shares must add up to 1 (they add up to {total:.6g})")
            return tuple(pairs)
        return tuple((c, v / total) for c, v in pairs)

    def scenario(self, doc: Mapping[str, Any]) -> Scenario | None:
        horizon = int(self.number(doc["horizon"], "horizon", "days", minimum=1, maximum=3660, whole=True))
        calendar = doc.get("calendar", {})
        weekday = WEEKDAYS.index(calendar.get("start_weekday", "monday"))
        start_doy = int(self.number(calendar["start_day_of_year"], "calendar.start_day_of_year", "day_of_year",
                                    minimum=1, maximum=366, whole=True)) if "start_day_of_year" in calendar else 1
        arrivals = self.arrivals(doc["arrivals"], horizon)
        ports = tuple(self.port(p, f"ports[{i}]") for i, p in enumerate(doc["ports"]))
        seen: dict[str, int] = {}
        for i, p in enumerate(ports):
            if p.code in seen:
                self.fail(f"ports[{i}].code", f"duplicate port code {p.code!r} (also ports[{seen[p.code]}])")
            seen.setdefault(p.code, i)
        share_total = sum(p.arrival_share for p in ports)
        if abs(share_total - 1.0) > SHARE_TOLERANCE:
            self.fail("ports", f"arrival_share must add up to 1 over the ports (adds up to {share_total:.6g})")
        else:
            ports = tuple(dataclasses.replace(p, arrival_share=p.arrival_share / share_total) for p in ports)
        processing = self.port_processing(doc["port_processing"])
        populations = tuple(self.population(doc["populations"][code], f"populations.{code}", code)
                            for code in POPULATIONS)
        orr = int(self.number(doc["orr"]["placements_per_day"], "orr.placements_per_day", "placements",
                              minimum=0, whole=True))
        costs_doc = doc["costs"]
        costs = Costs(
            officer_day=self.number(costs_doc["officer_day"], "costs.officer_day", "usd_officer_day", minimum=0),
            bed_night=self.number(costs_doc["bed_night"], "costs.bed_night", "usd_bed_night", minimum=0),
            orr_placement_day=self.number(costs_doc["orr_placement_day"], "costs.orr_placement_day",
                                          "usd_placement_day", minimum=0),
        )
        if self.problems:
            return None
        return Scenario(
            name=doc["name"], description=doc.get("description", ""), horizon_days=horizon, arrivals=arrivals,
            ports=ports, port_processing=processing, populations=populations, orr_placements_per_day=orr,
            costs=costs, start_weekday=weekday, start_day_of_year=start_doy, seed=doc.get("seed"),
            sources=tuple(sorted(set(self.sources))),
        )

    def arrivals(self, node: Mapping[str, Any], horizon: int) -> Arrivals:
        path = "arrivals"
        rate = self.number(node["daily_rate"], f"{path}.daily_rate", "rate", minimum=0)
        trend = self.number(node["trend"], f"{path}.trend", "growth", above=-1) if "trend" in node else 0.0
        weekly = (self.numbers(node["weekly_pattern"], f"{path}.weekly_pattern", "factor", minimum=0, length=7)
                  if "weekly_pattern" in node else (1.0,) * 7) or (1.0,) * 7
        amplitude, peak = 0.0, 1.0
        if "annual_cycle" in node:
            cycle = node["annual_cycle"]
            amplitude = self.number(cycle["amplitude"], f"{path}.annual_cycle.amplitude", "share",
                                    minimum=0, maximum=1)
            peak = self.number(cycle["peak_day"], f"{path}.annual_cycle.peak_day", "day_of_year",
                               minimum=1, maximum=366)
        surges = []
        for i, s in enumerate(node.get("surges", [])):
            sp = f"{path}.surges[{i}]"
            start = self.number(s["start"], f"{sp}.start", "days", minimum=0)
            end = self.number(s["end"], f"{sp}.end", "days", minimum=0)
            if end <= start:
                self.fail(f"{sp}.end", "must be after start")
            surges.append(Surge(start, end, self.number(s["multiplier"], f"{sp}.multiplier", "factor", minimum=0),
                                s.get("label", "")))
        comp = node["composition"]
        population = self.shares(comp["population"], f"{path}.composition.population", codes=POPULATIONS)
        nationality = (self.shares(comp["nationality"], f"{path}.composition.nationality",
                                   check_code=_nationality_problem)
                       if "nationality" in comp else (("unknown", 1.0),))
        vulnerability = (self.shares(comp["vulnerability"], f"{path}.composition.vulnerability",
                                     check_code=_vulnerability_problem)
                         if "vulnerability" in comp else (("none", 1.0),))
        return Arrivals(
            process=node["process"], daily_rate=rate, population_shares=tuple(v for _, v in population),
            trend_per_year=trend, weekly_pattern=tuple(weekly), annual_amplitude=amplitude, annual_peak_day=peak,
            surges=tuple(surges), nationality_shares=nationality, vulnerability_shares=vulnerability,
        )

    def port(self, node: Mapping[str, Any], path: str) -> Port:
        counts = None
        if "arrival_counts" in node:
            counts = tuple(int(v) for v in self.numbers(node["arrival_counts"], f"{path}.arrival_counts", "rate",
                                                        minimum=0, whole=True))
        return Port(
            code=node["code"],
            name=node.get("name", ""),
            arrival_share=self.number(node["arrival_share"], f"{path}.arrival_share", "share", minimum=0, maximum=1),
            appointment_capacity=int(self.number(node["appointment_capacity"], f"{path}.appointment_capacity",
                                                 "rate", minimum=0, whole=True)),
            officers=int(self.number(node["officers"], f"{path}.officers", "officers", minimum=0, whole=True)),
            interviews_per_officer=self.number(node["interviews_per_officer"], f"{path}.interviews_per_officer",
                                               "throughput", minimum=0),
            initial_backlog=int(self.number(node["initial_backlog"], f"{path}.initial_backlog", "persons",
                                            minimum=0, whole=True)) if "initial_backlog" in node else 0,
            arrival_counts=counts,
        )

    def port_processing(self, node: Mapping[str, Any]) -> PortProcessing:
        path = "port_processing"
        mode = node.get("mode", "daily")
        min_wait = int(self.number(node["min_wait"], f"{path}.min_wait", "days", minimum=0, whole=True))
        if mode == "daily" and min_wait < 1:
            self.fail(f"{path}.min_wait", "must be >= 1 day in daily mode (appointments are given for a later day)")
        opening = self.number(node["opening_hour"], f"{path}.opening_hour", "hour_of_day", minimum=0, maximum=24)
        hours = self.number(node["service_hours"], f"{path}.service_hours", "duration", above=0, maximum=24)
        if opening + hours > 24 + 1e-9:
            self.fail(f"{path}.service_hours", "opening_hour + service_hours must not pass midnight")
        return PortProcessing(mode=mode, min_wait_days=min_wait, opening_hour=opening, service_hours=hours)

    def population(self, node: Mapping[str, Any], path: str, code: str) -> Population:
        return_share = (self.number(node["return_share"], f"{path}.return_share", "share", minimum=0, maximum=1)
                        if "return_share" in node else 0.0)
        if return_share > 0 and "return_delay" not in node:
            self.fail(f"{path}.return_delay", "required when return_share > 0")
        return Population(
            code=code,
            beds=int(self.number(node["beds"], f"{path}.beds", "beds", minimum=0, whole=True)),
            custody_limit_hours=self.number(node["custody_limit"], f"{path}.custody_limit", "duration", above=0),
            screening=self.distribution(node["screening"], f"{path}.screening"),
            legal_orientation=self.distribution(node["legal_orientation"], f"{path}.legal_orientation"),
            release_planning=self.distribution(node["release_planning"], f"{path}.release_planning"),
            sponsor_delay=self.distribution(node["sponsor_delay"], f"{path}.sponsor_delay")
            if "sponsor_delay" in node else None,
            return_share=return_share,
            return_delay=self.distribution(node["return_delay"], f"{path}.return_delay")
            if "return_delay" in node else ZERO_HOURS,
        )


def _nationality_problem(code: str) -> str | None:
    if code in ("unknown", "stateless", "other") or re.fullmatch(r"[A-Z]{2}", code):
        return None
    return "must be an ISO 3166-1 alpha-2 code (two capital letters), 'other', 'stateless' or 'unknown'"


def _vulnerability_problem(code: str) -> str | None:
    if code in VULNERABILITY_CODES:
        return None
    return f"unknown vulnerability code (use one of: {', '.join(sorted(VULNERABILITY_CODES))})"


# --------------------------------------------------------------------------------------------------
# Writing and changing


def _q(value: float, dimension: str, path: str, sources: Mapping[str, str]) -> dict[str, Any]:
    number: float | int = int(value) if float(value).is_integer() else value
    out: dict[str, Any] = {"value": number, "unit": canonical_unit(dimension)}
    if path in sources:
        out["source"] = sources[path]
    return out


def _qs(values: Sequence[float], dimension: str, path: str, sources: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"value": [int(v) if float(v).is_integer() else v for v in values],
                           "unit": canonical_unit(dimension)}
    if path in sources:
        out["source"] = sources[path]
    return out


def _dist(d: Distribution, path: str, sources: Mapping[str, str]) -> dict[str, Any]:
    params = {"fixed": ("value",), "exponential": ("mean",), "lognormal": ("mean", "sd"), "gamma": ("mean", "sd"),
              "uniform": ("low", "high"), "triangular": ("low", "mode", "high")}[d.kind]
    out: dict[str, Any] = {"distribution": d.kind}
    for p in params:
        out[p] = _q(getattr(d, p), "duration", f"{path}.{p}", sources)
    if path in sources:
        out["source"] = sources[path]
    return out


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario as a plain mapping in the file format (canonical units, sources kept)."""
    src = dict(scenario.sources)
    a = scenario.arrivals
    arrivals: dict[str, Any] = {
        "process": a.process,
        "daily_rate": _q(a.daily_rate, "rate", "arrivals.daily_rate", src),
        "trend": _q(a.trend_per_year, "growth", "arrivals.trend", src),
        "weekly_pattern": _qs(a.weekly_pattern, "factor", "arrivals.weekly_pattern", src),
        "annual_cycle": {
            "amplitude": _q(a.annual_amplitude, "share", "arrivals.annual_cycle.amplitude", src),
            "peak_day": _q(a.annual_peak_day, "day_of_year", "arrivals.annual_cycle.peak_day", src),
        },
        "surges": [
            {**({"label": s.label} if s.label else {}),
             "start": _q(s.start_day, "days", f"arrivals.surges[{i}].start", src),
             "end": _q(s.end_day, "days", f"arrivals.surges[{i}].end", src),
             "multiplier": _q(s.multiplier, "factor", f"arrivals.surges[{i}].multiplier", src)}
            for i, s in enumerate(a.surges)
        ],
        "composition": {
            "population": {c: _q(v, "share", f"arrivals.composition.population.{c}", src)
                           for c, v in zip(POPULATIONS, a.population_shares, strict=True)},
            "nationality": {c: _q(v, "share", f"arrivals.composition.nationality.{c}", src)
                            for c, v in a.nationality_shares},
            "vulnerability": {c: _q(v, "share", f"arrivals.composition.vulnerability.{c}", src)
                              for c, v in a.vulnerability_shares},
        },
    }
    ports = []
    for i, p in enumerate(scenario.ports):
        path = f"ports[{i}]"
        port: dict[str, Any] = {"code": p.code}
        if p.name:
            port["name"] = p.name
        port.update({
            "arrival_share": _q(p.arrival_share, "share", f"{path}.arrival_share", src),
            "appointment_capacity": _q(p.appointment_capacity, "rate", f"{path}.appointment_capacity", src),
            "officers": _q(p.officers, "officers", f"{path}.officers", src),
            "interviews_per_officer": _q(p.interviews_per_officer, "throughput", f"{path}.interviews_per_officer", src),
            "initial_backlog": _q(p.initial_backlog, "persons", f"{path}.initial_backlog", src),
        })
        if p.arrival_counts is not None:
            port["arrival_counts"] = _qs(p.arrival_counts, "rate", f"{path}.arrival_counts", src)
        ports.append(port)
    pp = scenario.port_processing
    populations: dict[str, Any] = {}
    for pop in scenario.populations:
        path = f"populations.{pop.code}"
        entry: dict[str, Any] = {
            "beds": _q(pop.beds, "beds", f"{path}.beds", src),
            "custody_limit": _q(pop.custody_limit_hours, "duration", f"{path}.custody_limit", src),
            "screening": _dist(pop.screening, f"{path}.screening", src),
            "legal_orientation": _dist(pop.legal_orientation, f"{path}.legal_orientation", src),
            "release_planning": _dist(pop.release_planning, f"{path}.release_planning", src),
        }
        if pop.sponsor_delay is not None:
            entry["sponsor_delay"] = _dist(pop.sponsor_delay, f"{path}.sponsor_delay", src)
        entry["return_share"] = _q(pop.return_share, "share", f"{path}.return_share", src)
        entry["return_delay"] = _dist(pop.return_delay, f"{path}.return_delay", src)
        populations[pop.code] = entry
    out: dict[str, Any] = {"format": FORMAT, "name": scenario.name}
    if scenario.description:
        out["description"] = scenario.description
    if scenario.seed is not None:
        out["seed"] = scenario.seed
    out.update({
        "horizon": _q(scenario.horizon_days, "days", "horizon", src),
        "calendar": {"start_weekday": WEEKDAYS[scenario.start_weekday],
                     "start_day_of_year": _q(scenario.start_day_of_year, "day_of_year",
                                             "calendar.start_day_of_year", src)},
        "arrivals": arrivals,
        "ports": ports,
        "port_processing": {
            "mode": pp.mode,
            "min_wait": _q(pp.min_wait_days, "days", "port_processing.min_wait", src),
            "opening_hour": _q(pp.opening_hour, "hour_of_day", "port_processing.opening_hour", src),
            "service_hours": _q(pp.service_hours, "duration", "port_processing.service_hours", src),
        },
        "populations": populations,
        "orr": {"placements_per_day": _q(scenario.orr_placements_per_day, "placements",
                                         "orr.placements_per_day", src)},
        "costs": {
            "officer_day": _q(scenario.costs.officer_day, "usd_officer_day", "costs.officer_day", src),
            "bed_night": _q(scenario.costs.bed_night, "usd_bed_night", "costs.bed_night", src),
            "orr_placement_day": _q(scenario.costs.orr_placement_day, "usd_placement_day",
                                    "costs.orr_placement_day", src),
        },
    })
    return out


class _ScenarioDumper(yaml.SafeDumper):
    """Writes quantities on one line: ``{value: 190, unit: persons/day, source: ...}``."""


def _represent_mapping(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.MappingNode:
    flow = "unit" in data and "value" in data
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=flow)


_ScenarioDumper.add_representer(dict, _represent_mapping)


def dump_scenario(scenario: Scenario) -> str:
    """The scenario as YAML text that `load_scenario` reads back to an equal scenario."""
    return yaml.dump(scenario_to_dict(scenario), Dumper=_ScenarioDumper, sort_keys=False, allow_unicode=True,
                     width=110)


_PATH_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def with_changes(scenario: Scenario, changes: Mapping[str, Any] | None = None, /, **overrides: Any) -> Scenario:
    """A copy of `scenario` with some values changed, checked like a file.

    `changes` maps dotted paths to new values: ``{"ports[2].officers": 30, "ports.poe-laredo.officers": 25,
    "populations.family_units.beds": 900, "arrivals.daily_rate": "2000 persons/day"}``. A port can be named
    by index or by code. A plain number is taken in the key's canonical unit (see the module docstring);
    a quantity mapping or "<number> <unit>" text replaces the entry as written. Keyword arguments use
    ``__`` for the dots: ``with_changes(s, name="Surge", horizon=180, ports__2__officers=30,
    populations__family_units__beds=900)``.
    """
    document = scenario_to_dict(scenario)
    keyword_changes = [(key.replace("__", "."), value) for key, value in overrides.items()]
    for path, value in [*(changes or {}).items(), *keyword_changes]:
        _set_path(document, path, value)
    return load_scenario(document)


def _set_path(document: dict[str, Any], path: str, value: Any) -> None:
    tokens: list[str | int] = [int(i) if i else name for name, i in _PATH_TOKEN.findall(path)]
    if not tokens:
        raise ScenarioError([(path, "empty path")])
    node: Any = document
    tokens = [int(t) if isinstance(t, str) and t.isdigit() else t for t in tokens]  # ports.2 = ports[2]
    for depth, token in enumerate(tokens[:-1]):
        if isinstance(node, list) and isinstance(token, str):  # ports.<code>
            matches = [i for i, item in enumerate(node) if isinstance(item, Mapping) and item.get("code") == token]
            if not matches:
                raise ScenarioError([(path, f"no entry with code {token!r}")])
            token = matches[0]
        try:
            node = node[token]
        except (KeyError, IndexError, TypeError):
            raise ScenarioError([(_format_path(tokens[: depth + 1]), "no such key")]) from None
    last = tokens[-1]
    current = node.get(last) if isinstance(node, dict) and isinstance(last, str) else None
    if isinstance(current, dict) and "unit" in current and isinstance(value, int | float | list) \
            and not isinstance(value, bool):
        node[last] = {"value": value, "unit": current["unit"]}
    elif isinstance(node, dict) and isinstance(last, str):
        node[last] = value
    elif isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = value
    else:
        raise ScenarioError([(path, "no such key")])
