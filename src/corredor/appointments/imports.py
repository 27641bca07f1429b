"""Importing legacy waiting lists: MPP case lists and metering waitlists, keeping each person's place.

Both reuse the registry's list import (row errors, all-or-nothing or skip-bad-rows, idempotent, families
kept whole) and add their own columns: an MPP list carries the A-number, the port where the case was
pending and the hearing date; a metering list carries the city, the list number and the list date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from corredor.accounts.models import Organisation, User
from corredor.audit import services as audit
from corredor.audit.events import AuditAction
from corredor.core.registry import names
from corredor.platform.errors import ValidationFailedError
from corredor.reference.models import Place, PlaceKind
from corredor.registry.imports import ImportExtension, ImportResult, RowError, parse_list_date, people_import_csv
from corredor.registry.models import Case

from .models import WaitingListEntry, WaitingSource

_A_NUMBER = re.compile(r"^A?(\d{8,9})$")
MPP_COLUMNS = ("a_number", "pending_port", "hearing_date")
METERING_COLUMNS = ("list_city", "list_number", "list_date")


def _a_number(raw: str) -> str | None:
    match = _A_NUMBER.match(re.sub(r"[\s-]", "", raw.upper()))
    return f"A{int(match.group(1)):09d}" if match else None


def _household(number: int, raw: dict[str, str]) -> str:
    return (raw.get("household_id") or "").strip() or f"row-{number}"


def _heads(rows: list[tuple[int, dict[str, str]]]) -> set[int]:
    """The rows that carry a household's list data: its `self` row, or the only row of a one-row household."""
    sizes = Counter(_household(n, raw) for n, raw in rows)
    return {n for n, raw in rows
            if (raw.get("relationship") or "self").strip().lower() == "self" or sizes[_household(n, raw)] == 1}


def _head(rows: list[dict[str, str]]) -> dict[str, str]:
    return next((r for r in rows if (r.get("relationship") or "self").strip().lower() == "self"), rows[0])


def _places(kind: str) -> dict[str, Place]:
    places = Place.objects.filter(kind=kind)
    return {names.fold(p.name): p for p in places} | {p.code: p for p in places}


def _date(raw: str) -> dt.date | None:
    """The same date forms a person list accepts (ISO, partial ISO, DD/MM/YYYY); None when not a date."""
    try:
        return parse_list_date(raw)[0]
    except ValueError:
        return None


def _mpp_extension() -> ImportExtension:
    ports = _places(PlaceKind.PORT)

    def check(rows: list[tuple[int, dict[str, str]]]) -> list[RowError]:
        errors = []
        seen: Counter[str] = Counter()
        households: dict[str, str] = {}
        heads = _heads(rows)
        for number, raw in rows:
            is_head = number in heads
            a_raw = (raw.get("a_number") or "").strip()
            if is_head or a_raw:
                a_number = _a_number(a_raw)
                if a_number is None:
                    errors.append(RowError(number, "a_number",
                                           f"{a_raw[:20]!r} is not an A-number (A + 8 or 9 digits)"))
                    continue
                household = _household(number, raw)
                if households.get(a_number, household) != household:
                    errors.append(RowError(number, "a_number", f"{a_number} appears in two households of the list"))
                households[a_number] = household
                if is_head:
                    seen[a_number] += 1
                    if seen[a_number] > 1:
                        errors.append(RowError(number, "a_number", f"{a_number} is listed twice as a contact member"))
                    elif WaitingListEntry.objects.filter(source=WaitingSource.MPP_LIST,
                                                         source_reference=a_number).exists():
                        errors.append(RowError(number, "a_number", f"{a_number} is already on the waiting list"))
            port = (raw.get("pending_port") or "").strip()
            if port and names.fold(port) not in ports and port not in ports:
                errors.append(RowError(number, "pending_port", f"{port[:40]!r} is not a port of entry"))
            if (raw.get("hearing_date") or "").strip() and _date(raw["hearing_date"]) is None:
                errors.append(RowError(number, "hearing_date", "not a date (YYYY-MM-DD or DD/MM/YYYY)"))
        return errors

    def after(case: Case, rows: list[dict[str, str]]) -> None:
        head = _head(rows)
        port = (head.get("pending_port") or "").strip()
        port_place = ports.get(names.fold(port)) or ports.get(port)
        entry = WaitingListEntry.objects.create(
            case=case, source=WaitingSource.MPP_LIST, source_reference=_a_number(head.get("a_number") or "") or "",
            hearing_date=_date(head.get("hearing_date") or ""), ports=[port_place.code] if port_place else [])
        audit.record(actor=None, action=AuditAction.WAITLIST_UPDATED, obj=entry, system_label="system:import",
                     changes={"source": {"old": None, "new": "mpp_list"}, "a_number": {"old": None, "new": audit.MASK},
                              "ports": {"old": None, "new": entry.ports}})

    return ImportExtension(columns=MPP_COLUMNS, case_kind="mpp_backlog", check_rows=check, after_case=after)


def _metering_extension() -> ImportExtension:
    cities = _places(PlaceKind.WAITING_CITY)

    def check(rows: list[tuple[int, dict[str, str]]]) -> list[RowError]:
        errors = []
        seen: dict[tuple[str, int], int] = {}
        heads = _heads(rows)
        for number, raw in rows:
            if number not in heads:
                continue
            city_raw = (raw.get("list_city") or "").strip()
            city = cities.get(names.fold(city_raw)) or cities.get(city_raw)
            if city is None:
                errors.append(RowError(number, "list_city", f"{city_raw[:40]!r} is not a waiting city"))
                continue
            position_raw = (raw.get("list_number") or "").strip()
            if not position_raw.isdigit() or not 0 < int(position_raw) < 10_000_000:
                errors.append(RowError(number, "list_number", f"{position_raw[:12]!r} is not a list number"))
                continue
            key = (city.code, int(position_raw))
            if key in seen:
                errors.append(RowError(number, "list_number",
                                       f"{city.name} #{key[1]} is also on row {seen[key]} (duplicate list position)"))
                continue
            seen[key] = number
            if WaitingListEntry.objects.filter(source=WaitingSource.METERING_LIST, list_city=city.code,
                                               list_position=key[1]).exists():
                errors.append(RowError(number, "list_number", f"{city.name} #{key[1]} is already on the waiting list"))
            if (raw.get("list_date") or "").strip() and _date(raw["list_date"]) is None:
                errors.append(RowError(number, "list_date", "not a date (YYYY-MM-DD or DD/MM/YYYY)"))
        return errors

    def after(case: Case, rows: list[dict[str, str]]) -> None:
        head = _head(rows)
        city_raw = (head.get("list_city") or "").strip()
        city = cities.get(names.fold(city_raw)) or cities[city_raw]
        position = int(head["list_number"])
        list_date = _date(head.get("list_date") or "")
        if list_date:  # the place in line is the list date, exactly as the family had it
            Case.objects.filter(pk=case.pk).update(place_in_line_on=list_date)
        entry = WaitingListEntry.objects.create(
            case=case, source=WaitingSource.METERING_LIST, source_reference=f"{city.name} #{position}",
            list_city=city.code, list_position=position)
        audit.record(actor=None, action=AuditAction.WAITLIST_UPDATED, obj=entry, system_label="system:import",
                     changes={"source": {"old": None, "new": "metering_list"},
                              "list": {"old": None, "new": f"{city.code} #{position}"},
                              "place_in_line_on": {"old": None, "new": list_date.isoformat() if list_date else None}})

    return ImportExtension(columns=METERING_COLUMNS, case_kind="metering_backlog", check_rows=check,
                           after_case=after)


def legacy_list_import(*, actor: User | None, content: bytes, list_kind: str, mode: str, source: str = "",
                       organisation: Organisation | None = None) -> ImportResult:
    """Import an MPP case list (`list_kind="mpp"`) or a metering waitlist (`"metering"`)."""
    extensions = {"mpp": _mpp_extension, "metering": _metering_extension}
    if list_kind not in extensions:
        raise ValidationFailedError({"list_kind": ["Choose mpp or metering."]})
    return people_import_csv(actor=actor, content=content, mode=mode, source=source or f"{list_kind} list",
                             organisation=organisation, extension=extensions[list_kind]())
