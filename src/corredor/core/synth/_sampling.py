"""Weighted choice tables drawn with a single uniform float.

`random.choices` rebuilds its cumulative weights on every call unless given them, and still costs a list
and a few calls; the generator makes tens of draws per person, so each table precomputes its cumulative
weights once and a draw is one `bisect` on a tuple.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate


class Weighted[T]:
    """An immutable weighted choice among items; `pick(u)` maps a uniform u in [0, 1) to an item."""

    __slots__ = ("_cumulative", "_items", "_last", "_total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        materialised = list(pairs)
        if not materialised:
            raise ValueError("a weighted table needs at least one item")
        if any(weight <= 0 for _, weight in materialised):
            raise ValueError("weights must be positive")
        self._items: tuple[T, ...] = tuple(item for item, _ in materialised)
        self._cumulative: tuple[float, ...] = tuple(accumulate(weight for _, weight in materialised))
        self._total = self._cumulative[-1]
        self._last = len(self._items) - 1

    def pick(self, u: float) -> T:
        """The item for the uniform draw u (0 <= u < 1)."""
        # hi=last guards against u * total rounding up to the total itself.
        return self._items[bisect_right(self._cumulative, u * self._total, 0, self._last)]

    @property
    def items(self) -> tuple[T, ...]:
        return self._items

    def probability(self, item: T) -> float:
        """The probability of drawing `item` (summed over repeats)."""
        previous = 0.0
        total = 0.0
        for candidate, cumulative in zip(self._items, self._cumulative, strict=True):
            if candidate == item:
                total += cumulative - previous
            previous = cumulative
        return total / self._total


def zipf[T](items: Sequence[T], exponent: float = 0.8) -> Weighted[T]:
    """Weights falling with rank (1, 1/2^s, 1/3^s ...): lists are written most common first.

    Real name frequencies are heavy-tailed, so a few names are very common; that is what makes the
    look-alike records a duplicate detector has to cope with.
    """
    return Weighted((item, 1.0 / rank**exponent) for rank, item in enumerate(items, start=1))


def blend[T](*parts: tuple[Weighted[T], float]) -> Weighted[T]:
    """One table drawing from each part with the given share (an item in two parts adds up)."""
    pairs: list[tuple[T, float]] = []
    for table, share in parts:
        previous = 0.0
        for item, cumulative in zip(table.items, table._cumulative, strict=True):
            pairs.append((item, share * (cumulative - previous) / table._total))
            previous = cumulative
    return Weighted(pairs)
