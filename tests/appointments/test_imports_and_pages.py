import datetime as dt
import json

import pytest
from django.core.cache import cache

from corredor.appointments import imports, services
from corredor.appointments.models import WaitingListEntry
from corredor.platform.authz import Role
from corredor.reference.models import Place
from corredor.registry.models import Case

pytestmark = pytest.mark.django_db
TOMORROW = dt.date.today() + dt.timedelta(days=1)

MPP = ("household_id,relationship,given_names,first_surname,nationality,registered_on,a_number,pending_port,"
       "hearing_date\n"
       "M1,self,Rosa,Cruz,HN,2019-08-01,A-201-555-111,San Ysidro,2020-02-10\n"
       "M1,child,Kevin,Cruz,HN,2019-08-01,,,\n"
       "M2,self,José,Reyes,SV,2019-09-15,A20155522,Brownsville,\n")
METERING = ("household_id,relationship,given_names,first_surname,nationality,list_city,list_number,list_date\n"
            "T1,self,Ana,Mam,GT,Tijuana,1201,2019-11-02\n"
            "T2,self,Luis,Pérez,HN,Tijuana,1202,2019-11-02\n")


def test_mpp_list_keeps_a_numbers_ports_and_place_in_line(make_user):
    coordinator = make_user(Role.COORDINATOR)
    result = imports.legacy_list_import(actor=coordinator, content=MPP.encode(), list_kind="mpp", mode="all_or_nothing")
    assert result.committed and result.cases_created == 2 and result.people_created == 3
    rosa_case = Case.objects.get(family__contact_member__given_names="Rosa")
    entry = rosa_case.waiting_entry
    assert (entry.source, entry.source_reference, entry.ports) == ("mpp_list", "A201555111", ["poe-san-ysidro"])
    assert entry.hearing_date == dt.date(2020, 2, 10) and rosa_case.place_in_line_on == dt.date(2019, 8, 1)
    assert rosa_case.kind == "mpp_backlog"
    again = imports.legacy_list_import(actor=coordinator, content=MPP.encode(), list_kind="mpp", mode="all_or_nothing")
    assert again.committed and again.people_created == 0 and WaitingListEntry.objects.count() == 2


def test_metering_list_keeps_the_list_date_and_refuses_duplicate_positions(make_user):
    coordinator = make_user(Role.COORDINATOR)
    result = imports.legacy_list_import(actor=coordinator, content=METERING.encode(), list_kind="metering",
                                        mode="all_or_nothing")
    assert result.committed
    entry = WaitingListEntry.objects.get(list_position=1201)
    assert entry.source_reference == "Tijuana #1201" and entry.case.place_in_line_on == dt.date(2019, 11, 2)
    duplicate = METERING.replace("T2,self,Luis", "T3,self,Mario").replace("1202", "1201").replace(
        "T1,self,Ana,Mam,GT,Tijuana,1201", "T4,self,Eva,Mam,GT,Tijuana,1300")
    result = imports.legacy_list_import(actor=coordinator, content=duplicate.encode(), list_kind="metering",
                                        mode="all_or_nothing")
    assert not result.committed
    assert any(e.column == "list_number" and "already on the waiting list" in e.reason for e in result.errors)


@pytest.mark.parametrize(("row", "column"), [
    ("X,self,Ana,Cruz,HN,2019-08-01,12345,San Ysidro,", "a_number"),
    ("X,self,Ana,Cruz,HN,2019-08-01,A201555999,Atlantis,", "pending_port"),
    ("X,self,Ana,Cruz,HN,2019-08-01,A201555999,San Ysidro,2020-13-45", "hearing_date"),
])
def test_bad_mpp_rows_name_row_and_column(make_user, row, column):
    header = MPP.splitlines()[0]
    result = imports.legacy_list_import(actor=make_user(Role.COORDINATOR), content=f"{header}\n{row}\n".encode(),
                                        list_kind="mpp", mode="all_or_nothing")
    assert not result.committed and (2, column) in {(e.row, e.column) for e in result.errors}


def _booked(coordinator, waiting_case):
    case = waiting_case(members=2)
    return services.appointment_book(actor=coordinator, case=case, port=Place.objects.get(code="poe-san-ysidro"),
                                     day=dt.date.today())


def test_slip_page_pdf_and_sms_carry_no_name(coordinator, waiting_case, login):
    appointment = _booked(coordinator, waiting_case)
    client = login(coordinator, "es")
    html = client.get(f"/appointments/slip/{appointment.code}/").content.decode()
    assert appointment.code in html and "<svg" in html and "López" not in html.split('<article class="slip"')[1]
    pdf = client.get(f"/appointments/slip/{appointment.code}/", {"format": "pdf", "lang": "en"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"L\xf3pez" not in pdf.content and b"Lopez" not in pdf.content


def test_check_in_with_the_signed_qr_and_refusal_of_a_forged_one(coordinator, port_officer, waiting_case, login):
    appointment = _booked(coordinator, waiting_case)
    token = services.appointment_token(appointment)
    client = login(port_officer, "en")
    page = client.get("/appointments/check-in/", {"code": token}).content.decode()
    assert "QR signature verified" in page and "Persona" in page
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    page = client.get("/appointments/check-in/", {"code": forged}).content.decode()
    assert "altered or forged" in page
    api = client.post("/api/appointments/verify", data=json.dumps({"token": forged}), content_type="application/json")
    assert api.status_code == 422
    members = [str(p.pk) for p in appointment.case.family.members.all()]
    response = client.post("/appointments/check-in/", {"code": appointment.code, "arrived": members,
                                                        "action": "check_in"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "checked_in"


def test_port_officer_elsewhere_cannot_see_the_appointment(coordinator, waiting_case, make_user, login):
    appointment = _booked(coordinator, waiting_case)
    other = login(make_user(Role.PORT_OFFICER, "CBP", site="poe-laredo"), "en")
    page = other.get("/appointments/check-in/", {"code": appointment.code})
    assert "No appointment with that code that you may see" in page.content.decode()


def test_public_status_has_no_personal_data_and_is_rate_limited(coordinator, waiting_case, client, settings):
    cache.clear()
    settings.PUBLIC_LOOKUPS_PER_MINUTE = 3
    appointment = _booked(coordinator, waiting_case)
    response = client.get("/status/", {"code": appointment.code.lower().replace("-", " ")})
    html = response.content.decode()
    names = [p.full_name for p in appointment.case.family.members.all()]
    assert response.status_code == 200 and "San Ysidro" in html and not any(n in html for n in names)
    assert "López" not in html
    api = client.get(f"/api/public/status/{appointment.code}")
    assert api.status_code == 200 and set(api.json()) == {"code", "status", "day", "port", "port_name", "party_size"}
    assert client.get("/status/", {"code": "0000-0000-00"}).status_code in (404, 429)
    assert client.get("/status/", {"code": appointment.code}).status_code == 429


def test_queue_and_run_pages_render_with_charts(coordinator, waiting_case, login):
    for i in range(6):
        waiting_case(since=dt.date(2020, 1, 1 + i))
    client = login(coordinator, "en")
    html = client.get("/appointments/", {"capacity_change": 100}).content.decode()
    assert "<svg" in html and "persons waiting" in html and "the backlog clears on" in html
    response = client.post("/appointments/runs/new/", {"start_day": TOMORROW.isoformat(), "horizon_days": 5,
                                                       "seed": 3})
    assert response.status_code == 302
    run_id = int(response["Location"].rstrip("/").split("/")[-1])
    services.run_execute(run_id)
    html = client.get(f"/appointments/runs/{run_id}/").content.decode()
    assert "Fairness report" in html and "Publish these appointments" in html
    assert client.post(f"/appointments/runs/{run_id}/", {"action": "publish"}).status_code == 302
    assert "Published" in client.get(f"/appointments/runs/{run_id}/").content.decode()
    history = client.get("/appointments/").content.decode()
    assert "Fairness over time" in history and f"#{run_id}" in history


def test_legacy_import_page_and_end_of_day(coordinator, port_officer, waiting_case, login):
    import io

    client = login(coordinator, "en")
    upload = io.BytesIO(METERING.encode())
    upload.name = "tijuana.csv"
    html = client.post("/appointments/import/", {"kind": "metering", "file": upload, "mode": "all_or_nothing"}
                       ).content.decode()
    assert "Imported: 2 people, 2 cases" in html
    appointment = _booked(coordinator, waiting_case)
    officer = login(port_officer, "en")
    response = officer.post("/appointments/check-in/end-of-day/", {"port": "poe-san-ysidro",
                                                                    "day": dt.date.today().isoformat()})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "no_show"


def test_reschedule_from_the_waiting_page(coordinator, waiting_case, login):
    appointment = _booked(coordinator, waiting_case)
    client = login(coordinator, "en")
    day = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    response = client.post(f"/appointments/cases/{appointment.case.reference}/", {
        "action": "reschedule", "code": appointment.code, "port": "poe-calexico", "day": day,
        "reason": "family moved to Mexicali"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    new = appointment.case.appointments.get(status="booked")
    assert appointment.status == "rescheduled" and new.port_day.port.code == "poe-calexico"
    assert "family moved to Mexicali" in new.reason


def test_assignment_reasons_render_in_spanish():
    from django.utils import translation

    from corredor.appointments.templatetags.appointment_text import assignment_text

    parts = {"position": 1234, "place_in_line": "2020-03-02", "rescheduled": False,
             "expedite_reason": "unaccompanied child", "via": "expedite_reserve", "party_size": 4, "port_choice": 2,
             "earlier_choices_full": ({"port": "poe-san-ysidro", "choice": 1, "full_until": "2026-05-14"},),
             "out_of_order": False, "not_before": None}
    with translation.override("es"):
        text = assignment_text(parts)
    assert "1,234" in text and "2020-03-02" in text and "San Ysidro" in text and "2026-05-14" in text
    assert "niña" in text or "no acompañad" in text
    with translation.override("en"):
        assert assignment_text(parts).startswith("position 1,234 in line since 2020-03-02; expedited:")


@pytest.mark.parametrize(("kind", "content", "column"), [
    ("metering", "given_names,relationship,list_city,list_number\nAna,child,Nowhere,x\n", "list_city"),
    ("metering", "given_names,relationship,list_city,list_number\nAna,child,Tijuana,x\n", "list_number"),
    ("mpp", "given_names,relationship,a_number\nAna,child,12\n", "a_number"),
])
def test_a_one_row_household_is_checked_even_without_relationship_self(make_user, kind, content, column):
    result = imports.legacy_list_import(actor=make_user(Role.COORDINATOR), content=content.encode(), list_kind=kind,
                                        mode="all_or_nothing")
    assert not result.committed and (2, column) in {(e.row, e.column) for e in result.errors}
