"""The sweep as a command and a task, the pages' actions end to end, and the race for one person."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from corredor.platform.authz import Role
from corredor.reception import services
from corredor.reception.models import Alert, Custody
from corredor.reception.tasks import custody_sweep
from corredor.registry import services as registry_services

from .conftest import members

H = dt.timedelta(hours=1)


@pytest.mark.django_db
def test_sweep_command_and_task_raise_alerts_once(staff, facilities, child_case):
    case = child_case()
    services.custody_admit(actor=staff, case=case, persons=members(case), facility=facilities["jpc"],
                           arrived_at=timezone.now() - 50 * H)
    out = io.StringIO()
    call_command("custody_sweep", stdout=out)
    assert "1 alert(s) raised" in out.getvalue()
    assert custody_sweep.enqueue().return_value == {"raised": 0, "messages": 0, "delivered": 0}  # immediate backend
    assert Alert.objects.get().level == "warning"


def share_with_cbp(case, org):
    """Reception staff find a case by reference only when it is shared with their organisation."""
    registry_services.case_share(actor=None, case=case, organisation=org("CBP"), consent_given_by="the mother",
                                 purpose="reception at the port")


@pytest.mark.django_db
def test_board_page_actions_from_arrival_to_release(staff, facilities, family_case, login, org):
    client = login(staff)
    case = family_case()
    share_with_cbp(case, org)
    local = timezone.localtime(timezone.now() - 2 * H, timezone=dt.UTC).astimezone(
        __import__("zoneinfo").ZoneInfo("America/Los_Angeles")).strftime("%Y-%m-%dT%H:%M")
    ids = [str(m.pk) for m in members(case)]
    response = client.post(f"/reception/jpc-test/arrival/?reference={case.reference}",
                           {"persons": ids, "arrived_at": local, "source": "manual"})
    assert response.status_code == 302, response.content[:400]
    board = client.get("/reception/jpc-test/").content.decode()
    assert case.reference in board and 'hx-trigger="every 30s"' in board
    rows = client.get("/reception/jpc-test/rows/").content.decode()
    assert "<html" not in rows and case.reference in rows
    custody = Custody.objects.filter(case=case).order_by("pk").first()
    page = client.get(f"/reception/custody/{custody.pk}/").content.decode()
    assert "Legal clocks" in page and "Family released from federal custody within 72 hours" in page
    now_local = timezone.now().astimezone(__import__("zoneinfo").ZoneInfo("America/Los_Angeles"))
    response = client.post(f"/reception/custody/{custody.pk}/", {
        "action": "release", "together": [str(c.pk) for c in Custody.objects.filter(case=case)],
        "released_at": now_local.strftime("%Y-%m-%dT%H:%M"), "destination_city": "Houston",
        "programme": "Family case management", "provider": "WRC", "documents_issued": ["notice_to_appear"]})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "released" and not Custody.objects.filter(case=case, ended_at__isnull=True).exists()
    occupancy = client.get("/reception/jpc-test/occupancy/")
    assert occupancy.status_code == 200 and b"<polyline" in occupancy.content


@pytest.mark.django_db
def test_page_errors_are_specific_and_nothing_is_written(staff, facilities, family_case, login, org):
    client = login(staff)
    case = family_case()
    response = client.get(f"/reception/jpc-test/arrival/?reference={case.reference}", follow=True)
    assert "that you may see" in response.content.decode()  # not shared with CBP: no names shown
    share_with_cbp(case, org)
    response = client.post(f"/reception/jpc-test/arrival/?reference={case.reference}",
                           {"persons": [str(m.pk) for m in members(case)], "arrived_at": "2999-01-01T00:00",
                            "source": "manual"}, follow=True)
    assert "in the future" in response.content.decode()
    assert not Custody.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_arrivals_of_the_same_person_at_once_only_one_wins(facilities, family_case, make_user):
    staff = make_user(Role.RECEPTION_STAFF, "CBP", username="racer")
    case = family_case()
    people = members(case)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def arrive(facility):
        try:
            barrier.wait(timeout=10)
            services.custody_admit(actor=staff, case=case, persons=people, facility=facility,
                                   arrived_at=timezone.now() - H)
            outcomes.append("ok")
        except Exception as exc:  # the loser's error is what the test checks
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=arrive, args=(f,)) for f in (facilities["port"], facilities["jpc"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert outcomes.count("ok") == 1, outcomes
    assert Custody.objects.filter(ended_at__isnull=True).count() == len(people)
