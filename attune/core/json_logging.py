"""Log records as JSON lines, for production (one object a line, standard library only). Plain
Python: logging is configured before Django's apps load.

A record logged with a dict of arguments (`logger.info("%(path)s", {"path": ...})`) gives each
item as a field of its own, after the handler's filters have run, so the redacting filters
(attune.core.log_filters) rewrite the fields as well as the message. The id of the request being
served, if any, is on every line logged while it is served."""

import json
import logging
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import UTC, datetime

# Set by attune.core.request_log.RequestLogMiddleware for the length of one request.
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)

# A field named like one of these is never taken from the arguments: they say what the line is.
_OWN_FIELDS = frozenset({"time", "level", "logger", "message", "exception"})


class JsonLines(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id when a
    request is being served, the record's dict arguments, and exception text if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = current_request_id.get()
        if request_id is not None:
            entry["request_id"] = request_id
        if isinstance(record.args, Mapping):
            entry.update({str(key): value for key, value in record.args.items() if key not in _OWN_FIELDS})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # default=str: a value json cannot write (a UUID, a date) is written as its text, never
        # lost and never an exception inside logging.
        return json.dumps(entry, default=str, ensure_ascii=False)
