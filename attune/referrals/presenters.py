"""What the triage pages show, built from models without touching the database: the waiting
clock as a coloured tag, the referral's summary lists, eligibility in plain words, the history,
the outbox, the decisions open to the person, and who decided what when two people decided at
once."""

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from attune.core.formatting import date_long, datetime_long, datetime_short, paragraphs, plural, time_short
from attune.core.rows import Cell, SummaryRow, TableRow
from attune.families import contact
from attune.families import presenters as family_presenters
from attune.families.codes import SafeguardingKind
from attune.families.duplicates import Candidate
from attune.families.models import Family, Infant, SafeguardingFlag
from attune.families.naming import family_title
from attune.families.presenters import RecordSection, tag_html
from attune.notifications.models import Message, MessageStatus
from attune.organisations.models import Team
from attune.referrals import clock, dated, decisions, eligibility, linking
from attune.referrals.codes import STRESS_GROUPS, DeclineReason, LevelOfNeed, Priority, ReferralSource, Stress
from attune.referrals.models import (
    DEFAULT_FIRST_CONTACT_TARGETS,
    DEFAULT_TRIAGE_TARGET,
    Referral,
    ReferralKind,
    ReferralStatus,
    RulesVersion,
)
from attune.referrals.workflow import OPEN, Status

# Between lines in one table cell or summary-list value.
BR = mark_safe("<br>")

STATUS_COLOURS = {
    Status.RECEIVED: "blue",
    Status.AWAITING_INFORMATION: "yellow",
    Status.ACCEPTED: "green",
    Status.SIGNPOSTED: "purple",
    Status.DECLINED: "grey",
    Status.WITHDRAWN: "grey",
}


def status_tag(status: Status) -> dict[str, str]:
    return {"text": status.label, "classes": f"nhsuk-tag--{STATUS_COLOURS[status]}"}


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def active_flags(family: Family) -> list[SafeguardingFlag]:
    """The active flags prefetched by the scope (`family.active_flags`), or fetched if not."""
    prefetched: list[SafeguardingFlag] | None = getattr(family, "active_flags", None)
    if prefetched is not None:
        return prefetched
    return list(family.safeguarding_flags.active())


# The triage clock -----------------------------------------------------------------------------


def target_of(referral: Referral, targets: dated.Targets) -> int:
    """The triage target in force on the day the referral was received."""
    return targets.on(referral.team_id, timezone.localdate(referral.received_at))


def triage_clock(referral: Referral, *, today: date, target: int) -> clock.TriageClock:
    """Uses the history prefetched oldest first."""
    history = list(referral.history.all())
    return clock.triage_clock(timezone.localdate(referral.received_at), history, today=today, target=target)


CLOCK_COLOURS = {"within": "green", "due": "orange", "over": "red"}
# Colour is never the only signal: the words say it too.
CLOCK_WORDS = {"within": "", "due": " (due)", "over": " (over target)"}


def clock_tag(waiting: clock.TriageClock) -> dict[str, str]:
    days = _plural(waiting.working_days, "working day", "working days")
    if waiting.paused:
        return {"text": "Paused", "classes": "nhsuk-tag--grey", "hint": f"{days} before the pause"}
    return {
        "text": days + CLOCK_WORDS[waiting.state],
        "classes": f"nhsuk-tag--{CLOCK_COLOURS[waiting.state]}",
        "hint": f"Target: {_plural(waiting.target, 'working day', 'working days')}",
    }


def _clock_cell(spec: dict[str, str], *, paused: bool) -> Cell:
    """The tag; under a paused one, how long the clock ran (the target is in the page's intro)."""
    tag = tag_html(spec["text"], spec["classes"].removeprefix("nhsuk-tag--"))
    if not paused:
        return {"html": tag}
    hint = format_html('<br><span class="nhsuk-body-s nhsuk-u-secondary-text-colour">{}</span>', spec["hint"])
    return {"html": format_html("{}{}", tag, hint)}


# The inbox ------------------------------------------------------------------------------------


def baby_cell(infants: list[Infant], today: date) -> Cell:
    lines = [(infant.display_name, family_presenters.baby_age(infant, today)) for infant in infants]
    return {"html": format_html_join(BR, "{}, {}", lines) if lines else "Not recorded"}


def inbox_rows(referrals: list[Referral], *, today: date, targets: dated.Targets) -> list[TableRow]:
    """Each referral's clock runs to the target in force on the day it was received."""
    rows: list[TableRow] = []
    for referral in referrals:
        family = referral.family
        infants = list(family.infants.all())
        carer = contact.main_contact(family)
        waited = triage_clock(referral, today=today, target=target_of(referral, targets))
        tags = []
        if active_flags(family):
            tags.append(tag_html("Safeguarding", "red"))
        if any(family_presenters.in_first_1001_days(infant, today) for infant in infants):
            tags.append(tag_html("First 1001 days", "blue"))
        rows.append(
            [
                {
                    "html": format_html(
                        '<a class="nhsuk-u-nowrap" href="{}">{}</a>', referral_url(referral), referral.reference
                    )
                },
                {"text": date_long(referral.received_at)},
                _clock_cell(clock_tag(waited), paused=waited.paused),
                baby_cell(infants, today),
                {"text": carer.full_name if carer else "Not recorded"},
                {"html": format_html_join(" ", "{}", ((t,) for t in tags)) if tags else ""},
            ]
        )
    return rows


def referral_url(referral: Referral) -> str:
    return reverse("referrals:referral", args=[referral.pk])


@dataclass(frozen=True)
class TeamInbox:
    team: Team
    waiting: int
    over_target: int

    @property
    def url(self) -> str:
        return reverse("referrals:inbox", args=[self.team.pk])

    @property
    def summary(self) -> str:
        if not self.waiting:
            return "Nothing waiting for triage"
        return f"{_plural(self.waiting, 'referral', 'referrals')} waiting, {self.over_target} over target"


def team_inboxes(
    teams: list[Team], open_referrals: list[Referral], targets: dated.Targets, *, today: date
) -> list[TeamInbox]:
    waiting: dict[uuid.UUID, int] = defaultdict(int)
    over: dict[uuid.UUID, int] = defaultdict(int)
    for referral in open_referrals:
        waiting[referral.team_id] += 1
        waited = triage_clock(referral, today=today, target=target_of(referral, targets))
        if waited.state == "over" and not waited.paused:
            over[referral.team_id] += 1
    return [TeamInbox(team, waiting[team.pk], over[team.pk]) for team in teams]


# The referral page ----------------------------------------------------------------------------


def rules_of(referral: Referral, history: list[RulesVersion], today: date) -> tuple[eligibility.Rules, int]:
    """The team's eligibility rules in force today, and the triage target in force on the day
    the referral was received, from the team's rules history (EligibilityRules.objects.history_of)."""
    now = dated.in_force(((v.effective_from, v.rules) for v in history), today)
    received = timezone.localdate(referral.received_at)
    target = dated.in_force(((v.effective_from, v.triage_target) for v in history), received)
    return (
        now if now is not None else eligibility.rules_from(None, referral.team),
        target if target is not None else DEFAULT_TRIAGE_TARGET,
    )


def priority_hints(history: list[RulesVersion], today: date) -> dict[str, str]:
    """Under each priority a referral may be accepted with, how soon the team means to see the
    family: the first-contact targets in force today, the day of acceptance the waiting list
    measures from. 'First contact within 5 working days'."""
    targets = dated.in_force(((v.effective_from, v.first_contact_targets) for v in history), today)
    targets = targets or DEFAULT_FIRST_CONTACT_TARGETS
    return {
        priority.value: f"First contact within {plural(targets.of(priority.value), 'working day', 'working days')}"
        for priority in Priority
    }


@dataclass(frozen=True)
class EligibilityView:
    assessed: str  # whose age was assessed
    eligible: bool
    reasons: list[str]
    warnings: list[str]
    first_1001_days: bool


def eligibility_view(family: Family, rules: eligibility.Rules, today: date) -> EligibilityView | None:
    infant = family_presenters.youngest(list(family.infants.all()))
    if infant is None:
        return None
    authority = family.local_authority
    assessment = eligibility.assess(
        rules,
        born=infant.date_of_birth,
        due=infant.expected_due_date,
        area_id=str(authority.pk) if authority else None,
        area_name=authority.name if authority else "",
        today=today,
    )
    return EligibilityView(
        assessed=infant.display_name,
        eligible=assessment.eligible,
        reasons=list(assessment.reasons),
        warnings=list(assessment.warnings),
        first_1001_days=assessment.in_first_1001_days,
    )


def _labels(values: list[str], choices: type[Stress] | type[SafeguardingKind]) -> list[str]:
    known = dict(choices.choices)
    return [str(known.get(value, value)) for value in values]


def _lines(items: list[str], empty: str = "None given") -> Cell:
    if not items:
        return {"text": empty}
    return {"html": format_html_join(BR, "{}", ((item,) for item in items))}


def _paragraphs(text: str) -> Cell:
    return {"html": format_html_join("", "<p>{}</p>", ((p,) for p in paragraphs(text))) or "None given"}


def stress_rows(referral: Referral) -> list[SummaryRow]:
    """The stresses the referrer ticked, under PIP UK's four groups."""
    chosen = set(referral.stresses)
    rows = []
    for group, stresses in STRESS_GROUPS.items():
        picked = [stress.label for stress in stresses if stress.value in chosen]
        if picked:
            rows.append({"key": {"text": group.label}, "value": _lines(picked)})
    known = {stress.value for group in STRESS_GROUPS.values() for stress in group}
    others = _labels([value for value in referral.stresses if value not in known], Stress)
    if others:
        rows.append({"key": {"text": "Other"}, "value": _lines(others)})
    return rows or [{"key": {"text": "Stresses"}, "value": {"text": "None ticked"}}]


def reason_rows(referral: Referral) -> list[SummaryRow]:
    return [
        {"key": {"text": "Why they were referred, in the referrer's words"}, "value": _paragraphs(referral.reason)},
        {
            "key": {"text": "Safeguarding known at referral"},
            "value": _lines(_labels(referral.safeguarding_known, SafeguardingKind), "None"),
        },
        {"key": {"text": "Other professionals involved"}, "value": _paragraphs(referral.other_professionals)},
    ]


def referrer_rows(referral: Referral) -> list[SummaryRow]:
    source = f"{ReferralSource(referral.source).label} ({referral.source})" if referral.source else "Not given"
    if referral.kind == ReferralKind.SELF:
        who: Cell = {"text": f"{referral.referrer_name} (self-referral)"}
    else:
        who = _lines(
            [
                part
                for part in [
                    referral.referrer_name,
                    referral.referrer_role,
                    referral.referrer_organisation,
                    referral.referrer_email,
                    referral.referrer_phone,
                ]
                if part
            ]
        )
    consent = "Yes, the family agreed to the referral" if referral.consent_given else "No, the family has not agreed"
    return [
        {"key": {"text": "Referred by"}, "value": who},
        {"key": {"text": "Source of referral"}, "value": {"text": source}},
        {"key": {"text": "Received"}, "value": {"text": datetime_long(referral.received_at)}},
        {"key": {"text": "Consent"}, "value": {"text": consent}},
    ]


def decision_rows(referral: Referral, latest: ReferralStatus) -> list[SummaryRow]:
    """What was decided at triage (once decided)."""
    rows: list[SummaryRow] = []
    if referral.level_of_need:
        rows.append({"key": {"text": "Level of need"}, "value": {"text": LevelOfNeed(referral.level_of_need).label}})
    if referral.priority:
        rows.append({"key": {"text": "Priority"}, "value": {"text": Priority(referral.priority).label}})
    if referral.signposted_to:
        rows.append({"key": {"text": "Signposted to"}, "value": {"text": referral.signposted_to}})
    if referral.decline_reason:
        rows.append(
            {"key": {"text": "Reason for declining"}, "value": {"text": DeclineReason(referral.decline_reason).label}}
        )
    if rows and latest.note:
        rows.append({"key": {"text": "Note"}, "value": _paragraphs(latest.note)})
    return rows


def history_rows(history: list[ReferralStatus]) -> list[TableRow]:
    """Newest first."""
    return [
        [
            {"text": datetime_short(row.entered_at)},
            {"text": row.state.label},
            {"text": row.by.full_name if row.by else "Referral form"},
            {"text": row.note or ""},
        ]
        for row in reversed(history)
    ]


MESSAGE_COLOURS = {
    MessageStatus.QUEUED: "blue",
    MessageStatus.SENT: "green",
    MessageStatus.FAILED: "red",
    MessageStatus.WITHHELD: "orange",
}


def message_rows(messages: list[Message]) -> list[TableRow]:
    rows: list[TableRow] = []
    for message in messages:
        status = MessageStatus(message.status)
        state = tag_html(status.label, MESSAGE_COLOURS[status])
        if message.withheld_reason:
            state = format_html("{}<br>{}", state, message.withheld_reason)
        rows.append(
            [
                {"text": datetime_short(message.created_at)},
                {"text": message.recipient},
                {"text": message.get_channel_display() if status != MessageStatus.WITHHELD else "None"},
                {"text": message.subject},
                {"html": state},
            ]
        )
    return rows


# Concurrent decisions -------------------------------------------------------------------------

DID = {
    Status.RECEIVED: "recorded that the referrer's information arrived",
    Status.AWAITING_INFORMATION: "asked the referrer for more information",
    Status.ACCEPTED: "accepted the referral to the waiting list",
    Status.SIGNPOSTED: "signposted the family to another service",
    Status.DECLINED: "declined the referral",
    Status.WITHDRAWN: "withdrew the referral",
}


def _when(moment: datetime, today: date) -> str:
    if timezone.localdate(moment) == today:
        return f"at {time_short(moment)}"
    return f"on {datetime_long(moment)}"


def stale_warning(latest: ReferralStatus, *, today: date) -> str:
    """'Cora Coordinator accepted the referral to the waiting list at 2:30pm while you were
    deciding. Your decision has not been saved. ...'"""
    who = latest.by.full_name if latest.by else "Someone"
    return (
        f"{who} {DID[latest.state]} {_when(latest.entered_at, today)} while you were deciding. "
        "Your decision has not been saved. Check the referral and decide again if you need to."
    )


def decided_message(referral: Referral, status: ReferralStatus) -> str:
    """The success banner after a decision. Messages are queued, not yet sent, and some are held
    back when there is no safe way to reach the family, so the banner points to the list."""
    state = status.state
    told = "The messages to the referrer and family are listed at the bottom of the page."
    if state == Status.ACCEPTED:
        priority = Priority(referral.priority).label.lower()
        return f"{referral.reference} is accepted to the waiting list, priority {priority}. {told}"
    if state == Status.SIGNPOSTED:
        return f"{referral.reference} is signposted to {referral.signposted_to}. The letter is ready to print. {told}"
    if state == Status.DECLINED:
        return f"{referral.reference} is declined. {told}"
    if state == Status.AWAITING_INFORMATION:
        return (
            "Your request for more information is in the messages at the bottom of the page. "
            f"The triage clock for {referral.reference} is paused."
        )
    return f"Information received for {referral.reference}. The triage clock has started again."


def is_open(status: ReferralStatus) -> bool:
    return status.state in OPEN


# Deciding: one page per decision ---------------------------------------------------------------


def decisions_from(state: Status) -> list[decisions.DecisionKind]:
    """The decisions the workflow allows from this state, in the order the page lists them
    (information arriving, the move back to "received", is recorded on the referral page)."""
    allowed = decisions.TRANSITIONS[state]
    return [kind for kind in decisions.BY_SLUG.values() if kind.status in allowed]


def decide_url(referral: Referral, kind: decisions.DecisionKind, seen: ReferralStatus) -> str:
    """The decision's page, carrying the status row the person is looking at."""
    return f"{reverse('referrals:decide', args=[referral.pk, kind.slug])}?seen={seen.pk}"


def decision_links(referral: Referral, latest: ReferralStatus) -> list[dict[str, str]]:
    return [{"text": kind.label, "href": decide_url(referral, kind, latest)} for kind in decisions_from(latest.state)]


def not_allowed_message(state: Status, kind: decisions.DecisionKind) -> str:
    """'This referral is declined, so it cannot be accepted to the waiting list now.'"""
    return f"This referral is {state.label.lower()}, so {kind.cannot}."


def decide_summary_rows(referral: Referral, today: date) -> list[SummaryRow]:
    """Who the decision is about, at the top of each decision page."""
    family = referral.family
    carer = contact.main_contact(family)
    main_carer = f"{carer.full_name} ({carer.get_relationship_display().lower()})" if carer else "Not recorded"
    return [
        {
            "key": {"text": "Referral"},
            "value": {"html": format_html('<a href="{}">{}</a>', referral_url(referral), referral.reference)},
        },
        {"key": {"text": "Received"}, "value": {"text": date_long(referral.received_at)}},
        {"key": {"text": "Baby"}, "value": baby_cell(list(family.infants.all()), today)},
        {"key": {"text": "Main carer"}, "value": {"text": main_carer}},
    ]


# The family page's referrals (registered with families.scope) ----------------------------------


def family_referrals_section(referrals: list[Referral]) -> RecordSection:
    rows: list[TableRow] = [
        [
            {"html": format_html('<a href="{}">{}</a>', referral_url(r), r.reference)},
            {"text": r.team.name},
            {"text": date_long(r.received_at)},
            {"html": tag_html(Status(_status_of(r)).label, STATUS_COLOURS[Status(_status_of(r))])},
        ]
        for r in referrals
    ]
    return RecordSection(
        heading="Referrals",
        caption="Referrals for this family, newest first",
        head=[{"text": "Reference"}, {"text": "Team"}, {"text": "Received"}, {"text": "Status"}],
        rows=rows,
        empty="No referrals are recorded for this family.",
    )


def _status_of(referral: Referral) -> str:
    status: str = getattr(referral, "current_status", Status.RECEIVED)
    return status


# The signposting letter -----------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    to_name: str
    address_lines: list[str]
    dated: str
    paragraphs: list[str]
    signed: str
    warnings: str  # safe-contact instructions, shown on screen only


def signposting_letter(referral: Referral, latest: ReferralStatus, *, today: date) -> Letter:
    family = referral.family
    carer = contact.main_contact(family)
    service = referral.team.service.name
    paragraphs = [
        f"Thank you for being referred to the {service} (reference {referral.reference}).",
        f"We have looked carefully at the referral. We think {referral.signposted_to} is the best service "
        "to help you and your baby now.",
    ]
    if latest.note:
        paragraphs += [p.strip() for p in latest.note.splitlines() if p.strip()]
    paragraphs.append("If things change, you or your health visitor can refer to us again.")
    return Letter(
        to_name=carer.full_name if carer else "The parent or carer",
        address_lines=[
            part for part in [family.address_line_1, family.address_line_2, family.town, family.postcode] if part
        ],
        dated=date_long(today),
        paragraphs=paragraphs,
        signed=f"{referral.team.name}, {service}",
        warnings=family_presenters.safe_contact_html(carer) if carer else "",
    )


# The referral page as one typed view model ---------------------------------------------------


@dataclass(frozen=True)
class ReferralPage:
    """Everything the referral page shows, built from what the view fetched (the referral with its
    family and history through the scope, possible duplicates, the outbox) without a query."""

    referral: Referral
    family: Family
    title: str
    banner: family_presenters.Banner
    latest: ReferralStatus
    status_tag: dict[str, str]
    clock: dict[str, str] | None  # while the referral waits on the team
    infants: list[list[SummaryRow]]
    carers: list[list[SummaryRow]]
    household_rows: list[SummaryRow]
    reason_rows: list[SummaryRow]
    stress_rows: list[SummaryRow]
    referrer_rows: list[SummaryRow]
    decision_rows: list[SummaryRow]
    eligibility: "EligibilityView | None"
    candidates: list[family_presenters.CandidateView]
    history_rows: list[TableRow]
    message_rows: list[TableRow]
    decisions: list[dict[str, str]]
    information_form: Any  # forms.InformationReceivedForm while the team waits, or None
    problems: list[str]
    inbox_url: str
    link_url: Callable[[Family], str]  # to link the referral to a possible duplicate

    @property
    def has_errors(self) -> bool:
        return bool(self.problems or (self.information_form is not None and self.information_form.errors))


def referral_page(
    referral: Referral,
    *,
    rules_history: list[RulesVersion],
    banner: family_presenters.Banner,
    candidates: list[Candidate],
    messages: list[Message],
    information_form: Any,
    problems: list[str],
    today: date,
) -> ReferralPage:
    family = referral.family
    history = list(referral.history.all())
    latest = history[-1]
    rules, target = rules_of(referral, rules_history, today)
    waiting = is_open(latest)
    return ReferralPage(
        referral=referral,
        family=family,
        title=family_title(family),
        banner=banner,
        latest=latest,
        status_tag=status_tag(latest.state),
        clock=clock_tag(triage_clock(referral, today=today, target=target)) if waiting else None,
        infants=[family_presenters.infant_rows(infant, today) for infant in family.infants.all()],
        carers=[family_presenters.carer_rows(carer) for carer in family.carers.all()],
        household_rows=family_presenters.household_rows(family),
        reason_rows=reason_rows(referral),
        stress_rows=stress_rows(referral),
        referrer_rows=referrer_rows(referral),
        decision_rows=decision_rows(referral, latest),
        eligibility=eligibility_view(family, rules, today),
        candidates=family_presenters.candidate_views(candidates, today),
        history_rows=history_rows(history),
        message_rows=message_rows(messages),
        decisions=decision_links(referral, latest) if waiting else [],
        information_form=information_form,
        problems=problems,
        inbox_url=reverse("referrals:inbox", args=[referral.team_id]),
        link_url=lambda other: reverse("referrals:link_family", args=[referral.pk, other.pk]),
    )


# Linking a referral to a family the team already knows ----------------------------------------


def difference_rows(differences: list[linking.Difference]) -> list[TableRow]:
    """Each detail the referral gives differently, beside what the family record holds."""
    return [
        [{"text": d.who[:1].upper() + d.who[1:]}, {"text": d.label}, {"text": d.kept}, {"text": d.given}]
        for d in differences
    ]


def family_surname(family: Family) -> str:
    """'the Hughes family': by the main carer's family name, else a child's; the record's title
    when nobody has one."""
    carers = sorted(family.carers.all(), key=lambda c: not c.is_main_contact)
    names = [c.family_name for c in carers] + [i.family_name for i in family.infants.all()]
    surname = next((name.strip() for name in names if name.strip()), "")
    return f"the {surname} family" if surname else f"the record {family_title(family)}"


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def linked_message(family: Family, taken: list[linking.Difference]) -> str:
    """'Linked to the Hughes family; phone number updated.'"""
    labels = list(dict.fromkeys(d.in_sentence for d in taken))
    if not labels:
        return f"Linked to {family_surname(family)}. No details on the family record were changed."
    return f"Linked to {family_surname(family)}; {_joined(labels)} updated."
