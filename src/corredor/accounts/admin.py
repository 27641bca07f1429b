from django.contrib import admin

from corredor.platform.admin import AuditedModelAdmin
from corredor.platform.authz import Permission

from .models import Organisation, RoleAssignment, User


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind", "country", "is_active")
    list_filter = ("kind",)
    search_fields = ("code", "name")


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ("role", "organisation", "site", "valid_from", "expires_at", "revoked_at")


@admin.register(User)
class UserAdmin(AuditedModelAdmin):
    corredor_permission = Permission.USER_MANAGE
    list_display = ("username", "organisation", "is_active", "last_login")
    search_fields = ("username",)
    fields = ("username", "first_name", "last_name", "email", "organisation", "preferred_language", "is_active",
              "is_staff")
    masked_fields = frozenset({"first_name", "last_name", "email"})


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedModelAdmin):
    corredor_permission = Permission.USER_MANAGE
    list_display = ("user", "role", "organisation", "site", "expires_at", "revoked_at")
    list_filter = ("role", "organisation")
