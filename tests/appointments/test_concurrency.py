"""Twenty-five people booking the last five seats at once: exactly five get them (database-enforced)."""

import datetime as dt
import threading

from django.db import connections

from corredor.appointments import services
from corredor.appointments.errors import CapacityFullError
from corredor.appointments.models import Appointment, PortDay
from corredor.reference.models import Place


def test_concurrent_bookings_never_exceed_capacity(transactional_db, coordinator, waiting_case):
    day = dt.date.today() + dt.timedelta(days=3)
    port = Place.objects.get(code="poe-san-ysidro")
    services.capacity_set(actor=coordinator, port=port, start=day, end=day, capacity=5)
    cases = [waiting_case() for _ in range(25)]
    barrier = threading.Barrier(len(cases))
    outcomes: list[object] = [None] * len(cases)

    def book(i: int) -> None:
        try:
            barrier.wait(timeout=20)
            outcomes[i] = services.appointment_book(actor=coordinator, case=cases[i], port=port, day=day)
        except Exception as exc:  # the outcome is what the test inspects
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(len(cases))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    booked = [o for o in outcomes if isinstance(o, Appointment)]
    refused = [o for o in outcomes if isinstance(o, CapacityFullError)]
    assert len(booked) == 5 and len(refused) == 20, [type(o).__name__ for o in outcomes]
    row = PortDay.objects.get(port=port, day=day)
    assert row.booked == 5 == Appointment.objects.filter(status="booked").count()
