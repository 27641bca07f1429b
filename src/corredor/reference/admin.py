from django.contrib import admin

from corredor.platform.admin import AuditedModelAdmin

from .models import Country, Place, Subdivision


@admin.register(Country)
class CountryAdmin(AuditedModelAdmin):
    list_display = ("code", "name_en", "name_es")
    search_fields = ("code", "name_en", "name_es")


@admin.register(Subdivision)
class SubdivisionAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "country", "kind")
    list_filter = ("country",)
    search_fields = ("code", "name")


@admin.register(Place)
class PlaceAdmin(AuditedModelAdmin):
    list_display = ("code", "kind", "name", "country", "time_zone", "daily_capacity")
    list_filter = ("kind", "country")
