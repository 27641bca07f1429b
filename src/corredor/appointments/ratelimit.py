"""A small per-address, per-minute counter for the public lookup (Django's cache; no broker needed)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone


def lookup_allowed(request: HttpRequest) -> bool:
    address = request.META.get("REMOTE_ADDR", "unknown")
    key = f"status-lookups:{address}:{timezone.now():%Y%m%d%H%M}"
    cache.add(key, 0, timeout=90)
    return cache.incr(key) <= settings.PUBLIC_LOOKUPS_PER_MINUTE
