"""Keeps set-up and reset link tokens out of log lines ("Not Found: /account/reset/<token>").
A token is a key to an account until it is used. Plain Python: logging is configured before
Django's apps load."""

import logging

from attune.accounts.link_paths import redact


class RedactAccountLinkTokens(logging.Filter):
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
