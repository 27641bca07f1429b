"""Weighted choice tables."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corredor.core.synth._sampling import Weighted, blend, zipf


def test_pick_follows_the_weights() -> None:
    table = Weighted((("a", 1), ("b", 3)))
    rng = random.Random(0)
    counts = Counter(table.pick(rng.random()) for _ in range(20_000))
    assert counts["b"] / 20_000 == pytest.approx(0.75, abs=0.02)
    assert table.probability("a") == pytest.approx(0.25)


@given(st.floats(min_value=0.0, max_value=1.0, exclude_max=True))
def test_pick_always_returns_an_item(u: float) -> None:
    table = Weighted((("a", 0.1), ("b", 0.2), ("c", 1e-9)))
    assert table.pick(u) in table.items
    assert Weighted((("only", 5),)).pick(u) == "only"


def test_pick_at_the_edges() -> None:
    table = Weighted((("a", 1), ("b", 1)))
    assert table.pick(0.0) == "a"
    assert table.pick(0.9999999999999999) == "b"


def test_bad_tables_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Weighted([])
    with pytest.raises(ValueError, match="positive"):
        Weighted((("a", 0),))


def test_zipf_favours_the_first_and_blend_mixes_shares() -> None:
    names = zipf(("common", "rarer", "rare"))
    assert names.probability("common") > names.probability("rarer") > names.probability("rare")
    mixed = blend((Weighted((("x", 1),)), 0.8), (Weighted((("x", 1), ("y", 1))), 0.2))
    assert mixed.probability("x") == pytest.approx(0.9)
    assert mixed.probability("y") == pytest.approx(0.1)
