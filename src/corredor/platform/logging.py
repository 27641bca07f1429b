"""Logging filters: every line carries the request id, and no line carries personal data.

The application never formats personal data into log messages; this filter is the second line of
defence: it drops request bodies and query strings that Django's own loggers would otherwise print.
"""

from __future__ import annotations

import logging
import re

from corredor.audit import context

_QUERY_STRING = re.compile(r"\?[^\s\"']*")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = context.current_request_id() or "-"
        return True


class PersonalDataFilter(logging.Filter):
    """Strip query strings (searches carry names and phone numbers) and request objects from records."""

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        if record.args:
            record.args = tuple(
                _QUERY_STRING.sub("?…", a) if isinstance(a, str) else a for a in _as_tuple(record.args)
            )
        if isinstance(record.msg, str):
            record.msg = _QUERY_STRING.sub("?…", record.msg)
        return True


def _as_tuple(args: object) -> tuple:
    return args if isinstance(args, tuple) else (args,)
