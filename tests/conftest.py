"""Shared fixtures: reference data loaded once per test database, one user per role, synthetic people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from corredor.accounts import services as account_services
from corredor.accounts.models import Organisation, User
from corredor.platform.authz import Role
from corredor.registry import services

PASSWORD = "a-long-test-password-42"


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    # Tests on a transactional database (browser, concurrency) end with a flush of every table; run them
    # last so the reference data loaded once per session serves every other test first.
    def transactional(item: Any) -> bool:
        names = getattr(item, "fixturenames", ())
        return "transactional_db" in names or "live_server" in names

    items.sort(key=transactional)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from corredor.reference.services import reference_load

    with django_db_blocker.unblock():
        reference_load(actor=None)


@pytest.fixture
def reference(db: Any) -> None:
    """Reference data is loaded once per session; a transactional test's flush removes it, so reload then."""
    if not Organisation.objects.exists():
        from corredor.reference.services import reference_load

        reference_load(actor=None)


@pytest.fixture
def org(reference: None) -> Callable[[str], Organisation]:
    return lambda code: Organisation.objects.get(code=code)


@pytest.fixture
def make_user(reference: None) -> Callable[..., User]:
    counter = {"n": 0}

    def make(role: Role, organisation: str = "UNHCR", *, site: str = "", username: str = "") -> User:
        counter["n"] += 1
        organisation_obj = Organisation.objects.get(code=organisation)
        user = account_services.user_create(actor=None, username=username or f"{role.value}-{counter['n']}",
                                            password=PASSWORD, organisation=organisation_obj, validate=False)
        site_id = None
        if site:
            from corredor.reference.models import Place

            site_id = Place.objects.get(code=site).pk
        account_services.role_assign(actor=None, user=user, role=role, organisation=organisation_obj,
                                     site_id=site_id)
        return User.objects.get(pk=user.pk)

    return make


@pytest.fixture
def intake(make_user: Callable[..., User]) -> User:
    return make_user(Role.INTAKE_WORKER, "UNHCR", username="intake-unhcr")


@pytest.fixture
def person_data() -> Callable[..., services.PersonData]:
    def build(**overrides: Any) -> services.PersonData:
        base: dict[str, Any] = dict(
            given_names="María José", first_surname="Núñez", second_surname="Castañeda", sex="female",
            date_of_birth=dt.date(1990, 5, 17), dob_precision="exact", nationality="HN", origin_country="HN",
            origin_subdivision="HN-CR", origin_municipality="San Pedro Sula", languages=["spa"],
            current_place="mx-tijuana",
            documents=[services.DocumentData("national_id", "0801-1990-12345", "HN")],
            contacts=[services.ContactData("phone_whatsapp", "+504 9912-3456")])
        base.update(overrides)
        return services.PersonData(**base)

    return build


@pytest.fixture
def registered(intake: User, person_data: Callable[..., services.PersonData]) -> Callable[..., Any]:
    def register(**overrides: Any) -> Any:
        return services.person_register(actor=intake, data=person_data(**overrides))

    return register


@pytest.fixture
def login() -> Callable[[User], Client]:
    def make_client(user: User, language: str = "en") -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make_client
