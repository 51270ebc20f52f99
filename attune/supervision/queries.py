"""Who may be supervised by whom and which families may be discussed: rules shared by the
actions (which enforce them) and the scope (which offers the choices)."""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Episode, EpisodeQuerySet, Note
from attune.organisations.models import Membership, Team
from attune.organisations.roles import Role
from attune.supervision import standard
from attune.supervision.models import (
    ClinicalExperience,
    NoteReturn,
    SessionAttendee,
    SupervisionStandardSetting,
)

# People whose clinical work is supervised (a supervisor may also receive supervision).
SUPERVISED_ROLES = [Role.PRACTITIONER.value, Role.TRAINEE.value, Role.SUPERVISOR.value]
WORK_ROLES = [
    Role.PRACTITIONER.value,
    Role.TRAINEE.value,
    Role.SUPERVISOR.value,
    Role.TEAM_LEAD.value,
    Role.COORDINATOR.value,
]


def teams_with_role(user: User, roles: Iterable[str], on: dt.date | None = None) -> set[uuid.UUID]:
    day = on or timezone.localdate()
    return {
        team_id
        for team_id in Membership.objects.active(day)
        .filter(user=user, role__in=list(roles), team__isnull=False)
        .values_list("team_id", flat=True)
        if team_id is not None
    }


def supervising_team_ids(user: User) -> set[uuid.UUID]:
    return teams_with_role(user, [Role.SUPERVISOR.value])


def supervisable_people(supervisor: User) -> QuerySet[User]:
    """Current practitioners and trainees in any team of a service where the person is a
    clinical supervisor (so the hub supervises its satellites), the supervisor aside."""
    today = timezone.localdate()
    services = Team.objects.filter(pk__in=supervising_team_ids(supervisor)).values("service_id")
    members = (
        Membership.objects.active(today)
        .filter(team__service_id__in=services, role__in=SUPERVISED_ROLES)
        .values("user_id")
    )
    return User.objects.filter(pk__in=members, is_active=True).exclude(pk=supervisor.pk).order_by("full_name", "pk")


def discussable_episodes(supervisor: User, supervisee_ids: Iterable[uuid.UUID]) -> EpisodeQuerySet:
    """Open episodes the supervisor works with through their own teams, or held by one of the
    supervisees present: a family can be discussed only with someone who may see it."""
    ids = list(supervisee_ids)
    own_teams = teams_with_role(supervisor, WORK_ROLES)
    return (
        Episode.objects.open()
        .filter(Q(team_id__in=own_teams) | Q(workers__practitioner_id__in=ids, workers__ended_at__isnull=True))
        .distinct()
    )


def supervisee_ids_of(supervisor: User) -> set[uuid.UUID]:
    """Someone who has attended the person's supervision, or a current trainee in a team where
    the person is a clinical supervisor."""
    attended = set(
        SessionAttendee.objects.filter(session__supervisor=supervisor).values_list("supervisee_id", flat=True)
    )
    trainees = set(
        Membership.objects.active()
        .filter(team_id__in=supervising_team_ids(supervisor), role=Role.TRAINEE)
        .values_list("user_id", flat=True)
    )
    return (attended | trainees) - {supervisor.pk}


# Whose supervision the compliance views follow: the people who hold a caseload.
COMPLIANCE_ROLES = [Role.PRACTITIONER.value, Role.TRAINEE.value]


@dataclass
class Supervised:
    """One person whose supervision is followed, with what the standard needs."""

    person: User
    teams: list[Team]
    role: str
    joined_on: dt.date
    experience: ClinicalExperience | None
    sessions: list[tuple[dt.date, int]]  # (held on, minutes), all supervision received
    last_held_on: dt.date | None
    # The standard in force today for the service of their first team (a person in the teams of
    # two services, which is rare, is held to the one they joined first).
    standard: standard.Standard
    service_name: str


def standards_of(teams: Iterable[Team]) -> standard.History:
    """The supervision standard over time of these teams' services (one query)."""
    return SupervisionStandardSetting.objects.history({team.service_id for team in teams})


def supervised_among(
    memberships: QuerySet[Membership], since: dt.date, *, standards: standard.History, today: dt.date
) -> list[Supervised]:
    """Each person holding these memberships, with their teams, experience, the standard of their
    team's service today (from `standards`) and the supervision they received since `since` (and
    when they last had any): the same few queries, however many."""
    rows: dict[uuid.UUID, Supervised] = {}
    found_memberships = memberships.select_related("user", "team__service").order_by(
        "user__full_name", "user_id", "starts_on"
    )
    for m in found_memberships:
        found = rows.get(m.user_id)
        assert m.team is not None
        if found is None:
            rows[m.user_id] = Supervised(
                person=m.user,
                teams=[m.team],
                role=m.get_role_display(),
                joined_on=m.starts_on,
                experience=None,
                sessions=[],
                last_held_on=None,
                standard=standards.on(m.team.service_id, today),
                service_name=m.team.service.name,
            )
        else:
            if all(t.pk != m.team_id for t in found.teams):
                found.teams.append(m.team)
            found.joined_on = min(found.joined_on, m.starts_on)
    ids = list(rows)
    for experience in ClinicalExperience.objects.filter(practitioner_id__in=ids):
        rows[experience.practitioner_id].experience = experience
    received = SessionAttendee.objects.filter(supervisee_id__in=ids, session__held_on__gte=since).values_list(
        "supervisee_id", "session__held_on", "session__duration_minutes"
    )
    for user_id, held_on, minutes in received:
        rows[user_id].sessions.append((held_on, minutes))
    last = (
        SessionAttendee.objects.filter(supervisee_id__in=ids)
        .values("supervisee_id")
        .annotate(last=Max("session__held_on"))
        .order_by()
    )
    for row in last:
        rows[row["supervisee_id"]].last_held_on = row["last"]
    return list(rows.values())


def team_supervised(
    teams: list[Team], since: dt.date, *, standards: standard.History, today: dt.date
) -> list[Supervised]:
    """Current practitioners and trainees of these teams."""
    memberships = Membership.objects.active().filter(team__in=teams, role__in=COMPLIANCE_ROLES, user__is_active=True)
    return supervised_among(memberships, since, standards=standards, today=today)


def returns_of(note: Note) -> list[NoteReturn]:
    """Each time the note was returned with comments, oldest first."""
    return list(NoteReturn.objects.filter(note=note).select_related("returned_by"))


def standard_changes(service_id: uuid.UUID) -> list[SupervisionStandardSetting]:
    """Every change of the service's supervision standard, oldest first (one query)."""
    return SupervisionStandardSetting.objects.history_of(service_id)


def standard_now(team: Team, today: dt.date) -> standard.Standard:
    """The supervision standard in force today for the team's service (one query)."""
    return SupervisionStandardSetting.objects.in_force(team.service_id, today)
