"""What the safeguarding referral pages and the banner show, built from models without touching
the database (a referral comes with its current outcome annotated, see
SafeguardingReferralQuerySet.with_current_status)."""

from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils.html import format_html

from attune.core.formatting import date_long, datetime_long, local_day
from attune.core.rows import SummaryRow, TableRow
from attune.families.models import Family, Infant
from attune.families.presenters import RecordSection, tag_html
from attune.families.safeguarding import conference_too_early, prebirth_timescales
from attune.families.safeguarding_models import (
    MeetingKind,
    ReferralOutcome,
    SafeguardingMeeting,
    SafeguardingReferral,
    SafeguardingReferralStatus,
)

OUTCOME_COLOURS = {
    ReferralOutcome.AWAITING_DECISION: "grey",
    ReferralOutcome.NO_FURTHER_ACTION: "white",
    ReferralOutcome.EARLY_HELP: "blue",
    ReferralOutcome.CHILD_IN_NEED: "yellow",
    ReferralOutcome.SECTION_47: "orange",
    ReferralOutcome.CHILD_PROTECTION_PLAN: "red",
    ReferralOutcome.LOOKED_AFTER: "purple",
    ReferralOutcome.CLOSED: "grey",
}


def child_name(infant: Infant) -> str:
    """The child as the referral names them now: by name once born, else as the unborn baby."""
    if infant.is_born:
        return infant.full_name or "Baby (name not given)"
    return f"Unborn baby, due {date_long(infant.expected_due_date)}"


def pre_birth_text(referral: SafeguardingReferral) -> str:
    """'made before birth at 24 weeks' (or '' for a referral about a child already born)."""
    if not referral.pre_birth:
        return ""
    at = f" at {referral.pregnancy_week} weeks" if referral.pregnancy_week is not None else ""
    return f"made before birth{at}"


def outcome_label(status: str | None) -> str:
    return ReferralOutcome(status or ReferralOutcome.AWAITING_DECISION).label


def banner_line(referral: SafeguardingReferral) -> str:
    """ "Referral to children's social care for Zara Ahmed (made before birth at 24 weeks):
    child protection plan, since 3 March 2027"."""
    status = getattr(referral, "current_status", None)
    since: date | None = getattr(referral, "current_since", None)
    before = pre_birth_text(referral)
    who = child_name(referral.infant) if referral.infant.is_born else "the unborn baby"
    about = f"{who} ({before})" if before and referral.infant.is_born else who
    since_text = f", since {date_long(since)}" if since else ""
    return f"Referral to children's social care for {about}: {outcome_label(status).lower()}{since_text}"


def referral_url(referral: SafeguardingReferral) -> str:
    return reverse("families:safeguarding_referral", args=[referral.family_id, referral.pk])


def family_section(family: Family, referrals: list[SafeguardingReferral]) -> RecordSection:
    new_url = reverse("families:safeguarding_referral_new", args=[family.pk])
    rows: list[TableRow] = []
    for referral in referrals:
        status = getattr(referral, "current_status", None)
        rows.append(
            [
                {
                    "html": format_html(
                        '<a href="{}">{}<span class="nhsuk-u-visually-hidden">: referral of {}</span></a>',
                        referral_url(referral),
                        child_name(referral.infant),
                        date_long(referral.referred_on),
                    )
                },
                {
                    "text": date_long(referral.referred_on)
                    + (f" ({pre_birth_text(referral)})" if referral.pre_birth else "")
                },
                {
                    "html": tag_html(
                        outcome_label(status), OUTCOME_COLOURS[ReferralOutcome(status or "awaiting_decision")]
                    )
                },
            ]
        )
    return RecordSection(
        heading="Safeguarding referrals",
        caption="Referrals to children's social care, newest first",
        head=[{"text": "Child"}, {"text": "Referred"}, {"text": "Outcome now"}],
        rows=rows,
        empty="No safeguarding referrals recorded.",
        links=[{"href": new_url, "text": "Make a safeguarding referral"}],
    )


# The referral page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralPage:
    summary: list[SummaryRow]
    outcome_tag: str
    timescales: list[str]
    warnings: list[str]
    status_rows: list[TableRow]
    meetings: list[TableRow]
    closed: bool
    links: dict[str, str] = field(default_factory=dict)


def summary_rows(referral: SafeguardingReferral) -> list[SummaryRow]:
    reference_url = reverse("families:safeguarding_council_reference", args=[referral.family_id, referral.pk])
    change = "Change" if referral.council_reference else "Add"
    rows: list[SummaryRow] = [
        {"key": {"text": "Child"}, "value": {"text": child_name(referral.infant)}},
        {"key": {"text": "Referred on"}, "value": {"text": date_long(referral.referred_on)}},
    ]
    if referral.pre_birth:
        due = date_long(referral.due_date)
        rows.append(
            {
                "key": {"text": "Pre-birth referral"},
                "value": {"text": f"{pre_birth_text(referral).capitalize()} (due {due})"},
            }
        )
    rows += [
        {"key": {"text": "Referred by"}, "value": {"text": referral.referred_by.full_name}},
        {"key": {"text": "Council"}, "value": {"text": referral.council.name if referral.council else "Not recorded"}},
        {
            "key": {"text": "Council's reference"},
            "value": {"text": referral.council_reference or "Not known yet"},
            "actions": {
                "items": [{"href": reference_url, "text": change, "visuallyHiddenText": "the council's reference"}]
            },
        },
        {"key": {"text": "Concern"}, "value": {"text": referral.concern}},
    ]
    return rows


def timescale_lines(referral: SafeguardingReferral) -> list[str]:
    # Once the baby is born the pre-birth timescales no longer guide anything.
    if not referral.pre_birth or referral.due_date is None or referral.infant.is_born:
        return []
    times = prebirth_timescales(referral.due_date)
    return [
        f"Strategy meeting due by {date_long(times.strategy_meeting_by)} ({times.strategy_week} weeks of pregnancy)",
        f"Initial child protection conference no earlier than {date_long(times.conference_from)} "
        f"({times.conference_week} weeks of pregnancy)",
    ]


def meeting_warnings(referral: SafeguardingReferral, meetings: list[SafeguardingMeeting]) -> list[str]:
    warnings = []
    for meeting in meetings:
        if meeting.cancelled_at is None and conference_too_early(referral, meeting.kind, local_day(meeting.starts_at)):
            assert referral.due_date is not None
            times = prebirth_timescales(referral.due_date)
            warnings.append(
                f"The initial child protection conference on {date_long(meeting.starts_at)} is before "
                f"{times.conference_week} weeks of pregnancy ({date_long(times.conference_from)}). "
                "Check this date with children's social care."
            )
    return warnings


def status_rows(statuses: list[SafeguardingReferralStatus]) -> list[TableRow]:
    return [
        [
            {"text": date_long(status.decided_on)},
            {"text": status.get_status_display()},
            {"text": status.note or "None"},
            {"text": f"{status.recorded_by.full_name}, {datetime_long(status.created_at)}"},
        ]
        for status in reversed(statuses)
    ]


def _meeting_state(meeting: SafeguardingMeeting) -> str:
    if meeting.cancelled_at is not None:
        return f"Cancelled: {meeting.cancelled_reason}"
    if meeting.held_at is not None:
        decided = f" Decided: {meeting.outcome_notes}" if meeting.outcome_notes else ""
        return f"Held. Attended: {meeting.attendance}.{decided}"
    return "Planned"


def meeting_rows(referral: SafeguardingReferral, meetings: list[SafeguardingMeeting], now_day: date) -> list[TableRow]:
    rows: list[TableRow] = []
    for meeting in meetings:
        action: dict[str, str] = {"text": ""}
        if meeting.is_upcoming:
            args = [referral.family_id, referral.pk, meeting.pk]
            kind = meeting.get_kind_display().lower()
            if local_day(meeting.starts_at) <= now_day:
                action = {
                    "html": format_html(
                        '<a href="{}">Record it was held<span class="nhsuk-u-visually-hidden">: {}</span></a>',
                        reverse("families:safeguarding_meeting_held", args=args),
                        kind,
                    )
                }
            else:
                action = {
                    "html": format_html(
                        '<a href="{}">Move<span class="nhsuk-u-visually-hidden"> the {}</span></a><br>'
                        '<a href="{}">Cancel<span class="nhsuk-u-visually-hidden"> the {}</span></a>',
                        reverse("families:safeguarding_meeting_move", args=args),
                        kind,
                        reverse("families:safeguarding_meeting_cancel", args=args),
                        kind,
                    )
                }
        rows.append(
            [
                {"text": meeting.get_kind_display()},
                {"text": datetime_long(meeting.starts_at)},
                {"text": meeting.notes or "None"},
                {"text": _meeting_state(meeting)},
                action,
            ]
        )
    return rows


def referral_page(
    referral: SafeguardingReferral,
    statuses: list[SafeguardingReferralStatus],
    meetings: list[SafeguardingMeeting],
    today: date,
) -> ReferralPage:
    status = getattr(referral, "current_status", None) or ReferralOutcome.AWAITING_DECISION
    args = [referral.family_id, referral.pk]
    return ReferralPage(
        summary=summary_rows(referral),
        outcome_tag=tag_html(outcome_label(status), OUTCOME_COLOURS[ReferralOutcome(status)]),
        timescales=timescale_lines(referral),
        warnings=meeting_warnings(referral, meetings),
        status_rows=status_rows(statuses),
        meetings=meeting_rows(referral, meetings, today),
        closed=status == ReferralOutcome.CLOSED,
        links={
            "outcome": reverse("families:safeguarding_outcome", args=args),
            "meeting": reverse("families:safeguarding_meeting_new", args=args),
        },
    )


def meeting_heading(meeting: SafeguardingMeeting) -> str:
    return f"{MeetingKind(meeting.kind).label}, {datetime_long(meeting.starts_at)}"
