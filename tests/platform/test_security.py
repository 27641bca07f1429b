"""Security basics: hashing, lockout, idle expiry, CSRF, CSP, production settings, tokens, no PII in logs."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

from corredor.accounts import services as account_services
from corredor.platform.authz import Role
from corredor.registry import services

pytestmark = pytest.mark.django_db
CANARY_GIVEN, CANARY_SURNAME, CANARY_DOC, CANARY_PHONE = "Canarioxq", "Zorzalwv", "CANARY7788", "+52 664 555 0199"


def test_production_hashes_with_argon2():
    from corredor.platform.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_lockout_is_per_username_and_address_not_per_address_alone(make_user):
    make_user(Role.INTAKE_WORKER, username="ana")
    make_user(Role.INTAKE_WORKER, username="beto")
    office = Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        office.post("/login/", {"username": "ana", "password": "wrong-password"})
    locked = office.post("/login/", {"username": "ana", "password": "a-long-test-password-42"})
    assert locked.status_code == 429  # ana is locked on this address even with the right password
    colleague = Client(REMOTE_ADDR="10.1.1.1")
    ok = colleague.post("/login/", {"username": "beto", "password": "a-long-test-password-42"})
    assert ok.status_code == 302  # beto, same shared office address, still logs in


def test_idle_session_expires_after_thirty_minutes(make_user):
    import time_machine

    make_user(Role.INTAKE_WORKER, username="carla")
    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_SAVE_EVERY_REQUEST
    client = Client()
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        assert client.post("/login/", {"username": "carla", "password": "a-long-test-password-42"}).status_code == 302
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, 29, tzinfo=dt.UTC), tick=False):
        assert client.get("/").status_code == 200  # activity pushes the expiry forward
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, 58, tzinfo=dt.UTC), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(dt.datetime(2026, 1, 1, 13, 29, tzinfo=dt.UTC), tick=False):
        response = client.get("/")
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_csrf_is_enforced_for_pages_and_session_api(make_user):
    user = make_user(Role.INTAKE_WORKER)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post("/registry/people/new/", {"given_names": "Ana"}).status_code == 403
    assert client.post("/api/people", data=json.dumps({"given_names": "Ana"}),
                       content_type="application/json").status_code in (401, 403)


def test_content_security_policy_and_headers(make_user, login):
    response = login(make_user(Role.INTAKE_WORKER)).get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"


def test_api_tokens_are_scoped_and_revocable(make_user):
    user = make_user(Role.INTAKE_WORKER)
    token, raw = account_services.api_token_issue(actor=None, user=user, name="shelter", scopes=["person.view"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/people").status_code == 200
    # the user may register people, but this token's scopes do not allow it
    response = client.post("/api/people", data=json.dumps({"given_names": "Ana"}), content_type="application/json")
    assert response.status_code == 403
    assert Client(HTTP_AUTHORIZATION="Bearer cor_wrong").get("/api/people").status_code == 401
    account_services.api_token_revoke(actor=None, token=token)
    assert client.get("/api/people").status_code == 401
    from corredor.platform.errors import ValidationFailedError

    with pytest.raises(ValidationFailedError):
        account_services.api_token_issue(actor=None, user=user, name="x", scopes=["everything"])


def _run(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **env_overrides}
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "corredor.platform.cli", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_production_refuses_a_default_secret_and_passes_deploy_checks(tmp_path):
    base = {"DJANGO_SETTINGS_MODULE": "corredor.platform.settings.production", "ALLOWED_HOSTS": "corredor.example",
            "CORREDOR_VAR_DIR": str(tmp_path)}
    refused = _run({**base, "SECRET_KEY": "dev-only-insecure-key-never-use-in-production"}, "check")
    assert refused.returncode != 0 and "SECRET_KEY" in refused.stderr
    strong = "k" + "".join(chr(48 + (i * 7) % 74) for i in range(80))
    checked = _run({**base, "SECRET_KEY": strong}, "check", "--deploy", "--fail-level", "WARNING")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues" in checked.stdout


def test_canary_personal_data_never_reaches_the_logs(make_user, login, caplog):
    user = make_user(Role.INTAKE_WORKER)
    client = login(user)
    caplog.set_level(logging.DEBUG)
    root = logging.getLogger()
    handler_records: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            handler_records.append(self.format(record))

    capture = Capture()
    for f in settings.LOGGING["handlers"]["console"]["filters"]:
        capture.addFilter(_filter(f))
    root.addHandler(capture)
    try:
        body = {"given_names": CANARY_GIVEN, "first_surname": CANARY_SURNAME,
                "documents": [{"doc_type": "passport", "number": CANARY_DOC}],
                "contacts": [{"kind": "phone_sms", "value": CANARY_PHONE}]}
        created = client.post("/api/people", data=json.dumps(body), content_type="application/json")
        assert created.status_code == 201
        pid = created.json()["id"]
        client.get("/api/search", {"q": CANARY_SURNAME})
        client.get("/registry/search/", {"q": CANARY_GIVEN})
        client.get(f"/registry/search/?q={CANARY_PHONE}")
        client.post("/api/people", data=json.dumps({**body, "nationality": "XX"}), content_type="application/json")
        client.get(f"/api/people/{pid}")
        client.get("/api/people/999999")
        client.put(f"/api/people/{pid}", data=json.dumps({**body, "version": 99}), content_type="application/json")
        services.person_register(actor=user, data=services.PersonData(given_names=CANARY_GIVEN))
    finally:
        root.removeHandler(capture)
    text = "\n".join(handler_records) + caplog.text
    assert handler_records, "the requests above must have produced some log lines (404, 409, 422)"
    for canary in (CANARY_GIVEN, CANARY_SURNAME, CANARY_DOC, "555 0199", "5550199"):
        assert canary not in text, canary


def _filter(name: str) -> logging.Filter:
    from corredor.platform.logging import PersonalDataFilter, RequestIdFilter

    return {"request_id": RequestIdFilter(), "no_personal_data": PersonalDataFilter()}[name]
