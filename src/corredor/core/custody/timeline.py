"""Checks on a custody timeline before anything is written: impossible timelines are refused whole.

Each check returns a list of (field, message) problems; an empty list means the change may be written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

# A clock that is a little ahead of the server's should not block a record; anything further ahead is a typo.
FUTURE_TOLERANCE = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Interval:
    """A stay already on record: at `facility`, from `start` to `end` (None while open)."""

    facility: str
    start: dt.datetime
    end: dt.datetime | None


Problem = tuple[str, str]


def _fmt(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def check_arrival(existing: Sequence[Interval], *, facility: str, arrived_at: dt.datetime,
                  now: dt.datetime) -> list[Problem]:
    """A new arrival in custody for a person whose earlier stays are `existing`."""
    problems: list[Problem] = []
    if arrived_at > now + FUTURE_TOLERANCE:
        problems.append(("arrived_at", f"The arrival time {_fmt(arrived_at)} is in the future."))
    for stay in existing:
        if stay.end is None:
            problems.append(("arrived_at", f"Already in custody at {stay.facility} since {_fmt(stay.start)}: "
                                           "record a transfer or an exit there first."))
        elif stay.start <= arrived_at < stay.end:
            problems.append(("arrived_at", f"Overlaps an earlier stay at {stay.facility} "
                                           f"({_fmt(stay.start)} to {_fmt(stay.end)})."))
        elif arrived_at < stay.start:
            problems.append(("arrived_at", f"Is before a later stay already on record at {stay.facility} "
                                           f"({_fmt(stay.start)}); records are added in order."))
    return problems


def check_departure(current: Interval, *, departed_at: dt.datetime, now: dt.datetime,
                    field: str = "departed_at") -> list[Problem]:
    """Leaving the current stay (transfer, release, return or another exit)."""
    problems: list[Problem] = []
    if current.end is not None:
        problems.append((field, f"The stay at {current.facility} already ended at {_fmt(current.end)}."))
    if departed_at < current.start:
        problems.append((field, f"The departure {_fmt(departed_at)} is before the arrival at {current.facility} "
                                f"({_fmt(current.start)})."))
    if departed_at > now + FUTURE_TOLERANCE:
        problems.append((field, f"The departure time {_fmt(departed_at)} is in the future."))
    return problems


def check_transfer(current: Interval, *, departed_at: dt.datetime, arrived_at: dt.datetime | None,
                   destination: str, now: dt.datetime) -> list[Problem]:
    """A transfer: departure from the current stay, arrival (now or later) at the destination."""
    problems = check_departure(current, departed_at=departed_at, now=now)
    if destination == current.facility:
        problems.append(("to_facility", "A transfer goes to another facility."))
    if arrived_at is not None:
        if arrived_at < departed_at:
            problems.append(("arrived_at", f"The arrival {_fmt(arrived_at)} is before the departure "
                                           f"{_fmt(departed_at)}."))
        if arrived_at > now + FUTURE_TOLERANCE:
            problems.append(("arrived_at", f"The arrival time {_fmt(arrived_at)} is in the future; record the "
                                           "departure now and the arrival when it happens."))
    return problems
