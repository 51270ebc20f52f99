"""The demo's families and referrals: a realistic triage inbox for the hub and the satellite.

Every referral goes through the same actions the service uses (`submit_referral`, `decide`,
`information_received`), so its family, status history, audit events and outbox messages are
exactly what the real journey writes. Two things only the demo does, after the actions:
- it gives each referral a fixed reference (PIR-DEMO-0001...), its natural key, so loading again
  finds it instead of adding another;
- it dates the history in the past, counted back from today in working days, so the triage
  clocks read the same whenever the demo is loaded. Loading on a later day re-dates a referral
  whose history is still as the demo left it; one a demo user has since decided is left alone.

All people are synthetic: NHS numbers from the 999 test range, mobile numbers from Ofcom's
drama range (07700 900xxx), email addresses at reserved `.example` and `example.com` domains.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from attune.accounts.models import User
from attune.core import clocks
from attune.core.actors import Actor
from attune.families import search_index
from attune.families.codes import (
    ContactPreference,
    EthnicCategory,
    ParentalResponsibility,
)
from attune.families.models import Family, Infant, SafeguardingFlag
from attune.families.services import NewCarer, NewFamily, NewInfant
from attune.nonprod import demo_data
from attune.nonprod.actors import DEMO, demo_actor
from attune.nonprod.synthetic import at, synthetic_nhs_number, working_days_before
from attune.notifications.models import Message
from attune.organisations.areas import local_authority_for
from attune.organisations.models import Team
from attune.organisations.roles import Role
from attune.referrals import services as referral_services
from attune.referrals.clock import triage_clock
from attune.referrals.models import EligibilityRules, Referral, ReferralStatus
from attune.referrals.services import Decision, Intake, Referrer
from attune.referrals.workflow import Status

TRIAGE_ROLES = [Role.COORDINATOR, Role.SUPERVISOR, Role.TEAM_LEAD]
# When a demo time of day is not given.
MORNING = (9, 40)
AFTERNOON = (14, 15)


@dataclass(frozen=True)
class DemoInfant:
    family_name: str
    given_name: str = ""
    # Born: age in whole months plus extra days. Unborn: days until the due date.
    age_months: int | None = None
    age_days: int = 0
    due_in_days: int | None = None
    nhs_serial: int | None = None
    ethnicity: str = EthnicCategory.NOT_KNOWN

    def born(self, today: date) -> date | None:
        if self.age_months is None:
            return None
        return clocks.add_months(today, -self.age_months) - timedelta(days=self.age_days)

    def due(self, today: date) -> date | None:
        return None if self.due_in_days is None else today + timedelta(days=self.due_in_days)

    def new(self, today: date) -> NewInfant:
        return NewInfant(
            given_name=self.given_name,
            family_name=self.family_name,
            date_of_birth=self.born(today),
            expected_due_date=self.due(today),
            nhs_number=synthetic_nhs_number(self.nhs_serial) if self.nhs_serial is not None else "",
            ethnicity=self.ethnicity,
        )


@dataclass(frozen=True)
class DemoCarer:
    given_name: str
    family_name: str
    relationship: str
    age_years: int
    phone: str = ""
    email: str = ""
    contact_preference: str = ContactPreference.SMS
    phone_is_safe: bool = True
    email_is_safe: bool = True
    safe_contact_note: str = ""
    nhs_serial: int | None = None
    ethnicity: str = EthnicCategory.NOT_KNOWN
    parental_responsibility: str = ParentalResponsibility.YES

    def new(self, today: date, *, main: bool) -> NewCarer:
        return NewCarer(
            given_name=self.given_name,
            family_name=self.family_name,
            relationship=self.relationship,
            parental_responsibility=self.parental_responsibility,
            # Birthdays spread through the year, fixed by the name so reloading agrees.
            date_of_birth=clocks.add_years(today, -self.age_years) - timedelta(days=17 + len(self.given_name) * 23),
            phone=self.phone,
            email=self.email,
            contact_preference=self.contact_preference,
            phone_is_safe=self.phone_is_safe,
            email_is_safe=self.email_is_safe,
            safe_contact_note=self.safe_contact_note,
            nhs_number=synthetic_nhs_number(self.nhs_serial) if self.nhs_serial is not None else "",
            ethnicity=self.ethnicity,
            is_main_contact=main,
        )


@dataclass(frozen=True)
class Step:
    """One triage move. `Status.RECEIVED` here means the information asked for has arrived."""

    status: Status
    working_days_ago: int
    by: str  # a demo person's key: coordinator, supervisor or team_lead
    time: tuple[int, int] = AFTERNOON
    level_of_need: str = ""
    priority: str = ""
    signposted_to: str = ""
    decline_reason: str = ""
    note: str = ""


@dataclass(frozen=True)
class DemoReferral:
    reference: str
    team: str  # "hub" or "satellite"
    kind: str
    source: str
    referrer: Referrer
    reason: str
    received_working_days_ago: int
    infants: tuple[DemoInfant, ...]
    carers: tuple[DemoCarer, ...]
    address_line_1: str
    town: str
    postcode: str
    received_time: tuple[int, int] = MORNING
    stresses: tuple[str, ...] = ()
    safeguarding: tuple[str, ...] = ()
    other_professionals: str = ""
    language: str = "English"
    interpreter_needed: bool = False
    gp_practice: str = ""
    steps: tuple[Step, ...] = field(default_factory=tuple)

    @property
    def planned_statuses(self) -> list[Status]:
        return [Status.RECEIVED, *(step.status for step in self.steps)]

    @property
    def final_status(self) -> Status:
        return self.planned_statuses[-1]


# The referrals and their families are data (nonprod/data/referrals.toml).
REFERRALS = demo_data.read("referrals", "referral", DemoReferral)


def _intake(plan: DemoReferral, team: Team, today: date) -> Intake:
    area = local_authority_for(plan.postcode)
    covering = referral_services.team_covering(area) if area else None
    if covering != team:
        raise AssertionError(f"{plan.reference}: {plan.postcode} is not covered by {team}")
    family = NewFamily(
        team=team,
        infants=[infant.new(today) for infant in plan.infants],
        carers=[carer.new(today, main=index == 0) for index, carer in enumerate(plan.carers)],
        address_line_1=plan.address_line_1,
        town=plan.town,
        postcode=plan.postcode,
        local_authority=area,
        language=plan.language,
        interpreter_needed=plan.interpreter_needed,
        gp_practice=plan.gp_practice,
        safeguarding=list(plan.safeguarding),
    )
    return Intake(
        kind=plan.kind,
        source=plan.source,
        referrer=plan.referrer,
        family=family,
        reason=plan.reason,
        consent_given=True,
        stresses=list(plan.stresses),
        safeguarding_known=list(plan.safeguarding),
        other_professionals=plan.other_professionals,
        # The shape the public form keeps (its check-your-answers rows), with the demo's answers.
        submitted={
            "form": plan.kind,
            "rows": [
                {"section": "Referrer", "label": "Name", "value": plan.referrer.name},
                {"section": "Referrer", "label": "Role", "value": plan.referrer.role},
                {"section": "Reason", "label": "Why are you referring?", "value": plan.reason},
            ],
        },
    )


def create(plan: DemoReferral, team: Team, users: dict[str, User], today: date) -> Referral:
    """Make the planned referral and its triage steps through the actions the pages use."""
    # The public form's action, with the demo's fixed reference, so the acknowledgement in the
    # outbox quotes it.
    referral = referral_services.submit_referral(
        intake=_intake(plan, team, today), actor=Actor.system(DEMO), reference=plan.reference
    )
    for step in plan.steps:
        actor = demo_actor(users[step.by], team, roles=TRIAGE_ROLES)
        seen = referral_services.latest_status(referral).pk
        if step.status == Status.RECEIVED:
            referral_services.information_received(actor=actor, referral=referral, seen_status_id=seen, note=step.note)
        else:
            decision = Decision(
                status=step.status,
                level_of_need=step.level_of_need,
                priority=step.priority,
                signposted_to=step.signposted_to,
                decline_reason=step.decline_reason,
                note=step.note,
            )
            referral_services.decide(actor=actor, referral=referral, seen_status_id=seen, decision=decision)
    received = _timeline(plan, today)[0]
    Family.objects.filter(pk=referral.family_id).update(created_at=received)
    SafeguardingFlag.objects.filter(family=referral.family_id).update(created_at=received)
    return referral


def _timeline(plan: DemoReferral, today: date) -> list[datetime]:
    """When each planned status was entered: the receipt, then each step, oldest first."""
    moments = [at(working_days_before(today, plan.received_working_days_ago), *plan.received_time)]
    moments += [at(working_days_before(today, s.working_days_ago), *s.time) for s in plan.steps]
    if moments != sorted(moments) or moments[-1] > timezone.now():
        raise AssertionError(f"{plan.reference}: the demo timeline must run forwards and end in the past")
    return moments


# Which status each outbox template was sent for.
_TEMPLATE_STATUS = {
    "referral_received": Status.RECEIVED,
    "referral_information_requested": Status.AWAITING_INFORMATION,
    "referral_accepted": Status.ACCEPTED,
    "referral_signposted": Status.SIGNPOSTED,
    "referral_declined": Status.DECLINED,
}


def date_history(referral: Referral, plan: DemoReferral, today: date) -> bool:
    """Put the history, and the messages it sent, on the demo's dates. Only while the history is
    exactly as the demo made it: a referral a demo user has moved on since is theirs."""
    rows = list(referral.history.order_by("id"))
    if [row.status for row in rows] != [s.value for s in plan.planned_statuses]:
        return False
    moments = _timeline(plan, today)
    Referral.objects.filter(pk=referral.pk).update(received_at=moments[0])
    for row, moment in zip(rows, moments, strict=True):
        ReferralStatus.objects.filter(pk=row.pk).update(entered_at=moment)
    # The history moved in the table, not through append_status: the status columns follow.
    Referral.objects.filter(pk=referral.pk).sync_status()
    first_entered = dict(reversed(list(zip(plan.planned_statuses, moments, strict=True))))
    for message in Message.objects.filter(about_type="referrals.referral", about_id=str(referral.pk)):
        status = _TEMPLATE_STATUS.get(message.template.rsplit("_", 1)[0])
        if status in first_entered:
            Message.objects.filter(pk=message.pk).update(created_at=first_entered[status] + timedelta(minutes=1))
    return True


def _date_infants(referral: Referral, plan: DemoReferral, today: date) -> None:
    """Keep the children the ages the demo describes (a 3-week-old stays 3 weeks old), unless a
    demo user has recorded a birth or the record has been merged with another."""
    family = referral.family
    if family.merged_into_id is not None or family.referrals.count() != 1:
        return
    infants = list(Infant.objects.filter(family=family).order_by("created_at", "id"))
    if len(infants) != len(plan.infants):
        return
    for infant, spec in zip(infants, plan.infants, strict=True):
        born, due = spec.born(today), spec.due(today)
        if infant.is_born != (born is not None):
            continue
        Infant.objects.filter(pk=infant.pk).update(date_of_birth=born, expected_due_date=due)
    # The dates moved straight in the table, not through an action: the search index follows.
    search_index.reindex_family(family.pk)


@transaction.atomic
def load(*, teams: dict[str, Team], users: dict[str, User]) -> list[Referral]:
    today = timezone.localdate()
    loaded = []
    for plan in REFERRALS:
        referral = Referral.objects.filter(reference=plan.reference).first()
        if referral is None:
            referral = create(plan, teams[plan.team], users, today)
        else:
            _date_infants(referral, plan, today)
        date_history(referral, plan, today)
        loaded.append(referral)
    return loaded


# -- What was loaded --------------------------------------------------------------------------

SUMMARY_ORDER = [
    Status.RECEIVED,
    Status.AWAITING_INFORMATION,
    Status.ACCEPTED,
    Status.SIGNPOSTED,
    Status.DECLINED,
    Status.WITHDRAWN,
]


@dataclass(frozen=True)
class TeamSummary:
    team: str
    by_status: dict[Status, int]
    over_target: int
    families: int

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def summary(teams: list[Team]) -> list[TeamSummary]:
    """Referrals per team and current state, and how many waiting for triage are over target."""
    today = timezone.localdate()
    found = []
    for team in teams:
        rules = EligibilityRules.objects.filter(team=team).first()
        target = rules.triage_target_working_days if rules else 5
        referrals = list(Referral.objects.filter(team=team).with_status().prefetch_related("history"))
        counts = Counter(Status(r.current_status) for r in referrals)  # type: ignore[attr-defined]
        over = 0
        for referral in referrals:
            if Status(referral.current_status) == Status.RECEIVED:  # type: ignore[attr-defined]
                history = sorted(referral.history.all(), key=lambda row: (row.entered_at, row.id))
                received = timezone.localdate(referral.received_at)
                over += triage_clock(received, history, today=today, target=target).state == "over"
        found.append(
            TeamSummary(
                team=team.name,
                by_status={status: counts.get(status, 0) for status in SUMMARY_ORDER},
                over_target=over,
                families=Family.objects.current().filter(team=team).count(),
            )
        )
    return found
