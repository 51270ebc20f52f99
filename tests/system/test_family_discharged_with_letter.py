"""A practitioner discharges a family when the work is done. One contact's note is still a draft,
so she is told to sign it first, with a link to it, and keeps the summary she wrote. Once the
note is signed she discharges with "Work completed" and lands on the letter to the referrer and
GP, ready to print. Two visits still booked are cancelled with the discharge, in one step, once she
ticks to cancel them and says why. Every page passes axe as it is."""

import datetime as dt
from collections.abc import Callable

from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.care import services
from attune.care.models import Discharge, Episode, NoteStatus
from attune.care.tests.factories import AppointmentFactory
from attune.care.tests.factories_episode import goal_with_ratings, named_episode, past_contact
from attune.core.testing.actors import acting
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]

SUMMARY = "Jade and Ava came to six sessions of parent-infant psychotherapy. Jade now reads Ava's cues with confidence."


def test_practitioner_discharges_a_family_with_a_letter(
    page: Page, auth, practitioner: User, world: World, checkpoint: Check
) -> None:
    # Given a practitioner with an open episode: two contacts with signed notes, one with a draft
    episode: Episode = named_episode(world.hub, practitioner, opened_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=70))
    goal_with_ratings(episode, episode.family.carers.get(), "Enjoy bath time with Ava", [2, 6, 8])
    past_contact(episode, practitioner, days_ago=21)
    past_contact(episode, practitioner, days_ago=14)
    last = past_contact(episode, practitioner, days_ago=7, note=NoteStatus.DRAFT)
    # and two visits still booked, next week and the week after
    booked = [
        AppointmentFactory(
            episode=episode, practitioner=practitioner, starts_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
        )
        for days in (7, 14)
    ]
    auth.sign_in(page, practitioner)

    # When she opens the episode
    page.goto(f"/episodes/{episode.pk}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Episode of care")
    expect(page.get_by_text("Family of Ava Hughes", exact=True)).to_be_visible()
    checkpoint(page, "episode")

    # And tries to discharge the family
    page.get_by_role("link", name="Discharge", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Discharge the family")
    expect(page.get_by_role("link", name="Sign the note for the home visit on")).to_be_visible()
    page.get_by_label("Work completed").check()
    page.get_by_label("Discharge summary for the referrer and GP").fill(SUMMARY)
    page.get_by_role("button", name="Discharge").click()

    # Then she is told to sign the note first, and what she wrote is still there
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Sign (and have countersigned) the notes for these contacts first")
    expect(page.get_by_label("Discharge summary for the referrer and GP")).to_have_value(SUMMARY)
    expect(page.get_by_label("Work completed")).to_be_checked()
    expect(page.get_by_role("link", name="Sign the note for the home visit on")).to_have_attribute(
        "href", f"/appointments/{last.pk}"
    )
    assert not Discharge.objects.filter(episode=episode).exists()
    checkpoint(page, "discharge-refused")

    # When the note is signed
    services.sign_note(actor=acting(practitioner), note=last.note)

    # And she discharges the family with "Work completed" and her summary, ticking to cancel the
    # two visits still booked, cancelled by the service
    page.goto(f"/episodes/{episode.pk}/discharge")
    expect(page.get_by_text("Before you discharge")).to_have_count(0)
    expect(page.get_by_role("heading", name="Appointments still booked")).to_be_visible()
    page.get_by_label("Work completed").check()
    page.get_by_label("Discharge summary for the referrer and GP").fill(SUMMARY)
    page.get_by_label("Cancel these 2 appointments and discharge").check()
    page.get_by_label("Cancelled or postponed by the service").check()
    checkpoint(page, "discharge-cancelling")
    page.get_by_role("button", name="Discharge").click()

    # Then she lands on the discharge letter, with the reason and her summary
    expect(
        page.get_by_text(
            "2 appointments cancelled. Family of Ava Hughes is discharged. The discharge letter is ready to print."
        )
    ).to_be_visible()
    for appointment in booked:
        appointment.refresh_from_db()
        assert appointment.attendance == "4"
    expect(page.get_by_text("Dear Jo Bloggs,")).to_be_visible()
    expect(page.get_by_text("Copy to: GP: Beech Tree Surgery")).to_be_visible()
    expect(page.get_by_text("Work completed", exact=True)).to_be_visible()
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    expect(page.get_by_text("The family attended 3 of the 3 appointments offered.")).to_be_visible()
    checkpoint(page, "letter")
    discharge = Discharge.objects.get(episode=episode)
    assert discharge.reason == "completed"
    assert discharge.summary == SUMMARY

    # And the episode shows it is discharged, with the letter and reopening to hand
    page.get_by_role("link", name="Back to the episode").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Discharged")
    expect(page.get_by_role("link", name="Reopen the episode")).to_be_visible()
    checkpoint(page, "episode-discharged")
