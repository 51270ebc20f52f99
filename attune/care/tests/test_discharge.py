"""Discharge with a reason and a summary, the printable letter to the referrer and GP, and
reopening with a reason. Unsigned notes and appointments still booked stop a discharge, and the
page links to each of them, keeping what was typed."""

import datetime as dt
import re
from collections.abc import Callable
from html import unescape
from typing import Any

from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care.codes import Attendance, DischargeReason
from attune.care.models import Discharge, Episode, EpisodeEvent, NoteStatus
from attune.care.tests.factories import AppointmentFactory
from attune.care.tests.factories_episode import discharge_directly, goal_with_ratings, named_episode, past_contact
from attune.core.models import AuditEvent
from attune.organisations.tests.world import World


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def url(episode: Episode, page: str) -> str:
    return f"/episodes/{episode.pk}/{page}"


SUMMARY = "Jade and Ava came to eight sessions.\nJade now reads Ava's cues with confidence."


def test_discharge_page_lists_what_must_be_done_first(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    draft = past_contact(episode, practitioner, days_ago=2, note=NoteStatus.DRAFT)
    booked = AppointmentFactory(episode=episode, practitioner=practitioner)

    response = signed_in(practitioner).get(url(episode, "discharge"))

    page = response.content.decode()
    assert "Before you discharge" in text(response)
    assert f'href="/appointments/{draft.pk}"' in page
    assert f'href="/appointments/{booked.pk}"' in page
    assert "Sign the note for the home visit on" in text(response)
    assert "Appointments still booked" in text(response)
    assert "Cancel this appointment and discharge" in text(response)
    assert AuditEvent.objects.filter(action="episode.viewed", detail__page="discharge").exists()


def test_an_unsigned_note_stops_the_discharge_and_the_summary_is_kept(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    past_contact(episode, practitioner, days_ago=9)
    draft = past_contact(episode, practitioner, days_ago=2, note=NoteStatus.DRAFT)

    response = signed_in(practitioner).post(
        url(episode, "discharge"), {"reason": DischargeReason.COMPLETED, "summary": SUMMARY}
    )

    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert "Sign (and have countersigned) the notes for these contacts first" in page
    assert f'href="/appointments/{draft.pk}"' in response.content.decode()
    assert "Jade now reads Ava's cues with confidence." in page
    assert 'value="completed" checked' in response.content.decode()
    assert not Discharge.objects.exists()
    assert not AuditEvent.objects.filter(action="episode.discharged").exists()


def test_an_appointment_still_booked_stops_the_discharge(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    AppointmentFactory(episode=episode, practitioner=practitioner)
    response = signed_in(practitioner).post(
        url(episode, "discharge"), {"reason": DischargeReason.DISENGAGED, "summary": SUMMARY}
    )
    assert "Cancel the appointments still booked for this family first" in text(response)
    assert not Discharge.objects.exists()


def test_booked_appointments_are_cancelled_with_the_discharge_when_the_person_ticks_to(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    first = AppointmentFactory(episode=episode, practitioner=practitioner)
    second = AppointmentFactory(
        episode=episode, practitioner=practitioner, starts_at=first.starts_at + dt.timedelta(days=7)
    )
    client = signed_in(practitioner)

    page = client.get(url(episode, "discharge"))

    assert "Cancel these 2 appointments and discharge" in text(page)
    assert f'href="/appointments/{first.pk}"' in page.content.decode()
    assert f'href="/appointments/{second.pk}"' in page.content.decode()
    assert "Cancelled or postponed by the service" in text(page)
    assert "Attended" not in text(page)

    response = client.post(
        url(episode, "discharge"),
        {
            "reason": DischargeReason.COMPLETED,
            "summary": SUMMARY,
            "cancel_booked": "yes",
            "cancellation": Attendance.CANCELLED_BY_SERVICE,
            "booked": [str(first.pk), str(second.pk)],
        },
        follow=True,
    )

    assert response.redirect_chain == [(f"/episodes/{episode.pk}/discharge-letter", 302)]
    assert "2 appointments cancelled. Family of Ava Hughes is discharged." in text(response)
    for appointment in (first, second):
        appointment.refresh_from_db()
        assert appointment.attendance == Attendance.CANCELLED_BY_SERVICE
        assert appointment.attendance_recorded_by == practitioner
        assert AuditEvent.objects.filter(
            action="appointment.attendance_recorded", object_id=str(appointment.pk), detail={"code": "4"}
        ).exists()
    assert Discharge.objects.filter(episode=episode, reason=DischargeReason.COMPLETED).exists()
    event = AuditEvent.objects.get(action="episode.booked_cancelled_for_discharge")
    assert event.detail == {"code": "4", "appointments": [str(first.pk), str(second.pk)]}


def test_without_the_tick_booked_appointments_still_stop_the_discharge(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    booked = AppointmentFactory(episode=episode, practitioner=practitioner)

    response = signed_in(practitioner).post(
        url(episode, "discharge"),
        {
            "reason": DischargeReason.COMPLETED,
            "summary": SUMMARY,
            "cancellation": Attendance.CANCELLED_BY_SERVICE,
            "booked": [str(booked.pk)],
        },
    )

    assert "Cancel the appointments still booked for this family first" in text(response)
    assert 'href="#id_cancel_booked"' in response.content.decode()
    booked.refresh_from_db()
    assert booked.attendance == ""
    assert not Discharge.objects.exists()


def test_cancelling_with_the_discharge_needs_a_reason_for_the_cancellation(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    booked = AppointmentFactory(episode=episode, practitioner=practitioner)

    response = signed_in(practitioner).post(
        url(episode, "discharge"),
        {"reason": DischargeReason.COMPLETED, "summary": SUMMARY, "cancel_booked": "yes", "booked": [str(booked.pk)]},
    )

    assert "Select why the appointments are cancelled" in text(response)
    assert 'href="#id_cancellation"' in response.content.decode()
    assert "Jade now reads Ava's cues with confidence." in text(response)
    booked.refresh_from_db()
    assert booked.attendance == ""
    assert not Discharge.objects.exists()


def test_nothing_is_cancelled_when_an_appointment_was_booked_after_the_page_was_shown(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    seen = AppointmentFactory(episode=episode, practitioner=practitioner)
    unseen = AppointmentFactory(
        episode=episode, practitioner=practitioner, starts_at=seen.starts_at + dt.timedelta(days=1)
    )

    response = signed_in(practitioner).post(
        url(episode, "discharge"),
        {
            "reason": DischargeReason.COMPLETED,
            "summary": SUMMARY,
            "cancel_booked": "yes",
            "cancellation": Attendance.CANCELLED_BY_FAMILY,
            "booked": [str(seen.pk)],
        },
    )

    assert "The appointments booked for this family have changed" in text(response)
    assert "Cancel these 2 appointments and discharge" in text(response)
    assert list(episode.appointments.exclude(attendance="")) == []
    assert not Discharge.objects.exists()
    assert not unseen.attendance


def test_an_unsigned_note_undoes_the_cancellations_too(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    past_contact(episode, practitioner, days_ago=2, note=NoteStatus.DRAFT)
    booked = AppointmentFactory(episode=episode, practitioner=practitioner)

    response = signed_in(practitioner).post(
        url(episode, "discharge"),
        {
            "reason": DischargeReason.COMPLETED,
            "summary": SUMMARY,
            "cancel_booked": "yes",
            "cancellation": Attendance.CANCELLED_BY_SERVICE,
            "booked": [str(booked.pk)],
        },
    )

    assert "Sign (and have countersigned) the notes for these contacts first" in text(response)
    booked.refresh_from_db()
    assert booked.attendance == ""
    assert not AuditEvent.objects.filter(action="appointment.attendance_recorded").exists()
    assert not Discharge.objects.exists()


def test_reason_and_summary_are_needed(signed_in: Callable[[User], Client], practitioner: User, world: World) -> None:
    episode = named_episode(world.hub, practitioner)
    page = text(signed_in(practitioner).post(url(episode, "discharge"), {"summary": "  "}))
    assert "Select the reason for discharge" in page
    assert "Enter the discharge summary for the referrer and GP" in page
    assert not Discharge.objects.exists()


def test_discharging_leads_to_the_letter_for_the_referrer_and_gp(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner, opened_at=timezone.now() - dt.timedelta(days=60))
    jade = episode.family.carers.get()
    goal_with_ratings(episode, jade, "Enjoy bath time with Ava", [2, 5, 8])
    past_contact(episode, practitioner, days_ago=20)
    past_contact(episode, practitioner, days_ago=13)
    past_contact(episode, practitioner, days_ago=6, attendance=Attendance.DID_NOT_ATTEND, note=None)
    past_contact(episode, practitioner, days_ago=5, attendance=Attendance.CANCELLED_BY_SERVICE, note=None)
    client = signed_in(practitioner)

    response = client.post(
        url(episode, "discharge"), {"reason": DischargeReason.COMPLETED, "summary": SUMMARY}, follow=True
    )

    assert response.redirect_chain == [(f"/episodes/{episode.pk}/discharge-letter", 302)]
    page = text(response)
    assert "Family of Ava Hughes is discharged. The discharge letter is ready to print." in page
    # To the referrer, copied to the GP
    assert "Jo Bloggs" in page
    assert "Health visitor" in page
    assert "Example Community Health" in page
    assert "Copy to: GP: Beech Tree Surgery" in page
    # About the baby and mother, the dates, what was offered and how it went
    assert "Ava Hughes, born 1 June 2026" in page
    assert "Jade Hughes (mother)" in page
    assert episode.referral.reference in page
    assert "Parent-infant psychotherapy" in page
    assert "The family attended 2 of the 3 appointments offered." in page
    assert "Enjoy bath time with Ava" in page
    assert "2 out of 10 on" in page
    assert "8 out of 10 on" in page
    assert "Work completed" in page
    assert "Jade and Ava came to eight sessions." in page
    assert "Jade now reads Ava's cues with confidence." in page
    assert "Pat Practitioner" in page
    assert "Lead practitioner" in page
    assert "Example hub team" in page
    # What was recorded
    discharge = Discharge.objects.get(episode=episode)
    assert (discharge.reason, discharge.discharged_by) == (DischargeReason.COMPLETED, practitioner)
    assert episode.events.order_by("-at", "-id").first().kind == EpisodeEvent.Kind.DISCHARGED  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(action="episode.discharged", object_id=str(episode.pk)).exists()
    assert AuditEvent.objects.filter(action="episode.discharge_letter_viewed", object_id=str(episode.pk)).exists()


def test_an_open_episode_has_no_letter_yet(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    response = signed_in(practitioner).get(url(episode, "discharge-letter"), follow=True)
    assert response.redirect_chain == [(f"/episodes/{episode.pk}", 302)]
    assert "There is no discharge letter yet: this episode is open." in text(response)
    assert not AuditEvent.objects.filter(action="episode.discharge_letter_viewed").exists()


def test_a_discharged_episode_cannot_be_discharged_again(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    discharge_directly(episode, practitioner)
    response = signed_in(practitioner).post(
        url(episode, "discharge"), {"reason": DischargeReason.COMPLETED, "summary": SUMMARY}, follow=True
    )
    assert "This episode is already discharged." in text(response)
    assert Discharge.objects.count() == 1


# Reopening ------------------------------------------------------------------------------------


def test_reopening_needs_a_reason_and_puts_the_episode_back_on_the_caseload(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    discharge_directly(episode, practitioner)
    client = signed_in(practitioner)

    refused = client.post(url(episode, "reopen"), {"reason": " "})
    assert "Enter why the episode is being reopened" in text(refused)
    assert not Episode.objects.open().filter(pk=episode.pk).exists()

    response = client.post(url(episode, "reopen"), {"reason": "Sleep got worse; mum asked for help"}, follow=True)

    assert response.redirect_chain == [(f"/episodes/{episode.pk}", 302)]
    page = text(response)
    assert "The episode is open again." in page
    assert "Episode of care , Reopened" in page
    assert "Sleep got worse; mum asked for help" in page
    assert Episode.objects.open().filter(pk=episode.pk).exists()
    discharge = Discharge.objects.get(episode=episode)
    assert discharge.reopened_by == practitioner
    assert AuditEvent.objects.filter(action="episode.reopened", object_id=str(episode.pk)).exists()
    assert Episode.objects.on_caseload_of(practitioner).filter(pk=episode.pk).exists()


def test_an_open_episode_is_not_reopened(signed_in: Callable[[User], Client], practitioner: User, world: World) -> None:
    episode = named_episode(world.hub, practitioner)
    response = signed_in(practitioner).post(url(episode, "reopen"), {"reason": "Again"}, follow=True)
    assert "This episode is open, so there is nothing to reopen." in text(response)
    assert not episode.events.filter(kind=EpisodeEvent.Kind.REOPENED).exists()
