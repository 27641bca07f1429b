"""Demo data for protection pathways: a family in San Pedro Sula to screen, with one saved screening and a
Central American Minors application part-way through its steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from corredor.accounts.models import User
from corredor.registry import services as registry
from corredor.registry.models import Case

from . import services
from .models import Application


def demo_pathways_create(*, users: dict[str, User]) -> dict[str, int]:
    if Application.objects.exists():
        return {"skipped": 1}
    intake = users["intake"]
    today = timezone.localdate()
    common: dict[str, Any] = {"nationality": "HN", "origin_country": "HN", "origin_subdivision": "HN-CR",
              "origin_municipality": "San Pedro Sula", "languages": ["spa"],
              "current_location_note": "San Pedro Sula, Cortés (at home)"}
    mother = registry.person_register(actor=intake, data=registry.PersonData(
        given_names="Karla Patricia", first_surname="Mejía", second_surname="Zelaya", sex="female",
        date_of_birth=today.replace(year=today.year - 38) - dt.timedelta(days=40), dob_precision="exact", **common))
    son = registry.person_register(actor=intake, data=registry.PersonData(
        given_names="Josué David", first_surname="Mejía", sex="male",
        date_of_birth=today.replace(year=today.year - 16) - dt.timedelta(days=100), dob_precision="exact", **common))
    daughter = registry.person_register(actor=intake, data=registry.PersonData(
        given_names="Alison Michelle", first_surname="Mejía", sex="female",
        date_of_birth=today.replace(year=today.year - 12) - dt.timedelta(days=7), dob_precision="exact", **common))
    family = registry.family_create(actor=intake, contact=mother, members=[
        registry.MemberData(son, "child"), registry.MemberData(daughter, "child")])
    case: Case = registry.case_open(actor=intake, kind="pathway_application", family=family)
    # The son's father lives in Houston with TPS: the CAM programme may be open to the son.
    asked = {"country_of_residence": "HN", "fears_return": True, "us_petitioner_relationship": "parent",
             "us_petitioner_status": "tps"}
    decision = services.screening_save(actor=intake, person=son, case=case, asked=asked, on=today)
    # The CAM application was filed in 2024, while the programme took applications (it is suspended since
    # January 2025, as the menu shows today): it moved through its steps and waits for travel.
    application = services.application_refer(actor=intake, case=case, pathway="us-cam", person=son,
                                             screening=decision, on=dt.date(2024, 5, 6),
                                             note="Father in Houston filed the affidavit of relationship (DS-7699).")
    for step, day, note in (("submitted", dt.date(2024, 5, 20), "Resettlement agency confirmed receipt."),
                            ("interview_scheduled", dt.date(2024, 9, 12), "USCIS interview in San Pedro Sula."),
                            ("approved", dt.date(2024, 12, 3), "Conditionally approved as a refugee (demo).")):
        application = services.application_advance(actor=intake, application=application, step=step,
                                                   occurred_on=day, expected_version=None, note=note)
    return {"case": case.pk, "screenings": 1, "applications": 1}
