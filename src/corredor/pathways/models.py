"""Protection pathways: dated screening decisions that reproduce exactly (stored answers + rule versions),
and applications followed step by step."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ScreeningDecision(models.Model):
    """The menu of pathways for one person on one date, saved with the answers and the rules it used."""

    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="pathway_screenings")
    case = models.ForeignKey("registry.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    screened_on = models.DateField()
    answers = models.JSONField(default=dict)  # validated answers, JSON-safe (dates as ISO text)
    answer_sources = models.JSONField(default=dict)  # question -> "registry" | "asked"
    fingerprint = models.CharField(max_length=64)  # the whole catalogue that day
    results = models.JSONField(default=list)  # [{version_id, pathway, outcome, digest, questions_needed}]
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"screening-{self.pk}"


class Application(models.Model):
    """A case referred to a pathway, followed to arrival or withdrawal."""

    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="pathway_applications")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    pathway = models.CharField(max_length=40)
    version_id = models.CharField(max_length=60)
    track = models.CharField(max_length=16)
    status = models.CharField(max_length=24, default="referred")
    screening = models.ForeignKey(ScreeningDecision, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    referred_by = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-updated_at", "-id")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case", "pathway"],
                                    condition=~Q(status__in=["arrived", "withdrawn", "denied", "not_selected"]),
                                    name="application_one_open_per_case_and_pathway"),
        ]

    def __str__(self) -> str:
        return f"application-{self.pk}"


class ApplicationStep(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=24)
    occurred_on = models.DateField()
    mode = models.CharField(max_length=16, blank=True)  # how a PTA interview was held
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("occurred_on", "id")

    def __str__(self) -> str:
        return f"{self.application_id}:{self.step}"
