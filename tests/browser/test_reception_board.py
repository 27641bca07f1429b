"""Headless Chromium on the reception board: the rows refresh in place through htmx (no full reload), the
page raises no script or content-security errors, and the custody page shows the clocks in local time."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from corredor.platform.authz import Role

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
                       reason="Debian's chromium is not installed"),
]


@pytest.fixture
def board_world(transactional_db, make_user, reference):
    from corredor.accounts.models import Organisation
    from corredor.reception import services
    from corredor.reception.models import FacilityKind
    from corredor.registry import services as registry

    intake = make_user(Role.INTAKE_WORKER, "UNHCR", username="b-intake")
    staff = make_user(Role.RECEPTION_STAFF, "CBP", username="b-reception")
    jpc = services.facility_create(actor=None, code="jpc-browser", name="JPC Browser", kind=FacilityKind.JPC,
                                   organisation=Organisation.objects.get(code="CBP"), city="San Diego",
                                   time_zone="America/Los_Angeles", beds={"families": 10, "uc_girls_13_17": 4})
    girl = registry.person_register(actor=intake, data=registry.PersonData(
        given_names="Daniela", first_surname="Cruz", sex="female", stated_age=15, nationality="GT"))
    case = registry.case_open(actor=intake, kind="unaccompanied_child", person=girl)
    services.custody_admit(actor=None, case=case, persons=[girl], facility=jpc,
                           arrived_at=timezone.now() - dt.timedelta(hours=61))
    return {"user": staff, "case": case.reference}


def test_board_refreshes_in_place_without_errors(board_world, live_server):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page(locale="es", extra_http_headers={"Accept-Language": "es"})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.goto(f"{live_server.url}/login/")
            page.fill("#id_username", board_world["user"].username)
            page.fill("#id_password", "a-long-test-password-42")
            page.click("main button")
            page.wait_for_url(f"{live_server.url}/")
            page.goto(f"{live_server.url}/reception/jpc-browser/")
            assert board_world["case"] in page.inner_text("#board")
            assert "ESCALADO" in page.inner_text("#board")
            before = page.inner_text("#board .counts")
            page.evaluate("window.__kept = true")  # survives only if the page is not reloaded
            with page.expect_response(lambda r: "/rows/" in r.url):
                page.evaluate("htmx.trigger('#board', 'every 30s')")
                page.evaluate("htmx.ajax('GET', '/reception/jpc-browser/rows/', '#board')")
            page.wait_for_timeout(300)
            assert page.evaluate("window.__kept === true")
            assert board_world["case"] in page.inner_text("#board") and before.split()[0] in page.inner_text("#board")
            page.screenshot(path=str(SHOTS / "reception-board-es.png"), full_page=True)
            page.click("#board a:has-text('Daniela')")
            page.wait_for_load_state()
            assert "Plazos legales" in page.content()
            page.screenshot(path=str(SHOTS / "reception-custody-es.png"), full_page=True)
            assert not errors, errors
        finally:
            browser.close()
