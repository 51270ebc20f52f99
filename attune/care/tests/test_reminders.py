"""Appointment reminders: queued the day before to the family's safe route, never to an unsafe
number, sent through the real Notify client to the fake Notify server."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attune.accounts.models import User
from attune.care.codes import Attendance, ContactKind
from attune.care.models import Appointment, Episode
from attune.care.reminders import TEMPLATE, queue_reminders
from attune.care.services import append_event
from attune.care.tests.factories import AppointmentFactory, RoomFactory, open_episode
from attune.core.formatting import LONDON
from attune.core.models import AuditEvent
from attune.families.codes import ContactPreference
from attune.families.models import Carer
from attune.notifications import delivery
from attune.notifications.models import Channel, Message, MessageStatus
from attune.notifications.tests.fake_notify import SMS_TEMPLATE_ID, FakeNotify, serving
from attune.organisations.tests.world import World

pytestmark = pytest.mark.django_db

# Tuesday 1 December 2026, 9am in London: the run. Reminders go for 20 to 48 hours ahead.
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)
TOMORROW_10_30 = dt.datetime(2026, 12, 2, 10, 30, tzinfo=LONDON)


@pytest.fixture
def fake_notify(settings: Any) -> Iterator[FakeNotify]:
    with serving(settings) as notify:
        yield notify


@pytest.fixture
def episode(world: World, practitioner: User) -> Episode:
    found = open_episode(world.hub, practitioner, opened_at=NOW - dt.timedelta(days=60))
    carer = found.family.carers.get()
    carer.given_name, carer.family_name = "Danielle", "Cartwright"
    carer.phone, carer.email = "07700 900104", "danielle@example.com"
    carer.save()
    found.referral.reason = "Mum has had thoughts of harming herself since the birth."
    found.referral.save()
    return found


def _carer(episode: Episode, **changes: Any) -> Carer:
    carer = episode.family.carers.get()
    for name, value in changes.items():
        setattr(carer, name, value)
    carer.save()
    return carer


def _book(episode: Episode, starts_at: dt.datetime = TOMORROW_10_30, **fields: Any) -> Appointment:
    practitioner = episode.workers.get().practitioner
    return AppointmentFactory(
        episode=episode,
        practitioner=practitioner,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        **fields,
    )


def _reminders() -> list[Message]:
    return list(Message.objects.filter(template=TEMPLATE).order_by("created_at"))


def test_a_family_preferring_texts_gets_one_sent_to_their_phone(fake_notify: FakeNotify, episode: Episode) -> None:
    appointment = _book(episode)
    assert queue_reminders(NOW) == 1
    [message] = _reminders()
    assert (message.status, message.channel, message.to) == (MessageStatus.QUEUED, Channel.SMS, "07700 900104")
    assert (message.about_type, message.about_id) == ("care.appointment", str(appointment.pk))
    assert message.recipient == "Mother: Danielle Cartwright"
    assert message.subject == "Reminder: your appointment on Wednesday 2 December"
    assert message.body == (
        "This is a reminder from the Example hub team: Pat will visit you at home on Wednesday 2 December at "
        "10:30am.\n\nIf you cannot make it, please contact the team to cancel or change it."
    )
    # Nothing clinical: not why the family is seen, not the family's name, not the service's work.
    assert "harming" not in message.body
    assert "Cartwright" not in message.body
    assert AuditEvent.objects.filter(action="message.queued", object_id=str(message.pk)).exists()

    summary = delivery.send_queued()
    assert summary.sent == 1
    [received] = fake_notify.requests
    assert received.path == "/v2/notifications/sms"
    assert received.body["phone_number"] == "07700 900104"
    assert received.body["template_id"] == SMS_TEMPLATE_ID
    assert received.body["personalisation"] == {"subject": message.subject, "body": message.body}
    assert received.body["reference"] == str(message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_phone_marked_unsafe_is_never_used(fake_notify: FakeNotify, episode: Episode) -> None:
    _carer(episode, phone_is_safe=False, email="", safe_contact_note="Partner reads her texts")
    _book(episode)
    assert queue_reminders(NOW) == 1
    [message] = _reminders()
    assert message.status == MessageStatus.WITHHELD
    assert message.to == ""
    assert "07700" not in message.to + message.body
    assert message.withheld_reason == "No safe way to send a message (Partner reads her texts)"
    delivery.send_queued()
    assert fake_notify.requests == []
    assert Message.objects.get(pk=message.pk).status == MessageStatus.WITHHELD


def test_an_unsafe_phone_falls_back_to_a_safe_email(fake_notify: FakeNotify, episode: Episode) -> None:
    _carer(episode, phone_is_safe=False)
    _book(episode)
    queue_reminders(NOW)
    [message] = _reminders()
    assert (message.channel, message.to) == (Channel.EMAIL, "danielle@example.com")
    delivery.send_queued()
    assert [(r.path, r.body["email_address"]) for r in fake_notify.requests] == [
        ("/v2/notifications/email", "danielle@example.com")
    ]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"contact_preference": ContactPreference.PHONE}, "The family prefers a phone call: phone them instead"),
        ({"contact_preference": ContactPreference.NONE}, "The family asked not to be contacted directly"),
        (
            {"contact_preference": ContactPreference.LETTER},
            "They asked for letters, which would arrive too late: phone them instead",
        ),
    ],
)
def test_families_who_want_no_texts_get_a_withheld_reminder(
    fake_notify: FakeNotify, episode: Episode, changes: dict[str, str], reason: str
) -> None:
    _carer(episode, **changes)
    _book(episode)
    assert queue_reminders(NOW) == 1
    [message] = _reminders()
    assert (message.status, message.withheld_reason, message.channel) == (MessageStatus.WITHHELD, reason, "")
    delivery.send_queued()
    assert fake_notify.requests == []


def test_cancelled_recorded_and_past_appointments_get_none(episode: Episode) -> None:
    _book(episode, attendance=Attendance.CANCELLED_BY_FAMILY)
    _book(episode, TOMORROW_10_30 + dt.timedelta(hours=2), attendance=Attendance.CANCELLED_BY_SERVICE)
    _book(episode, NOW - dt.timedelta(days=1), attendance=Attendance.ATTENDED)
    _book(episode, NOW - dt.timedelta(hours=3))
    assert queue_reminders(NOW) == 0
    assert _reminders() == []


def test_only_appointments_20_to_48_hours_away(episode: Episode) -> None:
    too_soon = _book(episode, NOW + dt.timedelta(hours=19, minutes=59))
    first = _book(episode, NOW + dt.timedelta(hours=20))
    last = _book(episode, NOW + dt.timedelta(hours=47, minutes=59))
    too_far = _book(episode, NOW + dt.timedelta(hours=48))
    assert queue_reminders(NOW) == 2
    assert {m.about_id for m in _reminders()} == {str(first.pk), str(last.pk)}
    assert str(too_soon.pk) not in {m.about_id for m in _reminders()}
    # The next day's run picks up the one that was too far.
    assert queue_reminders(NOW + dt.timedelta(days=1)) == 1
    assert _reminders()[-1].about_id == str(too_far.pk)


def test_running_twice_queues_once(episode: Episode) -> None:
    _book(episode)
    assert queue_reminders(NOW) == 1
    assert queue_reminders(NOW) == 0
    assert queue_reminders(NOW + dt.timedelta(hours=5)) == 0
    assert len(_reminders()) == 1


def test_a_withheld_reminder_is_not_written_again(episode: Episode) -> None:
    _carer(episode, contact_preference=ContactPreference.NONE)
    _book(episode)
    queue_reminders(NOW)
    queue_reminders(NOW + dt.timedelta(hours=1))
    assert [m.status for m in _reminders()] == [MessageStatus.WITHHELD]


def test_a_discharged_familys_booking_gets_none(episode: Episode, practitioner: User) -> None:
    _book(episode)
    append_event(episode=episode, kind="discharged", at=NOW - dt.timedelta(days=1), by=practitioner)
    assert queue_reminders(NOW) == 0


def test_each_kind_of_contact_says_where(world: World, episode: Episode) -> None:
    site = RoomFactory(site__team=world.hub, site__name="Blackburn family hub").site
    site.address, site.postcode = "Blackburn", "BB1 7DJ"
    site.save()
    _book(episode, TOMORROW_10_30, kind=ContactKind.FAMILY_HUB, site=site)
    _book(episode, TOMORROW_10_30 + dt.timedelta(hours=2), kind=ContactKind.VIDEO)
    _book(episode, TOMORROW_10_30 + dt.timedelta(hours=4), kind=ContactKind.PHONE)
    queue_reminders(NOW)
    firsts = [
        m.body.split("\n")[0].removeprefix("This is a reminder from the Example hub team: ") for m in _reminders()
    ]
    assert firsts == [
        "you have an appointment with Pat at Blackburn family hub (Blackburn, BB1 7DJ) on Wednesday 2 December at "
        "10:30am.",
        "Pat will see you on a video call on Wednesday 2 December at 12:30pm.",
        "Pat will phone you on Wednesday 2 December at 2:30pm.",
    ]


def test_british_summer_time_is_shown_as_london_time(episode: Episode) -> None:
    summer = dt.datetime(2026, 7, 15, 9, 0, tzinfo=LONDON)
    _book(episode, dt.datetime(2026, 7, 16, 14, 0, tzinfo=LONDON))
    Episode.objects.filter(pk=episode.pk).update(opened_at=summer - dt.timedelta(days=30))
    queue_reminders(summer)
    [message] = _reminders()
    assert "on Thursday 16 July at 2:00pm." in message.body


def test_a_run_reads_its_carers_consents_once_however_many_families(world: World, practitioner: User) -> None:
    """An hourly job over a day's appointments: asking each carer's consent in its own query
    would grow with the day's diary."""
    for _ in range(5):
        _book(open_episode(world.hub, practitioner, opened_at=NOW - dt.timedelta(days=60)))
    with CaptureQueriesContext(connection) as run:
        assert queue_reminders(NOW) == 5
    assert len([query for query in run.captured_queries if "families_consent" in query["sql"]]) == 1
