"""Care pathway actions. Each is one function that checks the rules, locks what it must so two
people cannot collide, and writes its history and audit event in the same transaction."""

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from attune.accounts.models import User
from attune.care import checkin
from attune.care.codes import (
    AT_A_SITE,
    ATTENDED,
    MISSED,
    ActivityLocationType,
    Attendance,
    ConsultationMechanism,
    ContactKind,
    DischargeReason,
    ProfessionalRole,
    WorkerRole,
)
from attune.care.models import (
    CANCELLED,
    CENT,
    DEFAULT_EPISODE_WEIGHT,
    LONGEST_APPOINTMENT,
    MAX_WEIGHT,
    MIN_WEIGHT,
    Addendum,
    Appointment,
    Discharge,
    Episode,
    EpisodeEvent,
    EpisodeWorker,
    Goal,
    GoalRating,
    Intervention,
    InterventionWeight,
    Note,
    NoteStatus,
    PractitionerCapacity,
    Room,
)
from attune.care.queries import contact_details_offered
from attune.core import audit, clocks
from attune.core.actors import Actor
from attune.core.formatting import date_long, time_short
from attune.core.models import TaskKind
from attune.core.problems import Problems
from attune.core.tasks import close_tasks, raise_task
from attune.families.models import Carer, Infant
from attune.families.naming import family_title
from attune.organisations.models import Membership, Service, Site, Team
from attune.organisations.roles import Capability, Role, roles_with
from attune.referrals.models import Referral
from attune.referrals.workflow import Status

MAX_GOALS_PER_CARER = 3
# A home visit not checked out this long after its planned end alerts the team lead.
LONE_WORKING_GRACE = dt.timedelta(minutes=15)


class CareError(Exception):
    """A change the rules do not allow; the message is fit to show the person."""


class AlreadyAllocated(CareError):
    def __init__(self, episode: Episode) -> None:
        self.episode = episode
        super().__init__("This family has already been allocated")


class CapacityExceeded(CareError):
    """Allocating would take someone past their maximum weighted caseload."""

    def __init__(self, over: list[tuple[User, Decimal, Decimal]]) -> None:
        self.over = over
        names = "; ".join(f"{user.full_name} would have {load} of {limit}" for user, load, limit in over)
        super().__init__(f"This would take them past their maximum caseload ({names}). Give a reason to go ahead")


class DoubleBooked(CareError):
    pass


# Capacity ------------------------------------------------------------------------------------


Weights = Mapping[uuid.UUID, Decimal]


def weights_today(service_id: object) -> dict[uuid.UUID, Decimal]:
    """Every intervention's weight in force today in the service, by intervention id (one query)."""
    return InterventionWeight.objects.in_force(service_id, timezone.localdate())


def episode_weight(interventions: Iterable[Intervention], weights: Weights) -> Decimal:
    """An episode weighs as much as its heaviest intervention, at the service's `weights` (an
    intervention missing from them at its starting weight)."""
    return max((weights.get(i.pk, i.caseload_weight) for i in interventions), default=DEFAULT_EPISODE_WEIGHT)


def weighted_caseloads(
    team: Team, practitioner_ids: Iterable[object], *, weights: Weights | None = None
) -> dict[object, Decimal]:
    """Each practitioner's current weighted caseload in the team: the weights of the open episodes
    they work on now (lead or co-worker), at the service's `weights` (today's, fetched, when not
    given), from one query."""
    if weights is None:
        weights = weights_today(team.service_id)
    loads: dict[object, Decimal] = {pk: Decimal("0.00") for pk in practitioner_ids}
    # Keys only, not model objects: a hub's caseloads are hundreds of episodes, and building each
    # worker and episode cost most of the team caseloads page (issue 18).
    workers = EpisodeWorker.objects.filter(
        practitioner_id__in=list(loads),
        ended_at__isnull=True,
        episode__team=team,
        episode__in=Episode.objects.open(),
    ).values_list("practitioner_id", "episode_id")
    heaviest: dict[object, Decimal] = {}
    for episode_id, intervention_id, starting in Episode.interventions.through.objects.filter(
        episode_id__in=workers.values("episode_id")
    ).values_list("episode_id", "intervention_id", "intervention__caseload_weight"):
        weight = weights.get(intervention_id, starting)
        heaviest[episode_id] = max(heaviest.get(episode_id, weight), weight)
    for practitioner_id, episode_id in workers:
        loads[practitioner_id] += heaviest.get(episode_id, DEFAULT_EPISODE_WEIGHT)
    return loads


# Intervention weights (issue 15: set on a page, dated) ----------------------------------------


class WeightsError(Problems, CareError):
    """Weights the rules do not allow: `problems` by intervention code, or "effective_from"."""


def weight_problem(intervention: Intervention, weight: Decimal) -> str:
    """What is wrong with a weight, in the words the form shows, or ''."""
    if not weight.is_finite() or not MIN_WEIGHT <= weight <= MAX_WEIGHT:
        return (
            f"Weight for {intervention.name} must be between {MIN_WEIGHT.normalize():f} and {MAX_WEIGHT.normalize():f}"
        )
    if weight != weight.quantize(CENT):
        return f"Weight for {intervention.name} must have no more than 2 decimal places, like 0.75"
    return ""


@transaction.atomic
def change_intervention_weights(
    *, actor: Actor, service: Service, weights: Mapping[Intervention, Decimal], effective_from: dt.date
) -> list[InterventionWeight]:
    """The service's caseload weights for these interventions from a day on. Each weight that
    differs from the one in force that day gets a row from the day (the row of that day, if there
    is one, is corrected), so the days before keep their weights; a later change still applies
    from its own day. The service's row is locked, so two leads saving at once take turns."""
    problems = {i.code: problem for i, weight in weights.items() if (problem := weight_problem(i, weight))}
    if problem := clocks.setting_date_problem(effective_from, timezone.localdate()):
        problems["effective_from"] = problem
    if problems:
        raise WeightsError(problems)
    Service.objects.select_for_update().filter(pk=service.pk).first()
    before = InterventionWeight.objects.in_force(service.pk, effective_from)
    cents = {i: weight.quantize(CENT) for i, weight in weights.items()}
    changed = {i: weight for i, weight in cents.items() if before.get(i.pk, i.caseload_weight) != weight}
    if not changed:
        first = next(iter(weights), None)
        raise WeightsError({first.code if first else "effective_from": "You have not changed any of the weights"})
    rows = [
        InterventionWeight.objects.update_or_create(
            service=service, intervention=intervention, effective_from=effective_from, defaults={"weight": weight}
        )[0]
        for intervention, weight in sorted(changed.items(), key=lambda pair: pair[0].code)
    ]
    audit.record(
        action="intervention_weights.changed",
        actor=actor,
        obj=service,
        detail={
            "effective_from": effective_from.isoformat(),
            "old": {i.code: str(before.get(i.pk, i.caseload_weight)) for i in sorted(changed, key=lambda i: i.code)},
            "new": {i.code: str(changed[i]) for i in sorted(changed, key=lambda i: i.code)},
        },
    )
    return rows


# A full-time week is 37.5 hours; 60 leaves room for the unusual without letting a slip (375) in.
MAX_CONTRACTED_HOURS = Decimal("60")
MAX_WEIGHTED_CASELOAD = Decimal("50")


@transaction.atomic
def set_capacity(
    *,
    actor: Actor,
    team: Team,
    practitioner: User,
    contracted_hours: Decimal,
    max_weighted_caseload: Decimal | None,
) -> PractitionerCapacity:
    """Set how much work a practitioner takes in a team: created the first time, then updated.
    Lowering it below what they hold now is allowed (the team lead then sees them over 100%).
    No maximum (None) clears their own: the team's default maximum weighted caseload applies."""
    problems: list[str] = []
    if not Decimal("0") <= contracted_hours <= MAX_CONTRACTED_HOURS:
        problems.append(f"Contracted hours must be between 0 and {MAX_CONTRACTED_HOURS} a week")
    if max_weighted_caseload is not None and not Decimal("0") <= max_weighted_caseload <= MAX_WEIGHTED_CASELOAD:
        problems.append(f"Maximum weighted caseload must be between 0 and {MAX_WEIGHTED_CASELOAD}")
    if problems:
        raise CareError(". ".join(problems))
    hours = contracted_hours.quantize(Decimal("0.1"))
    maximum = None if max_weighted_caseload is None else max_weighted_caseload.quantize(Decimal("0.01"))
    capacity = PractitionerCapacity.objects.select_for_update().filter(team=team, practitioner=practitioner).first()
    before: dict[str, str] = {}
    if capacity is None:
        capacity = PractitionerCapacity.objects.create(
            team=team, practitioner=practitioner, contracted_hours=hours, max_weighted_caseload=maximum
        )
    else:
        own = capacity.max_weighted_caseload
        before = {
            "contracted_hours": str(capacity.contracted_hours),
            "max": "team default" if own is None else str(own),
        }
        capacity.contracted_hours, capacity.max_weighted_caseload = hours, maximum
        capacity.save(update_fields=["contracted_hours", "max_weighted_caseload", "updated_at"])
    detail = {
        "team": str(team.pk),
        "practitioner": str(practitioner.pk),
        "contracted_hours": str(hours),
        "max": "team default" if maximum is None else str(maximum),
        **({"before": before} if before else {}),
    }
    audit.record(action="capacity.set", actor=actor, obj=capacity, detail=detail)
    return PractitionerCapacity.objects.with_maximum(timezone.localdate()).select_related("team").get(pk=capacity.pk)


# The episode's history -----------------------------------------------------------------------


@transaction.atomic
def append_event(
    *,
    episode: Episode,
    kind: str,
    at: dt.datetime,
    by: User,
    note: str = "",
    detail: Mapping[str, object] | None = None,
) -> EpisodeEvent:
    """The one writer of an episode's history (tests/test_status_columns.py holds every other
    module to it): appends the event and, in the same transaction, keeps the episode's
    `last_event_kind` and `last_event_at` equal to the latest event. It checks no rule: the
    actions check theirs first, and factories build histories with it. An event dated before
    the latest one (history filled in late) leaves the columns as they are; on a tie in time the
    event added last is the latest, as the history orders it."""
    event = EpisodeEvent.objects.create(episode=episode, kind=kind, at=at, by=by, note=note, detail=dict(detail or {}))
    now = timezone.now()
    moved = Episode.objects.filter(pk=episode.pk, last_event_at__lte=at).update(
        last_event_kind=event.kind, last_event_at=at, updated_at=now
    )
    if moved:
        episode.last_event_kind, episode.last_event_at = event.kind, at
    else:
        # History filled in late still changes the episode: kept reports watch its update time
        # (attune/reports/snapshots.py) rather than the history's.
        Episode.objects.filter(pk=episode.pk).update(updated_at=now)
    return event


@transaction.atomic
def append_events(rows: Sequence[EpisodeEvent]) -> list[EpisodeEvent]:
    """append_event for many events in a few queries, for loaders and factories that write
    histories in bulk: the events, then each episode's columns from its latest event in one
    UPDATE (and on the episode objects the events hold)."""
    made = EpisodeEvent.objects.bulk_create(rows)
    held: dict[uuid.UUID, list[Episode]] = {}
    for row in made:
        if EpisodeEvent.episode.is_cached(row):
            held.setdefault(row.episode_id, []).append(row.episode)
    touched = Episode.objects.filter(pk__in={row.episode_id for row in made})
    touched.sync_last_event()
    for pk, kind, at in touched.values_list("pk", "last_event_kind", "last_event_at"):
        for episode in held.get(pk, []):
            episode.last_event_kind, episode.last_event_at = kind, at
    return made


# Allocation and transfer ---------------------------------------------------------------------


@transaction.atomic
def allocate_episode(
    *,
    actor: Actor,
    referral: Referral,
    lead: User,
    interventions: list[Intervention],
    co_worker: User | None = None,
    infants: Iterable[Infant] = (),
    carers: Iterable[Carer] = (),
    planned_review_on: dt.date | None = None,
    override_reason: str = "",
) -> Episode:
    """Open an episode of care for a family on the waiting list. The referral and the
    practitioners' capacity rows are locked, so two team leads cannot allocate the same family
    or both fill the same last place on someone's caseload."""
    referral = Referral.objects.select_for_update().select_related("team", "family").get(pk=referral.pk)
    existing = Episode.objects.filter(referral=referral).first()
    if existing is not None:
        raise AlreadyAllocated(existing)
    if referral.status != Status.ACCEPTED:  # the locked row's column: the latest of its history
        raise CareError("This referral is not on the waiting list")
    if not interventions:
        raise CareError("Select at least one intervention")
    if co_worker is not None and co_worker.pk == lead.pk:
        raise CareError("Choose a different person as co-worker, or none")
    workers = [lead, *([co_worker] if co_worker else [])]
    capacities = {
        c.practitioner_id: c
        for c in PractitionerCapacity.objects.select_for_update()
        .filter(team=referral.team, practitioner__in=workers)
        .with_maximum(timezone.localdate())
        .order_by("practitioner_id")
    }
    missing = [w.full_name for w in workers if w.pk not in capacities]
    if missing:
        raise CareError(f"{' and '.join(missing)} has no caseload set in {referral.team.name}")
    weights = weights_today(referral.team.service_id)
    weight = episode_weight(interventions, weights)
    loads = weighted_caseloads(referral.team, [w.pk for w in workers], weights=weights)
    over = [
        (w, loads[w.pk] + weight, capacities[w.pk].limit.quantize(Decimal("0.01")))
        for w in workers
        if loads[w.pk] + weight > capacities[w.pk].limit
    ]
    if over and not override_reason.strip():
        raise CapacityExceeded(over)
    now = timezone.now()
    episode = Episode.objects.create(
        referral=referral,
        family=referral.family,
        team=referral.team,
        opened_at=now,
        planned_review_on=planned_review_on,
        last_event_kind=EpisodeEvent.Kind.ALLOCATED,
        last_event_at=now,
    )
    episode.interventions.set(interventions)
    episode.infants.set(list(infants) or list(referral.family.infants.all()))
    episode.carers.set(list(carers) or list(referral.family.carers.all()))
    EpisodeWorker.objects.create(episode=episode, practitioner=lead, role=WorkerRole.LEAD, started_at=now)
    if co_worker is not None:
        EpisodeWorker.objects.create(episode=episode, practitioner=co_worker, role=WorkerRole.CO_WORKER, started_at=now)
    detail = {"lead": str(lead.pk), "co_worker": str(co_worker.pk) if co_worker else ""}
    if over:
        detail["over_capacity"] = ", ".join(user.full_name for user, _, _ in over)
    append_event(
        episode=episode,
        kind=EpisodeEvent.Kind.ALLOCATED,
        at=now,
        by=actor.person,
        note=override_reason.strip(),
        detail=detail,
    )
    audit.record(action="episode.allocated", actor=actor, obj=episode, family_id=episode.family_id, detail=detail)
    return episode


@transaction.atomic
def transfer_episode(
    *,
    actor: Actor,
    episode: Episode,
    to_practitioner: User,
    reason: str,
    to_team: Team | None = None,
    override_reason: str = "",
) -> Episode:
    """Hand the episode's lead role to another practitioner, in this team or another (hub to
    satellite or back). The family record moves with it; the history keeps who held it when."""
    episode = Episode.objects.select_for_update().select_related("team", "family").get(pk=episode.pk)
    if not Episode.objects.open().filter(pk=episode.pk).exists():
        raise CareError("This episode is closed. Reopen it before transferring it")
    if not reason.strip():
        raise CareError("Enter why the episode is being transferred")
    team = to_team or episode.team
    current = episode.workers.filter(role=WorkerRole.LEAD, ended_at__isnull=True).select_related("practitioner").first()
    if current is not None and current.practitioner_id == to_practitioner.pk and team == episode.team:
        raise CareError(f"{to_practitioner.full_name} already leads this episode")
    capacity = (
        PractitionerCapacity.objects.select_for_update()
        .filter(team=team, practitioner=to_practitioner)
        .with_maximum(timezone.localdate())
        .first()
    )
    if capacity is None:
        raise CareError(f"{to_practitioner.full_name} has no caseload set in {team.name}")
    # The episode will count in the team it moves to, at that team's service's weights.
    weights = weights_today(team.service_id)
    weight = episode_weight(episode.interventions.all(), weights)
    load = weighted_caseloads(team, [to_practitioner.pk], weights=weights)[to_practitioner.pk] + weight
    if load > capacity.limit and not override_reason.strip():
        raise CapacityExceeded([(to_practitioner, load, capacity.limit.quantize(Decimal("0.01")))])
    now = timezone.now()
    if current is not None:
        current.ended_at = now
        current.save(update_fields=["ended_at", "updated_at"])
    episode.workers.filter(practitioner=to_practitioner, ended_at__isnull=True).update(ended_at=now, updated_at=now)
    EpisodeWorker.objects.create(episode=episode, practitioner=to_practitioner, role=WorkerRole.LEAD, started_at=now)
    detail = {"to": str(to_practitioner.pk), "from": str(current.practitioner_id) if current else ""}
    if team != episode.team:
        detail["from_team"], detail["to_team"] = str(episode.team_id), str(team.pk)
        episode.team = team
        episode.save(update_fields=["team", "updated_at"])
        episode.family.team = team
        episode.family.save(update_fields=["team", "updated_at"])
    append_event(
        episode=episode,
        kind=EpisodeEvent.Kind.TRANSFERRED,
        at=now,
        by=actor.person,
        note=reason.strip(),
        detail=detail,
    )
    audit.record(action="episode.transferred", actor=actor, obj=episode, family_id=episode.family_id, detail=detail)
    return episode


@transaction.atomic
def update_episode(
    *,
    actor: Actor,
    episode: Episode,
    interventions: list[Intervention],
    infants: Iterable[Infant],
    carers: Iterable[Carer],
    planned_review_on: dt.date | None,
) -> Episode:
    """Change what is offered, who in the family takes part and when the work is next reviewed.
    A closed episode is not changed: reopen it first."""
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if not Episode.objects.open().filter(pk=episode.pk).exists():
        raise CareError("This episode is closed. Reopen it before changing it")
    if not interventions:
        raise CareError("Select at least one intervention")
    infants, carers = list(infants), list(carers)
    if any(i.family_id != episode.family_id for i in infants) or any(c.family_id != episode.family_id for c in carers):
        raise CareError("Choose only people in this family")
    # A review date already passed may stay as it is (the review is overdue); a new one may not be past.
    if (
        planned_review_on is not None
        and planned_review_on != episode.planned_review_on
        and planned_review_on < timezone.localdate()
    ):
        raise CareError("The planned review date must be today or in the future")
    episode.planned_review_on = planned_review_on
    episode.save(update_fields=["planned_review_on", "updated_at"])
    episode.interventions.set(interventions)
    episode.infants.set(infants)
    episode.carers.set(carers)
    detail = {
        "interventions": sorted(i.code for i in interventions),
        "infants": len(infants),
        "carers": len(carers),
        "planned_review_on": planned_review_on.isoformat() if planned_review_on else "",
    }
    audit.record(action="episode.updated", actor=actor, obj=episode, family_id=episode.family_id, detail=detail)
    return episode


# The diary -----------------------------------------------------------------------------------


def _describe(appointment: Appointment) -> str:
    return f"{time_short(appointment.starts_at)} to {time_short(appointment.ends_at)}"


def times_problem(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """What is wrong with a contact's times, in words, or "" (booking, and the import's bulk)."""
    if ends_at <= starts_at:
        return "The end time must be after the start time"
    if ends_at - starts_at > LONGEST_APPOINTMENT:
        return "An appointment cannot be longer than 8 hours"
    return ""


def episode_problem(*, is_open: bool, opened_at: dt.datetime, starts_at: dt.datetime) -> str:
    """Why a contact cannot be in this episode, in words, or ""."""
    if not is_open:
        return "This episode is closed, so nothing can be booked in it"
    if starts_at < opened_at:
        return "The appointment must be after the episode opened"
    return ""


def attendance_problem(attendance: str, *, starts_at: dt.datetime, now: dt.datetime) -> str:
    """What is wrong with recording this attendance for a contact starting then, or ""."""
    if attendance not in Attendance.values:
        return "Select what happened at the appointment"
    if starts_at > now and attendance not in CANCELLED:
        return "This appointment has not happened yet. You can record a cancellation, but not attendance"
    return ""


@transaction.atomic
def book_appointment(
    *,
    actor: Actor,
    episode: Episode,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    practitioner: User,
    second_practitioner: User | None = None,
    site: Site | None = None,
    room: Room | None = None,
) -> Appointment:
    """Book a contact. The practitioners' and the room's rows are locked while the diary is
    checked, so two people booking at once cannot double-book anyone or any room."""
    if problem := times_problem(starts_at, ends_at) or episode_problem(
        is_open=Episode.objects.open().filter(pk=episode.pk).exists(), opened_at=episode.opened_at, starts_at=starts_at
    ):
        raise CareError(problem)
    if kind in AT_A_SITE and site is None:
        raise CareError("Select the site for this appointment")
    if kind not in AT_A_SITE and (site is not None or room is not None):
        raise CareError("Only appointments at a family hub or clinic have a site and room")
    if room is not None and room.site_id != (site.pk if site else None):
        raise CareError("That room is not at the site chosen")
    if second_practitioner is not None and second_practitioner.pk == practitioner.pk:
        raise CareError("Choose a different second practitioner, or none")
    people = [practitioner, *([second_practitioner] if second_practitioner else [])]
    clinicians = roles_with(Capability.WORK_WITH_FAMILIES)
    for person in people:
        if not Membership.objects.active().filter(user=person, team=episode.team_id, role__in=clinicians).exists():
            raise CareError(f"{person.full_name} does not work with families in {episode.team.name}")
    if site is not None and site.team.service_id != episode.team.service_id:
        raise CareError("Choose a site this service works from")
    list(User.objects.select_for_update().filter(pk__in=[p.pk for p in people]).order_by("pk"))
    busy = (
        Appointment.objects.select_related("practitioner", "second_practitioner")
        .overlapping(starts_at, ends_at)
        .filter(Q(practitioner__in=people) | Q(second_practitioner__in=people))
        .first()
    )
    if busy is not None:
        who = next(p for p in people if p.pk in (busy.practitioner_id, busy.second_practitioner_id))
        raise DoubleBooked(f"{who.full_name} already has an appointment from {_describe(busy)} on that day")
    if room is not None:
        Room.objects.select_for_update().filter(pk=room.pk).first()
        taken = Appointment.objects.overlapping(starts_at, ends_at).filter(room=room).first()
        if taken is not None:
            raise DoubleBooked(f"{room.name} is already booked from {_describe(taken)} on that day")
    appointment = Appointment.objects.create(
        episode=episode,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        practitioner=practitioner,
        second_practitioner=second_practitioner,
        site=site,
        room=room,
    )
    audit.record(
        action="appointment.booked",
        actor=actor,
        obj=appointment,
        family_id=episode.family_id,
        detail={"episode": str(episode.pk)},
    )
    return appointment


def _previous_recorded(appointment: Appointment) -> Appointment | None:
    return (
        Appointment.objects.filter(episode=appointment.episode, starts_at__lt=appointment.starts_at)
        .exclude(attendance="")
        .exclude(attendance__in=CANCELLED)
        .order_by("-starts_at")
        .first()
    )


def _leads(episode: Episode) -> list[User]:
    return [w.practitioner for w in episode.workers.filter(ended_at__isnull=True).select_related("practitioner")]


@transaction.atomic
def record_attendance(
    *,
    actor: Actor,
    appointment: Appointment,
    attendance: str,
    infants: Iterable[Infant] = (),
    carers: Iterable[Carer] = (),
    consultation_mechanism: str = "",
    activity_location_type: str | None = None,
    professional_role: str = "",
) -> Appointment:
    """Record what happened, with the national attendance code, and how, where and in what role
    the contact was held (the Mental Health Services Data Set's items, ADR 0022); what is not
    given is taken from the kind of contact and the practitioner's role in the team, so an
    attended contact always has its consultation mechanism. A location given as "" means none
    (a call or video). Two missed appointments in a row give the practitioners a task to review
    the work with the family."""
    appointment = Appointment.objects.select_for_update().select_related("episode").get(pk=appointment.pk)
    if problem := attendance_problem(attendance, starts_at=appointment.starts_at, now=timezone.now()):
        raise CareError(problem)
    if consultation_mechanism and consultation_mechanism not in ConsultationMechanism.values:
        raise CareError("Select how the contact was held")
    if activity_location_type and activity_location_type not in ActivityLocationType.values:
        raise CareError("Select where the contact was held")
    if professional_role and professional_role not in ProfessionalRole.values:
        raise CareError("Select the role you held the contact in")
    offered = contact_details_offered(appointment)
    appointment.consultation_mechanism = consultation_mechanism or offered["consultation_mechanism"]
    appointment.activity_location_type = (
        offered["activity_location_type"] if activity_location_type is None else activity_location_type
    )
    appointment.professional_role = professional_role or offered["professional_role"]
    if attendance in ATTENDED and not appointment.consultation_mechanism:
        raise CareError("Select how the contact was held")
    if (
        attendance in ATTENDED
        and appointment.consultation_mechanism == ConsultationMechanism.FACE_TO_FACE
        and not appointment.activity_location_type
    ):
        raise CareError("Select where you saw the family")
    appointment.attendance = attendance
    appointment.attendance_recorded_at = timezone.now()
    appointment.attendance_recorded_by = actor.person
    appointment.save()
    appointment.attended_infants.set(list(infants) if attendance in ("5", "6") else [])
    appointment.attended_carers.set(list(carers) if attendance in ("5", "6") else [])
    audit.record(
        action="appointment.attendance_recorded",
        actor=actor,
        obj=appointment,
        family_id=appointment.episode.family_id,
        detail={"code": attendance},
    )
    if attendance in MISSED:
        previous = _previous_recorded(appointment)
        if previous is not None and previous.attendance in MISSED:
            for person in _leads(appointment.episode):
                raise_task(
                    kind=TaskKind.REVIEW_MISSED_APPOINTMENTS,
                    assignee=person,
                    title=f"Two missed appointments in a row ({family_title(appointment.episode.family)}): "
                    "review the work with the family",
                    about=appointment.episode,
                    actor=actor,
                )
    return appointment


# Lone working --------------------------------------------------------------------------------


def _visit_for(actor: Actor, appointment: Appointment) -> Appointment:
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.kind != ContactKind.HOME_VISIT:
        raise CareError("Only home visits are checked in and out")
    user = actor.person
    if user.pk not in (appointment.practitioner_id, appointment.second_practitioner_id):
        raise CareError("Only the practitioners on this visit can check in or out")
    return appointment


class CheckInNeedsConfirming(CareError):
    """The check-in is far from the booked time: ask the person before recording it."""

    def __init__(self, appointment: Appointment, now: dt.datetime) -> None:
        self.appointment, self.now = appointment, now
        super().__init__(
            f"This visit was booked for {time_short(appointment.starts_at)}. "
            f"You are checking in at {time_short(now)}. Check in anyway?"
        )


def check_in_window() -> dt.timedelta:
    hours = getattr(settings, "CARE_CHECK_IN_CONFIRM_HOURS", None)
    return checkin.DEFAULT_WINDOW if hours is None else dt.timedelta(hours=float(hours))


@transaction.atomic
def check_in(*, actor: Actor, appointment: Appointment, confirmed: bool = False) -> Appointment:
    """Check in to a home visit. A check-in far from the booked time (check_in_window) is
    refused with CheckInNeedsConfirming unless `confirmed`, and the audit says it was confirmed."""
    appointment = _visit_for(actor, appointment)
    if appointment.checked_in_at is not None:
        raise CareError("You have already checked in to this visit")
    if timezone.localdate(appointment.starts_at) != timezone.localdate():
        raise CareError("You can check in only on the day of the visit")
    now = timezone.now()
    far = checkin.far_from_booking(appointment.starts_at, now, check_in_window())
    if far and not confirmed:
        raise CheckInNeedsConfirming(appointment, now)
    appointment.checked_in_at = now
    appointment.save(update_fields=["checked_in_at", "updated_at"])
    detail = None
    if far:
        minutes = checkin.minutes_from_booking(appointment.starts_at, now)
        detail = {"far_from_booking": True, "confirmed": True, "minutes_from_booking": minutes}
    audit.record(action="lone_working.checked_in", actor=actor, obj=appointment, detail=detail)
    return appointment


@transaction.atomic
def check_out(*, actor: Actor, appointment: Appointment) -> Appointment:
    appointment = _visit_for(actor, appointment)
    if appointment.checked_in_at is None:
        raise CareError("Check in before checking out")
    if appointment.checked_out_at is not None:
        raise CareError("You have already checked out of this visit")
    appointment.checked_out_at = timezone.now()
    appointment.save(update_fields=["checked_out_at", "updated_at"])
    audit.record(action="lone_working.checked_out", actor=actor, obj=appointment)
    close_tasks(kind=TaskKind.LONE_WORKING_OVERDUE, about=appointment, actor=actor, note="Checked out")
    return appointment


def team_leads(team: Team) -> list[User]:
    today = timezone.localdate()
    members = Membership.objects.active(today).filter(team=team, role=Role.TEAM_LEAD).select_related("user")
    return [m.user for m in members if m.user.is_active]


def overdue_visits(now: dt.datetime | None = None) -> list[Appointment]:
    now = now or timezone.now()
    return list(
        Appointment.objects.filter(
            kind=ContactKind.HOME_VISIT,
            checked_in_at__isnull=False,
            checked_out_at__isnull=True,
            ends_at__lt=now - LONE_WORKING_GRACE,
        ).select_related("episode__team", "practitioner")
    )


@transaction.atomic
def alert_overdue_visits(now: dt.datetime | None = None) -> int:
    """Run every few minutes (manage.py check_lone_working): a home visit still not checked out
    15 minutes after its planned end gives each team lead an urgent task. Returns how many visits."""
    visits = overdue_visits(now)
    for visit in visits:
        for lead in team_leads(visit.episode.team):
            raise_task(
                kind=TaskKind.LONE_WORKING_OVERDUE,
                assignee=lead,
                title=f"{visit.practitioner.full_name} has not checked out of a home visit that should have ended at "
                f"{time_short(visit.ends_at)}: contact them now",
                about=visit,
                urgent=True,
            )
        audit.record(
            action="lone_working.overdue",
            obj=visit,
            family_id=visit.episode.family_id,
            detail={"practitioner": str(visit.practitioner_id)},
        )
    return len(visits)


# Clinical notes ------------------------------------------------------------------------------


def holds_role(user: User, team: Team, role: Role) -> bool:
    return Membership.objects.active().filter(user=user, team=team, role=role).exists()


@transaction.atomic
def save_note(*, actor: Actor, appointment: Appointment, body: str) -> Note:
    """Save a draft. A signed note is locked: only an addendum can follow it."""
    note = Note.objects.select_for_update().filter(appointment=appointment).first()
    if note is None:
        note = Note.objects.create(appointment=appointment, author=actor.person, body=body)
    else:
        if note.status == NoteStatus.SIGNED:
            raise CareError("This note is signed and locked. Add an addendum instead")
        if note.author_id != actor.person.pk:
            raise CareError(f"This draft belongs to {note.author.full_name}. Only they can change it")
        note.body = body
        note.save(update_fields=["body", "updated_at"])
    audit.record(
        action="note.saved",
        actor=actor,
        obj=note,
        family_id=appointment.episode.family_id,
        detail={"appointment": str(appointment.pk)},
    )
    return note


@transaction.atomic
def sign_note(*, actor: Actor, note: Note) -> Note:
    note = Note.objects.select_for_update().select_related("appointment__episode__team").get(pk=note.pk)
    user = actor.person
    if note.status == NoteStatus.SIGNED:
        raise CareError("This note is already signed")
    if note.author_id != user.pk:
        raise CareError("Only the author can sign this note")
    if not note.body.strip():
        raise CareError("Write the note before signing it")
    team = note.appointment.episode.team
    note.status = NoteStatus.SIGNED
    note.signed_at = timezone.now()
    note.needs_countersignature = holds_role(user, team, Role.TRAINEE)
    note.save()
    audit.record(action="note.signed", actor=actor, obj=note, family_id=note.appointment.episode.family_id)
    if note.needs_countersignature:
        today = timezone.localdate()
        supervisors = Membership.objects.active(today).filter(team=team, role=Role.SUPERVISOR).select_related("user")
        for membership in supervisors:
            raise_task(
                kind=TaskKind.COUNTERSIGN_NOTE,
                assignee=membership.user,
                title=f"Countersign {user.full_name}'s note of {note.appointment.starts_at:%d %B %Y}",
                about=note,
                facts={"appointment": str(note.appointment_id)},
                actor=actor,
            )
    return note


@transaction.atomic
def countersign_note(*, actor: Actor, note: Note) -> Note:
    note = Note.objects.select_for_update().select_related("appointment__episode__team").get(pk=note.pk)
    user = actor.person
    if not note.awaiting_countersignature:
        raise CareError("This note does not need a countersignature")
    if not holds_role(user, note.appointment.episode.team, Role.SUPERVISOR):
        raise CareError("Only a clinical supervisor in this team can countersign")
    if note.author_id == user.pk:
        raise CareError("You cannot countersign your own note")
    note.countersigned_at = timezone.now()
    note.countersigned_by = user
    note.save(update_fields=["countersigned_at", "countersigned_by", "updated_at"])
    audit.record(action="note.countersigned", actor=actor, obj=note, family_id=note.appointment.episode.family_id)
    close_tasks(kind=TaskKind.COUNTERSIGN_NOTE, about=note, actor=actor, note=f"Countersigned by {user.full_name}")
    return note


@transaction.atomic
def add_addendum(*, actor: Actor, note: Note, body: str) -> Addendum:
    note = Note.objects.select_for_update(of=("self",)).select_related("appointment__episode").get(pk=note.pk)
    if note.status != NoteStatus.SIGNED:
        raise CareError("Change the draft itself: addenda are for signed notes")
    if not body.strip():
        raise CareError("Write the addendum")
    addendum = Addendum.objects.create(note=note, author=actor.person, body=body.strip())
    audit.record(action="note.addendum_added", actor=actor, obj=note, family_id=note.appointment.episode.family_id)
    return addendum


# Goals ---------------------------------------------------------------------------------------


@transaction.atomic
def add_goal(*, actor: Actor, episode: Episode, carer: Carer, description: str) -> Goal:
    if not description.strip():
        raise CareError("Enter the goal in the parent's words")
    if not episode.carers.filter(pk=carer.pk).exists():
        raise CareError(f"{carer.full_name} is not taking part in this episode")
    if Goal.objects.filter(episode=episode, carer=carer).count() >= MAX_GOALS_PER_CARER:
        raise CareError(
            f"{carer.full_name} already has {MAX_GOALS_PER_CARER} goals, the most the Goal-Based Outcomes tool uses"
        )
    goal = Goal.objects.create(episode=episode, carer=carer, description=description.strip())
    audit.record(action="goal.added", actor=actor, obj=episode, family_id=episode.family_id, person_id=carer.pk)
    return goal


@transaction.atomic
def rate_goal(*, actor: Actor, goal: Goal, score: int, rated_on: dt.date) -> GoalRating:
    if not 0 <= score <= 10:
        raise CareError("Goal ratings are from 0 to 10")
    if rated_on > timezone.localdate():
        raise CareError("The date of the rating must be today or in the past")
    rating = GoalRating.objects.create(goal=goal, score=score, rated_on=rated_on, recorded_by=actor.person)
    audit.record(
        action="goal.rated",
        actor=actor,
        obj=goal.episode,
        family_id=goal.episode.family_id,
        person_id=goal.carer_id,
        detail={"score": score},
    )
    return rating


# Discharge -----------------------------------------------------------------------------------


def unfinished_notes(episode: Episode) -> list[Note]:
    """Drafts, and signed notes still waiting for a countersignature."""
    notes = Note.objects.filter(appointment__episode=episode).select_related("appointment")
    return [n for n in notes if n.status == NoteStatus.DRAFT or n.awaiting_countersignature]


@transaction.atomic
def discharge_episode(*, actor: Actor, episode: Episode, reason: str, summary: str) -> Discharge:
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if not Episode.objects.open().filter(pk=episode.pk).exists():
        raise CareError("This episode is already closed")
    if reason not in DischargeReason.values:
        raise CareError("Select the reason for discharge")
    if not summary.strip():
        raise CareError("Write the discharge summary for the referrer and GP")
    unfinished = unfinished_notes(episode)
    if unfinished:
        dates = ", ".join(date_long(n.appointment.starts_at) for n in unfinished)
        raise CareError(f"Sign (and have countersigned) the notes for these contacts first: {dates}")
    booked = Appointment.objects.filter(episode=episode, starts_at__gt=timezone.now(), attendance="")
    if booked.exists():
        raise CareError("Cancel the appointments still booked for this family first")
    now = timezone.now()
    discharge = Discharge.objects.create(
        episode=episode, reason=reason, summary=summary.strip(), discharged_at=now, discharged_by=actor.person
    )
    append_event(episode=episode, kind=EpisodeEvent.Kind.DISCHARGED, at=now, by=actor.person, detail={"reason": reason})
    audit.record(
        action="episode.discharged", actor=actor, obj=episode, family_id=episode.family_id, detail={"reason": reason}
    )
    return discharge


@transaction.atomic
def cancel_booked_and_discharge(
    *,
    actor: Actor,
    episode: Episode,
    reason: str,
    summary: str,
    cancellation: str,
    expected: Iterable[object],
) -> tuple[Discharge, list[Appointment]]:
    """Cancel every appointment still booked for the family with one cancellation code, then
    discharge: all or nothing. Each cancellation is recorded (and audited) as one cancelled on its
    own page would be. `expected` is the ids of the appointments the person was shown: if one was
    booked (or recorded) since, nothing happens, so nothing is cancelled unseen."""
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if cancellation not in CANCELLED:
        raise CareError("Select why the appointments are cancelled")
    booked = list(
        Appointment.objects.filter(episode=episode, starts_at__gt=timezone.now(), attendance="").order_by(
            "starts_at", "pk"
        )
    )
    if {str(a.pk) for a in booked} != {str(pk) for pk in expected}:
        raise CareError("The appointments booked for this family have changed. Check them and try again")
    cancelled = [record_attendance(actor=actor, appointment=a, attendance=cancellation) for a in booked]
    discharge = discharge_episode(actor=actor, episode=episode, reason=reason, summary=summary)
    audit.record(
        action="episode.booked_cancelled_for_discharge",
        actor=actor,
        obj=episode,
        family_id=episode.family_id,
        detail={"code": cancellation, "appointments": [str(a.pk) for a in cancelled]},
    )
    return discharge, cancelled


@transaction.atomic
def reopen_episode(*, actor: Actor, episode: Episode, reason: str) -> Episode:
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if not Episode.objects.discharged().filter(pk=episode.pk).exists():
        raise CareError("This episode is open")
    if not reason.strip():
        raise CareError("Enter why the episode is being reopened")
    discharge = episode.discharges.filter(reopened_at__isnull=True).first()
    now = timezone.now()
    if discharge is not None:
        discharge.reopened_at, discharge.reopened_by, discharge.reopened_reason = now, actor.person, reason.strip()
        discharge.save(update_fields=["reopened_at", "reopened_by", "reopened_reason", "updated_at"])
    append_event(episode=episode, kind=EpisodeEvent.Kind.REOPENED, at=now, by=actor.person, note=reason.strip())
    audit.record(action="episode.reopened", actor=actor, obj=episode, family_id=episode.family_id)
    return episode


# Rooms of a site (issue 15: set up on pages) ---------------------------------------------------


def _check_room_name(site: Site, name: str, room: Room | None = None) -> None:
    namesakes = Room.objects.filter(site=site, name__iexact=name)
    if room is not None:
        namesakes = namesakes.exclude(pk=room.pk)
    if namesakes.exists():
        raise CareError(f"{site.name} already has a room called {name}: choose another name")


@transaction.atomic
def create_room(*, actor: Actor, site: Site, name: str) -> Room:
    _check_room_name(site, name)
    room = Room.objects.create(site=site, name=name)
    audit.record(action="room.created", actor=actor, obj=room, detail={"site": site.name, "name": name})
    return room


@transaction.atomic
def rename_room(*, actor: Actor, room: Room, name: str) -> Room:
    _check_room_name(room.site, name, room)
    if room.name != name:
        old = room.name
        room.name = name
        room.save()
        audit.record(action="room.updated", actor=actor, obj=room, detail={"changes": {"name": [old, name]}})
    return room
