"""Compiled kernels for the steps that are sequential by nature.

numpy handles what is array arithmetic over days (the port stage's min-plus recurrence, see
`engine.serve_port`). The steps below carry state from one person to the next, or would need several
temporary arrays per person in numpy; they are compiled with numba because measurements showed it pays
(`benchmarks/simulation_vs_simpy.py` prints two of them against plain Python: the reception-bed queue
against a `heapq` loop, about 6x; the per-person draws against the same code uncompiled, about 1,000x; and
at 3.65 million people a replication, the draws below took about 60% of the time of numpy array calls
followed by the scatter into population groups):

- `arrivals` and `attributes`: the draws, person by person from the replication's Generator, with no
  temporary arrays and no sort (sorted arrival times come from exponential spacings);
- `port_line`: each person's day and time of processing along a port's line, in one pass;
- `merge_by_population`: each population's persons in custody-start order, merging the ports' sorted
  lines (a sort of everyone would cost several times more);
- `fcfs_servers` / `adult_custody`: first-come-first-served with c identical servers (reception beds)
  when each person's holding time is known on entry: a 4-ary heap of the c next free times, O(n log c);
- `children_custody`: the unaccompanied-children path, whose bed holding time is not known on entry
  (it ends at an ORR placement, given to the ready child with the earliest 72-hour deadline), so it is a
  small discrete-event loop over arrivals, processing completions, returns and placement slots;
- `waiting_tally` and `custody_tally`: the measurements, one pass over people each.

Every kernel is deterministic: ties are broken by person index.
"""

from __future__ import annotations

import numpy as np
from numba import njit

DIST_FIXED, DIST_EXPONENTIAL, DIST_LOGNORMAL, DIST_GAMMA, DIST_UNIFORM, DIST_TRIANGULAR = 0, 1, 2, 3, 4, 5
STAGE_SCREENING, STAGE_LEGAL, STAGE_PLANNING, STAGE_SPONSOR, STAGE_RETURN = 0, 1, 2, 3, 4


@njit(cache=True)
def arrivals(rng: np.random.Generator, counts: np.ndarray, backlog: np.ndarray, min_wait: int
             ) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    """Arrival hours and first eligible day of everyone, port by port: the backlog (time 0), then arrivals.

    `counts` is (ports, days). Within a day the times are the order statistics of uniforms, made without a
    sort from exponential spacings (partial sums of m + 1 exponentials over their total).
    """
    n_ports, n_days = counts.shape
    n = 0
    for p in range(n_ports):
        n += backlog[p]
        for d in range(n_days):
            n += counts[p, d]
    hours = np.zeros(n, np.float64)
    eligible = np.zeros(n, np.int64)
    spacing = np.empty(1 + counts.max() if counts.size else 1, np.float64)
    write = 0
    for p in range(n_ports):
        write += backlog[p]
        for d in range(n_days):
            m = counts[p, d]
            total = 0.0
            for k in range(m + 1):
                spacing[k] = rng.standard_exponential()
                total += spacing[k]
            running = 0.0
            for k in range(m):
                running += spacing[k]
                hours[write + k] = (d + running / total) * 24.0
                eligible[write + k] = d + min_wait
            write += m
    return hours, eligible


@njit(cache=True, inline="always")  # inlined: a call per draw costs more than the draw
def _category(u: float, cumulative: np.ndarray, inverse_width: np.ndarray) -> tuple[int, float]:  # pragma: no cover
    """The category of uniform u, and u's position within that category's interval rescaled to [0, 1).

    The rescaled position is again uniform and independent of the category chosen, so one uniform serves
    several successive choices (53-bit doubles leave ample resolution for a handful of them).
    """
    k = 0
    last = cumulative.size - 1
    while k < last and u >= cumulative[k]:
        k += 1
    low = cumulative[k - 1] if k > 0 else 0.0
    rest = (u - low) * inverse_width[k]
    return k, min(rest, 0.9999999999999999)


@njit(cache=True)
def _inverse_widths(cumulative: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    out = np.zeros(cumulative.size, np.float64)
    low = 0.0
    for k in range(cumulative.size):
        high = cumulative[k] if k < cumulative.size - 1 else 1.0
        out[k] = 1.0 / (high - low) if high > low else 0.0
        low = cumulative[k]
    return out


@njit(cache=True, inline="always")
def _duration(rng: np.random.Generator, kind: int, a: float, b: float, c: float) -> float:  # pragma: no cover
    if kind == DIST_FIXED:
        return a
    if kind == DIST_EXPONENTIAL:
        return rng.exponential(a) if a > 0 else 0.0
    if kind == DIST_LOGNORMAL:  # exp of a normal: numba's own lognormal() is about 2.5 times slower
        return np.exp(a + b * rng.standard_normal())
    if kind == DIST_GAMMA:
        return rng.gamma(a, b)
    if kind == DIST_UNIFORM:
        return rng.uniform(a, b) if b > a else a
    return rng.triangular(a, b, c) if c > a else a


@njit(cache=True)
def attributes(rng: np.random.Generator, n: int, population_cdf: np.ndarray, nationality_cdf: np.ndarray,
               vulnerability_cdf: np.ndarray, kinds: np.ndarray, params: np.ndarray, return_share: np.ndarray
               ) -> tuple[np.ndarray, ...]:  # pragma: no cover - compiled
    """Per person: population, nationality, vulnerability, returned, processing hours, hours after processing.

    `kinds[g, stage]` and `params[g, stage, :]` encode each population's distributions (stages: screening,
    legal orientation, release planning, sponsor delay, return delay; see `Distribution.kernel_code`).
    Processing is the sum of the first three; "after" is the return delay for those returned, the sponsor
    delay otherwise. Draws per person in a fixed order: one uniform for the four categorical choices, then
    the durations.
    """
    population = np.empty(n, np.uint8)
    nationality = np.empty(n, np.uint8)
    vulnerability = np.empty(n, np.uint8)
    returned = np.empty(n, np.bool_)
    processing = np.empty(n, np.float64)
    after = np.empty(n, np.float64)
    population_inv = _inverse_widths(population_cdf)
    nationality_inv = _inverse_widths(nationality_cdf)
    vulnerability_inv = _inverse_widths(vulnerability_cdf)
    for i in range(n):
        # one uniform decides population, nationality, vulnerability and return in turn (see _category)
        g, u = _category(rng.random(), population_cdf, population_inv)
        population[i] = g
        k, u = _category(u, nationality_cdf, nationality_inv)
        nationality[i] = k
        k, u = _category(u, vulnerability_cdf, vulnerability_inv)
        vulnerability[i] = k
        total = 0.0
        for stage in range(3):
            total += _duration(rng, kinds[g, stage], params[g, stage, 0], params[g, stage, 1], params[g, stage, 2])
        processing[i] = total
        back = u < return_share[g]
        returned[i] = back
        stage = STAGE_RETURN if back else STAGE_SPONSOR
        after[i] = _duration(rng, kinds[g, stage], params[g, stage, 0], params[g, stage, 1], params[g, stage, 2])
    return population, nationality, vulnerability, returned, processing, after


@njit(cache=True)
def merge_by_population(port_offsets: np.ndarray, start: np.ndarray, population: np.ndarray, n_groups: int
                        ) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    """Each population's processed persons in custody-start order, by a k-way merge of the ports' lines.

    Each port's line is sorted by custody start already (first come, first served; never-processed people,
    at inf, come last). Ties go to the lower port index, then to line order. Returns (members, offsets):
    population g is members[offsets[g]:offsets[g + 1]].
    """
    n_ports = port_offsets.size - 1
    sizes = np.zeros(n_groups + 1, np.int64)
    for i in range(start.size):
        if start[i] < np.inf:
            sizes[population[i] + 1] += 1
    offsets = np.cumsum(sizes)
    fill = offsets[:-1].copy()
    members = np.empty(offsets[-1], np.int64)
    head = port_offsets[:-1].copy()
    while True:
        best = -1
        best_t = np.inf
        for p in range(n_ports):
            if head[p] < port_offsets[p + 1]:
                t = start[head[p]]
                if t < best_t:
                    best_t = t
                    best = p
        if best < 0:
            break
        i = head[best]
        head[best] += 1
        g = population[i]
        members[fill[g]] = i
        fill[g] += 1
    return members, offsets


@njit(cache=True)
def port_line(served: np.ndarray, capacity: np.ndarray, opening_hour: float, service_hours: float, n: int
              ) -> np.ndarray:  # pragma: no cover - compiled
    """Custody start of each of the n people in a port's line, given S_d (processed by the end of day d).

    The i-th in line is processed on the first day with S_d > i, as number k = i - S_{d-1} of that day, at
    24 d + opening_hour + (k + 1/2) service_hours / C_d; inf if never within the horizon. One pass: the day
    only moves forward along the line.
    """
    start = np.full(n, np.inf)
    day = 0
    before = 0
    days = served.size
    for i in range(n):
        while day < days and served[day] <= i:
            before = served[day]
            day += 1
        if day >= days:
            break
        start[i] = day * 24.0 + opening_hour + (i - before + 0.5) * service_hours / capacity[day]
    return start


@njit(cache=True)
def fcfs_servers(start: np.ndarray, holding: np.ndarray, servers: int) -> np.ndarray:  # pragma: no cover
    """Entry times of a first-come-first-served queue with `servers` identical servers.

    Persons arrive at `start` (sorted) and hold a server for `holding` hours from entry. A heap keeps the
    time each server next becomes free; the earliest free server takes the next person in line. With no
    server nobody enters (entry = inf).
    """
    n = start.size
    entry = np.empty(n, np.float64)
    if servers <= 0:
        entry[:] = np.inf
        return entry
    size = min(servers, n)
    heap = np.zeros(max(size, 1), np.float64)
    for i in range(n):
        t = start[i]
        free_at = heap[0]
        if free_at > t:
            t = free_at
        entry[i] = t
        _replace_root(heap, size, t + holding[i])
    return entry


@njit(cache=True, inline="always")
def _replace_root(heap: np.ndarray, size: int, value: float) -> None:  # pragma: no cover - compiled
    """Replace the minimum of a 4-ary min-heap (children of i: 4i+1 .. 4i+4) by `value`.

    The new value is a departure time, usually later than most in the heap, so the hole first goes down to
    a leaf along the smallest children and the value then climbs back (rarely far). Measured at 6,000 beds:
    about 40% faster than a binary heap, which has twice the levels.
    """
    pos = 0
    while True:
        first = 4 * pos + 1
        if first >= size:
            break
        best = first
        smallest = heap[first]
        for child in range(first + 1, min(first + 4, size)):
            if heap[child] < smallest:
                smallest = heap[child]
                best = child
        heap[pos] = smallest
        pos = best
    while pos > 0:
        parent = (pos - 1) >> 2
        if heap[parent] <= value:
            break
        heap[pos] = heap[parent]
        pos = parent
    heap[pos] = value


@njit(cache=True)
def adult_custody(members: np.ndarray, custody_start: np.ndarray, processing: np.ndarray, after: np.ndarray,
                  returned: np.ndarray, servers: int) -> tuple[np.ndarray, ...]:  # pragma: no cover - compiled
    """`fcfs_servers` for one population, reading its members (in custody-start order) by index.

    Returns (start, entry, leave, exit kind) per member; the bed is held for processing + after hours.
    Exit kinds: 1 released, 3 returned, 0 never (no beds at all).
    """
    n = members.size
    start = np.empty(n, np.float64)
    entry = np.empty(n, np.float64)
    leave = np.empty(n, np.float64)
    kind = np.empty(n, np.uint8)
    size = min(servers, n)
    heap = np.zeros(max(size, 1), np.float64)
    for k in range(n):
        i = members[k]
        t0 = custody_start[i]
        start[k] = t0
        if servers <= 0:
            entry[k] = np.inf
            leave[k] = np.inf
            kind[k] = 0
            continue
        t = heap[0] if heap[0] > t0 else t0
        entry[k] = t
        out = t + processing[i] + after[i]
        leave[k] = out
        kind[k] = 3 if returned[i] else 1
        _replace_root(heap, size, out)
    return start, entry, leave, kind


@njit(cache=True)
def _push(keys: np.ndarray, items: np.ndarray, size: int, key: float, item: int) -> int:  # pragma: no cover
    pos = size
    while pos > 0:
        parent = (pos - 1) // 2
        if keys[parent] < key or (keys[parent] == key and items[parent] < item):
            break
        keys[pos] = keys[parent]
        items[pos] = items[parent]
        pos = parent
    keys[pos] = key
    items[pos] = item
    return size + 1


@njit(cache=True)
def _pop(keys: np.ndarray, items: np.ndarray, size: int) -> int:  # pragma: no cover
    """Remove the root (the caller read it first); returns the new size."""
    size -= 1
    key = keys[size]
    item = items[size]
    pos = 0
    while True:
        child = 2 * pos + 1
        if child >= size:
            break
        right = child + 1
        if right < size and (keys[right] < keys[child] or (keys[right] == keys[child] and items[right] < items[child])):
            child = right
        if keys[child] > key or (keys[child] == key and items[child] > item):
            break
        keys[pos] = keys[child]
        items[pos] = items[child]
        pos = child
    if size > 0:
        keys[pos] = key
        items[pos] = item
    return size


@njit(cache=True)
def children_custody(start: np.ndarray, processing: np.ndarray, after: np.ndarray, returned: np.ndarray,
                     deadline: np.ndarray, beds: int, placements_per_day: int,
                     end: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    """Bed entry, custody exit and placed flag of each unaccompanied child, events up to `end` hours.

    Children (sorted by custody start) wait first-come-first-served for a children's bed. In the bed they
    are processed for `processing` hours. Those to be returned then leave after `after` more hours; the
    others are ready for an ORR placement. Placement slots come `placements_per_day` times a day, evenly
    spaced (slot k of day d at 24 d + (k + 1/2) 24 / P hours); each goes to the ready child with the
    earliest `deadline` (index breaks ties), and a slot with no ready child is lost. Leaving frees the bed.
    At equal times: departures, then processing completions, then slots, then arrivals.
    """
    n = start.size
    entry = np.full(n, np.inf)
    leave = np.full(n, np.inf)
    placed = np.zeros(n, np.bool_)
    ready_t = np.empty(max(n, 1), np.float64)
    ready_i = np.empty(max(n, 1), np.int64)
    ready_n = 0
    depart_t = np.empty(max(n, 1), np.float64)
    depart_i = np.empty(max(n, 1), np.int64)
    depart_n = 0
    pool_k = np.empty(max(n, 1), np.float64)
    pool_i = np.empty(max(n, 1), np.int64)
    pool_n = 0
    free = beds
    arrived = 0
    admitted = 0
    slot = 0
    gap = 24.0 / placements_per_day if placements_per_day > 0 else 0.0
    while True:
        t_arrive = start[arrived] if arrived < n else np.inf
        t_ready = ready_t[0] if ready_n > 0 else np.inf
        t_depart = depart_t[0] if depart_n > 0 else np.inf
        if placements_per_day > 0:
            t_slot = (slot // placements_per_day) * 24.0 + ((slot % placements_per_day) + 0.5) * gap
        else:
            t_slot = np.inf
        t = min(min(t_arrive, t_ready), min(t_depart, t_slot))
        if t > end:
            break
        if t_depart == t:
            j = depart_i[0]
            depart_n = _pop(depart_t, depart_i, depart_n)
            leave[j] = t
            free += 1
        elif t_ready == t:
            j = ready_i[0]
            ready_n = _pop(ready_t, ready_i, ready_n)
            pool_n = _push(pool_k, pool_i, pool_n, deadline[j], j)
        elif t_slot == t:
            slot += 1
            if pool_n > 0:
                j = pool_i[0]
                pool_n = _pop(pool_k, pool_i, pool_n)
                leave[j] = t
                placed[j] = True
                free += 1
        else:
            arrived += 1
        while free > 0 and admitted < arrived:
            j = admitted
            entry[j] = t
            free -= 1
            if returned[j]:
                depart_n = _push(depart_t, depart_i, depart_n, t + processing[j] + after[j], j)
            else:
                ready_n = _push(ready_t, ready_i, ready_n, t + processing[j], j)
            admitted += 1
    return entry, leave, placed


@njit(cache=True)
def waiting_tally(custody_start: np.ndarray, arrival: np.ndarray, eligible_day: np.ndarray, port_offsets: np.ndarray,
                  backlog: np.ndarray, days: int, bins_per_day: int) -> tuple:  # pragma: no cover - compiled
    """Waiting days for an appointment of new arrivals (not the backlog).

    Returns (histogram of the waits of those processed within the horizon, in 1/bins_per_day-day bins;
    their sum and count per port; the longest; and per port the sum and count of the waits of everyone
    eligible within the horizon, counting those still waiting at its end as waiting until then).
    """
    n_ports = backlog.size
    end = days * 24.0
    sums = np.zeros(n_ports, np.float64)
    counts = np.zeros(n_ports, np.int64)
    open_sums = np.zeros(n_ports, np.float64)
    open_counts = np.zeros(n_ports, np.int64)
    longest = 0.0
    histogram = np.zeros((days + 1) * bins_per_day, np.int64)
    for p in range(n_ports):
        for i in range(port_offsets[p] + backlog[p], port_offsets[p + 1]):
            t = custody_start[i]
            if t < np.inf:
                w = (t - arrival[i]) / 24.0
                histogram[int(w * bins_per_day)] += 1
                sums[p] += w
                counts[p] += 1
                if w > longest:
                    longest = w
            if eligible_day[i] < days:
                open_sums[p] += (min(t, end) - arrival[i]) / 24.0
                open_counts[p] += 1
    return histogram, sums, counts, longest, open_sums, open_counts


@njit(cache=True)
def custody_tally(persons: np.ndarray, start: np.ndarray, entry: np.ndarray, leave: np.ndarray,
                  deadline: np.ndarray, kind: np.ndarray, nationality: np.ndarray, vulnerability: np.ndarray,
                  n_nationalities: int, n_vulnerabilities: int, days: int,
                  bins_per_hour: int) -> tuple:  # pragma: no cover - compiled
    """One pass over a population's custody outcomes: daily counts, histograms and breach breakdowns.

    Daily counts use events before the end of the horizon, by the day they happen: custody starts, bed
    entries, exits by kind (row = EXIT_* code), limits falling due, and breaches (due, and the person left
    after the limit or not at all). Custody hours are histogrammed for people who left; bed waits summed
    for people who entered. (Days are int(t / 24): numba's float floor division, with Python's exact
    semantics, costs several times more, and times here are never negative.)
    """
    end = days * 24.0
    starts = np.zeros(days, np.int64)
    entries = np.zeros(days, np.int64)
    exits = np.zeros((4, days), np.int64)
    due = np.zeros(days, np.int64)
    breaches = np.zeros(days, np.int64)
    hours_hist = np.zeros(int(end * bins_per_hour) + 2, np.int64)
    breach_nat = np.zeros(n_nationalities, np.int64)
    due_nat = np.zeros(n_nationalities, np.int64)
    breach_vul = np.zeros(n_vulnerabilities, np.int64)
    due_vul = np.zeros(n_vulnerabilities, np.int64)
    hours_sum = 0.0
    hours_max = 0.0
    left = 0
    wait_sum = 0.0
    entered = 0
    waited = 0
    for k in range(start.size):
        if start[k] < end:
            starts[int(start[k] / 24.0)] += 1
        if entry[k] < end:
            entries[int(entry[k] / 24.0)] += 1
            wait = entry[k] - start[k]
            wait_sum += wait
            entered += 1
            if wait > 1e-9:
                waited += 1
        if leave[k] < end:
            exits[kind[k], int(leave[k] / 24.0)] += 1
            h = leave[k] - start[k]
            hours_hist[int(h * bins_per_hour)] += 1
            hours_sum += h
            left += 1
            if h > hours_max:
                hours_max = h
        if deadline[k] < end:
            day = int(deadline[k] / 24.0)
            i = persons[k]
            due[day] += 1
            due_nat[nationality[i]] += 1
            due_vul[vulnerability[i]] += 1
            if leave[k] > deadline[k]:
                breaches[day] += 1
                breach_nat[nationality[i]] += 1
                breach_vul[vulnerability[i]] += 1
    return (starts, entries, exits, due, breaches, hours_hist, hours_sum, hours_max, left, wait_sum, entered,
            waited, breach_nat, due_nat, breach_vul, due_vul)
