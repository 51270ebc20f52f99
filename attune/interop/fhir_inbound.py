"""Reading a referral sent as a FHIR R4 ServiceRequest (from a health visiting or GP system): a
ServiceRequest alone with its Patient(s) contained, or a Bundle holding the ServiceRequest and
the resources it refers to. Plain Python with no Django: it checks the JSON against the FHIR R4B
models (fhir.resources), then reads what a referral needs into an `InboundReferral`. Every
refusal is a `FhirInputError` whose message tells the sender what to change.

Who is who: a Patient born less than BABY_YEARS ago is a baby; an older Patient, or a
RelatedPerson, is a parent or carer. An unborn baby is named by an Observation of the estimated
delivery date (LOINC 11778-8) about the mother."""

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import nhs_number
from pydantic import ValidationError

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
ETHNIC_CATEGORY_URL = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory"
ETHNIC_CATEGORIES = frozenset("ABCDEFGHJKLMNPRSZ")
DUE_DATE_LOINC = "11778-8"  # Delivery date Estimated
# The service sees children up to 5: anyone younger than this is read as a baby or child.
BABY_YEARS = 6
# Statuses that make a request something to act on (FHIR R4 request-status).
ACTIVE = "active"

# v3 RoleCode (FHIR R4) to Attune's relationships; anything else is "other".
RELATIONSHIPS = {"MTH": "mother", "NMTH": "mother", "FTH": "father", "NFTH": "father", "PRN": "parent"}
RELATIONSHIPS |= {"GRPRN": "grandparent", "GRMTH": "grandparent", "GRFTH": "grandparent"}

# The referrer's role, in words, to SOURCE OF REFERRAL FOR MENTAL HEALTH (domain B.4).
SOURCES = (
    ("health visitor", "A2"),
    ("midwi", "A4"),
    ("maternity", "A4"),
    ("general practi", "A1"),
    ("gp", "A1"),
    ("social work", "C1"),
    ("paediatric", "F3"),
)
OTHER_SERVICE = "M6"
SELF = "B1"


class FhirInputError(Exception):
    """What was sent cannot be taken as a referral; the message says what to change. `element`
    names the place in the JSON when there is one (for example `Bundle.entry[1].resource.birthDate`)."""

    def __init__(self, message: str, element: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.element = element


@dataclass(frozen=True)
class InboundPerson:
    given_name: str = ""
    family_name: str = ""
    birth_date: dt.date | None = None
    due_date: dt.date | None = None
    nhs_number: str = ""
    ethnicity: str = "99"
    relationship: str = "other"
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class InboundReferral:
    """What the ServiceRequest says, ready to become a referral."""

    key: str  # how a second copy of the same request is recognised
    babies: list[InboundPerson]
    carers: list[InboundPerson]
    reason: str
    self_referral: bool
    source: str
    referrer_name: str
    referrer_role: str = ""
    referrer_organisation: str = ""
    referrer_email: str = ""
    referrer_phone: str = ""
    address_lines: list[str] = field(default_factory=list)
    town: str = ""
    postcode: str = ""
    gp_practice: str = ""


def read_json(data: bytes) -> dict[str, Any]:
    """The uploaded file as a JSON object, or a clear refusal."""
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FhirInputError("The file is not text in UTF-8. Send the FHIR resource as a JSON file") from None
    except json.JSONDecodeError as error:
        raise FhirInputError(
            f"The file is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}). "
            "Send the FHIR resource as JSON"
        ) from None
    return _object(parsed)


def _object(payload: object) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise FhirInputError("This is not a FHIR resource: send a JSON object with a resourceType of ServiceRequest")
    return payload


def _where(location: tuple[int | str, ...], root: str) -> str:
    text = root
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _validate(payload: dict[str, Any]) -> None:
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.servicerequest import ServiceRequest

    kind = payload["resourceType"]
    model = Bundle if kind == "Bundle" else ServiceRequest
    try:
        model.model_validate(payload)
    except ValidationError as error:
        first = error.errors()[0]
        where = _where(tuple(first["loc"]), kind)
        problem = "is missing" if first["type"] == "missing" else f"is not valid: {first['msg']}"
        raise FhirInputError(f"This is not valid FHIR R4: {where} {problem}", where) from None
    except (TypeError, ValueError) as error:
        raise FhirInputError(f"This is not valid FHIR R4: {error}") from None


class _Resources:
    """The resources a reference can point at: contained ones (#id), and a Bundle's entries by
    fullUrl and by Type/id."""

    def __init__(self, request: dict[str, Any], bundle: dict[str, Any] | None) -> None:
        self.by_ref: dict[str, dict[str, Any]] = {}
        self.all: list[dict[str, Any]] = []
        for resource in request.get("contained", []) or []:
            self._add(resource, f"#{resource.get('id', '')}")
        for entry in (bundle or {}).get("entry", []) or []:
            resource = entry.get("resource")
            if isinstance(resource, dict):
                self._add(resource, entry.get("fullUrl", ""))
                for contained in resource.get("contained", []) or []:
                    self._add(contained, f"#{contained.get('id', '')}")

    def _add(self, resource: dict[str, Any], name: str) -> None:
        self.all.append(resource)
        if name and name != "#":
            self.by_ref[name] = resource
        if resource.get("id"):
            self.by_ref[f"{resource['resourceType']}/{resource['id']}"] = resource

    def get(self, reference: dict[str, Any] | None) -> dict[str, Any] | None:
        target = (reference or {}).get("reference", "")
        if not target:
            return None
        if target in self.by_ref:
            return self.by_ref[target]
        # An absolute address ending in Type/id.
        tail = "/".join(target.rstrip("/").split("/")[-2:])
        return self.by_ref.get(tail)

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [resource for resource in self.all if resource.get("resourceType") == kind]


def _service_request(payload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    kind = payload.get("resourceType")
    if not isinstance(kind, str) or not kind:
        raise FhirInputError("This is not a FHIR resource: it has no resourceType. Send a ServiceRequest")
    if kind == "ServiceRequest":
        return payload, None
    if kind != "Bundle":
        article = "an" if kind[0].lower() in "aeiou" else "a"
        raise FhirInputError(
            f"This is {article} {kind}; send a ServiceRequest (or a Bundle holding one)", f"{kind}.resourceType"
        )
    requests: list[dict[str, Any]] = [
        entry["resource"]
        for entry in payload.get("entry", []) or []
        if isinstance(entry, dict)
        and isinstance(entry.get("resource"), dict)
        and entry["resource"].get("resourceType") == "ServiceRequest"
    ]
    if not requests:
        raise FhirInputError("The Bundle holds no ServiceRequest: add the referral as a ServiceRequest entry")
    if len(requests) > 1:
        raise FhirInputError(f"The Bundle holds {len(requests)} ServiceRequests: send one referral at a time")
    return requests[0], payload


def _text(concept: dict[str, Any] | None) -> str:
    if not concept:
        return ""
    if concept.get("text"):
        return str(concept["text"]).strip()
    for coding in concept.get("coding", []) or []:
        if coding.get("display"):
            return str(coding["display"]).strip()
    return ""


def _nhs_number(resource: dict[str, Any], label: str) -> str:
    for identifier in resource.get("identifier", []) or []:
        if identifier.get("system") == NHS_NUMBER_SYSTEM and identifier.get("value"):
            value = "".join(str(identifier["value"]).split())
            if not (len(value) == 10 and value.isdigit() and nhs_number.is_valid(value)):
                raise FhirInputError(
                    f"The NHS number {identifier['value']} on {label} is not a valid NHS number (its check "
                    "digit does not match). Check it against the record it came from",
                    f"{resource['resourceType']}.identifier",
                )
            return value
    return ""


def _name(resource: dict[str, Any]) -> tuple[str, str]:
    names = resource.get("name", []) or []
    chosen = next((name for name in names if name.get("use") in ("official", "usual")), names[0] if names else {})
    given = " ".join(chosen.get("given", []) or [])
    return given.strip(), str(chosen.get("family", "")).strip()


def _ethnicity(resource: dict[str, Any]) -> str:
    for extension in resource.get("extension", []) or []:
        if extension.get("url") == ETHNIC_CATEGORY_URL:
            for coding in (extension.get("valueCodeableConcept") or {}).get("coding", []) or []:
                if coding.get("code") in ETHNIC_CATEGORIES:
                    return str(coding["code"])
    return "99"


def _telecom(resource: dict[str, Any], system: str) -> str:
    for contact in resource.get("telecom", []) or []:
        if contact.get("system") == system and contact.get("value"):
            return str(contact["value"]).strip()
    return ""


def _date(value: object) -> dt.date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None  # a year or a month alone is not a date of birth
    return dt.date.fromisoformat(value[:10])


def _label(resource: dict[str, Any]) -> str:
    given, family = _name(resource)
    name = " ".join(part for part in (given, family) if part)
    return f"{resource['resourceType']} {name or resource.get('id', '')}".strip()


def _person(resource: dict[str, Any], *, relationship: str = "other") -> InboundPerson:
    given, family = _name(resource)
    return InboundPerson(
        given_name=given,
        family_name=family,
        birth_date=_date(resource.get("birthDate")),
        nhs_number=_nhs_number(resource, _label(resource)),
        ethnicity=_ethnicity(resource),
        relationship=relationship,
        phone=_telecom(resource, "phone"),
        email=_telecom(resource, "email"),
    )


def _relationship(resource: dict[str, Any]) -> str:
    for concept in resource.get("relationship", []) or []:
        for coding in concept.get("coding", []) or []:
            if coding.get("code") in RELATIONSHIPS:
                return RELATIONSHIPS[coding["code"]]
    return "other"


def _due_date(resources: _Resources, mother: dict[str, Any]) -> dt.date | None:
    for found in resources.of_type("Observation"):
        coded = [c.get("code") for c in (found.get("code") or {}).get("coding", []) or []]
        if DUE_DATE_LOINC in coded and resources.get(found.get("subject")) is mother:
            return _date(found.get("valueDateTime"))
    return None


def _people(request: dict[str, Any], resources: _Resources, today: dt.date) -> tuple[list[Any], list[Any]]:
    subject = request.get("subject")
    if not subject or not (subject.get("reference") or subject.get("identifier")):
        raise FhirInputError(
            "The ServiceRequest has no subject: add subject, a reference to the baby's (or mother's) Patient",
            "ServiceRequest.subject",
        )
    patient = resources.get(subject)
    if patient is None or patient.get("resourceType") != "Patient":
        raise FhirInputError(
            f"The ServiceRequest's subject ({subject.get('reference', 'an identifier only')}) is not a Patient "
            "in what was sent: contain the Patient in the ServiceRequest, or send a Bundle that holds it",
            "ServiceRequest.subject",
        )
    babies: list[InboundPerson] = []
    carers: list[InboundPerson] = []
    seen: set[int] = set()
    youngest = today - dt.timedelta(days=round(365.25 * BABY_YEARS))
    for resource in [patient, *resources.of_type("Patient")]:
        if id(resource) in seen:
            continue
        seen.add(id(resource))
        person = _person(resource)
        if person.birth_date is not None and person.birth_date > today:
            raise FhirInputError(
                f"The birthDate of {_label(resource)} is in the future. For an unborn baby, send the mother's "
                "Patient with an Observation of the estimated delivery date (LOINC 11778-8)",
                "Patient.birthDate",
            )
        if person.birth_date is not None and person.birth_date >= youngest:
            babies.append(person)
        else:
            due = _due_date(resources, resource)
            if due is not None:
                babies.append(InboundPerson(family_name=person.family_name, due_date=due))
            carers.append(_person(resource, relationship="mother" if due is not None else "other"))
    for resource in resources.of_type("RelatedPerson"):
        carers.append(_person(resource, relationship=_relationship(resource)))
    if not babies:
        raise FhirInputError(
            "No baby or young child is named: send the baby's Patient with a birthDate, or for an unborn baby "
            "an Observation of the estimated delivery date (LOINC 11778-8) about the mother",
            "ServiceRequest.subject",
        )
    return babies, carers


def _key(request: dict[str, Any]) -> str:
    for identifier in request.get("identifier", []) or []:
        if identifier.get("value"):
            return f"{identifier.get('system', '')}|{identifier['value']}"[:255]
    if request.get("id"):
        return f"id|{request['id']}"[:255]
    raise FhirInputError(
        "The ServiceRequest has no identifier or id, so a second copy could not be recognised: add an identifier",
        "ServiceRequest.identifier",
    )


def _reason(request: dict[str, Any]) -> str:
    parts = [_text(concept) for concept in request.get("reasonCode", []) or []]
    parts += [str(note.get("text", "")).strip() for note in request.get("note", []) or []]
    reason = "\n\n".join(part for part in parts if part)
    if not reason:
        raise FhirInputError(
            "The ServiceRequest does not say why the family is referred: add reasonCode (with text) or a note",
            "ServiceRequest.reasonCode",
        )
    return reason


def _source(role: str, organisation: str) -> str:
    words = f"{role} {organisation}".lower()
    for clue, code in SOURCES:
        if (clue == "gp" and "gp" in words.split()) or (clue != "gp" and clue in words):
            return code
    return OTHER_SERVICE


def _requester(request: dict[str, Any], resources: _Resources) -> dict[str, Any]:
    reference = request.get("requester") or {}
    found = resources.get(reference) or {}
    kind = found.get("resourceType", "")
    role = organisation = ""
    person = found
    if kind == "PractitionerRole":
        role = _text((found.get("code") or [{}])[0])
        organisation = (found.get("organization") or {}).get("display", "")
        if resources.get(found.get("organization")):
            organisation = resources.get(found.get("organization")).get("name", organisation)  # type: ignore[union-attr]
        person = resources.get(found.get("practitioner")) or {}
        name = (found.get("practitioner") or {}).get("display", "")
    elif kind == "Organization":
        organisation, person, name = found.get("name", ""), {}, ""
    else:
        name = ""
    if person:
        name = " ".join(part for part in _name(person) if part) or name
    name = name or reference.get("display", "") or organisation or "Not named in the request"
    return {
        "self": kind in ("Patient", "RelatedPerson"),
        "name": str(name)[:200],
        "role": str(role)[:200],
        "organisation": str(organisation)[:200],
        "email": _telecom(person or found, "email"),
        "phone": _telecom(person or found, "phone"),
    }


def read(payload: object, *, today: dt.date) -> InboundReferral:
    """The referral a ServiceRequest (alone or in a Bundle) describes, or a FhirInputError."""
    document = _object(payload)
    request, bundle = _service_request(document)
    _validate(document)
    status = request.get("status")
    if status != ACTIVE:
        raise FhirInputError(
            f"This ServiceRequest's status is {status}: only an active request is a referral", "ServiceRequest.status"
        )
    key = _key(request)
    resources = _Resources(request, bundle)
    babies, carers = _people(request, resources, today)
    reason = _reason(request)
    requester = _requester(request, resources)
    home: dict[str, Any] = next(
        (
            address
            for resource in resources.of_type("Patient")
            for address in resource.get("address", []) or []
            if address.get("postalCode")
        ),
        {},
    )
    gp = next(
        (
            reference.get("display", "")
            for resource in resources.of_type("Patient")
            for reference in resource.get("generalPractitioner", []) or []
            if reference.get("display")
        ),
        "",
    )
    return InboundReferral(
        key=key,
        babies=babies,
        carers=carers,
        reason=reason,
        self_referral=requester["self"],
        source=SELF if requester["self"] else _source(requester["role"], requester["organisation"]),
        referrer_name=requester["name"],
        referrer_role=requester["role"],
        referrer_organisation=requester["organisation"],
        referrer_email=requester["email"],
        referrer_phone=requester["phone"],
        address_lines=[str(line) for line in home.get("line", []) or []][:2],
        town=str(home.get("city", "")),
        postcode=str(home.get("postalCode", "")).upper(),
        gp_practice=str(gp)[:200],
    )
