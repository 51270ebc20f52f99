"""Set-up and reset links: issued, hashed, single-use, short-lived (services)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from attune.accounts import services
from attune.accounts.link_paths import link_path, redact
from attune.accounts.models import AccountLink, LinkPurpose, User
from attune.accounts.tests.factories import UserFactory
from attune.core.actors import Actor
from attune.core.models import AuditEvent
from attune.notifications.models import Message

ADMIN = Actor.system("test")
NEW_PASSWORD = "a brand new long passphrase"


@pytest.fixture
def user(db: None) -> User:
    return UserFactory(full_name="Sam Newcomer", email="sam@trust.example")


def test_only_the_hash_of_the_token_is_stored(user: User) -> None:
    token = services.issue_account_link(actor=ADMIN, user=user, purpose=LinkPurpose.SET_UP)
    link = AccountLink.objects.get(user=user)
    assert len(token) >= 40
    assert link.token_hash == services.hash_token(token) != token
    assert not AccountLink.objects.filter(token_hash=token).exists()


def test_a_set_up_link_lasts_7_days_and_a_reset_link_60_minutes(user: User) -> None:
    with time_machine.travel(timezone.now(), tick=False):
        services.issue_account_link(actor=ADMIN, user=user, purpose=LinkPurpose.SET_UP)
        services.issue_account_link(actor=ADMIN, user=user, purpose=LinkPurpose.RESET)
        now = timezone.now()
    assert AccountLink.objects.get(purpose="set_up").expires_at == now + timedelta(days=7)
    assert AccountLink.objects.get(purpose="reset").expires_at == now + timedelta(minutes=60)


def test_a_reset_link_stops_working_after_60_minutes(user: User) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token = services.issue_account_link(actor=ADMIN, user=user, purpose=LinkPurpose.RESET)
    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        assert services.usable_link(token=token, purpose=LinkPurpose.RESET) is not None
    with time_machine.travel(start + timedelta(minutes=60), tick=False):
        assert services.usable_link(token=token, purpose=LinkPurpose.RESET) is None
        with pytest.raises(services.LinkUnusable):
            services.use_account_link(actor=ADMIN, token=token, purpose=LinkPurpose.RESET, new_password=NEW_PASSWORD)


def test_a_link_works_once(user: User) -> None:
    token = services.issue_account_link(actor=ADMIN, user=user, purpose=LinkPurpose.RESET)
    services.use_account_link(actor=ADMIN, token=token, purpose=LinkPurpose.RESET, new_password=NEW_PASSWORD)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    with pytest.raises(services.LinkUnusable):
        services.use_account_link(
            actor=ADMIN, token=token, purpose=LinkPurpose.RESET, new_password="another one entirely"
        )
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_new_link_revokes_the_earlier_unused_one_of_that_purpose(user: User) -> None:
    first = services.issue_account_link(actor=ADMIN, user=user, purpose=LinkPurpose.RESET)
    set_up = services.issue_account_link(actor=ADMIN, user=user, purpose=LinkPurpose.SET_UP)
    second = services.issue_account_link(actor=ADMIN, user=user, purpose=LinkPurpose.RESET)
    assert services.usable_link(token=first, purpose=LinkPurpose.RESET) is None
    assert services.usable_link(token=second, purpose=LinkPurpose.RESET) is not None
    assert services.usable_link(token=set_up, purpose=LinkPurpose.SET_UP) is not None
    assert AuditEvent.objects.filter(action="account.link_issued").last().detail["earlier_links_revoked"] == 1


def test_a_link_is_for_its_own_purpose_only(user: User) -> None:
    token = services.issue_account_link(actor=ADMIN, user=user, purpose=LinkPurpose.SET_UP)
    assert services.usable_link(token=token, purpose=LinkPurpose.RESET) is None


def test_a_disabled_account_gets_no_link_and_its_links_stop_working(user: User) -> None:
    token = services.issue_account_link(actor=ADMIN, user=user, purpose=LinkPurpose.RESET)
    user.is_active = False
    user.save()
    assert services.usable_link(token=token, purpose=LinkPurpose.RESET) is None
    with pytest.raises(services.AccountError, match="disabled"):
        services.issue_account_link(actor=ADMIN, user=user, purpose=LinkPurpose.RESET)


def test_send_queues_an_email_with_the_full_address(user: User) -> None:
    token = services.send_account_link(
        actor=ADMIN, user=user, purpose=LinkPurpose.SET_UP, site_url="https://attune.example.nhs.uk/"
    )
    message = Message.objects.get()
    assert message.to == "sam@trust.example"
    assert message.subject == "Set up your Attune account"
    assert f"https://attune.example.nhs.uk/account/set-up/{token}" in message.body
    assert "7 days" in message.body


def test_the_link_path_is_the_page_that_answers_it() -> None:
    from django.urls import reverse

    assert link_path("set_up", "abc") == reverse("accounts:set_up", args=["abc"])
    assert link_path("reset", "abc") == reverse("accounts:reset", args=["abc"])


def test_issuing_and_using_a_link_are_audited_without_the_token(user: User) -> None:
    token = services.issue_account_link(actor=ADMIN, user=user, purpose=LinkPurpose.RESET)
    services.use_account_link(actor=ADMIN, token=token, purpose=LinkPurpose.RESET, new_password=NEW_PASSWORD)
    events = list(AuditEvent.objects.filter(object_id=str(user.pk)).values_list("action", "detail"))
    assert [action for action, _ in events] == ["account.link_issued", "account.password_set_by_link"]
    assert all(token not in str(detail) for _, detail in events)


def test_redact_hides_account_link_tokens() -> None:
    assert redact("Not Found: /account/reset/Zt0k3n-abc_def") == "Not Found: /account/reset/[token]"
    assert redact("GET /account/set-up/Zt0k3n?x=1 HTTP/1.1") == "GET /account/set-up/[token]?x=1 HTTP/1.1"
    assert redact("/account/change-password") == "/account/change-password"
