"""Checking a list shown a page at a time (attune.core.paging) in a test: every row on exactly
one page, in a stable order, with the count line, the links keeping other filters, and page
numbers that are not pages answered with a page, not an error."""

import re
from collections.abc import Callable
from html import unescape
from typing import Any

from django.test import Client

Keys = Callable[[str], list[str]]


def page_text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


def links(page: str) -> list[str]:
    """The numbered pagination's page links, as written in the page (entities decoded)."""
    nav = re.search(r'<nav class="nhsuk-pagination[^"]*".*?</nav>', page, flags=re.S)
    return [unescape(href) for href in re.findall(r'href="([^"]*)"', nav.group(0))] if nav else []


def check_pages(client: Client, url: str, *, keys: Keys, expected: list[str], per_page: int, many: str) -> list[str]:
    """Walk every page of the list at `url`: each page has at most `per_page` rows, the pages
    together have each expected key once, and say which rows they show. Returns the keys in
    page order."""
    count = len(expected)
    pages = -(-count // per_page)
    seen: list[str] = []
    for number in range(1, pages + 1):
        page = page_text(client.get(url, {"page": number}))
        shown = keys(page)
        start, end = (number - 1) * per_page + 1, min(number * per_page, count)
        assert len(shown) == end - start + 1, (number, len(shown))
        assert f"Showing {start} to {end} of {count} {many}" in page
        if number < pages:
            assert f"?page={number + 1}" in links(page)
        if number > 1:
            assert f"?page={number - 1}" in links(page)
        seen += shown
    assert sorted(seen) == sorted(expected)
    assert len(set(seen)) == len(seen), "a row shown on two pages"
    # The same order on a second walk: the order is total.
    again = [key for number in range(1, pages + 1) for key in keys(page_text(client.get(url, {"page": number})))]
    assert again == seen
    return seen


def check_bad_page_numbers(client: Client, url: str, *, keys: Keys, first: list[str], last: list[str]) -> None:
    """Not a number: the first page. Past the end, or below 1: the last page."""
    for bad in ("abc", "", "1.5"):
        assert keys(page_text(client.get(url, {"page": bad}))) == first, bad
    for past in ("999", "0", "-1"):
        assert keys(page_text(client.get(url, {"page": past}))) == last, past


def check_filters_kept(client: Client, url: str, query: dict[str, str]) -> None:
    """Links to other pages keep what else the address asked for."""
    page = page_text(client.get(url, {**query, "page": "1"}))
    hrefs = links(page)
    assert hrefs, "no page links"
    for href in hrefs:
        for name, value in query.items():
            assert f"{name}={value}" in href, href
