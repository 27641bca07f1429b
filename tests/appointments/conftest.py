from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from corredor.appointments import services
from corredor.platform.authz import Role
from corredor.registry import services as registry_services


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR, "UNHCR", username="coord")


@pytest.fixture
def port_officer(make_user):
    return make_user(Role.PORT_OFFICER, "CBP", site="poe-san-ysidro", username="officer")


@pytest.fixture
def waiting_case(intake, coordinator, make_user):
    """A ready case (identity confirmed, screened today) waiting for San Ysidro, optionally a family."""
    health = make_user(Role.HEALTH_SCREENER, "IOM", username="screener")
    counter = {"n": 0}

    def make(*, members: int = 1, since: dt.date = dt.date(2020, 3, 2), expedite: bool = False,
             ports: tuple[str, ...] = ("poe-san-ysidro",), ready: bool = True) -> Any:
        counter["n"] += 1
        people = [registry_services.person_register(actor=intake, data=registry_services.PersonData(
            given_names=f"Persona {chr(65 + counter['n'] % 26)}{chr(97 + i)}", first_surname="López",
            nationality="HN"))
            for i in range(members)]
        family = None
        if members > 1:
            family = registry_services.family_create(actor=intake, contact=people[0], members=[
                registry_services.MemberData(p, "child") for p in people[1:]])
        case = registry_services.case_open(actor=intake, kind="metering_backlog", person=None if family else people[0],
                                           family=family, place_in_line_on=since, status="waiting")
        if expedite:
            registry_services.vulnerability_assess(actor=intake, person=people[-1], conditions=["pregnant"])
            case.refresh_from_db()
        if ready:
            services.waiting_entry_update(actor=intake, case=case, identity_confirmed=True, ports=list(ports))
            services.health_screening_record(actor=health, case=case, screened_on=dt.date.today())
        return case

    return make
