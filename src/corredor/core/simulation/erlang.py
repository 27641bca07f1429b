"""Erlang C: waiting in an M/M/c queue, and the engine configuration that is one.

Which stage is checked. The port stage is not M/M/c: it serves a fixed number of people per day in batches
spread over the service window (a deterministic, day-batched server), so no Erlang formula applies to it.
The reception stage is: people entering custody take a bed of their population if one is free and
otherwise wait (first come first served) until one frees, so beds are the c servers and the time in a bed
is the service time. With the port stage in ``pass_through`` mode (custody starts at the arrival instant,
which is a Poisson process because daily Poisson counts have uniform arrival times within the day), one
population, exponential time in the bed and no return, the wait for a bed is exactly the M/M/c waiting
time. `mmc_check_scenario` builds that configuration; the tests compare the engine's (and SimPy's) mean
wait for a bed and share who waited with `mmc` after a warm-up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .scenario import POPULATIONS, SINGLE_ADULT_MEN, Scenario, load_scenario


def erlang_b(servers: int, offered_load: float) -> float:
    """Blocking probability of M/M/c/c with `offered_load` = arrival rate x mean service time (erlangs)."""
    if servers < 0 or offered_load < 0:
        raise ValueError("servers and offered load must be >= 0")
    blocking = 1.0
    for k in range(1, servers + 1):  # B(k) = A B(k-1) / (k + A B(k-1)), stable for large c
        blocking = offered_load * blocking / (k + offered_load * blocking)
    return blocking


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival has to wait in M/M/c (requires offered_load < servers)."""
    if offered_load >= servers:
        return 1.0
    blocking = erlang_b(servers, offered_load)
    return servers * blocking / (servers - offered_load * (1.0 - blocking))


@dataclass(frozen=True)
class MMC:
    """Steady-state figures of M/M/c; times in the unit of the mean service time."""

    servers: int
    mean_service: float
    offered_load: float
    utilisation: float
    wait_probability: float
    mean_wait: float
    mean_queue: float

    def wait_exceeds(self, t: float) -> float:
        """P(wait > t) = C(c, A) exp(-(c - A) t / mean service)."""
        if self.utilisation >= 1:
            return 1.0
        return self.wait_probability * math.exp(-(self.servers - self.offered_load) * t / self.mean_service)


def mmc(arrival_rate: float, mean_service: float, servers: int) -> MMC:
    """M/M/c with arrivals per unit of time and the mean service time in that unit."""
    load = arrival_rate * mean_service
    if load >= servers:
        return MMC(servers, mean_service, load, load / servers if servers else math.inf, 1.0, math.inf, math.inf)
    wait_probability = erlang_c(servers, load)
    mean_wait = wait_probability * mean_service / (servers - load)
    return MMC(servers, mean_service, load, load / servers, wait_probability, mean_wait, arrival_rate * mean_wait)


def mmc_check_scenario(arrivals_per_day: float, mean_bed_hours: float, beds: int, horizon_days: int
                       ) -> Scenario:
    """An engine configuration that is M/M/c: Poisson arrivals straight into custody, one population,
    exponential time in the bed (`mean_bed_hours`), `beds` servers, nobody returned, no other delay."""
    zero = {"distribution": "fixed", "value": "0 h"}

    def population(beds_here: int) -> dict[str, Any]:
        return {"beds": f"{beds_here} beds", "custody_limit": "72 h",
                "screening": {"distribution": "exponential", "mean": f"{mean_bed_hours} h"},
                "legal_orientation": zero, "release_planning": zero, "sponsor_delay": zero}

    populations = {code: population(beds if code == SINGLE_ADULT_MEN else 0) for code in POPULATIONS}
    children = populations.pop("unaccompanied_children")
    children.pop("sponsor_delay")
    populations["unaccompanied_children"] = children
    return load_scenario({
        "name": f"M/M/{beds} check",
        "horizon": f"{horizon_days} days",
        "arrivals": {"process": "poisson", "daily_rate": f"{arrivals_per_day} persons/day",
                     "composition": {"population": {c: f"{1 if c == SINGLE_ADULT_MEN else 0} share"
                                                    for c in POPULATIONS}}},
        "ports": [{"code": "check", "arrival_share": "1 share", "appointment_capacity": "0 persons/day",
                   "officers": "0 officers", "interviews_per_officer": "0 persons/officer/day"}],
        "port_processing": {"mode": "pass_through", "min_wait": "0 days", "opening_hour": "0 hour-of-day",
                            "service_hours": "24 h"},
        "populations": populations,
        "orr": {"placements_per_day": "0 placements/day"},
        "costs": {"officer_day": "0 USD/officer-day", "bed_night": "0 USD/bed-night",
                  "orr_placement_day": "0 USD/placement-day"},
    })
