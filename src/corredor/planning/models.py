"""Capacity planning: scenarios (YAML text, validated by the simulator), runs (a simulation or a
prescription, executed as a background job, results stored as summaries), and crisis alerts raised when a
threshold is crossed on the live platform's figures."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class PlanningScenario(models.Model):
    name = models.CharField(max_length=150)
    text = models.TextField(max_length=100_000)  # the scenario file (YAML), as edited
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-updated_at", "-id")

    def __str__(self) -> str:
        return self.name


class RunKind(models.TextChoices):
    SIMULATE = "simulate", "simulate"
    PRESCRIBE = "prescribe", "prescribe"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "queued"
    RUNNING = "running", "running"
    DONE = "done", "done"
    FAILED = "failed", "failed"


class PlanningRun(models.Model):
    scenario = models.ForeignKey(PlanningScenario, on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(max_length=12, choices=RunKind.choices)
    scenario_text = models.TextField()  # the exact scenario simulated (a later edit does not change a result)
    seed = models.BigIntegerField()
    replications = models.PositiveIntegerField()
    target_breach_share = models.FloatField(default=0.01)
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    thresholds = models.JSONField(default=dict, blank=True)  # crossing probability per threshold
    plan = models.JSONField(default=dict, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints: ClassVar = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="planning_run_progress_max"),
        ]

    def __str__(self) -> str:
        return f"run-{self.pk}"


class CrisisAlert(models.Model):
    """A crisis threshold crossed on the live platform's daily figures (one per threshold, subject, start)."""

    threshold_id = models.CharField(max_length=60)
    subject = models.CharField(max_length=60, blank=True)
    severity = models.CharField(max_length=12)
    label_en = models.CharField(max_length=200)
    label_es = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField()
    peak_value = models.FloatField(null=True)
    raised_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")

    class Meta:
        ordering = ("-raised_at", "-id")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["threshold_id", "subject", "start_date"], name="crisis_alert_once"),
        ]

    def __str__(self) -> str:
        return f"crisis-{self.threshold_id}-{self.start_date}"
