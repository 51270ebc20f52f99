"""A new installation, before anyone has an account, says how to begin (issue 15)."""

import pytest
from django.test import Client

from attune.accounts.tests.factories import UserFactory


@pytest.mark.parametrize("path", ["/", "/sign-in"])
@pytest.mark.django_db
def test_an_empty_database_shows_how_to_begin_not_a_sign_in_form(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Set up Attune</h1>" in html
    assert "manage.py setup_service" in html
    assert 'name="password"' not in html


@pytest.mark.django_db
def test_once_there_is_an_account_the_sign_in_form_is_back(client: Client) -> None:
    UserFactory()
    assert client.get("/")["Location"].startswith("/sign-in")
    html = client.get("/sign-in").content.decode()
    assert "Set up Attune" not in html
    assert 'name="password"' in html
