"""Headless Chromium (Debian's, never a downloaded build): each role logs in and walks its main pages, in
Spanish and in English. Screenshots land in var/screenshots for a person to look at."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from corredor.platform.authz import ROLE_PERMISSIONS, Permission, Role

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
                       reason="Debian's chromium is not installed"),
]


@pytest.fixture
def population(transactional_db, make_user):
    from corredor.registry import services

    intake = make_user(Role.INTAKE_WORKER, "UNHCR", username="b-intake")
    mother = services.person_register(actor=intake, data=services.PersonData(
        given_names="Rosa María", first_surname="López", second_surname="Hernández", sex="female",
        stated_age=31, nationality="HN", languages=["spa"], current_place="mx-tijuana"))
    child = services.person_register(actor=intake, data=services.PersonData(
        given_names="Kevin", first_surname="López", sex="male", stated_age=9, nationality="HN"))
    family = services.family_create(actor=intake, contact=mother, members=[services.MemberData(child, "child")])
    case = services.case_open(actor=intake, kind="metering_backlog", family=family)
    services.vulnerability_assess(actor=intake, person=child, conditions=["serious_medical_condition"])
    users = {role: make_user(role, "UNHCR" if role is not Role.AUDITOR else "DHS", username=f"b-{role.value}")
             for role in Role}
    return {"users": users, "person": mother.pk, "case": case.reference}


def test_each_role_walks_its_pages_in_both_languages(population, live_server):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            for role, user in population["users"].items():
                perms = ROLE_PERMISSIONS[role]
                for language in ("es", "en"):
                    context = browser.new_context(locale=language, viewport={"width": 390, "height": 844},
                                                  extra_http_headers={"Accept-Language": language})
                    page = context.new_page()
                    errors: list[str] = []
                    page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
                    page.goto(f"{live_server.url}/login/")
                    page.fill("#id_username", user.username)
                    page.fill("#id_password", "a-long-test-password-42")
                    page.click("main button")
                    page.wait_for_url(f"{live_server.url}/")
                    assert page.locator("html").get_attribute("lang") == language
                    welcome = {"es": "bienvenida", "en": "Welcome"}[language]
                    assert welcome in page.inner_text("h1"), (role, language, page.inner_text("h1"))
                    walked = ["/"]
                    if Permission.PERSON_VIEW in perms:
                        page.fill("#q", "lopez")
                        page.press("#q", "Enter")
                        page.wait_for_load_state()
                        assert "Rosa María López" in page.content()
                        page.goto(f"{live_server.url}/registry/people/{population['person']}/")
                        assert "Rosa María" in page.inner_text("h1")
                        walked.append("person")
                    if Permission.CASE_VIEW in perms:
                        page.goto(f"{live_server.url}/registry/cases/{population['case']}/")
                        assert population["case"] in page.inner_text("h1")
                        walked.append("case")
                    if Permission.AGGREGATES_VIEW in perms:
                        page.goto(f"{live_server.url}/registry/figures/")
                        assert page.locator("table").count() == 1
                        walked.append("figures")
                    if Permission.AUDIT_VIEW in perms:
                        page.goto(f"{live_server.url}/audit/")
                        assert "person.registered" in page.content()
                        walked.append("audit")
                    if Permission.PERSON_REGISTER in perms:
                        page.goto(f"{live_server.url}/registry/people/new/")
                        page.fill("#id_given_names", "Brenda")
                        page.fill("#id_stated_age", "25")
                        page.click("main form button")
                        page.wait_for_load_state()
                        assert "Brenda" in page.inner_text("h1")
                        walked.append("register")
                    if language == "es" or role in (Role.INTAKE_WORKER, Role.ANALYST):
                        page.screenshot(path=str(SHOTS / f"{role.value}-{language}.png"), full_page=True)
                    assert not errors, errors
                    context.close()
        finally:
            browser.close()
