"""The appointment allocator: who is seen at which port of entry on which day, and why.

The Blueprint asks that people waiting in Mexico to seek asylum be received at each port's full daily
processing capacity, in the order they arrived, with the particularly vulnerable expedited and families
kept together. `allocate` is that rule as a pure, deterministic function: explicit inputs (waiting cases,
published capacity, appointments already published, a policy, a seed) in, plain data out. It reads no
clock, no database and no global state; the same inputs and seed always give the same result.

Semantics (the tests, the reference engine and the OR-Tools oracle check exactly these):

Queue. Cases are ordered by (rescheduled first, place_in_line, tiebreak, case_id); `position` is the
1-based place in that order among *all* cases passed in (ready or not, already scheduled or not), so a
position never depends on who happens to be ready. A case that appears in `existing` is reported as
"already_scheduled" and never moved; a case with ready=False keeps its position but is reported
"not_ready". A party larger than every port-day at all of its ports (after existing appointments) is
reported "party_larger_than_any_port_day" and takes no part in the allocation: families are never split,
and under strict order such a party would otherwise hold seats empty forever. (If its ports never open
at all, it is "no_capacity_in_horizon" instead.)

Capacity. The horizon is the set of days present in `capacity`; a port-day missing from it has capacity
0. Existing appointments consume their port-day's seats first (C' = C - existing, never below 0). From C'
the policy carves, in exact decimal arithmetic on the shares as written: an expedite reserve
R = min(floor(C * expedite_share), C'), lottery seats L = min(floor(C * lottery_share), C' - R) and the
general pool G = C' - R - L, where C is the published capacity (the reserve is not reduced for expedited
people among the existing appointments: it is computed on what is left).

Each day, in date order, three pools are served:
1. Expedite reserve: expedited ready cases, in queue order, each take the first of their ports (in
   preference order) whose reserve still has room for the whole party. Unused reserve seats are released
   to that port-day's general pool.
2. Lottery (only when lottery seats exist): ports in ascending code order; for each, while seats remain,
   the candidates are the waiting cases (ready, not yet placed, not_before <= day) that list the port and
   whose party fits the seats left, ordered by (party size, queue position); one is drawn with
   `rng.randrange(len(candidates))` where rng = random.Random(seed), created once per call. Undrawn seats
   are released to the general pool. With no lottery seats no random number is drawn, so the seed has no
   effect.
3. General pool: every waiting case (expedited ones too, at their normal place), in queue order, takes
   the first of its ports with room for the whole party.
A case is only considered on days on or after its not_before, and only at the ports it lists. Because it
is considered every day until placed, it gets the earliest day on which one of its ports has room for it
when its turn comes, and on that day the earliest-listed such port.

Families. A party needs party_size seats on one port-day; it is never split.

Backfill. With backfill=True a later, smaller party may take seats an earlier, larger party could not use
that day; such an assignment is flagged out_of_order. With backfill=False (strict first-come-first-served)
a party that finds no seat holds its ports for the rest of that pool and day: nobody behind it is seated
there that day, and the seats stay empty (a reserve's leftover is still released to the general pool,
where the same rule applies). A party only holds a port whose pool could ever seat it (its size is at most
the largest reserve, respectively the largest day's capacity, at that port). Nothing is then out of order.

Out of order, precisely. An assignment of case B to port p on day d through the reserve or the general
pool is out_of_order when some case A ahead of B in the queue was waiting for that same pool at p that day
(schedulable, not_before <= d, p among A's ports and able to seat A, and expedited for the reserve) and
A ends up on a later day or unplaced. Expedited seats from the reserve and lottery seats are never "out of
order" with respect to non-expedited cases or non-winners: they are the policy.

Guarantees (property-tested): no port-day exceeds its capacity (existing + new); parties are never split;
every assignment is at one of the case's ports, on a horizon day >= not_before; existing appointments are
untouched and their cases never reassigned; same inputs and seed give identical results; with no lottery
seats the seed has no effect; without lottery, for two cases with the same ports, party size and
not_before, A ahead of B in the queue (unless B is expedited and A is not) is never seated after B; with
backfill=False, no assignment is out of order; with no reserve or lottery the result is the
lexicographically best assignment in queue order, each case taking its best (day, port) given those ahead
of it (checked against OR-Tools' min-cost flow for parties of one, and by enumerating every assignment for
families; under strict order, best among assignments where nobody jumps).

Engines. Three engines place the cases, all by the rules above and with identical results: `_reference`
(the rules written plainly; slow), `_fast` (Python, in time proportional to the seats handed out) and
`_compiled` (the same algorithm as a numba kernel, lottery included: it reproduces `random.Random`'s
draws). `allocate` runs `_fast` below COMPILED_FROM_CASES cases and `_compiled` from there on (the compiled
engine's first use in a process costs importing numba and loading the cached kernels, which a small run
would not earn back); `allocate_reference` runs `_reference`. The tests hold the three equal case by case.
`allocate` pauses the cyclic garbage collector while it runs (see `_collector_paused`).

`allocate_arrays` is the same problem for whole-registry sweeps: columns in (`ArrayInstance`, one numpy
entry per case), columns out (`ArrayResult`: port, day, via, position, port choice, out_of_order and
unassigned code per case), without reasons. It always runs compiled: validation, queue order, the columns
by rank, the engine and the per-case result columns are compiled passes (`_compiled`). The tests hold its
decisions equal to `allocate`'s case by case (for small instances, against the Python engine).

Results are ordered by position. Every Assignment.reason states the position (with thousands separators)
and the place-in-line date, the expedite reason if any, "lottery draw" for lottery seats, "family of N
kept together" when N > 1, and for a later-choice port why: "second-choice port because the first was full
until <date>", where <date> is the first later day on which the preferred port ended with enough free seats
for the party (or "through <last day>" when it never did). reason_parts carries the same facts as plain,
JSON-ready values (dates as ISO strings) so a page can render them in Spanish.
"""

from __future__ import annotations

import gc
import random
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date
from fractions import Fraction
from functools import lru_cache
from operator import attrgetter
from types import ModuleType
from typing import Any

import numpy as np

from . import _fast, _reference
from ._model import VIA_ARRIVAL, VIA_LOTTERY, VIA_NAMES, VIA_RESERVE, Instance, Placement

CODES = ("not_ready", "no_capacity_in_horizon", "party_larger_than_any_port_day", "already_scheduled")


@dataclass(frozen=True, slots=True)
class WaitingCase:
    """A case waiting for an appointment: one party (a person or a whole family) and its place in line."""

    case_id: int
    party_size: int  # persons; a family is one unit: same day, same port
    place_in_line: date  # original registration or legacy-list date
    tiebreak: int  # stable secondary order within a date (list position or case id)
    ports: tuple[str, ...]  # port codes in preference order; a single port = cannot travel elsewhere
    expedite: bool = False
    expedite_reason: str = ""  # plain words, e.g. "unaccompanied child"
    ready: bool = True  # not ready: keeps its place in line but is not scheduled
    not_ready_reason: str = ""
    rescheduled: bool = False  # a coordinator rescheduled it: keeps priority over everyone behind it
    not_before: date | None = None  # earliest acceptable day (e.g. travel time)


@dataclass(frozen=True, slots=True)
class PortDay:
    """Persons a port can process on a day (0 = closed)."""

    port: str
    day: date
    capacity: int


@dataclass(frozen=True, slots=True)
class ExistingAppointment:
    """An appointment already published: never moved; it consumes capacity."""

    case_id: int
    port: str
    day: date
    party_size: int


_DESCRIPTIONS = {
    "en": {
        "intro": "Appointment policy {version}. Each port's daily capacity is filled in order of arrival: the "
                 "people who registered first are seen first, and a case a coordinator reschedules keeps its "
                 "place ahead of everyone behind it.",
        "reserve": "{share} of each port's daily places are set aside for people who need to be seen sooner "
                   "(for example an unaccompanied child); places they do not use go to the next people in line.",
        "no_reserve": "No places are set aside for expedited cases.",
        "lottery": "{share} of each port's daily places are drawn by lottery among the people waiting for "
                   "that port; the draw is recorded and can be repeated.",
        "no_lottery": "No places are drawn by lottery.",
        "family": "A family is always scheduled together, on the same day at the same port.",
        "backfill": "If the next family in line is too large for the places left that day, a smaller party "
                    "behind it may take them; this is recorded.",
        "strict": "Strict order: if the next family in line is too large for the places left that day, those "
                  "places stay empty rather than go to someone behind it.",
    },
    "es": {
        "intro": "Política de citas {version}. La capacidad diaria de cada puerto se llena por orden de llegada: "
                 "quienes se registraron primero pasan primero, y un caso que una coordinadora reprograma "
                 "conserva su lugar delante de todas las personas que vienen detrás.",
        "reserve": "El {share} de los lugares diarios de cada puerto se reserva para personas que necesitan ser "
                   "atendidas antes (por ejemplo, una niña o un niño no acompañado); los lugares que no se usan "
                   "pasan a las siguientes personas de la fila.",
        "no_reserve": "No se reservan lugares para casos prioritarios.",
        "lottery": "El {share} de los lugares diarios de cada puerto se sortea entre las personas que esperan "
                   "ese puerto; el sorteo queda registrado y puede repetirse.",
        "no_lottery": "No se sortea ningún lugar.",
        "family": "Una familia siempre recibe su cita junta, el mismo día y en el mismo puerto.",
        "backfill": "Si la siguiente familia de la fila no cabe en los lugares que quedan ese día, un grupo más "
                    "pequeño que viene detrás puede ocuparlos; esto queda registrado.",
        "strict": "Orden estricto: si la siguiente familia de la fila no cabe en los lugares que quedan ese día, "
                  "esos lugares quedan vacíos en vez de pasar a alguien que viene detrás.",
    },
}


def _percent(share: float, language: str) -> str:
    value = Fraction(repr(share)) * 100
    text = str(int(value)) if value.denominator == 1 else f"{float(value):g}"
    return f"{text}%" if language == "en" else f"{text} %"


@dataclass(frozen=True, slots=True)
class Policy:
    """The allocation rule's parameters: what an auditor needs to reproduce a run (with the seed)."""

    version: str = "2026-1"
    expedite_share: float = 0.20  # share of each port-day reserved for expedited cases (released if unused)
    lottery_share: float = 0.0  # share of each port-day drawn by seeded lottery among waiting cases (off)
    backfill: bool = True  # True: a smaller, later party may use seats an earlier, larger one cannot (flagged)

    def __post_init__(self) -> None:
        for name in ("expedite_share", "lottery_share"):
            share = getattr(self, name)
            if not 0.0 <= share <= 1.0:  # also refuses NaN
                raise ValueError(f"{name} must be between 0 and 1, not {share!r}")
        if Fraction(repr(self.expedite_share)) + Fraction(repr(self.lottery_share)) > 1:
            raise ValueError("expedite_share + lottery_share must not exceed 1")
        if not self.version:
            raise ValueError("a policy needs a version")

    def describe(self, language: str = "en") -> str:
        """The policy in plain words, in English ("en") or Spanish ("es")."""
        texts = _DESCRIPTIONS.get(language)
        if texts is None:
            raise ValueError(f"no description in {language!r}; available: en, es")
        lines = [texts["intro"].format(version=self.version)]
        if self.expedite_share > 0:
            lines.append(texts["reserve"].format(share=_percent(self.expedite_share, language)))
        else:
            lines.append(texts["no_reserve"])
        if self.lottery_share > 0:
            lines.append(texts["lottery"].format(share=_percent(self.lottery_share, language)))
        else:
            lines.append(texts["no_lottery"])
        lines.append(texts["family"])
        lines.append(texts["backfill"] if self.backfill else texts["strict"])
        return " ".join(lines)


@dataclass(frozen=True, slots=True)
class Assignment:
    """An appointment the allocator proposes for one case, with its explanation."""

    case_id: int
    port: str
    day: date
    party_size: int
    position: int  # 1-based place in line among all waiting cases (ready or not)
    via: str  # "expedite_reserve" | "arrival_order" | "lottery"
    port_choice: int  # 1 = first preference
    out_of_order: bool  # seated before a case ahead of it that was waiting for the same seats that day
    reason: str  # plain English
    reason_parts: dict[str, object]  # the same facts, structured (JSON-ready)


@dataclass(frozen=True, slots=True)
class Unassigned:
    """A case the allocator did not place, and why."""

    case_id: int
    position: int
    code: str  # "not_ready" | "no_capacity_in_horizon" | "party_larger_than_any_port_day" | "already_scheduled"
    reason: str  # plain English


@dataclass(frozen=True)
class AllocationResult:
    """Assignments and unassigned cases (both ordered by position) and run statistics."""

    assignments: tuple[Assignment, ...]
    unassigned: tuple[Unassigned, ...]
    stats: dict[str, object] = field(default_factory=dict)


Engine = Callable[[Instance, bool, random.Random], Placement]

# From this many cases `allocate` runs the compiled engine. Below it `_fast` places everyone in well under a
# tenth of a second, less than what the compiled engine's first use costs a process (importing numba and
# loading the cached kernels: two to three seconds; the benchmark prints it). Both give identical results.
COMPILED_FROM_CASES = 100_000


def allocate(cases: Sequence[WaitingCase], capacity: Sequence[PortDay], existing: Sequence[ExistingAppointment],
             policy: Policy, seed: int = 0) -> AllocationResult:
    """Allocate appointments to waiting cases by the rules in this module's docstring.

    Raises ValueError on malformed input: duplicate case ids, a party size below 1 (or absurdly large,
    2**31 or more), a case without ports or listing a port twice, a port-day listed twice in `capacity`,
    or negative capacity. Case ids and tiebreaks must fit in 64 bits (OverflowError otherwise).
    """
    engine, compiled = _engine(len(cases))
    return _allocate(cases, capacity, existing, policy, seed, engine, compiled)


def _engine(cases: int) -> tuple[Engine, bool]:
    """`allocate`'s engine for this many cases, and whether the compiled queue sort goes with it."""
    if cases >= COMPILED_FROM_CASES:
        return _compiled_module().place, True
    return _fast.place, False


def _compiled_module() -> ModuleType:
    """The compiled kernels, imported on first use: importing numba alone takes about a second."""
    module = sys.modules.get(f"{__package__}._compiled")
    if module is None:
        from . import _compiled

        module = _compiled
    return module


def allocate_reference(cases: Sequence[WaitingCase], capacity: Sequence[PortDay],
                       existing: Sequence[ExistingAppointment], policy: Policy, seed: int = 0) -> AllocationResult:
    """The same as `allocate`, computed by the plain reference engine (slow: for tests and audits)."""
    return _allocate(cases, capacity, existing, policy, seed, _reference.place)


# --- whole-registry planning: columns in, columns out ----------------------------------------------------

VIA_CODES = ("none", "expedite_reserve", "arrival_order", "lottery")  # ArrayResult.via: index -> name
UNASSIGNED_CODES = ("assigned", *CODES)  # ArrayResult.unassigned_code: index -> code


@dataclass(frozen=True)
class ArrayInstance:
    """A whole registry as plain numpy arrays: one entry per case, in any order.

    The same problem `allocate` solves, without per-case objects (a planner loads these columns straight
    from its database). Dates are day ordinals (`date.toordinal()`). Ports are indexes into `ports`, in any
    order (the engine still serves lottery ports in ascending code order). Every (port, day) of `capacity`
    counts as published; a day missing from `days` is outside the horizon, exactly as a day absent from
    `allocate`'s capacity list. Integer columns may be any integer dtype that holds the values.
    """

    case_id: np.ndarray  # int64
    party_size: np.ndarray  # int32 persons
    place_in_line: np.ndarray  # int32 day ordinal
    tiebreak: np.ndarray  # int64
    expedite: np.ndarray  # bool
    ready: np.ndarray  # bool
    rescheduled: np.ndarray  # bool
    not_before: np.ndarray  # int32 day ordinal, 0 for none
    port_prefs: np.ndarray  # int16 (n, k): port indexes in preference order, then -1 padding (at least one port)
    ports: tuple[str, ...]  # port index -> port code
    days: np.ndarray  # int32 day ordinals of the horizon, strictly increasing
    capacity: np.ndarray  # int32 (len(ports), len(days)): persons each port can process each day


@dataclass(frozen=True)
class ArrayResult:
    """`allocate`'s decisions as arrays, one entry per case in the instance's order (no reasons).

    For every case these equal the matching Assignment / Unassigned of `allocate` on the same input:
    port (an index into ArrayInstance.ports), day (ordinal), via (VIA_CODES), position, port_choice,
    out_of_order and the unassigned code (UNASSIGNED_CODES).
    """

    port: np.ndarray  # int16: port index, -1 when unassigned
    day: np.ndarray  # int32: day ordinal, 0 when unassigned
    via: np.ndarray  # int8: 0 none, 1 expedite_reserve, 2 arrival_order, 3 lottery
    position: np.ndarray  # int64: 1-based place in line among all cases
    port_choice: np.ndarray  # int8: 1 = first preference, 0 when unassigned
    out_of_order: np.ndarray  # bool
    unassigned_code: np.ndarray  # int8: 0 assigned, 1 not_ready, 2 no_capacity_in_horizon,
    #                                     3 party_larger_than_any_port_day, 4 already_scheduled
    stats: dict[str, object]  # counts as in AllocationResult.stats, and "used": persons per [port, day] (new)


def allocate_arrays(instance: ArrayInstance, policy: Policy, seed: int = 0,
                    existing: Sequence[ExistingAppointment] = ()) -> ArrayResult:
    """Allocate a whole registry given as arrays: the same rules and decisions as `allocate`, no reasons.

    Runs compiled (`_compiled`); the first call in a process imports numba and loads the kernels.
    Raises ValueError on malformed input, as `allocate` does, and on arrays of the wrong length or shape,
    a port index out of range, padding before a port, or days not strictly increasing.
    """
    compiled = _compiled_module()
    with _collector_paused():
        cols = _prepare_arrays(instance, existing, policy)
        placement = compiled.place(cols.inst, policy.backfill, random.Random(seed))  # noqa: S311 (as in allocate)
        return _array_result(cols, placement, policy, seed)


@dataclass(slots=True)
class _Columns:
    inst: Instance
    order: np.ndarray  # rank -> input index
    status: np.ndarray  # by rank
    caller_port: np.ndarray  # sorted port id -> index into instance.ports (-1: a port only in `existing`)
    given: tuple[str, ...]  # instance.ports
    day_ordinals: np.ndarray  # int64 day id -> ordinal
    choice_table: np.ndarray  # [class, port id] -> 1-based preference (0: not listed)


def _prepare_arrays(instance: ArrayInstance, existing: Sequence[ExistingAppointment], policy: Policy) -> _Columns:
    n = len(instance.case_id)
    for name in ("party_size", "place_in_line", "tiebreak", "expedite", "ready", "rescheduled", "not_before"):
        if np.shape(getattr(instance, name)) != (n,):
            raise ValueError(f"{name} must have one entry per case ({n})")
    # Integer columns stay in the type given when it is int16, int32 or int64 (no copies: the compiled
    # passes take each of these); any other type is read as int64.
    prefs = _integers(instance.port_prefs)
    if prefs.ndim != 2 or prefs.shape[0] != n or (n and prefs.shape[1] == 0):
        raise ValueError("port_prefs must have shape (cases, k) with k >= 1")
    ids = _integers(instance.case_id)
    sizes = _integers(instance.party_size)
    compiled = _compiled_module()
    _check_ids_and_sizes(ids, sizes, compiled=True)

    given = tuple(instance.ports)
    if len(set(given)) != len(given):
        raise ValueError("ports lists a code twice")
    day_ordinals = np.asarray(instance.days, dtype=np.int64).reshape(-1)
    if len(day_ordinals) > 1 and (day_ordinals[1:] <= day_ordinals[:-1]).any():
        raise ValueError("days must be strictly increasing")
    capacity = np.asarray(instance.capacity, dtype=np.int64)
    if capacity.shape != (len(given), len(day_ordinals)):
        raise ValueError("capacity must have shape (len(ports), len(days))")
    if capacity.size and capacity.min() < 0:
        raise ValueError("negative capacity")

    # The engine numbers ports in code order; existing appointments may name ports with no capacity.
    port_codes = sorted(set(given) | {a.port for a in existing})
    port_id = {code: i for i, code in enumerate(port_codes)}
    sorted_of_given = np.asarray([port_id[code] for code in given], dtype=np.int64)
    caller_port = np.full(len(port_codes), -1, dtype=np.int64)
    caller_port[sorted_of_given] = np.arange(len(given))
    cap = np.zeros((len(port_codes), len(day_ordinals)), dtype=np.int64)
    cap[sorted_of_given] = capacity

    # Preference lists: validated and numbered in one compiled pass (on the caller's port indexes); only the
    # distinct lists are then mapped to engine port ids.
    fault, row, cls_input, first = compiled.classify(prefs, len(given))
    if fault == 1:
        raise ValueError("every case needs at least one port, and -1 may only pad the end of port_prefs")
    if fault == 2:
        raise ValueError("port_prefs names a port index outside ports")
    if fault == 3:
        named = tuple(given[p] for p in prefs[row].tolist() if p >= 0)
        raise ValueError(f"a preference list names a port twice: {named}")
    if cls_input is not None:
        rows = prefs[first]
    else:  # very many ports and long lists: compare rows (slower, never overflows)
        rows, cls_input = np.unique(prefs, axis=0, return_inverse=True)
    rows = np.where(rows >= 0, sorted_of_given[np.maximum(rows, 0)], -1)
    cls_input = np.asarray(cls_input).reshape(n)  # int32 from the compiled pass, int64 from np.unique
    classes = [tuple(p for p in row if p >= 0) for row in rows.tolist()]
    choice_table = np.zeros((max(len(classes), 1), len(port_codes)), dtype=np.int64)
    on_list = rows >= 0  # [list, j]: the list's j-th choice is rows[list, j]
    choice_table[np.nonzero(on_list)[0], rows[on_list]] = np.nonzero(on_list)[1] + 1

    day_id = {d: i for i, d in enumerate(day_ordinals.tolist())}
    used = np.zeros_like(cap)
    scheduled_ids: set[int] = set()
    for appointment in existing:
        if appointment.party_size < 1:
            raise ValueError(f"existing appointment of case {appointment.case_id} has no persons")
        scheduled_ids.add(appointment.case_id)
        d_id = day_id.get(appointment.day.toordinal())
        if d_id is not None:
            used[port_id[appointment.port], d_id] += appointment.party_size
    remaining, reserve, lottery, general = _seats(cap, used, policy)

    inst, order, status = _queued(
        ids=ids, sizes=sizes, cls_input=cls_input, classes=classes,
        line_day=_integers(instance.place_in_line), tiebreak=_integers(instance.tiebreak),
        rescheduled=np.asarray(instance.rescheduled, dtype=bool), not_before=_integers(instance.not_before),
        day_ordinals=day_ordinals,
        expedite=np.asarray(instance.expedite, dtype=bool), ready=np.asarray(instance.ready, dtype=bool),
        scheduled=np.isin(ids, np.fromiter(scheduled_ids, dtype=np.int64, count=len(scheduled_ids)))
        if scheduled_ids else np.zeros(n, dtype=bool),
        ports=tuple(port_codes), days=tuple(map(date.fromordinal, day_ordinals.tolist())), remaining=remaining,
        reserve=reserve, lottery=lottery, general=general, compiled=True)
    return _Columns(inst=inst, order=order, status=status, caller_port=caller_port, given=given,
                    day_ordinals=day_ordinals, choice_table=choice_table)


def _integers(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values)
    return values if values.dtype in (np.int16, np.int32, np.int64) else values.astype(np.int64)


def _array_result(cols: _Columns, placement: Placement, policy: Policy, seed: int) -> ArrayResult:
    inst = cols.inst
    n = len(inst.size)
    n_days = len(inst.days)
    port, day, via, position, choice, out_of_order, unassigned, by_via, counts, everyone, jumped = \
        _compiled_module().scatter(cols.order, placement, cols.status, inst.cls, inst.size, cols.caller_port,
                                   cols.day_ordinals, cols.choice_table, _ARRAY_VIA, _ARRAY_CODE_OF_STATUS,
                                   len(cols.given), n_days)  # by_via: persons per [via, caller's port, day]
    persons = by_via.sum(axis=(1, 2)).tolist()
    used = by_via.sum(axis=0)
    counts = counts.tolist()  # cases per UNASSIGNED_CODES entry
    stats: dict[str, object] = {
        "policy_version": policy.version,
        "seed": seed,
        "cases": n,
        "persons": int(everyone),
        "assigned_cases": counts[0],
        "assigned_persons": int(used.sum()),
        "unassigned_by_code": dict(zip(CODES, counts[1:], strict=True)),
        "out_of_order": int(jumped),
        "expedite_persons": persons[VIA_RESERVE],
        "lottery_persons": persons[VIA_LOTTERY],
        "arrival_order_persons": persons[VIA_ARRIVAL],
        "horizon": [d.isoformat() for d in inst.days[:1] + inst.days[-1:]],
        "used": used,
    }
    return ArrayResult(port=port, day=day, via=via, position=position, port_choice=choice,
                       out_of_order=out_of_order, unassigned_code=unassigned, stats=stats)


# --- preparation -----------------------------------------------------------------------------------------

_STATUS_WAITING, _STATUS_NOT_READY, _STATUS_SCHEDULED, _STATUS_TOO_LARGE = 0, 1, 2, 3
_CODE_OF_STATUS = ("no_capacity_in_horizon", "not_ready", "already_scheduled", "party_larger_than_any_port_day")
_PACK_LIMIT = 1 << 62  # packed integer keys below this fit in int64
# Engine via (VIA_RESERVE, VIA_LOTTERY, VIA_ARRIVAL, unplaced = -1, read as index 3) -> ArrayResult.via.
_ARRAY_VIA = np.asarray([VIA_CODES.index(VIA_NAMES[0]), VIA_CODES.index(VIA_NAMES[1]),
                         VIA_CODES.index(VIA_NAMES[2]), 0], dtype=np.int8)
_ARRAY_CODE_OF_STATUS = np.asarray([UNASSIGNED_CODES.index(code) for code in _CODE_OF_STATUS], dtype=np.int8)


@dataclass(slots=True)
class _Prepared:
    inst: Instance
    cases: Sequence[WaitingCase]
    order: list[int]  # rank -> index into cases
    order_array: np.ndarray  # the same, as int64
    ids: np.ndarray  # int64 by rank: case ids
    rescheduled: np.ndarray  # bool by rank
    has_not_before: np.ndarray  # bool by rank
    status: np.ndarray  # by rank: one of the _STATUS_* values (int64, or int8 from the compiled pass)
    existing_of: dict[int, ExistingAppointment]
    capacity: np.ndarray  # [port, day] published capacity (0 where not published)
    published: np.ndarray  # [port, day] True where the port-day is in `capacity`
    existing_used: np.ndarray  # [port, day] persons in existing appointments
    remaining: np.ndarray  # [port, day] capacity left after existing appointments


@lru_cache(maxsize=64)
def _exact(share: float) -> Fraction:
    return Fraction(repr(share))  # "0.29" means 29/100: floor(100 * 0.29) is 29, not 28


def _shares(capacity: np.ndarray, share: float) -> np.ndarray:
    exact = _exact(share)
    if exact.denominator < 1 << 62 and exact.numerator * int(capacity.max(initial=0)) < 1 << 62:
        return capacity * exact.numerator // exact.denominator  # exact in int64 (capacity is never negative)
    # Python integers: a share written as 1e-20 has a denominator beyond 64 bits.
    seats = [[seats * exact.numerator // exact.denominator for seats in row] for row in capacity.tolist()]
    return np.asarray(seats, dtype=np.int64).reshape(capacity.shape)


def _column(cases: Sequence[WaitingCase], name: str, dtype: type, n: int) -> np.ndarray:
    return np.fromiter(map(attrgetter(name), cases), dtype=dtype, count=n)


def _prepare(cases: Sequence[WaitingCase], capacity: Sequence[PortDay], existing: Sequence[ExistingAppointment],
             policy: Policy, compiled: bool = False) -> _Prepared:
    # Each pass over a million cases costs tens of milliseconds, so every attribute is read exactly once,
    # in input order, into an array; the queue order is then applied to the arrays.
    n = len(cases)
    ids = _column(cases, "case_id", np.int64, n)
    sizes = _column(cases, "party_size", np.int64, n)
    _check_ids_and_sizes(ids, sizes)

    # Preference lists are few (ports x second choices); validate and index each distinct one once.
    class_of: dict[tuple[str, ...], int] = {}
    cls_input = np.asarray([class_of.setdefault(ports, len(class_of)) for ports in map(attrgetter("ports"), cases)],
                           dtype=np.int64).reshape(n)
    for ports in class_of:
        if not ports:
            raise ValueError("every case needs at least one port")
        if len(set(ports)) != len(ports):
            raise ValueError(f"a preference list names a port twice: {ports}")

    port_days: dict[tuple[str, date], int] = {}
    for entry in capacity:
        key = (entry.port, entry.day)
        if key in port_days:
            raise ValueError(f"capacity lists {entry.port} on {entry.day.isoformat()} twice")
        if entry.capacity < 0:
            raise ValueError(f"negative capacity for {entry.port} on {entry.day.isoformat()}")
        port_days[key] = entry.capacity
    port_codes = sorted({p for p, _ in port_days} | {p for ports in class_of for p in ports}
                        | {a.port for a in existing})
    port_id = {code: i for i, code in enumerate(port_codes)}
    days = sorted({d for _, d in port_days})
    day_id = {d: i for i, d in enumerate(days)}
    n_ports, n_days = len(port_codes), len(days)

    cap = np.zeros((n_ports, n_days), dtype=np.int64)
    published = np.zeros((n_ports, n_days), dtype=bool)
    for (code, d), seats in port_days.items():
        cap[port_id[code], day_id[d]] = seats
        published[port_id[code], day_id[d]] = True
    used = np.zeros((n_ports, n_days), dtype=np.int64)
    existing_of: dict[int, ExistingAppointment] = {}
    for appointment in existing:
        if appointment.party_size < 1:
            raise ValueError(f"existing appointment of case {appointment.case_id} has no persons")
        existing_of.setdefault(appointment.case_id, appointment)
        d_id = day_id.get(appointment.day)
        if d_id is not None:
            used[port_id[appointment.port], d_id] += appointment.party_size
    remaining, reserve, lottery, general = _seats(cap, used, policy)

    not_before = list(map(attrgetter("not_before"), cases))
    not_before_ordinal = np.zeros(n, dtype=np.int64)
    with_nb = [i for i, value in enumerate(not_before) if value is not None]
    not_before_ordinal[with_nb] = [not_before[i].toordinal() for i in with_nb]
    rescheduled = _column(cases, "rescheduled", bool, n)
    line_day = np.fromiter(map(date.toordinal, map(attrgetter("place_in_line"), cases)), dtype=np.int64, count=n)
    scheduled = np.isin(ids, np.fromiter(existing_of, dtype=np.int64, count=len(existing_of)))
    classes = [tuple(port_id[p] for p in ports) for ports in class_of]
    inst, order, status = _queued(
        ids=ids, sizes=sizes, cls_input=cls_input, classes=classes, line_day=line_day,
        tiebreak=_column(cases, "tiebreak", np.int64, n), rescheduled=rescheduled, not_before=not_before_ordinal,
        day_ordinals=np.asarray([d.toordinal() for d in days], dtype=np.int64),
        expedite=_column(cases, "expedite", bool, n), ready=_column(cases, "ready", bool, n), scheduled=scheduled,
        ports=tuple(port_codes), days=tuple(days), remaining=remaining, reserve=reserve, lottery=lottery,
        general=general, compiled=compiled)
    has_not_before = np.zeros(n, dtype=bool)
    has_not_before[with_nb] = True
    return _Prepared(inst=inst, cases=cases, order=order.tolist(), order_array=order, ids=ids[order],
                     rescheduled=rescheduled[order], has_not_before=has_not_before[order], status=status,
                     existing_of=existing_of, capacity=cap, published=published, existing_used=used,
                     remaining=remaining)


def _check_ids_and_sizes(ids: np.ndarray, sizes: np.ndarray, compiled: bool = False) -> None:
    if compiled:
        repeated, too_small, too_large = _compiled_module().id_and_size_faults(ids, sizes)
    else:
        repeated = None
        if len(ids):
            low = int(ids.min())
            if int(ids.max()) - low < 4 * len(ids) + 1024:  # ids from a database sequence: count them, no sort
                twice = np.flatnonzero(np.bincount(ids - low) > 1) + low
            else:
                sorted_ids = np.sort(ids)
                twice = sorted_ids[1:][sorted_ids[1:] == sorted_ids[:-1]]
            repeated = int(twice[0]) if len(twice) else None
        too_small = bool(len(sizes)) and sizes.min() < 1
        too_large = bool(len(sizes)) and sizes.max() >= 1 << 31
    if repeated is not None:
        raise ValueError(f"case {repeated} is listed twice")
    if too_small:
        raise ValueError("every party needs at least one person")
    if too_large:  # keeps the engines' packed (list, size) keys within 64 bits
        raise ValueError("a party size of 2**31 or more is not a party")


def _seats(capacity: np.ndarray, used: np.ndarray,
           policy: Policy) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Seats left after existing appointments, and the expedite reserve, lottery and general pool carved from them."""
    remaining = np.maximum(capacity - used, 0)
    reserve = np.minimum(_shares(capacity, policy.expedite_share), remaining)
    lottery = np.minimum(_shares(capacity, policy.lottery_share), remaining - reserve)
    return remaining, reserve, lottery, remaining - reserve - lottery


def _queued(*, ids: np.ndarray, sizes: np.ndarray, cls_input: np.ndarray, classes: list[tuple[int, ...]],
            line_day: np.ndarray, tiebreak: np.ndarray, rescheduled: np.ndarray, not_before: np.ndarray,
            day_ordinals: np.ndarray, expedite: np.ndarray, ready: np.ndarray, scheduled: np.ndarray,
            ports: tuple[str, ...], days: tuple[date, ...], remaining: np.ndarray, reserve: np.ndarray,
            lottery: np.ndarray, general: np.ndarray, compiled: bool) -> tuple[Instance, np.ndarray, np.ndarray]:
    """The engines' instance from validated columns in input order; also the queue order and status by rank.

    Shared by `allocate` (columns read from WaitingCase objects) and `allocate_arrays` (columns given).
    `cls_input` indexes `classes` (port ids into the sorted `ports`); `not_before` is a day ordinal (0: none),
    and a case's first day id is the first horizon day (`day_ordinals`) on or after it. With `compiled`, the
    queue order and the columns by rank come from compiled passes (`_compiled.queue_order`, a radix sort
    giving np.lexsort's order, which stays the fallback; `_compiled.by_rank`); otherwise numpy computes them.
    """
    n = len(ids)
    # Queue order: rescheduled first, then place in line, tiebreak, case id (unique, so the order is total).
    order = _compiled_module().queue_order(rescheduled, line_day, tiebreak, ids) if compiled else None
    if order is None:
        # Day ordinals fit in 22 bits, so "rescheduled first" and the date share one sort key.
        first_key = np.where(rescheduled, 0, 1 << 22) + line_day
        order = np.lexsort((ids, tiebreak, first_key)) if n else np.zeros(0, dtype=np.int64)

    max_open = remaining.max(axis=1, initial=0)
    max_reserve = reserve.max(axis=1, initial=0)
    class_max = np.asarray([max(int(max_open[p]) for p in ports) for ports in classes] or [0], dtype=np.int64)
    if compiled:
        size_r, cls_r, nb_r, expedite_r, status, schedulable = _compiled_module().by_rank(
            order, sizes, cls_input, not_before, day_ordinals, expedite, ready, scheduled, class_max,
            (_STATUS_WAITING, _STATUS_NOT_READY, _STATUS_SCHEDULED, _STATUS_TOO_LARGE))
    else:
        nb = np.zeros(n, dtype=np.int64)
        later = np.flatnonzero(not_before > 0)
        nb[later] = np.searchsorted(day_ordinals, not_before[later], side="left")
        status = np.full(n, _STATUS_WAITING, dtype=np.int64)
        case_max = class_max[cls_input]
        status[(sizes > case_max) & (case_max > 0)] = _STATUS_TOO_LARGE  # ports never open: "no capacity"
        status[~ready] = _STATUS_NOT_READY
        status[scheduled] = _STATUS_SCHEDULED
        status = status[order]
        size_r, cls_r, nb_r, expedite_r = sizes[order], cls_input[order], nb[order], expedite[order]
        schedulable = status == _STATUS_WAITING

    inst = Instance(
        ports=ports, days=days, size=size_r, cls=cls_r, classes=classes, nb=nb_r, expedite=expedite_r,
        schedulable=schedulable, reserve=reserve, lottery=lottery, general=general,
        max_reserve=max_reserve.tolist(), max_open=max_open.tolist(),
    )
    return inst, order, status


# --- results ---------------------------------------------------------------------------------------------

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def _ordinal(k: int) -> str:
    return _ORDINALS[k - 1] if k <= len(_ORDINALS) else f"{k}th"


# A frozen dataclass's generated __init__ assigns each field through object.__setattr__; for the million
# results of a national run that costs about a second. Writing the slots through their descriptors builds
# an identical object (same fields, equality and hash) in half the time. The field lists are checked here
# so that a field added to either class cannot be silently left unset.
_ASSIGNMENT_FIELDS = ("case_id", "port", "day", "party_size", "position", "via", "port_choice", "out_of_order",
                      "reason", "reason_parts")
_UNASSIGNED_FIELDS = ("case_id", "position", "code", "reason")
if tuple(f.name for f in fields(Assignment)) != _ASSIGNMENT_FIELDS or \
        tuple(f.name for f in fields(Unassigned)) != _UNASSIGNED_FIELDS:  # pragma: no cover
    raise ImportError("the result builders below must set every field of Assignment and Unassigned")
_A = [getattr(Assignment, name).__set__ for name in _ASSIGNMENT_FIELDS]
_U = [getattr(Unassigned, name).__set__ for name in _UNASSIGNED_FIELDS]


def _make_assignment(case_id: int, port: str, day: date, party_size: int, position: int, via: str,
                     port_choice: int, out_of_order: bool, reason: str, reason_parts: dict[str, object],
                     _new: Any = object.__new__, _cls: type = Assignment, _s0: Any = _A[0], _s1: Any = _A[1],
                     _s2: Any = _A[2], _s3: Any = _A[3], _s4: Any = _A[4], _s5: Any = _A[5], _s6: Any = _A[6],
                     _s7: Any = _A[7], _s8: Any = _A[8], _s9: Any = _A[9]) -> Assignment:
    obj = _new(_cls)
    _s0(obj, case_id)
    _s1(obj, port)
    _s2(obj, day)
    _s3(obj, party_size)
    _s4(obj, position)
    _s5(obj, via)
    _s6(obj, port_choice)
    _s7(obj, out_of_order)
    _s8(obj, reason)
    _s9(obj, reason_parts)
    return obj


def _make_unassigned(case_id: int, position: int, code: str, reason: str, _new: Any = object.__new__,
                     _cls: type = Unassigned, _s0: Any = _U[0], _s1: Any = _U[1], _s2: Any = _U[2],
                     _s3: Any = _U[3]) -> Unassigned:
    obj = _new(_cls)
    _s0(obj, case_id)
    _s1(obj, position)
    _s2(obj, code)
    _s3(obj, reason)
    return obj


class _FreeDays:
    """For a port and party size: the first day after day d on which the port ended with enough free seats."""

    def __init__(self, free: np.ndarray) -> None:
        self.free = free
        self.cache: dict[tuple[int, int], list[int]] = {}

    def after(self, p: int, size: int, d: int) -> int:
        table = self.cache.get((p, size))
        if table is None:
            row = self.free[p].tolist()
            table = [-1] * len(row)
            following = -1
            for day in range(len(row) - 1, -1, -1):
                table[day] = following
                if row[day] >= size:
                    following = day
            self.cache[(p, size)] = table
        return table[d]


@dataclass(slots=True)
class _Placed:
    """An engine's placement as arrays (converted once: each list of a million costs tens of milliseconds)."""

    day: np.ndarray
    port: np.ndarray
    via: np.ndarray
    out_of_order: np.ndarray


def _build(prep: _Prepared, placement: Placement, policy: Policy, seed: int) -> AllocationResult:
    inst = prep.inst
    n = len(inst.size)
    placed = _Placed(day=np.asarray(placement.day, dtype=np.int64).reshape(n),
                     port=np.asarray(placement.port, dtype=np.int64).reshape(n),
                     via=np.asarray(placement.via, dtype=np.int64).reshape(n),
                     out_of_order=np.asarray(placement.out_of_order, dtype=bool).reshape(n))
    p_day, p_port, p_via = placed.day, placed.port, placed.via
    n_ports, n_days = prep.capacity.shape
    by_via: dict[int, np.ndarray] = {}
    for how in (VIA_RESERVE, VIA_LOTTERY, VIA_ARRIVAL):
        mask = p_via == how
        flat = np.bincount(p_port[mask] * n_days + p_day[mask], weights=inst.size[mask], minlength=n_ports * n_days)
        by_via[how] = flat[: n_ports * n_days].astype(np.int64).reshape(n_ports, n_days)
    new_used = by_via[VIA_RESERVE] + by_via[VIA_LOTTERY] + by_via[VIA_ARRIVAL]

    assignments = _assignments(prep, placed, np.flatnonzero(p_day >= 0), _FreeDays(prep.remaining - new_used))
    unassigned = _unassigned(prep, np.flatnonzero(p_day < 0))
    waiting = np.bincount(prep.status[p_day < 0], minlength=len(_CODE_OF_STATUS)).tolist()
    by_code = dict.fromkeys(CODES, 0) | {_CODE_OF_STATUS[state]: count for state, count in enumerate(waiting)}
    stats = _stats(prep, policy, seed, len(assignments), by_code, by_via, int(placed.out_of_order.sum()))
    return AllocationResult(assignments=tuple(assignments), unassigned=tuple(unassigned), stats=stats)


def _assignments(prep: _Prepared, placed: _Placed, ranks: np.ndarray, free_days: _FreeDays) -> list[Assignment]:
    """Assignments in rank order. The plain case ("position, date, family") takes the short path."""
    inst = prep.inst
    if not len(ranks):
        return []
    days, codes = inst.days, inst.ports
    days_iso = [d.isoformat() for d in days]
    last_day = days_iso[-1]
    # Columns for the assigned cases only, read once each.
    picked = [prep.cases[i] for i in prep.order_array[ranks].tolist()]
    lines = list(map(attrgetter("place_in_line"), picked))
    line_iso = {line: line.isoformat() for line in set(lines)}
    day_ids, port_ids, via_ids, jumped = placed.day[ranks], placed.port[ranks], placed.via[ranks], \
        placed.out_of_order[ranks]
    choice_table = np.zeros((len(inst.classes), len(codes)), dtype=np.int64)
    for c, ports in enumerate(inst.classes):
        choice_table[c, list(ports)] = np.arange(1, len(ports) + 1)
    choices = choice_table[inst.cls[ranks], port_ids]
    plain = ~(inst.expedite[ranks] | prep.rescheduled[ranks] | prep.has_not_before[ranks] | jumped
              | (via_ids != VIA_ARRIVAL) | (choices > 1))
    sizes: list[int] = inst.size[ranks].tolist()
    family = {k: f"; family of {k} kept together" for k in set(sizes) if k > 1}
    family[1] = ""
    make = _make_assignment
    out: list[Assignment] = []
    append = out.append
    columns = zip(picked, (ranks + 1).tolist(), lines, sizes, day_ids.tolist(), port_ids.tolist(), plain.tolist(),
                  strict=True)
    for i, (case, position, line, size, d, p, is_plain) in enumerate(columns):
        since = line_iso[line]
        text = f"position {position:,} in line since {since}"
        if is_plain:
            append(make(case.case_id, codes[p], days[d], size, position, "arrival_order", 1, False,
                        text + family[size],
                        {"position": position, "place_in_line": since, "rescheduled": False, "expedite_reason": None,
                         "via": "arrival_order", "party_size": size, "port_choice": 1, "earlier_choices_full": (),
                         "out_of_order": False, "not_before": None}))
            continue
        how, choice, ooo = int(via_ids[i]), int(choices[i]), bool(jumped[i])
        text, earlier = _annotated(text, case, how, size, choice, ooo, inst.classes[int(inst.cls[ranks[i]])], d,
                                   free_days, days_iso, codes, last_day)
        not_before = case.not_before.isoformat() if case.not_before is not None else None
        parts: dict[str, object] = {
            "position": position, "place_in_line": since, "rescheduled": case.rescheduled,
            "expedite_reason": case.expedite_reason if case.expedite else None, "via": VIA_NAMES[how],
            "party_size": size, "port_choice": choice, "earlier_choices_full": earlier, "out_of_order": ooo,
            "not_before": not_before,
        }
        append(make(case.case_id, codes[p], days[d], size, position, VIA_NAMES[how], choice, ooo, text, parts))
    return out


def _annotated(text: str, case: WaitingCase, how: int, size: int, choice: int, jumped: bool,
               ports: tuple[int, ...], d: int, free_days: _FreeDays, days_iso: list[str], codes: tuple[str, ...],
               last_day: str) -> tuple[str, tuple[dict[str, object], ...]]:
    """The reason of an assignment that is more than 'position, date, family': every clause in a fixed order."""
    if case.rescheduled:
        text += "; rescheduled by a coordinator, keeps its priority"
    if case.expedite:
        text += f"; expedited: {case.expedite_reason}" if case.expedite_reason else "; expedited"
        if how == VIA_RESERVE:
            text += " (expedite reserve)"
    if how == VIA_LOTTERY:
        text += "; lottery draw"
    if size > 1:
        text += f"; family of {size} kept together"
    earlier: list[dict[str, object]] = []
    if choice > 1:
        if how == VIA_LOTTERY:
            text += f" at its {_ordinal(choice)}-choice port"
        elif how == VIA_RESERVE:
            text += f"; {_ordinal(choice)}-choice port because the expedite reserve at its earlier choices was " \
                    "full that day"
        else:
            clauses = []
            for k, q in enumerate(ports[: choice - 1], start=1):
                free_from = free_days.after(q, size, d)
                until = days_iso[free_from] if free_from >= 0 else None
                earlier.append({"port": codes[q], "choice": k, "full_until": until})
                label = "the first was" if k == 1 else f"the {_ordinal(k)}"
                clauses.append(f"{label} full " + (f"until {until}" if until else f"through {last_day}"))
            text += f"; {_ordinal(choice)}-choice port because " + " and ".join(clauses)
    if jumped:
        text += "; took seats an earlier, larger party could not use that day"
    if case.not_before is not None:
        text += f"; not before {case.not_before.isoformat()}"
    return text, tuple(earlier)


def _unassigned(prep: _Prepared, ranks: np.ndarray) -> list[Unassigned]:
    """Unassigned cases in rank order; reasons are shared by every case with the same status, ports and size."""
    inst = prep.inst
    status = prep.status[ranks]
    # Group by (status, preference list, size, not_before day) through one packed integer key.
    columns = (status, inst.cls[ranks], inst.size[ranks], inst.nb[ranks])
    widths = [int(c.max(initial=0)) + 1 for c in columns]
    last_day = inst.days[-1].isoformat() if inst.days else ""
    if widths[0] * widths[1] * widths[2] * widths[3] < _PACK_LIMIT:
        key = np.zeros(len(ranks), dtype=np.int64)
        for column, width in zip(columns, widths, strict=True):
            key = key * width + column
        packed_keys, group = np.unique(key, return_inverse=True)
        keys: list[list[int]] = []
        for packed in packed_keys.tolist():
            unpacked: list[int] = []
            for width in reversed(widths):
                packed, value = divmod(packed, width)
                unpacked.append(value)
            keys.append(unpacked[::-1])
    else:  # huge parties and many preference lists: group column-wise (slower, never overflows)
        stacked, group = np.unique(np.stack(columns), axis=1, return_inverse=True)
        keys = stacked.T.tolist()
    texts = [_unassigned_reason(prep, state, c, size, nb, last_day) for state, c, size, nb in keys]
    reasons: list[str] = np.asarray(texts, dtype=object)[group.reshape(-1)].tolist() if texts else []
    # Not-ready and already-scheduled reasons quote the case itself: patch those few.
    for i in np.flatnonzero((status == _STATUS_NOT_READY) | (status == _STATUS_SCHEDULED)).tolist():
        r = int(ranks[i])
        case = prep.cases[prep.order[r]]
        if status[i] == _STATUS_SCHEDULED:
            appointment = prep.existing_of[case.case_id]
            reasons[i] = f"already has a published appointment at {appointment.port} on " \
                         f"{appointment.day.isoformat()}; it is never moved"
        else:
            reasons[i] = "not ready to be scheduled" + (f": {case.not_ready_reason}" if case.not_ready_reason else "") \
                         + "; keeps its place in line"
    codes = np.asarray(_CODE_OF_STATUS, dtype=object)[status].tolist()
    return list(map(_make_unassigned, prep.ids[ranks].tolist(), (ranks + 1).tolist(), codes, reasons))


def _unassigned_reason(prep: _Prepared, state: int, c: int, size: int, nb: int, last_day: str) -> str:
    if state not in (_STATUS_WAITING, _STATUS_TOO_LARGE):
        return ""  # replaced by a reason quoting the case
    inst = prep.inst
    ports = inst.classes[c]
    names = " or ".join(inst.ports[p] for p in ports)
    if state == _STATUS_TOO_LARGE:
        largest = max(inst.max_open[p] for p in ports)
        return (f"a party of {size} is larger than any day's capacity at {names} (at most {largest}); "
                "the family is not split, so a coordinator needs to arrange it; keeps its place in line")
    if nb >= len(inst.days) or prep.remaining[list(ports), nb:].sum() == 0:
        window = f"on or after {inst.days[nb].isoformat()}" if nb < len(inst.days) else "on or after its not-before day"
        return f"no open day at {names} {window} in the horizon (through {last_day or 'no day'}); " \
               "keeps its place in line"
    party = "one person" if size == 1 else f"a party of {size}"
    return f"no day through {last_day} had room for {party} at {names}; keeps its place in line"


def _stats(prep: _Prepared, policy: Policy, seed: int, assigned: int, by_code: dict[str, int],
           by_via: dict[int, np.ndarray], out_of_order: int) -> dict[str, object]:
    inst = prep.inst
    new_used = by_via[VIA_RESERVE] + by_via[VIA_LOTTERY] + by_via[VIA_ARRIVAL]
    used = prep.existing_used + new_used
    reserve = np.asarray(inst.reserve, dtype=np.int64).reshape(used.shape)
    lottery = np.asarray(inst.lottery, dtype=np.int64).reshape(used.shape)
    utilisation: list[dict[str, Any]] = []
    over: list[dict[str, Any]] = []
    ports_idx, days_idx = np.nonzero(prep.published | (prep.existing_used > 0))
    for d, p in sorted(zip(days_idx.tolist(), ports_idx.tolist(), strict=True)):
        row: dict[str, Any] = {
            "port": inst.ports[p], "day": inst.days[d].isoformat(), "used": int(used[p, d]),
            "capacity": int(prep.capacity[p, d]), "existing": int(prep.existing_used[p, d]),
            "expedite_reserve": int(reserve[p, d]), "expedite_used": int(by_via[VIA_RESERVE][p, d]),
            "lottery_seats": int(lottery[p, d]), "lottery_used": int(by_via[VIA_LOTTERY][p, d]),
        }
        utilisation.append(row)
        if row["existing"] > row["capacity"]:
            over.append({"port": row["port"], "day": row["day"], "existing": row["existing"],
                         "capacity": row["capacity"]})
    return {
        "policy_version": policy.version,
        "seed": seed,
        "cases": len(inst.size),
        "persons": int(inst.size.sum()),
        "assigned_cases": assigned,
        "assigned_persons": int(new_used.sum()),
        "unassigned_by_code": by_code,
        "out_of_order": out_of_order,
        "expedite_persons": int(by_via[VIA_RESERVE].sum()),
        "lottery_persons": int(by_via[VIA_LOTTERY].sum()),
        "arrival_order_persons": int(by_via[VIA_ARRIVAL].sum()),
        "horizon": [d.isoformat() for d in inst.days[:1] + inst.days[-1:]],
        "utilisation": utilisation,
        "existing_over_capacity": over,
    }


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while results are built.

    Building a million result objects triggers repeated full collections, each re-walking every live
    object (the inputs included); the results hold no reference cycles, so nothing is lost by waiting.
    This more than halves a national run. The collector's previous state is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _allocate(cases: Sequence[WaitingCase], capacity: Sequence[PortDay], existing: Sequence[ExistingAppointment],
              policy: Policy, seed: int, engine: Engine, compiled: bool = False) -> AllocationResult:
    with _collector_paused():
        prep = _prepare(cases, capacity, existing, policy, compiled)
        # A reproducible draw that anyone can re-run from the published seed, not a secret: no CSPRNG.
        placement = engine(prep.inst, policy.backfill, random.Random(seed))  # noqa: S311
        return _build(prep, placement, policy, seed)
