"""Two people editing the same record at the same moment: one wins, the other is told, nothing is lost."""

from __future__ import annotations

import threading

from django.db import connections

from corredor.platform.errors import StaleEditError
from corredor.registry import services
from corredor.registry.models import Case, Person


def _race(fn, n: int = 2) -> list[object]:
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = fn(i)
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_concurrent_edits_of_the_same_version_let_exactly_one_through(transactional_db, intake, person_data):
    person = services.person_register(actor=intake, data=person_data())

    def edit(i: int) -> object:
        return services.person_update(actor=intake, person=Person.objects.get(pk=person.pk),
                                      data=person_data(origin_municipality=f"Municipio {i}"), expected_version=1)

    results = _race(edit)
    assert sum(isinstance(r, Person) for r in results) == 1, results
    assert sum(isinstance(r, StaleEditError) for r in results) == 1, results
    person.refresh_from_db()
    assert person.version == 2


def test_concurrent_transitions_never_both_apply(transactional_db, intake, person_data):
    person = services.person_register(actor=intake, data=person_data())
    case = services.case_open(actor=intake, kind="asylum_at_port", person=person)

    def move(i: int) -> object:
        target = ("waiting", "closed")[i]
        return services.case_transition(actor=intake, case=Case.objects.get(pk=case.pk), target=target,
                                        expected_version=1, reason="race")

    results = _race(move)
    assert sum(isinstance(r, Case) for r in results) == 1, results
    case.refresh_from_db()
    assert case.version == 2 and case.events.filter(kind="status_changed").count() == 1
