"""The REST API: one NinjaAPI mounting each bounded context's router, with shared auth and error shapes.

Authentication: a session (browser; CSRF enforced) or a bearer API token (integrations), whose scopes
narrow the user's permissions. Every error is JSON: {"code", "message", "field"?, "details"?}.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from corredor.platform.errors import CorredorError


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from corredor.accounts.services import api_token_authenticate

        return api_token_authenticate(token)


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


api = NinjaAPI(
    title="Corredor API",
    version="1",
    description="Registry, cases, audit and reference data of Corredor. Errors carry a stable `code`.",
    auth=[ApiTokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
)


def _error(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(CorredorError)
def _corredor_error(request: HttpRequest, exc: CorredorError) -> HttpResponse:
    return _error(request, exc.status, exc.as_dict())


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(p) for p in item.get("loc", []) if p not in ("body", "payload", "query", "path", "form")]
        errors.setdefault(".".join(loc) or "request", []).append(str(item.get("msg", "invalid")))
    message = "; ".join(f"{f}: {' '.join(m)}" for f, m in errors.items())
    return _error(request, 422, {"code": "validation_failed", "message": message,
                                 "field": next(iter(errors), None), "details": {"errors": errors}})


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, {"code": "not_authenticated",
                                 "message": "Log in, or send a valid API token as 'Authorization: Bearer …'."})


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, {"code": "http_error", "message": str(exc)})


def _mount() -> None:
    from corredor.accounts.api import router as accounts_router
    from corredor.appointments.api import public_router
    from corredor.appointments.api import router as appointments_router
    from corredor.audit.api import router as audit_router
    from corredor.pathways.api import router as pathways_router
    from corredor.reception.api import router as reception_router
    from corredor.reference.api import router as reference_router
    from corredor.registry.api import router as registry_router

    api.add_router("/", registry_router)
    api.add_router("/audit", audit_router)
    api.add_router("/reference", reference_router)
    api.add_router("/accounts", accounts_router)
    api.add_router("/", appointments_router)
    api.add_router("/public", public_router)
    api.add_router("/reception", reception_router)
    api.add_router("/", pathways_router)


_mount()
