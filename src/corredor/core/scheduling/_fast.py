"""The fast engine: the same placement as `_reference`, in time proportional to the seats handed out.

`_compiled` runs this algorithm as a numba kernel (for `allocate_arrays`, and for `allocate` on large
registries); this Python version serves smaller runs, which would not earn back numba's start-up.

Why it is fast. Cases with the same preference list and party size behave identically in a pool: once
the first of them fails on a day, every one behind it fails too (seats only shrink during a day). So the
waiting cases live in one min-heap of ranks per (preference list, party size) "queue", and each pool is
served by merging the queue heads in rank order. A day then costs one step per seat handed out plus at
most one failed step per queue, instead of a walk over everyone still waiting.

Expedited cases sit in two heaps (the expedite reserve's and the general pool's); a case placed through
one is left in the other and skipped when it reaches the head ("lazy deletion"). Out-of-order flags come
from bookkeeping: in the general pool a placement is out of order exactly when a queue that could use
the port failed earlier that day (the pool is the day's last, so that case ends later or never); in the
reserve the verdict waits for the end of the day, because a case that missed the reserve may still get a
general seat the same day.

The lottery keeps, per (port, party size), a Fenwick tree over the ranks of the cases that list the port,
so "the k-th candidate ordered by (party size, rank)" costs O(log n) instead of a sort of everyone waiting.
"""

from __future__ import annotations

import random
from heapq import heapify, heappop, heappush, heappushpop

import numpy as np

from ._model import VIA_ARRIVAL, VIA_LOTTERY, VIA_RESERVE, Instance, Placement, usable_ports


class _Lottery:
    """Candidates for lottery seats: per (port, size) a Fenwick tree of 0/1 over that group's ranks."""

    def __init__(self, inst: Instance, active: list[int]) -> None:
        n_ports = len(inst.ports)
        sizes: list[int] = inst.size.tolist()
        cls: list[int] = inst.cls.tolist()
        members: dict[tuple[int, int], list[int]] = {}
        for r in active:  # rank order, so every member list comes out sorted
            for p in inst.classes[cls[r]]:
                members.setdefault((p, sizes[r]), []).append(r)
        self.group_of: list[dict[int, int]] = [{} for _ in range(n_ports)]
        self.members: list[list[int]] = []
        self.sizes_at: list[list[int]] = [[] for _ in range(n_ports)]
        for (p, s), ranks in sorted(members.items()):
            self.group_of[p][s] = len(self.members)
            self.members.append(ranks)
            self.sizes_at[p].append(s)
        self.tree: list[list[int]] = [[0] * (len(m) + 1) for m in self.members]
        self.count: list[int] = [0] * len(self.members)
        self.top_bit: list[int] = [1 << (len(m).bit_length() - 1) for m in self.members]
        # slots[r]: (group, 1-based position) for each port of case r
        self.slots: dict[int, list[tuple[int, int]]] = {}
        for g, ranks in enumerate(self.members):
            for i, r in enumerate(ranks, start=1):
                self.slots.setdefault(r, []).append((g, i))

    def _add(self, r: int, delta: int) -> None:
        for g, i in self.slots[r]:
            tree = self.tree[g]
            size = len(tree)
            while i < size:
                tree[i] += delta
                i += i & -i
            self.count[g] += delta

    def insert(self, r: int) -> None:
        self._add(r, 1)

    def remove(self, r: int) -> None:
        self._add(r, -1)

    def draw(self, p: int, room: int, rng: random.Random) -> int:
        """A uniform draw among the candidates at port p whose party fits `room`, or -1 when none does.

        Candidates are ordered by (party size, rank) and the draw is `rng.randrange(len(candidates))`,
        exactly as the reference engine does with a sorted list.
        """
        groups = self.group_of[p]
        total = 0
        for s in self.sizes_at[p]:
            if s > room:
                break
            total += self.count[groups[s]]
        if total == 0:
            return -1
        k = rng.randrange(total)
        for s in self.sizes_at[p]:
            g = groups[s]
            if k < self.count[g]:
                break
            k -= self.count[g]
        tree = self.tree[g]
        pos, remaining, step, size = 0, k + 1, self.top_bit[g], len(tree) - 1
        while step:
            nxt = pos + step
            if nxt <= size and tree[nxt] < remaining:
                pos = nxt
                remaining -= tree[nxt]
            step >>= 1
        return self.members[g][pos]


class _Queues:
    """One queue per (preference list, party size): who is waiting in it, in rank order.

    Members present from the first day sit in a sorted list read through a pointer (O(1) per step; a heap
    of a hundred thousand ranks costs half a microsecond per pop); the few who become eligible later
    (not_before) sit in a small heap beside it. The head is the smaller of the two heads; members placed
    through another pool are skipped when they reach the head.
    """

    __slots__ = ("base", "late", "ptr")

    def __init__(self, base: list[list[int]]) -> None:
        self.base = base
        self.ptr = [0] * len(base)
        self.late: list[list[int]] = [[] for _ in base]


def place(inst: Instance, backfill: bool, rng: random.Random) -> Placement:
    """Place every schedulable case; the result equals `_reference.place` on the same input."""
    n = len(inst.size)
    n_ports = len(inst.ports)
    n_days = len(inst.days)
    strict = not backfill
    size: list[int] = inst.size.tolist()

    # Queues are numbered in (list, size) order; a lookup table over the packed key avoids a sort.
    active = np.flatnonzero(inst.schedulable & (inst.nb < n_days))
    width = int(inst.size.max(initial=0)) + 1
    key = inst.cls[active].astype(np.int64) * width + inst.size[active]
    present = np.flatnonzero(np.bincount(key)) if len(key) else np.zeros(0, dtype=np.int64)
    lookup = np.zeros(len(present) and int(present[-1]) + 1, dtype=np.int64)
    lookup[present] = np.arange(len(present))
    queue_of_active = lookup[key]
    n_queues = len(present)
    q_of_arr = np.full(n, -1, dtype=np.int64)
    q_of_arr[active] = queue_of_active
    q_of: list[int] = q_of_arr.tolist()
    q_size: list[int] = (present % width).tolist()
    q_ports = [inst.classes[c] for c in (present // width).tolist()]
    q_usable_general = [usable_ports(q_ports[q], q_size[q], inst.max_open) for q in range(n_queues)]
    q_usable_reserve = [usable_ports(q_ports[q], q_size[q], inst.max_reserve) for q in range(n_queues)]

    nb_active = inst.nb[active]
    expedite_active = inst.expedite[active]
    at_start = nb_active == 0
    general = _Queues(_group(active[at_start], queue_of_active[at_start], n_queues))
    first_reserve = at_start & expedite_active
    reserve = _Queues(_group(active[first_reserve], queue_of_active[first_reserve], n_queues))
    later = ~at_start
    arrivals = _group(active[later], nb_active[later], n_days)
    reserve_queues: list[int] = np.unique(queue_of_active[expedite_active]).tolist()
    all_queues = list(range(n_queues))
    expedite: list[bool] = inst.expedite.tolist() if later.any() else []

    reserve_rows: list[list[int]] = inst.reserve.tolist()
    lottery_rows: list[list[int]] = inst.lottery.tolist()
    general_rows: list[list[int]] = inst.general.tolist()
    lottery_on = any(any(row) for row in lottery_rows)
    lottery = _Lottery(inst, active.tolist()) if lottery_on else None
    if lottery is not None:
        for r in active[at_start].tolist():
            lottery.insert(r)

    placed = bytearray(n)
    day = [-1] * n
    port = [-1] * n
    via = [-1] * n
    out_of_order = [False] * n

    def head(queues: _Queues, q: int) -> int:
        """The first member of queue q not yet placed (n when none), dropping placed ones on the way."""
        base = queues.base[q]
        i = queues.ptr[q]
        m = len(base)
        while i < m and placed[base[i]]:
            i += 1
        queues.ptr[q] = i
        late = queues.late[q]
        while late and placed[late[0]]:
            heappop(late)
        first = base[i] if i < m else n
        if late and late[0] < first:
            first = late[0]
        return first

    def serve(queues: _Queues, which: list[int], avail: list[int], d: int, how: int,
              failed: list[int] | None, seated: list[int] | None) -> None:
        """Serve one pool of day d in rank order; `failed` collects queues whose head found no seat."""
        master = [r for r in (head(queues, q) for q in which) if r < n]
        if not master:
            return
        heapify(master)
        open_seats = sum(avail)
        blocked = [False] * n_ports
        jumped_port = [False] * n_ports
        usable = q_usable_reserve if how == VIA_RESERVE else q_usable_general
        r = heappop(master)
        while open_seats > 0:
            q = q_of[r]
            s = q_size[q]
            nxt = n
            for p in q_ports[q]:
                if avail[p] >= s and not blocked[p]:
                    avail[p] -= s
                    open_seats -= s
                    placed[r] = 1
                    day[r] = d
                    port[r] = p
                    via[r] = how
                    if jumped_port[p]:
                        out_of_order[r] = True
                    if seated is not None:
                        seated.append(r)
                    if lottery is not None:
                        lottery.remove(r)
                    nxt = head(queues, q)  # r itself is skipped now that it is placed
                    break
            else:
                # Everyone left in this queue fails today as well: drop the queue for the rest of the pool.
                if failed is not None:
                    failed.append(q)
                for p in usable[q]:
                    if strict:
                        if not blocked[p]:
                            blocked[p] = True
                            open_seats -= avail[p]
                    elif how == VIA_ARRIVAL:
                        jumped_port[p] = True
            if nxt < n:
                r = heappushpop(master, nxt)  # the same queue often stays ahead: no heap work then
            elif master:
                r = heappop(master)
            else:
                break

    for d in range(n_days):
        for r in arrivals[d]:
            q = q_of[r]
            heappush(general.late[q], r)
            if expedite[r]:
                heappush(reserve.late[q], r)
            if lottery is not None:
                lottery.insert(r)

        reserve_seats = [reserve_rows[p][d] for p in range(n_ports)]
        reserve_failed: list[int] = []
        reserve_seated: list[int] = []
        if reserve_queues and any(reserve_seats):
            serve(reserve, reserve_queues, reserve_seats, d, VIA_RESERVE, reserve_failed, reserve_seated)
        general_seats = [general_rows[p][d] + reserve_seats[p] for p in range(n_ports)]

        if lottery is not None:
            for p in range(n_ports):
                room = lottery_rows[p][d]
                while room > 0:
                    r = lottery.draw(p, room, rng)
                    if r < 0:
                        break
                    placed[r] = 1
                    day[r], port[r], via[r] = d, p, VIA_LOTTERY
                    lottery.remove(r)
                    room -= size[r]
                general_seats[p] += room

        serve(general, all_queues, general_seats, d, VIA_ARRIVAL, None, None)

        if reserve_failed and reserve_seated:
            # A reserve seat was taken out of order when an expedited case ahead, which missed the reserve
            # at that port, is still waiting after the whole day.
            first_waiting = [n] * n_ports
            for q in reserve_failed:
                first = head(reserve, q)
                for p in q_usable_reserve[q]:
                    first_waiting[p] = min(first_waiting[p], first)
            for r in reserve_seated:
                if first_waiting[port[r]] < r:
                    out_of_order[r] = True

    return Placement(day=day, port=port, via=via, out_of_order=out_of_order)


def _group(ranks: np.ndarray, groups: np.ndarray, n_groups: int) -> list[list[int]]:
    """Split ranks (ascending) into per-group lists, each still ascending."""
    if n_groups == 0:
        return []
    # A stable sort on small keys: numpy uses radix sort for 16-bit integers.
    keys = groups.astype(np.uint16) if n_groups <= 1 << 16 else groups
    order = np.argsort(keys, kind="stable")
    bounds = np.cumsum(np.bincount(groups, minlength=n_groups))[:-1]
    return [part.tolist() for part in np.split(ranks[order], bounds)]
