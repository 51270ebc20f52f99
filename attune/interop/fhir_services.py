"""FHIR actions: sending a family's record as a Bundle, and taking a ServiceRequest into a
team's inbox as a referral. Each takes the actor (a person on a page, or another system through
the API) and writes its audit event in the same transaction."""

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from attune.core import audit
from attune.core.actors import Actor
from attune.core.formatting import date_long
from attune.core.validators import normalise_postcode
from attune.families.codes import ContactPreference, Relationship
from attune.families.models import Family
from attune.families.services import FamilyError, NewCarer, NewFamily, NewInfant
from attune.interop import fhir_export, fhir_inbound
from attune.interop.fhir_bundle import SHARING_PURPOSES, Receiver
from attune.interop.fhir_inbound import FhirInputError, InboundPerson, InboundReferral
from attune.interop.fhir_models import ReceivedServiceRequest
from attune.organisations.areas import local_authority_for
from attune.organisations.models import Team
from attune.referrals import services as referral_services
from attune.referrals.models import Referral, ReferralKind
from attune.referrals.services import Intake, ReferralError, Referrer

__all__ = [
    "AlreadyReceived",
    "Export",
    "FhirInputError",
    "export_family",
    "intake_from",
    "receive_service_request",
]

MEDIA_TYPE = "application/fhir+json"


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    resources: int
    left_out: list[str]


class AlreadyReceived(FhirInputError):
    """The same ServiceRequest came to this team before: nothing new is made."""

    def __init__(self, earlier: ReceivedServiceRequest) -> None:
        referral = earlier.referral
        super().__init__(
            f"This ServiceRequest was already received on {date_long(earlier.created_at)}, as referral "
            f"{referral.reference}. Nothing new was added",
            "ServiceRequest.identifier",
        )
        self.referral = referral


def export_family(
    *, actor: Actor, family: Family, receiver: Receiver, team_ids: Iterable[uuid.UUID], at: dt.datetime | None = None
) -> Export:
    """The family's record as a validated FHIR Bundle (JSON), and the export in the audit log
    naming the family, the receiver and how many resources went."""
    if receiver.purpose not in SHARING_PURPOSES:
        raise ValueError(f"Not a sharing purpose: {receiver.purpose}")
    at = at or timezone.now()
    record = fhir_export.gather(family=family, team_ids=team_ids, receiver=receiver, at=at)
    bundle = fhir_export.build(record)
    entries = bundle["entry"]
    assert isinstance(entries, list)
    audit.record(
        action="fhir.bundle_exported",
        actor=actor,
        obj=family,
        detail={
            "receiver": receiver.purpose,
            **({"agency": receiver.agency} if receiver.agency else {}),
            "resources": len(entries),
            "bundle": str(bundle["id"]),
            **({"left_out": record.left_out} if record.left_out else {}),
        },
    )
    content = json.dumps(bundle, indent=2, ensure_ascii=False).encode("utf-8")
    filename = f"family-record-{timezone.localdate(at):%Y-%m-%d}-{str(family.pk)[:8]}.json"
    return Export(content=content, filename=filename, resources=len(entries), left_out=record.left_out)


# Receiving a ServiceRequest -------------------------------------------------------------------


def _infant(person: InboundPerson) -> NewInfant:
    return NewInfant(
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.birth_date,
        expected_due_date=person.due_date,
        nhs_number=person.nhs_number,
        ethnicity=person.ethnicity,
    )


def _carer(person: InboundPerson, *, main: bool) -> NewCarer:
    preference = (
        ContactPreference.SMS if person.phone else ContactPreference.EMAIL if person.email else ContactPreference.LETTER
    )
    return NewCarer(
        given_name=person.given_name,
        family_name=person.family_name,
        relationship=person.relationship if person.relationship in Relationship.values else Relationship.OTHER,
        date_of_birth=person.birth_date,
        phone=person.phone[:20],
        email=person.email[:254],
        contact_preference=preference,
        # Another system cannot say whether a phone or inbox is safe to use: the team asks.
        phone_is_safe=False,
        email_is_safe=False,
        nhs_number=person.nhs_number,
        ethnicity=person.ethnicity,
        is_main_contact=main,
    )


def intake_from(inbound: InboundReferral, *, team: Team) -> Intake:
    """The referral as submit_referral takes it (the public form fills the same)."""
    postcode = normalise_postcode(inbound.postcode)[:8]
    family = NewFamily(
        team=team,
        infants=[_infant(baby) for baby in inbound.babies],
        carers=[_carer(carer, main=index == 0) for index, carer in enumerate(inbound.carers)],
        address_line_1=inbound.address_lines[0] if inbound.address_lines else "",
        address_line_2=inbound.address_lines[1] if len(inbound.address_lines) > 1 else "",
        town=inbound.town,
        postcode=postcode,
        # The council area from the postcode, as the referral form finds it, so the eligibility
        # check on the referral page can place the family.
        local_authority=local_authority_for(postcode) if postcode else None,
        gp_practice=inbound.gp_practice,
    )
    rows = [
        {"section": "Referrer", "label": "Name", "value": inbound.referrer_name},
        {"section": "Referrer", "label": "Role", "value": inbound.referrer_role},
        {"section": "Referrer", "label": "Organisation", "value": inbound.referrer_organisation},
        {"section": "Reason", "label": "Why are you referring?", "value": inbound.reason},
    ]
    return Intake(
        kind=ReferralKind.SELF if inbound.self_referral else ReferralKind.PROFESSIONAL,
        source=inbound.source,
        referrer=Referrer(
            name=inbound.referrer_name,
            role=inbound.referrer_role,
            organisation=inbound.referrer_organisation,
            email=inbound.referrer_email[:254],
            phone=inbound.referrer_phone[:20],
        ),
        family=family,
        reason=inbound.reason,
        # As on the public form, a professional's referral is sent with the family's agreement;
        # a ServiceRequest carries no consent element of its own in R4.
        consent_given=True,
        submitted={
            "form": "fhir_service_request",
            "service_request": inbound.key,
            "rows": [row for row in rows if row["value"]],
        },
    )


def _earlier(team: Team, key: str) -> ReceivedServiceRequest | None:
    return ReceivedServiceRequest.objects.filter(team=team, key=key).select_related("referral").first()


@transaction.atomic
def _receive(actor: Actor, team: Team, inbound: InboundReferral) -> Referral:
    if (earlier := _earlier(team, inbound.key)) is not None:
        raise AlreadyReceived(earlier)
    try:
        referral = referral_services.submit_referral(intake=intake_from(inbound, team=team), actor=actor)
    except (ReferralError, FamilyError) as error:
        raise FhirInputError(str(error)) from error
    ReceivedServiceRequest.objects.create(
        team=team, key=inbound.key, referral=referral, received_by=actor.user, received_through=actor.name[:200]
    )
    audit.record(
        action="fhir.service_request_received",
        actor=actor,
        obj=referral,
        family_id=referral.family_id,
        detail={"team": str(team.pk), "service_request": inbound.key},
    )
    return referral


def receive_service_request(*, actor: Actor, team: Team, payload: dict) -> Referral:
    """A FHIR ServiceRequest (alone, or in a Bundle with its Patients) into the team's inbox as
    a referral. Raises FhirInputError, with a message for the sender, for anything that is not
    one; AlreadyReceived when the same request came to this team before. A refusal is audited
    with what was wrong (never the content)."""
    try:
        inbound = fhir_inbound.read(payload, today=timezone.localdate())
        try:
            return _receive(actor, team, inbound)
        except IntegrityError:
            # Sent twice at the same moment: the other copy made the referral.
            earlier = _earlier(team, inbound.key)
            if earlier is None:
                raise
            raise AlreadyReceived(earlier) from None
    except FhirInputError as error:
        audit.record(
            action="fhir.service_request_refused",
            actor=actor,
            obj=team,
            outcome=audit.Outcome.FAILURE,
            detail={"problem": error.element or type(error).__name__},
        )
        raise
