"""The bulk sibling of `services.submit_referral` (and of accepting the referral with `decide`),
for importers that bring in a service's open referrals from another system: the same referral
rows, status history (through append_statuses, which keeps the status columns) and audit events,
in a few queries. Each referral is received on its own date, and an accepted one is accepted on
it too (the date it was accepted is rarely in the old system).

No acknowledgement or acceptance letter is queued: these referrals were acknowledged by the
system they came from, long ago; a letter now would be news to nobody, or worse, to a family
who has moved on."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from attune.core import audit
from attune.core.actors import Actor
from attune.families.models import Family
from attune.referrals import decisions
from attune.referrals.models import Referral, ReferralStatus
from attune.referrals.services import (
    Decision,
    IncompleteDecision,
    Intake,
    ReferralError,
    append_statuses,
    new_references,
    referral_row,
)
from attune.referrals.workflow import Status


@dataclass(frozen=True)
class PastReferral:
    intake: Intake
    family: Family  # made already (families.bulk.create_families)
    received_at: dt.datetime
    accepted: Decision | None = None  # accepted to the waiting list when received


@transaction.atomic
def receive_referrals(*, items: Sequence[PastReferral], actor: Actor) -> list[Referral]:
    for item in items:
        if not item.intake.consent_given:
            raise ReferralError("A referral needs the family's agreement")
        if item.accepted is not None:
            if item.accepted.status != Status.ACCEPTED:
                raise ReferralError("Only an acceptance can be imported with a referral")
            missing = decisions.problems(item.accepted)
            if missing:
                raise IncompleteDecision(missing)
            decisions.check(Status.RECEIVED, Status.ACCEPTED)
    references = new_references(len(items))
    referrals = []
    for item, reference in zip(items, references, strict=True):
        intake, accepted = item.intake, item.accepted
        referral = referral_row(intake, item.family, reference=reference, received_at=item.received_at)
        referral.level_of_need = accepted.level_of_need.strip() if accepted else ""
        referral.priority = accepted.priority.strip() if accepted else ""
        referrals.append(referral)
    Referral.objects.bulk_create(referrals, batch_size=500)
    statuses: list[ReferralStatus] = []
    events = []
    for referral, item in zip(referrals, items, strict=True):
        statuses.append(
            ReferralStatus(
                referral=referral, status=Status.RECEIVED, entered_at=item.received_at, note="Referral received"
            )
        )
        events.append(
            audit.event(
                action="referral.received",
                actor=actor,
                obj=referral,
                family_id=referral.family_id,
                detail={"kind": item.intake.kind, "source": item.intake.source},
            )
        )
        if item.accepted is not None:
            statuses.append(
                ReferralStatus(
                    referral=referral,
                    status=Status.ACCEPTED,
                    entered_at=item.received_at,
                    by=actor.person,
                    note=item.accepted.note.strip(),
                )
            )
            detail = {"level_of_need": referral.level_of_need, "priority": referral.priority}
            events.append(
                audit.event(
                    action="referral.accepted",
                    actor=actor,
                    obj=referral,
                    family_id=referral.family_id,
                    detail={k: v for k, v in detail.items() if v},
                )
            )
    append_statuses(statuses)
    audit.record_many(events)
    return referrals
