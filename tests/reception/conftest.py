from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from corredor.accounts.models import Organisation
from corredor.platform.authz import Role
from corredor.reception import services
from corredor.reception.models import Facility, FacilityKind
from corredor.reference.models import Place
from corredor.registry import services as registry_services

LA = "America/Los_Angeles"


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def staff(make_user):
    return make_user(Role.RECEPTION_STAFF, "CBP", username="reception-cbp")


@pytest.fixture
def facilities(reference) -> dict[str, Facility]:
    org = Organisation.objects.get
    port = services.facility_for_port(actor=None, port=Place.objects.get(code="poe-san-ysidro"))
    jpc = services.facility_create(actor=None, code="jpc-test", name="JPC Test", kind=FacilityKind.JPC,
                                   organisation=org(code="CBP"), city="San Diego", time_zone=LA, isolation_capacity=2,
                                   partners=[org(code="IOM"), org(code="KIND")],
                                   beds={"families": 20, "single_men": 10, "uc_boys_13_17": 5})
    shelter = services.facility_create(actor=None, code="orr-test", name="ORR Shelter Test",
                                       kind=FacilityKind.ORR_SHELTER, organisation=org(code="ORR"), city="San Diego",
                                       time_zone=LA, beds={"uc_boys_13_17": 1, "uc_girls_13_17": 1})
    ngo = services.facility_create(actor=None, code="ngo-test", name="NGO Shelter Test", kind=FacilityKind.NGO_SHELTER,
                                   organisation=org(code="WRC"), city="San Diego", time_zone=LA, beds={"families": 30})
    return {"port": port, "jpc": jpc, "orr": shelter, "ngo": ngo}


@pytest.fixture
def family_case(intake, person_data):
    """A mother (34) and her son (9): a family unit."""
    def make() -> Any:
        mother = registry_services.person_register(actor=intake, data=person_data(documents=[], contacts=[]))
        son = registry_services.person_register(actor=intake, data=person_data(
            given_names="Kevin", sex="male", date_of_birth=dt.date.today() - dt.timedelta(days=9 * 366),
            documents=[], contacts=[]))
        family = registry_services.family_create(actor=intake, contact=mother, members=[
            registry_services.MemberData(son, "child")])
        return registry_services.case_open(actor=intake, kind="asylum_at_port", family=family)
    return make


@pytest.fixture
def child_case(intake, person_data):
    """A boy of 16 travelling alone."""
    def make(sex: str = "male") -> Any:
        boy = registry_services.person_register(actor=intake, data=person_data(
            given_names="Josué" if sex == "male" else "Daniela", sex=sex,
            date_of_birth=dt.date.today() - dt.timedelta(days=16 * 366), documents=[], contacts=[]))
        return registry_services.case_open(actor=intake, kind="unaccompanied_child", person=boy)
    return make


def members(case):
    return registry_services.case_members(case)
