"""Hostile input on the reception and pathway pages and endpoints: a clear error, never a 500, nothing written."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from corredor.reception import services
from corredor.reception.models import Breach, Release, Screening

from .conftest import members

pytestmark = pytest.mark.django_db
HOSTILE = ["x" * 5000, "Ana\x00\x07", "<script>alert(1)</script>", "\u202eevil", "   ", ""]
BAD_TIMES = ["2021-02-30T10:00", "yesterday", "9999-12-31T23:59", "31/12/2020 10:00", "-1"]


@pytest.fixture
def held(staff, facilities, family_case):
    case = family_case()
    return services.custody_admit(actor=staff, case=case, persons=members(case), facility=facilities["jpc"],
                                  arrived_at=timezone.now() - dt.timedelta(hours=80))


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["destination_city", "sponsor_name", "address", "programme"])
def test_release_form_refuses_hostile_text(staff, held, login, field, value):
    client = login(staff)
    local = timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M")
    data = {"action": "release", "released_at": local, "destination_city": "Houston", field: value}
    response = client.post(f"/reception/custody/{held[0].pk}/", data)
    assert response.status_code == 302
    if field == "destination_city" or value.strip():  # a blank optional field is fine; anything hostile is not
        assert not Release.objects.exists(), (field, value)


@pytest.mark.parametrize("value", BAD_TIMES)
def test_bad_times_never_500(staff, held, login, value):
    client = login(staff)
    for action, field in (("release", "released_at"), ("screening", "occurred_at"), ("exit", "at"),
                          ("transfer", "departed_at")):
        response = client.post(f"/reception/custody/{held[0].pk}/", {
            "action": action, field: value, "destination_city": "Houston", "kind": "interpreter",
            "language": "mam", "outcome": "returned", "reason": "r", "to_facility": "poe-san-ysidro"})
        assert response.status_code == 302, (action, response.status_code)
    assert not Release.objects.exists() and not Screening.objects.exists()


@pytest.mark.parametrize("value", HOSTILE)
def test_breach_reason_and_api_bodies(staff, held, login, value):
    client = login(staff)
    response = client.post(f"/reception/custody/{held[0].pk}/", {
        "action": "breach", "rule_id": "family-reception", "reason_code": "sponsor", "reason": value})
    assert response.status_code == 302
    if not value.strip() or "\x00" in value or len(value) > 500 or "<" in value or "\u202e" in value:
        assert not Breach.objects.exists(), repr(value[:20])
    api = client.post(f"/api/reception/custody/{held[0].pk}/breaches", data=json.dumps(
        {"rule_id": value, "reason_code": value, "reason": value}), content_type="application/json")
    assert 400 <= api.status_code < 500
    api = client.post("/api/reception/custody/release", data=json.dumps(
        {"custody_ids": [held[0].pk], "released_at": "2026-01-01T00:00:00Z", "destination_city": value}),
        content_type="application/json")
    assert 400 <= api.status_code < 500


@pytest.mark.parametrize("value", [*HOSTILE, "1", "true", "[]", "9" * 40])
def test_pathway_answers_never_500(intake, family_case, login, value):
    case = family_case()
    person = members(case)[0]
    client = login(intake)
    for question in ("fears_return", "us_petitioner_age", "date_entered_mexico", "displacement_cause", "nope"):
        page = client.get(f"/pathways/people/{person.pk}/", {f"a_{question}": value})
        assert page.status_code == (400 if "\x00" in value else 200)  # the NUL-byte guard answers first
        api = client.post("/api/pathways/screen", data=json.dumps({"person_id": person.pk,
                                                                   "answers": {question: value}}),
                          content_type="application/json")
        assert api.status_code in (200, 400, 422), (question, api.status_code, api.content[:200])
        if api.status_code == 400:
            assert "\x00" in value  # the NUL-byte guard answers 400 before anything else


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "9" * 30, "", "\u0661"])
def test_ids_typed_into_forms_never_500(staff, make_user, intake, family_case, login, value):
    from corredor.platform.authz import Role

    orr = login(make_user(Role.ORR_CASEWORKER, "ORR", username="orr-h"))
    assert orr.post("/reception/orr/", {"action": "decide", "referral": value}).status_code == 404
    assert login(staff).post("/reception/alerts/", {"alert": value}).status_code == 302
    case = family_case()
    response = login(intake).post(f"/pathways/cases/{case.reference}/applications/",
                                  {"action": "step", "application": value, "occurred_on": "2024-01-01"},
                                  follow=True)
    assert response.status_code == 200 and "No application" in response.content.decode()
    planner = login(make_user(Role.COORDINATOR, "UNHCR", username="plan-h"))
    assert planner.post("/planning/", {"alert": value}).status_code == 302
