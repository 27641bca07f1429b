"""One synthetic sample shared by the tests of this package (generated once: about 0.3 s)."""

from __future__ import annotations

from datetime import date

import pytest

from corredor.core.synth import SynthHousehold, SynthPerson, generate_people

SAMPLE_SEED = 2025
SAMPLE_PEOPLE = 20_000
SAMPLE_TODAY = date(2025, 6, 1)


@pytest.fixture(scope="session")
def sample() -> list[SynthHousehold]:
    """The households of 20,000 people."""
    pairs = generate_people(seed=SAMPLE_SEED, count=SAMPLE_PEOPLE, today=SAMPLE_TODAY)
    return list(dict.fromkeys(household for household, _ in pairs))


@pytest.fixture(scope="session")
def people(sample: list[SynthHousehold]) -> list[SynthPerson]:
    return [person for household in sample for person in household.members]
