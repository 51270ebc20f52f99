"""Lists that grow, shown a page at a time with how many there are in all ("Showing 51 to 100
of 170 families") and the NHS.UK numbered pagination (issue 18). A page number that is not a
number shows the first page and one past the end the last, never an error (Django's
`Paginator.get_page`); the links keep every other filter of the address."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from attune.core.formatting import plural


def page_url(request: HttpRequest) -> Callable[[int], str]:
    """A page's link to another page of it: the same filters, another page number."""

    def url(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return f"?{query.urlencode()}"

    return url


def page_of(objects: QuerySet[Any] | Sequence[Any], request: HttpRequest, per_page: int) -> Page[Any]:
    """The page the address asks for (`?page=`). The order of `objects` must be total (end on
    the primary key) so that no row shows on two pages or none."""
    return Paginator(objects, per_page).get_page(request.GET.get("page"))


@dataclass(frozen=True)
class Paging:
    """What a paginated list shows round its table: the count line and the page links."""

    page: Page[Any]
    url: Callable[[int], str]
    one: str  # "family"
    many: str  # "families"
    label: str = "Pages"  # names the navigation landmark, one per list on a page

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def number(self) -> int:
        return self.page.number

    @property
    def summary(self) -> str:
        """'Showing 51 to 100 of 170 families'; '3 families' when they fit on one page."""
        if not self.page.has_other_pages():
            return plural(self.count, self.one, self.many)
        return f"Showing {self.page.start_index()} to {self.page.end_index()} of {self.count} {self.many}"

    @property
    def navigation(self) -> dict[str, Any] | None:
        """The nhsuk pagination macro's parameters: previous, numbered pages (elided in the
        middle of a long run), next; None when there is one page."""
        page = self.page
        if not page.has_other_pages():
            return None
        items: list[dict[str, Any]] = [
            {"ellipsis": True}
            if number == Paginator.ELLIPSIS
            else {"number": number, "href": self.url(int(number)), "current": number == page.number}
            for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        ]
        navigation: dict[str, Any] = {"items": items, "ariaLabel": self.label}
        if page.has_previous():
            navigation["previous"] = {"href": self.url(page.previous_page_number())}
        if page.has_next():
            navigation["next"] = {"href": self.url(page.next_page_number())}
        return navigation


def paging(
    objects: QuerySet[Any] | Sequence[Any],
    request: HttpRequest,
    *,
    per_page: int,
    one: str,
    many: str,
    label: str = "Pages",
) -> Paging:
    return Paging(page_of(objects, request, per_page), page_url(request), one, many, label)
