"""Scoped look-ups for supervision. A session is seen by its supervisor and the people
supervised in it, and by team leads of their teams; a family discussed is seen only by people
who may see that family: those at the session, or anyone working with families in its team."""

import datetime as dt
import uuid

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from attune.accounts.models import User
from attune.care.codes import WorkerRole
from attune.care.models import Episode, EpisodeWorker, Note
from attune.families.models import Infant
from attune.organisations.models import Membership, Team
from attune.organisations.roles import Capability, Role
from attune.organisations.scope import Scope
from attune.supervision.models import (
    CaseDiscussion,
    ClinicalExperience,
    NoteReturn,
    SessionAttendee,
    SupervisionAction,
    SupervisionSession,
    SupervisionStandardSetting,
)
from attune.supervision.queries import (
    COMPLIANCE_ROLES,
    Supervised,
    discussable_episodes,
    supervisable_people,
    supervised_among,
    supervisee_ids_of,
)


def _me(scope: Scope) -> User:
    assert isinstance(scope.user, User)
    return scope.user


def _sessions_with_rows() -> QuerySet[SupervisionSession]:
    return (
        SupervisionSession.objects.select_related("supervisor")
        .prefetch_related(
            Prefetch(
                "attendees",
                queryset=SessionAttendee.objects.select_related("supervisee").order_by("supervisee__full_name"),
            )
        )
        .annotate(
            discussion_count=Count("discussions", distinct=True),
            open_action_count=Count("actions", filter=Q(actions__done_at__isnull=True), distinct=True),
        )
    )


def sessions(scope: Scope) -> QuerySet[SupervisionSession]:
    """Supervision the person gave or received, newest first."""
    mine = SupervisionSession.objects.involving(scope.user).values("pk")
    return _sessions_with_rows().filter(pk__in=mine).order_by("-held_on", "-created_at", "pk")


def _led_team_ids(scope: Scope) -> set[uuid.UUID]:
    return scope.team_ids(Capability.LEAD_TEAM) | scope.team_ids(Capability.SUPERVISE)


def get_session(scope: Scope, session_id: uuid.UUID) -> SupervisionSession:
    """404 unless the person gave or attended it, or leads (or supervises in) a team where the
    supervisor or someone supervised is a current member."""
    session = (
        SupervisionSession.objects.select_related("supervisor", "recorded_by")
        .prefetch_related(
            Prefetch(
                "attendees",
                queryset=SessionAttendee.objects.select_related("supervisee").order_by("supervisee__full_name"),
            ),
            Prefetch("actions", queryset=SupervisionAction.objects.select_related("owner", "done_by")),
        )
        .filter(pk=session_id)
        .first()
    )
    return scope.found(
        session if session and _may_see(scope, session) else None, "supervision.supervisionsession", session_id
    )


def _may_see(scope: Scope, session: SupervisionSession) -> bool:
    people = {session.supervisor_id, *(a.supervisee_id for a in session.attendees.all())}
    if scope.user.pk in people:
        return True
    led = _led_team_ids(scope)
    return bool(led) and Membership.objects.active().filter(user_id__in=people, team_id__in=led).exists()


def was_present(scope: Scope, session: SupervisionSession) -> bool:
    return scope.user.pk == session.supervisor_id or any(
        a.supervisee_id == scope.user.pk for a in session.attendees.all()
    )


def visible_discussions(scope: Scope, session: SupervisionSession) -> tuple[list[CaseDiscussion], int]:
    """The families discussed that this person may see, and how many others there were."""
    found = list(
        CaseDiscussion.objects.filter(session=session)
        .select_related("episode__family", "episode__team")
        .prefetch_related("episode__family__infants", "episode__family__carers")
        .order_by("created_at", "pk")
    )
    if was_present(scope, session):
        return found, 0
    allowed = scope.team_ids(Capability.WORK_WITH_FAMILIES)
    shown = [d for d in found if d.episode.team_id in allowed]
    return shown, len(found) - len(shown)


def get_action(scope: Scope, session: SupervisionSession, action_id: uuid.UUID) -> SupervisionAction:
    """An action agreed in this session (get_session first); 404 for any other."""
    found = next((action for action in session.actions.all() if action.pk == action_id), None)
    return scope.found(found, "supervision.supervisionaction", action_id)


# Recording ---------------------------------------------------------------------------------


def supervisee_choices(scope: Scope) -> list[User]:
    """Everyone the person may record supervision for; 403 for someone who is not a supervisor."""
    scope.require(Capability.SUPERVISE, "supervision.supervisionsession")
    return list(
        supervisable_people(_me(scope)).prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.active().select_related("team"),
                to_attr="current_memberships",
            )
        )
    )


def episode_choices(scope: Scope, supervisee_ids: list[uuid.UUID]) -> list[Episode]:
    """Open episodes held by the possible supervisees (lead or co-worker), families named, and the
    ones in the supervisor's own teams that they hold: what can be discussed."""
    held_by = (
        EpisodeWorker.objects.filter(practitioner_id__in=supervisee_ids, ended_at__isnull=True)
        .select_related("practitioner")
        .order_by("practitioner__full_name")
    )
    return list(
        discussable_episodes(_me(scope), supervisee_ids)
        .filter(workers__practitioner_id__in=supervisee_ids, workers__ended_at__isnull=True)
        .select_related("family", "team")
        .prefetch_related("family__infants", "family__carers", Prefetch("workers", queryset=held_by, to_attr="held_by"))
        .order_by("team__name", "opened_at", "pk")
    )


# Compliance ----------------------------------------------------------------------------------


def compliance_team(scope: Scope, team_id: uuid.UUID) -> Team:
    """A team the person leads or supervises in (404 outside it, 403 for other roles)."""
    roles = scope.team_roles.get(team_id)
    if roles is None:
        raise scope.not_found("organisations.team", team_id)
    if team_id not in _led_team_ids(scope):
        raise scope.forbidden("organisations.team", team_id)
    return scope.get_team(team_id, Capability.VIEW_TEAM)


def compliance_teams(scope: Scope, team: Team) -> list[Team]:
    """The team, and for a hub each of its satellites the person also leads or supervises in."""
    led = _led_team_ids(scope)
    satellites = list(Team.objects.filter(hub=team, pk__in=led).order_by("name")) if team.hub_id is None else []
    return [team, *satellites]


def my_supervisees(scope: Scope, since: dt.date, *, today: dt.date) -> list[Supervised]:
    """The people the person supervises, each with the standard of their team's service today
    (403 for someone who supervises nobody's team)."""
    scope.require(Capability.SUPERVISE, "supervision.compliance")
    ids = supervisee_ids_of(_me(scope))
    memberships = Membership.objects.active().filter(
        user_id__in=ids, role__in=[*COMPLIANCE_ROLES, Role.SUPERVISOR.value], team__isnull=False, user__is_active=True
    )
    standards = SupervisionStandardSetting.objects.history(memberships.values("team__service_id"))
    return supervised_among(memberships, since, standards=standards, today=today)


# Countersigning and supervisees' caseloads -------------------------------------------------


def countersign_queue(scope: Scope) -> QuerySet[Note]:
    """Trainees' signed notes awaiting countersignature in teams where the person supervises,
    oldest first."""
    scope.require(Capability.SUPERVISE, "care.note")
    teams = scope.team_ids(Capability.SUPERVISE)
    return (
        Note.objects.filter(
            needs_countersignature=True,
            countersigned_at__isnull=True,
            appointment__episode__team_id__in=teams,
        )
        .exclude(author=_me(scope))
        # A note returned with comments is with the trainee until they answer.
        .exclude(Exists(NoteReturn.objects.unanswered().filter(note=OuterRef("pk"))))
        .select_related("author", "appointment__episode__family", "appointment__episode__team")
        .prefetch_related("appointment__episode__family__infants", "appointment__episode__family__carers")
        .order_by("signed_at", "pk")
    )


def get_supervisee(scope: Scope, user_id: uuid.UUID) -> User:
    """Someone the person supervises: 403 for a non-supervisor, 404 for anyone else."""
    scope.require(Capability.SUPERVISE, "accounts.user")
    return scope.get(User.objects.filter(pk__in=supervisee_ids_of(_me(scope))), user_id, team=None)


def supervisee_families(scope: Scope, supervisee: User) -> tuple[list[Episode], int]:
    """The supervisee's open episodes the person may see (in their own teams, or discussed with
    them in supervision), and how many others they hold."""
    held = Episode.objects.open().on_caseload_of(supervisee)
    discussed = CaseDiscussion.objects.filter(
        Q(session__supervisor=scope.user) | Q(session__attendees__supervisee=scope.user)
    ).values("episode_id")
    visible = held.filter(Q(team_id__in=scope.team_ids(Capability.WORK_WITH_FAMILIES)) | Q(pk__in=discussed))
    lead = EpisodeWorker.objects.filter(role=WorkerRole.LEAD, ended_at__isnull=True).select_related("practitioner")
    shown = list(
        visible.select_related("family", "team")
        .prefetch_related(
            Prefetch("family__infants", queryset=Infant.objects.order_by("date_of_birth")),
            "family__carers",
            Prefetch("workers", queryset=lead, to_attr="leads"),
            "interventions",
        )
        .order_by("team__name", "opened_at", "pk")
    )
    total = held.count()
    return shown, total - len(shown)


# Setting someone's experience -----------------------------------------------------------------


def experience_person(scope: Scope, team: Team, raw_id: str) -> tuple[User, ClinicalExperience | None]:
    """A current practitioner or trainee followed on the team's compliance page (the team and,
    for a hub, satellites the person also leads or supervises in), with their experience: 404
    for anyone else."""
    teams = compliance_teams(scope, team)
    followed = Membership.objects.active().filter(team__in=teams, role__in=COMPLIANCE_ROLES, user__is_active=True)
    person = scope.get(User.objects.filter(pk__in=followed.values("user_id")), raw_id[:40], team=None)
    return person, ClinicalExperience.objects.filter(practitioner=person).first()
