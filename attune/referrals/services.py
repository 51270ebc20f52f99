"""Referral actions: receiving one, and each triage decision. Every action appends to the
status history through the declared transitions and writes its audit event and its messages
in the same transaction."""

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from attune.accounts.models import User
from attune.core import audit, clocks
from attune.core.actors import Actor
from attune.core.problems import Problems
from attune.families import contact, language_services
from attune.families import services as family_services
from attune.families.models import Family, FamilyMerge
from attune.notifications.models import Channel
from attune.notifications.services import Recipient, queue_message
from attune.organisations import services as organisation_services
from attune.organisations.models import Catchment, Organisation, Team
from attune.referrals import catchment, decisions, eligibility, first_contact, linking
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


def rules_for(team: Team, on: date | None = None) -> eligibility.Rules:
    """The team's rules in force on the day (today unless given)."""
    stored = EligibilityRules.objects.for_team(team.pk, on or timezone.localdate())
    return eligibility.rules_from(stored, team)


def team_covering(area: Organisation) -> Team | None:
    """The team whose rules in force today cover this council area (the hub or the satellite
    serving it)."""
    rules = (
        EligibilityRules.objects.in_force(timezone.localdate())
        .filter(areas=area)
        .select_related("team")
        .order_by("team__name")
        .first()
    )
    return rules.team if rules else None


def new_references(count: int) -> list[str]:
    """`count` references no referral has, drawn at random, in one query (two, rarely, if one
    drawn is taken)."""
    found: list[str] = []
    while len(found) < count:
        wanted = count - len(found)
        drawn: set[str] = set()
        while len(drawn) < wanted:
            code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
            drawn.add(f"PIR-{code[:4]}-{code[4:]}")
        taken = set(Referral.objects.filter(reference__in=drawn).values_list("reference", flat=True))
        found += [reference for reference in drawn if reference not in taken and reference not in found]
    return found[:count]


def new_reference() -> str:
    return new_references(1)[0]


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
    # The target the referral's clock runs to: the one in force on the day it was received.
    received = timezone.localdate(referral.received_at)
    target = EligibilityRules.objects.triage_targets([referral.team_id], on=received)[referral.team_id]
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


def referral_row(intake: Intake, family: Family, *, reference: str, received_at: datetime) -> Referral:
    """The referral an intake makes, received now and not yet saved (submit_referral, and its
    bulk sibling referrals.bulk.receive_referrals, save it)."""
    return Referral(
        reference=reference,
        team=intake.family.team,
        family=family,
        kind=intake.kind,
        source=intake.source,
        received_at=received_at,
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
        status=Status.RECEIVED,
        status_at=received_at,
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
    referral = referral_row(intake, family, reference=reference or new_reference(), received_at=now)
    referral.save(force_insert=True)
    append_status(referral=referral, status=Status.RECEIVED, entered_at=now, note="Referral received")
    audit.record(
        action="referral.received",
        actor=actor,
        obj=referral,
        family_id=referral.family_id,
        detail={"kind": intake.kind, "source": intake.source},
    )
    _tell(
        referral,
        "referral_received",
        referrer=True,
        family=intake.kind == ReferralKind.SELF,
        actor=actor,
    )
    return referral


@transaction.atomic
def append_status(
    *, referral: Referral, status: Status | str, entered_at: datetime, by: User | None = None, note: str = ""
) -> ReferralStatus:
    """The one writer of a referral's status history (tests/test_status_columns.py holds every
    other module to it): appends the row and, in the same transaction, keeps the referral's
    `status` and `status_at` equal to the latest row. It checks no rule: the actions check theirs
    first, and factories build histories with it. A row dated before the latest one (history
    filled in late) leaves the columns as they are, as it is not the latest; on a tie in time the
    row added last is the latest, as the history orders it."""
    row = ReferralStatus.objects.create(referral=referral, status=status, entered_at=entered_at, by=by, note=note)
    now = timezone.now()
    moved = Referral.objects.filter(pk=referral.pk, status_at__lte=entered_at).update(
        status=row.status, status_at=entered_at, updated_at=now
    )
    if moved:
        referral.status, referral.status_at = row.status, entered_at
    else:
        # History filled in late still changes the referral: kept reports watch its update time
        # (attune/reports/snapshots.py) rather than the history's.
        Referral.objects.filter(pk=referral.pk).update(updated_at=now)
    return row


@transaction.atomic
def append_statuses(rows: Sequence[ReferralStatus]) -> list[ReferralStatus]:
    """append_status for many rows in a few queries, for loaders and factories that write
    histories in bulk: the rows, then each referral's columns from its latest row in one UPDATE
    (and on the referral objects the rows hold)."""
    made = ReferralStatus.objects.bulk_create(rows)
    held: dict[Any, list[Referral]] = {}
    for row in made:
        if ReferralStatus.referral.is_cached(row):
            held.setdefault(row.referral_id, []).append(row.referral)
    touched = Referral.objects.filter(pk__in={row.referral_id for row in made})
    touched.sync_status()
    for pk, status, status_at in touched.values_list("pk", "status", "status_at"):
        for referral in held.get(pk, []):
            referral.status, referral.status_at = status, status_at
    return made


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


class IncompleteDecision(Problems, ReferralError):
    """A decision without what it needs (a priority to accept, a reason to decline)."""


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
    rules = rules_for(referral.team, timezone.localdate())
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
    status = append_status(
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
    audit.record(
        action=f"referral.{decision.status.value}",
        actor=actor,
        obj=referral,
        family_id=referral.family_id,
        detail=detail,
    )
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
    and its own record keep what the referrer gave, whatever is chosen. A person on the family
    with no language recorded gets the one the referral gives for them (linking.languages_to_carry)."""
    languages = linking.languages_to_carry(kept=family, referred=referral.family)
    merge = family_services.merge_families(actor=actor, kept=family, merged=referral.family, reason=reason)
    for kept_carer, given in languages:
        language_services.record_language(actor=actor, carer=kept_carer, language=language_services.of(given))
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
        family_id=family.pk,
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
    status = append_status(
        referral=referral, status=Status.RECEIVED, entered_at=timezone.now(), by=actor.person, note=note.strip()
    )
    audit.record(action="referral.information_received", actor=actor, obj=referral, family_id=referral.family_id)
    return status


# Team settings: the rules a team lead sets, from a day on (issue 15, S4) ----------------------
# A change adds a row to the team's rules history from the day it applies (today or later, so a
# past figure is never measured again against a rule that was not in force). The checks are here,
# in the actions, so an importer or a job keeps to them as the pages do.

MAX_AGE_RANGE = (1, 5)
TARGET_RANGE = (1, 60)
ANTENATAL_WEEK_RANGE = (1, 40)
MAX_WEIGHTED_CASELOAD = Decimal("50")
# The setting that holds each priority's first-contact target.
FIRST_CONTACT_FIELDS = {
    first_contact.URGENT: "urgent_first_contact_target_working_days",
    first_contact.SOON: "soon_first_contact_target_working_days",
    first_contact.ROUTINE: "first_contact_target_working_days",
}
RULE_LABELS = {
    "max_age_years": "Upper age in years",
    "accepts_unborn": "Accepts unborn babies",
    "antenatal_from_week": "Antenatal referrals from week of pregnancy",
    "triage_target_working_days": "Triage target in working days",
    "first_contact_target_working_days": "First contact target in working days",
    "urgent_first_contact_target_working_days": "First contact target for urgent referrals, in working days",
    "soon_first_contact_target_working_days": "First contact target for soon referrals, in working days",
    "default_max_weighted_caseload": "Default maximum weighted caseload",
}


class TeamRulesError(Problems, ReferralError):
    """Rules the service cannot work to: each problem by the setting it is about, fit to show."""


class CatchmentOverlap(ReferralError):
    """The catchment would overlap another team's in the service: nothing is saved until the
    person confirms (a hub and a satellite may share a border area on purpose)."""

    def __init__(self, overlaps: list[str]) -> None:
        self.overlaps = overlaps
        super().__init__("; ".join(overlaps))


@dataclass(frozen=True)
class TeamRules:
    max_age_years: int
    accepts_unborn: bool
    antenatal_from_week: int | None
    triage_target_working_days: int
    # Routine referrals, and any without a priority.
    first_contact_target_working_days: int
    urgent_first_contact_target_working_days: int
    soon_first_contact_target_working_days: int
    default_max_weighted_caseload: Decimal


def team_rules_problems(rules: TeamRules) -> dict[str, str]:
    """What is wrong with the rules, by setting, in the words the form shows."""
    problems: dict[str, str] = {}
    low, high = MAX_AGE_RANGE
    if not low <= rules.max_age_years <= high:
        problems["max_age_years"] = f"Upper age must be between {low} and {high} years"
    low, high = ANTENATAL_WEEK_RANGE
    if rules.antenatal_from_week is not None and not low <= rules.antenatal_from_week <= high:
        problems["antenatal_from_week"] = f"Week of pregnancy must be between {low} and {high}"
    low, high = TARGET_RANGE
    for name, words in (
        ("triage_target_working_days", "Triage target"),
        ("first_contact_target_working_days", "First contact target"),
        ("urgent_first_contact_target_working_days", "First contact target for urgent referrals"),
        ("soon_first_contact_target_working_days", "First contact target for soon referrals"),
    ):
        if not low <= getattr(rules, name) <= high:
            problems[name] = f"{words} must be between {low} and {high} working days"
    if not problems.keys() & FIRST_CONTACT_FIELDS.values():
        targets = first_contact.PriorityTargets(
            urgent=rules.urgent_first_contact_target_working_days,
            soon=rules.soon_first_contact_target_working_days,
            routine=rules.first_contact_target_working_days,
        )
        for priority, problem in first_contact.order_problems(targets).items():
            problems[FIRST_CONTACT_FIELDS[priority]] = problem
    if not Decimal("0") < rules.default_max_weighted_caseload <= MAX_WEIGHTED_CASELOAD:
        problems["default_max_weighted_caseload"] = (
            f"Default maximum weighted caseload must be more than 0 and no more than {MAX_WEIGHTED_CASELOAD}"
        )
    return problems


def range_problems() -> dict[str, str]:
    """Each number setting's message when it is out of its range, by setting: a form says it of
    a number typed too long to be in range. (Nothing is in range at 0.)"""
    nothing = TeamRules(
        max_age_years=0,
        accepts_unborn=True,
        antenatal_from_week=0,
        triage_target_working_days=0,
        first_contact_target_working_days=0,
        urgent_first_contact_target_working_days=0,
        soon_first_contact_target_working_days=0,
        default_max_weighted_caseload=Decimal("0"),
    )
    return team_rules_problems(nothing)


def _effective_problem(effective_from: date) -> str:
    return clocks.setting_date_problem(effective_from, timezone.localdate())


def _rules_row(team: Team, effective_from: date) -> tuple[EligibilityRules | None, EligibilityRules]:
    """The rules in force on the day (None: the defaults), and the row to write the change to:
    the one that already starts that day, or a new copy of the rules in force."""
    current = (
        EligibilityRules.objects.select_for_update()
        .filter(team=team, effective_from__lte=effective_from)
        .order_by("-effective_from")
        .first()
    )
    if current is not None and current.effective_from == effective_from:
        return current, current
    row = EligibilityRules(team=team, effective_from=effective_from)
    if current is not None:
        for name in (*RULE_LABELS, "expected_episode_weeks"):
            setattr(row, name, getattr(current, name))
    return current, row


def _save_row(
    team: Team, current: EligibilityRules | None, row: EligibilityRules, areas: list[Organisation] | None = None
) -> None:
    """Saves the row; a new row keeps the areas of the rules it follows (a team with no rules
    yet covers its own council area, as eligibility.rules_from reads it)."""
    creating = row._state.adding
    row.save()
    if areas is not None:
        row.areas.set(areas)
    elif creating and current is not None:
        row.areas.set(current.areas.all())
    elif creating and team.local_authority is not None:
        row.areas.set([team.local_authority])


def _shown(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


@transaction.atomic
def change_team_rules(*, actor: Actor, team: Team, rules: TeamRules, effective_from: date) -> EligibilityRules:
    """The team's eligibility, targets and capacity default from a day on."""
    problems = team_rules_problems(rules)
    if problem := _effective_problem(effective_from):
        problems["effective_from"] = problem
    if problems:
        raise TeamRulesError(problems)
    current, row = _rules_row(team, effective_from)
    before = {name: _shown(getattr(row, name)) for name in RULE_LABELS}
    after = {name: _shown(getattr(rules, name)) for name in RULE_LABELS}
    if before == after:
        raise TeamRulesError({"max_age_years": "You have not changed any of the team's rules"})
    for name in RULE_LABELS:
        setattr(row, name, getattr(rules, name))
    _save_row(team, current, row)
    audit.record(
        action="team_rules.changed",
        actor=actor,
        obj=team,
        detail={
            "effective_from": effective_from.isoformat(),
            **audit.changed_values(before, after),
        },
    )
    return row


def team_postcodes(area_ids: Iterable[Any]) -> dict[str, Organisation]:
    """The postcode districts and sectors placed in these council areas, with their area."""
    return {
        c.prefix: c.local_authority
        for c in Catchment.objects.filter(local_authority_id__in=list(area_ids)).select_related("local_authority")
    }


def coverage_of(team: Team, rules: EligibilityRules | None) -> catchment.Coverage:
    areas = (
        {str(area.pk): area.name for area in rules.areas.all()}
        if rules is not None
        else eligibility.rules_from(None, team).areas
    )
    return catchment.Coverage(team.name, areas, frozenset(team_postcodes(areas)))


def catchment_overlaps(team: Team, mine: catchment.Coverage, on: date) -> list[str]:
    """Where this catchment meets those of the other teams of the team's service on the day."""
    others = Team.objects.filter(service_id=team.service_id).exclude(pk=team.pk).order_by("name")
    in_force = {
        rules.team_id: rules
        for rules in EligibilityRules.objects.in_force(on).filter(team__in=others).prefetch_related("areas")
    }
    return catchment.overlaps(mine, [coverage_of(other, in_force.get(other.pk)) for other in others])


@dataclass(frozen=True)
class TeamCatchment:
    areas: list[Organisation]
    postcodes: list[str]  # districts and sectors, as typed (checked here)
    # Where postcodes not yet in one of the areas go (needed when there are several areas).
    postcodes_area: Organisation | None = None


@transaction.atomic
def change_catchment(
    *, actor: Actor, team: Team, change: TeamCatchment, effective_from: date, overlap_confirmed: bool = False
) -> EligibilityRules:
    """The council areas the team covers from a day on, and the postcode districts and sectors
    placed in them. Postcode placements have no history of their own: they apply at once."""
    problems: dict[str, str] = {}
    if not change.areas:
        problems["areas"] = "Select at least one council area the team covers"
    postcodes, shape_problems = catchment.parse_prefixes("\n".join(change.postcodes))
    if shape_problems:
        problems["postcodes"] = shape_problems[0]
    area_ids = {area.pk for area in change.areas}
    current_places = team_postcodes(area_ids)
    moving = [prefix for prefix in postcodes if prefix not in current_places]
    place = change.postcodes_area or (change.areas[0] if len(change.areas) == 1 else None)
    if moving and change.areas and (place is None or place.pk not in area_ids):
        problems["postcodes_area"] = "Select which of the team's council areas the new postcodes are in"
    if problem := _effective_problem(effective_from):
        problems["effective_from"] = problem
    if problems:
        raise TeamRulesError(problems)
    mine = catchment.Coverage(team.name, {str(area.pk): area.name for area in change.areas}, frozenset(postcodes))
    overlaps = catchment_overlaps(team, mine, effective_from)
    if overlaps and not overlap_confirmed:
        raise CatchmentOverlap(overlaps)
    current, row = _rules_row(team, effective_from)
    before_areas = sorted(coverage_of(team, current).areas.values())
    before_postcodes = sorted(team_postcodes(coverage_of(team, current).areas))
    kept_areas = area_ids & {area.pk for area in (current.areas.all() if current is not None else [])}
    dropped = sorted(p for p, area in team_postcodes(kept_areas).items() if p not in postcodes)
    if moving and place is not None:
        organisation_services.place_postcodes(actor=actor, prefixes=moving, local_authority=place)
    if dropped:
        organisation_services.remove_postcodes(actor=actor, prefixes=dropped)
    _save_row(team, current, row, areas=change.areas)
    detail: dict[str, Any] = {
        "effective_from": effective_from.isoformat(),
        "old": {"areas": before_areas, "postcodes": before_postcodes},
        "new": {"areas": sorted(area.name for area in change.areas), "postcodes": sorted(postcodes)},
    }
    if overlaps:
        detail["confirmed_overlaps"] = overlaps
    audit.record(action="catchment.changed", actor=actor, obj=team, detail=detail)
    return row
