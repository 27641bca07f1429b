"""People, families, cases, their timelines, vulnerability assessments and sensitive details.

Sensitive details (the protection narrative, gender-based violence and health details) live in their own
table behind their own permissions; the basic record never carries them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corredor.core.registry import vocab

from . import labels
from .labels import choices as _choices


class Person(models.Model):
    given_names = models.CharField(_("given names"), max_length=120)
    first_surname = models.CharField(_("first surname"), max_length=80, blank=True)
    second_surname = models.CharField(_("second surname"), max_length=80, blank=True)
    other_names = models.JSONField(_("other names, aliases, nicknames"), default=list, blank=True)
    sex = models.CharField(_("sex"), max_length=16, choices=_choices(labels.SEX), default=vocab.Sex.UNKNOWN)
    gender_identity = models.CharField(_("gender identity"), max_length=60, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    dob_precision = models.CharField(max_length=16, choices=_choices(labels.DOB_PRECISION), blank=True)
    nationality = models.ForeignKey("reference.Country", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("nationality"))
    other_nationalities = models.JSONField(default=list, blank=True)
    origin_country = models.ForeignKey("reference.Country", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    origin_subdivision = models.ForeignKey("reference.Subdivision", null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    origin_municipality = models.CharField(max_length=100, blank=True)
    languages = models.JSONField(default=list, blank=True)
    needs_interpreter = models.BooleanField(default=False)
    current_place = models.ForeignKey("reference.Place", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    current_location_note = models.CharField(max_length=200, blank=True)
    registered_by_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                                   related_name="+")
    # Folded names and aliases, for accent- and case-insensitive search (see core.registry.names.fold).
    search_text = models.CharField(max_length=600, db_index=True, editable=False, default="")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"P-{self.pk:06d}" if self.pk else "P-new"

    @property
    def reference(self) -> str:
        return str(self)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.first_surname, self.second_surname) if p)


class IdentityDocument(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(max_length=24, choices=_choices(labels.DOCUMENT_TYPE))
    number = models.CharField(max_length=40)
    number_folded = models.CharField(max_length=40, db_index=True, editable=False)
    issuing_country = models.ForeignKey("reference.Country", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    expires_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.doc_type}"


class ContactChannel(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=24, choices=_choices(labels.CONTACT_KIND))
    value = models.CharField(max_length=40)
    value_folded = models.CharField(max_length=40, db_index=True, editable=False)
    label = models.CharField(max_length=100, blank=True)  # e.g. the trusted contact's name or relation

    def __str__(self) -> str:
        return self.kind


class Family(models.Model):
    contact_member = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    registered_by_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                                   related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    members: models.ManyToManyField[Person, FamilyMembership] = models.ManyToManyField(
        Person, through="FamilyMembership", related_name="families")

    class Meta:
        verbose_name_plural = "families"

    def __str__(self) -> str:
        return f"F-{self.pk:06d}" if self.pk else "F-new"

    @property
    def reference(self) -> str:
        return str(self)


class FamilyMembership(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    # Relationship to the family's contact member.
    relationship = models.CharField(max_length=24, choices=_choices(labels.RELATIONSHIP))
    present = models.BooleanField(default=True, help_text="Travelling with the family now.")

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["family", "person"], name="family_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.family_id}:{self.person_id}:{self.relationship}"


class Case(models.Model):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    kind = models.CharField(max_length=32, choices=_choices(labels.CASE_KIND))
    status = models.CharField(max_length=24, choices=_choices(labels.CASE_STATUS), default=vocab.CaseStatus.REGISTERED)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    family = models.ForeignKey(Family, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    holding_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="cases")
    site = models.ForeignKey("reference.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    assigned_worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="assigned_cases")
    opened_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    # The place in line for orderly processing: the original registration or legacy-list date.
    place_in_line_on = models.DateField(null=True, blank=True)
    expedite = models.BooleanField(default=False)
    expedite_reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-opened_on", "-id")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(family__isnull=False),
                name="case_has_person_or_family",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=models.F("opened_on")),
                name="case_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or "case-new"


class CaseEventKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    STATUS_CHANGED = "status_changed", _("Status changed")
    UPDATED = "updated", _("Case updated")
    NOTE = "note", _("Note")
    ASSESSMENT = "assessment", _("Vulnerability assessed")
    SHARED = "shared", _("Shared with another organisation")
    MEMBER_ADDED = "member_added", _("Family member added")
    IMPORTED = "imported", _("Imported from a list")
    CUSTODY = "custody", _("Custody")
    SCREENING = "screening", _("Screening or service at reception")
    REFERRAL = "referral", _("Referral")
    RELEASE = "release", _("Release")


class CaseEvent(models.Model):
    """One immutable line of a case's story: what, when, where, by whom."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=24, choices=CaseEventKind.choices)
    summary = models.CharField(max_length=500)
    place = models.CharField(max_length=100, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField(max_length=150)
    organisation = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("occurred_at", "id")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("Case events are immutable.")
        super().save(*args, **kwargs)


class CaseShare(models.Model):
    """A case shared with another organisation, with the person's consent recorded."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    consent_given_by = models.CharField(max_length=200)
    consent_recorded_at = models.DateTimeField(default=timezone.now)
    purpose = models.CharField(max_length=300)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case", "organisation"], condition=models.Q(revoked_at__isnull=True),
                                    name="one_active_share_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}->{self.organisation_id}"


class VulnerabilityAssessment(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessments")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="assessments")
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    conditions = models.JSONField(default=list)
    expedite = models.BooleanField()
    expedite_reason = models.CharField(max_length=300)
    override = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-assessed_on", "-id")

    def __str__(self) -> str:
        return f"assessment {self.pk} of {self.person_id}"


class SensitiveKind(models.TextChoices):
    PROTECTION_NARRATIVE = "protection_narrative", _("Protection narrative (persecution account)")
    GBV = "gbv", _("Gender-based violence details")
    HEALTH = "health", _("Health details")


class SensitiveDetail(models.Model):
    """Kept apart from the basic record; every view is audited. Never shown in lists or logs."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sensitive_details")
    kind = models.CharField(max_length=24, choices=SensitiveKind.choices)
    text = models.TextField(max_length=20000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-recorded_at", "-id")

    def __str__(self) -> str:
        return f"{self.kind} of {self.person_id}"  # never the text


class ImportedRecord(models.Model):
    """Which row of which list became which person: importing the same list twice creates nothing new."""

    source = models.CharField(max_length=100)
    external_key = models.CharField(max_length=64)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["source", "external_key"], name="import_row_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_key}"
