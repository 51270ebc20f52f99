"""Scoped look-ups for workforce pages. A training plan is seen by the trainee, the plan's
supervisor, supervisors in the trainee's team and team leads of that team (or of its hub);
posts by the team's leads; non-caseload activity by people who work with families in the team.
Views reach workforce data only through here (DESIGN.md convention 5)."""

import datetime as dt
import uuid

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from attune.accounts.models import User
from attune.care.codes import ATTENDED
from attune.care.models import Appointment
from attune.organisations.models import Membership, Team
from attune.organisations.roles import Capability, Role
from attune.organisations.scope import Scope
from attune.supervision.models import SessionAttendee
from attune.workforce import hours
from attune.workforce.models import Evidence, NonCaseloadActivity, Post, SignOff, TrainingPlan
from attune.workforce.services import may_sign_off

# Training plans ---------------------------------------------------------------------------------


def _plan_filter(scope: Scope) -> Q:
    leads = scope.team_ids(Capability.LEAD_TEAM)
    return (
        Q(trainee_id=scope.user.pk)
        | Q(supervisor_id=scope.user.pk)
        | Q(team_id__in=scope.team_ids(Capability.SUPERVISE))
        | Q(team_id__in=leads)
        | Q(team__hub_id__in=leads)
    )


def plans(scope: Scope) -> QuerySet[TrainingPlan]:
    """Plans the person can see, with what the list shows."""
    if not scope.memberships:
        return TrainingPlan.objects.none()
    return (
        TrainingPlan.objects.filter(_plan_filter(scope))
        .select_related("trainee", "supervisor", "team")
        .prefetch_related(Prefetch("sign_offs", queryset=SignOff.objects.only("id", "plan_id", "competency_code")))
        .order_by("team__name", "trainee__full_name", "started_on")
    )


def get_plan(scope: Scope, plan_id: uuid.UUID) -> TrainingPlan:
    """404 for anyone outside the trainee's team who is not concerned with the plan; 403 for a
    colleague in the team who is neither the trainee, a supervisor nor a team lead."""
    plan = TrainingPlan.objects.select_related("trainee", "supervisor", "team__hub").filter(pk=plan_id).first()
    if plan is None:
        raise scope.not_found("workforce.trainingplan", plan_id)
    if not scope.memberships or not TrainingPlan.objects.filter(_plan_filter(scope), pk=plan.pk).exists():
        if plan.team_id in scope.team_ids(Capability.VIEW_TEAM):
            raise scope.forbidden("workforce.trainingplan", plan_id)
        raise scope.not_found("workforce.trainingplan", plan_id)
    scope.acting_in_team(plan.team)
    return plan


def get_plan_to_sign_off(scope: Scope, plan_id: uuid.UUID) -> TrainingPlan:
    """The plan, for someone who may sign off its competencies (services.may_sign_off): 403 for
    anyone else who may see it."""
    plan = get_plan(scope, plan_id)
    if not may_sign_off(scope.user, plan):
        raise scope.forbidden("workforce.trainingplan", plan_id)
    return plan


def evidence_of(plan: TrainingPlan) -> list[Evidence]:
    return list(plan.evidence.select_related("recorded_by").order_by("dated_on", "created_at"))


def sign_offs_of(plan: TrainingPlan) -> list[SignOff]:
    return list(plan.sign_offs.select_related("signed_by"))


def hours_of(plan: TrainingPlan, today: dt.date) -> hours.HoursSummary:
    """The trainee's supervised clinical hours since the plan started, derived from attended
    contacts (as lead or second practitioner) and supervision sessions attended."""
    trainee = plan.trainee
    contacts = (
        Appointment.objects.filter(Q(practitioner=trainee) | Q(second_practitioner=trainee))
        .filter(
            attendance__in=[code.value for code in ATTENDED],
            # A time, not `starts_at__date`, so SQLite need not work out each row's local date.
            starts_at__gte=timezone.make_aware(dt.datetime.combine(plan.started_on, dt.time.min)),
        )
        .values_list("practitioner_id", "second_practitioner_id", "starts_at", "ends_at", "attendance")
    )
    contact_rows = [
        hours.ContactRow(frozenset(p for p in (first, second) if p is not None), starts, ends, attendance)
        for first, second, starts, ends, attendance in contacts
    ]
    sessions = SessionAttendee.objects.filter(supervisee=trainee, session__held_on__gte=plan.started_on).values_list(
        "supervisee_id", "session__held_on", "session__duration_minutes"
    )
    supervision_rows = [hours.SupervisionRow(who, held_on, minutes) for who, held_on, minutes in sessions]
    return hours.derive(trainee.pk, contact_rows, supervision_rows, today=today, since=plan.started_on)


# Posts ------------------------------------------------------------------------------------------


def get_posts_team(scope: Scope, team_id: uuid.UUID) -> Team:
    """A team whose posts the person manages: its team leads."""
    return scope.get_team(team_id, Capability.LEAD_TEAM)


def posts_of(team: Team) -> list[Post]:
    return list(Post.objects.filter(team=team).select_related("holder").order_by("-starts_on", "title"))


# The wider workforce ------------------------------------------------------------------------------


def get_activity_team(scope: Scope, team_id: uuid.UUID) -> Team:
    """A team whose consultation and training the person records: people who work with families."""
    return scope.get_team(team_id, Capability.WORK_WITH_FAMILIES)


def activities_of(team: Team, since: dt.date) -> list[NonCaseloadActivity]:
    return list(
        NonCaseloadActivity.objects.filter(team=team, held_on__gte=since)
        .select_related("recorded_by")
        .order_by("-held_on", "-created_at")
    )


# Creating plans and managing posts ----------------------------------------------------------------

PLAN_MAKERS = frozenset({Role.TEAM_LEAD, Role.SUPERVISOR})


def plan_team_ids(scope: Scope) -> set[uuid.UUID]:
    """Teams where the person may start a training plan: they lead the team or supervise in it."""
    return {team_id for team_id, roles in scope.team_roles.items() if roles & PLAN_MAKERS}


def plan_teams(scope: Scope) -> list[Team]:
    return list(Team.objects.filter(pk__in=plan_team_ids(scope)).order_by("name"))


def get_plan_team(scope: Scope, team_id: uuid.UUID) -> Team:
    """404 outside the team; 403 for a member who neither leads it nor supervises in it."""
    roles = scope.team_roles.get(team_id)
    if roles is None:
        raise scope.not_found("organisations.team", team_id)
    if not roles & PLAN_MAKERS:
        raise scope.forbidden("organisations.team", team_id)
    return scope.get_team(team_id, Capability.VIEW_TEAM)


def trainees_without_plan(team: Team) -> list[User]:
    """Current trainees of the team who have no training plan in it."""
    planned = TrainingPlan.objects.filter(team=team).values("trainee_id")
    ids = Membership.objects.active().filter(team=team, role=Role.TRAINEE, user__is_active=True).values("user_id")
    return list(User.objects.filter(pk__in=ids).exclude(pk__in=planned).order_by("full_name", "pk"))


def supervisor_choices(team: Team) -> list[User]:
    """Current supervisors in the team or its hub."""
    team_ids = [team.pk, *([team.hub_id] if team.hub_id else [])]
    ids = (
        Membership.objects.active()
        .filter(team_id__in=team_ids, role=Role.SUPERVISOR, user__is_active=True)
        .values("user_id")
    )
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "pk"))


def team_members(team: Team) -> list[User]:
    """Current members of the team, for holding a post."""
    ids = Membership.objects.active().filter(team=team, user__is_active=True).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "pk"))


def get_post(scope: Scope, team: Team, raw_id: str) -> Post:
    """A post of the team, by the id in the query string: 404 for anything else."""
    return scope.get(Post.objects.select_related("holder").filter(team=team), raw_id[:40], team=None)
