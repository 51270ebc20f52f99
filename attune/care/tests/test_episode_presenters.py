"""The episode presenters, from models built in memory: no database."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest

from attune.accounts.models import User
from attune.care.codes import Attendance, ContactKind, DischargeReason, WorkerRole
from attune.care.models import (
    Appointment,
    Episode,
    EpisodeEvent,
    EpisodeWorker,
    Goal,
    GoalRating,
    Intervention,
    Note,
    NoteStatus,
)
from attune.care.pages import CurrentDischarge, EpisodeRecord
from attune.care.presenters import episode as presenters
from attune.families.models import Carer, Family, Infant
from attune.organisations.models import Service, Team
from attune.referrals.models import Referral, ReferralKind

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 12, 1)  # a Tuesday
NOW = dt.datetime(2026, 12, 1, 12, tzinfo=LONDON)
pat = User(full_name="Pat Practitioner")
lee = User(full_name="Lee Lead")


def event(kind: str, day: int, by: User = pat, note: str = "", **detail: str) -> EpisodeEvent:
    return EpisodeEvent(
        pk=day, kind=kind, at=dt.datetime(2026, 11, day, 9, tzinfo=LONDON), by=by, note=note, detail=detail
    )


def appointment(days: int, attendance: str = "", kind: str = ContactKind.HOME_VISIT) -> Appointment:
    starts = NOW + dt.timedelta(days=days)
    return Appointment(
        pk=uuid.uuid4(),
        kind=kind,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        practitioner=pat,
        attendance=attendance,
    )


def record(**changes: object) -> EpisodeRecord:
    service = Service(name="Example PAIRS")
    team = Team(pk=uuid.uuid4(), name="Example hub team", service=service)
    family = Family(pk=uuid.uuid4(), gp_practice="Beech Tree Surgery", address_line_1="1 Mill Lane", postcode="FY1 1AA")
    referral = Referral(
        pk=uuid.uuid4(),
        reference="PIR-0001",
        kind=ReferralKind.PROFESSIONAL,
        referrer_name="Jo Bloggs",
        referrer_role="Health visitor",
        referrer_organisation="Example Community Health",
    )
    episode = Episode(
        pk=uuid.uuid4(),
        team=team,
        family=family,
        referral=referral,
        opened_at=dt.datetime(2026, 10, 1, 10, tzinfo=LONDON),
    )
    jade = Carer(pk=uuid.uuid4(), given_name="Jade", family_name="Hughes", relationship="mother", family=family)
    ava = Infant(pk=uuid.uuid4(), given_name="Ava", family_name="Hughes", date_of_birth=dt.date(2026, 6, 1))
    values: dict[str, object] = {
        "episode": episode,
        "state": EpisodeEvent.Kind.ALLOCATED,
        "infants": [ava],
        "carers": [jade],
        "flags": [],
        "interventions": [Intervention(name="Video Interaction Guidance")],
        "workers": [
            EpisodeWorker(practitioner=lee, role=WorkerRole.LEAD, started_at=episode.opened_at, ended_at=NOW),
            EpisodeWorker(practitioner=pat, role=WorkerRole.LEAD, started_at=NOW),
        ],
        "goals": [],
        "ratings": {},
        "appointments": [],
        "notes": {},
        "events": [event(EpisodeEvent.Kind.ALLOCATED, 1)],
        "discharge": None,
    }
    values.update(changes)
    return EpisodeRecord(**values)  # type: ignore[arg-type]


def test_dates_read_with_the_day_of_the_week() -> None:
    assert presenters.day_long(TODAY) == "Tuesday 1 December 2026"
    assert presenters.when_long(dt.datetime(2026, 12, 1, 10, 30, tzinfo=LONDON)) == "Tuesday 1 December 2026, 10:30am"


@pytest.mark.parametrize(
    ("kinds", "state", "text"),
    [
        (["allocated"], "open", "Open"),
        (["allocated", "transferred"], "open", "Open"),
        (["allocated", "discharged"], "discharged", "Discharged"),
        (["allocated", "discharged", "reopened"], "reopened", "Reopened"),
        (["allocated", "discharged", "reopened", "discharged"], "discharged", "Discharged"),
    ],
)
def test_the_state_comes_from_the_history(kinds: list[str], state: str, text: str) -> None:
    events = [event(kind, n + 1) for n, kind in enumerate(kinds)]
    assert presenters.state_of(kinds[-1], events) == state
    assert presenters.state_tag(state)["text"] == text


def test_weeks_in_treatment() -> None:
    opened = dt.datetime(2026, 11, 3, 10, tzinfo=LONDON)
    assert presenters.weeks_in_treatment(opened, dt.date(2026, 11, 5)) == "Less than a week"
    assert presenters.weeks_in_treatment(opened, dt.date(2026, 11, 10)) == "1 week"
    assert presenters.weeks_in_treatment(opened, TODAY) == "4 weeks"


def test_summary_names_the_workers_people_and_an_overdue_review() -> None:
    found = record()
    found.episode.planned_review_on = dt.date(2026, 11, 20)
    rows = {row["key"]["text"]: row["value"] for row in presenters.summary_rows(found, today=TODAY, state="open")}
    assert str(rows["Working with the family"]["html"]) == "Pat Practitioner (lead practitioner)"
    assert rows["Opened"]["text"] == "Thursday 1 October 2026 (8 weeks in treatment)"
    assert "Ava Hughes, 6 months" in str(rows["Babies and children taking part"]["html"])
    assert "Jade Hughes (mother)" in str(rows["Parents and carers taking part"]["html"])
    assert "Overdue" in str(rows["Planned review"]["html"])
    assert 'href="/referrals/' in str(rows["Referral"]["html"])


def test_worker_rows_show_who_worked_when() -> None:
    rows = presenters.worker_rows(record().workers)
    assert [row[0]["text"] for row in rows] == ["Lee Lead", "Pat Practitioner"]
    assert rows[0][3]["text"] == "1 December 2026"
    assert rows[1][3]["text"] == "Now"


def test_appointments_split_into_upcoming_and_past_with_attendance_and_notes() -> None:
    soon, later = appointment(1), appointment(8)
    signed, draft, missed = appointment(-7, Attendance.ATTENDED), appointment(-2, Attendance.LATE_SEEN), appointment(-1)
    notes = {
        signed.pk: Note(status=NoteStatus.SIGNED, signed_at=NOW),
        draft.pk: Note(status=NoteStatus.DRAFT),
    }
    found = record(appointments=[later, signed, missed, soon, draft], notes=notes)
    upcoming, past = presenters.appointment_tables(found, now=NOW)
    assert [row[0]["html"] for row in upcoming] == [
        f'<a href="/appointments/{soon.pk}">Wednesday 2 December 2026, 12 noon</a>',
        f'<a href="/appointments/{later.pk}">Wednesday 9 December 2026, 12 noon</a>',
    ]
    assert upcoming[0][3]["text"] == "Booked"
    assert [row[3]["text"] for row in past] == ["Not recorded", "Arrived late but was seen", "Attended"]
    assert "Draft" in past[1][4]["html"]
    assert "Signed" in past[2][4]["html"]
    assert past[0][4]["text"] == "No note"


def test_a_note_waiting_for_countersignature_says_so() -> None:
    note = Note(status=NoteStatus.SIGNED, needs_countersignature=True)
    assert presenters.note_state(note) == "countersign"
    assert presenters.note_state(None) == ""


def test_contacts_attended_of_those_offered() -> None:
    found = [
        appointment(-5, Attendance.ATTENDED),
        appointment(-4, Attendance.LATE_SEEN),
        appointment(-3, Attendance.DID_NOT_ATTEND),
        appointment(-2, Attendance.CANCELLED_BY_FAMILY),
        appointment(-1, Attendance.CANCELLED_BY_SERVICE),
        appointment(2),
    ]
    assert presenters.contacts_attended(found) == (2, 4)


def test_goals_per_carer_with_latest_rating_and_history() -> None:
    found = record()
    jade = found.carers[0]
    rated = Goal(pk=uuid.uuid4(), carer=jade, description="Enjoy bath time")
    new = Goal(pk=uuid.uuid4(), carer=jade, description="Sleep better")
    former = Carer(pk=uuid.uuid4(), given_name="Sam", family_name="Hughes")
    theirs = Goal(pk=uuid.uuid4(), carer=former, description="Be at home more")
    ratings = {
        rated.pk: [
            GoalRating(score=3, rated_on=dt.date(2026, 10, 6)),
            GoalRating(score=7, rated_on=dt.date(2026, 11, 24)),
        ]
    }
    sections = presenters.goal_sections(record(carers=[jade], goals=[rated, new, theirs], ratings=ratings))
    assert [s.carer for s in sections] == ["Jade Hughes", "Sam Hughes (no longer taking part)"]
    first, second = sections[0].goals
    assert first.latest == "7 out of 10 on 24 November 2026"
    assert first.first == "3 out of 10 on 6 October 2026"
    assert first.history == "3 on 6 October 2026, 7 on 24 November 2026"
    assert second.latest == "Not rated yet"
    assert first.rate_url.endswith(f"/goals/{rated.pk}/rate")


def test_history_is_newest_first_with_the_discharge_reason() -> None:
    rows = presenters.history_rows(
        [
            event(EpisodeEvent.Kind.ALLOCATED, 1),
            event(EpisodeEvent.Kind.TRANSFERRED, 2, by=lee, note="Cover for leave"),
            event(EpisodeEvent.Kind.DISCHARGED, 3, reason=DischargeReason.MOVED_AWAY),
        ]
    )
    assert [row[1]["text"] for row in rows] == ["Discharged", "Transferred", "Allocated"]
    assert rows[0][3]["text"] == "Reason: Moved away"
    assert rows[1][2:] == [{"text": "Lee Lead"}, {"text": "Cover for leave"}]


def test_actions_follow_the_state_and_lead_to_the_outcome_measures(monkeypatch: pytest.MonkeyPatch) -> None:
    found = record().episode
    open_texts = [a["text"] for a in presenters.actions(found, state="open", can_transfer=False)]
    assert open_texts[:3] == [
        "Book an appointment",
        "Add a goal",
        "Change interventions, who takes part or the review date",
    ]
    assert "Discharge" in open_texts
    assert not any(t.startswith("Transfer") for t in open_texts)
    assert "Outcome measures and progress" in open_texts
    discharged = [a["text"] for a in presenters.actions(found, state="discharged", can_transfer=True)]
    assert discharged[:2] == ["Discharge letter", "Reopen the episode"]
    assert "Book an appointment" not in discharged
    lead_texts = [a["text"] for a in presenters.actions(found, state="reopened", can_transfer=True)]
    assert "Transfer to another practitioner or team" in lead_texts
    # Without the outcome measures app's pages the episode page still stands.
    monkeypatch.setattr(presenters, "_optional_url", lambda name, *args: None)
    without = [a["text"] for a in presenters.actions(found, state="open", can_transfer=True)]
    assert without[-1] == "Discharge"


def test_blockers_link_to_each_appointment() -> None:
    visit = appointment(-2)
    draft = Note(status=NoteStatus.DRAFT, appointment=visit)
    waiting = Note(status=NoteStatus.SIGNED, needs_countersignature=True, appointment=appointment(-9))
    booked = appointment(3, kind=ContactKind.VIDEO)
    links = presenters.blocker_links([draft, waiting], [booked])
    assert [link["text"] for link in links] == [
        "Have the note countersigned for the home visit on Sunday 22 November 2026, 12 noon",
        "Sign the note for the home visit on Sunday 29 November 2026, 12 noon",
        "Cancel or record the video call on Friday 4 December 2026, 12 noon",
    ]
    assert links[1]["href"] == f"/appointments/{visit.pk}"


def test_the_discharge_letter() -> None:
    jade = Carer(pk=uuid.uuid4(), given_name="Jade", family_name="Hughes", relationship="mother")
    goal = Goal(pk=uuid.uuid4(), carer=jade, description="Enjoy bath time")
    found = record(
        carers=[jade],
        goals=[goal],
        ratings={goal.pk: [GoalRating(score=2, rated_on=dt.date(2026, 10, 6)), GoalRating(score=8, rated_on=TODAY)]},
        appointments=[appointment(-20, Attendance.ATTENDED), appointment(-10, Attendance.DID_NOT_ATTEND)],
        discharge=CurrentDischarge(
            reason=DischargeReason.COMPLETED,
            summary="First paragraph.\n\nSecond paragraph.",
            discharged_at=NOW,
            by="Pat Practitioner",
        ),
    )
    letter = presenters.discharge_letter(found, today=TODAY)
    assert letter.to_lines == ["Jo Bloggs", "Health visitor", "Example Community Health"]
    assert letter.dear == "Jo Bloggs"
    assert letter.copy_to == "GP: Beech Tree Surgery"
    assert letter.dated == "1 December 2026"
    assert "Ava Hughes and Jade Hughes to the Example PAIRS (reference PIR-0001)" in letter.opening
    assert "from 1 October 2026 to 1 December 2026" in letter.opening
    assert letter.contacts == "The family attended 1 of the 2 appointments offered."
    assert letter.goal_rows == [
        [
            {"text": "Jade Hughes"},
            {"text": "Enjoy bath time"},
            {"text": "2 out of 10 on 6 October 2026"},
            {"text": "8 out of 10 on 1 December 2026"},
        ]
    ]
    assert letter.reason == "Work completed"
    assert letter.summary == ["First paragraph.", "Second paragraph."]
    assert (letter.signed_name, letter.signed_role, letter.signed_team) == (
        "Pat Practitioner",
        "Lead practitioner",
        "Example hub team, Example PAIRS",
    )
    assert any("NHS number" in row["value"]["text"] for row in letter.about_rows)


def test_a_self_referral_letter_goes_to_the_parent() -> None:
    found = record(
        discharge=CurrentDischarge(reason=DischargeReason.DISENGAGED, summary="x", discharged_at=NOW, by="Pat")
    )
    found.episode.referral.kind = ReferralKind.SELF
    found.episode.referral.referrer_name = "Jade Hughes"
    found.episode.family.gp_practice = ""
    letter = presenters.discharge_letter(found, today=TODAY)
    assert letter.to_lines == ["Jade Hughes"]
    assert letter.copy_to == "GP practice: not recorded"
    assert letter.contacts == "No appointments were offered."
