"""Shared helpers for management commands: who the command acts as."""

from __future__ import annotations

from django.core.management.base import CommandError

from corredor.accounts.models import User


def acting_user(username: str | None) -> User | None:
    """`--as USERNAME` makes a command act (and be audited) as that user; without it, as the system."""
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user named {username!r}.")
    return user
