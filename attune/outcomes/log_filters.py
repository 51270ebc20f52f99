"""Keeps questionnaire-link tokens out of log lines. Plain Python: logging is configured before
Django's apps load."""

import re

from attune.core.log_filters import Redacting

# A link's pages live under /q/<token>; the token is whatever follows, up to the next / ? or space.
_TOKEN_IN_PATH = re.compile(r"(/q/)(?!thank-you\b)[^/?\s\"']+")


def redact(text: str) -> str:
    return _TOKEN_IN_PATH.sub(r"\1[token]", text)


class RedactLinkTokens(Redacting):
    """Rewrites a record's message and arguments with every link token replaced by [token]."""

    redact = staticmethod(redact)
