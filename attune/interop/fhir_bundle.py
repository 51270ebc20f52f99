"""A family's record as a FHIR R4 UK Core Bundle (type "collection"): built from what the export
gathered, touching no database, so it is tested with unsaved records.

Every resource keeps the Attune id of the record it comes from (a RelatedPerson or a Flag that
has no record of its own gets a name-based UUID from the records it joins), so sending the same
family twice gives the same ids, and each entry's fullUrl is that id as urn:uuid.

What is left out on purpose: the wording of any measure's items (an EPDS answer is its item
number and score, never its text), free text a practitioner wrote (notes, the concern in a
safeguarding referral, the detail of a flag), a phone or email marked unsafe, and safeguarding
flags and risk alerts about a person who has not consented to sharing with whoever receives it
(see `may_share`)."""

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import Any

from attune.care.models import Appointment, Episode
from attune.families.models import Carer, Consent, Family, FamilyAlert, Infant, SafeguardingFlag
from attune.families.safeguarding_models import ReferralOutcome, SafeguardingReferral
from attune.interop import fhir_codes as codes
from attune.outcomes import instruments, scoring
from attune.outcomes.models import Administration

Resource = dict[str, Any]
Person = Infant | Carer

# The purposes that share a record with someone outside the team: the export names one of them
# as its receiver, and only that consent lets a safeguarding flag or risk alert travel.
SHARING_PURPOSES = ("share_gp", "share_health_visitor", "share_social_care", "share_other")

# Name-based ids for resources with no record of their own (uuid5 in this namespace).
NAMESPACE = uuid.UUID("6f1e7c38-5b2a-4e43-9d0c-2a7f1a0b9e51")


@dataclass(frozen=True)
class Receiver:
    """Who the record is sent to: one of SHARING_PURPOSES, and the agency's name for another agency."""

    purpose: str
    agency: str = ""


@dataclass(frozen=True)
class EpisodeFacts:
    episode: Episode
    team_name: str
    lead: str  # the lead practitioner's name, or ""
    infant_ids: Sequence[uuid.UUID]
    carer_ids: Sequence[uuid.UUID]
    ended_at: dt.datetime | None


@dataclass(frozen=True)
class ContactFacts:
    """An attended contact, with who ran it and who came."""

    appointment: Appointment
    practitioners: Sequence[str]
    infant_ids: Sequence[uuid.UUID]
    carer_ids: Sequence[uuid.UUID]


@dataclass(frozen=True)
class AlertFacts:
    """A risk alert open on the family, and whom the measure that raised it was about."""

    alert: FamilyAlert
    person_id: uuid.UUID | None


@dataclass(frozen=True)
class FamilyRecord:
    family: Family
    infants: Sequence[Infant]
    carers: Sequence[Carer]
    receiver: Receiver
    at: dt.datetime
    episodes: Sequence[EpisodeFacts] = ()
    contacts: Sequence[ContactFacts] = ()
    measures: Sequence[Administration] = ()
    # Each person's current decisions (the latest per person, purpose and agency).
    consents: Sequence[Consent] = ()
    flags: Sequence[SafeguardingFlag] = ()
    # Open referrals to children's social care, with their current outcome.
    referrals: Sequence[tuple[SafeguardingReferral, str]] = ()
    alerts: Sequence[AlertFacts] = ()
    left_out: list[str] = field(default_factory=list)


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


def _ref(kind: str, pk: object, display: str = "") -> dict[str, str]:
    # Entries are found by their fullUrl: a reference to another entry uses the same urn:uuid.
    reference = {"reference": f"urn:uuid:{pk}"}
    if display:
        reference["display"] = display
    return reference


def _meta(kind: str) -> dict[str, list[str]]:
    return {"profile": [codes.PROFILES[kind]]}


def _instant(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def may_share(consents: Iterable[Consent], person_id: object, receiver: Receiver) -> bool:
    """Whether this person's current decision lets their safeguarding and risk information go to
    this receiver: consent to share with them was given and not withdrawn. Nobody asked means no."""
    agency = receiver.agency.strip().lower() if receiver.purpose == "share_other" else ""
    for consent in consents:
        if (
            str(consent.person_id) == str(person_id)
            and consent.purpose == receiver.purpose
            and consent.agency.strip().lower() == agency
        ):
            return consent.is_given
    return False


# People ---------------------------------------------------------------------------------------


def _name(person: Person) -> list[dict[str, Any]]:
    if not (person.given_name or person.family_name):
        return []
    name: dict[str, Any] = {"use": "official"}
    if person.family_name:
        name["family"] = person.family_name
    if person.given_name:
        name["given"] = [person.given_name]
    return [name]


def _nhs_number(person: Person) -> list[dict[str, Any]]:
    status = person.nhs_number_status
    extension = [
        {
            "url": codes.NHS_NUMBER_VERIFICATION,
            "valueCodeableConcept": {
                "coding": [
                    {
                        "system": codes.NHS_NUMBER_VERIFICATION_SYSTEM,
                        "code": status,
                        "display": codes.NHS_NUMBER_STATUS_DISPLAY[status],
                    }
                ]
            },
        }
    ]
    identifier: dict[str, Any] = {"extension": extension, "system": codes.NHS_NUMBER_SYSTEM}
    if person.nhs_number:
        identifier["value"] = person.nhs_number
    elif status not in ("07", "08"):
        # A status that speaks of a number ("present", "trace required") without one says
        # nothing the receiver can use.
        return []
    return [identifier]


def _address(family: Family) -> list[dict[str, Any]]:
    lines = [line for line in (family.address_line_1, family.address_line_2) if line]
    if not (lines or family.town or family.postcode):
        return []
    address: dict[str, Any] = {"use": "home"}
    if lines:
        address["line"] = lines
    if family.town:
        address["city"] = family.town
    if family.postcode:
        address["postalCode"] = family.postcode
    return [address]


def patient(person: Person, family: Family, *, related: Sequence[str] = ()) -> Resource:
    resource: Resource = {"resourceType": "Patient", "id": str(person.pk), "meta": _meta("Patient")}
    if person.ethnicity in codes.ETHNIC_CATEGORIES:
        resource["extension"] = [
            {
                "url": codes.ETHNIC_CATEGORY,
                "valueCodeableConcept": {
                    "coding": [{"system": codes.ETHNIC_CATEGORY_SYSTEM, "code": person.ethnicity}]
                },
            }
        ]
    if identifier := _nhs_number(person):
        resource["identifier"] = identifier
    if name := _name(person):
        resource["name"] = name
    if isinstance(person, Carer):
        telecom = []
        # Only what is safe to use: a shared or watched phone or inbox is not passed on.
        if person.phone and person.phone_is_safe:
            telecom.append({"system": "phone", "value": person.phone})
        if person.email and person.email_is_safe:
            telecom.append({"system": "email", "value": person.email})
        if telecom:
            resource["telecom"] = telecom
    if person.date_of_birth:
        resource["birthDate"] = person.date_of_birth.isoformat()
    if address := _address(family):
        resource["address"] = address
    if related:
        # The carer's Patient record and the RelatedPerson records that say whose carer they are.
        resource["link"] = [{"other": _ref("RelatedPerson", pk), "type": "seealso"} for pk in related]
    return resource


def related_person_id(carer: Carer, infant: Infant) -> str:
    return _id("related-person", carer.pk, infant.pk)


def related_person(carer: Carer, infant: Infant, family: Family) -> Resource:
    relationship: dict[str, Any] = {"text": carer.get_relationship_display()}
    if coded := codes.RELATIONSHIP_CODES.get(carer.relationship):
        relationship["coding"] = [{"system": codes.V3_ROLE_CODE, "code": coded[0], "display": coded[1]}]
    resource: Resource = {
        "resourceType": "RelatedPerson",
        "id": related_person_id(carer, infant),
        "meta": _meta("RelatedPerson"),
        "active": True,
        "patient": _ref("Patient", infant.pk, infant.display_name),
        "relationship": [relationship],
    }
    if identifier := _nhs_number(carer):
        resource["identifier"] = identifier
    if name := _name(carer):
        resource["name"] = name
    if carer.date_of_birth:
        resource["birthDate"] = carer.date_of_birth.isoformat()
    return resource


# Care -----------------------------------------------------------------------------------------


def _first(ids: Sequence[uuid.UUID], fallback: Sequence[Infant]) -> object | None:
    if ids:
        return ids[0]
    return fallback[0].pk if fallback else None


def episode_of_care(facts: EpisodeFacts, infants: Sequence[Infant]) -> Resource:
    # EpisodeOfCare has one patient: the baby the episode is for (the first, for twins).
    subject = _first(facts.infant_ids, infants)
    period: dict[str, str] = {"start": _instant(facts.episode.opened_at)}
    if facts.ended_at is not None:
        period["end"] = _instant(facts.ended_at)
    resource: Resource = {
        "resourceType": "EpisodeOfCare",
        "id": str(facts.episode.pk),
        "meta": _meta("EpisodeOfCare"),
        "status": "finished" if facts.ended_at is not None else "active",
        "type": [{"text": "Parent-infant relationship service"}],
        "patient": _ref("Patient", subject),
        "managingOrganization": {"display": facts.team_name},
        "period": period,
    }
    if facts.lead:
        resource["careManager"] = {"display": facts.lead}
    return resource


def encounter(facts: ContactFacts, infants: Sequence[Infant], carer_links: dict[str, str]) -> Resource:
    appointment = facts.appointment
    code, display = codes.ENCOUNTER_CLASS[appointment.kind]
    subject = _first(facts.infant_ids, infants)
    participants: list[dict[str, Any]] = [{"individual": {"display": name}} for name in facts.practitioners]
    # Carers who came take part as the RelatedPerson they are to the baby seen.
    for carer_id in facts.carer_ids:
        if link := carer_links.get(f"{carer_id}:{subject}"):
            participants.append({"individual": _ref("RelatedPerson", link)})
    resource: Resource = {
        "resourceType": "Encounter",
        "id": str(appointment.pk),
        "meta": _meta("Encounter"),
        "status": "finished",
        "class": {"system": codes.V3_ACT_CODE, "code": code, "display": display},
        "type": [{"text": appointment.get_kind_display()}],
        "subject": _ref("Patient", subject),
        "episodeOfCare": [_ref("EpisodeOfCare", appointment.episode_id)],
        "period": {"start": _instant(appointment.starts_at), "end": _instant(appointment.ends_at)},
    }
    if participants:
        resource["participant"] = participants
    return resource


# Measures -------------------------------------------------------------------------------------


def _subject_of(measure: Administration) -> object:
    # A carer's self-report is about the carer; a measure of the baby or the relationship about the baby.
    if measure.carer_id is not None and measure.infant_id is None:
        return measure.carer_id
    return measure.infant_id or measure.carer_id


def questionnaire_response(measure: Administration) -> Resource:
    """The answers as item numbers and item scores only: no item wording travels, so no
    licensed text (the EPDS's) is ever republished."""
    definition = instruments.get(measure.instrument)
    try:
        scores = scoring.item_scores(definition, list(measure.answers))
    except (TypeError, ValueError):
        # Answers kept from before a measure's definition changed: the total still goes.
        scores = ()
    items = [
        {"linkId": str(number), "answer": [{"valueInteger": score}]}
        for number, score in enumerate(scores, start=1)
        if score is not None
    ]
    resource: Resource = {
        "resourceType": "QuestionnaireResponse",
        "id": str(measure.pk),
        "meta": _meta("QuestionnaireResponse"),
        # Which measure, by its name: there is no shared canonical Questionnaire to point at.
        "text": {
            "status": "generated",
            "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{escape(definition.name)}: item scores</div>',
        },
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{measure.pk}"},
        # Stored answers are a finished questionnaire, even with an item left unanswered.
        "status": "completed",
        "subject": _ref("Patient", _subject_of(measure)),
        "authored": measure.completed_on.isoformat(),
        "item": items,
    }
    if not items:
        del resource["item"]
    return resource


def _value(total: Decimal) -> dict[str, Any]:
    if total == total.to_integral_value():
        return {"valueInteger": int(total)}
    return {"valueQuantity": {"value": float(total), "unit": "score"}}


def observation(measure: Administration) -> Resource | None:
    if measure.total is None:
        return None
    definition = instruments.get(measure.instrument)
    code: dict[str, Any] = {"text": f"{definition.name} total score"}
    if coding := codes.measure_coding(measure.instrument):
        code["coding"] = coding
    resource: Resource = {
        "resourceType": "Observation",
        "id": _id("observation", measure.pk),
        "meta": _meta("Observation"),
        "status": "final",
        "category": [{"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": code,
        "subject": _ref("Patient", _subject_of(measure)),
        "effectiveDateTime": measure.completed_on.isoformat(),
        **_value(measure.total),
        "derivedFrom": [_ref("QuestionnaireResponse", measure.pk)],
    }
    if measure.band:
        resource["interpretation"] = [{"text": measure.band}]
    return resource


# Safeguarding, risk and consent ---------------------------------------------------------------


def _flag(pk: str, subject: object, text: str, since: dt.datetime | dt.date) -> Resource:
    start = _instant(since) if isinstance(since, dt.datetime) else since.isoformat()
    return {
        "resourceType": "Flag",
        "id": pk,
        "meta": _meta("Flag"),
        "status": "active",
        "category": [{"coding": [{"system": codes.FLAG_CATEGORY, "code": "safety", "display": "Safety"}]}],
        "code": {"text": text},
        "subject": _ref("Patient", subject),
        "period": {"start": start},
    }


def flags(record: FamilyRecord) -> list[Resource]:
    """Safeguarding flags (about each baby), open referrals to children's social care (about
    their baby) and open risk alerts (about whom the measure was about), each only where that
    person consents to sharing with the receiver. What is held back is counted in `left_out`."""
    found: list[Resource] = []
    held_back = 0

    def add(subject: object, resource: Resource) -> None:
        nonlocal held_back
        if may_share(record.consents, subject, record.receiver):
            found.append(resource)
        else:
            held_back += 1

    for flag in record.flags:
        for infant in record.infants:
            text = f"Safeguarding: {flag.get_kind_display()}"
            add(infant.pk, _flag(_id("flag", flag.pk, infant.pk), infant.pk, text, flag.created_at))
    for referral, outcome in record.referrals:
        text = f"Referred to children's social care: {ReferralOutcome(outcome).label}"
        add(referral.infant_id, _flag(str(referral.pk), referral.infant_id, text, referral.referred_on))
    for facts in record.alerts:
        if facts.person_id is not None:
            alert = facts.alert
            add(facts.person_id, _flag(str(alert.pk), facts.person_id, f"Risk: {alert.message}", alert.created_at))
    if held_back:
        record.left_out.append(
            f"{held_back} safeguarding or risk {'flag' if held_back == 1 else 'flags'} "
            "(no consent recorded to share with this receiver)"
        )
    return found


def consent(decision: Consent) -> Resource:
    scope_code, scope_display = codes.CONSENT_SCOPES.get(decision.purpose, codes.PRIVACY_SCOPE)
    given = decision.decision == "given"
    resource: Resource = {
        "resourceType": "Consent",
        "id": str(decision.pk),
        "meta": _meta("Consent"),
        # A withdrawn consent no longer applies; a refusal is a standing decision to deny.
        "status": "inactive" if decision.is_withdrawn else "active",
        "scope": {"coding": [{"system": codes.CONSENT_SCOPE, "code": scope_code, "display": scope_display}]},
        "category": [{"text": decision.purpose_text}],
        "patient": _ref("Patient", decision.person_id),
        "dateTime": _instant(decision.created_at),
        # FHIR R4 asks for a policy or a rule: opt-in for a yes, opt-out for a no.
        "policyRule": {
            "coding": [{"system": codes.V3_ACT_CODE, "code": "OPTIN" if given else "OPTOUT"}],
        },
        "provision": {"type": "permit" if given else "deny"},
    }
    if decision.is_withdrawn and decision.withdrawn_at is not None:
        resource["provision"]["period"] = {
            "start": _instant(decision.created_at),
            "end": _instant(decision.withdrawn_at),
        }
    return resource


# The bundle -----------------------------------------------------------------------------------


def _entry(resource: Resource) -> dict[str, Any]:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def build(record: FamilyRecord, *, bundle_id: str) -> Resource:
    """The Bundle as a JSON-ready dict. Patients first, then who is related to whom, the care,
    the measures, the flags and the consents."""
    family = record.family
    links: dict[str, str] = {}
    related: list[Resource] = []
    for carer in record.carers:
        for infant in record.infants:
            resource = related_person(carer, infant, family)
            links[f"{carer.pk}:{infant.pk}"] = resource["id"]
            related.append(resource)
    resources: list[Resource] = [patient(infant, family) for infant in record.infants]
    resources += [
        patient(carer, family, related=[links[f"{carer.pk}:{infant.pk}"] for infant in record.infants])
        for carer in record.carers
    ]
    resources += related
    resources += [episode_of_care(facts, record.infants) for facts in record.episodes]
    resources += [encounter(facts, record.infants, links) for facts in record.contacts]
    for measure in record.measures:
        resources.append(questionnaire_response(measure))
        if (found := observation(measure)) is not None:
            resources.append(found)
    resources += flags(record)
    resources += [consent(decision) for decision in record.consents]
    return {
        "resourceType": "Bundle",
        "id": bundle_id,
        "meta": {"lastUpdated": _instant(record.at)},
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{bundle_id}"},
        "type": "collection",
        "timestamp": _instant(record.at),
        "entry": [_entry(resource) for resource in resources],
    }
