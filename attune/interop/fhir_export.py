"""Gathering a family's record for its FHIR Bundle (a fixed number of queries however long the
family's history), and checking the Bundle against the FHIR models before it leaves.

FHIR version: UK Core is R4 (4.0.1). fhir.resources 8 holds R5 by default and R4B (4.3.0) in
`fhir.resources.R4B`; R4B is R4 with changes outside the resources exported here (see the interop ADR), so
the Bundle is validated with the R4B models."""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db.models import CharField, OuterRef, Subquery, Value
from pydantic import ValidationError

from attune.care.codes import ATTENDED, WorkerRole
from attune.care.models import Appointment, Episode, EpisodeWorker, EventKind
from attune.core import audit
from attune.families import safeguarding_scope
from attune.families.consent import latest_decisions
from attune.families.models import Consent, Family
from attune.interop import fhir_bundle
from attune.interop.fhir_bundle import AlertFacts, ContactFacts, EpisodeFacts, FamilyRecord, Receiver
from attune.outcomes.models import Administration

ADMINISTRATION = audit.object_type_of(Administration)


class InvalidBundle(Exception):
    """The Bundle Attune built does not validate: a fault in Attune, never in what was typed."""


def _episodes(family: Family, team_ids: Iterable[uuid.UUID]) -> list[EpisodeFacts]:
    # The baby each episode is for and its lead's name ride on the episode row as subqueries,
    # so the episodes cost one query however many there are.
    first_baby = Episode.infants.through.objects.filter(episode=OuterRef("pk")).order_by("id").values("infant_id")
    lead = EpisodeWorker.objects.filter(episode=OuterRef("pk"), role=WorkerRole.LEAD, ended_at__isnull=True).values(
        "practitioner__full_name"
    )
    found = (
        Episode.objects.filter(family=family, team_id__in=list(team_ids))
        .select_related("team")
        .annotate(first_baby=Subquery(first_baby[:1]), lead_name=Subquery(lead[:1]))
        .order_by("opened_at")
    )
    return [
        EpisodeFacts(
            episode=episode,
            team_name=episode.team.name,
            lead=episode.lead_name or "",  # type: ignore[attr-defined]
            infant_ids=[episode.first_baby] if episode.first_baby else [],  # type: ignore[attr-defined]
            carer_ids=[],
            ended_at=episode.last_event_at if episode.last_event_kind == EventKind.DISCHARGED else None,
        )
        for episode in found
    ]


def _contacts(episode_ids: list[uuid.UUID]) -> list[ContactFacts]:
    attended = [code.value for code in ATTENDED]
    found = list(
        Appointment.objects.filter(episode_id__in=episode_ids, attendance__in=attended)
        .select_related("practitioner", "second_practitioner")
        .order_by("starts_at")
    )
    # Who came to each, babies and carers in one query (a UNION of the two lists).
    babies = Appointment.attended_infants.through.objects.filter(
        appointment__episode_id__in=episode_ids, appointment__attendance__in=attended
    ).values_list("appointment_id", "infant_id", Value("infant", output_field=CharField()))
    carers = Appointment.attended_carers.through.objects.filter(
        appointment__episode_id__in=episode_ids, appointment__attendance__in=attended
    ).values_list("appointment_id", "carer_id", Value("carer", output_field=CharField()))
    came: dict[tuple[object, str], list[uuid.UUID]] = {}
    for appointment_id, person_id, kind in babies.union(carers, all=True):
        came.setdefault((appointment_id, kind), []).append(person_id)
    return [
        ContactFacts(
            appointment=appointment,
            practitioners=[
                person.full_name
                for person in (appointment.practitioner, appointment.second_practitioner)
                if person is not None
            ],
            infant_ids=sorted(came.get((appointment.pk, "infant"), []), key=str),
            carer_ids=sorted(came.get((appointment.pk, "carer"), []), key=str),
        )
        for appointment in found
    ]


def _whom(measure: Administration) -> uuid.UUID | None:
    if measure.carer_id is not None and measure.infant_id is None:
        return measure.carer_id
    return measure.infant_id or measure.carer_id


def gather(*, family: Family, team_ids: Iterable[uuid.UUID], receiver: Receiver, at: dt.datetime) -> FamilyRecord:
    """Everything the Bundle holds, in a fixed number of queries. Episodes (and their contacts
    and measures) are those in the teams given: the teams the person exporting works with
    families in."""
    infants = list(family.infants.all())
    carers = list(family.carers.all())
    episodes = _episodes(family, team_ids)
    episode_ids = [facts.episode.pk for facts in episodes]
    measures = list(Administration.objects.filter(episode_id__in=episode_ids).order_by("completed_on", "created_at"))
    decisions = latest_decisions(Consent.objects.filter(family=family))
    # Active flags, open risk alerts and open referrals to children's social care: the banner's
    # one query. An alert names whom it is about through the measure that raised it; one raised
    # by a measure in a team the person does not work in names nobody, so it is not sent.
    banner = safeguarding_scope.banner_rows(family)
    about = {str(measure.pk): _whom(measure) for measure in measures}
    return FamilyRecord(
        family=family,
        infants=infants,
        carers=carers,
        receiver=receiver,
        at=at,
        episodes=episodes,
        contacts=_contacts(episode_ids),
        measures=measures,
        consents=[consent for person in decisions.values() for consent in person],
        flags=banner.flags,
        referrals=[(referral, referral.current_status) for referral in banner.referrals],  # type: ignore[attr-defined]
        alerts=[
            AlertFacts(alert=alert, person_id=about.get(alert.about_id) if alert.about_type == ADMINISTRATION else None)
            for alert in banner.alerts
        ],
    )


def validate(bundle: dict[str, object]) -> None:
    """Parse the Bundle back with the FHIR R4B models: every resource, element and value type."""
    from fhir.resources.R4B.bundle import Bundle

    try:
        Bundle.model_validate(bundle)
    except ValidationError as error:
        raise InvalidBundle(str(error)) from error


def build(record: FamilyRecord) -> dict[str, object]:
    bundle = fhir_bundle.build(record, bundle_id=str(uuid.uuid4()))
    validate(bundle)
    return bundle
