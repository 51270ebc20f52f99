"""What the supervision pages show, built from models without touching the database."""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.html import format_html

from attune.accounts.models import User
from attune.care.models import Episode, Note
from attune.core.formatting import date_long, datetime_long, local_day, paragraphs, plural
from attune.core.rows import SummaryRow, TableRow
from attune.families.naming import family_title
from attune.families.presenters import tag_html
from attune.organisations.models import Service
from attune.referrals.models import SINCE_THE_START
from attune.supervision import standard as standards
from attune.supervision.models import (
    CaseDiscussion,
    NoteReturn,
    SessionFormat,
    SessionKind,
    SupervisionAction,
    SupervisionSession,
    SupervisionStandardSetting,
)
from attune.supervision.queries import Supervised
from attune.supervision.standard import Compliance, Status, compliance
from attune.supervision.standard_scope import StandardPlace

Cell = dict[str, Any]

STATUS_COLOURS = {Status.ON_TRACK: "green", Status.DUE: "yellow", Status.OVERDUE: "red"}
SESSIONS_HEAD = [
    {"text": "Date"},
    {"text": "Type"},
    {"text": "Supervisor"},
    {"text": "Supervised"},
    {"text": "Length"},
    {"text": "Open actions"},
]
COMPLIANCE_HEAD = [
    {"text": "Name"},
    {"text": "Needs"},
    {"text": "This period"},
    {"text": "Last supervision"},
    {"text": "Status"},
]
COUNTERSIGN_HEAD = [{"text": "Trainee"}, {"text": "Family"}, {"text": "Contact"}, {"text": "Waiting"}]


def minutes_text(minutes: int) -> str:
    """90 -> '1 hour 30 minutes', 45 -> '45 minutes', 120 -> '2 hours'."""
    hours, rest = divmod(minutes, 60)
    parts = ([plural(hours, "hour", "hours")] if hours else []) + ([plural(rest, "minute", "minutes")] if rest else [])
    return " ".join(parts) or "0 minutes"


def session_url(session_id: uuid.UUID) -> str:
    return reverse("supervision:session", args=[session_id])


def session_title(session: SupervisionSession) -> str:
    return f"{SessionKind(session.kind).label} supervision on {date_long(session.held_on)}"


def session_rows(sessions: Iterable[SupervisionSession]) -> list[TableRow]:
    rows: list[TableRow] = []
    for session in sessions:
        names = ", ".join(a.supervisee.full_name for a in session.attendees.all())
        open_actions = getattr(session, "open_action_count", 0)
        rows.append(
            [
                {
                    "html": format_html(
                        '<a href="{}">{}<span class="nhsuk-u-visually-hidden"> supervision</span></a>',
                        session_url(session.pk),
                        date_long(session.held_on),
                    )
                },
                {"text": f"{SessionKind(session.kind).label}, {SessionFormat(session.format).label.lower()}"},
                {"text": session.supervisor.full_name},
                {"text": names},
                {"text": minutes_text(session.duration_minutes)},
                {"text": str(open_actions) if open_actions else "None"},
            ]
        )
    return rows


def episode_label(episode: Episode) -> str:
    held = ", ".join(worker.practitioner.full_name for worker in getattr(episode, "held_by", []))
    label = f"{family_title(episode.family)} – {episode.team.name}"
    return f"{label} (with {held})" if held else label


def session_summary(session: SupervisionSession) -> TableRow:
    people = ", ".join(a.supervisee.full_name for a in session.attendees.all())
    return [
        {"key": {"text": "Date"}, "value": {"text": date_long(session.held_on)}},
        {"key": {"text": "Type"}, "value": {"text": SessionKind(session.kind).label}},
        {"key": {"text": "Held"}, "value": {"text": SessionFormat(session.format).label}},
        {"key": {"text": "Length"}, "value": {"text": minutes_text(session.duration_minutes)}},
        {"key": {"text": "Supervisor"}, "value": {"text": session.supervisor.full_name}},
        {"key": {"text": "Supervised"}, "value": {"text": people}},
    ]


def discussion_items(discussions: Iterable[CaseDiscussion], work_team_ids: set[uuid.UUID]) -> list[dict[str, Any]]:
    """Each family discussed; a link to the episode for those whose team the person works in."""
    items = []
    for discussion in discussions:
        episode = discussion.episode
        title = family_title(episode.family)
        url = reverse("care:episode", args=[episode.pk]) if episode.team_id in work_team_ids else ""
        items.append({"title": title, "team": episode.team.name, "url": url, "summary": discussion.summary})
    return items


def action_items(actions: Iterable[SupervisionAction], viewer: User, supervisor_id: uuid.UUID) -> list[dict[str, Any]]:
    items = []
    for action in actions:
        done = action.done_at is not None
        status = (
            tag_html(f"Done {date_long(action.done_at)}", "green")
            if done
            else tag_html(f"Due {date_long(action.due_on)}", "blue")
        )
        items.append(
            {
                "id": str(action.pk),
                "description": action.description,
                "owner": action.owner.full_name,
                "status": status,
                "done_note": action.done_note,
                "can_complete": not done and viewer.pk in (action.owner_id, supervisor_id),
                "complete_url": reverse("supervision:complete_action", args=[action.session_id, action.pk]),
            }
        )
    return items


def status_tag(result: Compliance) -> str:
    return tag_html(result.status_label, STATUS_COLOURS[result.status])


def compliance_of(person: Supervised, today: dt.date) -> Compliance:
    experience = person.experience
    return compliance(
        experience_since=experience.under_twos_experience_since if experience else None,
        weekly_hours=experience.weekly_hours if experience else None,
        sessions=person.sessions,
        today=today,
        standard=person.standard,
        counting_from=person.joined_on,
    )


def compliance_rows(people: Iterable[Supervised], today: dt.date) -> list[TableRow]:
    rows: list[TableRow] = []
    for person in people:
        result = compliance_of(person, today)
        needs = result.requirement.label
        if person.experience is None:
            needs += " (experience not recorded)"
        teams = ", ".join(team.name for team in person.teams)
        rows.append(
            [
                {
                    "html": format_html(
                        '{}<br><span class="nhsuk-body-s">{}, {}</span>', person.person.full_name, person.role, teams
                    )
                },
                {"text": needs},
                {
                    "text": f"{minutes_text(result.minutes_this_period)} of {minutes_text(result.requirement.minutes)}, "
                    f"{date_long(result.period_start)} to {date_long(result.period_end)}"
                },
                {"text": date_long(person.last_held_on) if person.last_held_on else "None recorded"},
                {"html": status_tag(result)},
            ]
        )
    return rows


def status_counts(people: Iterable[Supervised], today: dt.date) -> dict[str, int]:
    counts = {status.value: 0 for status in Status}
    for person in people:
        counts[compliance_of(person, today).status.value] += 1
    return counts


def age_in_days(signed_at: dt.datetime | None, today: dt.date) -> int:
    if signed_at is None:
        return 0
    return (today - local_day(signed_at)).days


def countersign_rows(notes: Iterable[Note], today: dt.date) -> list[TableRow]:
    rows: list[TableRow] = []
    for note in notes:
        appointment = note.appointment
        days = age_in_days(note.signed_at, today)
        waiting = "Signed today" if days == 0 else plural(days, "day", "days")
        rows.append(
            [
                {"text": note.author.full_name},
                {"text": f"{family_title(appointment.episode.family)} – {appointment.episode.team.name}"},
                {
                    "html": format_html(
                        '<a href="{}">{}<span class="nhsuk-u-visually-hidden">: countersign {}\'s note</span></a>',
                        reverse("care:appointment", args=[appointment.pk]),
                        date_long(appointment.starts_at),
                        note.author.full_name,
                    )
                },
                {"html": tag_html(waiting, "red" if days > 7 else "grey") if days > 2 else waiting},
            ]
        )
    return rows


def caseload_rows(episodes: Iterable[Episode]) -> list[TableRow]:
    rows: list[TableRow] = []
    for episode in episodes:
        leads = ", ".join(w.practitioner.full_name for w in getattr(episode, "leads", []))
        interventions = ", ".join(i.name for i in episode.interventions.all())
        family_cell: Cell = (
            {
                "html": format_html(
                    '<a href="{}">{}</a>', reverse("care:episode", args=[episode.pk]), family_title(episode.family)
                )
            }
            if getattr(episode, "linkable", False)
            else {"text": family_title(episode.family)}
        )
        rows.append(
            [
                family_cell,
                {"text": episode.team.name},
                {"text": leads or "No lead"},
                {"text": interventions or "Not yet chosen"},
                {"text": date_long(episode.opened_at)},
            ]
        )
    return rows


CASELOAD_HEAD = [
    {"text": "Family"},
    {"text": "Team"},
    {"text": "Lead practitioner"},
    {"text": "Intervention"},
    {"text": "Allocated"},
]


def caseload_url(user_id: uuid.UUID) -> str:
    return reverse("supervision:supervisee_caseload", args=[user_id])


def action_task_link(task: Any) -> str:
    """A supervision action's task: the session where it was agreed (core.links)."""
    return reverse("supervision:session", args=[task.facts["session"]])


# A note's review: its history, returns with comments and answers ------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    heading: str  # "Returned with comments by Sam Supervisor"
    when: str
    paragraphs: list[str]


def note_history(note: Note, returns: Iterable[NoteReturn]) -> list[HistoryEntry]:
    """Signed, each return with its comments, each addendum, countersigned: oldest first."""
    timed: list[tuple[dt.datetime, int, HistoryEntry]] = []
    if note.signed_at is not None:
        timed.append(
            (note.signed_at, 0, HistoryEntry(f"Signed by {note.author.full_name}", datetime_long(note.signed_at), []))
        )
    answers = set()
    for returned in returns:
        if returned.answer_id is not None:
            answers.add(returned.answer_id)
        heading = f"Returned with comments by {returned.returned_by.full_name}"
        timed.append(
            (
                returned.returned_at,
                1,
                HistoryEntry(heading, datetime_long(returned.returned_at), paragraphs(returned.comments)),
            )
        )
    for addendum in note.addenda.all():
        heading = f"Addendum by {addendum.author.full_name}"
        if addendum.pk in answers:
            heading += ", answering the comments"
        timed.append(
            (
                addendum.created_at,
                2,
                HistoryEntry(heading, datetime_long(addendum.created_at), paragraphs(addendum.body)),
            )
        )
    if note.countersigned_at is not None and note.countersigned_by is not None:
        timed.append(
            (
                note.countersigned_at,
                3,
                HistoryEntry(
                    f"Countersigned by {note.countersigned_by.full_name}", datetime_long(note.countersigned_at), []
                ),
            )
        )
    return [entry for _, _, entry in sorted(timed, key=lambda item: (item[0], item[1]))]


def returned_task_link(task: Any) -> str:
    """A note returned with comments: answered on its review page (core.links)."""
    return reverse("supervision:note", args=[task.facts["appointment"]]) + "#answer"


# The supervision standard -----------------------------------------------------------------------


def standard_url(service_id: uuid.UUID) -> str:
    return reverse("supervision:standard", args=[service_id])


SUPERVISION = "of clinical supervision"


def standard_sentence(standard: standards.Standard) -> str:
    """'at least 60 minutes of clinical supervision every week for …', for the compliance pages."""
    return f"at least {standards.describe(standard, of=SUPERVISION)}."


def standards_stated(people: Iterable[Supervised]) -> list[str]:
    """The standards the people are measured against, one sentence each; each names its service
    when they are not all the same."""
    found: dict[str, set[standards.Standard]] = {}
    for person in people:
        found.setdefault(person.service_name, set()).add(person.standard)
    distinct = {standard for held in found.values() for standard in held}
    if len(distinct) == 1:
        return [standard_sentence(distinct.pop())]
    return [
        f"{service}: {standards.describe(standard, of=SUPERVISION)}."
        for service, held in sorted(found.items())
        for standard in sorted(held, key=standards.describe)
    ]


def _applies(day: dt.date) -> str:
    return "From the start" if day <= SINCE_THE_START else f"From {date_long(day)}"


def _hours(hours: Decimal) -> str:
    return f"{hours.normalize():f} hours"


@dataclass(frozen=True)
class StandardPage:
    """The service's supervision standard: in force today, its changes, and where to go back to."""

    place: StandardPlace
    changes: list[SupervisionStandardSetting]  # oldest first
    today: dt.date

    @property
    def service(self) -> Service:
        return self.place.service

    @property
    def in_force_row(self) -> SupervisionStandardSetting | None:
        return next((row for row in reversed(self.changes) if row.effective_from <= self.today), None)

    @property
    def now(self) -> standards.Standard:
        row = self.in_force_row
        return row.as_standard() if row is not None else standards.PARENT_INFANT_FOUNDATION

    @property
    def now_text(self) -> str:
        return standards.describe(self.now)

    @property
    def is_foundation_standard(self) -> bool:
        return self.now == standards.PARENT_INFANT_FOUNDATION

    @property
    def back(self) -> dict[str, str]:
        if self.place.settings_team is not None:
            return {
                "href": reverse("referrals:team_settings", args=[self.place.settings_team.pk]),
                "text": "Back to team settings",
            }
        if self.place.compliance_team is not None:
            return {
                "href": reverse("supervision:compliance", args=[self.place.compliance_team.pk]),
                "text": "Back to supervision against the standard",
            }
        return {"href": reverse("dashboards:home"), "text": "Back to your home page"}

    def summary_rows(self) -> list[SummaryRow]:
        now = self.now
        years = now.experienced_after_years
        return [
            {
                "key": {"text": "Supervision each week or fortnight"},
                "value": {"text": minutes_text(now.minutes_per_period)},
            },
            {
                "key": {"text": "With less experience"},
                "value": {"text": f"Every {standards.PERIOD_WORDS[now.less_experienced_period]}"},
            },
            {
                "key": {"text": "Experience with under-2s that counts as more"},
                "value": {"text": plural(years, "year", "years") if years else "Any (experience makes no difference)"},
            },
            {
                "key": {"text": "With more experience"},
                "value": {"text": f"Every {standards.PERIOD_WORDS[now.experienced_period]}"},
            },
            {"key": {"text": "Full time, for pro rata"}, "value": {"text": _hours(now.full_time_hours) + " a week"}},
        ]

    def history_rows(self) -> list[TableRow]:
        """Each version of the standard, newest first, with when it applies."""
        in_force = self.in_force_row
        rows: list[TableRow] = []
        for row in reversed(self.changes):
            state = "Future" if row.effective_from > self.today else ("In force" if row is in_force else "Past")
            rows.append(
                [
                    {"text": _applies(row.effective_from)},
                    {"text": state},
                    {"text": standards.describe(row.as_standard())},
                ]
            )
        return rows

    def initial(self) -> dict[str, Any]:
        """The form starts from the standard in force today, from today."""
        now = self.now
        return {
            "minutes_per_period": str(now.minutes_per_period),
            "less_experienced_period": str(now.less_experienced_period),
            "experienced_after_years": str(now.experienced_after_years),
            "experienced_period": str(now.experienced_period),
            "full_time_hours": f"{now.full_time_hours.normalize():f}",
            "effective_from": self.today,
        }
