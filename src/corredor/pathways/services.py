"""Every write of the pathways context: saving a dated screening decision, referring a case to a pathway,
and moving an application along its track. Each checks its permission and scope, and audits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from corredor.accounts.models import User
from corredor.accounts.selectors import require_permission
from corredor.audit import services as audit
from corredor.audit.events import AuditAction
from corredor.core.eligibility import AnswerError, screen, screen_all, validate_answers
from corredor.core.eligibility.tracks import INTERVIEW_MODES, track_for
from corredor.core.registry import text
from corredor.platform.authz import Permission
from corredor.platform.errors import DuplicateError, InvalidTransitionError, ValidationFailedError
from corredor.registry import services as registry_services
from corredor.registry.models import Case, CaseEventKind, Person

from .catalogue import catalogue, registry_answers
from .models import Application, ApplicationStep, ScreeningDecision


def _json_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in answers.items():
        if isinstance(value, dt.date):
            out[key] = value.isoformat()
        elif isinstance(value, tuple):
            out[key] = list(value)
        else:
            out[key] = value
    return out


def merged_answers(person: Person, asked: Mapping[str, Any], on: dt.date) -> tuple[dict[str, Any], dict[str, str]]:
    """Registry facts first; answers given on the page fill the rest (a page answer never overrides the
    registry: correct the registry record instead). Raises ValidationFailedError naming each bad answer."""
    from_registry = registry_answers(person, on)
    given = {k: val for k, val in asked.items() if val not in (None, "") and k not in from_registry}
    try:
        checked = validate_answers({**given, **from_registry}, catalogue())
    except AnswerError as exc:
        raise ValidationFailedError({exc.key: [exc.message]}) from exc
    sources = {k: ("registry" if k in from_registry else "asked") for k in checked}
    return checked, sources


def screening_save(*, actor: User | None, person: Person, case: Case | None, asked: Mapping[str, Any],
                   on: dt.date | None = None) -> ScreeningDecision:
    """Save the menu as a dated decision that reproduces exactly later (stored answers + rule versions)."""
    require_permission(user=actor, permission=Permission.PATHWAY_SCREEN)
    on = on or timezone.localdate()
    answers, sources = merged_answers(person, asked, on)
    menu = screen_all(catalogue(), answers, on)
    results = [{"version_id": s.version_id, "pathway": s.pathway, "outcome": s.outcome, "digest": s.rules_digest,
                "questions_needed": list(s.questions_needed)} for s in menu]
    organisation = registry_services._actor_organisation(actor, None) if actor else person.registered_by_organisation
    with transaction.atomic():
        decision = ScreeningDecision.objects.create(
            person=person, case=case, screened_on=on, answers=_json_answers(answers), answer_sources=sources,
            fingerprint=catalogue().fingerprint, results=results, organisation=organisation,
            created_by=actor if actor and actor.pk else None)
        if case is not None:
            may = sum(1 for r in results if r["outcome"] == "may_apply")
            registry_services._case_event(case, kind=CaseEventKind.REFERRAL, actor=actor,
                                          summary=f"Pathways screened for one member on {on.isoformat()}: {may} "
                                                  f"option(s) they may be able to apply to.",
                                          data={"screening": decision.pk})
        # answers about fear and harm are protection data: the trail records which were given, not what
        audit.record(actor=actor, action=AuditAction.PATHWAY_SCREENED, obj=decision, person_id=person.pk,
                     changes={"answers": {"old": None, "new": sorted(answers)},
                              "outcomes": {"old": None, "new": {r["version_id"]: r["outcome"] for r in results}}})
    return decision


def application_refer(*, actor: User | None, case: Case, pathway: str, person: Person | None = None,
                      screening: ScreeningDecision | None = None, on: dt.date | None = None,
                      note: str = "") -> Application:
    require_permission(user=actor, permission=Permission.PATHWAY_APPLY)
    on = on or timezone.localdate()
    version = catalogue().version_for(pathway, on)
    if version is None:
        raise ValidationFailedError({"pathway": [f"No version of {pathway[:40]!r} is in force on {on.isoformat()}."]})
    status = version.status_on(on)
    if not status.is_open:
        reason = (status.reason or {}).get("en", "")
        raise ValidationFailedError({"pathway": [f"{version.id} is {status.state} on {on.isoformat()}: {reason}"]})
    if person is not None and person.pk not in {p.pk for p in registry_services.case_members(case)}:
        raise ValidationFailedError({"person": [f"The person is not a member of case {case.reference}."]})
    problem = text.free_text_problem(note, max_length=300)
    if problem:
        raise ValidationFailedError({"note": [f"The note {problem}."]})
    track = track_for(version.pathway)
    organisation = registry_services._actor_organisation(actor, None) if actor else case.holding_organisation
    try:
        with transaction.atomic():
            application = Application.objects.create(
                case=case, person=person, pathway=version.pathway, version_id=version.id, track=track.id,
                status="referred", screening=screening, referred_by=organisation)
            ApplicationStep.objects.create(application=application, step="referred", occurred_on=on, note=note.strip(),
                                           recorded_by=actor if actor and actor.pk else None,
                                           organisation=organisation)
            registry_services._case_event(case, kind=CaseEventKind.REFERRAL, actor=actor,
                                          summary=f"Referred to {version.name['en']} ({version.id}).",
                                          data={"application": application.pk, "pathway": version.pathway})
            audit.record(actor=actor, action=AuditAction.PATHWAY_REFERRED, obj=application,
                         person_id=person.pk if person else None,
                         changes={"pathway": {"old": None, "new": version.id},
                                  "status": {"old": None, "new": "referred"}})
    except IntegrityError as exc:
        raise DuplicateError(f"Case {case.reference} already has an open application to {version.pathway}.",
                             field="pathway") from exc
    return application


def application_advance(*, actor: User | None, application: Application, step: str, occurred_on: dt.date,
                        expected_version: int | None, note: str = "", mode: str = "") -> Application:
    """Record the next step; the track says which steps may follow which."""
    require_permission(user=actor, permission=Permission.PATHWAY_APPLY)
    track = track_for(application.pathway)
    problem = text.free_text_problem(note, max_length=300)
    errors: dict[str, list[str]] = {}
    if problem:
        errors["note"] = [f"The note {problem}."]
    if step == track.interview_step and mode not in INTERVIEW_MODES:
        errors["mode"] = [f"Say how the interview was held: one of {', '.join(INTERVIEW_MODES)}."]
    if step != track.interview_step and mode:
        errors["mode"] = ["Only the interview step records how it was held."]
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = ["The date is in the future."]
    if errors:
        raise ValidationFailedError(errors)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        registry_services._check_version(locked, expected_version)
        allowed = track.allowed(locked.status)
        if step not in allowed:
            raise InvalidTransitionError(
                f"An application that is {locked.status} cannot move to {step}; allowed next: "
                f"{', '.join(sorted(allowed)) or 'none (it is closed)'}.", field="step",
                details={"from": locked.status, "to": step, "allowed": sorted(allowed)})
        last = locked.steps.order_by("-occurred_on", "-id").first()
        if last is not None and occurred_on < last.occurred_on:
            raise ValidationFailedError({"occurred_on": [f"The step cannot be before the previous one "
                                                         f"({last.occurred_on.isoformat()})."]})
        old = locked.status
        organisation = registry_services._actor_organisation(actor, None) if actor else locked.referred_by
        ApplicationStep.objects.create(application=locked, step=step, occurred_on=occurred_on, mode=mode,
                                       note=note.strip(), recorded_by=actor if actor and actor.pk else None,
                                       organisation=organisation)
        locked.status, locked.updated_at = step, timezone.now()
        locked.version += 1
        locked.save(update_fields=["status", "updated_at", "version"])
        registry_services._case_event(
            locked.case, kind=CaseEventKind.REFERRAL, actor=actor,
            summary=f"{locked.version_id}: {track.label(step, 'en')}" + (f" ({INTERVIEW_MODES[mode]['en']})"
                                                                       if mode else "") + ".",
            data={"application": locked.pk, "step": step})
        audit.record(actor=actor, action=AuditAction.PATHWAY_STEP_RECORDED, obj=locked,
                     person_id=locked.person_id, changes={"status": {"old": old, "new": step}})
    return locked


def screen_one(version_id: str, answers: Mapping[str, Any], on: dt.date) -> Any:
    """One pathway version's screening (for reproducing a saved decision)."""
    return screen(catalogue().version(version_id), answers, on)
