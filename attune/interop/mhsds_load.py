"""Reads what one team's MHSDS extract for one month needs out of Attune, as the plain facts the
pure builder takes (mhsds_extract). A bounded number of queries whatever the size of the month:
the team, its episodes open in the month with their referrals, families and people, their
discharges, the referrals on no caseload in the month (waiting, or closed at triage in it) with
their families' people, the month's contacts with who came, the month's measures and a count of
consultation and training given (the query-count test holds it)."""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from attune.care.models import Appointment, Discharge, EventKind
from attune.care.models import Episode as EpisodeModel
from attune.core.formatting import LONDON
from attune.families.models import Carer, Family, Infant
from attune.interop import mhsds_extract as mx
from attune.organisations.models import Team
from attune.outcomes.models import Administration
from attune.referrals.models import Referral
from attune.referrals.workflow import Status
from attune.workforce.models import NonCaseloadActivity

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# A referral closed at triage: its service request closes with the decision.
CLOSED_AT_TRIAGE = (Status.SIGNPOSTED, Status.DECLINED, Status.WITHDRAWN)


class BadMonth(ValueError):
    pass


@dataclass(frozen=True)
class Month:
    start: dt.date
    end: dt.date  # the last day

    @property
    def key(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        return f"{self.start:%B %Y}"

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The month's first moment and the next month's, in UK time."""
        after = self.end + dt.timedelta(days=1)
        return (
            dt.datetime.combine(self.start, dt.time(0), tzinfo=LONDON),
            dt.datetime.combine(after, dt.time(0), tzinfo=LONDON),
        )


def month_of(day: dt.date) -> Month:
    start = day.replace(day=1)
    after = (start + dt.timedelta(days=32)).replace(day=1)
    return Month(start, after - dt.timedelta(days=1))


def parse_month(text: str) -> Month:
    """ "2025-01" as a month; a clear message for anything else."""
    found = MONTH.match(text.strip())
    if found is None:
        raise BadMonth("Enter the month as a year and month, like 2025-01")
    year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12 or year < 2000:
        raise BadMonth("Enter a real month, like 2025-01")
    return month_of(dt.date(year, month, 1))


def local_id(pk: object) -> str:
    """A stable identifier of up to 20 characters from Attune's own (MHSDS allows 20)."""
    return str(pk).replace("-", "")[:20].upper()


def team_type() -> str:
    # No code for a parent-infant team is known (domain reference B.4): the trust sets the nearest.
    return str(settings.ATTUNE_MHSDS_TEAM_TYPE)


def staff_groups() -> dict[str, str]:
    return dict(settings.ATTUNE_MHSDS_STAFF_GROUPS)


def _person(someone: Infant | Carer, kind: str, family: Family) -> mx.Person:
    return mx.Person(
        local_id=local_id(someone.pk),
        kind=kind,
        family_id=str(family.pk),
        nhs_number=someone.nhs_number,
        nhs_number_status=someone.nhs_number_status,
        birth_date=someone.date_of_birth,
        postcode=family.postcode,
        ethnic_category=someone.ethnicity,
        # A baby without a date of birth is not born yet; a carer always is.
        born=kind == "C" or someone.date_of_birth is not None,
    )


def _people(family: Family, infants: Iterable[Infant], carers: Iterable[Carer]) -> tuple[mx.Person, ...]:
    """The babies, then the carers, on an episode or a referral, each in the order they were added."""

    def added(person: Infant | Carer) -> tuple[object, str]:
        return (person.created_at, str(person.pk))

    return tuple(
        [_person(i, "I", family) for i in sorted(infants, key=added)]
        + [_person(c, "C", family) for c in sorted(carers, key=added)]
    )


def facts_for(team: Team, month: Month, *, now: dt.datetime | None = None) -> mx.Facts:
    """`team` with its service's provider and commissioner (mhsds_scope.teams reads them)."""
    first, after = month.bounds()
    # The latest discharge not undone by the month's end: the episode's discharge date, if it is
    # discharged now.
    discharged = Subquery(
        Discharge.objects.filter(episode=OuterRef("pk"), reopened_at__isnull=True, discharged_at__lt=after)
        .order_by("-discharged_at")
        .values("discharged_at")[:1]
    )
    episodes = list(
        EpisodeModel.objects.filter(team=team, opened_at__lt=after)
        .exclude(Q(last_event_kind=EventKind.DISCHARGED) & Q(last_event_at__lt=first))
        .select_related("referral", "family")
        .annotate(discharged_at=discharged)
        .prefetch_related("infants", "carers")
        .order_by("opened_at", "pk")
    )
    people: dict[object, tuple[mx.Person, ...]] = {}
    built: list[mx.Episode] = []
    for episode in episodes:
        on_it = _people(episode.family, episode.infants.all(), episode.carers.all())
        people[episode.pk] = on_it
        closing: dt.datetime | None = getattr(episode, "discharged_at", None)
        ended = closing if episode.last_event_kind == EventKind.DISCHARGED else None
        built.append(
            mx.Episode(
                episode_id=str(episode.pk),
                referral_reference=episode.referral.reference,
                referral_received_at=timezone.localtime(episode.referral.received_at, LONDON),
                source_of_referral=episode.referral.source,
                discharged_on=timezone.localtime(ended, LONDON).date() if ended else None,
                people=on_it,
            )
        )
    # Referrals on no caseload in the month are service requests too: waiting for triage or for a
    # place, or closed at triage in the month (their closing day is the decision's).
    waiting = (
        Referral.objects.filter(team=team, received_at__lt=after)
        .exclude(episode__opened_at__lt=after)
        .exclude(status__in=CLOSED_AT_TRIAGE, status_at__lt=first)
        .select_related("family")
        .prefetch_related("family__infants", "family__carers")
        .order_by("received_at", "pk")
    )
    for referral in waiting:
        closed = referral.status in CLOSED_AT_TRIAGE and referral.status_at < after
        built.append(
            mx.Episode(
                episode_id="",
                referral_id=str(referral.pk),
                referral_reference=referral.reference,
                referral_received_at=timezone.localtime(referral.received_at, LONDON),
                source_of_referral=referral.source,
                discharged_on=timezone.localtime(referral.status_at, LONDON).date() if closed else None,
                people=_people(referral.family, referral.family.infants.all(), referral.family.carers.all()),
            )
        )
    appointments = (
        Appointment.objects.filter(episode__in=[e.pk for e in episodes], starts_at__gte=first, starts_at__lt=after)
        .exclude(attendance="")
        .prefetch_related("attended_infants", "attended_carers")
        .order_by("starts_at", "pk")
    )
    contacts = []
    for appointment in appointments:
        if appointment.attendance in mx.ATTENDED:
            attended = tuple(
                [local_id(i.pk) for i in appointment.attended_infants.all()]
                + [local_id(c.pk) for c in appointment.attended_carers.all()]
            )
        else:
            attended = tuple(p.local_id for p in people.get(appointment.episode_id, ()))
        contacts.append(
            mx.Contact(
                appointment_id=str(appointment.pk),
                episode_id=str(appointment.episode_id),
                starts_at=timezone.localtime(appointment.starts_at, LONDON),
                minutes=int((appointment.ends_at - appointment.starts_at).total_seconds() // 60),
                attendance=appointment.attendance,
                mechanism=appointment.consultation_mechanism,
                location=appointment.activity_location_type,
                professional_id=local_id(appointment.practitioner_id),
                professional_role=appointment.professional_role,
                attended=attended,
            )
        )
    measures = [
        mx.Measure(
            administration_id=str(a.pk),
            episode_id=str(a.episode_id),
            instrument=a.instrument,
            person_id=local_id(a.carer_id) if a.carer_id else local_id(a.infant_id) if a.infant_id else "",
            professional_id=local_id(a.entered_by_id) if a.entered_by_id else "",
            total=a.total,
            completed_on=a.completed_on,
        )
        for a in Administration.objects.filter(
            episode__in=[e.pk for e in episodes], completed_on__gte=month.start, completed_on__lte=month.end
        ).order_by("completed_on", "pk")
    ]
    activities = NonCaseloadActivity.objects.filter(team=team, held_on__gte=month.start, held_on__lte=month.end).count()
    service = team.service
    return mx.Facts(
        submission=mx.Submission(
            provider_code=service.provider.code,
            commissioner_code=service.commissioner.code,
            team_local_id=local_id(team.pk),
            team_type=team_type(),
            month_start=month.start,
            month_end=month.end,
            created_at=timezone.localtime(now or timezone.now(), LONDON),
        ),
        episodes=tuple(built),
        contacts=tuple(contacts),
        measures=tuple(measures),
        staff_groups=staff_groups(),
        team_activities=activities,
    )


def extract_for(team: Team, month: Month) -> mx.Extract:
    return mx.build(facts_for(team, month))
