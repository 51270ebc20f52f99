"""A year of 25 digits on a public referral date page is not a real date: the page says so and
keeps what was typed, rather than failing with a server error (the field overflowed)."""

from typing import Any

import pytest
from django.test import Client

from attune.organisations.tests.world import World
from attune.referrals.tests.test_public_flow import PRO, SELF, errors, post, professional_answers, self_answers
from attune.referrals.tests.test_public_validation import up_to

HUGE_YEAR = "1" * 25


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    from django.core.cache import cache

    cache.clear()


def _kept(response: Any, name: str) -> None:
    html = response.content.decode()
    assert f'name="{name}-day"' in html
    assert 'value="3"' in html
    assert 'value="11"' in html
    assert f'value="{HUGE_YEAR}"' in html


@pytest.mark.parametrize(
    ("base", "slug", "field", "message", "born"),
    [
        (PRO, "baby", "date_of_birth", "Date of birth must be a real date", "yes"),
        (SELF, "baby", "date_of_birth", "Date of birth must be a real date", "yes"),
        (PRO, "unborn-baby", "expected_due_date", "Due date must be a real date", "no"),
    ],
)
def test_a_year_of_25_digits_is_not_a_real_date_and_is_kept(
    client: Client, world: World, base: str, slug: str, field: str, message: str, born: str
) -> None:
    answers = self_answers() if base == SELF else professional_answers()
    answers["born"] = {"born": born}
    up_to(client, base, slug, answers)
    typed = {"given_name": "Ava", "family_name": "Hartley"}
    typed |= {f"{field}-day": "3", f"{field}-month": "11", f"{field}-year": HUGE_YEAR}

    response = post(client, base, slug, typed)

    assert response.status_code == 200
    assert message in errors(response)
    _kept(response, field)
