"""Who may be supervised by whom and which families may be discussed: rules shared by the
actions (which enforce them) and the scope (which offers the choices)."""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Episode, EpisodeQuerySet
from attune.organisations.models import Membership, Team
from attune.organisations.roles import Role
from attune.supervision.models import SessionAttendee

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
