"""Reads of capacity planning. Everything here is aggregate: planners and analysts see flows, never people."""

from __future__ import annotations

from django.db.models import QuerySet

from corredor.accounts.models import User
from corredor.accounts.selectors import require_permission, user_has_permission
from corredor.platform.authz import Permission
from corredor.platform.errors import NotFoundError

from .models import CrisisAlert, PlanningRun, PlanningScenario


def require_planning_view(user: User) -> None:
    if not user_has_permission(user=user, permission=Permission.PLANNING_RUN):
        require_permission(user=user, permission=Permission.AGGREGATES_VIEW)


def scenarios_visible_to(*, user: User) -> QuerySet[PlanningScenario]:
    require_planning_view(user)
    return PlanningScenario.objects.select_related("organisation", "created_by")


def scenario_get_visible_to(*, user: User, scenario_id: int) -> PlanningScenario:
    found = scenarios_visible_to(user=user).filter(pk=scenario_id).first()
    if found is None:
        raise NotFoundError(f"No scenario {scenario_id}.")
    return found


def runs_visible_to(*, user: User) -> QuerySet[PlanningRun]:
    require_planning_view(user)
    return PlanningRun.objects.select_related("scenario", "created_by")


def run_get_visible_to(*, user: User, run_id: int) -> PlanningRun:
    found = runs_visible_to(user=user).filter(pk=run_id).first()
    if found is None:
        raise NotFoundError(f"No run {run_id}.")
    return found


def crisis_alerts_visible_to(*, user: User) -> QuerySet[CrisisAlert]:
    require_planning_view(user)
    return CrisisAlert.objects.all()
