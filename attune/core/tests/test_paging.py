"""A list a page at a time: the count line and the numbered page links (no database)."""

from django.test import RequestFactory

from attune.core.paging import Paging, paging


def shown(number: object, count: int, **query: str) -> Paging:
    request = RequestFactory().get("/list", {**query, "page": number})
    return paging(list(range(count)), request, per_page=50, one="family", many="families", label="List pages")


def test_the_count_line() -> None:
    assert shown(1, 3).summary == "3 families"
    assert shown(1, 1).summary == "1 family"
    assert shown(1, 170).summary == "Showing 1 to 50 of 170 families"
    assert shown(4, 170).summary == "Showing 151 to 170 of 170 families"


def test_one_page_has_no_links() -> None:
    assert shown(1, 50).navigation is None


def test_the_links_keep_the_filters_and_elide_a_long_run() -> None:
    navigation = shown(6, 1000, status="waiting").navigation
    assert navigation is not None
    assert navigation["ariaLabel"] == "List pages"
    assert navigation["previous"] == {"href": "?status=waiting&page=5"}
    assert navigation["next"] == {"href": "?status=waiting&page=7"}
    numbers = [item.get("number", "…") for item in navigation["items"]]
    assert numbers == [1, "…", 4, 5, 6, 7, 8, "…", 20]
    assert [item["number"] for item in navigation["items"] if item.get("current")] == [6]


def test_a_page_that_is_not_there_is_the_first_or_the_last() -> None:
    assert shown("x", 120).number == 1
    assert shown(99, 120).number == 3
    assert "previous" not in (shown(1, 120).navigation or {})
    assert "next" not in (shown(3, 120).navigation or {})
