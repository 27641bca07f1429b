"""Demo data for capacity planning: the bundled baseline and 50% surge scenarios saved, one simulation of
each already run, and the crisis thresholds checked on the demo's live figures."""

from __future__ import annotations

from corredor.accounts.models import User
from corredor.core import simulation as sim

from . import services
from .models import PlanningScenario


def demo_planning_create(*, users: dict[str, User], replications: int = 10) -> dict[str, int]:
    if PlanningScenario.objects.exists():
        return {"skipped": 1}
    coordinator = users["coordinator"]
    runs = 0
    for name in ("baseline", "surge-50"):
        text = sim.bundled_scenarios()[name].read_text(encoding="utf-8")
        scenario = services.scenario_save(actor=coordinator, name="", text=text)
        run = services.run_request(actor=coordinator, scenario=scenario, replications=replications, enqueue=False)
        services.run_execute(run.pk)
        runs += 1
    alerts = services.crisis_watch()
    return {"runs": runs, "alerts": len(alerts)}
