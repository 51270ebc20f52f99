"""Care look-ups that need no scope: the views call them about objects already fetched through
the scope (an episode's workers, a team's rooms), or for lists every member may see."""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils import timezone

from attune.accounts.models import User
from attune.care import reminders
from attune.care.codes import ATTENDED, ProfessionalRole, WorkerRole, contact_defaults
from attune.care.models import (
    Addendum,
    Appointment,
    Episode,
    EpisodeEvent,
    EpisodeQuerySet,
    EpisodeWorker,
    Goal,
    GoalRating,
    InterpreterBooking,
    Intervention,
    InterventionWeight,
    Note,
    NoteStatus,
    PractitionerCapacity,
    Room,
)
from attune.core.models import Task
from attune.families import queries as family_queries
from attune.families.models import Carer, Family
from attune.notifications.models import Message
from attune.organisations.models import Membership, Site, Team
from attune.organisations.roles import Role
from attune.referrals import first_contact
from attune.referrals.codes import Priority
from attune.referrals.models import (
    DEFAULT_MAX_WEIGHTED_CASELOAD,
    EligibilityRules,
    Referral,
    ReferralQuerySet,
    ReferralStatus,
)
from attune.referrals.workflow import Status

# Teams and who works in them here: a person's caseload is held in one team, sized by their
# PractitionerCapacity there, and only current members hold (or are offered) a caseload.
CASELOAD_ROLES = [Role.PRACTITIONER.value, Role.TRAINEE.value, Role.SUPERVISOR.value]


PRIORITY_RANK = Case(
    When(priority=Priority.URGENT, then=Value(0)),
    When(priority=Priority.SOON, then=Value(1)),
    When(priority=Priority.ROUTINE, then=Value(2)),
    default=Value(3),
)


def waiting(team_ids: Iterable[uuid.UUID]) -> ReferralQuerySet:
    """Accepted referrals with no episode yet: a team's waiting list."""
    # NOT EXISTS rather than `episode__isnull` (a LEFT JOIN ... IS NULL), which PostgreSQL does not
    # see as an anti-join: it read every episode of the region to find the few families waiting.
    return (
        Referral.objects.filter(team_id__in=list(team_ids), status=Status.ACCEPTED.value)
        .exclude(Exists(Episode.objects.filter(referral=OuterRef("pk"))))
        .with_status()
    )


def accepted_at() -> Subquery:
    """When the referral was (last) accepted onto the waiting list."""
    return Subquery(
        ReferralStatus.objects.filter(referral=OuterRef("pk"), status=Status.ACCEPTED.value)
        .order_by("-entered_at", "-id")
        .values("entered_at")[:1]
    )


def first_contact_targets(team_ids: Iterable[uuid.UUID]) -> first_contact.History:
    """Each team's first-contact targets for each priority over time (working days), in one query."""
    return EligibilityRules.objects.first_contact_history(team_ids)


def open_caseload(practitioner: User, team_ids: set[uuid.UUID]) -> EpisodeQuerySet:
    now = timezone.now()
    upcoming = Appointment.objects.filter(episode=OuterRef("pk"), starts_at__gte=now, attendance="").order_by(
        "starts_at"
    )
    attended = Appointment.objects.filter(episode=OuterRef("pk"), attendance__in=list(ATTENDED)).order_by("-starts_at")
    main_carer = Carer.objects.filter(family=OuterRef("family_id")).order_by("-is_main_contact", "created_at")
    return (
        Episode.objects.open()
        .filter(team_id__in=team_ids)
        .on_caseload_of(practitioner)
        .annotate(
            next_contact_at=Subquery(upcoming.values("starts_at")[:1]),
            next_contact_kind=Subquery(upcoming.values("kind")[:1]),
            # Names the family while its baby is unborn (naming.main_carer_name's order), in
            # this query rather than one more.
            main_carer_given=Subquery(main_carer.values("given_name")[:1]),
            main_carer_family=Subquery(main_carer.values("family_name")[:1]),
            last_contact_at=Subquery(attended.values("starts_at")[:1]),
        )
        .select_related("team", "family")
        .prefetch_related(
            "interventions",
            "family__infants",
            family_queries.active_flags(),
            Prefetch(
                "workers",
                queryset=EpisodeWorker.objects.filter(ended_at__isnull=True).select_related("practitioner"),
                to_attr="current_workers",
            ),
        )
        .order_by("team__name", "opened_at", "pk")
    )


# Only these roles hold a diary of visits and sessions (coordinators and team leads book for them).
def appointment_page() -> QuerySet[Appointment]:
    """Appointments with what an appointment's page shows: the family, who and where, who attended."""
    return Appointment.objects.select_related(
        "episode__team__service",
        "episode__family",
        "practitioner",
        "second_practitioner",
        "site",
        "room",
        "attendance_recorded_by",
    ).prefetch_related(
        "episode__infants",
        "episode__carers",
        "episode__family__infants",
        "episode__family__carers",
        "attended_infants",
        "attended_carers",
        Prefetch(
            "interpreter_bookings",
            queryset=InterpreterBooking.objects.select_related("carer", "booked_by", "confirmed_by", "cancelled_by"),
        ),
    )


def reminder_of(appointment: Appointment) -> Message | None:
    """The appointment's reminder, if one was written: sent, waiting, or kept unsent with why
    (no safe way to reach them, or their consent to texts withdrawn)."""
    return (
        Message.objects.about("care.appointment", str(appointment.pk))
        .filter(template=reminders.TEMPLATE)
        .order_by("-created_at")
        .first()
    )


DIARY_ROLES = (Role.PRACTITIONER, Role.TRAINEE, Role.SUPERVISOR)


def diary_rows(queryset: QuerySet[Appointment]) -> list[Appointment]:
    """What a diary row shows, in a fixed number of queries however many rows there are."""
    rows: list[Appointment] = list(
        queryset.select_related("episode__family", "practitioner", "second_practitioner", "site", "room__site", "note")
        # The interpreter in force on each row, for its "Interpreter: Polish (booked)" line: one query.
        .prefetch_related(
            Prefetch(
                "interpreter_bookings", queryset=InterpreterBooking.objects.active(), to_attr="active_interpreters"
            )
        )
        .order_by("starts_at", "pk")
    )
    # A family seen every week has several rows: its babies, carers and flags are fetched onto one
    # family object shared by its rows, since Django sets up a prefetch per object, not per family.
    families: dict[uuid.UUID, Family] = {}
    for row in rows:
        row.episode.family = families.setdefault(row.episode.family_id, row.episode.family)
    prefetch_related_objects(
        list(families.values()), "infants", "carers", family_queries.active_flags("safeguarding_flags")
    )
    return rows


def episode_of(referral: Referral) -> Episode | None:
    return Episode.objects.filter(referral=referral).first()


def active_interventions() -> list[Intervention]:
    return list(Intervention.objects.filter(active=True))


def interventions_offered() -> list[Intervention]:
    return list(Intervention.objects.filter(active=True).order_by("name"))


def interventions_with_weight(service_id: uuid.UUID, on: dt.date) -> list[Intervention]:
    """The interventions offered, by name, each with `weight`: its weight in the service on the day."""
    return list(Intervention.objects.filter(active=True).with_weight(service_id, on).order_by("name", "pk"))


def weight_history(service_id: uuid.UUID) -> list[InterventionWeight]:
    """Every change to the service's intervention weights, newest first (one query)."""
    return list(InterventionWeight.objects.history_of(service_id))


def service_teams(episode: Episode) -> list[Team]:
    """The teams an episode can move to: the hub and satellites of its own service."""
    return list(Team.objects.filter(service_id=episode.team.service_id).order_by("kind", "name"))


def service_capacities(episode: Episode) -> list[PractitionerCapacity]:
    """Everyone with a caseload in a team of the episode's service (for a transfer)."""
    current = Membership.objects.active().filter(team_id=OuterRef("team_id"), user_id=OuterRef("practitioner_id"))
    return list(
        PractitionerCapacity.objects.filter(team__service_id=episode.team.service_id, practitioner__is_active=True)
        .filter(Exists(current))
        .with_maximum(timezone.localdate())
        .select_related("practitioner", "team")
        .order_by("team__kind", "team__name", "practitioner__full_name")
    )


def names_of(user_ids: Iterable[str]) -> dict[str, str]:
    """People's names by id, for the ids an episode's history keeps."""
    ids = [pk for pk in set(user_ids) if pk]
    return {str(pk): name for pk, name in User.objects.filter(pk__in=ids).values_list("pk", "full_name")}


def current_workers(episode: Episode) -> list[EpisodeWorker]:
    return list(episode.workers.filter(ended_at__isnull=True).select_related("practitioner"))


def episode_history(episode: Episode) -> list[EpisodeEvent]:
    return list(episode.events.select_related("by"))


def family_counts(team_ids: Iterable[uuid.UUID]) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    """How many open episodes each practitioner works on in each team, by (team, practitioner)."""
    rows = (
        EpisodeWorker.objects.filter(
            episode__team_id__in=list(team_ids), ended_at__isnull=True, episode__in=Episode.objects.open()
        )
        .values("episode__team_id", "practitioner_id")
        .annotate(n=Count("episode", distinct=True))
        .order_by()
    )
    return {(row["episode__team_id"], row["practitioner_id"]): row["n"] for row in rows}


def members_without_capacity(team_ids: Iterable[uuid.UUID]) -> list[Membership]:
    """Current practitioners, trainees and supervisors with no caseload set in the team."""
    capacity = PractitionerCapacity.objects.filter(team_id=OuterRef("team_id"), practitioner_id=OuterRef("user_id"))
    return list(
        Membership.objects.active()
        .filter(team_id__in=list(team_ids), role__in=CASELOAD_ROLES, user__is_active=True)
        .exclude(Exists(capacity))
        .select_related("user", "team")
        .order_by("team__name", "user__full_name", "role")
    )


def capacity_of(team: Team, user: User) -> PractitionerCapacity | None:
    return PractitionerCapacity.objects.filter(team=team, practitioner=user).with_maximum(timezone.localdate()).first()


def team_default_maximum(team: Team, on: dt.date) -> Decimal:
    """The team's default maximum weighted caseload in force on the day."""
    rules = EligibilityRules.objects.for_team(team.pk, on)
    return rules.default_max_weighted_caseload if rules else DEFAULT_MAX_WEIGHTED_CASELOAD


def outstanding_notes(practitioner: User, episode_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, int]]:
    """Per episode: the practitioner's drafts, their signed notes awaiting countersignature, and
    the attended contacts of theirs with no note yet. One query over the episodes' contacts."""
    mine = Q(note__author=practitioner)
    draft = mine & Q(note__status=NoteStatus.DRAFT)
    countersign = (
        mine
        & ~Q(note__status=NoteStatus.DRAFT)
        & Q(note__needs_countersignature=True, note__countersigned_at__isnull=True)
    )
    missing = Q(attendance__in=list(ATTENDED), note__isnull=True) & (
        Q(practitioner=practitioner) | Q(second_practitioner=practitioner)
    )
    rows = (
        Appointment.objects.filter(episode_id__in=episode_ids)
        .filter(draft | countersign | missing)
        .values("episode_id")
        .annotate(
            drafts=Count("pk", filter=draft),
            countersign=Count("pk", filter=countersign),
            missing=Count("pk", filter=missing),
        )
        .order_by()
    )
    return {
        row["episode_id"]: {"drafts": row["drafts"], "countersign": row["countersign"], "missing": row["missing"]}
        for row in rows
    }


def open_tasks_by_episode(practitioner: User, episode_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Task]]:
    """The practitioner's open tasks about each episode, or about one of its appointments or notes.
    A person has few open tasks, so those are fetched first and traced to their episodes."""
    tasks = list(
        Task.objects.open()
        .for_person(practitioner)
        .filter(about_type__in=["care.episode", "care.appointment", "care.note"])
    )
    owners: dict[tuple[str, str], uuid.UUID] = {}
    appointment_ids = [task.about_id for task in tasks if task.about_type == "care.appointment"]
    if appointment_ids:
        for pk, owner in Appointment.objects.filter(pk__in=appointment_ids).values_list("pk", "episode_id"):
            owners["care.appointment", str(pk)] = owner
    note_ids = [task.about_id for task in tasks if task.about_type == "care.note"]
    if note_ids:
        for pk, owner in Note.objects.filter(pk__in=note_ids).values_list("pk", "appointment__episode_id"):
            owners["care.note", str(pk)] = owner
    wanted = set(episode_ids)
    found: dict[uuid.UUID, list[Task]] = defaultdict(list)
    for task in tasks:
        episode_id: uuid.UUID | None = (
            uuid.UUID(task.about_id)
            if task.about_type == "care.episode"
            else owners.get((task.about_type, task.about_id))
        )
        if episode_id in wanted:
            found[episode_id].append(task)
    return dict(found)


def ratings_of(goal: Goal) -> list[GoalRating]:
    return list(goal.ratings.order_by("rated_on", "created_at"))


def booked_appointments(episode: Episode) -> list[Appointment]:
    """Appointments still to come with nothing recorded: discharge waits until they are cancelled."""
    return list(
        Appointment.objects.filter(episode=episode, starts_at__gt=timezone.now(), attendance="")
        .select_related("practitioner")
        .order_by("starts_at")
    )


def diary_members(team: Team) -> QuerySet[User]:
    """People in the team who hold a diary, by name: the choices of practitioner when booking."""
    today = timezone.localdate()
    members = Membership.objects.active(today).filter(team=team, role__in=DIARY_ROLES).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("full_name", "pk")


def diary_members_of(teams: list[Team]) -> dict[uuid.UUID, list[User]]:
    """Each team's diary holders, from one query."""
    today = timezone.localdate()
    found: dict[uuid.UUID, list[User]] = {team.pk: [] for team in teams}
    memberships = (
        Membership.objects.active(today)
        .filter(team__in=teams, role__in=DIARY_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    for membership in memberships:
        assert membership.team_id is not None
        people = found[membership.team_id]
        if all(person.pk != membership.user_id for person in people):
            people.append(membership.user)
    return found


def team_sites(team: Team) -> list[Site]:
    return list(Site.objects.filter(team=team).prefetch_related("rooms").order_by("name", "pk"))


def team_rooms(team: Team) -> QuerySet[Room]:
    """Rooms at the team's sites, for booking: by site, then room."""
    return Room.objects.filter(site__team=team).select_related("site").order_by("site__name", "name", "pk")


def episode_is_open(episode: Episode) -> bool:
    return Episode.objects.open().filter(pk=episode.pk).exists()


def episode_lead(episode: Episode) -> User | None:
    worker = (
        EpisodeWorker.objects.filter(episode=episode, role=WorkerRole.LEAD, ended_at__isnull=True)
        .select_related("practitioner")
        .first()
    )
    return worker.practitioner if worker else None


def note_of(appointment: Appointment) -> Note | None:
    return (
        Note.objects.filter(appointment=appointment)
        .select_related("author", "countersigned_by")
        .prefetch_related(Prefetch("addenda", queryset=Addendum.objects.select_related("author")))
        .first()
    )


def lead_name() -> Subquery:
    """An episode's lead practitioner's name, as presenters.episode.lead_practitioner chooses:
    the lead now (the latest to start, if several), else the last lead to have started."""
    leads = EpisodeWorker.objects.filter(episode=OuterRef("pk"), role=WorkerRole.LEAD).order_by(
        Case(When(ended_at__isnull=True, then=Value(0)), default=Value(1)), "-started_at"
    )
    return Subquery(leads.values("practitioner__full_name")[:1])


def contact_details_offered(appointment: Appointment) -> dict[str, str]:
    """What the attendance form offers for how, where and in what role a contact was held (the
    Mental Health Services Data Set's items, ADR 0022): what was recorded, else what the kind of
    contact says and the role the practitioner holds in the team (trainee, else therapist). One
    query at most, for the role."""
    mechanism, location = contact_defaults(appointment.kind, appointment.site.kind if appointment.site else "")
    role = appointment.professional_role
    if not role:
        trainee = Membership.objects.filter(
            user_id=appointment.practitioner_id, team_id=appointment.episode.team_id, role=Role.TRAINEE
        ).exists()
        role = ProfessionalRole.TRAINEE if trainee else ProfessionalRole.THERAPIST
    return {
        "consultation_mechanism": appointment.consultation_mechanism or mechanism,
        "activity_location_type": appointment.activity_location_type or location,
        "professional_role": str(role),
    }
