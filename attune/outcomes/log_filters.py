"""Keeps questionnaire-link tokens out of log lines. Plain Python: logging is configured before
Django's apps load."""

import logging
import re

# A link's pages live under /q/<token>; the token is whatever follows, up to the next / ? or space.
_TOKEN_IN_PATH = re.compile(r"(/q/)(?!thank-you\b)[^/?\s\"']+")


def redact(text: str) -> str:
    return _TOKEN_IN_PATH.sub(r"\1[token]", text)


class RedactLinkTokens(logging.Filter):
    """Rewrites a record's message and arguments with every link token replaced by [token]."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                key: redact(value) if isinstance(value, str) else value for key, value in record.args.items()
            }
        return True
