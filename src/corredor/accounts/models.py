"""Organisations, users, scoped and expiring role assignments, and API tokens."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corredor.platform.authz import Role


class OrganisationKind(models.TextChoices):
    GOVERNMENT_AGENCY = "government_agency", _("Government agency")
    NGO = "ngo", _("Non-governmental organisation")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")


class Organisation(models.Model):
    code = models.SlugField(max_length=40, unique=True, allow_unicode=False)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, choices=OrganisationKind.choices)
    country = models.ForeignKey("reference.Country", null=True, blank=True, on_delete=models.PROTECT)
    description_en = models.CharField(max_length=400, blank=True)
    description_es = models.CharField(max_length=400, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("code",)

    def __str__(self) -> str:
        return self.code


class User(AbstractUser):
    """A person who works in Corredor. The email address is optional: field staff often have none."""

    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="users")
    phone = models.CharField(max_length=40, blank=True, help_text="For alert text messages (work phone).")
    preferred_language = models.CharField(max_length=8, default="es", choices=[("es", "Español"), ("en", "English")])


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def active(self, at: object = None) -> RoleAssignmentQuerySet:
        now = at or timezone.now()
        return self.filter(revoked_at__isnull=True, valid_from__lte=now).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class RoleAssignment(models.Model):
    """A role held in one organisation, optionally limited to one site, optionally until a date."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=32, choices=[(r.value, r.value) for r in Role])
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="role_assignments")
    site = models.ForeignKey("reference.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects: ClassVar[RoleAssignmentQuerySet] = RoleAssignmentQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("user_id", "role")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=models.F("valid_from")),
                name="role_assignment_expires_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}@{self.organisation_id}"


class ApiToken(models.Model):
    """A bearer token for an integration. Only a hash is stored; the token is shown once when issued."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
