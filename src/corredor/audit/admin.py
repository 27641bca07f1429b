from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from corredor.accounts.selectors import user_has_permission
from corredor.platform.authz import Permission

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only."""

    list_display = ("occurred_at", "actor_label", "action", "object_type", "object_id", "channel")
    list_filter = ("action", "channel")
    search_fields = ("actor_label", "object_id", "request_id")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return user_has_permission(user=request.user, permission=Permission.AUDIT_VIEW)  # type: ignore[arg-type]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
