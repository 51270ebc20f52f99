"""A logging filter that rewrites a record's message and arguments through a redaction, for the
apps whose addresses carry secrets (questionnaire links, set-up and reset links). Plain Python:
logging is configured before Django's apps load."""

import logging
from collections.abc import Callable


class Redacting(logging.Filter):
    """Subclasses name their `redact(text) -> text`."""

    redact: Callable[[str], str]

    def filter(self, record: logging.LogRecord) -> bool:
        redact = type(self).redact
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                key: redact(value) if isinstance(value, str) else value for key, value in record.args.items()
            }
        return True
