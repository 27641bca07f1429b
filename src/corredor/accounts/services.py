"""Writes on organisations, users, role assignments and API tokens: permission, change and audit together."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from corredor.audit import services as audit
from corredor.audit.events import AuditAction
from corredor.platform.authz import Permission, Role
from corredor.platform.errors import DuplicateError, ValidationFailedError

from .models import ApiToken, Organisation, RoleAssignment, User
from .selectors import forget_grants, require_permission

TOKEN_PREFIX = "cor_"


def user_create(
    *, actor: User | None, username: str, password: str, organisation: Organisation,
    first_name: str = "", last_name: str = "", email: str = "", preferred_language: str = "es",
    validate: bool = True,
) -> User:
    require_permission(user=actor, permission=Permission.USER_MANAGE)
    username = username.strip()
    if not username or len(username) > 150:
        raise ValidationFailedError({"username": ["A username of 1 to 150 characters is required."]})
    if User.objects.filter(username__iexact=username).exists():
        raise DuplicateError(f"A user named '{username}' already exists.", field="username")
    user = User(username=username, organisation=organisation, first_name=first_name, last_name=last_name,
                email=email, preferred_language=preferred_language)
    if validate:
        try:
            validate_password(password, user)
        except DjangoValidationError as exc:
            raise ValidationFailedError({"password": list(exc.messages)}) from exc
    user.set_password(password)
    with transaction.atomic():
        user.save()
        audit.record(actor=actor, action=AuditAction.USER_CREATED, obj=user,
                     changes=audit.diff({}, {"username": username, "organisation": organisation.code,
                                             "preferred_language": preferred_language}))
    return user


def role_assign(
    *, actor: User | None, user: User, role: Role, organisation: Organisation, site_id: int | None = None,
    expires_at: dt.datetime | None = None, reason: str = "",
) -> RoleAssignment:
    require_permission(user=actor, permission=Permission.USER_MANAGE)
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailedError({"expires_at": ["The expiry must be in the future."]})
    with transaction.atomic():
        assignment = RoleAssignment.objects.create(
            user=user, role=role.value, organisation=organisation, site_id=site_id, expires_at=expires_at,
            granted_by=actor if actor is not None and actor.pk else None,
        )
        audit.record(actor=actor, action=AuditAction.ROLE_ASSIGNED, obj=assignment, reason=reason,
                     changes=audit.diff({}, {"user": user.username, "role": role.value,
                                             "organisation": organisation.code, "site": site_id,
                                             "expires_at": expires_at}))
    forget_grants(user)
    return assignment


def role_revoke(*, actor: User | None, assignment: RoleAssignment, reason: str = "") -> RoleAssignment:
    require_permission(user=actor, permission=Permission.USER_MANAGE)
    with transaction.atomic():
        locked = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action=AuditAction.ROLE_REVOKED, obj=locked, reason=reason,
                     changes=audit.diff({"revoked_at": None}, {"revoked_at": locked.revoked_at}))
    forget_grants(locked.user)
    return locked


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_issue(
    *, actor: User | None, user: User, name: str, scopes: list[str], expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Issue a token for `user`. Returns the stored token and the raw secret, which is never stored."""
    require_permission(user=actor, permission=Permission.USER_MANAGE)
    unknown = [s for s in scopes if s not in Permission._value2member_map_]
    if unknown:
        raise ValidationFailedError({"scopes": [f"Unknown scope(s): {', '.join(unknown)}."]})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name[:100], prefix=raw[:12], key_hash=_hash_token(raw),
                                        scopes=sorted(set(scopes)), expires_at=expires_at)
        audit.record(actor=actor, action=AuditAction.TOKEN_ISSUED, obj=token,
                     changes=audit.diff({}, {"user": user.username, "name": token.name,
                                             "scopes": token.scopes, "expires_at": expires_at}))
    return token, raw


def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    require_permission(user=actor, permission=Permission.USER_MANAGE)
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action=AuditAction.TOKEN_REVOKED, obj=token,
                     changes=audit.diff({"revoked_at": None}, {"revoked_at": token.revoked_at}))
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The user behind a bearer token, narrowed to the token's scopes; None when unknown or unusable."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash_token(raw)).first()
    if token is None or not token.is_usable() or not token.user.is_active:
        return None
    # last_used_at is operational metadata, not a change to the record: it is not audited.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    user = token.user
    user._corredor_token_scopes = list(token.scopes)  # type: ignore[attr-defined]
    forget_grants(user)
    return user
