"""The plain arrays the two allocation engines share: the prepared instance and the placement they return.

The engines (`_reference`, `_fast` and the compiled `_compiled`) read an `Instance` and return a
`Placement`; `allocator` turns the public inputs into an instance and the placement into the public
result. Everything is indexed by *rank* (0-based place in the queue), port id (index into the sorted port
codes) and day id (index into the sorted horizon), so the engines never touch dates, strings or the
public dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

VIA_RESERVE = 0
VIA_LOTTERY = 1
VIA_ARRIVAL = 2
VIA_NAMES = ("expedite_reserve", "lottery", "arrival_order")


@dataclass(slots=True)
class Instance:
    """A validated allocation problem in queue order.

    `schedulable[r]` is false for cases that never enter the engines: not ready, already scheduled, or
    a party larger than every port-day at all of its ports (such a party could otherwise hold seats
    empty forever under strict first-come-first-served).
    """

    ports: tuple[str, ...]  # sorted port codes; the index is the port id
    days: tuple[date, ...]  # the horizon, ascending; the index is the day id
    # Integer columns are int64 when numpy prepared them, int32 from the compiled pass (`_compiled.by_rank`).
    size: np.ndarray  # by rank: party size
    cls: np.ndarray  # by rank: preference-list id
    classes: list[tuple[int, ...]]  # preference-list id -> port ids in preference order
    nb: np.ndarray  # by rank: first day id the case may be scheduled on (len(days) = never)
    expedite: np.ndarray  # bool by rank
    schedulable: np.ndarray  # bool by rank
    reserve: np.ndarray  # int64 [port, day]: seats reserved for expedited cases
    lottery: np.ndarray  # int64 [port, day]: seats drawn by lottery
    general: np.ndarray  # int64 [port, day]: seats filled in queue order
    max_reserve: list[int]  # per port: the largest reserve of any day (a bigger party never fits it)
    max_open: list[int]  # per port: the most seats any day offers after existing appointments


@dataclass(slots=True)
class Placement:
    """What an engine decided, by rank: day id and port id (-1 when unplaced), how, and whether it jumped.

    The Python engines return lists; the compiled one arrays (int32 day and port, int8 via, bool), so
    readers convert with np.asarray to the type they need.
    """

    day: list[int] | np.ndarray
    port: list[int] | np.ndarray
    via: list[int] | np.ndarray  # VIA_* (-1 when unplaced)
    out_of_order: list[bool] | np.ndarray


def usable_ports(ports: tuple[int, ...], size: int, limit: list[int]) -> tuple[int, ...]:
    """The ports of a preference list whose pool could ever seat a party of `size`.

    Only these ports are held for a waiting party under strict first-come-first-served, and only on
    these ports does a smaller party that takes the seats count as having jumped the line.
    """
    return tuple(p for p in ports if size <= limit[p])
