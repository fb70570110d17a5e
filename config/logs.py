"""Log records that carry the request they belong to, as plain text or JSON lines.

The request id middleware (config.middleware) puts the request's id, method, path
and, once known, its user id into a context variable; `RequestContextFilter` copies
them onto every record logged while the request runs, in any logger.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_FIELDS = ("request_id", "method", "path", "user_id")
# Fields a record may carry in `extra` that the JSON lines keep.
EXTRA_FIELDS = ("status", "duration_ms", "worker_id", "task_path")

request_context: ContextVar[dict | None] = ContextVar("request_context", default=None)


def bind_request(**fields):
    """Attach fields to the records of the current request; return a reset token."""
    return request_context.set({**(request_context.get() or {}), **fields})


def update_request(**fields):
    """Add fields (the user id, once known) to the current request's context."""
    current = request_context.get()
    if current is not None:
        current.update(fields)


class RequestContextFilter(logging.Filter):
    """Give every record the current request's fields ("-" outside a request)."""

    def filter(self, record):
        context = request_context.get() or {}
        for field in REQUEST_FIELDS:
            if not hasattr(record, field):
                setattr(record, field, context.get(field, "-"))
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object on one line."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in REQUEST_FIELDS + EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value not in (None, "-"):
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
