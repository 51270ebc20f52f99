"""What the caseload pages show, built from models without touching the database: each family a
practitioner works with (next and last contact, weeks in treatment, notes still to write or sign,
alerts) and, for a team lead, each practitioner's load against their capacity."""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.html import format_html, format_html_join

from attune.accounts.models import User
from attune.care.codes import ContactKind, WorkerRole
from attune.care.models import Episode, EpisodeWorker, PractitionerCapacity
from attune.care.presenters.waiting import BR, family_name, flags_of, number
from attune.core.formatting import LONDON, date_long, datetime_long, plural
from attune.core.models import Task
from attune.core.rows import Cell, TableRow
from attune.families.presenters import tag_html
from attune.organisations.models import Membership, Team, TeamKind

NEARLY_FULL = 85


# A practitioner's caseload --------------------------------------------------------------------


def role_text(episode: Episode, practitioner: User) -> str:
    """'Lead practitioner, with Sam Smith': the person's role and who else works with the family."""
    workers: list[EpisodeWorker] = getattr(episode, "current_workers", [])
    mine = next((w for w in workers if w.practitioner_id == practitioner.pk), None)
    role = WorkerRole(mine.role).label if mine else "Not on this episode"
    others = [w.practitioner.full_name for w in workers if w.practitioner_id != practitioner.pk]
    return f"{role}, with {' and '.join(others)}" if others else str(role)


def next_contact(episode: Episode) -> str:
    at: dt.datetime | None = getattr(episode, "next_contact_at", None)
    if at is None:
        return "None booked"
    kind: str = getattr(episode, "next_contact_kind", "") or ""
    label = ContactKind(kind).label if kind in ContactKind.values else ""
    return f"{weekday_long(at)}{f' ({label.lower()})' if label else ''}"


def weekday_long(at: dt.datetime) -> str:
    """'Tuesday 1 December 2026 at 10:30am'"""
    return f"{at.astimezone(LONDON):%A} {datetime_long(at)}"


def last_contact(episode: Episode) -> str:
    at: dt.datetime | None = getattr(episode, "last_contact_at", None)
    return date_long(at) if at else "None yet"


def weeks_in_treatment(opened_at: dt.datetime, today: dt.date) -> str:
    weeks = max((today - opened_at.astimezone(LONDON).date()).days, 0) // 7
    return "Under 1 week" if weeks == 0 else plural(weeks, "week", "weeks")


def notes_lines(counts: dict[str, int] | None) -> list[str]:
    counts = counts or {}
    lines = []
    if counts.get("drafts"):
        lines.append(plural(counts["drafts"], "draft note to sign", "draft notes to sign"))
    if counts.get("countersign"):
        lines.append(plural(counts["countersign"], "note awaiting countersignature", "notes awaiting countersignature"))
    if counts.get("missing"):
        lines.append(plural(counts["missing"], "contact with no note", "contacts with no note"))
    return lines


def _lines(lines: list[str], empty: str) -> Cell:
    if not lines:
        return {"text": empty}
    return {"html": format_html_join(BR, "{}", ((line,) for line in lines))}


def alerts_html(tasks: list[Task], episode: Episode) -> str:
    items: list[str] = [
        format_html(
            '{}<a href="{}">{}</a>',
            format_html("{} ", tag_html("Urgent", "red")) if task.urgent else "",
            task.url,
            task.title,
        )
        for task in tasks
    ]
    items += [tag_html(flag.get_kind_display(), "red") for flag in flags_of(episode.family)]
    return format_html_join(BR, "{}", ((item,) for item in items))


def episode_url(episode: Episode) -> str:
    return reverse("care:episode", args=[episode.pk])


def caseload_row(
    episode: Episode,
    practitioner: User,
    *,
    notes: dict[str, int] | None,
    tasks: list[Task],
    today: dt.date,
    extra: Iterable[dict[uuid.UUID, Cell]] = (),
) -> TableRow:
    given, surname = getattr(episode, "main_carer_given", None), getattr(episode, "main_carer_family", None)
    carer = None if given is None and surname is None else f"{given or ''} {surname or ''}"
    name = family_name(episode.family, carer)
    alerts = alerts_html(tasks, episode)
    return [
        {
            "html": format_html(
                '<a href="{}">{}</a><br><span class="nhsuk-body-s">{}</span>',
                episode_url(episode),
                name,
                role_text(episode, practitioner),
            )
        },
        _lines([i.name for i in episode.interventions.all()], "None recorded"),
        {"text": next_contact(episode)},
        {"text": last_contact(episode)},
        {"text": weeks_in_treatment(episode.opened_at, today)},
        _lines(notes_lines(notes), "None"),
        {"html": alerts} if alerts else {"text": "None"},
        # Columns other apps register (care.columns.register_caseload_column), "None" where silent.
        *(cells.get(episode.pk, {"text": "None"}) for cells in extra),
    ]


@dataclass(frozen=True)
class CaseloadTable:
    team: Team
    caption: str
    rows: list[TableRow]


def caseload_tables(
    episodes: list[Episode],
    practitioner: User,
    *,
    notes: dict[uuid.UUID, dict[str, int]],
    tasks: dict[uuid.UUID, list[Task]],
    today: dt.date,
    whose: str = "Your",
    extra: Iterable[dict[uuid.UUID, Cell]] = (),
    counted: bool = True,
) -> list[CaseloadTable]:
    """One table per team, in the order the scope gave (by team name). `counted`: the episodes
    are the whole caseload, so each caption counts its families (a page of a longer caseload
    is counted above its tables instead)."""
    tables: dict[Any, tuple[Team, list[TableRow]]] = {}
    for episode in episodes:
        _, rows = tables.setdefault(episode.team_id, (episode.team, []))
        rows.append(
            caseload_row(
                episode,
                practitioner,
                notes=notes.get(episode.pk),
                tasks=tasks.get(episode.pk, []),
                today=today,
                extra=extra,
            )
        )
    return [
        CaseloadTable(
            team,
            f"{whose} families in {team.name}" + (f" ({plural(len(rows), 'family', 'families')})" if counted else ""),
            rows,
        )
        for team, rows in tables.values()
    ]


CASELOAD_HEAD = [
    {"text": "Family"},
    {"text": "Interventions"},
    {"text": "Next contact"},
    {"text": "Last attended"},
    {"text": "In treatment"},
    {"text": "Notes to do"},
    {"text": "Alerts"},
]


def caseload_head(extra_headings: Iterable[str]) -> list[Cell]:
    return [*CASELOAD_HEAD, *({"text": heading} for heading in extra_headings)]


# A team's caseloads ---------------------------------------------------------------------------


def utilisation(load: Decimal, maximum: Decimal) -> Cell:
    """'92% (nearly full)' in orange from 85% to 100%, '112% (over capacity)' in red past it;
    the words say it as well as the colour."""
    if maximum <= 0:
        return {"html": tag_html("Over capacity", "red")} if load > 0 else {"text": "No caseload"}
    percent = int((load / maximum * 100).to_integral_value())
    if load > maximum:
        return {"html": tag_html(f"{percent}% (over capacity)", "red")}
    if percent >= NEARLY_FULL:
        return {"html": tag_html(f"{percent}% (nearly full)", "orange")}
    return {"text": f"{percent}%"}


@dataclass(frozen=True)
class TeamCaseloads:
    team: Team
    rows: list[TableRow]
    without_capacity: list[dict[str, str]] = field(default_factory=list)

    @property
    def caption(self) -> str:
        return f"Caseloads in {self.team.name}"


def practitioner_url(team_id: Any, user_id: Any) -> str:
    return reverse("care:practitioner_caseload", args=[team_id, user_id])


def weights_url(team: Team) -> str:
    """The service's intervention weights, which a hub team's lead sets (a satellite's lead does not)."""
    return reverse("care:intervention_weights", args=[team.service_id]) if team.kind == TeamKind.HUB else ""


def capacity_url(team_id: Any, user_id: Any) -> str:
    return reverse("care:capacity", args=[team_id, user_id])


def team_caseloads(
    teams: list[Team],
    capacities: list[PractitionerCapacity],
    loads: dict[tuple[Any, Any], Decimal],
    counts: dict[tuple[Any, Any], int],
    without: list[Membership],
) -> list[TeamCaseloads]:
    found = []
    for team in teams:
        rows: list[TableRow] = []
        for capacity in (c for c in capacities if c.team_id == team.pk):
            key = (team.pk, capacity.practitioner_id)
            load = loads.get(key, Decimal("0"))
            name = capacity.practitioner.full_name
            rows.append(
                [
                    {
                        "html": format_html(
                            '<a href="{}">{}</a>', practitioner_url(team.pk, capacity.practitioner_id), name
                        )
                    },
                    {"text": number(capacity.contracted_hours)},
                    {"text": str(counts.get(key, 0))},
                    {"text": f"{number(load)} of {number(capacity.limit)}{_default_note(capacity)}"},
                    utilisation(load, capacity.limit),
                    {
                        "html": format_html(
                            '<a href="{}">Change<span class="nhsuk-u-visually-hidden"> capacity for {}</span></a>',
                            capacity_url(team.pk, capacity.practitioner_id),
                            name,
                        )
                    },
                ]
            )
        seen: set[Any] = set()
        missing = []
        for member in (m for m in without if m.team_id == team.pk):
            if member.user_id in seen:
                continue
            seen.add(member.user_id)
            missing.append(
                {
                    "name": member.user.full_name,
                    "role": member.get_role_display(),
                    "url": capacity_url(team.pk, member.user_id),
                }
            )
        found.append(TeamCaseloads(team, rows, missing))
    return found


TEAM_HEAD = [
    {"text": "Practitioner"},
    {"text": "Hours a week"},
    {"text": "Families"},
    {"text": "Weighted caseload"},
    {"text": "Used"},
    {"html": '<span class="nhsuk-u-visually-hidden">Action</span>'},
]


def _default_note(capacity: PractitionerCapacity) -> str:
    return " (team default)" if capacity.max_weighted_caseload is None else ""


def capacity_saved_message(user: User, team: Team, capacity: PractitionerCapacity) -> str:
    return (
        f"{user.full_name}'s capacity in {team.name} is saved: {number(capacity.contracted_hours)} hours a week, "
        f"maximum weighted caseload {number(capacity.limit)}{_default_note(capacity)}."
    )


def team_default_hint(default: Decimal) -> str:
    return f"Team default: {number(default)}. Leave this empty to use the team default."
