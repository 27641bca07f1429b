"""Property-based fuzzing of the whole OpenAPI schema: no input may produce a server error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from corredor.accounts import services as account_services
from corredor.accounts.models import Organisation
from corredor.platform.authz import Permission, Role


@pytest.fixture
def api_schema(db, make_user):
    from django.core.wsgi import get_wsgi_application

    user = make_user(Role.INTAKE_WORKER, "UNHCR")
    org = Organisation.objects.get(code="UNHCR")
    for role in (Role.COORDINATOR, Role.CASE_MANAGER, Role.AUDITOR, Role.HEALTH_SCREENER):
        account_services.role_assign(actor=None, user=user, role=role, organisation=org)
    _, raw = account_services.api_token_issue(actor=None, user=user, name="fuzz", scopes=[p.value for p in Permission])
    from corredor.registry import services

    person = services.person_register(actor=user, data=services.PersonData(given_names="Ana"))
    services.case_open(actor=user, kind="asylum_at_port", person=person)
    # Like Django's own test client: keep the test's connection (and its transaction) open across requests.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
        schema.config.headers = {"Authorization": f"Bearer {raw}"}
        yield schema
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_no_input_produces_a_server_error(api_schema):
    # Schemathesis' own pytest plugin does not support this pytest version, so each operation's
    # strategy is driven by hypothesis directly: the same generation, the same check.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:

        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(operation.as_strategy())
        def run(case):
            response = case.call()
            case.validate_response(response, checks=[not_a_server_error])

        run()
