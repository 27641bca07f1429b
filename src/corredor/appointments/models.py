"""The waiting list, port capacity calendars, allocation runs and the appointments people carry.

Capacity is enforced by the database: a port-day row holds its capacity and the seats booked, a check
constraint keeps booked <= capacity, and every booking increments `booked` with a conditional UPDATE, so
two people booking the last seat can never both get it.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WaitingSource(models.TextChoices):
    REGISTRATION = "registration", _("Registered while waiting in Mexico")
    MPP_LIST = "mpp_list", _("MPP case list")
    METERING_LIST = "metering_list", _("Metering waitlist")


class WaitingListEntry(models.Model):
    """A case's place on the waiting list, its readiness checks and its port preferences."""

    case = models.OneToOneField("registry.Case", on_delete=models.CASCADE, related_name="waiting_entry")
    source = models.CharField(max_length=20, choices=WaitingSource.choices, default=WaitingSource.REGISTRATION)
    # The legacy list's own reference: an A-number (MPP) or "city #position" (metering).
    source_reference = models.CharField(max_length=60, blank=True)
    list_city = models.CharField(max_length=60, blank=True)
    list_position = models.PositiveIntegerField(null=True, blank=True)
    hearing_date = models.DateField(null=True, blank=True)
    identity_confirmed_at = models.DateTimeField(null=True, blank=True)
    identity_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                              on_delete=models.PROTECT, related_name="+")
    health_screened_on = models.DateField(null=True, blank=True)
    # Port codes in order of preference; one port only when the family cannot travel.
    ports = models.JSONField(default=list, blank=True)
    single_port_only = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "waiting list entries"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["list_city", "list_position"], condition=models.Q(source="metering_list"),
                                    name="metering_position_once_per_city"),
            models.UniqueConstraint(fields=["source_reference"], condition=models.Q(source="mpp_list"),
                                    name="mpp_a_number_once"),
        ]

    def __str__(self) -> str:
        return f"waiting:{self.case_id}"


class PortDay(models.Model):
    """One port's capacity on one day, and the seats already booked."""

    port = models.ForeignKey("reference.Place", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    capacity = models.PositiveIntegerField()
    booked = models.PositiveIntegerField(default=0)
    closed_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("day", "port_id")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["port", "day"], name="one_row_per_port_day"),
            models.CheckConstraint(condition=models.Q(booked__lte=models.F("capacity")),
                                   name="port_day_never_overbooked"),
        ]

    def __str__(self) -> str:
        return f"{self.port_id}@{self.day}"


class AllocationPolicy(models.Model):
    """A versioned allocation policy; the one in force is shown to people in plain words."""

    version = models.CharField(max_length=40, unique=True)
    expedite_share = models.DecimalField(max_digits=4, decimal_places=3, default=0.2)
    lottery_share = models.DecimalField(max_digits=4, decimal_places=3, default=0)
    backfill = models.BooleanField(default=True)
    is_active = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name_plural = "allocation policies"
        constraints: ClassVar = [
            models.CheckConstraint(condition=models.Q(expedite_share__gte=0, expedite_share__lte=1,
                                                      lottery_share__gte=0, lottery_share__lte=1),
                                   name="policy_shares_between_0_and_1"),
            models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True),
                                    name="one_active_policy"),
        ]

    def __str__(self) -> str:
        return self.version


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    PREVIEWED = "previewed", _("Ready to review")
    PUBLISHED = "published", _("Published")
    DISCARDED = "discarded", _("Discarded")
    FAILED = "failed", _("Failed")


class AllocationRun(models.Model):
    policy = models.ForeignKey(AllocationPolicy, on_delete=models.PROTECT, related_name="runs")
    seed = models.BigIntegerField()
    start_day = models.DateField()
    horizon_days = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    result = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"run {self.pk}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")
    RESCHEDULED = "rescheduled", _("Rescheduled")


ACTIVE_STATUSES = (AppointmentStatus.BOOKED,)


class Appointment(models.Model):
    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="appointments")
    port_day = models.ForeignKey(PortDay, on_delete=models.PROTECT, related_name="appointments")
    party_size = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=16, unique=True)
    status = models.CharField(max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED)
    run = models.ForeignKey(AllocationRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    via = models.CharField(max_length=20, default="manual")
    position = models.PositiveIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    reason_parts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    checked_in_at = models.DateTimeField(null=True, blank=True)
    arrived_person_ids = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("port_day__day", "id")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(status="booked"),
                                    name="one_booked_appointment_per_case"),
            models.CheckConstraint(condition=models.Q(party_size__gte=1), name="appointment_party_at_least_one"),
        ]

    def __str__(self) -> str:
        return self.code
