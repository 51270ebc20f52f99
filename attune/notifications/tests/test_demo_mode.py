"""Demo mode sends nothing, whatever key is set, and every page that confirms a message says so."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.conf import LazySettings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care.tests.factories import open_episode
from attune.notifications import delivery
from attune.notifications.models import Channel, Message, MessageStatus
from attune.notifications.services import Recipient, queue_message
from attune.notifications.tests.fake_notify import FakeNotify
from attune.organisations.tests.world import World
from attune.outcomes.models import QuestionnaireLink
from attune.referrals.tests.factories import ReferralFactory
from attune.referrals.tests.test_public_flow import PRO, professional_answers, send

NOTHING_SENT = "This is a demonstration: nothing was sent. The message is in the outbox."


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def _said(html: str) -> bool:
    return NOTHING_SENT in html.replace("<strong>", "").replace("</strong>", "")


@pytest.mark.django_db
def test_demo_mode_sends_nothing_even_with_a_notify_key(fake_notify: FakeNotify, settings: LazySettings) -> None:
    settings.DEMO_MODE = True
    referral = ReferralFactory(reference="PIR-ACDE-FGHJ")
    message = queue_message(
        recipient=Recipient("Mother: Danielle Cartwright", Channel.SMS, "07700 900104"),
        template="referral_accepted_family",
        context={"referral": referral, "team": referral.team},
        about=referral,
    )
    summary = delivery.send_queued()
    assert fake_notify.requests == []
    assert Message.objects.get(pk=message.pk).status == MessageStatus.QUEUED
    assert summary.sent == 0
    assert "demonstration" in summary.not_sending


def test_the_referral_confirmation_says_nothing_was_sent_in_demo_mode(
    client: Client, world: World, settings: LazySettings
) -> None:
    settings.DEMO_MODE = True
    page = client.get(send(client, PRO, professional_answers())["Location"]).content.decode()
    assert "Referral sent" in page
    assert _said(page)


def test_outside_demo_mode_the_confirmation_does_not_say_so(client: Client, world: World) -> None:
    page = client.get(send(client, PRO, professional_answers())["Location"]).content.decode()
    assert "Referral sent" in page
    assert not _said(page)


def test_the_questionnaire_link_confirmation_says_nothing_was_sent_in_demo_mode(
    signed_in: Callable[[User], Client], practitioner: User, world: World, settings: LazySettings
) -> None:
    settings.DEMO_MODE = True
    episode = open_episode(world.hub, practitioner, opened_at=timezone.now() - dt.timedelta(days=30))
    mum = episode.carers.get()
    response = signed_in(practitioner).post(
        f"/episodes/{episode.pk}/questionnaire-links/new",
        {"carer": str(mum.pk), "instruments": ["PHQ9"], "time_point": "assessment"},
        follow=True,
    )
    assert QuestionnaireLink.objects.exists()
    page = response.content.decode()
    assert "Link sent" in page
    assert _said(page)
