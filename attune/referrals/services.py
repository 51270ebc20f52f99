"""Referral actions: receiving one, and each triage decision. Every action appends to the
status history through the declared transitions and writes its audit event and its messages
in the same transaction."""

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from attune.accounts.models import User
from attune.core import audit
from attune.core.actors import Actor
from attune.families import contact
from attune.families import services as family_services
from attune.families.models import Family, FamilyMerge
from attune.notifications.models import Channel
from attune.notifications.services import Recipient, queue_message
from attune.organisations.models import Organisation, Team
from attune.referrals import decisions, eligibility
from attune.referrals.models import EligibilityRules, Referral, ReferralKind, ReferralStatus
from attune.referrals.workflow import Status

# Letters and digits that cannot be mistaken for one another when read over the phone.
REFERENCE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"


class ReferralError(Exception):
    """A referral the rules do not allow; the message is fit to show."""


class StaleDecision(Exception):
    """Someone else decided the referral after this person opened it."""

    def __init__(self, latest: ReferralStatus) -> None:
        self.latest = latest
        super().__init__("The referral changed while you were deciding")


@dataclass(frozen=True)
class Referrer:
    name: str
    role: str = ""
    organisation: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Intake:
    kind: str
    source: str
    referrer: Referrer
    family: family_services.NewFamily
    reason: str
    consent_given: bool
    stresses: list[str] = field(default_factory=list)
    safeguarding_known: list[str] = field(default_factory=list)
    other_professionals: str = ""
    submitted: dict[str, Any] = field(default_factory=dict)


def rules_for(team: Team) -> eligibility.Rules:
    stored = EligibilityRules.objects.filter(team=team).prefetch_related("areas").first()
    return eligibility.rules_from(stored, team)


def team_covering(area: Organisation) -> Team | None:
    """The team whose rules cover this council area (the hub or the satellite serving it)."""
    rules = EligibilityRules.objects.filter(areas=area).select_related("team").order_by("team__name").first()
    return rules.team if rules else None


def new_reference() -> str:
    while True:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        reference = f"PIR-{code[:4]}-{code[4:]}"
        if not Referral.objects.filter(reference=reference).exists():
            return reference


def _referrer_recipient(referral: Referral) -> Recipient:
    label = f"Referrer: {referral.referrer_name}"
    if referral.kind == ReferralKind.SELF:
        return Recipient(label, None, withheld_reason="The family referred themselves")
    if referral.referrer_email:
        return Recipient(label, Channel.EMAIL, referral.referrer_email)
    return Recipient(label, None, withheld_reason="No email address was given for the referrer")


def _tell(
    referral: Referral,
    template: str,
    *,
    referrer: bool,
    family: bool,
    actor: Actor | None,
    extra: dict[str, Any] | None = None,
) -> None:
    target = EligibilityRules.objects.triage_targets([referral.team_id])[referral.team_id]
    context = {"referral": referral, "team": referral.team, "target_days": target, **(extra or {})}
    if referrer and referral.kind == ReferralKind.PROFESSIONAL:
        queue_message(
            recipient=_referrer_recipient(referral),
            template=f"{template}_referrer",
            context=context,
            about=referral,
            actor=actor,
        )
    if family:
        queue_message(
            recipient=contact.safe_route(referral.family),
            template=f"{template}_family",
            context=context,
            about=referral,
        )


@transaction.atomic
def submit_referral(*, intake: Intake, actor: Actor | None = None, reference: str = "") -> Referral:
    """A referral arrives from the public form: the family record, the referral, its first
    status, and the acknowledgement to whoever sent it. The reference is drawn at random unless
    one is given (an importer keeping another system's references, the demo's fixed ones)."""
    if not intake.consent_given:
        raise ReferralError("A referral needs the family's agreement")
    family = family_services.create_family(new=intake.family, source="Referral form", actor=actor)
    now = timezone.now()
    referral = Referral.objects.create(
        reference=reference or new_reference(),
        team=intake.family.team,
        family=family,
        kind=intake.kind,
        source=intake.source,
        received_at=now,
        referrer_name=intake.referrer.name,
        referrer_role=intake.referrer.role,
        referrer_organisation=intake.referrer.organisation,
        referrer_email=intake.referrer.email,
        referrer_phone=intake.referrer.phone,
        reason=intake.reason,
        stresses=intake.stresses,
        safeguarding_known=intake.safeguarding_known,
        other_professionals=intake.other_professionals,
        consent_given=True,
        submitted=intake.submitted,
    )
    ReferralStatus.objects.create(referral=referral, status=Status.RECEIVED, entered_at=now, note="Referral received")
    audit.record(
        action="referral.received", actor=actor, obj=referral, detail={"kind": intake.kind, "source": intake.source}
    )
    _tell(
        referral,
        "referral_received",
        referrer=True,
        family=intake.kind == ReferralKind.SELF,
        actor=actor,
    )
    return referral


def latest_status(referral: Referral) -> ReferralStatus:
    status = referral.history.order_by("-entered_at", "-id").first()
    assert status is not None, "every referral has a first status"
    return status


@dataclass(frozen=True)
class Decision:
    status: Status
    level_of_need: str = ""
    priority: str = ""
    signposted_to: str = ""
    decline_reason: str = ""
    note: str = ""
    # The person was told the decline reason contradicts the eligibility check and still chose it.
    against_eligibility: bool = False


class IncompleteDecision(ReferralError):
    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems.values()))


class ContradictsEligibility(ReferralError):
    """The decline reason says the opposite of the eligibility check: nothing is saved until the
    person confirms it (Decision.against_eligibility)."""

    def __init__(self, contradiction: decisions.Contradiction) -> None:
        self.contradiction = contradiction
        super().__init__(contradiction.question)


def _contradiction(referral: Referral, decision: Decision) -> decisions.Contradiction | None:
    """Whether declining for this reason contradicts the eligibility check the referral page
    shows (the same rules, the same baby: the youngest, an unborn one first)."""
    if decision.status != Status.DECLINED or decision.decline_reason not in decisions.AGAINST_ELIGIBILITY:
        return None
    rules = rules_for(referral.team)
    family = referral.family
    infant = max(family.infants.all(), key=lambda i: i.key_date(), default=None)
    today = timezone.localdate()
    authority = family.local_authority
    within_age = infant is not None and not eligibility.age_problem(
        rules, born=infant.date_of_birth, due=infant.expected_due_date, today=today
    )
    within_area = not eligibility.area_problem(
        rules, area_id=str(authority.pk) if authority else None, area_name=authority.name if authority else ""
    )
    return decisions.contradiction(decision.decline_reason, within_age=within_age, within_area=within_area)


@transaction.atomic
def decide(*, actor: Actor, referral: Referral, seen_status_id: int, decision: Decision) -> ReferralStatus:
    """Record a triage decision. The person decided on the status they saw (`seen_status_id`); if
    someone else decided in between, nothing is saved and StaleDecision says who and what."""
    referral = Referral.objects.select_for_update().select_related("team", "family").get(pk=referral.pk)
    latest = latest_status(referral)
    if latest.pk != seen_status_id:
        raise StaleDecision(latest)
    missing = decisions.problems(decision)
    if missing:
        raise IncompleteDecision(missing)
    decisions.check(latest.state, decision.status)
    contradicted = _contradiction(referral, decision)
    if contradicted is not None and not decision.against_eligibility:
        raise ContradictsEligibility(contradicted)
    kind = decisions.BY_STATUS[decision.status]
    assert isinstance(actor.person, User)
    for kept in kind.keeps:
        if value := getattr(decision, kept).strip():
            setattr(referral, kept, value)
    referral.save()
    status = ReferralStatus.objects.create(
        referral=referral,
        status=decision.status,
        entered_at=timezone.now(),
        by=actor.person,
        note=decision.note.strip(),
    )
    detail = {k: v for k, v in {"level_of_need": referral.level_of_need, "priority": referral.priority}.items() if v}
    if contradicted is not None:
        # What the person was asked and confirmed, in the words they saw.
        detail["confirmed_against_eligibility"] = contradicted.question
        detail["decline_reason"] = referral.decline_reason
    audit.record(action=f"referral.{decision.status.value}", actor=actor, obj=referral, detail=detail)
    if kind.tell is not None:
        # A family who referred themselves is the one to ask for more information.
        family = kind.tell.family or (
            decision.status == Status.AWAITING_INFORMATION and referral.kind == ReferralKind.SELF
        )
        _tell(
            referral,
            kind.tell.template,
            referrer=kind.tell.referrer,
            family=family,
            actor=actor,
            extra={"note": decision.note.strip()},
        )
    return status


@dataclass(frozen=True)
class Linked:
    merge: FamilyMerge
    changed: list[dict[str, object]]  # the details taken from the referral, with old and new values


@transaction.atomic
def link_referral(
    *,
    actor: Actor,
    referral: Referral,
    family: Family,
    reason: str,
    take: list[family_services.DetailChange],
) -> Linked:
    """Put the referral, with the family record it came with, on a family the team already
    knows (a merge, which can be undone), and correct that family's details with those the
    person chose to take from the referral (`take`, on the known family's record). The referral
    and its own record keep what the referrer gave, whatever is chosen."""
    merge = family_services.merge_families(actor=actor, kept=family, merged=referral.family, reason=reason)
    changed = family_services.update_family_details(
        actor=actor, family=family, changes=take, source=f"Referral {referral.reference}"
    )
    if changed:  # so that undoing the link puts the family's old details back
        merge.details_taken = changed
        merge.save(update_fields=["details_taken", "updated_at"])
    audit.record(
        action="referral.linked",
        actor=actor,
        obj=referral,
        detail={"family": str(family.pk), "merge": str(merge.pk), "details_taken": len(changed)},
    )
    return Linked(merge, changed)


@transaction.atomic
def information_received(*, actor: Actor, referral: Referral, seen_status_id: int, note: str) -> ReferralStatus:
    """The referrer answered: the referral goes back into triage and its clock resumes."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    latest = latest_status(referral)
    if latest.pk != seen_status_id:
        raise StaleDecision(latest)
    if not note.strip():
        raise IncompleteDecision({"note": "Enter what the referrer told you"})
    decisions.check(latest.state, Status.RECEIVED)
    assert isinstance(actor.person, User)
    status = ReferralStatus.objects.create(
        referral=referral, status=Status.RECEIVED, entered_at=timezone.now(), by=actor.person, note=note.strip()
    )
    audit.record(action="referral.information_received", actor=actor, obj=referral)
    return status
