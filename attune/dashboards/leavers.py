"""What a leaver hands over, gathered from the apps that hold it: the families whose care they
lead (care), their open tasks (core), the trainees they supervise and their own training plans
(workforce), their open supervision actions (supervision). Composed here because organisations
sits below all of them. A system administrator sees counts and teams, never a family's name."""

import uuid
from dataclasses import dataclass, field

from django.db import transaction

from attune.accounts.models import User
from attune.care import services as care_services
from attune.care.codes import WorkerRole
from attune.care.models import Episode, PractitionerCapacity
from attune.core.actors import Actor
from attune.core.models import Task
from attune.organisations.models import Team
from attune.supervision.models import SupervisionAction
from attune.workforce.models import TrainingPlan


@dataclass
class TeamCaseload:
    team: Team
    episodes: list[Episode]
    # Who may take them: people with a caseload set in the team, the leaver aside.
    practitioners: list[User]


@dataclass
class Handover:
    person: User
    caseloads: list[TeamCaseload]
    open_tasks: int
    supervisees: list[TrainingPlan]
    own_plans: list[TrainingPlan]
    supervision_actions: int
    nothing_left: bool = field(init=False)

    def __post_init__(self) -> None:
        self.nothing_left = not (
            self.caseloads or self.open_tasks or self.supervisees or self.own_plans or self.supervision_actions
        )


def led_episodes(person: User) -> list[Episode]:
    return list(
        Episode.objects.open()
        .filter(workers__practitioner=person, workers__role=WorkerRole.LEAD, workers__ended_at__isnull=True)
        .select_related("team")
        .distinct()
        .order_by("opened_at", "pk")
    )


def handover_of(person: User) -> Handover:
    episodes = led_episodes(person)
    teams: dict[uuid.UUID, Team] = {e.team_id: e.team for e in episodes}
    takers: dict[uuid.UUID, list[User]] = {team_id: [] for team_id in teams}
    capacities = (
        PractitionerCapacity.objects.filter(team_id__in=teams, practitioner__is_active=True)
        .exclude(practitioner=person)
        .select_related("practitioner")
        .order_by("practitioner__full_name", "pk")
    )
    for capacity in capacities:
        takers[capacity.team_id].append(capacity.practitioner)
    caseloads = [
        TeamCaseload(team=team, episodes=[e for e in episodes if e.team_id == team_id], practitioners=takers[team_id])
        for team_id, team in sorted(teams.items(), key=lambda item: item[1].name)
    ]
    return Handover(
        person=person,
        caseloads=caseloads,
        open_tasks=Task.objects.open().for_person(person).count(),
        supervisees=list(TrainingPlan.objects.filter(supervisor=person).select_related("trainee", "team")),
        own_plans=list(TrainingPlan.objects.filter(trainee=person).select_related("supervisor", "team")),
        supervision_actions=SupervisionAction.objects.open().filter(owner=person).count(),
    )


@dataclass
class Reassigned:
    moved: int
    problems: list[str]


def reassign_caseload(
    *, actor: Actor, caseload: TeamCaseload, to_practitioner: User, reason: str, override_reason: str = ""
) -> Reassigned:
    """Every episode the leaver leads in one team, transferred through care's own action; all or
    nothing, so a refusal (a full caseload) leaves the whole caseload where it was."""
    problems: list[str] = []
    try:
        with transaction.atomic():
            for episode in caseload.episodes:
                care_services.transfer_episode(
                    actor=actor,
                    episode=episode,
                    to_practitioner=to_practitioner,
                    reason=reason,
                    override_reason=override_reason,
                )
    except care_services.CareError as error:
        problems.append(str(error))
        return Reassigned(moved=0, problems=problems)
    return Reassigned(moved=len(caseload.episodes), problems=problems)
