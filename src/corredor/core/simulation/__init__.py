"""Capacity and crisis simulation of the corridor's processing system (pure: no Django, no clock, no I/O
beyond reading the files it is given).

The model is described in `engine`; scenario files in `scenario`; outputs in `results`. What the
application layer calls:

- ``load_scenario(path_or_text_or_mapping) -> Scenario``; ``scenario_to_dict`` / ``dump_scenario`` to store
  and edit; ``with_changes(scenario, {"ports[2].officers": 30})`` for sweeps;
- ``run_replications(scenario, n, seed, executor, progress) -> list[ReplicationResult]`` and
  ``summarise(results) -> Summary`` (or ``simulate(...)`` for both); ``.to_dict()`` / ``from_dict`` to store;
- ``render_html(scenario, summary, title)`` for the report;
- ``evaluate_thresholds(thresholds, series)`` on simulated or live daily series (shape in `thresholds`);
- ``prescribe(scenario, target_breach_share, confidence, replications, executor) -> Plan``.
"""

from .engine import replication_seed, simulate_replication
from .erlang import erlang_c, mmc
from .executors import DaskExecutor, Executor, ProcessExecutor, SerialExecutor, run_replications, simulate
from .prescribe import Plan, prescribe
from .report import Bar, Line, render_html, svg_bar_chart, svg_line_chart
from .results import ReplicationResult, Summary, summarise
from .scenario import (
    POPULATIONS,
    Scenario,
    ScenarioError,
    bundled_scenarios,
    dump_scenario,
    fit_distribution,
    load_scenario,
    scenario_schema,
    scenario_to_dict,
    with_changes,
)
from .thresholds import (
    Crossing,
    Threshold,
    ThresholdError,
    crossing_probabilities,
    default_thresholds,
    evaluate_thresholds,
    load_thresholds,
    with_totals,
)

__all__ = [
    "POPULATIONS",
    "Bar",
    "Crossing",
    "DaskExecutor",
    "Executor",
    "Line",
    "Plan",
    "ProcessExecutor",
    "ReplicationResult",
    "Scenario",
    "ScenarioError",
    "SerialExecutor",
    "Summary",
    "Threshold",
    "ThresholdError",
    "bundled_scenarios",
    "crossing_probabilities",
    "default_thresholds",
    "dump_scenario",
    "erlang_c",
    "evaluate_thresholds",
    "fit_distribution",
    "load_scenario",
    "load_thresholds",
    "mmc",
    "prescribe",
    "render_html",
    "replication_seed",
    "run_replications",
    "scenario_schema",
    "scenario_to_dict",
    "simulate",
    "simulate_replication",
    "summarise",
    "svg_bar_chart",
    "svg_line_chart",
    "with_changes",
    "with_totals",
]
