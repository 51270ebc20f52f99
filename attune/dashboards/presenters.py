"""The home page's sections, one per kind of work the person's roles give them."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from attune.accounts.models import User
from attune.care import scope as care_scope
from attune.care.models import CANCELLED
from attune.care.presenters import waiting as waiting_presenters
from attune.core.formatting import datetime_long, plural
from attune.core.models import Outcome, Task
from attune.dashboards import recent
from attune.governance import scope as audit_scope
from attune.organisations.models import Team
from attune.organisations.roles import Capability, Role
from attune.organisations.scope import Scope
from attune.outcomes import due
from attune.outcomes import scope as outcomes_scope
from attune.outcomes.presenters import progress as progress_presenters
from attune.outcomes.queries import CaseloadMeasures
from attune.referrals import presenters as referral_presenters
from attune.referrals import scope as referral_scope
from attune.supervision import scope as supervision_scope


@dataclass
class Section:
    heading: str
    intro: str
    links: list[dict[str, Any]] = field(default_factory=list)


def _team_sections(scope: Scope) -> list[Section]:
    today = timezone.localdate()
    current = Q(memberships__starts_on__lte=today) & (
        Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=today)
    )
    teams = list(
        scope.teams()
        .annotate(people=Count("memberships__user", filter=current, distinct=True))
        .order_by("kind", "name")
    )
    if not teams:
        return []
    sections = []
    links = [
        {
            "href": reverse("organisations:team_detail", args=[t.pk]),
            "text": t.name,
            "hint": f"{t.get_kind_display()}, {plural(t.people, 'person', 'people')}",
        }
        for t in teams
    ]
    sections.append(Section("Your teams", "The teams you work in and the roles you hold there.", links))
    return sections


def _supervision_section(scope: Scope) -> Section | None:
    """Supervision given (record it, supervisees against the standard, notes to countersign),
    each team's compliance for those who lead or supervise in it, and supervision received."""
    if not scope.can(Capability.WORK_WITH_FAMILIES):
        return None
    links: list[dict[str, Any]] = []
    if scope.can(Capability.SUPERVISE):
        waiting = supervision_scope.countersign_queue(scope).count()
        links += [
            {"href": reverse("supervision:record_session"), "text": "Record supervision", "hint": ""},
            {
                "href": reverse("supervision:my_compliance"),
                "text": "Your supervisees against the standard",
                "hint": "Who is on track, due or overdue, and their caseloads",
            },
            {
                "href": reverse("supervision:countersign_queue"),
                "text": "Notes to countersign",
                "hint": plural(waiting, "note waiting", "notes waiting") if waiting else "None waiting",
            },
        ]
    # From the memberships the scope already holds: no query for the teams.
    overseen = scope.team_ids(Capability.LEAD_TEAM) | scope.team_ids(Capability.SUPERVISE)
    teams = {m.team_id: m.team for m in scope.memberships if m.team is not None and m.team_id in overseen}
    for team in sorted(teams.values(), key=lambda t: (t.kind, t.name)):
        links.append(
            {
                "href": reverse("supervision:compliance", args=[team.pk]),
                "text": f"Supervision in {team.name}",
                "hint": "Each practitioner and trainee against the standard",
            }
        )
    links.append(
        {
            "href": reverse("supervision:sessions"),
            "text": "Your supervision",
            "hint": "Sessions you have given or received, and the actions agreed",
        }
    )
    return Section("Supervision", "Clinical supervision, separate from line management.", links)


def _commissioner_section(scope: Scope) -> Section | None:
    if not scope.organisation_ids(Capability.VIEW_AGGREGATES):
        return None
    services = list(scope.commissioned_services().annotate(team_count=Count("teams")).select_related("provider"))
    links: list[dict[str, Any]] = [
        {"text": s.name, "hint": f"Provided by {s.provider.name}: {plural(s.team_count, 'team', 'teams')}"}
        for s in services
    ]
    links += [
        {
            "href": reverse("reports:index"),
            "text": "Reports",
            "hint": "What the money bought: referrals, waits, contacts, outcomes, equity and cost",
        },
        {
            "href": reverse("commissioning:agreements"),
            "text": "Funding agreements",
            "hint": "What your organisation funds or receives, for which teams and how long",
        },
    ]
    return Section(
        "What your organisation pays for",
        "The services it commissions and the teams it funds: figures only, never a person, small numbers hidden.",
        links,
    )


def _audit_section(scope: Scope) -> Section | None:
    if not scope.organisation_ids(Capability.AUDIT):
        return None
    since = timezone.now() - timedelta(days=7)
    refused = audit_scope.events(scope).filter(occurred_at__gte=since).exclude(outcome=Outcome.SUCCESS).count()
    return Section(
        "Information governance",
        f"{plural(refused, 'refused or failed action', 'refused or failed actions')} by your organisation's staff "
        "in the last 7 days.",
        [
            {
                "href": reverse("governance:events"),
                "text": "Audit log",
                "hint": "Who did what, and who accessed which record",
            },
            {
                "href": reverse("governance:events") + "?show=refused",
                "text": "Refused and failed actions",
                "hint": "Sign-in failures, lockouts and refused pages",
            },
        ],
    )


def _accounts_section(scope: Scope) -> Section | None:
    if not scope.organisation_ids(Capability.MANAGE_ACCOUNTS):
        return None
    staff = scope.staff()
    disabled = staff.filter(is_active=False).count()
    return Section(
        "Staff accounts",
        f"{plural(disabled, 'disabled account', 'disabled accounts')}.",
        [
            {
                "href": reverse("organisations:staff_list"),
                "text": "Staff accounts",
                "hint": "Disable accounts, sign people out, reset two-factor",
            },
            {
                "href": reverse("organisations:system_jobs"),
                "text": "Scheduled jobs",
                "hint": "The worker's heartbeat, and each job's last run and failures",
            },
        ],
    )


def _data_section(scope: Scope) -> Section | None:
    """Data in and out (issue 20): team leads and a trust's system administrators bring caseloads
    in from spreadsheets and check the monthly MHSDS extract; administrators also issue tokens to
    the other systems that call Attune's API."""
    leads, sets_up = scope.can(Capability.LEAD_TEAM), scope.can(Capability.SET_UP)
    if not (leads or sets_up):
        return None
    links: list[dict[str, Any]] = [
        {
            "href": reverse("interop:import_new"),
            "text": "Import a caseload from a spreadsheet",
            "hint": "Families, open referrals, caseloads, past contacts and questionnaires, checked before anything is written",
        },
        {
            "href": reverse("interop:mhsds"),
            "text": "Monthly MHSDS extract",
            "hint": "The Mental Health Services Data Set files for the trust's submission, checked first",
        },
    ]
    if sets_up:
        links.append(
            {
                "href": reverse("interop:api_tokens"),
                "text": "API tokens",
                "hint": "Tokens for other systems to send referrals and read counts and reports",
            }
        )
    return Section("Data in and out", "Bring records in, and send the national returns out.", links)


def _referrals_section(scope: Scope) -> Section | None:
    """Each team's triage inbox: how many referrals wait and how many are over the target."""
    if not scope.can(Capability.WORK_WITH_FAMILIES):
        return None
    teams = scope.held_teams(Capability.WORK_WITH_FAMILIES)  # referral_scope.inbox_teams's teams, without a query
    inboxes = referral_presenters.team_inboxes(
        teams,
        list(referral_scope.open_referrals(scope)),
        referral_scope.triage_targets({team.pk for team in teams}),
        today=timezone.localdate(),
    )
    return Section(
        "Referrals waiting for triage",
        "New referrals in your teams, with how many have waited longer than the team's target.",
        [{"href": inbox.url, "text": f"{inbox.team.name} inbox", "hint": inbox.summary} for inbox in inboxes],
    )


def raised_ago(raised: date, today: date) -> str:
    """'raised today', 'raised yesterday', 'raised 3 days ago'."""
    days = (today - raised).days
    if days <= 0:
        return "raised today"
    if days == 1:
        return "raised yesterday"
    return f"raised {days} days ago"


def task_link(task: Task, today: date) -> dict[str, Any]:
    return {
        "href": task.url,
        "text": task.title,
        "hint": raised_ago(timezone.localdate(task.created_at), today),
        "tag": {"text": "Urgent", "colour": "red"} if task.urgent else None,
    }


def _clashing(links: list[dict[str, Any]]) -> set[str]:
    """Texts shared by links that go to different places."""
    hrefs: dict[str, set[str]] = {}
    for link in links:
        hrefs.setdefault(link["text"], set()).add(link["href"])
    return {text for text, found in hrefs.items() if len(found) > 1}


def distinct_texts(links: list[dict[str, Any]], raised: list[datetime]) -> list[dict[str, Any]]:
    """Two links that read the same but go to different places (two risk alerts with the same
    message for one family) are told apart by when each was raised, and by a count if that is the
    same too, so a list of links read out on its own still says which is which. Links to the same
    place with the same words are left alone."""
    clashing = _clashing(links)
    out = [
        {**link, "text": f"{link['text']} (raised {datetime_long(at)})"} if link["text"] in clashing else link
        for link, at in zip(links, raised, strict=True)
    ]
    still = _clashing(out)
    totals = {text: sum(1 for link in out if link["text"] == text) for text in still}
    counted: dict[str, int] = {}
    for index, link in enumerate(out):
        text = link["text"]
        if text in still:
            counted[text] = counted.get(text, 0) + 1
            out[index] = {**link, "text": f"{text}, {counted[text]} of {totals[text]}"}
    return out


def _tasks_section(scope: Scope) -> Section | None:
    """The person's open tasks (countersign a note, review missed appointments, a lone worker not
    checked out), urgent first then oldest, until the work that closes each is done."""
    tasks = list(Task.objects.open().for_person(scope.user))
    if not tasks and not scope.can(Capability.WORK_WITH_FAMILIES):
        return None
    today = timezone.localdate()
    intro = (
        f"{plural(len(tasks), 'thing', 'things')} waiting for you, urgent ones first. Each goes when it is done."
        if tasks
        else "You have no tasks."
    )
    links = distinct_texts([task_link(task, today) for task in tasks], [task.created_at for task in tasks])
    return Section("Your tasks", intro, links)


def recent_links(found: list[recent.Recent], today: date) -> list[dict[str, Any]]:
    return [
        {
            "href": reverse("families:family", args=[family.family_id]),
            "text": family.name,
            "hint": recent.opened_words(family.opened_at, today),
        }
        for family in found
    ]


def _recent_section(scope: Scope) -> Section | None:
    """The families the person opened last, to go back to one in a click; none for people who
    never see a family (a commissioner, the IG lead)."""
    if not scope.can(Capability.WORK_WITH_FAMILIES):
        return None
    found = recent.recently_viewed(scope)
    intro = (
        "The families you opened last, newest first."
        if found
        else "You have not opened any family's records yet. The families you open will be listed here."
    )
    links = recent_links(found, timezone.localdate())
    return Section("Recently viewed", intro, distinct_texts(links, [family.opened_at for family in found]))


# Roles that hold a caseload of their own.
SEES_FAMILIES = frozenset({Role.PRACTITIONER, Role.TRAINEE, Role.SUPERVISOR})


def _care_section(scope: Scope, caseload: CaseloadMeasures | None) -> Section | None:
    """Today's appointments and the way to the caseload and diary for people who see families.
    `caseload`: the person's open episodes, read once for this and the measures due."""
    if caseload is None:
        return None
    user = scope.user
    assert isinstance(user, User)
    today = timezone.localdate()
    # Today as a range of times, not `starts_at__date`: SQLite can only work out each row's local
    # date by calling Python, for every appointment of the team (a second at region scale).
    starts = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    ends = starts + timedelta(days=1)
    booked_today = (
        care_scope.appointments(scope)
        .filter(Q(practitioner=user) | Q(second_practitioner=user), starts_at__gte=starts, starts_at__lt=ends)
        .exclude(attendance__in=CANCELLED)
        .count()
    )
    families = len(caseload.episodes)
    clinician = any(roles & SEES_FAMILIES for roles in scope.team_roles.values())
    if not (families or booked_today or clinician):
        return None  # a team lead or coordinator without a caseload of their own
    return Section(
        "Your families",
        f"{plural(booked_today, 'appointment', 'appointments')} in your diary today.",
        [
            {
                "href": reverse("care:my_caseload"),
                "text": "Your caseload",
                "hint": f"{plural(families, 'family', 'families')} you work with now",
            },
            {"href": reverse("care:my_diary"), "text": "Your diary", "hint": "This week's appointments"},
        ],
    )


def _caseload(scope: Scope) -> CaseloadMeasures | None:
    """The person's open episodes with what their measures due need, for people who see families."""
    if not scope.can(Capability.WORK_WITH_FAMILIES):
        return None
    user = scope.user
    assert isinstance(user, User)
    return outcomes_scope.caseload_measures(scope, user)


def _measures_due_section(found: CaseloadMeasures | None) -> Section | None:
    """For people with a caseload: the outcome measures due or overdue in their open episodes,
    each family linking to its progress page. A fixed number of queries however many families."""
    if found is None or not found.episodes:
        return None
    families = due.caseload_due(
        found.episodes, found.people, found.recorded, found.schedules, today=timezone.localdate()
    )
    total = sum(f.due + f.overdue for f in families)
    overdue = sum(f.overdue for f in families)
    late = f", {overdue} of them overdue" if overdue else ""
    intro = (
        f"{plural(total, 'measure is', 'measures are')} due or overdue across "
        f"{plural(len(families), 'family', 'families')} you work with{late}."
        if total
        else "No outcome measures are due or overdue for the families you work with."
    )
    links = [
        {
            "href": progress_presenters.progress_url(family.episode_id),
            "text": family.name,
            "hint": progress_presenters.due_summary(family),
            "tag": {"text": "Overdue", "colour": "red"} if family.overdue else None,
        }
        for family in families
    ]
    return Section("Measures due", intro, links)


def _waiting_list_section(scope: Scope, teams: list[Team]) -> Section | None:
    """For team leads: each team's waiting list and caseloads."""
    if not teams:
        return None
    counts = care_scope.waiting_counts(scope, teams)
    links = []
    for waiting in waiting_presenters.team_waiting(teams, counts):
        links.append(
            {
                "href": reverse("care:waiting_list", args=[waiting.team.pk]),
                "text": f"{waiting.team.name} waiting list",
                "hint": waiting.summary,
            }
        )
        links.append(
            {
                "href": reverse("care:team_caseloads", args=[waiting.team.pk]),
                "text": f"{waiting.team.name} caseloads",
                "hint": "Who has room, and each person's capacity",
            }
        )
        links.append(
            {
                "href": reverse("outcomes:schedules", args=[waiting.team.pk]),
                "text": f"{waiting.team.name} schedule of measures",
                "hint": "Which questionnaires and ratings are due when",
            }
        )
    return Section(
        "Waiting lists and caseloads",
        "Families to allocate, who has room, and the measures each team gives, in the teams you lead.",
        links,
    )


def _running_teams_section(teams: list[Team]) -> Section | None:
    """For team leads: the pages about the teams themselves (posts, costs, what the money bought)."""
    if not teams:
        return None
    links: list[dict[str, Any]] = []
    for team in teams:
        links += [
            {
                "href": reverse("reports:team", args=[team.pk]),
                "text": f"{team.name} report",
                "hint": "Referrals, waits, contacts, outcomes, equity and cost, by quarter or year",
            },
            {
                "href": reverse("workforce:posts", args=[team.pk]),
                "text": f"{team.name} posts",
                "hint": "Contract dates and funding; you are warned 8 weeks before a post ends",
            },
            {
                "href": reverse("commissioning:costs", args=[team.pk]),
                "text": f"{team.name} staff costs",
                "hint": "Each post's annual cost, for cost per family and per contact",
            },
            {
                "href": reverse("workforce:activities", args=[team.pk]),
                "text": f"{team.name} consultation and training given",
                "hint": "Work with other professionals, outside the caseload",
            },
        ]
    links.append(
        {
            "href": reverse("commissioning:agreements"),
            "text": "Funding agreements",
            "hint": "Who pays for which teams and posts, and for how long",
        }
    )
    return Section("Running your teams", "Posts, costs, funding and the team's figures.", links)


def home_sections(scope: Scope) -> list[Section]:
    tasks = _tasks_section(scope)
    referrals = _referrals_section(scope)
    led = list(care_scope.lead_teams(scope))
    caseload = _caseload(scope)
    care = [
        section
        for section in (_care_section(scope, caseload), _waiting_list_section(scope, led))
        if section is not None
    ]
    care += [
        section for section in (_measures_due_section(caseload), _running_teams_section(led)) if section is not None
    ]
    viewed = _recent_section(scope)
    sections = ([tasks] if tasks else []) + ([viewed] if viewed else []) + care
    sections += ([referrals] if referrals else []) + _team_sections(scope)
    supervision = _supervision_section(scope)
    if supervision is not None:
        sections.append(supervision)
    for optional in (
        _commissioner_section(scope),
        _audit_section(scope),
        _accounts_section(scope),
        _data_section(scope),
    ):
        if optional is not None:
            sections.append(optional)
    return sections
