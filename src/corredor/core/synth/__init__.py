"""Deterministic synthetic population for the demo, the tests and the benchmarks (see `population`)."""

from corredor.core.synth.population import (
    COMPOSITIONS,
    EARLIEST_REGISTRATION,
    WAITING_CITY_NAMES,
    SynthDocument,
    SynthHousehold,
    SynthPerson,
    generate_households,
    generate_people,
)

__all__ = [
    "COMPOSITIONS",
    "EARLIEST_REGISTRATION",
    "WAITING_CITY_NAMES",
    "SynthDocument",
    "SynthHousehold",
    "SynthPerson",
    "generate_households",
    "generate_people",
]
