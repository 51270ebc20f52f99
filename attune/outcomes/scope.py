"""Scoped look-ups for outcome measures. A measure belongs to an episode, so it is seen by the
people who work with families in the episode's team (the care scope's rules: 404 outside the
team, 403 for a role there that does not work with families). Views reach outcome data only
through here (DESIGN.md convention 5). Each area adds its functions under its own heading."""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, DateField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Cast
from django.utils import timezone

from attune.accounts.models import User
from attune.care import scope as care_scope
from attune.care.models import Discharge, Episode, EpisodeEvent
from attune.families.models import Carer, FamilyAlert, Infant, SafeguardingFlag
from attune.notifications.models import Message
from attune.organisations.models import Team
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope
from attune.outcomes.models import Administration, LicensedWording, LoadedBands, MeasureSchedule, QuestionnaireLink

# Recording and alerts ----------------------------------------------------------------------------


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


def _checked_team(scope: Scope, team_id: uuid.UUID, object_type: str, object_id: uuid.UUID) -> None:
    if team_id not in scope.team_ids(Capability.VIEW_TEAM):
        raise scope.not_found(object_type, object_id)
    if team_id not in scope.team_ids(Capability.WORK_WITH_FAMILIES):
        raise scope.forbidden(object_type, object_id)


def get_administration(scope: Scope, administration_id: uuid.UUID) -> Administration:
    """A stored measure with what its page shows; 404 outside the episode's team."""
    found = (
        Administration.objects.select_related(
            "episode__team__service", "episode__family", "episode__referral", "carer", "infant", "entered_by"
        )
        .filter(pk=administration_id)
        .first()
    )
    if found is None:
        raise scope.not_found("outcomes.administration", administration_id)
    _checked_team(scope, found.episode.team_id, "outcomes.administration", administration_id)
    scope.acting_in_team(found.episode.team)
    return found


def baseline_of(administration: Administration) -> Administration | None:
    """The first administration of the same measure for the same person in the episode (the
    one change is counted from); None when this one is the baseline."""
    # carer/infant None matches IS NULL: a carer-only measure's series has no infant.
    same: dict[str, Any] = {
        "episode_id": administration.episode_id,
        "instrument": administration.instrument,
        "carer_id": administration.carer_id,
        "infant_id": administration.infant_id,
    }
    first = Administration.objects.filter(**same).order_by("completed_on", "created_at", "pk").first()
    return None if first is None or first.pk == administration.pk else first


def alerts_of(administration: Administration) -> list[FamilyAlert]:
    """The risk alerts this measure raised, open or closed, with who closed them."""
    return list(
        FamilyAlert.objects.filter(about_type="outcomes.administration", about_id=str(administration.pk))
        .select_related("closed_by")
        .order_by("created_at", "pk")
    )


def get_alert(scope: Scope, administration: Administration, alert_id: uuid.UUID) -> FamilyAlert:
    """An alert raised by this measure (get_administration first); 404 for any other."""
    alert = (
        FamilyAlert.objects.filter(pk=alert_id, about_type="outcomes.administration", about_id=str(administration.pk))
        .select_related("closed_by")
        .first()
    )
    if alert is None:
        raise scope.not_found("families.familyalert", alert_id)
    return alert


def wording_for(code: str) -> LicensedWording | None:
    """The wording the service loaded most recently for a measure (not scoped: it is the
    service's licensed text, not a family's data)."""
    return LicensedWording.objects.filter(instrument=code).order_by("-created_at").first()


def band_sets(code: str) -> list[LoadedBands]:
    """The band sets the service loaded for a measure (ASQ:SE-2: one per age interval)."""
    return list(LoadedBands.objects.filter(instrument=code).order_by("key"))


# Parents' links ----------------------------------------------------------------------------------


def links_of(episode: Episode) -> list[QuestionnaireLink]:
    """The questionnaire links sent for an episode, newest first, with who they went to and who
    sent or withdrew them."""
    return list(
        QuestionnaireLink.objects.filter(episode=episode)
        .select_related("carer", "infant", "sent_by", "revoked_by")
        .order_by("-created_at", "pk")
    )


def link_messages(links: list[QuestionnaireLink]) -> dict[str, Message]:
    """The outbox message that carried each link (keyed by the link's id), in one query."""
    ids = [str(link.pk) for link in links]
    found = Message.objects.filter(about_type="outcomes.questionnairelink", about_id__in=ids).order_by("created_at")
    return {message.about_id: message for message in found}


def answers_awaiting_review(episode: Episode) -> list[Administration]:
    """Answers parents gave through a link that nobody has looked at yet."""
    return list(
        Administration.objects.filter(episode=episode)
        .awaiting_review()
        .select_related("carer", "infant")
        .order_by("completed_on", "created_at", "pk")
    )


def get_link(scope: Scope, episode: Episode, link_id: uuid.UUID) -> QuestionnaireLink:
    """A link of this episode (get the episode through the care scope first); 404 for any other."""
    link = (
        QuestionnaireLink.objects.select_related("carer", "infant", "sent_by", "revoked_by")
        .filter(pk=link_id, episode=episode)
        .first()
    )
    if link is None:
        raise scope.not_found("outcomes.questionnairelink", link_id)
    link.episode = episode
    return link


# Progress over time ------------------------------------------------------------------------------

# Who a page about an episode's progress is for: everyone who works with its families (the care
# scope's rules). Every look-up here runs a fixed number of queries, however many measures,
# episodes or schedules there are.


@dataclass
class ProgressRecord:
    """What the progress page shows: the episode, its dates, who takes part, every measure
    recorded (oldest first) and the team's schedule."""

    episode: Episode
    opened_on: dt.date
    discharged_on: dt.date | None  # while it stays discharged
    carers: list[Carer]
    infants: list[Infant]
    flags: list[SafeguardingFlag]
    alerts: list[FamilyAlert]
    administrations: list[Administration]
    schedules: list[MeasureSchedule]


def _current_discharge_at() -> Subquery:
    current = Discharge.objects.filter(episode=OuterRef("pk"), reopened_at__isnull=True).order_by("-discharged_at")
    return Subquery(current.values("discharged_at")[:1])


def _taking_part() -> list[Prefetch]:
    return [
        Prefetch("carers", queryset=Carer.objects.order_by("given_name", "family_name", "pk")),
        Prefetch("infants", queryset=Infant.objects.order_by("date_of_birth", "expected_due_date", "given_name", "pk")),
    ]


def progress_record(scope: Scope, episode_id: uuid.UUID) -> ProgressRecord:
    """404 outside the episode's team, 403 for a role there that does not work with families."""
    found = (
        Episode.objects.with_state()
        .annotate(current_discharge_at=_current_discharge_at())
        .select_related("team__service", "family", "referral")
        .prefetch_related(
            *_taking_part(),
            "family__infants",
            "family__carers",
            Prefetch(
                "family__safeguarding_flags",
                queryset=SafeguardingFlag.objects.active().order_by("created_at"),
                to_attr="active_flags",
            ),
            Prefetch(
                "family__alerts", queryset=FamilyAlert.objects.active().order_by("created_at"), to_attr="active_alerts"
            ),
        )
        .filter(pk=episode_id)
        .first()
    )
    if found is None:
        raise scope.not_found("care.episode", episode_id)
    _checked_team(scope, found.team_id, "care.episode", episode_id)
    scope.acting_in_team(found.team)
    discharged_at = getattr(found, "current_discharge_at", None)
    discharged = getattr(found, "last_event", None) == EpisodeEvent.Kind.DISCHARGED and discharged_at is not None
    return ProgressRecord(
        episode=found,
        opened_on=timezone.localdate(found.opened_at),
        discharged_on=timezone.localdate(discharged_at) if discharged else None,
        carers=list(found.carers.all()),
        infants=list(found.infants.all()),
        flags=list(getattr(found.family, "active_flags", [])),
        alerts=list(getattr(found.family, "active_alerts", [])),
        administrations=list(Administration.objects.filter(episode=found).order_by("completed_on", "created_at", "pk")),
        schedules=team_schedules(found.team),
    )


def team_schedules(team: Team) -> list[MeasureSchedule]:
    """The team's active schedule: by weeks into the episode (discharge last), then measure."""
    rows = list(MeasureSchedule.objects.filter(team=team, active=True))
    return sorted(
        rows, key=lambda s: (s.weeks_after_start is None, s.weeks_after_start or 0, s.instrument, s.time_point)
    )


def get_team_schedule(scope: Scope, team: Team, schedule_id: uuid.UUID | str) -> MeasureSchedule:
    """One active row of the team's schedule (get the team first, as its lead); 404 otherwise."""
    try:
        pk = uuid.UUID(str(schedule_id))
    except ValueError:
        raise scope.not_found("outcomes.measureschedule", schedule_id) from None
    found = MeasureSchedule.objects.filter(pk=pk, team=team, active=True).first()
    if found is None:
        raise scope.not_found("outcomes.measureschedule", schedule_id)
    return found


Recorded = tuple[str, str, uuid.UUID | None, uuid.UUID | None]  # instrument, time point, carer, infant


@dataclass
class CaseloadMeasures:
    """For the home page: the practitioner's open episodes, who takes part in each (carers and
    infants, with the names and dates of birth the rules need), what each has recorded, and each
    team's schedule."""

    episodes: list[Episode]
    people: dict[uuid.UUID, tuple[list[Carer], list[Infant]]]
    recorded: dict[uuid.UUID, list[Recorded]]
    schedules: dict[uuid.UUID, list[MeasureSchedule]]


def _as_uuid(value: object) -> uuid.UUID | None:
    """A key cast to text by the union below: dashed on PostgreSQL, bare hex on SQLite."""
    return None if value is None else uuid.UUID(str(value))


def _people_and_measures(
    episode_ids: list[uuid.UUID],
) -> tuple[dict[uuid.UUID, tuple[list[Carer], list[Infant]]], dict[uuid.UUID, list[Recorded]]]:
    """The carers and infants taking part in each episode, and the measures recorded in it, in
    one query (a union of the three, keys cast to text so the columns line up)."""
    people: dict[uuid.UUID, tuple[list[Carer], list[Infant]]] = {pk: ([], []) for pk in episode_ids}
    recorded: dict[uuid.UUID, list[Recorded]] = {pk: [] for pk in episode_ids}
    carers = Episode.carers.through._default_manager.filter(episode_id__in=episode_ids).values_list(
        "episode_id",
        Value("carer", output_field=CharField()),
        Cast("carer_id", CharField()),
        "carer__given_name",
        "carer__family_name",
        Value(None, output_field=CharField()),
        Value(None, output_field=DateField()),
    )
    infants = Episode.infants.through._default_manager.filter(episode_id__in=episode_ids).values_list(
        "episode_id",
        Value("infant", output_field=CharField()),
        Cast("infant_id", CharField()),
        "infant__given_name",
        "infant__family_name",
        Value(None, output_field=CharField()),
        "infant__date_of_birth",
    )
    measures = (
        Administration.objects.filter(episode_id__in=episode_ids)
        .order_by()
        .values_list(
            "episode_id",
            Value("measure", output_field=CharField()),
            "instrument",
            "time_point",
            Cast("carer_id", CharField()),
            Cast("infant_id", CharField()),
            Value(None, output_field=DateField()),
        )
    )
    for episode_id, kind, first, second, third, fourth, born in carers.union(infants, measures, all=True):
        if kind == "carer":
            people[episode_id][0].append(Carer(pk=_as_uuid(first), given_name=second, family_name=third))
        elif kind == "infant":
            people[episode_id][1].append(
                Infant(pk=_as_uuid(first), given_name=second, family_name=third, date_of_birth=born)
            )
        else:
            recorded[episode_id].append((first, second, _as_uuid(third), _as_uuid(fourth)))
    for carers_of, infants_of in people.values():
        carers_of.sort(key=lambda c: (c.given_name, c.family_name, str(c.pk)))
        infants_of.sort(key=lambda i: (i.date_of_birth or dt.date.max, i.given_name, str(i.pk)))
    return people, recorded


def caseload_measures(scope: Scope, practitioner: User) -> CaseloadMeasures:
    """Three queries, however many families: episodes, schedules, and people with measures recorded."""
    episodes = list(care_scope.episodes(scope).open().on_caseload_of(practitioner).order_by("opened_at", "pk"))
    return measures_of(episodes)


def measures_of(episodes: list[Episode]) -> CaseloadMeasures:
    """For episodes already in the reader's scope (a caseload): two queries, however many."""
    ids = [e.pk for e in episodes]
    schedules: dict[uuid.UUID, list[MeasureSchedule]] = {e.team_id: [] for e in episodes}
    if not episodes:
        return CaseloadMeasures(episodes=[], people={}, recorded={}, schedules={})
    for row in MeasureSchedule.objects.filter(team_id__in=list(schedules), active=True):
        schedules[row.team_id].append(row)
    if not any(schedules.values()):
        # Nothing scheduled in these teams: nothing can be due, so nothing more to fetch.
        return CaseloadMeasures(
            episodes=episodes,
            people={pk: ([], []) for pk in ids},
            recorded={pk: [] for pk in ids},
            schedules=schedules,
        )
    people, recorded = _people_and_measures(ids)
    return CaseloadMeasures(episodes=episodes, people=people, recorded=recorded, schedules=schedules)
