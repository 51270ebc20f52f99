"""What the waiting list, allocation and transfer pages show, built from models without touching
the database: the family's name, the waiting clock in days and weeks, priority and need tags,
what each practitioner has room for, and the episode's history of who held it."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from attune.accounts.models import User
from attune.care.codes import WorkerRole
from attune.care.models import EpisodeEvent, PractitionerCapacity
from attune.core import clocks
from attune.core.formatting import LONDON, date_long, datetime_long, plural
from attune.core.rows import Cell, SummaryRow, TableRow
from attune.families import naming
from attune.families.models import Carer, Family, Infant, SafeguardingFlag
from attune.families.presenters import tag_html
from attune.organisations.models import Team
from attune.referrals import first_contact
from attune.referrals.codes import LevelOfNeed, Priority
from attune.referrals.models import Referral

BR = mark_safe("<br>")

PRIORITY_COLOURS = {Priority.URGENT: "red", Priority.SOON: "orange", Priority.ROUTINE: "grey"}


def number(value: Decimal) -> str:
    """12.00 -> '12', 7.50 -> '7.5', 0.75 -> '0.75': weights as people write them."""
    return f"{value.normalize():f}"


# The family -----------------------------------------------------------------------------------


def infant_name(infant: Infant) -> str:
    """'Ava Hughes', or 'Unborn baby, due 14 February 2027' before the baby is born."""
    if infant.is_born:
        return infant.full_name or "Baby (name not given)"
    due = f"due {date_long(infant.expected_due_date)}"
    # A family name alone ("Hughes") reads oddly before the baby has a first name.
    return f"{infant.full_name} (unborn), {due}" if infant.given_name else f"Unborn baby, {due}"


def participant_name(infant: Infant) -> str:
    """'Ava Hughes (baby)': the baby among the people who take part."""
    name = infant_name(infant)
    return f"{name} (baby)" if infant.is_born else name


def family_name(family: Family, main_carer: str | None = None) -> str:
    """The family as the lists name it: by its babies (prefetched), and while every baby is unborn
    by the main carer too: 'Jade Hughes and unborn baby, due 14 February 2027'. The carer's name
    is `main_carer` when the query annotated it, else from the prefetched carers."""
    infants = list(family.infants.all())
    names = [infant_name(infant) for infant in infants]
    if not names:
        return "No baby recorded"
    carer = ""
    if naming.all_unborn(infants):
        carer = main_carer.strip() if main_carer is not None else naming.main_carer_name(family.carers.all())
    if carer:
        names = [name[0].lower() + name[1:] if name.startswith("Unborn baby") else name for name in names]
        return f"{carer} and {' and '.join(names)}"
    return " and ".join(names)


def carer_name(carer: Carer) -> str:
    return f"{carer.full_name or 'Name not given'} ({carer.get_relationship_display().lower()})"


def flags_of(family: Family) -> list[SafeguardingFlag]:
    """The active flags the scope prefetched as `family.active_flags`."""
    flags: list[SafeguardingFlag] = getattr(family, "active_flags", [])
    return flags


def flag_tags(flags: list[SafeguardingFlag]) -> str:
    return format_html_join(" ", "{}", ((tag_html(flag.get_kind_display(), "red"),) for flag in flags))


# The waiting clock ----------------------------------------------------------------------------


def waited(received_at: dt.datetime, today: dt.date) -> str:
    """'12 working days': working days from the day the referral was received to today, the clock
    and the words the triage inbox uses, so a family's wait reads the same on both lists."""
    days = clocks.working_days_between(received_at.astimezone(LONDON).date(), today)
    return plural(days, "working day", "working days")


@dataclass(frozen=True)
class FirstContactWait:
    """The wait to first contact so far, against the team's first-contact target for the
    family's priority (working days from receipt, the triage clock's count) of the day the family
    was accepted."""

    working_days: int
    target: int | None

    @property
    def over_target(self) -> bool:
        return self.target is not None and self.working_days > self.target

    @property
    def text(self) -> str:
        waited = plural(self.working_days, "working day", "working days")
        return waited if self.target is None else f"{waited} (target {self.target})"

    @property
    def html(self) -> SafeString:
        if not self.over_target:
            return format_html("{}", self.text)
        return format_html("{}<br>{}", self.text, tag_html("Over target", "red"))


def first_contact_wait(
    received_at: dt.datetime,
    accepted_at: dt.datetime | None,
    targets: first_contact.History | None,
    team_id: Any,
    today: dt.date,
    priority: str = "",
) -> FirstContactWait:
    """The wait, and the target for the priority in force on the day of acceptance (no priority:
    the routine target; none known: no target shown)."""
    days = clocks.working_days_between(received_at.astimezone(LONDON).date(), today)
    if targets is None or accepted_at is None:
        return FirstContactWait(days, None)
    return FirstContactWait(days, targets.target(team_id, accepted_at.astimezone(LONDON).date(), priority))


def _wait_of(referral: Referral, targets: first_contact.History | None, today: dt.date) -> FirstContactWait:
    return first_contact_wait(
        referral.received_at,
        getattr(referral, "accepted_at", None),
        targets,
        referral.team_id,
        today,
        referral.priority,
    )


def level_of_need(value: str) -> str:
    """The level's name without its explanation: 'Distress'."""
    if not value:
        return "Not recorded"
    return str(LevelOfNeed(value).label).split(":", 1)[0]


def priority_tag(value: str) -> str:
    if not value:
        return format_html("{}", "Not set")
    priority = Priority(value)
    return tag_html(str(priority.label), PRIORITY_COLOURS[priority])


def language_cell(family: Family) -> Cell:
    language = family.language or "Not recorded"
    if not family.interpreter_needed:
        return {"text": language}
    return {"html": format_html("{}<br>{}", language, tag_html("Interpreter needed", "yellow"))}


def site_preference(family: Family) -> str:
    return family.preferred_site.name if family.preferred_site else "No preference"


# The waiting list -----------------------------------------------------------------------------


def allocate_url(referral: Referral) -> str:
    return reverse("care:allocate", args=[referral.team_id, referral.pk])


def waiting_rows(
    referrals: list[Referral], *, today: dt.date, targets: first_contact.History | None = None
) -> list[TableRow]:
    rows: list[TableRow] = []
    for referral in referrals:
        family = referral.family
        name = family_name(family)
        rows.append(
            [
                {"html": format_html('{}<br><span class="nhsuk-body-s">{}</span>', name, referral.reference)},
                {"html": _wait_of(referral, targets, today).html},
                {"text": level_of_need(referral.level_of_need)},
                {"html": priority_tag(referral.priority)},
                {"text": site_preference(family)},
                language_cell(family),
                {"html": flag_tags(flags_of(family))},
                {
                    "html": format_html(
                        '<a href="{}">Allocate<span class="nhsuk-u-visually-hidden"> {}</span></a>',
                        allocate_url(referral),
                        name,
                    )
                },
            ]
        )
    return rows


@dataclass(frozen=True)
class TeamWaiting:
    team: Team
    waiting: int
    urgent: int

    @property
    def url(self) -> str:
        return reverse("care:waiting_list", args=[self.team.pk])

    @property
    def summary(self) -> str:
        if not self.waiting:
            return "Nobody waiting"
        return f"{plural(self.waiting, 'family', 'families')} waiting, {self.urgent} urgent"


def team_waiting(teams: list[Team], counts: dict[Any, tuple[int, int]]) -> list[TeamWaiting]:
    return [TeamWaiting(team, *counts.get(team.pk, (0, 0))) for team in teams]


# Allocation -----------------------------------------------------------------------------------


def summary_rows(
    referral: Referral, *, today: dt.date, targets: first_contact.History | None = None
) -> list[SummaryRow]:
    """The family at the top of the allocation page."""
    family = referral.family
    infants = [infant_name(infant) for infant in family.infants.all()]
    carers = [carer_name(carer) for carer in family.carers.all()]
    rows: list[SummaryRow] = [
        {"key": {"text": "Referral"}, "value": {"text": referral.reference}},
        {
            "key": {"text": "Baby" if len(infants) < 2 else "Babies"},
            "value": {"html": format_html_join(BR, "{}", ((n,) for n in infants)) if infants else "None recorded"},
        },
        {
            "key": {"text": "Parents and carers"},
            "value": {"html": format_html_join(BR, "{}", ((n,) for n in carers)) if carers else "None recorded"},
        },
        {"key": {"text": "Waiting for first contact"}, "value": {"html": _wait_of(referral, targets, today).html}},
        {"key": {"text": "Level of need"}, "value": {"text": level_of_need(referral.level_of_need)}},
        {"key": {"text": "Priority"}, "value": {"html": priority_tag(referral.priority)}},
        {"key": {"text": "Site preference"}, "value": {"text": site_preference(family)}},
        {"key": {"text": "Language"}, "value": language_cell(family)},
    ]
    return rows


def capacity_hint(capacity: PractitionerCapacity, load: Decimal) -> str:
    """'7.5 of 12 weighted caseload used, 37.5 hours a week'"""
    return (
        f"{number(load)} of {number(capacity.limit)} weighted caseload used, "
        f"{number(capacity.contracted_hours)} hours a week"
    )


def has_room(capacity: PractitionerCapacity, load: Decimal) -> bool:
    return load < capacity.limit


def intervention_hint(weight: Decimal) -> str:
    """The intervention's weight in the team's service today, under its name on the allocation form."""
    return f"Caseload weight {number(weight)}"


def over_capacity_message(over: list[tuple[User, Decimal, Decimal]]) -> str:
    """Why a reason is needed: who would be over, by how much."""
    parts = [
        f"{user.full_name} would have a weighted caseload of {number(load)}, over their maximum of {number(limit)}"
        for user, load, limit in over
    ]
    return f"{' and '.join(parts)}. Enter a reason to allocate past capacity, or choose someone else"


def allocated_message(name: str, lead: User, co_worker: User | None) -> str:
    who = lead.full_name if co_worker is None else f"{lead.full_name} and {co_worker.full_name}"
    return f"{name} allocated to {who}. An episode of care is open."


def episode_url(episode_id: Any) -> str:
    return reverse("care:episode", args=[episode_id])


# Transfer -------------------------------------------------------------------------------------


def transfer_choice_label(capacity: PractitionerCapacity, *, several_teams: bool) -> str:
    name = capacity.practitioner.full_name
    return f"{name}, {capacity.team.name}" if several_teams else name


EVENT_WORDS = {
    EpisodeEvent.Kind.ALLOCATED: "Allocated",
    EpisodeEvent.Kind.TRANSFERRED: "Transferred",
    EpisodeEvent.Kind.DISCHARGED: "Discharged",
    EpisodeEvent.Kind.REOPENED: "Reopened",
}


def history_rows(events: list[EpisodeEvent], names: dict[str, str], teams: dict[str, str]) -> list[TableRow]:
    """Who held the episode when: each allocation and transfer, newest last. `names` and `teams`
    turn the ids kept in each event's detail into words."""
    rows: list[TableRow] = []
    for event in events:
        detail = event.detail or {}
        what = EVENT_WORDS.get(EpisodeEvent.Kind(event.kind), event.kind)
        lines: list[str] = []
        if event.kind == EpisodeEvent.Kind.ALLOCATED:
            lead = names.get(detail.get("lead", ""), "")
            co_worker = names.get(detail.get("co_worker", ""), "")
            if lead:
                lines.append(f"To {lead}" + (f" with {co_worker}" if co_worker else ""))
        elif event.kind == EpisodeEvent.Kind.TRANSFERRED:
            before, after = names.get(detail.get("from", ""), ""), names.get(detail.get("to", ""), "")
            if before or after:
                lines.append(f"From {before or 'nobody'} to {after or 'someone no longer listed'}")
            if detail.get("to_team"):
                lines.append(f"From {teams.get(detail['from_team'], 'another team')} to {teams.get(detail['to_team'])}")
        if detail.get("over_capacity"):
            lines.append(f"Past capacity: {detail['over_capacity']}")
        if event.note:
            lines.append(f"Reason: {event.note}")
        rows.append(
            [
                {"text": datetime_long(event.at)},
                {"text": what},
                {"html": format_html_join(BR, "{}", ((line,) for line in lines)) if lines else ""},
                {"text": event.by.full_name},
            ]
        )
    return rows


def transferred_message(name: str, to: User, team: Team) -> str:
    return f"{name} transferred to {to.full_name} in {team.name}."


# Errors ---------------------------------------------------------------------------------------


def error_list(form: Any, problems: list[SafeString | str] | None = None) -> list[Cell]:
    """The error summary's items: problems from the action first (they may carry a link), then
    each field's first error linking to its field."""
    items: list[Cell] = [{"html": format_html("{}", problem)} for problem in problems or []]
    if form is None or not form.is_bound:
        return items
    fields = form.visible_fields()
    first = f"#{fields[0].id_for_label}" if fields else ""
    items += [{"text": error, "href": first} for error in form.non_field_errors()]
    items += [{"text": field.errors[0], "href": f"#{field.id_for_label}"} for field in form if field.errors]
    return items


def already_allocated_problem(episode_id: Any, leads: list[User]) -> SafeString:
    who = f" to {' and '.join(user.full_name for user in leads)}" if leads else ""
    return format_html(
        'This family has already been allocated{}. <a href="{}">See the episode</a>', who, episode_url(episode_id)
    )


def no_capacity_html(team: Team) -> SafeString:
    return format_html(
        'Nobody in {} has a caseload set yet, so there is nobody to allocate to. <a href="{}">Set caseloads</a>',
        team.name,
        reverse("care:team_caseloads", args=[team.pk]),
    )


def episode_summary_rows(episode: Any, workers: list[Any]) -> list[SummaryRow]:
    """The episode at the top of the transfer page: who holds it now, where, doing what."""
    leads = [w.practitioner.full_name for w in workers if w.role == WorkerRole.LEAD]
    co_workers = [w.practitioner.full_name for w in workers if w.role == WorkerRole.CO_WORKER]
    rows: list[SummaryRow] = [
        {"key": {"text": "Lead practitioner"}, "value": {"text": ", ".join(leads) or "Nobody"}},
    ]
    if co_workers:
        rows.append({"key": {"text": "Co-worker"}, "value": {"text": ", ".join(co_workers)}})
    rows += [
        {"key": {"text": "Team"}, "value": {"text": episode.team.name}},
        {"key": {"text": "Interventions"}, "value": {"text": ", ".join(i.name for i in episode.interventions.all())}},
        {"key": {"text": "Opened"}, "value": {"text": date_long(episode.opened_at)}},
    ]
    return rows
