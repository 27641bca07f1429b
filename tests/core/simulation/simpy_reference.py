"""The same model as `corredor.core.simulation.engine`, written event by event in SimPy.

This is the reference the engine is checked against, so it shares nothing with the engine beyond the parsed
`Scenario`: its own arrival rates, its own sampling (numpy array calls, sorting, `searchsorted`), its own
queues (SimPy resources, a priority store for ORR placements) and its own measurements (counters read by a
monitor process at every midnight).

The model, as the engine's docstring states it: arrivals join their port's line (the initial backlog is
there at time 0); each day at opening time the port calls up to its capacity from the front of the line,
among those who arrived at least `min_wait` days before, and sees the k-th of C at
``opening + (k + 1/2) x service_hours / C``; from then the person is in custody and asks for a bed of their
population (SimPy `Resource`, first come first served); in the bed, processing, then a return delay (the
returned), a sponsor delay (released adults) or an ORR placement (children, best priority = earliest
deadline); leaving frees the bed. ORR slots come `placements_per_day` times a day, evenly spaced.

`run_reference(scenario, seed)` samples its own draws; `run_reference(scenario, persons=...)` replays given
draws (for example the engine's, from a trace) so that both can be compared person by person.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import simpy

from corredor.core.simulation.scenario import Distribution, Scenario

INF = math.inf


@dataclass
class Person:
    port: int
    arrival: float
    eligible_day: int
    backlog: bool
    population: int
    nationality: int
    returned: bool
    processing: float
    after: float
    custody_start: float = INF
    entry: float = INF
    leave: float = INF
    placed: bool = False


@dataclass
class ReferenceResult:
    persons: list[Person]
    port_queue: np.ndarray  # (ports, days) end of day
    processed: np.ndarray  # (ports, days)
    port_custody: np.ndarray  # (populations, days) end of day
    occupancy: np.ndarray  # (populations, days) end of day
    exits: np.ndarray  # (populations, days)
    horizon_hours: float
    limits: tuple[float, ...]
    stats: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------------
# Draws


def daily_rate(scenario: Scenario, day: int) -> float:
    """Expected arrivals on `day` over all ports."""
    a = scenario.arrivals
    rate = a.daily_rate * (1.0 + a.trend_per_year) ** (day / 365.0)
    rate *= a.weekly_pattern[(scenario.start_weekday + day) % 7]
    if a.annual_amplitude:
        day_of_year = (scenario.start_day_of_year - 1 + day) % 365 + 1
        rate *= 1.0 + a.annual_amplitude * math.cos(2.0 * math.pi * (day_of_year - a.annual_peak_day) / 365.0)
    for surge in a.surges:
        if surge.start_day <= day < surge.end_day:
            rate *= surge.multiplier
    return rate


def draw(dist: Distribution, rng: np.random.Generator, n: int) -> np.ndarray:
    if n == 0:
        return np.zeros(0)
    if dist.kind == "fixed":
        return np.full(n, dist.value)
    if dist.kind == "exponential":
        return rng.exponential(dist.mean, n)
    if dist.kind == "lognormal":
        if dist.sd == 0:
            return np.full(n, dist.mean)
        sigma = math.sqrt(math.log(1.0 + dist.sd**2 / dist.mean**2))
        return rng.lognormal(math.log(dist.mean) - sigma**2 / 2.0, sigma, n)
    if dist.kind == "gamma":
        shape = dist.mean**2 / dist.sd**2
        return rng.gamma(shape, dist.mean / shape, n)
    if dist.kind == "uniform":
        return rng.uniform(dist.low, dist.high, n)
    if dist.kind == "triangular":
        return rng.triangular(dist.low, dist.mode, dist.high, n) if dist.high > dist.low else np.full(n, dist.low)
    raise ValueError(dist.kind)


def sample_persons(scenario: Scenario, rng: np.random.Generator) -> list[list[Person]]:
    """Everyone, port by port, in line order."""
    days = scenario.horizon_days
    daily = [daily_rate(scenario, d) for d in range(days)]
    min_wait = scenario.port_processing.min_wait_days if scenario.port_processing.mode == "daily" else 0
    lines: list[list[Person]] = []
    a = scenario.arrivals
    pop_cdf = np.cumsum(a.population_shares)
    nat_cdf = np.cumsum([s for _, s in a.nationality_shares])
    for p, port in enumerate(scenario.ports):
        means = [port.arrival_share * daily[d] for d in range(days)]
        if a.process == "poisson":
            counts = [int(rng.poisson(m)) for m in means]
        else:
            counts, total, issued = [], 0.0, 0
            for m in means:
                total += m
                due = math.floor(total + 0.5)
                counts.append(due - issued)
                issued = due
        if port.arrival_counts is not None:
            for d, c in enumerate(port.arrival_counts[:days]):
                counts[d] = c
        times = [0.0] * port.initial_backlog
        eligible = [0] * port.initial_backlog
        for d, c in enumerate(counts):
            for u in np.sort(rng.random(c)):
                times.append((d + float(u)) * 24.0)
                eligible.append(d + min_wait)
        n = len(times)
        population = np.minimum(np.searchsorted(pop_cdf, rng.random(n), side="right"), len(pop_cdf) - 1)
        nationality = np.minimum(np.searchsorted(nat_cdf, rng.random(n), side="right"), len(nat_cdf) - 1)
        processing = np.zeros(n)
        after = np.zeros(n)
        returned = np.zeros(n, bool)
        for g, pop in enumerate(scenario.populations):
            idx = np.flatnonzero(population == g)
            processing[idx] = (draw(pop.screening, rng, idx.size) + draw(pop.legal_orientation, rng, idx.size)
                               + draw(pop.release_planning, rng, idx.size))
            back = rng.random(idx.size) < pop.return_share
            returned[idx] = back
            after[idx[back]] = draw(pop.return_delay, rng, int(back.sum()))
            if pop.sponsor_delay is not None:
                after[idx[~back]] = draw(pop.sponsor_delay, rng, int((~back).sum()))
        lines.append([
            Person(p, times[i], eligible[i], i < port.initial_backlog, int(population[i]), int(nationality[i]),
                   bool(returned[i]), float(processing[i]), float(after[i]))
            for i in range(n)
        ])
    return lines


def persons_from_trace(trace: object) -> list[list[Person]]:
    """The engine's draws (from `ReplicationResult.trace`) as reference persons, port by port."""
    persons = trace.persons  # type: ignore[attr-defined]
    backlog = persons.is_backlog()
    lines: list[list[Person]] = []
    for p in range(len(persons.backlog)):
        lo, hi = int(persons.port_offsets[p]), int(persons.port_offsets[p + 1])
        lines.append([
            Person(p, float(persons.arrival_hours[i]), int(persons.eligible_day[i]), bool(backlog[i]),
                   int(persons.population[i]), int(persons.nationality[i]), bool(persons.returned[i]),
                   float(persons.processing_hours[i]), float(persons.after_hours[i]))
            for i in range(lo, hi)
        ])
    return lines


# ---------------------------------------------------------------------------------------------------------
# The event simulation


class _Model:
    def __init__(self, scenario: Scenario, lines: list[list[Person]]) -> None:
        self.s = scenario
        self.env = simpy.Environment()
        self.lines = lines
        self.days = scenario.horizon_days
        self.end = self.days * 24.0
        n_ports, n_pops = len(scenario.ports), len(scenario.populations)
        daily = scenario.port_processing.mode == "daily"
        self.queues: list[deque[Person]] = [deque(p for p in line if p.backlog and daily) for line in lines]
        self.beds = [simpy.Resource(self.env, capacity=pop.beds) if pop.beds > 0 else None
                     for pop in scenario.populations]
        self.ready = simpy.PriorityStore(self.env)
        self.sequence = [0] * n_pops
        self.in_port_custody = [0] * n_pops
        self.in_beds = [0] * n_pops
        self.port_queue = np.zeros((n_ports, self.days), np.int64)
        self.processed = np.zeros((n_ports, self.days), np.int64)
        self.port_custody = np.zeros((n_pops, self.days), np.int64)
        self.occupancy = np.zeros((n_pops, self.days), np.int64)
        self.exits = np.zeros((n_pops, self.days), np.int64)
        self.children = next(g for g, pop in enumerate(scenario.populations) if pop.is_children)

    def run(self) -> None:
        env = self.env
        pass_through = self.s.port_processing.mode == "pass_through"
        for p, line in enumerate(self.lines):
            if pass_through:
                env.process(self.pass_through(line))
            else:
                env.process(self.arrivals(p, line))
                env.process(self.port(p))
        if self.s.orr_placements_per_day > 0:
            env.process(self.orr())
        env.process(self.monitor())
        env.run(until=self.end)
        self.snapshot(self.days - 1)

    def arrivals(self, p: int, line: list[Person]) -> Iterator[simpy.Event]:
        for person in line:
            if person.backlog:
                continue
            yield self.env.timeout(person.arrival - self.env.now)
            self.queues[p].append(person)

    def port(self, p: int) -> Iterator[simpy.Event]:
        pp = self.s.port_processing
        capacity = self.s.ports[p].daily_capacity
        queue = self.queues[p]
        for day in range(self.days):
            yield self.env.timeout(day * 24.0 + pp.opening_hour - self.env.now)
            called: list[Person] = []
            while queue and len(called) < capacity and queue[0].eligible_day <= day:
                called.append(queue.popleft())
            for k, person in enumerate(called):
                at = day * 24.0 + pp.opening_hour + (k + 0.5) * pp.service_hours / capacity
                self.env.process(self.custody(person, at))
            self.processed[p, day] = len(called)

    def pass_through(self, line: list[Person]) -> Iterator[simpy.Event]:
        for person in line:
            if person.arrival > self.env.now:  # simultaneous arrivals (the backlog at 0) keep line order
                yield self.env.timeout(person.arrival - self.env.now)
            self.processed[person.port, int(person.arrival // 24.0)] += 1
            self.env.process(self.custody(person, person.arrival))

    def custody(self, person: Person, at: float) -> Iterator[simpy.Event]:
        env = self.env
        yield env.timeout(at - env.now)
        g = person.population
        person.custody_start = env.now
        sequence = self.sequence[g]
        self.sequence[g] += 1
        self.in_port_custody[g] += 1
        beds = self.beds[g]
        if beds is None:
            return
        with beds.request() as bed:
            yield bed
            person.entry = env.now
            self.in_port_custody[g] -= 1
            self.in_beds[g] += 1
            if g == self.children and not person.returned:
                yield env.timeout(person.processing)
                placed = env.event()
                deadline = person.custody_start + self.s.populations[g].custody_limit_hours
                yield self.ready.put(simpy.PriorityItem((deadline, sequence), placed))
                yield placed
                person.placed = True
            else:
                yield env.timeout(person.processing + person.after)
            person.leave = env.now
            self.in_beds[g] -= 1
            self.exits[g, int(env.now // 24.0)] += 1

    def orr(self) -> Iterator[simpy.Event]:
        per_day = self.s.orr_placements_per_day
        slot = 0
        while True:
            at = (slot // per_day) * 24.0 + ((slot % per_day) + 0.5) * 24.0 / per_day
            if at >= self.end:
                return
            yield self.env.timeout(at - self.env.now)
            slot += 1
            if self.ready.items:
                item = yield self.ready.get()
                item.item.succeed()

    def monitor(self) -> Iterator[simpy.Event]:
        for day in range(self.days - 1):
            yield self.env.timeout((day + 1) * 24.0 - self.env.now)
            self.snapshot(day)

    def snapshot(self, day: int) -> None:
        for p, queue in enumerate(self.queues):
            self.port_queue[p, day] = len(queue)
        for g in range(len(self.s.populations)):
            self.port_custody[g, day] = self.in_port_custody[g]
            self.occupancy[g, day] = self.in_beds[g]


def run_reference(scenario: Scenario, seed: int | None = None, *, persons: list[list[Person]] | None = None
                  ) -> ReferenceResult:
    """Simulate one replication in SimPy, from its own draws (seed) or from given persons."""
    if persons is None:
        persons = sample_persons(scenario, np.random.default_rng(seed))
    model = _Model(scenario, persons)
    model.run()
    everyone = [p for line in persons for p in line]
    result = ReferenceResult(everyone, model.port_queue, model.processed, model.port_custody, model.occupancy,
                             model.exits, model.end, tuple(p.custody_limit_hours for p in scenario.populations))
    result.stats = statistics(result, len(scenario.populations))
    return result


def statistics(result: ReferenceResult, n_pops: int) -> dict[str, float]:
    """The statistics compared with the engine's metrics (same definitions, computed independently)."""
    end = result.horizon_hours
    stats: dict[str, float] = {}
    waits = [(p.custody_start - p.arrival) / 24.0 for p in result.persons
             if not p.backlog and p.custody_start < end]
    stats["waiting_days.mean"] = float(np.mean(waits)) if waits else math.nan
    stats["queue.mean"] = float(result.port_queue.sum(axis=0).mean())
    all_due = all_breach = 0
    for g in range(n_pops):
        mine = [p for p in result.persons if p.population == g and p.custody_start < end]
        hours = [p.leave - p.custody_start for p in mine if p.leave < end]
        stats[f"custody_hours.mean.{g}"] = float(np.mean(hours)) if hours else math.nan
        limit = result.limits[g]
        due = [p for p in mine if p.custody_start + limit < end]
        breached = sum(1 for p in due if p.leave > p.custody_start + limit)
        stats[f"breaches.share.{g}"] = breached / len(due) if due else 0.0
        stats[f"occupancy.mean.{g}"] = float(result.occupancy[g].mean())
        all_due += len(due)
        all_breach += breached
    stats["breaches.share"] = all_breach / all_due if all_due else 0.0
    return stats
