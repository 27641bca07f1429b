"""The simulation engine: one replication of a scenario, exactly, as array kernels.

The model (time in hours from the start of day 0; day d is [24 d, 24 d + 24)):

1. Arrivals. Each port p gets a count of new arrivals per day, Poisson with mean
   ``daily_rate x arrival_share_p x (1 + trend)^(d / 365) x weekly[weekday] x
   (1 + amplitude x cos(2 pi (day_of_year - peak_day) / 365)) x product of active surge multipliers``
   (or that mean rounded with carry when ``process: fixed``; or the port's given ``arrival_counts`` for
   the days they cover). Arrival times are uniform within the day (a Poisson process). Each person draws a
   population, a nationality and a vulnerability from the composition. The port's initial backlog is
   waiting at time 0, first in line.
2. Port processing. An arrival on day d may be seen from day d + min_wait. Each day the port processes
   ``min(appointment capacity, officers x interviews per officer)`` persons, first come first served by
   arrival, the k-th of C at ``opening_hour + (k + 1/2) x service_hours / C`` (appointments spread over
   the service window). Processing puts the person in federal custody: the custody clock starts.
   (Mode ``pass_through`` skips this stage: custody starts on arrival. It exists to check the custody
   stage against the M/M/c formulas; see `erlang`.)
3. Reception custody. Each population has its own beds. A processed person takes a free bed of their
   population, first come first served by custody start; when none is free they wait in port custody
   (capacity blocking) with the clock running. In the bed: screening + legal orientation + release
   planning, each drawn from its distribution.
4. Exits. A share of each population is returned, leaving after a return delay. Adults and families are
   otherwise released to case management after a sponsor-finding delay (in the bed). Unaccompanied children
   need an ORR placement: placements per day come as evenly spaced slots, each given to the ready child
   (processing finished) with the least time left before the custody limit; a slot with nobody ready is
   lost. Leaving custody frees the bed.

A breach is a custody duration (custody start to exit) longer than the population's limit (72 hours by
default). Events are simulated until the end of the horizon; people still waiting then are "in system".

Exactness. Stage 2 is a min-plus recurrence solved with cumulative sums over days, after which one pass
along each port's line gives everyone their day and time (`serve_port`, `_kernels.port_line`); stages 3-4
for adults and families are a multi-server first-come-first-served queue with holding times known on entry
(`_kernels.adult_custody`, a heap of the beds' next free times); children's custody depends on state (who
is ready, who is closest to 72 hours), so it runs as a compiled event loop (`_kernels.children_custody`).
`_kernels` says where numba was measured to pay. Nothing is approximated:
`tests/core/simulation/simpy_reference.py` implements the same model event by event in SimPy, and the tests
check that fed the same draws it produces the same times for every person.

Randomness. A replication's draws come from one `numpy.random.Generator` seeded with
``SeedSequence(seed, spawn_key=(replication,))`` (the replication-th child of ``SeedSequence(seed)``), in a
fixed order that does not depend on capacities: changing beds, officers or placements keeps every
arrival and duration the same (common random numbers, which the prescription search relies on).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import _kernels
from .results import EXIT_NONE, EXIT_PLACED, EXIT_RELEASED, EXIT_RETURNED, ReplicationResult, measure
from .scenario import POPULATIONS, ZERO_HOURS, Population, Scenario

HOURS_PER_DAY = 24.0


def replication_seed(seed: int, replication: int) -> np.random.SeedSequence:
    """The seed sequence of one replication: the `replication`-th child of ``SeedSequence(seed)``."""
    return np.random.SeedSequence(seed, spawn_key=(replication,))


@dataclass
class Persons:
    """Everyone in one replication, port by port, in line order (backlog first, then by arrival time)."""

    port_offsets: np.ndarray  # persons of port p are [port_offsets[p], port_offsets[p + 1])
    backlog: np.ndarray  # initial backlog per port
    daily_arrivals: np.ndarray  # (ports, days) new arrivals
    arrival_hours: np.ndarray  # float64; 0 for the backlog
    eligible_day: np.ndarray  # int64: first day the person can be processed at the port
    population: np.ndarray  # uint8, index into POPULATIONS
    nationality: np.ndarray  # uint8, index into arrivals.nationality_shares
    vulnerability: np.ndarray  # uint8, index into arrivals.vulnerability_shares
    returned: np.ndarray  # bool: leaves custody by return
    processing_hours: np.ndarray  # screening + legal orientation + release planning
    after_hours: np.ndarray  # sponsor delay (released adults), return delay (returned), 0 (placed children)

    @property
    def count(self) -> int:
        return int(self.arrival_hours.size)

    def port_index(self) -> np.ndarray:
        return np.repeat(np.arange(self.backlog.size), np.diff(self.port_offsets))

    def is_backlog(self) -> np.ndarray:
        flags = np.zeros(self.count, bool)
        for p, b in enumerate(self.backlog):
            flags[self.port_offsets[p]: self.port_offsets[p] + b] = True
        return flags


@dataclass
class PortOutcome:
    custody_start: np.ndarray  # hours, per person; inf when not processed within the horizon
    capacity: np.ndarray  # (ports, days) processing capacity
    processed: np.ndarray  # (ports, days)
    queue_end: np.ndarray  # (ports, days) waiting for an appointment at the end of the day
    days_to_clear: list[int | None]  # per port: days until the waiting list is back to at most a day's capacity
    days_to_process: list[int | None]  # per port: days until everyone in the initial backlog was processed


@dataclass
class CustodyOutcome:
    """One population's custody, persons in custody-start order."""

    population: str
    beds: int
    limit_hours: float
    persons: np.ndarray  # indices into Persons
    start: np.ndarray
    entry: np.ndarray  # bed entry; inf when still waiting at the end
    leave: np.ndarray  # custody exit; may lie past the horizon (adults) or be inf
    exit_kind: np.ndarray  # uint8 EXIT_*

    @property
    def deadline(self) -> np.ndarray:
        return self.start + self.limit_hours


def expected_arrivals(scenario: Scenario) -> np.ndarray:
    """Expected new arrivals per port and day, shape (ports, days), before given counts."""
    a = scenario.arrivals
    days = np.arange(scenario.horizon_days, dtype=np.float64)
    rate = np.full(days.size, a.daily_rate)
    if a.trend_per_year:
        rate *= (1.0 + a.trend_per_year) ** (days / 365.0)
    rate *= np.asarray(a.weekly_pattern)[(scenario.start_weekday + days.astype(np.int64)) % 7]
    if a.annual_amplitude:
        day_of_year = (scenario.start_day_of_year - 1 + days) % 365 + 1
        rate *= 1.0 + a.annual_amplitude * np.cos(2 * math.pi * (day_of_year - a.annual_peak_day) / 365.0)
    for surge in a.surges:
        rate[(days >= surge.start_day) & (days < surge.end_day)] *= surge.multiplier
    shares = np.array([p.arrival_share for p in scenario.ports])
    return shares[:, None] * rate[None, :]


def _daily_counts(scenario: Scenario, rng: np.random.Generator) -> np.ndarray:
    mean = expected_arrivals(scenario)
    if scenario.arrivals.process == "poisson":
        counts = rng.poisson(mean)
    else:
        carried = np.floor(np.cumsum(mean, axis=1) + 0.5)
        counts = np.diff(carried, axis=1, prepend=0.0)
    counts = counts.astype(np.int64)
    for p, port in enumerate(scenario.ports):
        if port.arrival_counts is not None:
            given = np.asarray(port.arrival_counts[: scenario.horizon_days], dtype=np.int64)
            counts[p, : given.size] = given
    return counts


def _cumulative(shares: tuple[float, ...] | list[float]) -> np.ndarray:
    return np.cumsum(np.asarray(shares, dtype=np.float64))


def _distribution_table(scenario: Scenario) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    kinds = np.zeros((len(scenario.populations), 5), np.int64)
    params = np.zeros((len(scenario.populations), 5, 3), np.float64)
    for g, pop in enumerate(scenario.populations):
        stages = (pop.screening, pop.legal_orientation, pop.release_planning, pop.sponsor_delay or ZERO_HOURS,
                  pop.return_delay)
        for k, dist in enumerate(stages):
            code, *values = dist.kernel_code()
            kinds[g, k] = code
            params[g, k] = values
    shares = np.array([pop.return_share for pop in scenario.populations])
    return kinds, params, shares


def draw_persons(scenario: Scenario, rng: np.random.Generator) -> Persons:
    """Every random quantity of a replication, drawn in a fixed order independent of capacities."""
    counts = _daily_counts(scenario, rng)
    backlog = np.array([p.initial_backlog for p in scenario.ports], dtype=np.int64)
    min_wait = scenario.port_processing.min_wait_days if scenario.port_processing.mode == "daily" else 0
    arrival, eligible = _kernels.arrivals(rng, counts, backlog, min_wait)
    offsets = np.concatenate(([0], np.cumsum(backlog + counts.sum(axis=1))))
    a = scenario.arrivals
    kinds, params, return_share = _distribution_table(scenario)
    population, nationality, vulnerability, returned, processing, after = _kernels.attributes(
        rng, arrival.size, _cumulative(a.population_shares), _cumulative([s for _, s in a.nationality_shares]),
        _cumulative([s for _, s in a.vulnerability_shares]), kinds, params, return_share)
    return Persons(offsets, backlog, counts, arrival, eligible, population, nationality, vulnerability,
                   returned, processing, after)


def port_capacities(scenario: Scenario) -> np.ndarray:
    """Processing capacity per port and day, shape (ports, days)."""
    per_port = np.array([p.daily_capacity for p in scenario.ports], dtype=np.int64)
    return np.repeat(per_port[:, None], scenario.horizon_days, axis=1)


def serve_port(persons: Persons, port: int, capacity: np.ndarray, opening_hour: float, service_hours: float
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """First-come-first-served processing at one port with daily `capacity`, as cumulative sums.

    With E_d the number eligible by day d and C_d the capacity, the number processed by the end of day d
    is S_d = min(S_{d-1} + C_d, E_d), S_{-1} = 0, whose solution is
    S_d = cumC_d + min(0, min_{k <= d} (E_k - cumC_k)). The i-th person in line is processed on the first
    day with S_d > i, as number i - S_{d-1} of that day.

    Returns (custody start per person of the port's line, inf if never; processed per day; waiting at the
    end of each day; processed by the end of each day).
    """
    n_days = capacity.size
    lo, hi = int(persons.port_offsets[port]), int(persons.port_offsets[port + 1])
    backlog = int(persons.backlog[port])
    eligible_new = np.bincount(persons.eligible_day[lo + backlog: hi], minlength=n_days)[:n_days]
    eligible = backlog + np.cumsum(eligible_new)
    cum_cap = np.cumsum(capacity)
    served = cum_cap + np.minimum(0, np.minimum.accumulate(eligible - cum_cap))
    served_before = np.concatenate(([0], served[:-1]))
    arrived = backlog + np.cumsum(persons.daily_arrivals[port])
    start = _kernels.port_line(served, capacity.astype(np.float64), opening_hour, service_hours, hi - lo)
    return start, served - served_before, arrived - served, served


def port_stage(scenario: Scenario, persons: Persons, capacity: np.ndarray | None = None) -> PortOutcome:
    """Processing at every port (see `serve_port`); custody starts on arrival in pass-through mode."""
    if capacity is None:
        capacity = port_capacities(scenario)
    n_ports, n_days = persons.daily_arrivals.shape
    start = np.full(persons.count, np.inf)
    processed = np.zeros((n_ports, n_days), np.int64)
    queue_end = np.zeros((n_ports, n_days), np.int64)
    clear: list[int | None] = []
    process: list[int | None] = []
    pp = scenario.port_processing
    if pp.mode == "pass_through":
        start[:] = persons.arrival_hours
        for p in range(n_ports):
            processed[p] = persons.daily_arrivals[p]
            processed[p, 0] += persons.backlog[p]
        zeros: list[int | None] = [0] * n_ports
        # no port stage, so no limit: the capacity reported is what was processed
        return PortOutcome(start, processed.copy(), processed, queue_end, zeros, list(zeros))
    days = np.arange(n_days)
    for p in range(n_ports):
        lo, hi = int(persons.port_offsets[p]), int(persons.port_offsets[p + 1])
        start[lo:hi], processed[p], queue_end[p], served = serve_port(persons, p, capacity[p], pp.opening_hour,
                                                                      pp.service_hours)
        b = int(persons.backlog[p])
        if b == 0:
            clear.append(0)
            process.append(0)
        else:
            # cleared: the waiting list at the end of a day fits in that day's capacity again
            cleared = days[queue_end[p] <= capacity[p]]
            clear.append(int(cleared[0]) + 1 if cleared.size else None)
            done_days = days[served >= b]
            process.append(int(done_days[0]) + 1 if done_days.size else None)
    return PortOutcome(start, capacity, processed, queue_end, clear, process)


def custody_order(persons: Persons, custody_start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(members, offsets): each population's processed persons in custody-start order (ties: line order)."""
    return _kernels.merge_by_population(persons.port_offsets, custody_start, persons.population, len(POPULATIONS))


def custody_stage(population: Population, persons: Persons, custody_start: np.ndarray, members: np.ndarray, *,
                  beds: int, placements_per_day: int, horizon_days: int) -> CustodyOutcome:
    """Reception custody and exits of one population (see the module docstring).

    `members` are the population's processed persons in custody-start order (from `custody_order`).
    """
    limit = population.custody_limit_hours
    if population.is_children:
        start = custody_start[members]
        returned = persons.returned[members]
        entry, leave, placed = _kernels.children_custody(
            start, persons.processing_hours[members], persons.after_hours[members], returned, start + limit, beds,
            placements_per_day, horizon_days * HOURS_PER_DAY)
        kind = np.where(placed, EXIT_PLACED, np.where(returned & np.isfinite(leave), EXIT_RETURNED, EXIT_NONE))
    else:
        start, entry, leave, kind = _kernels.adult_custody(members, custody_start, persons.processing_hours,
                                                           persons.after_hours, persons.returned, beds)
    return CustodyOutcome(population.code, beds, limit, members, start, entry, leave,
                          kind.astype(np.uint8, copy=False))


@dataclass
class Trace:
    """Per-person outcome arrays of one replication (tests and diagnostics; never stored)."""

    persons: Persons
    ports: PortOutcome
    custody: list[CustodyOutcome]

    def per_person(self, name: str) -> np.ndarray:
        """'entry', 'leave' or 'exit_kind' for every person (inf / EXIT_NONE when never reached)."""
        fill: float | int = EXIT_NONE if name == "exit_kind" else np.inf
        out = np.full(self.persons.count, fill, dtype=np.uint8 if name == "exit_kind" else np.float64)
        for c in self.custody:
            out[c.persons] = getattr(c, name)
        return out


def simulate_replication(scenario: Scenario, seed: int | np.random.SeedSequence, replication: int = 0, *,
                         keep_trace: bool = False) -> ReplicationResult:
    """One replication. `seed` is an int (with `replication` choosing the child stream) or a SeedSequence."""
    sequence = seed if isinstance(seed, np.random.SeedSequence) else replication_seed(seed, replication)
    rng = np.random.Generator(np.random.PCG64(sequence))
    persons = draw_persons(scenario, rng)
    ports = port_stage(scenario, persons)
    members, offsets = custody_order(persons, ports.custody_start)
    custody = [
        custody_stage(pop, persons, ports.custody_start, members[offsets[g]: offsets[g + 1]], beds=pop.beds,
                      placements_per_day=scenario.orr_placements_per_day, horizon_days=scenario.horizon_days)
        for g, pop in enumerate(scenario.populations)
    ]
    result = measure(scenario, persons, ports, custody)
    if keep_trace:
        result.trace = Trace(persons, ports, custody)
    return result


__all__ = ["EXIT_NONE", "EXIT_PLACED", "EXIT_RELEASED", "EXIT_RETURNED", "POPULATIONS", "CustodyOutcome",
           "Persons", "PortOutcome", "Trace", "custody_order", "custody_stage", "draw_persons", "expected_arrivals",
           "port_capacities", "port_stage", "replication_seed", "serve_port", "simulate_replication"]
