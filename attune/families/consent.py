"""Consent and information sharing: recording and withdrawing decisions (the actions), and the
look-ups the rest of the system asks before it acts (may we text her? may we share with the GP?).

A decision belongs to one person (a carer, or a baby through a carer with parental
responsibility) and one purpose. Recording a new decision keeps the old one as history; the
current decision is the latest. No decision recorded means nobody asked: callers behave as they
did before consent was recorded at all (a text still goes to a safe phone)."""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from attune.core import audit
from attune.core.actors import Actor
from attune.core.formatting import date_long
from attune.core.models import TaskKind
from attune.core.tasks import close_tasks, raise_task
from attune.families.codes import ParentalResponsibility
from attune.families.consent_models import Consent, ConsentDecision, ConsentHow, ConsentPurpose
from attune.families.models import Carer, Family, Infant

__all__ = [
    "ConsentError",
    "current_consents",
    "current_decisions",
    "current_of",
    "has_consent",
    "is_refused_or_withdrawn",
    "latest_decisions",
    "person_label",
    "purposes_for",
    "record_consent",
    "register_withdrawal_hook",
    "withdraw_consent",
]

Person = Infant | Carer
WithdrawalHook = Callable[[Actor, Consent], None]

# A baby is never contacted: their decisions are about care, sharing, recordings and research.
CONTACT_PURPOSES = frozenset({ConsentPurpose.CONTACT_TEXT, ConsentPurpose.CONTACT_EMAIL, ConsentPurpose.CONTACT_LETTER})


def purposes_for(person: "Person") -> list[ConsentPurpose]:
    """The purposes asked of this person, in order."""
    if isinstance(person, Infant):
        return [purpose for purpose in ConsentPurpose if purpose not in CONTACT_PURPOSES]
    return list(ConsentPurpose)


# The purposes about recordings: withdrawing one starts erasing recordings (documents app hook).
VIDEO_PURPOSES = frozenset(
    {ConsentPurpose.VIDEO_RECORDING, ConsentPurpose.VIDEO_SUPERVISION, ConsentPurpose.VIDEO_TRAINING}
)


class ConsentError(Exception):
    """A decision the rules do not allow; the message is fit to show the person. `field` names
    the form field it concerns (purpose, agency, review_on, given_by, how), or is ""."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# Apps above this one act when consent is withdrawn (erasing recordings) without this app
# importing them: each registers a hook at start-up, as apps register family-page sections.
_withdrawal_hooks: dict[str, WithdrawalHook] = {}


def register_withdrawal_hook(name: str, hook: WithdrawalHook) -> None:
    """`hook(actor, consent)` runs inside the withdrawal's transaction, so if it fails the
    withdrawal is not recorded either. Registering the same name again replaces the hook."""
    _withdrawal_hooks[name] = hook


def _run_withdrawal_hooks(actor: Actor, consent: Consent) -> None:
    for _, hook in sorted(_withdrawal_hooks.items()):
        hook(actor, consent)


def _person_fields(person: Person) -> dict[str, Any]:
    return {"infant": person, "carer": None} if isinstance(person, Infant) else {"infant": None, "carer": person}


def _person_filter(person: Person) -> dict[str, Any]:
    return {"infant_id": person.pk} if isinstance(person, Infant) else {"carer_id": person.pk}


def person_label(person: Person) -> str:
    if isinstance(person, Infant):
        return person.display_name
    return f"{person.full_name} ({person.get_relationship_display().lower()})" if person.full_name else "This carer"


def current_of(person: Person, purpose: str, agency: str = "") -> Consent | None:
    """The person's current decision about this purpose (and agency), or None if never asked."""
    return (
        Consent.objects.filter(**_person_filter(person), purpose=purpose, agency__iexact=agency)
        .order_by("-created_at", "-id")
        .first()
    )


@transaction.atomic
def record_consent(
    *,
    actor: Actor,
    family: Family,
    person: Person,
    purpose: str,
    decision: str,
    how: str,
    agency: str = "",
    review_on: dt.date | None = None,
    given_by: Carer | None = None,
) -> Consent:
    """Record a person's decision about one purpose. It supersedes their previous decision about
    the same purpose (and agency); refusing what was given withdraws the old consent at once."""
    if person.family_id != family.pk:
        raise ConsentError(f"{person_label(person)} is not in this family")
    if purpose not in ConsentPurpose.values:
        raise ConsentError("Select what the consent is for", "purpose")
    if isinstance(person, Infant) and purpose in CONTACT_PURPOSES:
        raise ConsentError(f"{ConsentPurpose(purpose).label} is asked of a parent or carer, not a baby", "purpose")
    if decision not in ConsentDecision.values:
        raise ConsentError("Select whether consent was given or refused", "decision")
    if how not in ConsentHow.values:
        raise ConsentError("Select how the decision was given", "how")
    agency = " ".join(agency.split())
    if purpose == ConsentPurpose.SHARE_OTHER:
        if not agency:
            raise ConsentError("Enter the name of the agency", "agency")
    else:
        agency = ""  # an agency only means something for sharing with another agency
    if review_on is not None and review_on <= timezone.localdate():
        raise ConsentError("The review date must be in the future", "review_on")
    if isinstance(person, Infant):
        if given_by is None:
            raise ConsentError(f"Select who decided for {person.display_name}", "given_by")
        if given_by.family_id != family.pk:
            raise ConsentError(f"{person_label(given_by)} is not in this family", "given_by")
        if given_by.parental_responsibility != ParentalResponsibility.YES:
            raise ConsentError(
                f"{given_by.full_name or 'This carer'} does not have parental responsibility recorded, "
                f"so cannot decide for {person.display_name}",
                "given_by",
            )
    else:
        # A carer decides for themselves.
        given_by = None
    previous = current_of(person, purpose, agency)
    consent = Consent.objects.create(
        family=family,
        **_person_fields(person),
        purpose=purpose,
        agency=agency,
        decision=decision,
        how=how,
        given_by=given_by,
        recorded_by=actor.user,
        review_on=review_on,
    )
    if previous is not None:
        close_tasks(kind=TaskKind.CONSENT_REVIEW, about=previous, actor=actor, note="A new decision was recorded")
        if previous.is_given and decision == ConsentDecision.REFUSED:
            # Refusing now what was given before is a withdrawal: it stops whatever rested on it.
            _withdraw(actor, previous, how=how, reason="Refused when the decision was recorded again")
    audit.record(
        action="consent.recorded",
        actor=actor,
        obj=consent,
        family_id=family.pk,
        person_id=person.pk,
        detail={
            "purpose": purpose,
            "decision": decision,
            "how": how,
            **({"agency": agency} if agency else {}),
            **({"given_by": str(given_by.pk)} if given_by else {}),
            **({"review_on": review_on.isoformat()} if review_on else {}),
            **({"supersedes": str(previous.pk)} if previous else {}),
        },
    )
    if review_on is not None and actor.user is not None:
        raise_task(
            kind=TaskKind.CONSENT_REVIEW,
            assignee=actor.user,
            title=f"Review consent: {consent.purpose_text}, {person_label(person)}",
            about=consent,
            facts={"family": str(family.pk), "person": str(person.pk)},
            due_at=dt.datetime.combine(review_on, dt.time(9), tzinfo=timezone.get_current_timezone()),
            actor=actor,
        )
    return consent


def _withdraw(actor: Actor, consent: Consent, *, how: str, reason: str) -> Consent:
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor.user
    consent.withdrawn_how = how
    consent.withdrawn_reason = reason.strip()[:500]
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_how", "withdrawn_reason", "updated_at"])
    close_tasks(kind=TaskKind.CONSENT_REVIEW, about=consent, actor=actor, note="Consent withdrawn")
    audit.record(
        action="consent.withdrawn",
        actor=actor,
        obj=consent,
        family_id=consent.family_id,
        person_id=consent.person_id,  # type: ignore[arg-type]
        detail={"purpose": consent.purpose, "how": how, **({"agency": consent.agency} if consent.agency else {})},
    )
    _run_withdrawal_hooks(actor, consent)
    return consent


@transaction.atomic
def withdraw_consent(*, actor: Actor, consent: Consent, how: str, reason: str = "") -> Consent:
    """Withdraw consent that was given. It takes effect at once: texts stop, and the hooks other
    apps registered (erasing recordings) run in this transaction."""
    if how not in ConsentHow.values:
        raise ConsentError("Select how they withdrew consent", "how")
    # Locked, so two people withdrawing at once record one withdrawal.
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        raise ConsentError(f"This consent was already withdrawn on {date_long(locked.withdrawn_at)}")
    if locked.decision == ConsentDecision.REFUSED:
        raise ConsentError("Consent was refused, so there is nothing to withdraw")
    person = locked.infant if locked.infant_id else locked.carer
    assert person is not None
    latest = current_of(person, locked.purpose, locked.agency)
    if latest is not None and latest.pk != locked.pk:
        raise ConsentError("A newer decision has replaced this one: withdraw that instead")
    _withdraw(actor, locked, how=how, reason=reason)
    for field in ("withdrawn_at", "withdrawn_by", "withdrawn_how", "withdrawn_reason"):
        setattr(consent, field, getattr(locked, field))
    return consent


# Look-ups -----------------------------------------------------------------------------------


def _ids(people: Iterable[Person]) -> tuple[list[Any], list[Any]]:
    infants: list[Any] = []
    carers: list[Any] = []
    for person in people:
        (infants if isinstance(person, Infant) else carers).append(person.pk)
    return infants, carers


def current_consents(people: Iterable[Person]) -> dict[tuple[str, str], Consent]:
    """Each person's current decision per purpose, keyed (str(person.pk), purpose), for every
    purpose but sharing with another agency (which has one per agency: see current_decisions).
    One query however many people."""
    infants, carers = _ids(people)
    if not infants and not carers:
        return {}
    found: dict[tuple[str, str], Consent] = {}
    rows = (
        Consent.objects.of_people(infants, carers)
        .exclude(purpose=ConsentPurpose.SHARE_OTHER)
        .order_by("created_at", "id")
    )
    for consent in rows:
        found[(str(consent.person_id), consent.purpose)] = consent  # later rows supersede earlier
    return found


def current_decisions(people: Iterable[Person], *, family: Family | None = None) -> dict[str, list[Consent]]:
    """Each person's current decisions (every purpose and agency), by str(person.pk), in purpose
    order: one query however many people. With `family`, that family's people's decisions,
    looked up by the family alone (so the people need not be loaded first)."""
    if family is not None:
        rows = Consent.objects.filter(family=family)
    else:
        infants, carers = _ids(people)
        if not infants and not carers:
            return {}
        rows = Consent.objects.of_people(infants, carers)
    return latest_decisions(rows.select_related("recorded_by", "withdrawn_by", "given_by"))


def latest_decisions(rows: Iterable[Consent]) -> dict[str, list[Consent]]:
    """The current decisions among these (any order: a person's whole history, say), by
    str(person.pk), in purpose order."""
    latest: dict[tuple[str, str, str], Consent] = {}
    for consent in sorted(rows, key=lambda c: (c.created_at, str(c.pk))):
        latest[(str(consent.person_id), consent.purpose, consent.agency.lower())] = consent
    order = {value: index for index, value in enumerate(ConsentPurpose.values)}
    by_person: dict[str, list[Consent]] = {}
    for consent in sorted(latest.values(), key=lambda c: (order[c.purpose], c.agency.lower())):
        by_person.setdefault(str(consent.person_id), []).append(consent)
    return by_person


def has_consent(person: Person, purpose: str, agency: str = "") -> bool:
    """True only when the current decision is "given" and not withdrawn."""
    current = current_of(person, purpose, agency)
    return current is not None and current.is_given


def is_refused_or_withdrawn(person: Person, purpose: str, agency: str = "") -> bool:
    """True when they said no, or took back a yes. False when nobody has asked."""
    current = current_of(person, purpose, agency)
    return current is not None and not current.is_given
