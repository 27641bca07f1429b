"""Demo data for capacity planning: the bundled baseline, the 50% surge waiting in Mexico, and the same surge
processed at the ports (breaches climb), each simulated once; the crisis thresholds checked on the demo's live
figures. The planner then asks for a prescription on the processed surge."""

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
    for name in ("baseline", "surge-50", "surge-50-processed"):
        text = sim.bundled_scenarios()[name].read_text(encoding="utf-8")
        scenario = services.scenario_save(actor=coordinator, name="", text=text)
        run = services.run_request(actor=coordinator, scenario=scenario, replications=replications, enqueue=False)
        services.run_execute(run.pk)
        runs += 1
    alerts = services.crisis_watch()
    return {"runs": runs, "alerts": len(alerts)}
