"""Request-scoped context: a request id for logs and audit events, and the channel a write came through."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from corredor.audit import context

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        if request.path.startswith("/api/"):
            channel = context.Channel.API
        elif request.path.startswith("/admin/"):
            channel = context.Channel.ADMIN
        else:
            channel = context.Channel.WEB
        with context.bind(request_id=request_id, channel=channel):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class DomainErrorMiddleware:
    """Pages: a domain error that escapes a view becomes a clear page with the right status, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.shortcuts import render

        from corredor.platform.errors import CorredorError

        if isinstance(exception, CorredorError) and not request.path.startswith("/api/"):
            return render(request, "platform/error.html", {"error": exception}, status=exception.status)
        return None


class NulByteGuardMiddleware:
    """NUL characters are never part of legitimate input here, and PostgreSQL refuses them in text: answer
    400 at the door instead of failing deep inside a query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        suspicious = "%00" in query or "\x00" in query or "\x00" in request.path
        if not suspicious and request.content_type == "application/json":
            body = request.body
            suspicious = b"\\u0000" in body or b"\x00" in body
        if suspicious:
            from django.http import JsonResponse

            return JsonResponse({"code": "invalid_characters",
                                 "message": "The request contains a NUL character, which no field accepts."},
                                status=400)
        return self.get_response(request)
