"""Where a write came from: the request id and the channel (web, API, admin, CLI, import, job).

Bound once at the edge (middleware, CLI entry point, task runner) and read by the audit service, so a
service never needs to be told which door the user came through.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Any


class Channel(StrEnum):
    WEB = "web"
    API = "api"
    ADMIN = "admin"
    CLI = "cli"
    IMPORT = "import"
    JOB = "job"
    SYSTEM = "system"


_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_channel: contextvars.ContextVar[Channel] = contextvars.ContextVar("channel", default=Channel.SYSTEM)


def current_request_id() -> str | None:
    return _request_id.get()


def current_channel() -> Channel:
    return _channel.get()


@contextmanager
def bind(*, request_id: str | None = None, channel: Channel | None = None) -> Iterator[None]:
    tokens: list[tuple[Any, Any]] = []
    if request_id is not None:
        tokens.append((_request_id, _request_id.set(request_id)))
    if channel is not None:
        tokens.append((_channel, _channel.set(channel)))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)
