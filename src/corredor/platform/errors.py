"""Domain errors with stable, machine-readable codes. The API and the pages map them to HTTP answers."""

from __future__ import annotations

from typing import Any


class CorredorError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str, *, field: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details or {}

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body


class PermissionDeniedError(CorredorError):
    code = "permission_denied"
    status = 403

    def __init__(self, permission: object, message: str | None = None):
        perm = getattr(permission, "value", permission)
        super().__init__(message or f"This action needs the permission '{perm}'.", details={"permission": perm})


class NotFoundError(CorredorError):
    code = "not_found"
    status = 404


class ValidationFailedError(CorredorError):
    """One or more fields are invalid; `details["errors"]` lists each field with its reason."""

    code = "validation_failed"
    status = 422

    def __init__(self, errors: dict[str, list[str]], message: str | None = None):
        first_field = next(iter(errors), None)
        summary = message or "; ".join(f"{f}: {' '.join(m)}" for f, m in errors.items())
        super().__init__(summary, field=first_field, details={"errors": errors})
        self.errors = errors


class StaleEditError(CorredorError):
    """The record changed since the editor loaded it; the edit is refused rather than overwriting."""

    code = "stale_edit"
    status = 409


class InvalidTransitionError(CorredorError):
    code = "invalid_transition"
    status = 409


class DuplicateError(CorredorError):
    code = "duplicate"
    status = 409
