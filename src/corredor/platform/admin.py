"""An admin base that audits every change: admin writes land in the same trail as every other write."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from corredor.accounts.selectors import user_has_permission
from corredor.audit import services as audit
from corredor.audit.events import AuditAction
from corredor.platform.authz import Permission


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes through the admin are permission-checked against Corredor's matrix and audited."""

    corredor_permission: Permission = Permission.REFERENCE_MANAGE
    masked_fields: frozenset[str] = frozenset()

    def _allowed(self, request: HttpRequest) -> bool:
        return user_has_permission(user=request.user, permission=self.corredor_permission)  # type: ignore[arg-type]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        fields = [f.attname for f in obj._meta.concrete_fields if f.attname not in ("password", "last_login")]
        before = {}
        if change and obj.pk:
            previous = type(obj).objects.get(pk=obj.pk)  # type: ignore[attr-defined]
            before = audit.snapshot(previous, fields)
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            action = AuditAction.ADMIN_CHANGED
            audit.record(actor=request.user, action=action, obj=obj,  # type: ignore[arg-type]
                         changes=audit.diff(before, audit.snapshot(obj, fields), masked=self.masked_fields))

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            audit.record(actor=request.user, action=AuditAction.ADMIN_DELETED, obj=obj)  # type: ignore[arg-type]
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit.record(actor=request.user, action=AuditAction.ADMIN_DELETED, obj=obj)  # type: ignore[arg-type]
            super().delete_queryset(request, queryset)
