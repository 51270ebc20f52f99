"""What the episode pages show, built from an EpisodeRecord (care.scope) without touching the
database: the state as a tag, the summary list, who worked with the family when, goals and their
ratings, the appointments, the history, the actions open to the person, and the discharge letter."""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from attune.care.codes import ATTENDED, Attendance, DischargeReason, WorkerRole
from attune.care.models import Appointment, Episode, EpisodeEvent, EpisodeWorker, Goal, GoalRating, Note
from attune.care.pages import CurrentDischarge, EpisodeRecord
from attune.core.formatting import date_long, datetime_short, day_long, local_day, paragraphs, plural, time_short
from attune.core.rows import Cell, SummaryRow, TableRow
from attune.families import presenters as family_presenters
from attune.families.models import Carer, Infant
from attune.families.presenters import RecordSection, tag_html
from attune.referrals.models import Referral, ReferralKind

BR = mark_safe("<br>")


def when_long(moment: dt.datetime) -> str:
    """'Tuesday 1 December 2026, 10:30am'"""
    return f"{day_long(moment)}, {time_short(moment)}"


def _optional_url(name: str, *args: object) -> str | None:
    """Pages of apps that build on the care pathway (outcome measures): linked by name, never
    imported, so the episode page stands without them."""
    try:
        return reverse(name, args=list(args))
    except NoReverseMatch:
        return None


def _measures(pk: object) -> list[dict[str, str]]:
    links = [
        ("Outcome measures and progress", "outcomes:progress"),
        ("Enter a questionnaire or rating", "outcomes:choose"),
        ("Send questionnaires to a parent's phone", "outcomes:episode_links"),
    ]
    return [{"text": text, "href": href} for text, name in links if (href := _optional_url(name, pk))]


def episode_url(episode: Episode) -> str:
    return reverse("care:episode", args=[episode.pk])


def details_url(episode: Episode) -> str:
    return reverse("care:episode_details", args=[episode.pk])


# The state ------------------------------------------------------------------------------------

STATE_TAGS = {
    "open": ("Open", "green"),
    "reopened": ("Reopened", "blue"),
    "discharged": ("Discharged", "grey"),
}


def state_of(latest: str, events: Iterable[EpisodeEvent]) -> str:
    """'open', 'reopened' (open again after a discharge) or 'discharged'."""
    if latest == EpisodeEvent.Kind.DISCHARGED:
        return "discharged"
    if any(event.kind == EpisodeEvent.Kind.REOPENED for event in events):
        return "reopened"
    return "open"


def state_tag(state: str) -> dict[str, str]:
    text, colour = STATE_TAGS[state]
    return {"text": text, "classes": f"nhsuk-tag--{colour}"}


def weeks_in_treatment(opened_at: dt.datetime, until: dt.date) -> str:
    days = (until - local_day(opened_at)).days
    if days < 7:
        return "Less than a week"
    return plural(days // 7, "week", "weeks")


def family_episodes_section(episodes: Iterable[Episode]) -> RecordSection:
    """The family page's list of episodes: when each opened, the team, the lead, and its state.
    Each episode comes from care.scope.for_family (state and the lead's name loaded)."""
    rows: list[TableRow] = []
    for episode in episodes:
        lead = getattr(episode, "lead_name", None)
        discharged = getattr(episode, "last_event", None) == EpisodeEvent.Kind.DISCHARGED
        text, colour = STATE_TAGS["discharged" if discharged else "open"]
        rows.append(
            [
                {"html": format_html('<a href="{}">{}</a>', episode_url(episode), episode_link_text(episode, lead))},
                {"text": episode.team.name},
                {"text": lead or "Nobody yet"},
                {"html": tag_html(text, colour)},
            ]
        )
    return RecordSection(
        heading="Episodes of care",
        caption="Episodes of care for this family, newest first",
        head=[{"text": "Episode"}, {"text": "Team"}, {"text": "Lead practitioner"}, {"text": "State"}],
        rows=rows,
        empty="This family has no episode of care in the teams you work in.",
    )


def episode_link_text(episode: Episode, lead: str | None) -> str:
    """'Blackpool hub team episode, opened 25 September 2026, lead practitioner Jane Smith': a
    link that says which episode it is when read alone, as a screen reader's list of links does."""
    who = f"lead practitioner {lead}" if lead else "no lead practitioner yet"
    return f"{episode.team.name} episode, opened {date_long(episode.opened_at)}, {who}"


# The summary ----------------------------------------------------------------------------------


def current_workers(workers: Iterable[EpisodeWorker]) -> list[EpisodeWorker]:
    """Lead first, then co-workers."""
    now = [w for w in workers if w.ended_at is None]
    return sorted(now, key=lambda w: (w.role != WorkerRole.LEAD, w.started_at))


def lead_practitioner(workers: list[EpisodeWorker]) -> EpisodeWorker | None:
    """The lead now, or the last one if nobody leads it now."""
    leads = [w for w in workers if w.role == WorkerRole.LEAD]
    current = [w for w in leads if w.ended_at is None]
    if current:
        return current[-1]
    return max(leads, key=lambda w: w.started_at, default=None)


def _lines(items: list[str], empty: str) -> Cell:
    if not items:
        return {"text": empty}
    return {"html": format_html_join(BR, "{}", ((item,) for item in items))}


def infant_line(infant: Infant, today: dt.date) -> str:
    return f"{infant.display_name}, {family_presenters.baby_age(infant, today)}"


def carer_line(carer: Carer) -> str:
    return f"{carer.full_name} ({carer.get_relationship_display().lower()})"


def summary_rows(record: EpisodeRecord, *, today: dt.date, state: str) -> list[SummaryRow]:
    episode = record.episode
    referral = episode.referral
    until = local_day(record.discharge.discharged_at) if record.discharge else today
    opened = f"{day_long(episode.opened_at)} ({weeks_in_treatment(episode.opened_at, until)}"
    opened += " in treatment)" if state != "discharged" else " in treatment until discharge)"
    workers = current_workers(record.workers)
    review: Cell = {"text": "Not set"}
    if episode.planned_review_on is not None:
        review = {"text": day_long(episode.planned_review_on)}
        if episode.planned_review_on < today and state != "discharged":
            review = {"html": format_html("{} {}", day_long(episode.planned_review_on), tag_html("Overdue", "red"))}
    return [
        {"key": {"text": "Team"}, "value": {"text": episode.team.name}},
        {
            "key": {"text": "Referral"},
            "value": {
                "html": format_html(
                    '<a href="{}">{}</a>', reverse("referrals:referral", args=[referral.pk]), referral.reference
                )
            },
        },
        {"key": {"text": "Opened"}, "value": {"text": opened}},
        {
            "key": {"text": "Working with the family"},
            "value": _lines(
                [f"{w.practitioner.full_name} ({w.get_role_display().lower()})" for w in workers], "Nobody"
            ),
        },
        {"key": {"text": "Interventions"}, "value": _lines([i.name for i in record.interventions], "None chosen")},
        {
            "key": {"text": "Babies and children taking part"},
            "value": _lines([infant_line(i, today) for i in record.infants], "None"),
        },
        {
            "key": {"text": "Parents and carers taking part"},
            "value": _lines([carer_line(c) for c in record.carers], "None"),
        },
        {"key": {"text": "Planned review"}, "value": review},
    ]


def worker_rows(workers: Iterable[EpisodeWorker]) -> list[TableRow]:
    """Everyone who has worked with the family in this episode, earliest first."""
    return [
        [
            {"text": w.practitioner.full_name},
            {"text": w.get_role_display()},
            {"text": date_long(w.started_at)},
            {"text": date_long(w.ended_at) if w.ended_at else "Now"},
        ]
        for w in sorted(workers, key=lambda w: w.started_at)
    ]


# Goals ----------------------------------------------------------------------------------------


def rating_text(rating: GoalRating) -> str:
    return f"{rating.score} out of 10 on {date_long(rating.rated_on)}"


@dataclass(frozen=True)
class GoalView:
    description: str
    latest: str
    history: str
    rate_url: str
    first: str


@dataclass(frozen=True)
class CarerGoals:
    carer: str
    goals: list[GoalView] = field(default_factory=list)


def goal_view(episode_id: uuid.UUID, goal: Goal, ratings: list[GoalRating]) -> GoalView:
    latest = ratings[-1] if ratings else None
    return GoalView(
        description=goal.description,
        latest=rating_text(latest) if latest else "Not rated yet",
        history=", ".join(f"{r.score} on {date_long(r.rated_on)}" for r in ratings),
        rate_url=reverse("care:rate_goal", args=[episode_id, goal.pk]),
        first=rating_text(ratings[0]) if ratings else "Not rated yet",
    )


def goal_sections(record: EpisodeRecord) -> list[CarerGoals]:
    """Each carer taking part with their goals, then anyone with goals who no longer takes part."""
    by_carer: dict[uuid.UUID, list[Goal]] = {}
    for goal in record.goals:
        by_carer.setdefault(goal.carer_id, []).append(goal)
    names = {c.pk: c.full_name for c in record.carers}
    for goal in record.goals:
        if goal.carer_id not in names:
            names[goal.carer_id] = f"{goal.carer.full_name} (no longer taking part)"
    order = [c.pk for c in record.carers] + [pk for pk in by_carer if pk not in {c.pk for c in record.carers}]
    return [
        CarerGoals(
            carer=names[pk],
            goals=[goal_view(record.episode.pk, g, record.ratings.get(g.pk, [])) for g in by_carer.get(pk, [])],
        )
        for pk in order
    ]


# Appointments ---------------------------------------------------------------------------------

NOTE_TAGS = {
    "draft": ("Draft", "orange"),
    "countersign": ("Waiting for countersignature", "yellow"),
    "signed": ("Signed", "green"),
}


def note_state(note: Note | None) -> str:
    if note is None:
        return ""
    if note.status == "draft":
        return "draft"
    return "countersign" if note.awaiting_countersignature else "signed"


def _note_cell(note: Note | None, upcoming: bool) -> Cell:
    state = note_state(note)
    if not state:
        return {"text": "" if upcoming else "No note"}
    text, colour = NOTE_TAGS[state]
    return {"html": tag_html(text, colour)}


def _attendance_cell(appointment: Appointment, upcoming: bool) -> Cell:
    if appointment.attendance:
        return {"text": appointment.get_attendance_display()}
    return {"text": "Booked" if upcoming else "Not recorded"}


def _who(appointment: Appointment) -> str:
    names = [appointment.practitioner.full_name]
    if appointment.second_practitioner_id and appointment.second_practitioner:
        names.append(appointment.second_practitioner.full_name)
    return " and ".join(names)


def appointment_row(appointment: Appointment, note: Note | None, *, upcoming: bool) -> TableRow:
    link = format_html(
        '<a href="{}">{}</a>', reverse("care:appointment", args=[appointment.pk]), when_long(appointment.starts_at)
    )
    return [
        {"html": link},
        {"text": appointment.get_kind_display()},
        {"text": _who(appointment)},
        _attendance_cell(appointment, upcoming),
        _note_cell(note, upcoming),
    ]


def appointment_tables(record: EpisodeRecord, *, now: dt.datetime) -> tuple[list[TableRow], list[TableRow]]:
    """(upcoming, soonest first; past, newest first)."""
    upcoming = [a for a in record.appointments if a.starts_at >= now]
    past = [a for a in record.appointments if a.starts_at < now]
    return (
        [
            appointment_row(a, record.notes.get(a.pk), upcoming=True)
            for a in sorted(upcoming, key=lambda a: a.starts_at)
        ],
        [
            appointment_row(a, record.notes.get(a.pk), upcoming=False)
            for a in sorted(past, key=lambda a: a.starts_at, reverse=True)
        ],
    )


def contacts_attended(appointments: Iterable[Appointment]) -> tuple[int, int]:
    """(attended, offered): offered leaves out what the service cancelled and what is still to come."""
    offered = [a for a in appointments if a.attendance and a.attendance != Attendance.CANCELLED_BY_SERVICE.value]
    return sum(1 for a in offered if a.attendance in ATTENDED), len(offered)


# History --------------------------------------------------------------------------------------


def _event_note(event: EpisodeEvent) -> str:
    if event.kind == EpisodeEvent.Kind.DISCHARGED:
        reason = (event.detail or {}).get("reason", "")
        label = DischargeReason(reason).label if reason in DischargeReason.values else ""
        return f"Reason: {label}" if label else event.note
    return event.note


def history_rows(events: Iterable[EpisodeEvent]) -> list[TableRow]:
    """Newest first."""
    ordered = sorted(events, key=lambda e: (e.at, e.pk or 0), reverse=True)
    return [
        [
            {"text": datetime_short(e.at)},
            {"text": e.get_kind_display()},
            {"text": e.by.full_name},
            {"text": _event_note(e)},
        ]
        for e in ordered
    ]


def discharge_rows(discharge: CurrentDischarge) -> list[SummaryRow]:
    return [
        {"key": {"text": "Discharged"}, "value": {"text": f"{day_long(discharge.discharged_at)} by {discharge.by}"}},
        {"key": {"text": "Reason"}, "value": {"text": reason_label(discharge.reason)}},
        {
            "key": {"text": "Summary for the referrer and GP"},
            "value": {"html": format_html_join("", "<p>{}</p>", ((p,) for p in paragraphs(discharge.summary)))},
        },
    ]


def reason_label(reason: str) -> str:
    return str(DischargeReason(reason).label) if reason in DischargeReason.values else reason


# What the person can do -----------------------------------------------------------------------


def actions(episode: Episode, *, state: str, can_transfer: bool) -> list[dict[str, str]]:
    """Links to each action open now, then to the episode's outcome measures."""
    pk = episode.pk
    if state == "discharged":
        return [
            {"text": "Discharge letter", "href": reverse("care:discharge_letter", args=[pk])},
            {"text": "Reopen the episode", "href": reverse("care:reopen", args=[pk])},
            *_measures(pk),
        ]
    found = [
        {"text": "Book an appointment", "href": reverse("care:book", args=[pk])},
        {"text": "Add a goal", "href": reverse("care:add_goal", args=[pk])},
        {
            "text": "Change interventions, who takes part or the review date",
            "href": reverse("care:episode_details", args=[pk]),
        },
    ]
    if can_transfer:
        found.append({"text": "Transfer to another practitioner or team", "href": reverse("care:transfer", args=[pk])})
    found.append({"text": "Discharge", "href": reverse("care:discharge", args=[pk])})
    return [*found, *_measures(pk)]


# Before a discharge ---------------------------------------------------------------------------


def blocker_links(unfinished: Iterable[Note], booked: Iterable[Appointment]) -> list[dict[str, str]]:
    """What must be done before the family can be discharged, each linking to its appointment."""
    links = []
    for note in sorted(unfinished, key=lambda n: n.appointment.starts_at):
        what = "Sign the note" if note.status == "draft" else "Have the note countersigned"
        links.append(
            {
                "text": f"{what} for {appointment_label(note.appointment)}",
                "href": reverse("care:appointment", args=[note.appointment_id]),
            }
        )
    for appointment in booked:
        links.append(
            {
                "text": f"Cancel or record {appointment_label(appointment)}",
                "href": reverse("care:appointment", args=[appointment.pk]),
            }
        )
    return links


def booked_list(booked: Iterable[Appointment]) -> list[dict[str, str]]:
    """The appointments still booked, as the discharge page lists them, each linking to its page."""
    return [
        {
            "text": f"{appointment.get_kind_display()} on {when_long(appointment.starts_at)}"
            + (f" with {appointment.practitioner.full_name}" if appointment.practitioner_id else ""),
            "href": reverse("care:appointment", args=[appointment.pk]),
        }
        for appointment in booked
    ]


def discharged_message(title: str, cancelled: int) -> str:
    done = f"{title} is discharged. The discharge letter is ready to print."
    if not cancelled:
        return done
    return f"{plural(cancelled, 'appointment', 'appointments')} cancelled. {done}"


def appointment_label(appointment: Appointment) -> str:
    """'the home visit on Tuesday 1 December 2026, 10:30am'"""
    return f"the {appointment.get_kind_display().lower()} on {when_long(appointment.starts_at)}"


# The discharge letter -------------------------------------------------------------------------


@dataclass(frozen=True)
class DischargeLetter:
    to_lines: list[str]
    dear: str
    copy_to: str
    dated: str
    about_rows: list[SummaryRow]
    opening: str
    interventions: list[str]
    contacts: str
    goal_rows: list[TableRow]
    reason: str
    summary: list[str]
    signed_name: str
    signed_role: str
    signed_team: str


def _addressee(referral: Referral) -> tuple[list[str], str]:
    if referral.kind == ReferralKind.SELF:
        name = referral.referrer_name or "The parent or carer"
        return [name], name
    lines = [part for part in [referral.referrer_name, referral.referrer_role, referral.referrer_organisation] if part]
    return lines or ["The referrer"], referral.referrer_name or "Colleague"


def _about_rows(record: EpisodeRecord, today: dt.date) -> list[SummaryRow]:
    rows: list[SummaryRow] = []
    for infant in record.infants:
        born = (
            f"born {date_long(infant.date_of_birth)}"
            if infant.date_of_birth
            else f"due {date_long(infant.expected_due_date)}"
        )
        rows.append(
            {
                "key": {"text": "Baby or child"},
                "value": {
                    "text": f"{infant.display_name}, {born}. NHS number: {family_presenters.nhs_number_text(infant)}"
                },
            }
        )
    for carer in record.carers:
        rows.append(
            {
                "key": {"text": "Parent or carer"},
                "value": {"text": f"{carer_line(carer)}. NHS number: {family_presenters.nhs_number_text(carer)}"},
            }
        )
    address = record.episode.family.address
    rows.append({"key": {"text": "Address"}, "value": {"text": address or "Not recorded"}})
    return rows


def discharge_letter(record: EpisodeRecord, *, today: dt.date) -> DischargeLetter:
    episode = record.episode
    discharge = record.discharge
    assert discharge is not None, "Only a discharged episode has a discharge letter"
    referral = episode.referral
    to_lines, dear = _addressee(referral)
    service = episode.team.service.name
    names = [i.display_name for i in record.infants] + [c.full_name for c in record.carers]
    who = " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else (names[0] if names else "the family")
    attended, offered = contacts_attended(record.appointments)
    lead = lead_practitioner(record.workers)
    goal_rows = [
        [{"text": section.carer}, {"text": goal.description}, {"text": goal.first}, {"text": goal.latest}]
        for section in goal_sections(record)
        for goal in section.goals
    ]
    gp = episode.family.gp_practice
    return DischargeLetter(
        to_lines=to_lines,
        dear=dear,
        copy_to=f"GP: {gp}" if gp else "GP practice: not recorded",
        dated=date_long(discharge.discharged_at),
        about_rows=_about_rows(record, today),
        opening=(
            f"Thank you for referring {who} to the {service} (reference {referral.reference}). "
            f"We worked with the family from {date_long(episode.opened_at)} to {date_long(discharge.discharged_at)}, "
            f"and they have now been discharged."
        ),
        interventions=[i.name for i in record.interventions],
        contacts=(
            f"The family attended {attended} of the {plural(offered, 'appointment', 'appointments')} offered."
            if offered
            else "No appointments were offered."
        ),
        goal_rows=goal_rows,
        reason=reason_label(discharge.reason),
        summary=paragraphs(discharge.summary),
        signed_name=lead.practitioner.full_name if lead else discharge.by,
        signed_role=lead.get_role_display() if lead else "",
        signed_team=f"{episode.team.name}, {service}",
    )
