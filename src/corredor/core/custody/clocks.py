"""Legal clocks across a custody journey.

A journey is one continuous stay in custody: it starts at the first moment in federal custody and goes on
through transfers (time in transit counts: the person is still held) until release, return or another exit.
For each rule that applies to the person's population, the clock starts at the journey's start and stops at
the first arrival at a facility of a kind the rule does not count (an unaccompanied child arriving at an ORR
shelter), or at the end of the journey. A transfer between counted facilities never resets it.

All instants are timezone-aware and compared in UTC; elapsed time is real elapsed time, so a deadline
crosses daylight-saving changes correctly (72 hours after 20:00 on the Saturday before the March change is
21:00 local on the Tuesday). `local_time` shows an instant in a facility's zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from zoneinfo import ZoneInfo

import numpy as np

from .rules import ClockRule

HOUR = 3600


class Level(IntEnum):
    """How close a clock is to its limit. Ordered: higher is worse. Stopped clocks are MET or BREACHED."""

    MET = 0
    RUNNING = 1
    WARNING = 2
    ESCALATED = 3
    BREACHED = 4


@dataclass(frozen=True)
class Stay:
    """One stay at a facility within a journey, in order."""

    facility_kind: str
    arrived_at: dt.datetime
    departed_at: dt.datetime | None = None


@dataclass(frozen=True)
class Clock:
    rule: ClockRule
    started_at: dt.datetime
    stopped_at: dt.datetime | None
    elapsed: dt.timedelta
    level: Level

    @property
    def running(self) -> bool:
        return self.stopped_at is None

    @property
    def deadline(self) -> dt.datetime:
        return self.started_at + dt.timedelta(hours=self.rule.limit_hours)

    @property
    def warning_at(self) -> dt.datetime:
        return self.started_at + dt.timedelta(hours=self.rule.warning_hours)

    @property
    def escalation_at(self) -> dt.datetime:
        return self.started_at + dt.timedelta(hours=self.rule.escalation_hours)

    @property
    def remaining(self) -> dt.timedelta:
        """Time left before the breach (negative once breached)."""
        return _hours_delta(self.rule.limit_hours) - self.elapsed

    @property
    def breached(self) -> bool:
        return self.level is Level.BREACHED


_LEVELS = {int(level): level for level in Level}


@cache
def _hours_delta(hours: float) -> dt.timedelta:
    return dt.timedelta(hours=hours)


def _aware(value: dt.datetime, name: str) -> dt.datetime:
    """The instant in UTC. Python adds a timedelta to an aware datetime on its wall clock, so arithmetic in a
    zone with daylight saving would be off by an hour across a change: everything here is done in UTC."""
    if value.tzinfo is dt.UTC:
        return value
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return value.astimezone(dt.UTC)


def level_for(rule: ClockRule, elapsed_hours: float, running: bool) -> Level:
    if elapsed_hours > rule.limit_hours:
        return Level.BREACHED
    if not running:
        return Level.MET
    if elapsed_hours >= rule.escalation_hours:
        return Level.ESCALATED
    if elapsed_hours >= rule.warning_hours:
        return Level.WARNING
    return Level.RUNNING


def stop_time(rule: ClockRule, stays: Sequence[Stay], ended_at: dt.datetime | None) -> dt.datetime | None:
    """When the rule's clock stops for this journey, or None while it runs."""
    for stay in stays:
        if stay.facility_kind not in rule.counted_facility_kinds:
            return stay.arrived_at
    return ended_at


def clock(rule: ClockRule, *, started_at: dt.datetime, stays: Sequence[Stay], ended_at: dt.datetime | None,
          now: dt.datetime) -> Clock | None:
    """The rule's clock for one journey, or None when the journey never entered a facility the rule counts."""
    started_at, now = _aware(started_at, "started_at"), _aware(now, "now")
    if not stays or stays[0].facility_kind not in rule.counted_facility_kinds:
        return None
    stopped = stop_time(rule, stays, ended_at)
    stopped = None if stopped is None else _aware(stopped, "stopped_at")
    end = stopped if stopped is not None else now
    elapsed = max(end - started_at, dt.timedelta(0))
    return Clock(rule, started_at, stopped, elapsed, level_for(rule, elapsed.total_seconds() / HOUR, stopped is None))


def clocks(rules: Sequence[ClockRule], *, population: str, started_at: dt.datetime, stays: Sequence[Stay],
           ended_at: dt.datetime | None, now: dt.datetime) -> list[Clock]:
    """Every clock that applies, tightest first (least time left; stopped clocks last)."""
    found = [c for r in rules if r.applies(population)
             if (c := clock(r, started_at=started_at, stays=stays, ended_at=ended_at, now=now)) is not None]
    return sorted(found, key=lambda c: (not c.running, c.remaining))


def local_time(instant: dt.datetime, zone: str) -> dt.datetime:
    """An instant as the wall-clock time at a facility."""
    return _aware(instant, "instant").astimezone(ZoneInfo(zone))


# --- many clocks at once ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockArrays:
    """Clocks of one rule for many journeys: elapsed and remaining seconds, and the level of each."""

    elapsed: np.ndarray  # float64 seconds
    remaining: np.ndarray  # float64 seconds (negative once breached)
    level: np.ndarray  # int8, values of Level


def clock_arrays(rule: ClockRule, *, started_at: np.ndarray, stopped_at: np.ndarray, now: float) -> ClockArrays:
    """`started_at` and `stopped_at` as epoch seconds (float64); a running clock has NaN for `stopped_at`.

    The same decisions as `level_for`, for a whole facility or the whole country in one pass.
    """
    running = np.isnan(stopped_at)
    end = np.where(running, now, stopped_at)
    elapsed = np.maximum(end - started_at, 0.0)
    hours = elapsed / HOUR
    level = np.full(elapsed.shape, Level.RUNNING, dtype=np.int8)
    level[hours >= rule.warning_hours] = Level.WARNING
    level[hours >= rule.escalation_hours] = Level.ESCALATED
    level[~running] = Level.MET
    level[hours > rule.limit_hours] = Level.BREACHED
    return ClockArrays(elapsed, rule.limit_hours * HOUR - elapsed, level)


@dataclass(frozen=True)
class Journey:
    """A journey as plain values, for computing many clocks at once."""

    population: str
    started_at: dt.datetime
    stays: Sequence[Stay]
    ended_at: dt.datetime | None = None


class ClockTable:
    """Every applicable clock of many journeys as arrays: levels and time left for all, Clock objects only for
    the journeys asked for (a board sorts thousands and lists a few hundred)."""

    def __init__(self, rules: Sequence[ClockRule], journeys: Sequence[Journey], now: dt.datetime) -> None:
        self.now = _aware(now, "now")
        self.journeys = journeys
        self.started = [_aware(j.started_at, "started_at") for j in journeys]
        epoch_started = [s.timestamp() for s in self.started]
        n = len(journeys)
        self.worst = np.zeros(n, dtype=np.int8)  # the worst level among running or breached clocks (0: none)
        self.tightest = np.full(n, np.inf)  # seconds left on the tightest running clock
        self.per_rule: list[tuple[ClockRule, list[int], ClockArrays, list[dt.datetime | None]]] = []
        for rule in rules:
            populations, counted = rule.populations, rule.counted_facility_kinds
            index: list[int] = []
            stops: list[float] = []
            stop_times: list[dt.datetime | None] = []
            for i, j in enumerate(journeys):
                if j.population not in populations or not j.stays or j.stays[0].facility_kind not in counted:
                    continue
                stopped = stop_time(rule, j.stays, j.ended_at)
                index.append(i)
                stops.append(float("nan") if stopped is None else stopped.timestamp())
                stop_times.append(None if stopped is None else _aware(stopped, "stopped_at"))
            if not index:
                continue
            stop_array = np.array(stops)
            arrays = clock_arrays(rule, started_at=np.array([epoch_started[i] for i in index]),
                                  stopped_at=stop_array, now=self.now.timestamp())
            where = np.array(index)
            running = np.isnan(stop_array)
            counts = running | (arrays.level == Level.BREACHED)
            np.maximum.at(self.worst, where[counts], arrays.level[counts])
            np.minimum.at(self.tightest, where[running], arrays.remaining[running])
            self.per_rule.append((rule, index, arrays, stop_times))
        self._position: list[dict[int, int]] = [{i: k for k, i in enumerate(index)}
                                                for _r, index, _a, _s in self.per_rule]

    def clocks(self, i: int) -> list[Clock]:
        """Journey i's clocks, tightest first (stopped clocks last), as `clocks()` gives them."""
        found = []
        for (rule, _index, arrays, stop_times), position in zip(self.per_rule, self._position, strict=True):
            k = position.get(i)
            if k is None:
                continue
            found.append(Clock(rule, self.started[i], stop_times[k], dt.timedelta(seconds=float(arrays.elapsed[k])),
                               _LEVELS[int(arrays.level[k])]))
        found.sort(key=lambda c: (not c.running, c.remaining))
        return found


def clocks_many(rules: Sequence[ClockRule], journeys: Sequence[Journey], now: dt.datetime) -> list[list[Clock]]:
    """Every applicable clock of every journey, tightest first, with the levels computed as arrays.

    The same clocks as `clocks()` journey by journey (a test holds them equal), for a board of thousands."""
    table = ClockTable(rules, journeys, now)
    return [table.clocks(i) for i in range(len(journeys))]
