"""Reception and custody: facilities and their beds, custody journeys and stays, ORR placements for
unaccompanied children, screenings, breaches with their reasons, releases, alerts and the message outbox.

Times are stored in UTC and shown in the facility's zone. A person has at most one open custody journey
(enforced by a partial unique index), and every stay belongs to one journey; a journey's clocks count from
its start across transfers (`corredor.core.custody`).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corredor.core.custody.populations import Population


class FacilityKind(models.TextChoices):
    PORT = "port", _("Port of entry (CBP)")
    BP_STATION = "bp_station", _("Border Patrol station")
    JPC = "jpc", _("Joint Processing Center")
    ORR_SHELTER = "orr_shelter", _("ORR shelter")
    NGO_SHELTER = "ngo_shelter", _("NGO shelter")


POPULATION_LABELS = {
    Population.SINGLE_MEN: _("Single adult men"),
    Population.SINGLE_WOMEN: _("Single adult women"),
    Population.SINGLE_ADULTS_OTHER: _("Single adults, other or not recorded"),
    Population.FAMILIES: _("Families (persons)"),
    Population.UC_BOYS_0_12: _("Unaccompanied boys 0-12"),
    Population.UC_BOYS_13_17: _("Unaccompanied boys 13-17"),
    Population.UC_GIRLS_0_12: _("Unaccompanied girls 0-12"),
    Population.UC_GIRLS_13_17: _("Unaccompanied girls 13-17"),
    Population.UC_OTHER: _("Unaccompanied children, sex or age not recorded"),
}
POPULATION_CHOICES = [(p.value, label) for p, label in POPULATION_LABELS.items()]


class Facility(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=FacilityKind.choices)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="facilities")
    partners = models.ManyToManyField("accounts.Organisation", blank=True, related_name="partner_facilities",
                                      help_text="Organisations working inside (health, legal, child welfare).")
    place = models.ForeignKey("reference.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              help_text="The port of entry, for a port facility.")
    city = models.CharField(max_length=100)
    time_zone = models.CharField(max_length=64)
    isolation_capacity = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        return self.name

    @property
    def is_federal(self) -> bool:
        return self.kind in (FacilityKind.PORT, FacilityKind.BP_STATION, FacilityKind.JPC)


class FacilityCapacity(models.Model):
    """Beds by population. Shelters report the beds they have free; custody facilities count their stays."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="capacities")
    population = models.CharField(max_length=24, choices=POPULATION_CHOICES)
    beds = models.PositiveIntegerField()
    available_reported = models.PositiveIntegerField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("facility_id", "population")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["facility", "population"], name="capacity_one_row_per_population"),
            models.CheckConstraint(condition=Q(available_reported__isnull=True) | Q(available_reported__lte=F("beds")),
                                   name="capacity_available_within_beds"),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id}:{self.population}={self.beds}"


class ArrivalSource(models.TextChoices):
    CHECK_IN = "check_in", _("Appointment check-in")
    MANUAL = "manual", _("Arrival without an appointment")
    ENCOUNTER = "encounter", _("Encountered between ports")


class CustodyOutcome(models.TextChoices):
    RELEASED = "released", _("Released")
    RETURNED = "returned", _("Returned")
    OTHER = "other", _("Other exit")


class SponsorStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    SEARCHING = "searching", _("Searching")
    NOT_FOUND = "not_found", _("Sponsor not found")
    FOUND = "found", _("Sponsor or destination found")


class Custody(models.Model):
    """One continuous stay in custody of one person, from the first moment in federal custody to the exit."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="custodies")
    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="custodies")
    population = models.CharField(max_length=24, choices=POPULATION_CHOICES)
    source = models.CharField(max_length=16, choices=ArrivalSource.choices)
    appointment_code = models.CharField(max_length=16, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=CustodyOutcome.choices, blank=True)
    current_facility = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", help_text="Where the person is, or is travelling to.")
    in_transit = models.BooleanField(default=False)
    isolation_until = models.DateTimeField(null=True, blank=True)
    sponsor_status = models.CharField(max_length=16, choices=SponsorStatus.choices, default=SponsorStatus.NOT_STARTED)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("started_at", "id")
        verbose_name_plural = "custodies"
        indexes: ClassVar = [models.Index(fields=["current_facility", "ended_at"], name="custody_board_idx")]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["person"], condition=Q(ended_at__isnull=True),
                                    name="custody_one_open_per_person"),
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                                   name="custody_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"custody-{self.pk}"


class StayExit(models.TextChoices):
    TRANSFER = "transfer", _("Transferred")
    RELEASE = "release", _("Released")
    RETURN = "return", _("Returned")
    OTHER = "other", _("Other exit")


class Stay(models.Model):
    """A stay at one facility within a custody journey."""

    custody = models.ForeignKey(Custody, on_delete=models.CASCADE, related_name="stays")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="stays")
    arrived_at = models.DateTimeField()
    departed_at = models.DateTimeField(null=True, blank=True)
    exit = models.CharField(max_length=16, choices=StayExit.choices, blank=True)

    class Meta:
        ordering = ("arrived_at", "id")
        indexes: ClassVar = [models.Index(fields=["facility", "arrived_at"], name="stay_facility_time_idx")]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["custody"], condition=Q(departed_at__isnull=True),
                                    name="stay_one_open_per_custody"),
            models.CheckConstraint(condition=Q(departed_at__isnull=True) | Q(departed_at__gte=F("arrived_at")),
                                   name="stay_departs_after_arrival"),
        ]

    def __str__(self) -> str:
        return f"stay-{self.pk}"


class ReferralStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    PLACED = "placed", _("Placed")
    CANCELLED = "cancelled", _("Cancelled")


class DeclineReason(models.TextChoices):
    NO_BED_GENDER = "no_bed_gender", _("No bed for that gender")
    NO_BED_AGE = "no_bed_age", _("No bed for that age")
    MEDICAL_NEEDS = "medical_needs", _("Medical needs the shelter cannot meet")
    INCOMPLETE = "incomplete", _("Referral information incomplete")
    NOT_UNACCOMPANIED = "not_unaccompanied", _("Not an unaccompanied child")
    OTHER = "other", _("Other")


class OrrReferral(models.Model):
    """A placement request for an unaccompanied child: requested -> accepted / not accepted -> placed."""

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="referrals")
    referred_to = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.REQUESTED)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decline_reason = models.CharField(max_length=24, choices=DeclineReason.choices, blank=True)
    decline_note = models.CharField(max_length=300, blank=True)
    shelter = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("requested_at", "id")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["custody"], condition=Q(status__in=["requested", "accepted"]),
                                    name="referral_one_pending_per_custody"),
        ]

    def __str__(self) -> str:
        return f"referral-{self.pk}"


class ScreeningKind(models.TextChoices):
    HEALTH = "health", _("Health screening")
    MENTAL_HEALTH = "mental_health", _("Mental-health screening")
    CHILD_WELFARE = "child_welfare", _("Child-welfare interview")
    LEGAL_ORIENTATION = "legal_orientation", _("Legal orientation")
    INTERPRETER = "interpreter", _("Interpreter used")


class TestResult(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive")
    NOT_TESTED = "not_tested", _("Not tested")


class Screening(models.Model):
    """A screening or service delivered at reception. Findings are health data: own permission to see them."""

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="screenings")
    kind = models.CharField(max_length=20, choices=ScreeningKind.choices)
    occurred_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    test_result = models.CharField(max_length=12, choices=TestResult.choices, blank=True)
    findings = models.TextField(max_length=4000, blank=True)
    referral_needed = models.BooleanField(default=False)
    language = models.CharField(max_length=40, blank=True)
    isolation_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("occurred_at", "id")

    def __str__(self) -> str:
        return f"screening-{self.pk}"


class BreachReason(models.TextChoices):
    NO_ORR_BED = "no_orr_bed", _("No ORR bed available")
    TRANSPORT = "transport", _("Transport not available")
    MEDICAL = "medical", _("Medical care or isolation")
    SPONSOR = "sponsor", _("Sponsor or destination not found")
    VERIFICATION = "verification", _("Identity or relationship verification")
    SURGE = "surge", _("Arrivals above capacity")
    OTHER = "other", _("Other")


class Breach(models.Model):
    """A clock that passed its limit, with the reason recorded by a supervisor. Counted in reports."""

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="breaches")
    rule_id = models.CharField(max_length=40)
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="breaches")
    breached_at = models.DateTimeField()
    reason_code = models.CharField(max_length=16, choices=BreachReason.choices)
    reason = models.CharField(max_length=500)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("breached_at", "id")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["custody", "rule_id"], name="breach_one_per_clock"),
        ]

    def __str__(self) -> str:
        return f"breach-{self.pk}"


class Release(models.Model):
    """Release from custody to a destination, with enrolment in a case-management programme there."""

    custody = models.OneToOneField(Custody, on_delete=models.PROTECT, related_name="release")
    released_at = models.DateTimeField()
    destination_city = models.CharField(max_length=100)
    destination_region = models.CharField(max_length=60, blank=True)
    sponsor_name = models.CharField(max_length=150, blank=True)
    sponsor_relationship = models.CharField(max_length=60, blank=True)
    sponsor_phone = models.CharField(max_length=40, blank=True)
    address = models.CharField(max_length=300, blank=True)
    documents_issued = models.JSONField(default=list, blank=True)
    enrolment = models.ForeignKey("CaseManagementEnrolment", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="releases")
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("released_at", "id")

    def __str__(self) -> str:
        return f"release-{self.pk}"


class CaseManagementEnrolment(models.Model):
    """Enrolment of a released case in a post-release case-management programme at the destination."""

    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="enrolments")
    programme = models.CharField(max_length=150)
    provider = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    destination_city = models.CharField(max_length=100)
    enrolled_at = models.DateTimeField(default=timezone.now)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("enrolled_at", "id")

    def __str__(self) -> str:
        return f"enrolment-{self.pk}"


class AlertLevel(models.TextChoices):
    WARNING = "warning", _("Warning")
    ESCALATION = "escalation", _("Escalation")
    BREACH = "breach", _("Breach")


class Alert(models.Model):
    """An in-app alert for the supervisors of a facility. Carries a case reference, never a name."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="alerts")
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="alerts")
    rule_id = models.CharField(max_length=40)
    level = models.CharField(max_length=12, choices=AlertLevel.choices)
    raised_at = models.DateTimeField(default=timezone.now)
    message = models.CharField(max_length=300)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")

    class Meta:
        ordering = ("-raised_at", "-id")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["custody", "rule_id", "level"], name="alert_once_per_level"),
        ]

    def __str__(self) -> str:
        return f"alert-{self.pk}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    """An SMS or email that an alert would send. Delivery adapters are pluggable; the default only records."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="messages")
    channel = models.CharField(max_length=8, choices=[("sms", "SMS"), ("email", "Email")])
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    address = models.CharField(max_length=254)
    body = models.CharField(max_length=320)
    status = models.CharField(max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    adapter = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"outbox-{self.pk}"
