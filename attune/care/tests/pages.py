"""Reading a rendered page in a test: its text with runs of whitespace collapsed."""

import re
from typing import Any


def html(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def page_of(response: Any) -> str:
    """The page of a response that must have answered 200."""
    assert response.status_code == 200, response.status_code
    return html(response)
