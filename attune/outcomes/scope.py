"""Who may see outcome measures. A measure belongs to an episode, so it is seen by the people who
work with families in the episode's team (the care scope's rules: 404 outside the team, 403 for
a role there that does not work with families). Views reach outcome data only through here
(DESIGN.md convention 5); look-ups that need no scope are in queries.py, the progress page's
record in pages.py."""

import uuid
from dataclasses import dataclass

from attune.accounts.models import User
from attune.care import scope as care_scope
from attune.care.models import Episode
from attune.families.models import Carer, FamilyAlert, Infant
from attune.organisations.models import Team
from attune.organisations.roles import Capability, Role
from attune.organisations.scope import Scope
from attune.outcomes.models import Administration, MeasureSchedule, QuestionnaireLink
from attune.outcomes.queries import CaseloadMeasures, measures_of


@dataclass(frozen=True)
class EpisodePeople:
    """An episode and who takes part in it, for choosing whom a measure is about."""

    episode: Episode
    carers: list[Carer]
    infants: list[Infant]


def episode_for_entry(scope: Scope, episode_id: uuid.UUID) -> EpisodePeople:
    """The episode (care scope rules) with the carers and babies taking part, by name."""
    episode = care_scope.get_episode(scope, episode_id)
    return EpisodePeople(
        episode=episode,
        carers=list(episode.carers.order_by("given_name", "family_name", "pk")),
        infants=list(episode.infants.order_by("date_of_birth", "expected_due_date", "given_name", "pk")),
    )


def get_administration(scope: Scope, administration_id: uuid.UUID) -> Administration:
    """A stored measure with what its page shows: 404 outside the episode's team, 403 for a role
    there that does not work with families."""
    return scope.get(
        Administration.objects.select_related(
            "episode__team__service", "episode__family", "episode__referral", "carer", "infant", "entered_by"
        ),
        administration_id,
        team="episode__team",
        act=Capability.WORK_WITH_FAMILIES,
    )


def get_alert(scope: Scope, administration: Administration, alert_id: uuid.UUID) -> FamilyAlert:
    """An alert raised by this measure (get_administration first); 404 for any other."""
    raised = FamilyAlert.objects.filter(about_type="outcomes.administration", about_id=str(administration.pk))
    return scope.get(raised.select_related("closed_by", "action_done_by", "reviewed_by"), alert_id, team=None)


REVIEWER_ROLES = frozenset({Role.SUPERVISOR, Role.TEAM_LEAD})


def may_review_alerts(scope: Scope, team_id: uuid.UUID) -> bool:
    """A clinical supervisor or team lead of the episode's team reviews its high-risk alerts."""
    return bool(scope.team_roles.get(team_id, frozenset()) & REVIEWER_ROLES)


def get_alert_to_review(scope: Scope, administration: Administration, alert_id: uuid.UUID) -> FamilyAlert:
    """An alert of this measure (get_administration first), for a supervisor or team lead of the
    episode's team to review; 403 (audited) for anyone else there."""
    alert = get_alert(scope, administration, alert_id)
    if not may_review_alerts(scope, administration.episode.team_id):
        raise scope.forbidden("families.familyalert", alert_id)
    return alert


def get_link(scope: Scope, episode: Episode, link_id: uuid.UUID) -> QuestionnaireLink:
    """A link of this episode (get the episode through the care scope first); 404 for any other."""
    links = QuestionnaireLink.objects.select_related("carer", "infant", "sent_by", "revoked_by").filter(episode=episode)
    link = scope.get(links, link_id, team=None)
    link.episode = episode
    return link


def get_team_schedule(scope: Scope, team: Team, schedule_id: uuid.UUID | str) -> MeasureSchedule:
    """One active row of the team's schedule (get the team first, as its lead); 404 otherwise."""
    return scope.get(MeasureSchedule.objects.filter(team=team, active=True), schedule_id, team=None)


def caseload_measures(scope: Scope, practitioner: User) -> CaseloadMeasures:
    """Three queries, however many families: episodes, schedules, and people with measures recorded."""
    episodes = list(care_scope.episodes(scope).open().on_caseload_of(practitioner).order_by("opened_at", "pk"))
    return measures_of(episodes)
