import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from corredor.core import simulation as sim


class Command(BaseCommand):
    help = ("Simulate a scenario file (YAML): replications in parallel processes (or on a Dask cluster), a "
            "progress bar, the key figures printed, an HTML report with charts written; --prescribe searches for "
            "the smallest surge keeping custody within the limit.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("scenario", help="a scenario file, or the name of a bundled one (baseline, surge-50, ...)")
        parser.add_argument("--replications", type=int, default=20)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--workers", type=int, default=1, help="local processes (1: in this process)")
        parser.add_argument("--dask", default="", help="address of a Dask scheduler to run the replications on")
        parser.add_argument("--html", default="", help="write the report here (default: <scenario>-report.html)")
        parser.add_argument("--json", default="", help="also write the summary as JSON here")
        parser.add_argument("--language", default="en", choices=["en", "es"])
        parser.add_argument("--prescribe", action="store_true", help="find the smallest surge (breaches < target)")
        parser.add_argument("--target", type=float, default=0.01, help="breach share target for --prescribe")

    def handle(self, *args: object, **options: object) -> None:
        source = str(options["scenario"])
        bundled = sim.bundled_scenarios()
        path = Path(source) if Path(source).exists() else bundled.get(source)
        if path is None:
            raise CommandError(f"No scenario file {source!r} (bundled ones: {', '.join(sorted(bundled))}).")
        try:
            scenario = sim.load_scenario(Path(path).read_text(encoding="utf-8"))
        except sim.ScenarioError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        executor: sim.Executor
        if options["dask"]:
            executor = sim.DaskExecutor(str(options["dask"]))
        elif int(options["workers"]) > 1:  # type: ignore[call-overload]
            executor = sim.ProcessExecutor(int(options["workers"]))  # type: ignore[call-overload]
        else:
            executor = sim.SerialExecutor()
        n = int(options["replications"])  # type: ignore[call-overload]
        seed = options["seed"] if options["seed"] is not None else scenario.seed
        seed = 2021 if seed is None else int(seed)  # type: ignore[call-overload]
        started = time.perf_counter()
        if options["prescribe"]:
            plan = sim.prescribe(scenario, target_breach_share=float(options["target"]), replications=n,  # type: ignore[arg-type]
                                 executor=executor, seed=seed)
            self.stdout.write(json.dumps({k: v for k, v in plan.to_dict().items()
                                          if k not in ("baseline", "planned", "planned_scenario")}, indent=2))
            summary, results = plan.planned, None
        else:
            results = sim.run_replications(scenario, n, seed, executor, progress=self._bar)
            sys.stderr.write("\n")
            summary = sim.summarise(results, seed=seed)
        seconds = time.perf_counter() - started
        for key in ("waiting_days.mean", "custody_hours.mean", "breaches.share", "backlog.days_to_clear",
                    "cost.usd.total"):
            m = summary.metrics.get(key) or {}
            self.stdout.write(f"{key:24s} mean {m.get('mean')}  90% interval {m.get('p5')} .. {m.get('p95')}")
        self.stdout.write(f"{n} replications of {scenario.horizon_days} days in {seconds:.1f} s")
        probabilities = sim.crossing_probabilities(sim.default_thresholds(), results) if results else None
        html_path = Path(str(options["html"]) or f"{Path(path).stem}-report.html")
        html_path.write_text(sim.render_html(scenario, summary, scenario.name, language=str(options["language"]),
                                             threshold_probabilities=probabilities,
                                             thresholds=sim.default_thresholds()), encoding="utf-8")
        self.stdout.write(f"Report: {html_path}")
        if options["json"]:
            Path(str(options["json"])).write_text(json.dumps(summary.to_dict()), encoding="utf-8")

    @staticmethod
    def _bar(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} replications")
        sys.stderr.flush()
