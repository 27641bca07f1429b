from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from .models import Country, Place, Subdivision

router = Router(tags=["reference"])


class PlaceOut(Schema):
    code: str
    kind: str
    name: str
    country: str
    latitude: Decimal
    longitude: Decimal
    time_zone: str
    paired_with: str | None
    daily_capacity: int | None


class CountryOut(Schema):
    code: str
    name_en: str
    name_es: str


class SubdivisionOut(Schema):
    code: str
    country: str
    name: str


@router.get("/places", response=list[PlaceOut])
def places(request: HttpRequest, kind: str = "") -> list[dict[str, Any]]:
    qs = Place.objects.select_related("paired_with").order_by("kind", "name")
    if kind:
        qs = qs.filter(kind=kind[:20])
    return [{"code": p.code, "kind": p.kind, "name": p.name, "country": p.country_id, "latitude": p.latitude,
             "longitude": p.longitude, "time_zone": p.time_zone,
             "paired_with": p.paired_with.code if p.paired_with else None,
             "daily_capacity": p.daily_capacity} for p in qs]


@router.get("/countries", response=list[CountryOut])
def countries(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"code": c.code, "name_en": c.name_en, "name_es": c.name_es} for c in Country.objects.all()]


@router.get("/subdivisions", response=list[SubdivisionOut])
def subdivisions(request: HttpRequest, country: str = "") -> list[dict[str, Any]]:
    qs = Subdivision.objects.all()
    if country:
        qs = qs.filter(country_id=country[:2].upper())
    return [{"code": s.code, "country": s.country_id, "name": s.name} for s in qs]
