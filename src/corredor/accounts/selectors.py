"""Who may do what, and in which organisations. Computed once per request and cached on the user."""

from __future__ import annotations

from dataclasses import dataclass

from corredor.platform.authz import ROLE_PERMISSIONS, Permission, Role

from .models import RoleAssignment, User


@dataclass(frozen=True)
class OrganisationScope:
    organisation_id: int
    site_id: int | None  # None: the whole organisation


@dataclass(frozen=True)
class Grants:
    roles: frozenset[Role]
    permissions: frozenset[Permission]
    scopes: frozenset[OrganisationScope]


_CACHE_ATTR = "_corredor_grants"


def user_grants(*, user: User) -> Grants:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Grants(frozenset(), frozenset(), frozenset())
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roles: set[Role] = set()
    permissions: set[Permission] = set()
    scopes: set[OrganisationScope] = set()
    for assignment in RoleAssignment.objects.active().filter(user=user, organisation__is_active=True):
        role = Role(assignment.role)
        roles.add(role)
        permissions |= ROLE_PERMISSIONS[role]
        scopes.add(OrganisationScope(assignment.organisation_id, assignment.site_id))
    token_scopes = getattr(user, "_corredor_token_scopes", None)
    if token_scopes is not None:  # an API token narrows, never widens
        permissions &= {Permission(s) for s in token_scopes if s in Permission._value2member_map_}
    grants = Grants(frozenset(roles), frozenset(permissions), frozenset(scopes))
    setattr(user, _CACHE_ATTR, grants)
    return grants


def forget_grants(user: User) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def user_has_permission(*, user: User, permission: Permission) -> bool:
    return permission in user_grants(user=user).permissions


def user_organisation_ids(*, user: User) -> set[int]:
    return {s.organisation_id for s in user_grants(user=user).scopes}


def require_permission(*, user: User | None, permission: Permission) -> None:
    """Raise PermissionDeniedError unless the user holds the permission. `None` is the system actor."""
    from corredor.platform.errors import PermissionDeniedError

    if user is None:
        return  # jobs and the command line act as the system, which holds every permission
    if not user_has_permission(user=user, permission=permission):
        raise PermissionDeniedError(permission)
