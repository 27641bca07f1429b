"""Importing people and families from a shelter's CSV list.

Every bad row is reported with its row number, column and reason. The caller chooses all-or-nothing
(any error: nothing written) or skip-bad-rows (valid households written, skipped rows returned). A
household is imported whole or not at all, so a family is never split by an import. Importing the same
list again creates nothing new: each row is remembered by its record id (or a fingerprint of its
identifying columns) under the list's source name.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone

from corredor.accounts.models import Organisation, User
from corredor.accounts.selectors import require_permission
from corredor.audit import context
from corredor.audit import services as audit
from corredor.audit.events import AuditAction
from corredor.core.registry import names
from corredor.core.registry import vocab as v
from corredor.platform.authz import Permission
from corredor.platform.errors import ValidationFailedError
from corredor.reference.models import Place
from corredor.reference.services import canonical_subdivision_code

from . import services
from .models import Case, ImportedRecord

MAX_BYTES = 10_000_000
MAX_ROWS = 50_000

COLUMNS = (
    "record_id", "household_id", "relationship", "given_names", "first_surname", "second_surname",
    "other_names", "sex", "date_of_birth", "dob_precision", "age", "nationality", "origin_country",
    "origin_subdivision", "origin_municipality", "languages", "needs_interpreter", "phone", "whatsapp",
    "document_type", "document_number", "document_country", "current_place", "registered_on", "case_kind",
)
# Where a service's field error points in the file.
_FIELD_TO_COLUMN = {"stated_age": "age", "documents[0].doc_type": "document_type",
                    "documents[0].number": "document_number", "documents[0].issuing_country": "document_country",
                    "contacts[0].value": "phone", "contacts[0].kind": "phone"}
_TRUE = {"1", "yes", "y", "si", "sí", "s", "true", "x"}
_FALSE = {"", "0", "no", "n", "false"}


def read_upload(upload: Any) -> bytes:
    """The bytes of an uploaded list, refused before reading when it is larger than an import accepts."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationFailedError({"file": [f"The file is larger than {MAX_BYTES // 1_000_000} MB."]})
    return bytes(upload.read())


class ImportMode(StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    SKIP_BAD_ROWS = "skip_bad_rows"


@dataclass
class RowError:
    row: int
    column: str
    reason: str


@dataclass
class ImportResult:
    mode: str
    rows: int = 0
    people_created: int = 0
    families_created: int = 0
    cases_created: int = 0
    already_imported: int = 0
    skipped_rows: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ImportExtension:
    """How another context adds columns to a list import (e.g. legacy MPP and metering lists).

    `check_rows` sees every parsed row (number, cells) and returns row errors; `after_case` runs inside the
    import's transaction for each household's new case, with the household's rows.
    """

    columns: tuple[str, ...]
    case_kind: str
    check_rows: Callable[[list[tuple[int, dict[str, str]]]], list[RowError]]
    after_case: Callable[[Case, list[dict[str, str]]], None]


@dataclass
class _Row:
    number: int
    household: str
    relationship: str
    key: str
    data: services.PersonData
    registered_on: dt.date | None
    case_kind: str
    raw: dict[str, str]


def parse_list_date(value: str) -> tuple[dt.date | None, str]:
    """ISO dates, partial ISO (YYYY-MM, YYYY) and the day-first dd/mm/yyyy common in the region."""
    value = value.strip()
    if not value:
        return None, ""
    try:
        if len(value) == 4 and value.isdigit():
            return dt.date(int(value), 7, 1), v.DobPrecision.YEAR.value
        if len(value) == 7 and value[4] == "-":
            return dt.date(int(value[:4]), int(value[5:]), 1), v.DobPrecision.MONTH.value
        if "/" in value:
            day, month, year = (int(p) for p in value.split("/"))
            return dt.date(year, month, day), ""
        return dt.date.fromisoformat(value), ""
    except ValueError as exc:
        raise ValueError(f"{value[:20]!r} is not a date (use YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY)") from exc


def _split(value: str) -> list[str]:
    return [p.strip() for p in value.replace("|", ";").split(";") if p.strip()]


def _parse_bool(value: str, column: str) -> bool:
    folded = value.strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError(f"{value[:20]!r} is not yes or no")


def _fingerprint(raw: dict[str, str]) -> str:
    parts = [names.fold(raw.get(c, "") or "") for c in
             ("household_id", "given_names", "first_surname", "second_surname", "date_of_birth", "age",
              "nationality", "document_number")]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _parse_row(number: int, raw: dict[str, str], today: dt.date, places: dict[str, str],
               codes: services.ReferenceCodes, errors: list[RowError], default_case_kind: str) -> _Row | None:
    def bad(column: str, reason: str) -> None:
        errors.append(RowError(number, column, reason))

    before = len(errors)
    get = lambda c: (raw.get(c) or "").strip()  # noqa: E731
    dob, precision = None, get("dob_precision")
    try:
        dob, inferred = parse_list_date(get("date_of_birth"))
        precision = precision or inferred
    except ValueError as exc:
        bad("date_of_birth", str(exc))
    age = None
    if get("age"):
        if get("age").isdigit():
            age = int(get("age"))
        else:
            bad("age", f"{get('age')[:10]!r} is not a whole number of years")
    registered_on = None
    try:
        registered_on, _ = parse_list_date(get("registered_on"))
        if registered_on and registered_on > today:
            bad("registered_on", "the registration date is in the future")
    except ValueError as exc:
        bad("registered_on", str(exc))
    flags = {}
    for column in ("needs_interpreter", "whatsapp"):
        try:
            flags[column] = _parse_bool(get(column), column)
        except ValueError as exc:
            bad(column, str(exc))
    relationship = get("relationship").lower() or v.Relationship.SELF.value
    if relationship not in v.Relationship._value2member_map_:
        bad("relationship", f"{relationship[:30]!r} is not a relationship; use one of "
                            f"{', '.join(r.value for r in v.Relationship)}")
    case_kind = get("case_kind").lower() or default_case_kind
    if case_kind not in v.CaseKind._value2member_map_:
        bad("case_kind", f"{case_kind[:30]!r} is not a case kind")
    place_code = ""
    if get("current_place"):
        place_code = places.get(names.fold(get("current_place")), "")
        if not place_code:
            bad("current_place", f"{get('current_place')[:40]!r} is not a known place")
    documents = []
    if get("document_number") or get("document_type"):
        documents.append(services.DocumentData(doc_type=get("document_type").lower() or "other",
                                               number=get("document_number"),
                                               issuing_country=get("document_country").upper()))
    contacts = []
    if get("phone"):
        kind = v.ContactKind.PHONE_WHATSAPP if flags.get("whatsapp") else v.ContactKind.PHONE_SMS
        contacts.append(services.ContactData(kind=kind.value, value=get("phone")))
    data = services.PersonData(
        given_names=get("given_names"), first_surname=get("first_surname"), second_surname=get("second_surname"),
        other_names=_split(get("other_names")), sex=get("sex").lower() or v.Sex.UNKNOWN.value,
        date_of_birth=dob, dob_precision=precision, stated_age=age, nationality=get("nationality").upper(),
        origin_country=get("origin_country").upper(),
        origin_subdivision=canonical_subdivision_code(get("origin_subdivision")) if get("origin_subdivision") else "",
        origin_municipality=get("origin_municipality"), languages=_split(get("languages")),
        needs_interpreter=flags.get("needs_interpreter", False), current_place=place_code,
        documents=documents, contacts=contacts)
    if len(errors) == before:  # only then are the values worth checking against the registry's rules
        _, field_errors = services.validate_person_data(data, today=today, codes=codes)
        for f, messages in field_errors.items():
            for message in messages:
                bad(_FIELD_TO_COLUMN.get(f, f.split("[")[0]), message)
    if len(errors) > before:
        return None
    key = get("record_id")[:64] or _fingerprint(raw)
    household = get("household_id")[:64] or f"row-{number}"
    return _Row(number, household, relationship, key, data, registered_on, case_kind, raw)


def people_import_csv(*, actor: User | None, content: bytes, mode: str, source: str = "",
                      organisation: Organisation | None = None, today: dt.date | None = None,
                      extension: ImportExtension | None = None) -> ImportResult:
    """Import a CSV list of people and households; see the module docstring for the guarantees."""
    require_permission(user=actor, permission=Permission.DATA_IMPORT)
    if mode not in ImportMode._value2member_map_:
        raise ValidationFailedError({"mode": ["Choose all_or_nothing or skip_bad_rows."]})
    if organisation is None:
        if actor is None or actor.organisation is None:
            raise ValidationFailedError({"organisation": ["An organisation is required."]})
        organisation = actor.organisation
    today = today or timezone.localdate()
    source = (source.strip() or organisation.code)[:100]
    result = ImportResult(mode=mode)
    if len(content) > MAX_BYTES:
        raise ValidationFailedError({"file": [f"The file is larger than {MAX_BYTES // 1_000_000} MB."]})
    try:
        text_content = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        result.errors.append(RowError(0, "file", f"the file is not UTF-8 text (byte {exc.start})"))
        return result
    reader = csv.DictReader(io.StringIO(text_content, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    allowed = COLUMNS + (extension.columns if extension else ())
    unknown = [h for h in header if h not in allowed]
    if "given_names" not in header:
        result.errors.append(RowError(1, "given_names", "the header has no given_names column"))
    if unknown:
        result.errors.append(RowError(1, ",".join(unknown)[:100],
                                      f"unknown column(s); the columns are: {', '.join(allowed)}"))
    if result.errors:
        return result

    codes = services.ReferenceCodes.load()
    places = {names.fold(p.name): p.code for p in Place.objects.all()} | {code: code for code in codes.places}
    households: OrderedDict[str, list[_Row]] = OrderedDict()
    bad_rows: set[int] = set()
    row_households: dict[int, str] = {}
    for index, raw in enumerate(reader, start=2):
        if index - 1 > MAX_ROWS:
            result.errors.append(RowError(index, "file", f"more than {MAX_ROWS} rows; split the list"))
            return result
        if None in raw:  # more cells than header columns
            result.errors.append(RowError(index, "file", "the row has more cells than the header"))
            bad_rows.add(index)
            continue
        result.rows += 1
        row_households[index] = (raw.get("household_id") or "").strip() or f"row-{index}"
        parsed = _parse_row(index, raw, today, places, codes, result.errors,
                            extension.case_kind if extension else v.CaseKind.ASYLUM_AT_PORT.value)
        if parsed is None:
            bad_rows.add(index)
            continue
        households.setdefault(parsed.household, []).append(parsed)

    if extension is not None:
        # rows of households imported before are not checked again: re-importing a list is a no-op
        imported = set(ImportedRecord.objects.filter(
            source=source, external_key__in=[r.key for rows in households.values() for r in rows])
            .values_list("external_key", flat=True))
        parsed_rows = [(r.number, r.raw) for rows in households.values()
                       if not any(r.key in imported for r in rows) for r in rows]
        for error in extension.check_rows(parsed_rows):
            result.errors.append(error)
            bad_rows.add(error.row)
    # A household with any bad row is skipped whole, so families stay together.
    bad_households = {row_households[r] for r in bad_rows if r in row_households}
    for key in bad_households:
        for row in households.pop(key, []):
            result.errors.append(RowError(row.number, "household_id",
                                          f"another row of household {key!r} is invalid, so the household waits"))
            bad_rows.add(row.number)
    for key, rows in households.items():
        if sum(1 for r in rows if r.relationship == v.Relationship.SELF) != 1 and len(rows) > 1:
            for row in rows:
                result.errors.append(RowError(row.number, "relationship",
                                              f"household {key!r} needs exactly one row with relationship self"))
                bad_rows.add(row.number)
    for row_number in bad_rows:
        households.pop(row_households.get(row_number, ""), None)
    result.skipped_rows = sorted(bad_rows)
    if result.errors and mode == ImportMode.ALL_OR_NOTHING:
        return result

    with context.bind(channel=context.Channel.IMPORT), transaction.atomic():
        for rows in households.values():
            known = set(ImportedRecord.objects.filter(source=source, external_key__in=[r.key for r in rows])
                        .values_list("external_key", flat=True))
            if known:
                result.already_imported += len(rows)
                continue
            case = _import_household(actor, organisation, source, rows, today, codes, result)
            if extension is not None:
                extension.after_case(case, [r.raw for r in rows])
        audit.record(actor=actor, action=AuditAction.IMPORT_RUN, object_type="registry.import",
                     object_id=source, changes={k: {"old": None, "new": val} for k, val in (
                         ("mode", mode), ("rows", result.rows), ("people_created", result.people_created),
                         ("families_created", result.families_created), ("cases_created", result.cases_created),
                         ("already_imported", result.already_imported), ("skipped_rows", len(result.skipped_rows)))})
    result.committed = True
    return result


def _import_household(actor: User | None, organisation: Organisation, source: str, rows: list[_Row],
                      today: dt.date, codes: services.ReferenceCodes, result: ImportResult) -> Case:
    rows = sorted(rows, key=lambda r: r.relationship != v.Relationship.SELF)
    people = []
    for row in rows:
        person = services._person_create(actor=actor, organisation=organisation, data=row.data, today=today,
                                         codes=codes)
        ImportedRecord.objects.create(source=source, external_key=row.key, person=person)
        people.append(person)
    result.people_created += len(people)
    registered_on = min((r.registered_on for r in rows if r.registered_on), default=None)
    place = Place.objects.filter(code=rows[0].data.current_place).first() if rows[0].data.current_place else None
    family = None
    if len(people) > 1:
        family = services._family_create(
            actor=actor, organisation=organisation, contact=people[0],
            members=[services.MemberData(p, r.relationship) for p, r in zip(people[1:], rows[1:], strict=True)])
        result.families_created += 1
    case = services._case_open(actor=actor, organisation=organisation, kind=rows[0].case_kind,
                               person=None if family else people[0], family=family, opened_on=today,
                               place_in_line_on=registered_on or today, status=v.CaseStatus.WAITING.value,
                               site=place, summary_note=f"Imported from the list {source!r}.")
    result.cases_created += 1
    return case
