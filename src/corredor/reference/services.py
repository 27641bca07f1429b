"""Loading the reference data shipped with the code (idempotent; each created or changed row is audited)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import translation

from corredor.accounts.selectors import require_permission
from corredor.audit import services as audit
from corredor.audit.events import AuditAction
from corredor.platform.authz import Permission

from .models import Country, Place, Subdivision

if TYPE_CHECKING:
    from corredor.accounts.models import User

DATA_DIR = Path(__file__).resolve().parent / "data"

# ISO 3166-2 replaced Guatemala's letter codes with numbers (2021-11-25); lists made before then still
# use the letter codes, so imports accept both (see data/SOURCES.md).
LEGACY_SUBDIVISION_CODES = {
    "GT-GU": "GT-01", "GT-PR": "GT-02", "GT-SA": "GT-03", "GT-CM": "GT-04", "GT-ES": "GT-05",
    "GT-SR": "GT-06", "GT-SO": "GT-07", "GT-TO": "GT-08", "GT-QZ": "GT-09", "GT-SU": "GT-10",
    "GT-RE": "GT-11", "GT-SM": "GT-12", "GT-HU": "GT-13", "GT-QC": "GT-14", "GT-BV": "GT-15",
    "GT-AV": "GT-16", "GT-PE": "GT-17", "GT-IZ": "GT-18", "GT-ZA": "GT-19", "GT-CQ": "GT-20",
    "GT-JA": "GT-21", "GT-JU": "GT-22",
}


def canonical_subdivision_code(code: str) -> str:
    code = code.strip().upper()
    return LEGACY_SUBDIVISION_CODES.get(code, code)


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated"


def _read(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _upsert(model: Any, key: dict[str, Any], values: dict[str, Any], actor: User | None, report: LoadReport) -> object:
    obj = model.objects.filter(**key).first()
    if obj is None:
        obj = model.objects.create(**key, **values)
        audit.record(actor=actor, action=AuditAction.REFERENCE_CREATED, obj=obj,
                     changes=audit.diff({}, {**key, **values}))
        report.created += 1
        return obj
    before = audit.snapshot(obj, values)
    for k, val in values.items():
        setattr(obj, k, val)
    changes = audit.diff(before, audit.snapshot(obj, values))
    if changes:
        obj.save()
        audit.record(actor=actor, action=AuditAction.REFERENCE_UPDATED, obj=obj, changes=changes)
        report.updated += 1
    return obj


def _country_names() -> dict[str, tuple[str, str]]:
    """ISO 3166-1 countries with English and Spanish names, from django-countries' translated list."""
    from django_countries import countries

    with translation.override("en"):
        english = {code: str(name) for code, name in countries}
    with translation.override("es"):
        spanish = {code: str(name) for code, name in countries}
    return {code: (english[code], spanish.get(code, english[code])) for code in english}


def reference_load(*, actor: User | None) -> LoadReport:
    """Load or refresh countries, subdivisions, places and organisations from the shipped files."""
    from corredor.accounts.models import Organisation

    require_permission(user=actor, permission=Permission.REFERENCE_MANAGE)
    report = LoadReport()
    with transaction.atomic():
        existing = {c.code: (c.name_en, c.name_es) for c in Country.objects.all()}
        for code, (en, es) in sorted(_country_names().items()):
            if existing.get(code) != (en, es):
                _upsert(Country, {"code": code}, {"name_en": en, "name_es": es}, actor, report)
        for row in _read("subdivisions.csv"):
            _upsert(Subdivision, {"code": row["code"]},
                    {"country_id": row["country"], "name": row["name"], "kind": row["kind"]}, actor, report)
        places = _read("places.csv")
        for row in places:
            _upsert(Place, {"code": row["code"]}, {
                "kind": row["kind"], "name": row["name"], "country_id": row["country"],
                "subdivision_code": row["subdivision"], "latitude": Decimal(row["lat"]),
                "longitude": Decimal(row["lon"]), "time_zone": row["tz"],
                "daily_capacity": int(row["daily_capacity"]) if row["daily_capacity"] else None,
                "note": row["note"][:300]}, actor, report)
        by_code = {p.code: p for p in Place.objects.all()}
        for row in places:
            if row["paired_with"]:
                _upsert(Place, {"code": row["code"]}, {"paired_with_id": by_code[row["paired_with"]].pk},
                        actor, report)
        for row in _read("organisations.csv"):
            _upsert(Organisation, {"code": row["code"]}, {
                "name": row["name"], "kind": row["kind"], "country_id": row["country"] or None,
                "description_en": row["description_en"][:400], "description_es": row["description_es"][:400],
            }, actor, report)
    return report
