import datetime as dt

import pytest

from corredor.appointments import services
from corredor.appointments.errors import AppointmentStateError, CapacityFullError, RunConflictError
from corredor.appointments.models import Appointment, PortDay
from corredor.audit.models import AuditEvent
from corredor.platform.authz import Role
from corredor.platform.errors import PermissionDeniedError, ValidationFailedError
from corredor.reference.models import Place

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
TOMORROW = TODAY + dt.timedelta(days=1)


def port(code="poe-san-ysidro"):
    return Place.objects.get(code=code)


def test_capacity_validation_names_the_field(coordinator):
    for kwargs, field in (({"capacity": -1}, "capacity"), ({"start": TODAY - dt.timedelta(days=1)}, "start"),
                          ({"end": TODAY - dt.timedelta(days=3)}, "end"), ({"capacity": 0}, "closed_reason")):
        args = {"actor": coordinator, "port": port(), "start": TOMORROW, "end": TOMORROW + dt.timedelta(days=2),
                "capacity": 100, **kwargs}
        with pytest.raises(ValidationFailedError) as exc:
            services.capacity_set(**args)
        assert field in exc.value.errors
    assert not PortDay.objects.exists()


def test_capacity_needs_permission(intake):
    with pytest.raises(PermissionDeniedError):
        services.capacity_set(actor=intake, port=port(), start=TOMORROW, end=TOMORROW, capacity=10)


def test_manual_booking_takes_seats_and_refuses_when_full(coordinator, waiting_case):
    services.capacity_set(actor=coordinator, port=port(), start=TOMORROW, end=TOMORROW, capacity=3)
    family = waiting_case(members=2)
    appointment = services.appointment_book(actor=coordinator, case=family, port=port(), day=TOMORROW)
    family.refresh_from_db()
    assert family.status == "scheduled" and appointment.party_size == 2
    assert PortDay.objects.get(port=port(), day=TOMORROW).booked == 2
    with pytest.raises(AppointmentStateError):
        services.appointment_book(actor=coordinator, case=family, port=port(), day=TOMORROW)
    with pytest.raises(CapacityFullError) as exc:
        services.appointment_book(actor=coordinator, case=waiting_case(members=2), port=port(), day=TOMORROW)
    assert exc.value.details == {"port": "poe-san-ysidro", "day": TOMORROW.isoformat(), "free": 1, "needed": 2}
    with pytest.raises(ValidationFailedError):
        services.appointment_book(actor=coordinator, case=waiting_case(), port=port(), day=TODAY - dt.timedelta(1))


def test_cancel_frees_seats_and_no_show_keeps_the_place(coordinator, port_officer, waiting_case):
    case = waiting_case()
    appointment = services.appointment_book(actor=coordinator, case=case, port=port(), day=TOMORROW)
    services.appointment_cancel(actor=coordinator, appointment=appointment, reason="family asked")
    case.refresh_from_db()
    assert case.status == "waiting" and PortDay.objects.get(port=port(), day=TOMORROW).booked == 0
    again = services.appointment_book(actor=coordinator, case=case, port=port(), day=TOMORROW)
    services.appointment_no_show(actor=port_officer, appointment=again)
    case.refresh_from_db()
    assert case.status == "waiting" and case.place_in_line_on == dt.date(2020, 3, 2)
    assert {e.action for e in AuditEvent.objects.filter(object_type="appointments.appointment")} >= {
        "appointment.booked", "appointment.cancelled", "appointment.no_show"}


def test_check_in_only_on_the_day_and_opens_custody(coordinator, port_officer, waiting_case):
    case = waiting_case(members=3)
    appointment = services.appointment_book(actor=coordinator, case=case, port=port(), day=TOMORROW)
    members = [p.pk for p in case.family.members.all()]
    with pytest.raises(AppointmentStateError):
        services.appointment_check_in(actor=port_officer, appointment=appointment, arrived_person_ids=members)
    with pytest.raises(ValidationFailedError):
        services.appointment_check_in(actor=port_officer, appointment=appointment, arrived_person_ids=[999999],
                                      today=TOMORROW)
    done = services.appointment_check_in(actor=port_officer, appointment=appointment,
                                         arrived_person_ids=members[:2], today=TOMORROW)
    case.refresh_from_db()
    assert done.status == "checked_in" and case.status == "in_custody"
    assert "1 expected member(s) did not arrive" in case.events.filter(kind="status_changed").last().summary
    # the reception step opened: the two who arrived are in custody at the port, with the appointment code
    custodies = list(case.custodies.order_by("person_id"))
    assert [c.person_id for c in custodies] == sorted(members[:2])
    assert {c.current_facility.place_id for c in custodies} == {port().pk}
    assert {(c.source, c.appointment_code) for c in custodies} == {("check_in", appointment.code)}
    assert case.events.last().kind == "custody"


def test_capacity_cut_displaces_latest_bookings_with_priority(coordinator, waiting_case):
    services.capacity_set(actor=coordinator, port=port(), start=TOMORROW, end=TOMORROW, capacity=3)
    first = services.appointment_book(actor=coordinator, case=waiting_case(), port=port(), day=TOMORROW)
    second = services.appointment_book(actor=coordinator, case=waiting_case(members=2), port=port(), day=TOMORROW)
    displaced = services.capacity_set(actor=coordinator, port=port(), start=TOMORROW, end=TOMORROW, capacity=0,
                                      closed_reason="emergency closure")
    assert {a.pk for a in displaced} == {first.pk, second.pk}
    row = PortDay.objects.get(port=port(), day=TOMORROW)
    assert (row.capacity, row.booked, row.closed_reason) == (0, 0, "emergency closure")
    assert set(Appointment.objects.values_list("status", flat=True)) == {"rescheduled"}


def _ready_queue(waiting_case):
    early = waiting_case(since=dt.date(2019, 5, 1))
    family = waiting_case(members=4, since=dt.date(2019, 6, 1))
    urgent = waiting_case(since=dt.date(2021, 1, 1), expedite=True)
    late = waiting_case(since=dt.date(2022, 1, 1))
    not_ready = waiting_case(since=dt.date(2018, 1, 1), ready=False)
    return early, family, urgent, late, not_ready


def test_run_preview_and_publish(coordinator, waiting_case):
    early, family, urgent, late, not_ready = _ready_queue(waiting_case)
    services.capacity_set(actor=coordinator, port=port(), start=TOMORROW, end=TOMORROW + dt.timedelta(days=2),
                          capacity=5)
    run = services.run_request(actor=coordinator, start_day=TOMORROW, horizon_days=3, seed=7, enqueue=False)
    run = services.run_execute(run.pk)
    assert run.status == "previewed"
    by_case = {a["case_id"]: a for a in run.result["assignments"]}
    assert not_ready.pk not in by_case
    assert {u["case_id"]: u["code"] for u in run.result["unassigned"]}[not_ready.pk] == "not_ready"
    assert by_case[urgent.pk]["via"] == "expedite_reserve" and by_case[urgent.pk]["day"] == TOMORROW.isoformat()
    assert "family of 4 kept together" in by_case[family.pk]["reason"]
    assert not Appointment.objects.exists()  # a preview books nothing
    n = services.run_publish(actor=coordinator, run=run)
    assert n == len(by_case) == Appointment.objects.count()
    for case in (early, family, urgent, late):
        case.refresh_from_db()
        assert case.status == "scheduled"
    assert AuditEvent.objects.filter(action="appointment.booked").count() == n
    assert AuditEvent.objects.filter(action="run.published").count() == 1
    with pytest.raises(AppointmentStateError):
        services.run_publish(actor=coordinator, run=run)
    for row in PortDay.objects.all():
        assert row.booked <= row.capacity


def test_publish_is_all_or_nothing_when_capacity_changed(coordinator, waiting_case):
    _ready_queue(waiting_case)
    services.capacity_set(actor=coordinator, port=port(), start=TOMORROW, end=TOMORROW + dt.timedelta(days=2),
                          capacity=5)
    run = services.run_execute(services.run_request(actor=coordinator, start_day=TOMORROW, horizon_days=3, seed=1,
                                                    enqueue=False).pk)
    services.capacity_set(actor=coordinator, port=port(), start=TOMORROW, end=TOMORROW, capacity=1)
    with pytest.raises(RunConflictError):
        services.run_publish(actor=coordinator, run=run)
    assert not Appointment.objects.exists()
    assert PortDay.objects.get(port=port(), day=TOMORROW).booked == 0


def test_same_seed_same_preview(coordinator, waiting_case):
    _ready_queue(waiting_case)
    runs = [services.run_execute(services.run_request(actor=coordinator, start_day=TOMORROW, horizon_days=3,
                                                      seed=42, enqueue=False).pk) for _ in range(2)]
    assert runs[0].result["assignments"] == runs[1].result["assignments"]


def test_an_officer_limited_to_one_port_cannot_act_at_another(coordinator, make_user, waiting_case):
    elsewhere = make_user(Role.PORT_OFFICER, "CBP", site="poe-laredo", username="laredo")
    appointment = services.appointment_book(actor=coordinator, case=waiting_case(), port=port(), day=TODAY)
    with pytest.raises(PermissionDeniedError):
        services.appointment_no_show(actor=elsewhere, appointment=appointment)
    with pytest.raises(PermissionDeniedError):
        services.end_of_day_no_shows(actor=elsewhere, port=port(), day=TODAY)


def test_every_appointment_write_is_audited_with_its_actor(coordinator, port_officer, intake, waiting_case):
    from corredor.audit.models import AuditEvent as Event

    def actions_since(start):
        return [(e.action, e.actor_label) for e in Event.objects.filter(id__gt=start).order_by("id")]

    case = waiting_case()
    start = Event.objects.order_by("-id").values_list("id", flat=True).first()
    appointment = services.appointment_book(actor=coordinator, case=case, port=port(), day=TODAY)
    assert actions_since(start) == [("case.transitioned", "coord"), ("appointment.booked", "coord")]
    start = Event.objects.order_by("-id").values_list("id", flat=True).first()
    services.appointment_check_in(actor=port_officer, appointment=appointment,
                                  arrived_person_ids=[case.person_id])
    # check-in opens the reception step: the port's facility is set up on first use, the person enters custody
    assert actions_since(start) == [("case.transitioned", "officer"), ("facility.created", "officer"),
                                    ("custody.admitted", "officer"), ("appointment.checked_in", "officer")]
    start = Event.objects.order_by("-id").values_list("id", flat=True).first()
    services.capacity_set(actor=coordinator, port=port(), start=TOMORROW, end=TOMORROW, capacity=10)
    services.policy_create(actor=coordinator, version="2026-2", expedite_share=0.25)
    assert [a for a, _ in actions_since(start)] == ["capacity.set", "policy.created"]


def test_a_new_waiting_entry_is_audited_even_without_other_changes(intake, registered):
    from corredor.registry import services as registry_services

    case = registry_services.case_open(actor=intake, kind="metering_backlog", person=registered(), status="waiting")
    services.waiting_entry_update(actor=intake, case=case)
    event = AuditEvent.objects.get(action="waitlist.updated", object_type="appointments.waitinglistentry")
    assert event.changes["version"] == {"old": None, "new": 1}
