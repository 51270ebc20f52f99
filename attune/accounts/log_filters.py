"""Keeps set-up and reset link tokens out of log lines ("Not Found: /account/reset/<token>").
A token is a key to an account until it is used."""

from attune.accounts.link_paths import redact
from attune.core.log_filters import Redacting


class RedactAccountLinkTokens(Redacting):
    redact = staticmethod(redact)
