import datetime as dt

import pytest
from django.db import connection

from corredor.audit.models import AuditEvent
from corredor.platform.authz import Role
from corredor.platform.errors import PermissionDeniedError, ValidationFailedError
from corredor.registry import bulk, selectors, services
from corredor.registry.models import ContactChannel, IdentityDocument, Person

pytestmark = pytest.mark.django_db


def _people(n):
    return [services.PersonData(
        given_names=f"Ana {chr(65 + i % 26)}", first_surname="Tzoc", second_surname="Xicará", sex="female",
        date_of_birth=dt.date(1990, 1, 1 + i % 28), nationality="GT", origin_subdivision="GT-QZ",
        languages=["quc", "spa"], other_names=["Anita"], current_place="mx-tijuana",
        documents=[services.DocumentData("national_id", f"2{i:012d}", "GT")] if i % 2 else [],
        contacts=[services.ContactData("phone_sms", f"+502 5{i:07d}")] if i % 3 == 0 else [])
        for i in range(n)]


def test_bulk_register_writes_everything_with_one_audit_event_per_batch(intake, org):
    report = bulk.people_bulk_register(actor=intake, organisation=org("UNHCR"), people=_people(7), batch_size=3)
    assert (report.people, report.documents, report.contacts, report.batches) == (7, 3, 3, 3)
    assert report.method == ("copy" if connection.vendor == "postgresql" else "bulk_create")
    assert Person.objects.count() == 7 and IdentityDocument.objects.count() == 3
    assert ContactChannel.objects.count() == 3
    events = list(AuditEvent.objects.filter(action="people.bulk_registered").order_by("id"))
    assert [e.changes["count"]["new"] for e in events] == [3, 3, 1]
    first, last = (int(x) for x in events[0].object_id.split("-"))
    assert last - first == 2 and Person.objects.filter(pk__range=(first, last)).count() == 3
    # bulk-registered people are found like any other
    found = selectors.registry_search(user=intake, query="ana tzoc xicara").people
    assert len(found) == 7
    assert Person.objects.get(pk=first).origin_subdivision_id == "GT-09"
    assert selectors.registry_search(user=intake, query="2000000000001").people[0].given_names == "Ana B"


def test_bulk_register_is_all_or_nothing_and_names_the_bad_person(intake, org):
    people = _people(4)
    people[2].given_names = "<b>"
    with pytest.raises(ValidationFailedError) as exc:
        bulk.people_bulk_register(actor=intake, organisation=org("UNHCR"), people=people, batch_size=2)
    assert "people[2].given_names" in exc.value.errors
    assert Person.objects.count() == 0 and not AuditEvent.objects.filter(action="people.bulk_registered").exists()


def test_bulk_register_needs_the_import_permission(make_user, org):
    with pytest.raises(PermissionDeniedError):
        bulk.people_bulk_register(actor=make_user(Role.ASYLUM_OFFICER), organisation=org("UNHCR"),
                                  people=_people(1))
