"""Bulk siblings of `services.allocate_episode` and of `book_appointment` followed by
`record_attendance`, for importers that bring in a team's caseloads and their past contacts
at once: the same rows (episode, its people, workers and history through append_events;
appointments with their attendance and who came), the same checks and the same audit events,
in a few queries for thousands instead of dozens each. Each takes the dates the records had in
the system they came from. attune/interop/tests/test_import_bulk.py holds them to the actions' rows."""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from attune.accounts.models import User
from attune.care import services
from attune.care.codes import AT_A_SITE, MISSED, ContactKind, ProfessionalRole, WorkerRole
from attune.care.models import (
    CANCELLED,
    Appointment,
    Episode,
    EpisodeEvent,
    EpisodeWorker,
    Intervention,
    PractitionerCapacity,
)
from attune.care.queries import contact_details_offered
from attune.core import audit
from attune.core.actors import Actor
from attune.core.models import TaskKind
from attune.core.tasks import raise_task
from attune.families.models import Carer, Infant
from attune.families.naming import family_title
from attune.organisations.models import Membership
from attune.organisations.roles import Capability, Role, roles_with
from attune.referrals.models import Referral
from attune.referrals.workflow import Status

ATTENDED_CODES = ("5", "6")


@dataclass(frozen=True)
class PastAllocation:
    referral: Referral
    lead: User
    interventions: list[Intervention]
    opened_at: dt.datetime


@transaction.atomic
def allocate_episodes(*, actor: Actor, items: Sequence[PastAllocation], override_reason: str) -> list[Episode]:
    """allocate_episode for each item, opened at its own time. Going past a practitioner's
    caseload needs `override_reason`, as on the page."""
    if not items:
        return []
    referral_ids = [item.referral.pk for item in items]
    referrals = {
        r.pk: r
        for r in Referral.objects.select_for_update().select_related("team", "family").filter(pk__in=referral_ids)
    }
    if len(referrals) != len(set(referral_ids)) or len(referral_ids) != len(set(referral_ids)):
        raise services.CareError("Each referral can be allocated once")
    allocated = Episode.objects.filter(referral_id__in=referral_ids).first()
    if allocated is not None:
        raise services.AlreadyAllocated(allocated)
    if any(r.status != Status.ACCEPTED for r in referrals.values()):
        raise services.CareError("This referral is not on the waiting list")
    if any(not item.interventions for item in items):
        raise services.CareError("Select at least one intervention")
    by_team: dict[object, list[PastAllocation]] = defaultdict(list)
    for item in items:
        by_team[referrals[item.referral.pk].team_id].append(item)
    over_by_item: dict[int, list[str]] = {}
    today = timezone.localdate()
    for team_items in by_team.values():
        team = referrals[team_items[0].referral.pk].team
        leads = {item.lead.pk: item.lead for item in team_items}
        capacities = {
            c.practitioner_id: c
            for c in PractitionerCapacity.objects.select_for_update()
            .filter(team=team, practitioner__in=list(leads))
            .with_maximum(today)
        }
        missing = [lead.full_name for pk, lead in leads.items() if pk not in capacities]
        if missing:
            raise services.CareError(f"{' and '.join(missing)} has no caseload set in {team.name}")
        weights = services.weights_today(team.service_id)
        loads = services.weighted_caseloads(team, list(leads), weights=weights)
        for item in team_items:
            loads[item.lead.pk] += services.episode_weight(item.interventions, weights)
            if loads[item.lead.pk] > capacities[item.lead.pk].limit:
                over_by_item[id(item)] = [item.lead.full_name]
    if over_by_item and not override_reason.strip():
        raise services.CapacityExceeded(
            [(item.lead, Decimal("0"), Decimal("0")) for item in items if id(item) in over_by_item]
        )
    episodes = [
        Episode(
            referral=referrals[item.referral.pk],
            family=referrals[item.referral.pk].family,
            team=referrals[item.referral.pk].team,
            opened_at=item.opened_at,
            created_at=item.opened_at,
            last_event_kind=EpisodeEvent.Kind.ALLOCATED,
            last_event_at=item.opened_at,
        )
        for item in items
    ]
    Episode.objects.bulk_create(episodes, batch_size=500)
    family_ids = {episode.family_id for episode in episodes}
    infants: dict[object, list[uuid.UUID]] = defaultdict(list)
    carers: dict[object, list[uuid.UUID]] = defaultdict(list)
    for family_id, pk in Infant.objects.filter(family_id__in=family_ids).values_list("family_id", "pk"):
        infants[family_id].append(pk)
    for family_id, pk in Carer.objects.filter(family_id__in=family_ids).values_list("family_id", "pk"):
        carers[family_id].append(pk)
    through_interventions = Episode.interventions.through
    through_infants = Episode.infants.through
    through_carers = Episode.carers.through
    through_interventions.objects.bulk_create(
        [
            through_interventions(episode_id=episode.pk, intervention_id=intervention.pk)
            for episode, item in zip(episodes, items, strict=True)
            for intervention in item.interventions
        ],
        batch_size=1000,
    )
    through_infants.objects.bulk_create(
        [through_infants(episode_id=e.pk, infant_id=pk) for e in episodes for pk in infants[e.family_id]],
        batch_size=1000,
    )
    through_carers.objects.bulk_create(
        [through_carers(episode_id=e.pk, carer_id=pk) for e in episodes for pk in carers[e.family_id]],
        batch_size=1000,
    )
    EpisodeWorker.objects.bulk_create(
        [
            EpisodeWorker(
                episode=episode,
                practitioner=item.lead,
                role=WorkerRole.LEAD,
                started_at=item.opened_at,
                created_at=item.opened_at,
            )
            for episode, item in zip(episodes, items, strict=True)
        ],
        batch_size=500,
    )
    history = []
    events = []
    for episode, item in zip(episodes, items, strict=True):
        detail = {"lead": str(item.lead.pk), "co_worker": ""}
        if id(item) in over_by_item:
            detail["over_capacity"] = ", ".join(over_by_item[id(item)])
        history.append(
            EpisodeEvent(
                episode=episode,
                kind=EpisodeEvent.Kind.ALLOCATED,
                at=item.opened_at,
                by=actor.person,
                note=override_reason.strip() if id(item) in over_by_item else "",
                detail=detail,
            )
        )
        events.append(
            audit.event(
                action="episode.allocated", actor=actor, obj=episode, family_id=episode.family_id, detail=detail
            )
        )
    services.append_events(history)
    audit.record_many(events)
    return episodes


@dataclass(frozen=True)
class PastContact:
    episode: Episode
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    practitioner: User
    attendance: str


def _check_contacts(items: Sequence[PastContact], now: dt.datetime) -> None:
    people = {item.practitioner.pk for item in items}
    teams = {item.episode.team_id for item in items}
    allowed = set(
        Membership.objects.active()
        .filter(user_id__in=people, team_id__in=teams, role__in=roles_with(Capability.WORK_WITH_FAMILIES))
        .values_list("user_id", "team_id")
    )
    open_ids = set(Episode.objects.open().filter(pk__in={i.episode.pk for i in items}).values_list("pk", flat=True))
    for item in items:
        if problem := services.times_problem(item.starts_at, item.ends_at) or services.episode_problem(
            is_open=item.episode.pk in open_ids, opened_at=item.episode.opened_at, starts_at=item.starts_at
        ):
            raise services.CareError(problem)
        if item.kind in AT_A_SITE or item.kind not in ContactKind.values:
            raise services.CareError("Only contacts away from a site can be recorded here")
        if (item.practitioner.pk, item.episode.team_id) not in allowed:
            raise services.CareError(
                f"{item.practitioner.full_name} does not work with families in {item.episode.team.name}"
            )
        if problem := services.attendance_problem(item.attendance, starts_at=item.starts_at, now=now):
            raise services.CareError(problem)
    # Double booking: against the diary in Attune, and within the batch, in one sweep through
    # each practitioner's diary in time order (not every pair: a diary may hold thousands).
    first, last = min(i.starts_at for i in items), max(i.ends_at for i in items)
    diaries: dict[object, list[tuple[dt.datetime, dt.datetime, PastContact | None]]] = defaultdict(list)
    for item in items:
        diaries[item.practitioner.pk].append((item.starts_at, item.ends_at, item))
    for practitioner_id, second_id, starts_at, ends_at in (
        Appointment.objects.filter(Q(practitioner_id__in=people) | Q(second_practitioner_id__in=people))
        .filter(starts_at__lt=last, ends_at__gt=first)
        .exclude(attendance__in=CANCELLED)
        .values_list("practitioner_id", "second_practitioner_id", "starts_at", "ends_at")
    ):
        for pk in {practitioner_id, second_id} & people:
            diaries[pk].append((starts_at, ends_at, None))
    names: dict[object, str] = {item.practitioner.pk: item.practitioner.full_name for item in items}
    for person_id, intervals in diaries.items():
        latest_end: dt.datetime | None = None
        latest_new: dt.datetime | None = None
        # By start; at the same start an appointment already in the diary comes first.
        for starts_at, ends_at, contact in sorted(intervals, key=lambda i: (i[0], i[2] is not None)):
            clash = (contact is not None and latest_end is not None and starts_at < latest_end) or (
                contact is None and latest_new is not None and starts_at < latest_new
            )
            if clash:
                raise services.DoubleBooked(
                    f"{names[person_id]} already has an appointment at "
                    f"{timezone.localtime(starts_at):%H:%M} on {timezone.localtime(starts_at):%-d %B %Y}"
                )
            latest_end = ends_at if latest_end is None else max(latest_end, ends_at)
            if contact is not None:
                latest_new = ends_at if latest_new is None else max(latest_new, ends_at)


@transaction.atomic
def record_past_contacts(*, actor: Actor, items: Sequence[PastContact]) -> list[Appointment]:
    """book_appointment then record_attendance for each past contact (away from a site): the
    appointment with its attendance code, its contact details as the attendance form would
    offer them, who came (everyone in the episode when attended), the two audit events each,
    and the task to review two missed appointments in a row."""
    if not items:
        return []
    now = timezone.now()
    _check_contacts(items, now)
    trainees = set(
        Membership.objects.filter(
            user_id__in={i.practitioner.pk for i in items},
            team_id__in={i.episode.team_id for i in items},
            role=Role.TRAINEE,
        ).values_list("user_id", "team_id")
    )
    appointments = []
    for item in items:
        appointment = Appointment(
            episode=item.episode,
            kind=item.kind,
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            practitioner=item.practitioner,
            attendance=item.attendance,
            attendance_recorded_at=now,
            attendance_recorded_by=actor.person,
        )
        # What the attendance form offers: the role from the practitioner's membership (read
        # once above, not once a contact), how and where from the kind of contact.
        appointment.professional_role = (
            ProfessionalRole.TRAINEE
            if (item.practitioner.pk, item.episode.team_id) in trainees
            else ProfessionalRole.THERAPIST
        )
        for name, value in contact_details_offered(appointment).items():
            setattr(appointment, name, value)
        appointments.append(appointment)
    Appointment.objects.bulk_create(appointments, batch_size=500)
    episode_ids = {item.episode.pk for item in items}
    infants: dict[object, list[uuid.UUID]] = defaultdict(list)
    carers: dict[object, list[uuid.UUID]] = defaultdict(list)
    for episode_id, pk in Episode.infants.through.objects.filter(episode_id__in=episode_ids).values_list(
        "episode_id", "infant_id"
    ):
        infants[episode_id].append(pk)
    for episode_id, pk in Episode.carers.through.objects.filter(episode_id__in=episode_ids).values_list(
        "episode_id", "carer_id"
    ):
        carers[episode_id].append(pk)
    came_infants = Appointment.attended_infants.through
    came_carers = Appointment.attended_carers.through
    attended = [a for a in appointments if a.attendance in ATTENDED_CODES]
    came_infants.objects.bulk_create(
        [came_infants(appointment_id=a.pk, infant_id=pk) for a in attended for pk in infants[a.episode_id]],
        batch_size=1000,
    )
    came_carers.objects.bulk_create(
        [came_carers(appointment_id=a.pk, carer_id=pk) for a in attended for pk in carers[a.episode_id]],
        batch_size=1000,
    )
    events = []
    for appointment in appointments:
        family_id = appointment.episode.family_id
        events.append(
            audit.event(
                action="appointment.booked",
                actor=actor,
                obj=appointment,
                family_id=family_id,
                detail={"episode": str(appointment.episode_id)},
            )
        )
        events.append(
            audit.event(
                action="appointment.attendance_recorded",
                actor=actor,
                obj=appointment,
                family_id=family_id,
                detail={"code": appointment.attendance},
            )
        )
    audit.record_many(events)
    _missed_twice(actor, appointments)
    return appointments


def _missed_twice(actor: Actor, made: list[Appointment]) -> None:
    """The review task record_attendance raises when a missed appointment follows another."""
    missed = [a for a in made if a.attendance in MISSED]
    if not missed:
        return
    episode_ids = {a.episode_id for a in missed}
    history: dict[object, list[tuple[dt.datetime, str]]] = defaultdict(list)
    for episode_id, starts_at, attendance in (
        Appointment.objects.filter(episode_id__in=episode_ids)
        .exclude(attendance="")
        .exclude(attendance__in=CANCELLED)
        .values_list("episode_id", "starts_at", "attendance")
    ):
        history[episode_id].append((starts_at, attendance))
    for appointment in missed:
        earlier = sorted(h for h in history[appointment.episode_id] if h[0] < appointment.starts_at)
        if earlier and earlier[-1][1] in MISSED:
            episode = appointment.episode
            for worker in episode.workers.filter(ended_at__isnull=True).select_related("practitioner"):
                raise_task(
                    kind=TaskKind.REVIEW_MISSED_APPOINTMENTS,
                    assignee=worker.practitioner,
                    title=f"Two missed appointments in a row ({family_title(episode.family)}): "
                    "review the work with the family",
                    about=episode,
                    actor=actor,
                )
