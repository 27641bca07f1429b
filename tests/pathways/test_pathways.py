"""Protection pathways in the platform: the menu from registry facts plus asked answers, saved decisions that
reproduce exactly, applications along their tracks, registry-wide counts, and who may see what."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from corredor.audit.models import AuditEvent
from corredor.pathways import selectors, services
from corredor.pathways.models import ScreeningDecision
from corredor.platform.authz import Role
from corredor.platform.errors import (
    DuplicateError,
    InvalidTransitionError,
    NotFoundError,
    PermissionDeniedError,
    StaleEditError,
    ValidationFailedError,
)
from corredor.registry import services as registry

pytestmark = pytest.mark.django_db
OPEN_CAM_DAY = dt.date(2024, 5, 6)  # the 2023 CAM version took applications then


@pytest.fixture
def family(intake, person_data):
    """A mother (38) and her son (16) at home in San Pedro Sula, Honduras (no registry place: asked)."""
    today = timezone.localdate()
    mother = registry.person_register(actor=intake, data=person_data(
        given_names="Karla", date_of_birth=today.replace(year=today.year - 38), current_place="",
        documents=[], contacts=[]))
    son = registry.person_register(actor=intake, data=person_data(
        given_names="Josué", sex="male", date_of_birth=today.replace(year=today.year - 16) - dt.timedelta(days=3),
        current_place="", documents=[], contacts=[]))
    fam = registry.family_create(actor=intake, contact=mother, members=[registry.MemberData(son, "child")])
    case = registry.case_open(actor=intake, kind="pathway_application", family=fam)
    return {"mother": mother, "son": son, "case": case}


def test_menu_takes_registry_facts_and_asks_the_rest(intake, family):
    on = timezone.localdate()
    menu = selectors.menu_for(user=intake, person=family["son"], asked={"age": 40}, on=on)
    assert menu.answers["age"] == 16 and menu.sources["age"] == "registry"  # the registry wins over the page
    assert menu.answers["nationality"] == "HN" and menu.answers["unaccompanied_child"] is False
    assert "country_of_residence" not in menu.answers and "country_of_residence" in menu.next_questions
    assert {s.outcome for s in menu.screenings} <= {"may_apply", "need_more_info", "does_not_qualify", "not_open"}
    assert not any(s.outcome == "does_not_qualify" and not s.failing for s in menu.screenings)
    with pytest.raises(ValidationFailedError) as err:
        selectors.menu_for(user=intake, person=family["son"], asked={"fears_return": "1"}, on=on)
    assert "fears_return" in err.value.errors
    with pytest.raises(ValidationFailedError) as err:
        selectors.menu_for(user=intake, person=family["son"], asked={"favourite_colour": "red"}, on=on)
    assert "favourite_colour" in err.value.errors


def test_saved_screening_reproduces_and_keeps_protection_answers_out_of_the_trail(intake, family):
    decision = services.screening_save(actor=intake, person=family["son"], case=family["case"],
                                       asked={"country_of_residence": "HN", "fears_return": True})
    assert decision.answers["fears_return"] is True and decision.answer_sources["fears_return"] == "asked"
    rows = selectors.reproduce(decision)
    assert rows and all(r.same_rules and r.same_outcome for r in rows)
    event = AuditEvent.objects.filter(action="pathway.screened").get()
    assert event.changes["answers"]["new"] == sorted(decision.answers)  # which questions, never the answers
    assert "True" not in json.dumps(event.changes["answers"])
    assert family["case"].events.last().kind == "referral"
    tampered = ScreeningDecision.objects.get(pk=decision.pk)
    tampered.results[0]["digest"] = "0" * 64
    assert not selectors.reproduce(tampered)[0].same_rules  # a changed rule file is flagged, not hidden


def test_applications_follow_their_track(intake, family, make_user):
    with pytest.raises(ValidationFailedError, match="suspended"):
        services.application_refer(actor=intake, case=family["case"], pathway="us-cam", person=family["son"])
    app = services.application_refer(actor=intake, case=family["case"], pathway="us-cam", person=family["son"],
                                     on=OPEN_CAM_DAY)
    with pytest.raises(DuplicateError):
        services.application_refer(actor=intake, case=family["case"], pathway="us-cam", on=OPEN_CAM_DAY)
    with pytest.raises(InvalidTransitionError, match="allowed next: submitted, withdrawn"):
        services.application_advance(actor=intake, application=app, step="arrived", occurred_on=OPEN_CAM_DAY,
                                     expected_version=app.version)
    app = services.application_advance(actor=intake, application=app, step="submitted",
                                       occurred_on=dt.date(2024, 5, 20), expected_version=app.version)
    with pytest.raises(StaleEditError):
        services.application_advance(actor=intake, application=app, step="interview_scheduled",
                                     occurred_on=dt.date(2024, 6, 1), expected_version=1)
    with pytest.raises(ValidationFailedError, match="before the previous"):
        services.application_advance(actor=intake, application=app, step="interview_scheduled",
                                     occurred_on=dt.date(2024, 5, 1), expected_version=app.version)
    app = services.application_advance(actor=intake, application=app, step="interview_scheduled",
                                       occurred_on=dt.date(2024, 6, 1), expected_version=app.version)
    assert [s.step for s in app.steps.all()] == ["referred", "submitted", "interview_scheduled"]
    assert AuditEvent.objects.filter(action="pathway.step_recorded").count() == 2
    analyst = make_user(Role.ANALYST, "UNHCR", username="an-1")
    with pytest.raises(PermissionDeniedError):
        services.application_advance(actor=analyst, application=app, step="withdrawn",
                                     occurred_on=dt.date(2024, 6, 2), expected_version=app.version)


def test_pta_interview_records_how_it_was_held(intake, family):
    on = dt.date(2021, 3, 1)
    app = services.application_refer(actor=intake, case=family["case"], pathway="cr-pta", person=family["mother"],
                                     on=on)
    assert app.track == "pta"
    app = services.application_advance(actor=intake, application=app, step="selected", occurred_on=on,
                                       expected_version=app.version)
    with pytest.raises(ValidationFailedError, match="how the interview was held"):
        services.application_advance(actor=intake, application=app, step="interview", occurred_on=on,
                                     expected_version=app.version)
    app = services.application_advance(actor=intake, application=app, step="interview", occurred_on=on,
                                       expected_version=app.version, mode="circuit_ride")
    assert app.steps.last().mode == "circuit_ride"


def test_registry_counts_for_planners_hide_small_cells(family, make_user, intake):
    analyst = make_user(Role.ANALYST, "UNHCR", username="an-2")
    total, rows = selectors.registry_counts(user=analyst, on=timezone.localdate())
    assert total >= 2 and rows
    for r in rows:
        for n in (r.may_apply, r.need_more_info, r.one_answer_away, r.does_not_qualify):
            assert n is None or n == 0 or n >= 5
    with pytest.raises(PermissionDeniedError):
        selectors.registry_counts(user=intake, on=timezone.localdate())


def test_other_organisations_people_are_not_screened(family, make_user, org):
    stranger = registry.person_register(actor=None, organisation=org("IOM"), data=registry.PersonData(
        given_names="Ajena", nationality="SV"))
    worker = make_user(Role.CASE_MANAGER, "UNHCR", username="cm-1")
    with pytest.raises(NotFoundError):
        selectors.menu_for(user=worker, person=stranger, asked={}, on=timezone.localdate())


def test_pages_menu_save_applications_and_counts(intake, family, login, make_user):
    client = login(intake)
    son, case = family["son"], family["case"]
    page = client.get(f"/pathways/people/{son.pk}/?case={case.reference}&a_country_of_residence=HN")
    body = page.content.decode()
    assert page.status_code == 200 and "Ask next" in body and "Rules:" in body and "Karla" in body
    partial = client.get(f"/pathways/people/{son.pk}/?a_fears_return=yes", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    bad = client.get(f"/pathways/people/{son.pk}/?a_us_petitioner_age=abc")
    assert bad.status_code == 200 and 'role="alert"' in bad.content.decode()  # named, and the rest still shown
    saved = client.post(f"/pathways/people/{son.pk}/save/", {"case": case.reference, "a_fears_return": "yes"})
    assert saved.status_code == 302
    decision_page = client.get(saved["Location"]).content.decode()
    assert "identical" in decision_page
    response = client.post(f"/pathways/cases/{case.reference}/applications/",
                           {"action": "refer", "pathway": "mx-comar", "person": str(son.pk)})
    assert response.status_code == 302
    apps = client.get(f"/pathways/cases/{case.reference}/applications/").content.decode()
    assert "mx-comar" in apps and "Record the step" in apps
    analyst = login(make_user(Role.ANALYST, "UNHCR", username="an-3"))
    counts = analyst.get("/pathways/counts/")
    assert counts.status_code == 200 and "Karla" not in counts.content.decode()
    assert client.get("/pathways/counts/").status_code == 403


def test_api_screen_and_save(intake, family, login):
    client = login(intake)
    response = client.post("/api/pathways/screen", data=json.dumps({
        "person_id": family["son"].pk, "answers": {"country_of_residence": "HN"}, "save": True,
        "case_reference": family["case"].reference}), content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["saved_screening_id"] and body["sources"]["age"] == "registry"
    assert {p["outcome"] for p in body["pathways"]} <= {"may_apply", "need_more_info", "does_not_qualify", "not_open"}
    wrong = client.post("/api/pathways/screen", data=json.dumps({"person_id": family["son"].pk,
                                                                 "answers": {"age": "16"}}),
                        content_type="application/json")
    assert wrong.status_code == 200  # the registry answers age: the page's value is ignored, not an error
    wrong = client.post("/api/pathways/screen", data=json.dumps({"person_id": family["son"].pk,
                                                                 "answers": {"fears_return": "yes"}}),
                        content_type="application/json")
    assert wrong.status_code == 422 and wrong.json()["field"] == "fears_return"
    catalogue = client.get("/api/pathways/catalogue?on=2024-05-06").json()
    assert any(v["id"] == "us-cam-2023" and v["status"] == "open" for v in catalogue)
