"""Outcome look-ups that need no scope: about a measure or an episode already fetched through
the scope, the service's licensed wording and bands, and what a caseload has recorded."""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, DateField, Value
from django.db.models.functions import Cast

from attune.care.models import Episode
from attune.families.models import FamilyAlert
from attune.notifications.models import Message
from attune.organisations.models import Team
from attune.outcomes.models import Administration, LicensedWording, LoadedBands, MeasureSchedule, QuestionnaireLink


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


def wording_for(code: str) -> LicensedWording | None:
    """The wording the service loaded most recently for a measure (not scoped: it is the
    service's licensed text, not a family's data)."""
    return LicensedWording.objects.filter(instrument=code).order_by("-created_at").first()


def band_sets(code: str) -> list[LoadedBands]:
    """The band sets the service loaded for a measure (ASQ:SE-2: one per age interval)."""
    return list(LoadedBands.objects.filter(instrument=code).order_by("key"))


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


def team_schedules(team: Team) -> list[MeasureSchedule]:
    """The team's active schedule: by weeks into the episode (discharge last), then measure."""
    rows = list(MeasureSchedule.objects.filter(team=team, active=True))
    return sorted(
        rows, key=lambda s: (s.weeks_after_start is None, s.weeks_after_start or 0, s.instrument, s.time_point)
    )


Recorded = tuple[str, str, uuid.UUID | None, uuid.UUID | None]  # instrument, time point, carer, infant


@dataclass(frozen=True, slots=True)
class CarerTakingPart:
    """A carer as the measures due need them: whom a measure is for and the family's name.
    Not a Carer: building a model instance for each would cost more than the rules."""

    pk: uuid.UUID
    given_name: str
    family_name: str

    @property
    def full_name(self) -> str:
        return " ".join(part for part in [self.given_name, self.family_name] if part)


@dataclass(frozen=True, slots=True)
class InfantTakingPart:
    """An infant as the measures due need them (with the date of birth that decides which fit)."""

    pk: uuid.UUID
    given_name: str
    family_name: str
    date_of_birth: dt.date | None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in [self.given_name, self.family_name] if part)


People = dict[uuid.UUID, tuple[list[CarerTakingPart], list[InfantTakingPart]]]


@dataclass
class CaseloadMeasures:
    """For the home page: the practitioner's open episodes, who takes part in each (carers and
    infants, with the names and dates of birth the rules need), what each has recorded, and each
    team's schedule."""

    episodes: list[Episode]
    people: People
    recorded: dict[uuid.UUID, list[Recorded]]
    schedules: dict[uuid.UUID, list[MeasureSchedule]]


def _people_and_measures(episode_ids: list[uuid.UUID]) -> tuple[People, dict[uuid.UUID, list[Recorded]]]:
    """The carers and infants taking part in each episode, and the measures recorded in it, in
    one query (a union of the three, keys cast to text so the columns line up)."""
    people: People = {pk: ([], []) for pk in episode_ids}
    # A key cast to text (dashed on PostgreSQL, bare hex on SQLite), read once however often it
    # comes back: the same carer or baby is in each of their measures.
    keys: dict[str, uuid.UUID] = {}

    def as_uuid(value: str) -> uuid.UUID:
        key = keys.get(value)
        if key is None:
            key = keys[value] = uuid.UUID(value)
        return key

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
            people[episode_id][0].append(CarerTakingPart(as_uuid(first), second, third))
        elif kind == "infant":
            people[episode_id][1].append(InfantTakingPart(as_uuid(first), second, third, born))
        else:
            carer_id = None if third is None else as_uuid(third)
            infant_id = None if fourth is None else as_uuid(fourth)
            recorded[episode_id].append((first, second, carer_id, infant_id))
    for carers_of, infants_of in people.values():
        carers_of.sort(key=lambda c: (c.given_name, c.family_name, str(c.pk)))
        infants_of.sort(key=lambda i: (i.date_of_birth or dt.date.max, i.given_name, str(i.pk)))
    return people, recorded


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
