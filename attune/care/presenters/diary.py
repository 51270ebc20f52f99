"""What the diary, site diary and appointment pages show, built from models without touching the
database: the week and its days, each appointment as a table row, attendance and note status as
tags, the appointment's summary, lone working and the note with its addenda."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from attune.accounts.models import User
from attune.care.codes import AT_A_SITE, Attendance, ContactKind
from attune.care.models import Addendum, Appointment, Note, NoteStatus, Room
from attune.care.presenters import interpreters
from attune.core.formatting import LONDON, date_long, datetime_long, day_long, local_day, paragraphs, time_short
from attune.core.rows import Cell, SummaryRow, TableRow
from attune.families.models import Carer, Infant
from attune.families.naming import family_title
from attune.families.presenters import Banner, tag_html
from attune.notifications.models import Message
from attune.notifications.presenters import how_sent
from attune.organisations.models import Site, Team

BR = mark_safe("<br>")

# The week -------------------------------------------------------------------------------------


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def chosen_week(value: str | None, today: dt.date) -> dt.date:
    """The Monday of the week holding ?week=YYYY-MM-DD, or of this week if it is missing or wrong."""
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        day = today
    return monday_of(day)


def week_bounds(monday: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Midnight at the start of Monday to midnight at the end of Sunday, London time."""
    starts = dt.datetime.combine(monday, dt.time(0), tzinfo=LONDON)
    ends = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(0), tzinfo=LONDON)
    return starts, ends


def time_range(appointment: Appointment) -> str:
    """10:00am to 11:00am"""
    return f"{time_short(appointment.starts_at)} to {time_short(appointment.ends_at)}"


def when(appointment: Appointment) -> str:
    """Tuesday 1 December 2026, 10:00am to 11:00am"""
    return f"{day_long(local_day(appointment.starts_at))}, {time_range(appointment)}"


@dataclass(frozen=True)
class WeekNav:
    heading: str
    previous_url: str
    next_url: str
    this_week_url: str | None  # None when showing this week


def week_nav(url: str, monday: dt.date, today: dt.date, *, query: str = "") -> WeekNav:
    """Links to the weeks either side. `query` carries other parameters (the site) as `site=...&`."""
    sunday = monday + dt.timedelta(days=6)

    def link(day: dt.date) -> str:
        return f"{url}?{query}week={day.isoformat()}"

    return WeekNav(
        heading=f"{day_long(monday)} to {day_long(sunday)}",
        previous_url=link(monday - dt.timedelta(days=7)),
        next_url=link(monday + dt.timedelta(days=7)),
        this_week_url=None if monday == monday_of(today) else link(today),
    )


# One appointment in a list ----------------------------------------------------------------------

ATTENDANCE_COLOURS = {
    Attendance.ATTENDED: "green",
    Attendance.LATE_SEEN: "green",
    Attendance.LATE_NOT_SEEN: "orange",
    Attendance.CANCELLED_BY_FAMILY: "grey",
    Attendance.DID_NOT_ATTEND: "red",
    Attendance.CANCELLED_BY_SERVICE: "grey",
}


def attendance_tag(appointment: Appointment) -> str:
    if not appointment.attendance:
        return tag_html("Booked", "blue")
    code = Attendance(appointment.attendance)
    return tag_html(code.label, ATTENDANCE_COLOURS[code])


def note_of(appointment: Appointment) -> Note | None:
    """The note selected with the appointment, or None (a reverse one-to-one raises when absent)."""
    try:
        note: Note = appointment.note
    except ObjectDoesNotExist:
        return None
    return note


def note_status(note: Note | None) -> tuple[str, str]:
    """(words, tag colour) for a note's state."""
    if note is None:
        return "No note", "white"
    if note.status == NoteStatus.DRAFT:
        return "Draft note", "yellow"
    if note.awaiting_countersignature:
        return "Awaiting countersignature", "orange"
    if note.countersigned_at is not None:
        return "Signed and countersigned", "green"
    return "Signed", "green"


def note_tag(appointment: Appointment, now: dt.datetime) -> str:
    note = note_of(appointment)
    if note is None and appointment.starts_at > now:
        return ""  # nothing to write yet
    return tag_html(*note_status(note))


def place(appointment: Appointment) -> str:
    """Where the contact happens: the room and site, or the kind of contact elsewhere."""
    if appointment.room is not None:
        return f"{appointment.room.name}, {appointment.site.name if appointment.site else appointment.room.site.name}"
    if appointment.site is not None:
        return f"{appointment.site.name} (no room booked)"
    return {
        ContactKind.HOME_VISIT: "The family's home",
        ContactKind.VIDEO: "Video call",
        ContactKind.PHONE: "Phone call",
    }.get(ContactKind(appointment.kind), "Not recorded")


def appointment_url(appointment: Appointment) -> str:
    return reverse("care:appointment", args=[appointment.pk])


def family_cell(appointment: Appointment) -> Cell:
    family = appointment.episode.family
    link = format_html('<a href="{}">{}</a>', appointment_url(appointment), family_title(family))
    flags: list[Any] = getattr(family, "active_flags", [])
    if flags:
        return {"html": format_html("{} {}", link, tag_html("Safeguarding", "red"))}
    return {"html": link}


def _people(appointment: Appointment) -> str:
    names = [appointment.practitioner.full_name]
    if appointment.second_practitioner is not None:
        names.append(appointment.second_practitioner.full_name)
    return " and ".join(names)


def diary_row(appointment: Appointment, *, now: dt.datetime, person: User) -> TableRow:
    """Time, kind, family, where, with whom else, attendance, note."""
    others = [
        p.full_name
        for p in (appointment.practitioner, appointment.second_practitioner)
        if p is not None and p.pk != person.pk
    ]
    note = note_tag(appointment, now)
    return [
        {"text": time_range(appointment), "classes": "nhsuk-u-nowrap"},
        _contact_cell(appointment),
        family_cell(appointment),
        {"text": place(appointment)},
        {"text": " and ".join(others)},
        {"html": format_html("{}{}", attendance_tag(appointment), format_html(" {}", note) if note else "")},
    ]


def _contact_cell(appointment: Appointment) -> Cell:
    """The kind of contact, with the interpreter booked for it on a line below."""
    line = interpreters.diary_line(appointment)
    if not line:
        return {"text": appointment.get_kind_display()}
    return {"html": format_html("{}{}", appointment.get_kind_display(), line)}


DIARY_HEAD = [
    {"text": "Time"},
    {"text": "Contact"},
    {"text": "Family"},
    {"text": "Where"},
    {"text": "With"},
    {"text": "Attendance and note"},
]


@dataclass
class DiaryDay:
    day: dt.date
    heading: str
    is_today: bool
    rows: list[TableRow] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"day-{self.day.isoformat()}"


def diary_days(
    appointments: Sequence[Appointment], monday: dt.date, *, today: dt.date, now: dt.datetime, person: User
) -> list[DiaryDay]:
    """Monday to Friday always; Saturday and Sunday only when something is booked on them."""
    days = [
        DiaryDay(day=day, heading=day_long(day), is_today=day == today)
        for day in (monday + dt.timedelta(days=n) for n in range(7))
    ]
    by_day = {day.day: day for day in days}
    for appointment in appointments:
        found = by_day.get(local_day(appointment.starts_at))
        if found is not None:
            found.rows.append(diary_row(appointment, now=now, person=person))
    return [day for day in days if day.day.weekday() < 5 or day.rows]


def diary_summary(appointments: Sequence[Appointment]) -> str:
    booked = len(appointments)
    if not booked:
        return "Nothing is booked this week."
    return f"{booked} {'appointment' if booked == 1 else 'appointments'} this week."


@dataclass(frozen=True)
class TeamDiaries:
    team: Team
    site_diary_url: str
    people: list[dict[str, str]]


def team_diaries(teams: Iterable[Team], members: dict[Any, list[User]], *, viewer: User) -> list[TeamDiaries]:
    """Links to the diaries of everyone who holds one in the person's teams, and each site diary."""
    return [
        TeamDiaries(
            team=team,
            site_diary_url=reverse("care:site_diary", args=[team.pk]),
            people=[
                {"href": reverse("care:practitioner_diary", args=[team.pk, person.pk]), "text": person.full_name}
                for person in members.get(team.pk, [])
                if person.pk != viewer.pk
            ],
        )
        for team in teams
    ]


# The site diary --------------------------------------------------------------------------------


@dataclass
class RoomWeek:
    name: str
    rows: list[TableRow] = field(default_factory=list)

    @property
    def caption(self) -> str:
        return f"{self.name}: bookings this week"


SITE_HEAD = [{"text": "Day"}, {"text": "Time"}, {"text": "Practitioner"}, {"text": "Family"}]


def site_week(rooms: Sequence[Room], appointments: Sequence[Appointment]) -> list[RoomWeek]:
    """Each room's bookings in time order; bookings at the site without a room come last."""
    weeks = {room.pk: RoomWeek(room.name) for room in rooms}
    no_room = RoomWeek("No room booked")
    for appointment in appointments:
        week = weeks.get(appointment.room_id, no_room) if appointment.room_id else no_room
        week.rows.append(
            [
                {"text": day_long(local_day(appointment.starts_at))},
                {"text": time_range(appointment), "classes": "nhsuk-u-nowrap"},
                {"text": _people(appointment)},
                family_cell(appointment),
            ]
        )
    return [*weeks.values(), *([no_room] if no_room.rows else [])]


def site_choices(sites: Sequence[Site], chosen: Site | None) -> list[dict[str, Any]]:
    return [
        {"value": str(site.pk), "text": site.name, "selected": chosen is not None and site.pk == chosen.pk}
        for site in sites
    ]


def chosen_site(sites: Sequence[Site], value: str | None) -> Site | None:
    """The site picked by ?site=, else the first."""
    for site in sites:
        if str(site.pk) == (value or ""):
            return site
    return sites[0] if sites else None


# Booking ----------------------------------------------------------------------------------------


def room_label(room: Room) -> str:
    """Room 1, Daisyfield Family Hub"""
    return f"{room.name}, {room.site.name}"


def booked_message(appointment: Appointment) -> str:
    return f"{appointment.get_kind_display()} booked for {when(appointment)} with {appointment.practitioner.full_name}."


def practitioner_label(person: User) -> str:
    return person.full_name or person.email


# The appointment page ---------------------------------------------------------------------------


def _summary_row(key: str, value: str = "", html: str = "") -> SummaryRow:
    return {"key": {"text": key}, "value": {"html": html} if html else {"text": value}}


def appointment_rows(appointment: Appointment, reminder: Message | None = None) -> list[SummaryRow]:
    episode = appointment.episode
    family = episode.family
    rows = [
        _summary_row(
            "Family",
            html=format_html(
                '<a href="{}">{}</a>',
                reverse("families:family", args=[family.pk]),
                family_title(family),
            ),
        ),
        _summary_row(
            "Episode of care",
            html=format_html(
                '<a href="{}">Episode opened {}</a>',
                reverse("care:episode", args=[episode.pk]),
                date_long(episode.opened_at),
            ),
        ),
        _summary_row("Contact", appointment.get_kind_display()),
        _summary_row("Date", day_long(local_day(appointment.starts_at))),
        _summary_row("Time", time_range(appointment)),
        _summary_row(
            "Practitioner" if appointment.second_practitioner is None else "Practitioners", _people(appointment)
        ),
        _summary_row("Where", place(appointment)),
    ]
    if reminder is not None:
        # Where the team sees that a reminder did not go (no safe route, or consent withdrawn).
        rows.append(_summary_row("Reminder", how_sent(reminder)))
    return rows


def person_choices(infants: Iterable[Infant], carers: Iterable[Carer]) -> list[tuple[str, str]]:
    """Who can attend: the episode's babies and carers, as `infant:<id>` and `carer:<id>`."""
    choices = [(f"infant:{infant.pk}", infant.display_name) for infant in infants]
    for carer in carers:
        relationship = carer.get_relationship_display().lower() if carer.relationship else ""
        name = carer.full_name or "Name not given"
        choices.append((f"carer:{carer.pk}", f"{name} ({relationship})" if relationship else name))
    return choices


def attendance_rows(appointment: Appointment) -> list[SummaryRow]:
    """Once attendance is recorded: what happened, who came, who recorded it and when."""
    attended = [infant.display_name for infant in appointment.attended_infants.all()] + [
        carer.full_name for carer in appointment.attended_carers.all()
    ]
    rows = [_summary_row("Attendance", html=attendance_tag(appointment))]
    if appointment.attendance in (Attendance.ATTENDED, Attendance.LATE_SEEN):
        rows.append(
            _summary_row("Who attended", html=format_html_join(BR, "{}", ((name,) for name in attended)))
            if attended
            else _summary_row("Who attended", "Not recorded")
        )
    if appointment.consultation_mechanism:
        rows.append(_summary_row("How", appointment.get_consultation_mechanism_display()))
    if appointment.activity_location_type:
        rows.append(_summary_row("Where", appointment.get_activity_location_type_display()))
    if appointment.professional_role:
        rows.append(_summary_row("Role", appointment.get_professional_role_display()))
    recorded_by = appointment.attendance_recorded_by
    rows.append(
        _summary_row(
            "Recorded",
            f"{datetime_long(appointment.attendance_recorded_at)} by {recorded_by.full_name if recorded_by else 'unknown'}",
        )
    )
    return rows


def attendance_hint(appointment: Appointment, now: dt.datetime) -> str:
    if appointment.starts_at > now:
        return "This appointment has not happened yet, so you can only record a cancellation."
    return ""


@dataclass(frozen=True)
class LoneWorking:
    lines: list[str]
    can_check_in: bool
    can_check_out: bool


def lone_working(appointment: Appointment, *, user: User, today: dt.date) -> LoneWorking | None:
    """For home visits: the check-in and check-out times, and the buttons for the practitioners
    on the visit on its day."""
    if appointment.kind != ContactKind.HOME_VISIT:
        return None
    lines = []
    if appointment.checked_in_at is not None:
        lines.append(f"Checked in at {time_short(appointment.checked_in_at)} on {date_long(appointment.checked_in_at)}")
    if appointment.checked_out_at is not None:
        lines.append(
            f"Checked out at {time_short(appointment.checked_out_at)} on {date_long(appointment.checked_out_at)}"
        )
    on_visit = user.pk in (appointment.practitioner_id, appointment.second_practitioner_id)
    on_the_day = local_day(appointment.starts_at) == today
    if not lines:
        lines.append("Not checked in.")
    return LoneWorking(
        lines=lines,
        can_check_in=on_visit and on_the_day and appointment.checked_in_at is None,
        can_check_out=on_visit and appointment.checked_in_at is not None and appointment.checked_out_at is None,
    )


@dataclass(frozen=True)
class AddendumView:
    heading: str
    paragraphs: list[str]


@dataclass(frozen=True)
class SignedNote:
    paragraphs: list[str]
    signed: str
    status_text: str
    status_colour: str
    countersigned: str
    addenda: list[AddendumView]
    can_countersign: bool


def _addendum(addendum: Addendum) -> AddendumView:
    return AddendumView(
        heading=f"Addendum by {addendum.author.full_name}, {datetime_long(addendum.created_at)}",
        paragraphs=paragraphs(addendum.body),
    )


def signed_note(note: Note, *, user: User, supervises_team: bool) -> SignedNote:
    text, colour = note_status(note)
    countersigned = ""
    if note.countersigned_at is not None and note.countersigned_by is not None:
        countersigned = f"Countersigned by {note.countersigned_by.full_name} on {datetime_long(note.countersigned_at)}"
    return SignedNote(
        paragraphs=paragraphs(note.body),
        signed=f"Signed by {note.author.full_name} on {datetime_long(note.signed_at)}",
        status_text=text,
        status_colour=colour,
        countersigned=countersigned,
        addenda=[_addendum(a) for a in note.addenda.all()],
        can_countersign=note.awaiting_countersignature and supervises_team and note.author_id != user.pk,
    )


def draft_by_someone_else(note: Note | None, user: User) -> str:
    """Only a draft's author can change it; anyone else is told whose it is."""
    if note is None or note.status != NoteStatus.DRAFT or note.author_id == user.pk:
        return ""
    return f"{note.author.full_name} is writing the note for this appointment. Only they can change or sign it."


def needs_room(kind: str) -> bool:
    return kind in AT_A_SITE


# The appointment page as one typed view model --------------------------------------------------


@dataclass(frozen=True)
class AppointmentPage:
    """What the appointment page shows: who, where and when, attendance, lone working and the
    note, with whichever form is open (kept as typed when a post was refused)."""

    appointment: Appointment
    title: str
    banner: Banner
    heading: str
    summary_rows: list[SummaryRow]
    attendance_rows: list[SummaryRow]
    attendance_form: Any  # forms.AttendanceForm until attendance is recorded
    attendance_hint: str
    lone_working: "LoneWorking | None"
    note_form: Any  # forms.NoteForm while the note is a draft the person may write
    draft_by_other: str  # whose draft it is, when it is someone else's
    draft_paragraphs: list[str]
    signed: "SignedNote | None"
    addendum_form: Any  # forms.AddendumForm once the note is signed
    error_list: list[dict[str, str]]
    diary_url: str
    # "This visit was booked for 9:00am. You are checking in at 11:04pm. Check in anyway?"
    check_in_question: str = ""
    interpreter: "interpreters.InterpreterSection | None" = None
    # The session's own practitioners add and watch its video recordings (the documents app).
    holds_session: bool = False
