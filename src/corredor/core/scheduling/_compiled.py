"""The compiled engine: `_fast`'s placement as a numba kernel, and the columnar path's passes around it.

What it computes. `place` returns exactly the `Placement` of `_fast.place` (and so of `_reference.place`)
for every policy: strict order, backfill, the expedite reserve and the lottery with its recorded seed. The
tests hold the three engines equal case by case, and the generator's final state too, on random instances
of every policy.

How. `_fast`'s data structures, laid out in flat arrays numba can compile: one queue per (preference list,
party size) holding its members in rank order (a pointer into a sorted block for those present from the
first day, a binary heap for those who become eligible later, on their not_before day), and for the
lottery a Fenwick tree per (port, party size) over the ranks of its candidates. A pool is served by merging
its queue heads in rank order; where `_fast` keeps the heads in a heap, the kernel marks them in a bitset
over ranks and scans it forward (a queue's next member always ranks after the one just served). A queue
whose head finds no seat drops out of the pool for the day, so a day costs one step per seat handed out
plus one failed step per queue.

The lottery's draws. `random.Random` is the Mersenne Twister (MT19937), and `randrange(k)` takes
`getrandbits(k.bit_length())` until the value is below k. The kernel runs the same generator from the
state of the `random.Random(seed)` it is handed (`getstate()`), draws exactly as `randrange` does, and
gives the advanced state back (`setstate()`): a lottery run picks the same winners as the Python engines,
seed for seed, and leaves the generator where they would. So lottery runs are compiled too. Only
`random.Random` itself is reproduced this way (a subclass may draw differently); a lottery run handed any
other generator goes to `_fast`.

Around the engine, for `allocate_arrays` (and `allocate` from `allocator.COMPILED_FROM_CASES` cases): one
pass that validates the preference lists and numbers them (`classify`), one for duplicate ids and party
sizes (`id_and_size_faults`), the queue order as an LSD radix sort on one packed 63-bit key (`queue_order`:
np.lexsort's order; it declines keys that do not pack, and the caller falls back to np.lexsort), the
columns by rank and each case's status in one pass (`by_rank`), and the placement back into per-case
result columns (`scatter`). They write int32 and narrower columns where the values allow: on a large
registry, writing fresh memory costs as much as the computing.

Compilation. Every kernel is `@njit(cache=True)`: the first call in a fresh checkout compiles them (tens
of seconds), later processes load the machine code from numba's cache in `__pycache__` next to this file
(about a second); either way the first call in a process also imports numba (about a second more).
`allocator` therefore imports this module only when it uses it. `warm_up()` makes that first call on tiny
inputs of every type the allocator passes; the benchmark times it on its own.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
from numba import njit
from numba.core.dispatcher import Dispatcher

from . import _fast
from ._model import VIA_ARRIVAL, VIA_LOTTERY, VIA_RESERVE, Instance, Placement

# --- Python's random.Random: MT19937 and randrange ---------------------------------------------------------

_MT_N = 624
_MT_M = 397


@njit(cache=True)
def _genrand(mt: np.ndarray, pos: np.ndarray) -> int:
    """The next 32-bit output of MT19937 (state words in mt, as int64; pos[0] is the index into them)."""
    i = pos[0]
    if i >= _MT_N:
        for k in range(_MT_N):
            y = (mt[k] & 0x80000000) | (mt[(k + 1) % _MT_N] & 0x7FFFFFFF)
            value = mt[(k + _MT_M) % _MT_N] ^ (y >> 1)
            if y & 1:
                value ^= 0x9908B0DF
            mt[k] = value
        i = 0
    y = mt[i]
    pos[0] = i + 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9D2C5680
    y ^= (y << 15) & 0xEFC60000
    y ^= y >> 18
    return y


@njit(cache=True)
def _randbelow(total: int, mt: np.ndarray, pos: np.ndarray) -> int:
    """`random.Random.randrange(total)` for 0 < total < 2**63: getrandbits(total.bit_length()) until below total."""
    k = 0
    while (total >> k) > 0:
        k += 1
    while True:
        if k <= 32:
            r = _genrand(mt, pos) >> (32 - k)
        else:  # getrandbits fills 32-bit words from the least significant; the last word keeps its top bits
            low = _genrand(mt, pos)
            r = ((_genrand(mt, pos) >> (64 - k)) << 32) | low
        if r < total:
            return r


# --- binary min-heaps of ranks in h[base:base + length] ------------------------------------------------------

@njit(cache=True, inline="always")
def _sift_down(h: np.ndarray, base: int, length: int, i: int, value: int) -> None:
    """Put value at position i of the heap and move it down to its place."""
    while True:
        child = 2 * i + 1
        if child >= length:
            break
        if child + 1 < length and h[base + child + 1] < h[base + child]:
            child += 1
        if h[base + child] >= value:
            break
        h[base + i] = h[base + child]
        i = child
    h[base + i] = value


@njit(cache=True, inline="always")
def _heap_push(h: np.ndarray, base: int, length: int, value: int) -> int:
    i = length
    while i > 0:
        parent = (i - 1) >> 1
        if h[base + parent] <= value:
            break
        h[base + i] = h[base + parent]
        i = parent
    h[base + i] = value
    return length + 1


@njit(cache=True, inline="always")
def _heap_drop_top(h: np.ndarray, base: int, length: int) -> int:
    length -= 1
    if length > 0:
        _sift_down(h, base, length, 0, h[base + length])
    return length


# --- queues: pool = (base_start, base_store, ptr, late_start, late_len, late_store) ---------------------------

@njit(cache=True, inline="always")
def _head(pool: Any, q: int, day: np.ndarray, n: int) -> int:
    """The first member of queue q not yet placed (n when none), dropping placed ones (day set) on the way."""
    base_start, base_store, ptr, late_start, late_len, late_store = pool
    i = ptr[q]
    end = base_start[q + 1]
    while i < end and day[base_store[i]] >= 0:
        i += 1
    ptr[q] = i
    lb = late_start[q]
    length = late_len[q]
    while length > 0 and day[late_store[lb]] >= 0:
        length = _heap_drop_top(late_store, lb, length)
    late_len[q] = length
    first = base_store[i] if i < end else n
    if length > 0 and late_store[lb] < first:
        first = late_store[lb]
    return first


@njit(cache=True, inline="always")
def _arrive(pool: Any, q: int, r: int) -> None:
    _, _, _, late_start, late_len, late_store = pool
    late_len[q] = _heap_push(late_store, late_start[q], late_len[q], r)


@njit(cache=True)
def _number(keys: np.ndarray, space: int) -> tuple[np.ndarray, int]:
    """Number the distinct keys (0 <= key < space) in ascending order: (number of each key, how many)."""
    if space <= 4 * len(keys) + 65536:
        table = np.full(space, -1, dtype=np.int64)
        for key in keys:
            table[key] = 0
        count = 0
        for key in range(space):
            if table[key] == 0:
                table[key] = count
                count += 1
        ids = np.empty(len(keys), dtype=np.int64)
        for j in range(len(keys)):
            ids[j] = table[keys[j]]
        return ids, count
    distinct = np.unique(keys)
    return np.searchsorted(distinct, keys).astype(np.int64), len(distinct)


@njit(cache=True)
def _queues(size: np.ndarray, cls: np.ndarray, n_classes: int, nb: np.ndarray, expedite: np.ndarray,
            schedulable: np.ndarray, n_days: int) -> Any:
    """Who takes part, grouped into queues by (preference list, party size).

    Returns the largest party taking part, each rank's queue (-1: takes no part), each queue's size and
    list, the general pool's and the expedite reserve's queues (members present from the first day in sorted
    blocks, room for the later ones' heaps), the later arrivals by day, and the queues with an expedited
    member. Three passes over the ranks. Ranks are stored as int32 (a registry has fewer than 2**31 cases):
    on a large registry, writing fresh memory costs as much as the computing.
    """
    n = len(size)
    n_active = 0
    max_size = 0
    for r in range(n):
        if schedulable[r] and nb[r] < n_days:
            n_active += 1
            max_size = max(max_size, size[r])
    width = max_size + 1
    q_of = np.full(n, -1, dtype=np.int32)
    if n_classes * width <= 4 * n_active + 65536:  # a table over (list, size): queues in order of first member
        table = np.full(n_classes * width, -1, dtype=np.int64)
        n_queues = 0
        for r in range(n):
            if schedulable[r] and nb[r] < n_days:
                key = cls[r] * width + size[r]
                if table[key] < 0:
                    table[key] = n_queues
                    n_queues += 1
                q_of[r] = table[key]
    else:
        keys = np.empty(n_active, dtype=np.int64)
        j = 0
        for r in range(n):
            if schedulable[r] and nb[r] < n_days:
                keys[j] = cls[r] * width + size[r]
                j += 1
        numbers, n_queues = _number(keys, n_classes * width)
        j = 0
        for r in range(n):
            if schedulable[r] and nb[r] < n_days:
                q_of[r] = numbers[j]
                j += 1
    q_size = np.zeros(n_queues, dtype=np.int64)
    q_cls = np.zeros(n_queues, dtype=np.int64)
    # counts[0..3, q]: general from the start, general later, reserve from the start, reserve later
    counts = np.zeros((4, n_queues + 1), dtype=np.int64)
    arrival_start = np.zeros(n_days + 1, dtype=np.int64)
    for r in range(n):
        q = q_of[r]
        if q < 0:
            continue
        q_size[q] = size[r]
        q_cls[q] = cls[r]
        later = 1 if nb[r] > 0 else 0
        counts[later, q + 1] += 1
        if expedite[r]:
            counts[2 + later, q + 1] += 1
        if later:
            arrival_start[nb[r] + 1] += 1
    for k in range(4):
        for q in range(n_queues):
            counts[k, q + 1] += counts[k, q]
    for d in range(n_days):
        arrival_start[d + 1] += arrival_start[d]
    general_store = np.empty(counts[0, n_queues], dtype=np.int32)
    reserve_store = np.empty(counts[2, n_queues], dtype=np.int32)
    arrivals = np.empty(arrival_start[n_days], dtype=np.int32)
    general_fill = counts[0, :n_queues].copy()
    reserve_fill = counts[2, :n_queues].copy()
    arrival_fill = arrival_start[:n_days].copy()
    for r in range(n):  # rank order: every block comes out sorted
        q = q_of[r]
        if q < 0:
            continue
        if nb[r] > 0:
            arrivals[arrival_fill[nb[r]]] = r
            arrival_fill[nb[r]] += 1
        else:
            general_store[general_fill[q]] = r
            general_fill[q] += 1
            if expedite[r]:
                reserve_store[reserve_fill[q]] = r
                reserve_fill[q] += 1
    general_pool = (counts[0].copy(), general_store, counts[0, :n_queues].copy(), counts[1].copy(),
                    np.zeros(n_queues, dtype=np.int64), np.empty(counts[1, n_queues], dtype=np.int32))
    reserve_pool = (counts[2].copy(), reserve_store, counts[2, :n_queues].copy(), counts[3].copy(),
                    np.zeros(n_queues, dtype=np.int64), np.empty(counts[3, n_queues], dtype=np.int32))
    with_expedited = np.zeros(n_queues, dtype=np.bool_)
    for q in range(n_queues):
        with_expedited[q] = counts[2, q + 1] + counts[3, q + 1] > counts[2, q] + counts[3, q]
    return (max_size, q_of, q_size, q_cls, general_pool, reserve_pool, arrival_start, arrivals,
            np.flatnonzero(with_expedited))


# --- the merge of a pool's queue heads: a bitset over ranks -------------------------------------------------

_DE_BRUIJN = 0x03F79D71B4CA8B09
_LOWEST_BIT = np.zeros(64, dtype=np.int64)  # _LOWEST_BIT[(2**k * _DE_BRUIJN mod 2**64) >> 58] = k
for _k in range(64):
    _LOWEST_BIT[(((1 << _k) * _DE_BRUIJN) % (1 << 64)) >> 58] = _k


@njit(cache=True, inline="always")
def _next_rank(bits: np.ndarray, r: int, n: int) -> int:
    """The smallest rank >= r whose bit is set (n when none)."""
    w = r >> 6
    if w >= len(bits):
        return n
    word = bits[w] & (-1 << (r & 63))
    while word == 0:
        w += 1
        if w == len(bits):
            return n
        word = bits[w]
    lowest = np.uint64(word & -word) * np.uint64(_DE_BRUIJN)
    return (w << 6) + _LOWEST_BIT[np.int64(lowest >> np.uint64(58))]


# --- the lottery: lot = (slot_start, slot_group, slot_pos, tree_start, tree, count, top, member_start,
#     members, group_size, port_start) ------------------------------------------------------------------------

@njit(cache=True)
def _lottery(active: np.ndarray, size: np.ndarray, cls: np.ndarray, class_start: np.ndarray,
             class_ports: np.ndarray, n: int, n_ports: int, width: int) -> Any:
    """Per (port, size) group, in (port, size) order: its candidates' ranks, a Fenwick tree of 0/1 over them."""
    slot_start = np.zeros(n + 1, dtype=np.int64)
    for r in active:
        c = cls[r]
        slot_start[r + 1] = class_start[c + 1] - class_start[c]
    for r in range(n):
        slot_start[r + 1] += slot_start[r]
    m = slot_start[n]
    keys = np.empty(m, dtype=np.int64)
    for r in active:
        c = cls[r]
        for j in range(class_start[c + 1] - class_start[c]):
            keys[slot_start[r] + j] = class_ports[class_start[c] + j] * width + size[r]
    slot_group, n_groups = _number(keys, n_ports * width)
    member_start = np.zeros(n_groups + 1, dtype=np.int64)
    group_size = np.zeros(n_groups, dtype=np.int64)
    port_start = np.zeros(n_ports + 1, dtype=np.int64)
    for j in range(m):
        g = slot_group[j]
        member_start[g + 1] += 1
        group_size[g] = keys[j] % width
    port_of_group = np.zeros(n_groups, dtype=np.int64)
    for j in range(m):
        port_of_group[slot_group[j]] = keys[j] // width
    for g in range(n_groups):
        port_start[port_of_group[g] + 1] += 1
    for p in range(n_ports):
        port_start[p + 1] += port_start[p]
    for g in range(n_groups):
        member_start[g + 1] += member_start[g]
    members = np.empty(m, dtype=np.int64)
    slot_pos = np.empty(m, dtype=np.int64)
    fill = member_start[:n_groups].copy()
    for r in active:  # rank order: every member list comes out sorted
        for j in range(slot_start[r], slot_start[r + 1]):
            g = slot_group[j]
            members[fill[g]] = r
            fill[g] += 1
            slot_pos[j] = fill[g] - member_start[g]  # 1-based
    tree_start = np.zeros(n_groups + 1, dtype=np.int64)
    top = np.zeros(n_groups, dtype=np.int64)
    for g in range(n_groups):
        length = member_start[g + 1] - member_start[g]
        tree_start[g + 1] = tree_start[g] + length + 1
        bit = 1
        while bit * 2 <= length:
            bit *= 2
        top[g] = bit
    return (slot_start, slot_group, slot_pos, tree_start, np.zeros(tree_start[n_groups], dtype=np.int64),
            np.zeros(n_groups, dtype=np.int64), top, member_start, members, group_size, port_start)


@njit(cache=True, inline="always")
def _lottery_add(lot: Any, r: int, delta: int) -> None:
    slot_start, slot_group, slot_pos, tree_start, tree, count = lot[0], lot[1], lot[2], lot[3], lot[4], lot[5]
    for j in range(slot_start[r], slot_start[r + 1]):
        g = slot_group[j]
        i = slot_pos[j]
        base = tree_start[g]
        length = tree_start[g + 1] - base
        while i < length:
            tree[base + i] += delta
            i += i & -i
        count[g] += delta


@njit(cache=True)
def _lottery_draw(lot: Any, p: int, room: int, mt: np.ndarray, pos: np.ndarray) -> int:
    """A uniform draw among the candidates at port p whose party fits `room`, ordered by (size, rank); -1: none."""
    tree_start, tree, count, top, member_start, members, group_size, port_start = lot[3:]
    total = 0
    for g in range(port_start[p], port_start[p + 1]):
        if group_size[g] > room:
            break
        total += count[g]
    if total == 0:
        return -1
    k = _randbelow(total, mt, pos)
    g = port_start[p]
    while g < port_start[p + 1] - 1 and k >= count[g]:
        k -= count[g]
        g += 1
    base = tree_start[g]
    length = tree_start[g + 1] - base - 1
    at, remaining, step = 0, k + 1, top[g]
    while step:
        nxt = at + step
        if nxt <= length and tree[base + nxt] < remaining:
            at = nxt
            remaining -= tree[base + nxt]
        step >>= 1
    return members[member_start[g] + at]


# --- the engine --------------------------------------------------------------------------------------------

@njit(cache=True, inline="always")
def _serve(pool: Any, which: np.ndarray, avail: np.ndarray, d: int, how: int, limit: np.ndarray, strict: bool,
           queue: Any, out: Any, scratch: Any, record: bool, lot: Any,
           lottery_on: bool) -> tuple[int, int]:
    """Serve one pool of day d in rank order, exactly as `_fast.place`'s serve.

    The heads of the pool's queues are merged in rank order through a bitset over ranks (`_fast` uses a
    heap): a queue's next member always has a higher rank than the one just served, so the scan only moves
    forward. With `record`, the queues whose head found no seat are returned in failed[:first count] and
    the ranks seated in seated[:second count].
    """
    q_of, q_size, q_cls, class_start, class_ports = queue
    day, port, via, out_of_order = out
    bits, head_of, blocked, jumped, failed, seated = scratch
    n = len(day)
    n_failed = 0
    n_seated = 0
    r = n
    for q in which:
        head_of[q] = _head(pool, q, day, n)
        if head_of[q] < n:
            bits[head_of[q] >> 6] |= 1 << (head_of[q] & 63)
            r = min(r, head_of[q])
    if r == n:
        return 0, 0
    open_seats = 0
    for p in range(len(avail)):
        open_seats += avail[p]
        blocked[p] = False
        jumped[p] = False
    while open_seats > 0:
        bits[r >> 6] &= ~(1 << (r & 63))
        q = q_of[r]
        s = q_size[q]
        c = q_cls[q]
        seated_here = False
        for j in range(class_start[c], class_start[c + 1]):
            p = class_ports[j]
            if avail[p] >= s and not blocked[p]:
                avail[p] -= s
                open_seats -= s
                day[r] = d
                port[r] = p
                via[r] = how
                if jumped[p]:
                    out_of_order[r] = True
                if record:
                    seated[n_seated] = r
                    n_seated += 1
                if lottery_on:
                    _lottery_add(lot, r, -1)
                nxt = _head(pool, q, day, n)  # r itself is skipped now that it is placed
                head_of[q] = nxt
                if nxt < n:
                    bits[nxt >> 6] |= 1 << (nxt & 63)
                seated_here = True
                break
        if not seated_here:
            # Everyone left in this queue fails today as well: the queue drops out for the rest of the pool.
            head_of[q] = n
            if record:
                failed[n_failed] = q
                n_failed += 1
            for j in range(class_start[c], class_start[c + 1]):
                p = class_ports[j]
                if s <= limit[p]:
                    if strict:
                        if not blocked[p]:
                            blocked[p] = True
                            open_seats -= avail[p]
                    elif how == VIA_ARRIVAL:
                        jumped[p] = True
        r = _next_rank(bits, r + 1, n)
        if r == n:
            break
    for q in which:  # leave the bitset empty for the next pool
        if head_of[q] < n:
            bits[head_of[q] >> 6] &= ~(1 << (head_of[q] & 63))
    return n_failed, n_seated


@njit(cache=True)
def _place(size: np.ndarray, cls: np.ndarray, class_start: np.ndarray, class_ports: np.ndarray, nb: np.ndarray,
           expedite: np.ndarray, schedulable: np.ndarray, reserve: np.ndarray, lottery: np.ndarray,
           general: np.ndarray, max_reserve: np.ndarray, max_open: np.ndarray, backfill: bool, mt: np.ndarray,
           pos: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n = len(size)
    n_ports, n_days = reserve.shape
    strict = not backfill
    (max_size, q_of, q_size, q_cls, general_pool, reserve_pool, arrival_start, arrivals,
     reserve_queues) = _queues(size, cls, len(class_start) - 1, nb, expedite, schedulable, n_days)
    n_queues = len(q_size)
    all_queues = np.arange(n_queues)

    lottery_on = False
    for p in range(n_ports):
        for d in range(n_days):
            if lottery[p, d] > 0:
                lottery_on = True
    candidates = np.flatnonzero(q_of >= 0) if lottery_on else np.empty(0, dtype=np.int64)
    lot = _lottery(candidates, size, cls, class_start, class_ports, n if lottery_on else 0, n_ports, max_size + 1)
    if lottery_on:
        for j in range(len(candidates)):
            if nb[candidates[j]] == 0:
                _lottery_add(lot, candidates[j], 1)

    out = (np.full(n, -1, dtype=np.int32), np.full(n, -1, dtype=np.int32), np.full(n, -1, dtype=np.int8),
           np.zeros(n, dtype=np.bool_))
    day, port, via, out_of_order = out
    scratch = (np.zeros((n >> 6) + 1, dtype=np.int64), np.full(n_queues, n, dtype=np.int64),
               np.zeros(n_ports, dtype=np.bool_), np.zeros(n_ports, dtype=np.bool_),
               np.empty(n_queues, dtype=np.int64), np.empty(n, dtype=np.int32))
    failed, seated = scratch[4], scratch[5]
    queue = (q_of, q_size, q_cls, class_start, class_ports)
    reserve_seats = np.zeros(n_ports, dtype=np.int64)
    general_seats = np.zeros(n_ports, dtype=np.int64)
    first_waiting = np.zeros(n_ports, dtype=np.int64)

    for d in range(n_days):
        for j in range(arrival_start[d], arrival_start[d + 1]):
            r = arrivals[j]
            _arrive(general_pool, q_of[r], r)
            if expedite[r]:
                _arrive(reserve_pool, q_of[r], r)
            if lottery_on:
                _lottery_add(lot, r, 1)

        any_reserve = False
        for p in range(n_ports):
            reserve_seats[p] = reserve[p, d]
            any_reserve = any_reserve or reserve[p, d] > 0
        n_failed = 0
        n_seated = 0
        if len(reserve_queues) > 0 and any_reserve:
            n_failed, n_seated = _serve(reserve_pool, reserve_queues, reserve_seats, d, VIA_RESERVE, max_reserve,
                                        strict, queue, out, scratch, True, lot, lottery_on)
        for p in range(n_ports):
            general_seats[p] = general[p, d] + reserve_seats[p]  # unused reserve is released

        if lottery_on:
            for p in range(n_ports):
                room = lottery[p, d]
                while room > 0:
                    r = _lottery_draw(lot, p, room, mt, pos)
                    if r < 0:
                        break
                    day[r] = d
                    port[r] = p
                    via[r] = VIA_LOTTERY
                    _lottery_add(lot, r, -1)
                    room -= size[r]
                general_seats[p] += room  # undrawn lottery seats are released too

        _serve(general_pool, all_queues, general_seats, d, VIA_ARRIVAL, max_open, strict, queue, out, scratch,
               False, lot, lottery_on)

        if n_failed > 0 and n_seated > 0:
            # A reserve seat was taken out of order when an expedited case ahead, which missed the reserve at
            # that port, is still waiting after the whole day.
            first_waiting[:] = n
            for j in range(n_failed):
                q = failed[j]
                first = _head(reserve_pool, q, day, n)
                s = q_size[q]
                c = q_cls[q]
                for k in range(class_start[c], class_start[c + 1]):
                    p = class_ports[k]
                    if s <= max_reserve[p]:
                        first_waiting[p] = min(first_waiting[p], first)
            for j in range(n_seated):
                r = seated[j]
                if first_waiting[port[r]] < r:
                    out_of_order[r] = True

    return day, port, via, out_of_order


def place(inst: Instance, backfill: bool, rng: random.Random) -> Placement:
    """Place every schedulable case; the result equals `_fast.place` (and `_reference.place`) on the same input."""
    lottery_on = bool(inst.lottery.any())
    if lottery_on and type(rng) is not random.Random:
        return _fast.place(inst, backfill, rng)  # only random.Random's own draws are reproduced here
    if lottery_on:
        version, internal, gauss = rng.getstate()
        mt = np.asarray(internal[:_MT_N], dtype=np.int64)
        pos = np.asarray(internal[_MT_N:], dtype=np.int64)
    else:  # no draws: the kernel never reads the generator
        mt, pos = np.zeros(_MT_N, dtype=np.int64), np.zeros(1, dtype=np.int64)
    lengths = [len(ports) for ports in inst.classes]
    class_start = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=class_start[1:])
    class_ports = np.fromiter((p for ports in inst.classes for p in ports), dtype=np.int64, count=int(class_start[-1]))
    day, port, via, out_of_order = _place(
        _int32(inst.size), _int32(inst.cls), class_start, class_ports, _int32(inst.nb), _bool(inst.expedite),
        _bool(inst.schedulable), _int64(inst.reserve), _int64(inst.lottery), _int64(inst.general),
        np.asarray(inst.max_reserve, dtype=np.int64).reshape(-1), np.asarray(inst.max_open, dtype=np.int64).reshape(-1),
        bool(backfill), mt, pos)
    if lottery_on:
        rng.setstate((version, (*mt.tolist(), int(pos[0])), gauss))
    return Placement(day=day, port=port, via=via, out_of_order=out_of_order)


def _int64(values: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(values, dtype=np.int64)


def _int32(values: np.ndarray) -> np.ndarray:
    """Party sizes (validated below 2**31), list numbers and day ids, as the kernels take them."""
    return np.ascontiguousarray(values, dtype=np.int32)


def _bool(values: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(values, dtype=np.bool_)


_NATIVE = (np.dtype(np.int16), np.dtype(np.int32), np.dtype(np.int64))


def _column(values: np.ndarray) -> np.ndarray:
    """An input column as the kernels take it: int16, int32 or int64 as given (no copy), anything else as int64.

    Each of these integer types gets its own machine code (compiled once, then cached); `warm_up` compiles
    the types `ArrayInstance` documents and the int64 ones `allocate` passes.
    """
    values = np.asarray(values)
    return np.ascontiguousarray(values) if values.dtype in _NATIVE else np.ascontiguousarray(values, dtype=np.int64)


# --- the queue order ----------------------------------------------------------------------------------------

@njit(cache=True)
def _queue_order(rescheduled: np.ndarray, line_day: np.ndarray, tiebreak: np.ndarray,
                 ids: np.ndarray) -> tuple[np.ndarray, bool]:
    """Indexes in queue order, and True; or False when the key does not pack into 63 bits.

    The key is (rescheduled first, line_day, tiebreak, id), exactly `allocator._queued`'s np.lexsort. Its
    three columns, less their minimums, are packed into one integer and sorted by an LSD radix sort, with
    the index in the key's low bits when it fits there too (one array moves instead of two).
    """
    n = len(ids)
    low_first = high_first = np.int64(line_day[0]) + (0 if rescheduled[0] else 1 << 22)
    low_tiebreak = high_tiebreak = np.int64(tiebreak[0])
    low_id = high_id = np.int64(ids[0])
    for i in range(n):
        first = np.int64(line_day[i]) + (0 if rescheduled[i] else 1 << 22)
        low_first = min(low_first, first)
        high_first = max(high_first, first)
        low_tiebreak = min(low_tiebreak, np.int64(tiebreak[i]))
        high_tiebreak = max(high_tiebreak, np.int64(tiebreak[i]))
        low_id = min(low_id, np.int64(ids[i]))
        high_id = max(high_id, np.int64(ids[i]))
    lows = np.asarray([low_first, low_tiebreak, low_id], dtype=np.int64)
    highs = np.asarray([high_first, high_tiebreak, high_id], dtype=np.int64)
    widths = np.zeros(3, dtype=np.int64)
    for c in range(3):
        span = highs[c] - lows[c]
        if span < 0:  # wrapped around: the values span more than 63 bits
            return np.empty(0, dtype=np.int64), False
        while widths[c] < 63 and (span >> widths[c]) > 0:
            widths[c] += 1
    bits = widths[0] + widths[1] + widths[2]
    if bits > 63:
        return np.empty(0, dtype=np.int64), False
    index_bits = 0
    while ((n - 1) >> index_bits) > 0:
        index_bits += 1
    packed = bits + index_bits <= 63
    shift = index_bits if packed else 0
    key = np.empty(n, dtype=np.int64)
    for i in range(n):
        first = line_day[i] + (0 if rescheduled[i] else 1 << 22)
        key[i] = ((((first - lows[0]) << (widths[1] + widths[2])) | ((tiebreak[i] - lows[1]) << widths[2])
                   | (ids[i] - lows[2])) << shift) | (i if packed else 0)
    order = np.empty(0, dtype=np.int64) if packed else np.arange(n)
    passes = (bits + 11) // 12
    digit = (bits + passes - 1) // passes if passes else 0
    mask = (1 << digit) - 1
    key_out = np.empty(n, dtype=np.int64)
    order_out = np.empty(len(order), dtype=np.int64)
    count = np.empty(mask + 2, dtype=np.int64)
    for k in range(passes):
        at = shift + k * digit
        count[:] = 0
        for i in range(n):
            count[((key[i] >> at) & mask) + 1] += 1
        for b in range(mask + 1):
            count[b + 1] += count[b]
        for i in range(n):
            b = (key[i] >> at) & mask
            key_out[count[b]] = key[i]
            if not packed:
                order_out[count[b]] = order[i]
            count[b] += 1
        key, key_out = key_out, key
        order, order_out = order_out, order
    if not packed:
        return order, True
    low_mask = (1 << index_bits) - 1
    for i in range(n):
        key[i] &= low_mask
    return key, True


def queue_order(rescheduled: np.ndarray, line_day: np.ndarray, tiebreak: np.ndarray,
                ids: np.ndarray) -> np.ndarray | None:
    """The queue order (`allocator._queued`'s np.lexsort) when its key packs into 63 bits, else None."""
    if len(ids) == 0:
        return np.zeros(0, dtype=np.int64)
    order, packed = _queue_order(_bool(rescheduled), _column(line_day), _column(tiebreak), _column(ids))
    return order if packed else None


@njit(cache=True, inline="always")
def _bit_length(value: int) -> int:
    bits = 0
    while (value >> bits) > 0:
        bits += 1
    return bits


@njit(cache=True)
def _by_rank(order: np.ndarray, sizes: np.ndarray, cls: np.ndarray, not_before: np.ndarray,
             day_ordinals: np.ndarray, expedite: np.ndarray, ready: np.ndarray, scheduled: np.ndarray,
             class_max: np.ndarray, waiting: int, not_ready: int, already: int, too_large: int) -> Any:
    n = len(order)
    size_r = np.empty(n, dtype=np.int32)
    cls_r = np.empty(n, dtype=np.int32)
    nb_r = np.empty(n, dtype=np.int32)
    expedite_r = np.empty(n, dtype=np.bool_)
    status_r = np.empty(n, dtype=np.int8)
    schedulable_r = np.empty(n, dtype=np.bool_)
    largest_size = 0
    largest_cls = 0
    for i in range(n):
        largest_size = max(largest_size, sizes[i])
        largest_cls = max(largest_cls, cls[i])
    bits_cls = _bit_length(largest_cls)
    bits_nb = _bit_length(len(day_ordinals))
    if _bit_length(largest_size) + bits_cls + bits_nb + 3 <= 63:
        # Each case's fields packed into one word in input order (a sequential pass), so that the gather by
        # rank reads one word per case instead of six columns: random reads dominate once caches are cold.
        record = np.empty(n, dtype=np.int64)
        for i in range(n):
            size = sizes[i]
            largest = class_max[cls[i]]
            state = waiting
            if size > largest and largest > 0:  # ports never open: "no capacity" instead
                state = too_large
            if not ready[i]:
                state = not_ready
            if scheduled[i]:
                state = already
            nb = np.searchsorted(day_ordinals, not_before[i]) if not_before[i] > 0 else 0
            record[i] = ((((np.int64(size) << bits_cls) | cls[i]) << bits_nb | nb) << 3) | (state << 1) \
                | (1 if expedite[i] else 0)
        for r in range(n):
            word = record[order[r]]
            expedite_r[r] = (word & 1) == 1
            state = (word >> 1) & 3
            status_r[r] = state
            schedulable_r[r] = state == waiting
            word >>= 3
            nb_r[r] = word & ((1 << bits_nb) - 1)
            word >>= bits_nb
            cls_r[r] = word & ((1 << bits_cls) - 1)
            size_r[r] = word >> bits_cls
        return size_r, cls_r, nb_r, expedite_r, status_r, schedulable_r
    for r in range(n):
        i = order[r]
        size = sizes[i]
        largest = class_max[cls[i]]
        state = waiting
        if size > largest and largest > 0:
            state = too_large
        if not ready[i]:
            state = not_ready
        if scheduled[i]:
            state = already
        size_r[r] = size
        cls_r[r] = cls[i]
        nb_r[r] = np.searchsorted(day_ordinals, not_before[i]) if not_before[i] > 0 else 0
        expedite_r[r] = expedite[i]
        status_r[r] = state
        schedulable_r[r] = state == waiting
    return size_r, cls_r, nb_r, expedite_r, status_r, schedulable_r


def by_rank(order: np.ndarray, sizes: np.ndarray, cls: np.ndarray, not_before: np.ndarray, day_ordinals: np.ndarray,
            expedite: np.ndarray, ready: np.ndarray, scheduled: np.ndarray, class_max: np.ndarray,
            statuses: tuple[int, int, int, int]) -> Any:
    """In one pass, by rank: size, list, first day id (the first of `day_ordinals` on or after not_before, an
    ordinal; 0 for none), expedite flag, status (statuses: waiting, not ready, already scheduled, too large;
    later ones win; each of 0..3) and whether the case is schedulable. Sizes (validated below 2**31), list
    numbers and day ids come out as int32 and the status as int8: less memory to write than int64, the same
    values."""
    assert all(0 <= state < 4 for state in statuses), "the statuses are packed into two bits"
    return _by_rank(_int64(order), _column(sizes), _column(cls), _column(not_before), _int64(day_ordinals),
                    _bool(expedite), _bool(ready), _bool(scheduled), _int64(class_max), *statuses)


@njit(cache=True)
def _id_and_size_faults(ids: np.ndarray, sizes: np.ndarray) -> tuple[bool, int, bool, bool]:
    n = len(ids)
    too_small = False
    too_large = False
    for i in range(n):
        too_small = too_small or sizes[i] < 1
        too_large = too_large or sizes[i] >= 1 << 31
    if n == 0:
        return False, 0, too_small, too_large
    low = np.int64(ids[0])
    high = np.int64(ids[0])
    for i in range(n):
        low = min(low, np.int64(ids[i]))
        high = max(high, np.int64(ids[i]))
    span = high - low
    if 0 <= span < 4 * n + 1024:  # ids from a database sequence: count them, no sort
        seen = np.zeros(span + 1, dtype=np.uint8)
        for i in range(n):
            if seen[ids[i] - low] < 2:
                seen[ids[i] - low] += 1
        for v in range(span + 1):
            if seen[v] > 1:
                return True, int(low + v), too_small, too_large
    else:
        ordered = np.sort(ids)
        for i in range(1, n):
            if ordered[i] == ordered[i - 1]:
                return True, int(ordered[i]), too_small, too_large
    return False, 0, too_small, too_large


def id_and_size_faults(ids: np.ndarray, sizes: np.ndarray) -> tuple[int | None, bool, bool]:
    """The smallest case id listed twice (None: none), whether a party is below 1, whether one is 2**31 or more."""
    repeated, smallest, too_small, too_large = _id_and_size_faults(_column(ids), _column(sizes))
    return (int(smallest) if repeated else None), bool(too_small), bool(too_large)


@njit(cache=True)
def _row_faults(prefs: np.ndarray, n_given: int, i: int, twice: np.ndarray) -> tuple[bool, bool]:
    """Row i: (starts with padding or pads before a port, names a port outside); for each pair of columns
    (a, b) naming the same port, twice[a * k + b] becomes the smaller of its row (-1: none yet) and i."""
    k = prefs.shape[1]
    padding = False
    outside = False
    for c in range(k):
        v = prefs[i, c]
        if (c == 0 and v < 0) or (c > 0 and v >= 0 and prefs[i, c - 1] < 0):
            padding = True
        if v >= n_given or v < -1:
            outside = True
        for a in range(c):
            if v >= 0 and prefs[i, a] == v and (twice[a * k + c] < 0 or i < twice[a * k + c]):
                twice[a * k + c] = i
    return padding, outside


@njit(cache=True)
def _classify(prefs: np.ndarray, n_given: int, with_keys: bool) -> Any:
    n, k = prefs.shape
    none = np.empty(0, dtype=np.int32)
    base = n_given + 1
    space = 1
    for _ in range(k if with_keys else 0):
        space *= base
    twice = np.full(k * k, -1, dtype=np.int64)  # per pair of columns (a, b): the first row naming a port twice
    if with_keys and space <= 4 * n + 65536:
        # Pack every row into its key (when all its entries are in range); a list is checked once, at its
        # first row, since all rows with the same key hold the same list.
        first_row = np.full(space, -1, dtype=np.int64)
        all_inside = True
        for i in range(n):
            key = 0
            inside = True
            for c in range(k):
                v = prefs[i, c]
                inside = inside and -1 <= v < n_given
                key = key * base + v + 1
            if not inside:
                all_inside = False
                break
            if first_row[key] < 0:
                first_row[key] = i
        if all_inside:
            padding = n
            n_classes = 0
            for key in range(space):
                i = first_row[key]
                if i >= 0:
                    n_classes += 1
                    if _row_faults(prefs, n_given, i, twice)[0]:
                        padding = min(padding, i)
            if padding < n:
                return 1, padding, none, np.empty(0, dtype=np.int64)
            for pair in range(k * k):
                if twice[pair] >= 0:
                    return 3, twice[pair], none, np.empty(0, dtype=np.int64)
            number = np.empty(space, dtype=np.int32)
            first = np.empty(n_classes, dtype=np.int64)
            n_classes = 0
            for key in range(space):
                if first_row[key] >= 0:
                    number[key] = n_classes
                    first[n_classes] = first_row[key]
                    n_classes += 1
            cls = np.empty(n, dtype=np.int32)
            for i in range(n):
                key = 0
                for c in range(k):
                    key = key * base + prefs[i, c] + 1
                cls[i] = number[key]
            return 0, -1, cls, first
        twice[:] = -1
    # Row by row (a port index out of range somewhere, or too many possible lists for a table): the faults
    # in the order they are documented, whichever rows they are in.
    first_padding = -1
    first_outside = -1
    for i in range(n):
        padding, outside = _row_faults(prefs, n_given, i, twice)
        if padding and first_padding < 0:
            first_padding = i
        if outside and first_outside < 0:
            first_outside = i
    if first_padding >= 0:
        return 1, first_padding, none, np.empty(0, dtype=np.int64)
    if first_outside >= 0:
        return 2, first_outside, none, np.empty(0, dtype=np.int64)
    for pair in range(k * k):
        if twice[pair] >= 0:
            return 3, twice[pair], none, np.empty(0, dtype=np.int64)
    if not with_keys:
        return 0, -1, none, np.empty(0, dtype=np.int64)
    keys = np.empty(n, dtype=np.int64)
    for i in range(n):
        key = 0
        for c in range(k):
            key = key * base + prefs[i, c] + 1
        keys[i] = key
    numbers, n_classes = _number(keys, space)
    cls = numbers.astype(np.int32)
    first = np.empty(n_classes, dtype=np.int64)
    for i in range(n - 1, -1, -1):
        first[cls[i]] = i
    return 0, -1, cls, first


def classify(prefs: np.ndarray, n_given: int) -> tuple[int, int, np.ndarray | None, np.ndarray | None]:
    """Check port_prefs (int64, shape (cases, k)) and number its distinct rows in ascending order.

    Returns (fault, row, list number of each row, first row of each list). fault 0: none; 1: a row starts
    with padding or pads before a port; 2: a port index outside 0..n_given-1; 3: a row names a port twice
    (the first such row for the first pair of columns). The rows are numbered only when their packed key
    fits in 62 bits (None, None otherwise: the caller compares rows instead).
    """
    with_keys = (n_given + 1) ** prefs.shape[1] < 1 << 62
    fault, row, cls, first = _classify(_column(prefs), n_given, with_keys)
    if fault or not with_keys:
        return int(fault), int(row), None, None
    return 0, -1, cls, first


# --- allocate_arrays' columns -------------------------------------------------------------------------------

@njit(cache=True)
def _scatter(order: np.ndarray, day: np.ndarray, port: np.ndarray, via: np.ndarray, out_of_order: np.ndarray,
             status: np.ndarray, cls: np.ndarray, size: np.ndarray, caller_port: np.ndarray, day_ordinals: np.ndarray,
             choice_table: np.ndarray, via_code: np.ndarray, code_of_status: np.ndarray, n_ports: int,
             n_days: int) -> Any:
    n = len(order)
    by_case_port = np.full(n, -1, dtype=np.int16)
    by_case_day = np.zeros(n, dtype=np.int32)
    by_case_via = np.zeros(n, dtype=np.int8)
    position = np.empty(n, dtype=np.int64)
    choice = np.zeros(n, dtype=np.int8)
    jumped = np.zeros(n, dtype=np.bool_)
    code = np.zeros(n, dtype=np.int8)
    used = np.zeros((3, n_ports, n_days), dtype=np.int64)
    codes = np.zeros(len(code_of_status) + 1, dtype=np.int64)
    persons = 0
    jumps = 0
    for r in range(n):
        i = order[r]
        position[i] = r + 1
        jumped[i] = out_of_order[r]
        jumps += out_of_order[r]
        persons += size[r]
        d = day[r]
        if d >= 0:
            p = port[r]
            by_case_port[i] = caller_port[p]
            by_case_day[i] = day_ordinals[d]
            by_case_via[i] = via_code[via[r]]
            choice[i] = choice_table[cls[r], p]
            used[via[r], caller_port[p], d] += size[r]
            codes[0] += 1
        else:
            code[i] = code_of_status[status[r]]
            codes[code[i]] += 1
    return by_case_port, by_case_day, by_case_via, position, choice, jumped, code, used, codes, persons, jumps


def scatter(order: np.ndarray, placement: Placement, status: np.ndarray, cls: np.ndarray, size: np.ndarray,
            caller_port: np.ndarray, day_ordinals: np.ndarray, choice_table: np.ndarray, via_code: np.ndarray,
            code_of_status: np.ndarray, n_ports: int, n_days: int) -> Any:
    """A placement by rank as columns by case: port (caller's index), day ordinal, via code, position, port
    choice, out_of_order, unassigned code; then persons per [via, caller's port index (n_ports of them), day],
    cases per unassigned code (0: assigned), all persons, and the number out of order."""
    return _scatter(_int64(order), np.ascontiguousarray(placement.day, dtype=np.int32),
                    np.ascontiguousarray(placement.port, dtype=np.int32),
                    np.ascontiguousarray(placement.via, dtype=np.int8), _bool(np.asarray(placement.out_of_order)),
                    np.ascontiguousarray(status, dtype=np.int8), _int32(cls), _int32(size), _int64(caller_port),
                    _int64(day_ordinals), _int64(choice_table),
                    _int64(via_code), _int64(code_of_status), n_ports, n_days)


def warm_up() -> tuple[int, int]:
    """Compile (or load from numba's cache) every kernel the allocator uses, by running it on tiny inputs.

    `allocate_arrays` runs on columns in the types `ArrayInstance` documents and with every integer column
    as int64, and `allocate`'s compiled route on case objects; each with a lottery, so every kernel is
    ready for those column types (others, and the rare lists numbered by np.unique, compile on first use,
    once). Returns how many compiled functions were loaded from the cache and how many had to be compiled,
    counted over this module's kernels since the process started.
    """
    from datetime import date, timedelta

    from . import allocator

    start = date(2026, 1, 5)
    cases = [allocator.WaitingCase(case_id=i + 1, party_size=1 + i % 3, place_in_line=start - timedelta(days=i % 4),
                                   tiebreak=i, ports=("A", "B")[: 1 + i % 2], expedite=i % 3 == 0,
                                   not_before=start + timedelta(days=1) if i == 4 else None) for i in range(8)]
    capacity = [allocator.PortDay(port, start + timedelta(days=d), 4) for port in ("A", "B") for d in range(3)]
    policy = allocator.Policy(expedite_share=0.25, lottery_share=0.25)
    allocator._allocate(cases, capacity, [], policy, 1, place, compiled=True)
    for small, prefs in ((np.int32, np.int16), (np.int64, np.int64)):
        allocator.allocate_arrays(allocator.ArrayInstance(
            case_id=np.asarray([c.case_id for c in cases], dtype=np.int64),
            party_size=np.asarray([c.party_size for c in cases], dtype=small),
            place_in_line=np.asarray([c.place_in_line.toordinal() for c in cases], dtype=small),
            tiebreak=np.asarray([c.tiebreak for c in cases], dtype=np.int64),
            expedite=np.asarray([c.expedite for c in cases]), ready=np.ones(len(cases), dtype=bool),
            rescheduled=np.zeros(len(cases), dtype=bool),
            not_before=np.asarray([c.not_before.toordinal() if c.not_before else 0 for c in cases], dtype=small),
            port_prefs=np.asarray([[0, 1 if len(c.ports) > 1 else -1] for c in cases], dtype=prefs),
            ports=("A", "B"), days=np.asarray([start.toordinal() + d for d in range(3)], dtype=np.int32),
            capacity=np.full((2, 3), 4, dtype=np.int32)), policy, seed=1)
    kernels = [value for value in globals().values() if isinstance(value, Dispatcher)]
    return (sum(sum(kernel.stats.cache_hits.values()) for kernel in kernels),
            sum(sum(kernel.stats.cache_misses.values()) for kernel in kernels))
