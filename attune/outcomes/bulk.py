"""The bulk sibling of `services.record_administration`, for importers that bring in years of
completed questionnaires at once: the same checks, scores, rows and audit events, in a few
queries. Risk alerts are raised through the action's own code (`_raise_alerts`) for each
measure that has them, so an imported EPDS item 10 above 0 alerts the practitioners and the
team leads exactly as one entered by hand. attune/interop/tests/test_import_bulk.py holds it to the action's rows."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from attune.care.models import Episode
from attune.core import audit
from attune.core.actors import Actor
from attune.core.clocks import age_in_months
from attune.families.models import Carer, Infant
from attune.outcomes import instruments, scoring
from attune.outcomes.models import Administration, LoadedBands, Source, TimePoint
from attune.outcomes.services import (
    OutcomeError,
    _answer_error,
    _check_date,
    _raise_alerts,
    bands_key_for,
    bands_of,
    loaded_bands,
)


@dataclass(frozen=True)
class PastMeasure:
    episode: Episode
    instrument: str
    answers: Sequence[int | None]
    time_point: str
    completed_on: dt.date
    source: str = Source.IMPORT
    carer: Carer | None = None
    infant: Infant | None = None


def _check_person(
    item: PastMeasure, definition: instruments.Instrument, takes_part: set[tuple[object, object]]
) -> None:
    """services._check_person, with who takes part in each episode read once for all."""
    if definition.about in ("carer", "relationship") and item.carer is None:
        raise OutcomeError(f"Choose the parent or carer the {definition.name} is about", field="carer")
    if definition.about in ("infant", "relationship") and item.infant is None:
        raise OutcomeError(f"Choose the baby the {definition.name} is about", field="infant")
    if item.carer is not None and (item.episode.pk, item.carer.pk) not in takes_part:
        raise OutcomeError("This parent or carer is not taking part in this episode", field="carer")
    if item.infant is not None:
        if (item.episode.pk, item.infant.pk) not in takes_part:
            raise OutcomeError("This baby is not taking part in this episode", field="infant")
        ages = definition.infant_age_months
        if ages is not None:
            if item.infant.date_of_birth is None:
                raise OutcomeError(
                    f"The {definition.name} is for babies aged {ages[0]} to {ages[1]} months, "
                    "and this baby is not born yet",
                    field="infant",
                )
            age = age_in_months(item.infant.date_of_birth, item.completed_on)
            if not ages[0] <= age <= ages[1]:
                raise OutcomeError(
                    f"The {definition.name} is for babies aged {ages[0]} to {ages[1]} months; "
                    f"this baby was {age} months old on the day it was completed",
                    field="infant",
                )


@transaction.atomic
def record_administrations(*, actor: Actor | None, items: Sequence[PastMeasure]) -> list[Administration]:
    if not items:
        return []
    episode_ids = {item.episode.pk for item in items}
    takes_part: set[tuple[object, object]] = set()
    takes_part.update(
        Episode.carers.through.objects.filter(episode_id__in=episode_ids).values_list("episode_id", "carer_id")
    )
    takes_part.update(
        Episode.infants.through.objects.filter(episode_id__in=episode_ids).values_list("episode_id", "infant_id")
    )
    bands: dict[tuple[str, str], LoadedBands | None] = {}
    made: list[Administration] = []
    for item in items:
        try:
            definition = instruments.get(item.instrument)
        except KeyError:
            raise OutcomeError("Choose a measure", field="instrument") from None
        if item.time_point not in TimePoint.values:
            raise OutcomeError("Choose the time point", field="time_point")
        if item.source not in Source.values:
            raise OutcomeError("The source of the answers is not known")
        _check_date(item.episode, item.completed_on)
        _check_person(item, definition, takes_part)
        key = bands_key_for(definition, item.infant, item.completed_on, "")
        if (item.instrument, key) not in bands:
            bands[item.instrument, key] = loaded_bands(item.instrument, key)
        loaded = bands[item.instrument, key]
        try:
            result = scoring.score(item.instrument, list(item.answers), bands=bands_of(loaded) if loaded else None)
        except ValueError as error:
            raise _answer_error(definition, error) from error
        risk_items = sorted({rule.item for rule in definition.risk_rules if rule.item is not None})
        for number in [*risk_items, *result.missing_items]:
            if number in result.missing_items and (number in risk_items or result.total is None):
                item_def = definition.item(number)
                raise OutcomeError(
                    f"Enter a rating from {item_def.minimum} to {item_def.maximum} for item {number}"
                    if item_def.numeric
                    else f"Answer item {number}",
                    field=f"item_{number}",
                )
        administration = Administration(
            episode=item.episode,
            instrument=item.instrument,
            carer=item.carer,
            infant=item.infant,
            time_point=item.time_point,
            completed_on=item.completed_on,
            source=item.source,
            entered_by=actor.user if actor is not None else None,
            answers=list(item.answers),
            total=None if result.total is None else Decimal(str(round(result.total, 2))),
            subscales=dict(result.subscales),
            band=result.band or "",
            alerts=list(result.alerts),
            complete=result.complete,
            above_cutoff=result.above_cutoff,
        )
        administration._bands_key = key  # type: ignore[attr-defined]  # for its audit event below
        made.append(administration)
    Administration.objects.bulk_create(made, batch_size=500)
    events = []
    for administration in made:
        events.append(
            audit.event(
                action="outcomes.administration_recorded",
                actor=actor,
                obj=administration,
                family_id=administration.episode.family_id,
                person_id=administration.carer_id or administration.infant_id,
                detail={
                    "instrument": administration.instrument,
                    "source": administration.source,
                    "episode": str(administration.episode_id),
                    "alerts": len(administration.alerts),
                    "bands": administration._bands_key,  # type: ignore[attr-defined]
                },
            )
        )
    audit.record_many(events)
    by_episode: dict[object, list[Administration]] = defaultdict(list)
    for administration in made:
        if administration.alerts:
            by_episode[administration.episode_id].append(administration)
    for alerted in by_episode.values():
        for administration in alerted:
            _raise_alerts(actor=actor, administration=administration, episode=administration.episode)
    return made
