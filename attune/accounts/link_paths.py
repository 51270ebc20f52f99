"""Where a set-up or reset link points. urls.py builds its routes from these same prefixes, so
the address emailed and the page that answers it cannot disagree; the email needs the address
where no request is at hand (an action, a job). Plain Python: the log filter uses it too."""

import re

SET_UP_PREFIX = "account/set-up/"
RESET_PREFIX = "account/reset/"
PREFIXES = {"set_up": SET_UP_PREFIX, "reset": RESET_PREFIX}

# The token is whatever follows the prefix, up to the next / ? quote or space.
_TOKEN_IN_PATH = re.compile(r"(/(?:account/set-up|account/reset)/)[^/?\s\"']+")


def link_path(purpose: str, token: str) -> str:
    return f"/{PREFIXES[purpose]}{token}"


def redact(text: str) -> str:
    """Every account-link token in `text` replaced by [token], for log lines."""
    return _TOKEN_IN_PATH.sub(r"\1[token]", text)
