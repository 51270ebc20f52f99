"""Links on the home page that read the same but go to different places are told apart."""

import datetime as dt
import uuid
from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.core.formatting import LONDON
from attune.core.models import Task, TaskKind
from attune.dashboards.presenters import distinct_texts

TITLE = "Risk alert (Family of Ava Hughes): EPDS item 10 answered above 0"
NINE = dt.datetime(2026, 12, 2, 9, tzinfo=LONDON)


def test_same_words_to_different_places_are_told_apart_by_when_raised() -> None:
    links = [{"href": "/a", "text": TITLE}, {"href": "/b", "text": TITLE}, {"href": "/c", "text": "Countersign"}]
    out = distinct_texts(links, [NINE, NINE + dt.timedelta(days=1), NINE])
    assert [link["text"] for link in out] == [
        f"{TITLE} (raised 2 December 2026 at 9:00am)",
        f"{TITLE} (raised 3 December 2026 at 9:00am)",
        "Countersign",
    ]


def test_raised_at_the_same_time_they_are_counted() -> None:
    links = [{"href": "/a", "text": TITLE}, {"href": "/b", "text": TITLE}]
    out = distinct_texts(links, [NINE, NINE])
    assert [link["text"] for link in out] == [
        f"{TITLE} (raised 2 December 2026 at 9:00am), 1 of 2",
        f"{TITLE} (raised 2 December 2026 at 9:00am), 2 of 2",
    ]


def test_same_words_to_the_same_place_are_left_alone() -> None:
    links = [{"href": "/a", "text": TITLE}, {"href": "/a", "text": TITLE}]
    assert distinct_texts(links, [NINE, NINE]) == links


def test_the_home_page_has_no_two_identical_links_to_different_places(
    practitioner: User, signed_in: Callable[[User], Client]
) -> None:
    # Two risk alerts with the same message for the same family: two tasks, two alert pages
    for _ in range(2):
        Task.objects.create(
            kind=TaskKind.RISK_ALERT,
            assignee=practitioner,
            title=TITLE,
            about_type="families.familyalert",
            about_id=str(uuid.uuid4()),
            facts={"administration": str(uuid.uuid4())},
            urgent=True,
        )
    Task.objects.filter(pk=Task.objects.first().pk).update(  # type: ignore[union-attr]
        created_at=timezone.now() - dt.timedelta(days=1)
    )
    html = signed_in(practitioner).get("/").content.decode()
    assert html.count(f">{TITLE}<") == 0
    assert html.count(TITLE) == 2
