"""The bulk path: registering many people at once (legacy lists, benchmarks) without one round trip each.

Every person is validated by the same rules as a single registration; the whole call is all-or-nothing.
The audit trail gets one event per batch, naming the range of records it created. On PostgreSQL the rows
travel by COPY with primary keys taken from the table's sequence beforehand; elsewhere by bulk_create.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from corredor.accounts.models import Organisation, User
from corredor.accounts.selectors import require_permission
from corredor.audit import services as audit
from corredor.audit.events import AuditAction
from corredor.core.registry import names
from corredor.platform.authz import Permission
from corredor.platform.errors import ValidationFailedError

from . import services
from .models import ContactChannel, IdentityDocument, Person


@dataclass(frozen=True)
class BulkReport:
    people: int
    documents: int
    contacts: int
    batches: int
    method: str


def _batches(items: Iterable[services.PersonData], size: int) -> Iterator[list[services.PersonData]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def people_bulk_register(*, actor: User | None, organisation: Organisation, people: Iterable[services.PersonData],
                         today: dt.date | None = None, batch_size: int = 5000,
                         method: str = "auto") -> BulkReport:
    """Register many people in one transaction. Any invalid person refuses the whole call, naming it."""
    require_permission(user=actor, permission=Permission.DATA_IMPORT)
    if method == "auto":
        method = "copy" if connection.vendor == "postgresql" else "bulk_create"
    if method not in ("copy", "bulk_create") or (method == "copy" and connection.vendor != "postgresql"):
        raise ValidationFailedError({"method": ["Use bulk_create, or copy on PostgreSQL."]})
    today = today or timezone.localdate()
    codes = services.ReferenceCodes.load()
    totals = {"people": 0, "documents": 0, "contacts": 0, "batches": 0}
    with transaction.atomic():
        offset = 0
        for batch in _batches(people, batch_size):
            rows = []
            for index, data in enumerate(batch, start=offset):
                values, errors = services.validate_person_data(data, today=today, codes=codes)
                if errors:
                    raise ValidationFailedError(
                        {f"people[{index}].{field}": messages for field, messages in errors.items()})
                rows.append((values, data))
            offset += len(batch)
            writer = _write_copy if method == "copy" else _write_bulk_create
            first, last, n_docs, n_contacts = writer(rows, organisation)
            audit.record(actor=actor, action=AuditAction.PEOPLE_BULK_REGISTERED, object_type="registry.person",
                         object_id=f"{first}-{last}", changes={
                             "count": {"old": None, "new": len(rows)}, "documents": {"old": None, "new": n_docs},
                             "contacts": {"old": None, "new": n_contacts},
                             "organisation": {"old": None, "new": organisation.code}})
            for key, amount in (("people", len(rows)), ("documents", n_docs), ("contacts", n_contacts),
                                ("batches", 1)):
                totals[key] += amount
    return BulkReport(method=method, **totals)


def _person(values: dict[str, Any], organisation: Organisation, now: dt.datetime) -> Person:
    return Person(registered_by_organisation=organisation, search_text=services._search_text(values),
                  created_at=now, updated_at=now, **values)


def _write_bulk_create(rows: list[tuple[dict[str, Any], services.PersonData]],
                       organisation: Organisation) -> tuple[int, int, int, int]:
    now = timezone.now()
    people = Person.objects.bulk_create([_person(values, organisation, now) for values, _ in rows])
    documents = [IdentityDocument(person=p, doc_type=d.doc_type, number=d.number.strip(),
                                  number_folded=names.fold_document_number(d.number),
                                  issuing_country_id=d.issuing_country or None, expires_on=d.expires_on)
                 for p, (_, data) in zip(people, rows, strict=True) for d in data.documents]
    contacts = [ContactChannel(person=p, kind=c.kind, value=c.value.strip(), value_folded=names.fold_phone(c.value),
                               label=c.label)
                for p, (_, data) in zip(people, rows, strict=True) for c in data.contacts]
    IdentityDocument.objects.bulk_create(documents)
    ContactChannel.objects.bulk_create(contacts)
    return people[0].pk, people[-1].pk, len(documents), len(contacts)


def _copy(table: str, columns: list[str], records: list[list[Any]]) -> None:
    """COPY rows in; psycopg converts each value in C (lists become JSON text for jsonb columns)."""
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for record in records:
                copy.write_row([json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for v in record])


def _next_ids(table: str, count: int) -> list[int]:
    with connection.cursor() as cursor:
        # the table name comes from the model's metadata, never from input
        cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",  # noqa: S608
                       [count])
        return [row[0] for row in cursor.fetchall()]


_PERSON_COLUMNS = ["id", "given_names", "first_surname", "second_surname", "other_names", "sex", "gender_identity",
                   "date_of_birth", "dob_precision", "nationality_id", "other_nationalities", "origin_country_id",
                   "origin_subdivision_id", "origin_municipality", "languages", "needs_interpreter",
                   "current_place_id", "current_location_note", "registered_by_organisation_id", "search_text",
                   "version", "created_at", "updated_at", "anonymised_at"]


def _write_copy(rows: list[tuple[dict[str, Any], services.PersonData]],
                organisation: Organisation) -> tuple[int, int, int, int]:
    now = timezone.now().isoformat()
    ids = _next_ids(Person._meta.db_table, len(rows))
    people = []
    documents: list[list[Any]] = []
    contacts: list[list[Any]] = []
    for pid, (values, data) in zip(ids, rows, strict=True):
        record = {**values, "id": pid, "registered_by_organisation_id": organisation.pk,
                  "search_text": services._search_text(values), "version": 1, "created_at": now, "updated_at": now,
                  "anonymised_at": None}
        people.append([record[c] for c in _PERSON_COLUMNS])
        documents.extend([pid, d.doc_type, d.number.strip(), names.fold_document_number(d.number),
                          d.issuing_country or None, d.expires_on] for d in data.documents)
        contacts.extend([pid, c.kind, c.value.strip(), names.fold_phone(c.value), c.label] for c in data.contacts)
    _copy(Person._meta.db_table, _PERSON_COLUMNS, people)
    if documents:
        _copy(IdentityDocument._meta.db_table,
              ["person_id", "doc_type", "number", "number_folded", "issuing_country_id", "expires_on"], documents)
    if contacts:
        _copy(ContactChannel._meta.db_table, ["person_id", "kind", "value", "value_folded", "label"], contacts)
    return ids[0], ids[-1], len(documents), len(contacts)
