"""Questionnaires parents answer on their own phone, through a single-use link (issue 5).

The actions here are the only way a link changes: `send_link` (a practitioner sends one through
the outbox), `revoke_link`, `open_link` (every attempt to use a token, good or bad),
`check_date_of_birth` (the parent proves they are the baby's parent before seeing anything) and
`submit` (the answers, stored only through `services.record_administration`, which scores them
and raises any risk alert). Each runs in one transaction and writes its audit event.

Security decisions:
- The token is 32 random bytes (`secrets.token_urlsafe`); only its SHA-256 is stored, so the
  database, a backup or the audit log cannot open a link. A changed token is simply unknown.
- The token is never written to the audit log, and never shown to staff again after sending,
  except once: when the message could not be sent (no safe way to reach the parent), the
  confirmation page shows the link one time so the practitioner can give it another way.
- A withheld message is kept in the outbox without the link, since it was never sent.
- Five wrong dates of birth withdraw the link, whoever tried them.

A link may also ask the parent to give or review their consent (and their baby's, when they have
parental responsibility): `consent_people` says whose decisions they see, and
`record_parent_consent` stores what they change through families.consent, as given on their
own phone, by the link. A link that asks only consent is used once that is done (`finish`).
"""

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Episode
from attune.core import audit
from attune.core.actors import QUESTIONNAIRE_LINK, Actor
from attune.core.clocks import age_in_months
from attune.core.formatting import date_long
from attune.families import consent as family_consent
from attune.families.codes import ParentalResponsibility
from attune.families.consent_models import ConsentDecision, ConsentHow, ConsentPurpose
from attune.families.contact import safe_route_to
from attune.families.models import Carer, Infant
from attune.notifications.models import Message
from attune.notifications.services import queue_message
from attune.outcomes import instruments, services
from attune.outcomes.forms.questions import wording_missing
from attune.outcomes.instruments import Instrument
from attune.outcomes.models import Administration, QuestionnaireLink, Source, TimePoint

LINK_LIFETIME = dt.timedelta(days=7)
MAX_FAILED_CHECKS = 5
TEMPLATE = "questionnaire_link"
OBJECT_TYPE = "outcomes.questionnairelink"
# The order questionnaires are offered in, and answered in: how the parent is, then the baby and
# parenting, then goals.
PARENT_ORDER = ("EPDS", "PHQ9", "GAD7", "CORE10", "PBQ", "KPCS", "GBO")


class LinkError(Exception):
    """A token that cannot be used. `kind` says why; the parent's page says it kindly and the
    same way for everyone, naming nobody."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class LinkRefused(Exception):
    """A link that cannot be sent or withdrawn as asked; the message is fit to show staff.
    `field` names the form field it concerns, or is ""."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# Rules --------------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def answerable_by_parents() -> list[Instrument]:
    """Measures a parent can answer on their own: carer-completed, and not a total scored from
    a proprietary kit (ASQ:SE-2 is entered as a score by staff)."""
    found = [i for i in instruments.all_instruments() if i.completed_by == "carer" and not i.scores_only]
    return sorted(
        found, key=lambda i: (PARENT_ORDER.index(i.code) if i.code in PARENT_ORDER else len(PARENT_ORDER), i.code)
    )


def wording_refusal(instrument: Instrument) -> str:
    """Why a measure cannot go by link ('' when it can): a parent on their own phone needs every
    question's wording, and the EPDS (like the KPCS) ships without it until the service loads its
    licensed copy. Numbers and answer positions alone get mis-keyed (EPDS item 10 is reverse
    scored: "Response 1" is the highest risk). Takes the measure as the service holds it."""
    if not wording_missing(instrument):
        return ""
    return (
        f"The {instrument.code} wording is not loaded. Ask your system administrator to load your "
        "service's licensed copy, or enter the answers from the printed form"
    )


def as_service_holds(instrument: Instrument) -> Instrument:
    """The measure with the wording the service loaded, looked up only where none ships."""
    return services.instrument_for_service(instrument.code) if wording_missing(instrument) else instrument


def offered_to_parents() -> tuple[list[Instrument], dict[str, str]]:
    """What a practitioner may send (as the service holds it), and those that cannot go, with why."""
    held = [as_service_holds(instrument) for instrument in answerable_by_parents()]
    refused = {instrument.code: wording_refusal(instrument) for instrument in held}
    return [i for i in held if not refused[i.code]], {code: why for code, why in refused.items() if why}


def needs_infant(instrument: Instrument) -> bool:
    """Whether the measure is tied to a baby: about the baby or the relationship, or only for
    babies of some ages (KPCS). Such answers are stored with the baby, and its age is checked."""
    return instrument.about in ("infant", "relationship") or instrument.infant_age_months is not None


def _check_infant_fits(instrument: Instrument, infant: Infant | None, on: dt.date) -> None:
    """The same rule record_administration applies when the answers arrive (it checks again)."""
    if infant is None:
        raise LinkRefused(f"Choose the baby the {instrument.name} is about", field="infant")
    if instrument.postnatal and infant.date_of_birth is None:
        raise LinkRefused(
            f"The {instrument.name} is for after the birth, and this baby is not born yet", field="instruments"
        )
    ages = instrument.infant_age_months
    if ages is None:
        return
    if infant.date_of_birth is None:
        raise LinkRefused(
            f"The {instrument.name} is for babies aged {ages[0]} to {ages[1]} months, and this baby is not born yet",
            field="instruments",
        )
    age = age_in_months(infant.date_of_birth, on)
    if not ages[0] <= age <= ages[1]:
        raise LinkRefused(
            f"The {instrument.name} is for babies aged {ages[0]} to {ages[1]} months; this baby is {age} months old",
            field="instruments",
        )


def link_url(token: str, site_url: str = "") -> str:
    """The absolute address of the link: the public address set for the service
    (ATTUNE_PUBLIC_BASE_URL), else `site_url`, the address the sender is using."""
    path = reverse("outcomes:parent_start", kwargs={"token": token})
    base = str(getattr(settings, "ATTUNE_PUBLIC_BASE_URL", "") or site_url).rstrip("/")
    return base + path


def status_of(link: QuestionnaireLink, now: dt.datetime) -> str:
    """waiting, used, revoked or expired."""
    if link.used_at is not None:
        return "used"
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at <= now:
        return "expired"
    return "waiting"


def dates_to_confirm(link: QuestionnaireLink) -> list[dt.date]:
    """The dates the parent may give: the link's baby's date of birth (due date when unborn),
    or, when the link names no baby, any baby's in the episode."""
    babies = [link.infant] if link.infant is not None else list(link.episode.infants.all())
    return [baby.key_date() for baby in babies if baby.date_of_birth or baby.expected_due_date]


def key_date_words(babies: Sequence[Infant]) -> str:
    """What the parent confirms to open the link: "date of birth", "due date" for a baby not
    born yet, or either when the link names no baby and the episode has both."""
    unborn = [baby.date_of_birth is None for baby in babies]
    if unborn and all(unborn):
        return "due date"
    return "date of birth or due date" if any(unborn) else "date of birth"


def unanswerable(link: QuestionnaireLink, held: Sequence[Instrument], *, actor: Actor | None, page: str) -> bool:
    """Whether a link sent before the rule (or before a wording was withdrawn) holds a measure
    whose wording the parent cannot be shown; audited, so staff can see why it was not answered."""
    missing = [instrument.code for instrument in held if wording_missing(instrument)]
    if missing:
        audit.record(
            action="questionnaire_link.refused",
            actor=actor,
            obj=link,
            **_whose(link),
            outcome=audit.Outcome.DENIED,
            detail={"reason": "wording_not_loaded", "instruments": missing, "page": page},
        )
    return bool(missing)


# Sending and withdrawing --------------------------------------------------------------------


@dataclass(frozen=True)
class Sending:
    link: QuestionnaireLink
    url: str
    message: Message


@transaction.atomic
def send_link(
    *,
    actor: Actor,
    episode: Episode,
    carer: Carer,
    instruments: Sequence[str],
    time_point: str,
    infant: Infant | None = None,
    site_url: str = "",
    asks_consent: bool = False,
) -> tuple[QuestionnaireLink, str]:
    """Create a link for this parent to answer these measures and queue the message that
    carries it by their own safe route. Returns the link and its address (the only time the
    token exists outside the parent's message). `site_url` is the address Attune is reached
    at (`https://attune.example.nhs.uk`) when ATTUNE_PUBLIC_BASE_URL is not set. With
    `asks_consent` the parent is also asked to give or review their consent; such a link may
    carry no questionnaire (and then needs no time point)."""
    sending = _send(
        actor=actor,
        episode=episode,
        carer=carer,
        codes=instruments,
        time_point=time_point,
        infant=infant,
        site_url=site_url,
        asks_consent=asks_consent,
    )
    return sending.link, sending.url


def _send(
    *,
    actor: Actor,
    episode: Episode,
    carer: Carer,
    codes: Sequence[str],
    time_point: str,
    infant: Infant | None,
    site_url: str,
    asks_consent: bool = False,
) -> Sending:
    today = timezone.localdate()
    if not codes and not asks_consent:
        raise LinkRefused(
            "Select at least one questionnaire, or ask them to give or review their consent", field="instruments"
        )
    allowed = {i.code: i for i in answerable_by_parents()}
    chosen: list[Instrument] = []
    for code in dict.fromkeys(codes):
        if code not in allowed:
            raise LinkRefused("Select questionnaires a parent fills in themselves", field="instruments")
        chosen.append(allowed[code])
    if not codes:
        time_point = ""  # asking consent alone measures nothing, so has no time point
    elif time_point not in TimePoint.values:
        raise LinkRefused("Select the time point", field="time_point")
    if carer.family_id != episode.family_id or not episode.carers.filter(pk=carer.pk).exists():
        raise LinkRefused("Select a parent or carer taking part in this episode", field="carer")
    babies = list(episode.infants.all())
    if infant is not None and infant.pk not in {baby.pk for baby in babies}:
        raise LinkRefused("Select a baby taking part in this episode", field="infant")
    if infant is None and len(babies) == 1:
        infant = babies[0]
    for instrument in chosen:
        if needs_infant(instrument):
            _check_infant_fits(instrument, infant, today)
    for instrument in chosen:
        refused = wording_refusal(as_service_holds(instrument))
        if refused:
            raise LinkRefused(refused, field="instruments")
    confirmable = [infant] if infant is not None else babies
    if not any(baby.date_of_birth or baby.expected_due_date for baby in confirmable):
        raise LinkRefused(
            "Add a baby taking part in this episode first: the parent confirms the baby's date of birth, or due "
            "date, to open the link",
            field="infant",
        )

    token = secrets.token_urlsafe(32)
    sender = actor.person
    assert isinstance(sender, User)
    link = QuestionnaireLink.objects.create(
        episode=episode,
        carer=carer,
        infant=infant,
        instruments=[i.code for i in chosen],
        time_point=time_point,
        asks_consent=asks_consent,
        token_hash=hash_token(token),
        sent_by=sender,
        expires_at=timezone.now() + LINK_LIFETIME,
    )
    url = link_url(token, site_url)
    route = safe_route_to(carer)
    withheld = route.channel is None or bool(route.withheld_reason)
    message = queue_message(
        recipient=route,
        template=TEMPLATE,
        context={
            "team": episode.team,
            "carer": carer,
            "count": len(chosen),
            "asks_consent": asks_consent,
            # A message that is never sent keeps no copy of the link.
            "url": "" if withheld else url,
            "expires_on": date_long(link.expires_at),
            "key_date": key_date_words(confirmable),
        },
        about=link,
        actor=actor,
    )
    audit.record(
        action="questionnaire_link.sent",
        actor=actor,
        obj=link,
        family_id=episode.family_id,
        person_id=link.carer_id,
        detail={
            "episode": str(episode.pk),
            "instruments": link.instruments,
            "time_point": time_point,
            **({"asks_consent": True} if asks_consent else {}),
            "message": "withheld" if withheld else message.channel,
        },
    )
    return Sending(link=link, url=url, message=message)


@transaction.atomic
def revoke_link(*, actor: Actor, link: QuestionnaireLink) -> QuestionnaireLink:
    locked = QuestionnaireLink.objects.select_for_update().get(pk=link.pk)
    if locked.used_at is not None:
        raise LinkRefused("This link has already been used, so it cannot be withdrawn")
    if locked.revoked_at is not None:
        raise LinkRefused("This link has already been withdrawn")
    user = actor.person
    locked.revoked_at = timezone.now()
    locked.revoked_by = user if isinstance(user, User) else None
    locked.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    audit.record(
        action="questionnaire_link.revoked",
        actor=actor,
        obj=locked,
        **_whose(link),
        detail={"reason": "withdrawn"},
    )
    link.revoked_at, link.revoked_by = locked.revoked_at, locked.revoked_by
    return locked


# The parent's side ---------------------------------------------------------------------------


class _Whose(TypedDict):
    family_id: uuid.UUID
    person_id: uuid.UUID


def _whose(link: QuestionnaireLink) -> _Whose:
    """The family and carer a link is about, for its audit events: the link comes with its episode
    (open_link and the staff pages load it), so naming them costs no query."""
    return _Whose(family_id=link.episode.family_id, person_id=link.carer_id)


def _refuse(actor: Actor | None, kind: str, link: QuestionnaireLink | None, page: str) -> LinkError:
    audit.record(
        action="questionnaire_link.refused",
        actor=actor,
        obj=link,
        object_type=OBJECT_TYPE,
        family_id=link.episode.family_id if link is not None else None,
        person_id=link.carer_id if link is not None else None,
        outcome=audit.Outcome.NOT_FOUND if link is None else audit.Outcome.DENIED,
        detail={"reason": kind, "page": page},
    )
    return LinkError(kind)


def _refusal_kind(link: QuestionnaireLink, now: dt.datetime) -> str | None:
    if link.revoked_at is not None:
        return LinkError.REVOKED
    if link.used_at is not None:
        return LinkError.USED
    if link.expires_at <= now:
        return LinkError.EXPIRED
    return None


def open_link(token: str, *, actor: Actor | None = None, page: str = "start") -> QuestionnaireLink:
    """The link this token opens, if it can still be used; LinkError otherwise. Every attempt
    is audited, by the link when there is one, never with the token."""
    link = (
        QuestionnaireLink.objects.select_related("episode__team", "carer", "infant")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if link is None:
        raise _refuse(actor, LinkError.UNKNOWN, None, page)
    kind = _refusal_kind(link, timezone.now())
    if kind is not None:
        raise _refuse(actor, kind, link, page)
    audit.record(action="questionnaire_link.opened", actor=actor, obj=link, **_whose(link), detail={"page": page})
    return link


def check_date_of_birth(link: QuestionnaireLink, day: dt.date, *, actor: Actor | None = None) -> bool:
    """Whether the parent gave the baby's date of birth (due date, for a baby not yet born).
    A wrong date counts against the link, and the fifth withdraws it: afterwards
    `link.revoked_at` is set. LinkError if the link could no longer be used anyway."""
    # Refusals are audited outside the transaction, so raising does not undo their record.
    kind, matched = _check(link, day, actor)
    if kind is not None:
        raise _refuse(actor, kind, link, "date_of_birth")
    return matched


@transaction.atomic
def _check(link: QuestionnaireLink, day: dt.date, actor: Actor | None) -> tuple[str | None, bool]:
    locked = QuestionnaireLink.objects.select_for_update().get(pk=link.pk)
    kind = _refusal_kind(locked, timezone.now())
    if kind is not None:
        return kind, False
    if day in dates_to_confirm(link):
        audit.record(action="questionnaire_link.checked", actor=actor, obj=locked, **_whose(link))
        return None, True
    locked.failed_checks += 1
    fields = ["failed_checks", "updated_at"]
    if locked.failed_checks >= MAX_FAILED_CHECKS:
        locked.revoked_at = timezone.now()
        fields.append("revoked_at")
    locked.save(update_fields=fields)
    audit.record(
        action="questionnaire_link.check_failed",
        actor=actor,
        obj=locked,
        **_whose(link),
        outcome=audit.Outcome.FAILURE,
        detail={"failed_checks": locked.failed_checks},
    )
    if locked.revoked_at is not None:
        audit.record(
            action="questionnaire_link.revoked",
            actor=actor,
            obj=locked,
            **_whose(link),
            detail={"reason": "too_many_wrong_dates_of_birth", "failed_checks": locked.failed_checks},
        )
    link.failed_checks, link.revoked_at = locked.failed_checks, locked.revoked_at
    return None, False


def submit(
    *, link: QuestionnaireLink, answers_by_instrument: Mapping[str, Sequence[int | None]], actor: Actor | None
) -> list[Administration]:
    """Store the parent's answers to every measure on the link, or none of them, and mark the
    link used. Each goes through record_administration, which scores it and raises its alerts;
    an OutcomeError from any of them stores nothing (the transaction is undone) and is audited."""
    try:
        return _submit(link=link, answers_by_instrument=answers_by_instrument, actor=actor)
    except _Refused as refused:
        raise _refuse(actor, refused.kind, link, "submit") from None
    except services.OutcomeError as error:
        audit.record(
            action="questionnaire_link.submit_failed",
            actor=actor,
            obj=link,
            **_whose(link),
            outcome=audit.Outcome.FAILURE,
            detail={"field": error.field},
        )
        raise


class _Refused(Exception):
    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@transaction.atomic
def _submit(
    *, link: QuestionnaireLink, answers_by_instrument: Mapping[str, Sequence[int | None]], actor: Actor | None
) -> list[Administration]:
    locked = QuestionnaireLink.objects.select_for_update().get(pk=link.pk)
    kind = _refusal_kind(locked, timezone.now())
    if kind is not None:
        raise _Refused(kind)
    if set(answers_by_instrument) != set(locked.instruments):
        raise services.OutcomeError("Answer every questionnaire before sending")
    today = timezone.localdate()
    stored = []
    for code in locked.instruments:
        definition = instruments.get(code)
        stored.append(
            services.record_administration(
                actor=actor,
                episode=link.episode,
                instrument=code,
                answers=list(answers_by_instrument[code]),
                time_point=locked.time_point,
                completed_on=today,
                source=Source.PARENT_LINK,
                carer=link.carer,
                infant=link.infant if needs_infant(definition) else None,
            )
        )
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at", "updated_at"])
    audit.record(
        action="questionnaire_link.submitted",
        actor=actor,
        obj=locked,
        **_whose(link),
        detail={"instruments": locked.instruments, "alerts": sum(len(a.alerts) for a in stored)},
    )
    link.used_at = locked.used_at
    return stored


# Consent, given on the parent's own phone ------------------------------------------------------

# What the parent is asked, in plain words, about themselves and about their baby. Sharing with
# another agency is not asked here: it needs the agency named, so staff record it.
CARER_QUESTIONS: dict[str, str] = {
    ConsentPurpose.ASSESSMENT_TREATMENT: "Do you agree to us assessing and working with you?",
    ConsentPurpose.CONTACT_TEXT: "Can we send you text messages, such as appointment reminders?",
    ConsentPurpose.CONTACT_EMAIL: "Can we send you emails?",
    ConsentPurpose.CONTACT_LETTER: "Can we send you letters by post?",
    ConsentPurpose.SHARE_GP: "Can we share information about you with your GP?",
    ConsentPurpose.SHARE_HEALTH_VISITOR: "Can we share information about you with your health visitor?",
    ConsentPurpose.SHARE_SOCIAL_CARE: "Can we share information about you with children's social care?",
    ConsentPurpose.VIDEO_RECORDING: "Can we video record your sessions?",
    ConsentPurpose.VIDEO_SUPERVISION: "Can your therapist show the recordings to their clinical supervisor?",
    ConsentPurpose.VIDEO_TRAINING: "Can we use the recordings to train other therapists?",
    ConsentPurpose.RESEARCH: "Can we use information about you in research?",
}
INFANT_QUESTIONS: dict[str, str] = {
    ConsentPurpose.ASSESSMENT_TREATMENT: "Do you agree to us assessing and working with {name}?",
    ConsentPurpose.SHARE_GP: "Can we share information about {name} with their GP?",
    ConsentPurpose.SHARE_HEALTH_VISITOR: "Can we share information about {name} with their health visitor?",
    ConsentPurpose.SHARE_SOCIAL_CARE: "Can we share information about {name} with children's social care?",
    ConsentPurpose.VIDEO_RECORDING: "Can we video record {name} in sessions?",
    ConsentPurpose.VIDEO_SUPERVISION: "Can your therapist show recordings of {name} to their clinical supervisor?",
    ConsentPurpose.VIDEO_TRAINING: "Can we use recordings of {name} to train other therapists?",
    ConsentPurpose.RESEARCH: "Can we use information about {name} in research?",
}
YES, NO = "yes", "no"


def baby_words(person: Infant, people: Sequence[Carer | Infant]) -> str:
    """How the parent's pages name a baby: "your baby", as the questionnaire pages do (they name
    nobody), unless there are several, when only a first name tells them apart."""
    babies = [p for p in people if isinstance(p, Infant)]
    if len(babies) > 1 and person.given_name:
        return person.given_name
    return "your baby"


def questions_for(person: Carer | Infant, people: Sequence[Carer | Infant] = ()) -> dict[str, str]:
    """The plain questions asked about this person, by purpose."""
    if isinstance(person, Carer):
        return CARER_QUESTIONS
    name = baby_words(person, people or [person])
    return {purpose: question.format(name=name) for purpose, question in INFANT_QUESTIONS.items()}


def consent_people(link: QuestionnaireLink) -> list[Carer | Infant]:
    """Whose decisions the parent sees: their own, and each baby in the episode (the link's baby
    only, when it names one) if they have parental responsibility recorded."""
    people: list[Carer | Infant] = [link.carer]
    if link.carer.parental_responsibility == ParentalResponsibility.YES:
        people.extend([link.infant] if link.infant is not None else link.episode.infants.all())
    return people


def answer_of(consent: object) -> str:
    """The answer a current decision stands for: yes (given), no (refused or withdrawn), or ""."""
    if consent is None:
        return ""
    return YES if getattr(consent, "is_given", False) else NO


def record_parent_consent(
    *, link: QuestionnaireLink, answers: Mapping[tuple[str, str], str], actor: Actor | None
) -> int:
    """Store what the parent changed: a yes where there was none or a no gives consent, a no
    where there was a yes withdraws it, a no where nobody had asked records a refusal. An
    unchanged answer (or none) stores nothing. Returns how many decisions changed. LinkError
    if the link can no longer be used (audited outside the transaction, so it stays)."""
    try:
        return _record_parent_consent(link=link, answers=answers, actor=actor)
    except _Refused as refused:
        raise _refuse(actor, refused.kind, link, "consent") from None


@transaction.atomic
def _record_parent_consent(
    *, link: QuestionnaireLink, answers: Mapping[tuple[str, str], str], actor: Actor | None
) -> int:
    if not link.asks_consent:
        raise LinkRefused("This link does not ask for consent")
    kind = _refusal_kind(QuestionnaireLink.objects.select_for_update().get(pk=link.pk), timezone.now())
    if kind is not None:
        raise _Refused(kind)
    acting = actor or Actor(label=QUESTIONNAIRE_LINK)
    people = consent_people(link)
    current = family_consent.current_consents(people)
    family = link.episode.family
    changed = 0
    for person in people:
        for purpose in questions_for(person, people):
            answer = answers.get((str(person.pk), purpose), "")
            now = current.get((str(person.pk), purpose))
            if answer not in (YES, NO) or answer == answer_of(now):
                continue
            if answer == NO and now is not None and now.is_given:
                family_consent.withdraw_consent(actor=acting, consent=now, how=ConsentHow.OWN_PHONE)
            else:
                family_consent.record_consent(
                    actor=acting,
                    family=family,
                    person=person,
                    purpose=purpose,
                    decision=ConsentDecision.GIVEN if answer == YES else ConsentDecision.REFUSED,
                    how=ConsentHow.OWN_PHONE,
                    given_by=link.carer if isinstance(person, Infant) else None,
                )
            changed += 1
    return changed


def finish(*, link: QuestionnaireLink, actor: Actor | None) -> QuestionnaireLink:
    """A link that asks only consent is used once the parent has answered: it opens no more."""
    try:
        return _finish(link=link, actor=actor)
    except _Refused as refused:
        raise _refuse(actor, refused.kind, link, "consent") from None


@transaction.atomic
def _finish(*, link: QuestionnaireLink, actor: Actor | None) -> QuestionnaireLink:
    locked = QuestionnaireLink.objects.select_for_update().get(pk=link.pk)
    if locked.instruments:
        raise LinkRefused("This link's questionnaires are still to be answered")
    kind = _refusal_kind(locked, timezone.now())
    if kind is not None:
        raise _Refused(kind)
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at", "updated_at"])
    audit.record(
        action="questionnaire_link.submitted",
        actor=actor,
        obj=locked,
        **_whose(link),
        detail={"instruments": [], "asks_consent": True},
    )
    link.used_at = locked.used_at
    return locked
