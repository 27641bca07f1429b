"""Reference data shipped with the code: countries, subdivisions, ports of entry and waiting cities."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Country(models.Model):
    code = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, primary_key=True)
    name_en = models.CharField(max_length=100)
    name_es = models.CharField(max_length=100)

    class Meta:
        ordering = ("name_en",)
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name_es if (get_language() or "es").startswith("es") else self.name_en


class Subdivision(models.Model):
    code = models.CharField(_("ISO 3166-2 code"), max_length=8, primary_key=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="subdivisions")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ("country_id", "name")

    def __str__(self) -> str:
        return self.name


class PlaceKind(models.TextChoices):
    PORT = "port", _("Port of entry")
    WAITING_CITY = "waiting_city", _("Waiting city")


class Place(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=PlaceKind.choices)
    name = models.CharField(max_length=100)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    subdivision_code = models.CharField(max_length=8, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=4)
    longitude = models.DecimalField(max_digits=8, decimal_places=4)
    time_zone = models.CharField(_("IANA time zone"), max_length=64)
    paired_with = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    daily_capacity = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("kind", "name")
        constraints: ClassVar = [
            models.CheckConstraint(condition=models.Q(latitude__gte=-90, latitude__lte=90), name="place_lat_range"),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180), name="place_lon_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name
