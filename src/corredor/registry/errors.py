"""Stable error codes of the registry, for API clients and forms."""

from __future__ import annotations

from enum import StrEnum


class RegistryErrorCode(StrEnum):
    PERSON_NOT_FOUND = "person_not_found"
    FAMILY_NOT_FOUND = "family_not_found"
    CASE_NOT_FOUND = "case_not_found"
    INVALID_TRANSITION = "invalid_transition"
    STALE_EDIT = "stale_edit"
    ALREADY_MEMBER = "already_member"
    IMPORT_INVALID = "import_invalid"
