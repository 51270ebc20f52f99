"""What the workforce pages show, built from models and derived figures. No queries here:
views pass in what the scope found, so these are tested without a database."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.html import format_html

from attune.core import periods
from attune.core.formatting import date_long
from attune.families.presenters import tag_html
from attune.workforce import frameworks
from attune.workforce.hours import HoursSummary
from attune.workforce.models import Evidence, NonCaseloadActivity, Post, SignOff, TrainingPlan
from attune.workforce.services import POST_WARNING

Cell = dict[str, Any]
NEXT_SHOWN = 3


def plan_url(plan: TrainingPlan) -> str:
    return reverse("workforce:plan", args=[plan.pk])


def evidence_url(plan: TrainingPlan, code: str = "") -> str:
    url = reverse("workforce:add_evidence", args=[plan.pk])
    return f"{url}?competency={code}" if code else url


def sign_off_url(plan: TrainingPlan, code: str = "") -> str:
    url = reverse("workforce:sign_off", args=[plan.pk])
    return f"{url}?competency={code}" if code else url


def hours_text(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01')).normalize():f}" if value else "0"
    return f"{text} hour" if text == "1" else f"{text} hours"


# The list of trainees ----------------------------------------------------------------------------


TRAINEE_HEAD = [
    {"text": "Trainee"},
    {"text": "Team"},
    {"text": "Programme"},
    {"text": "Supervisor"},
    {"text": "Competencies signed off"},
    {"text": "Expected to qualify"},
]


def trainee_rows(plans: list[TrainingPlan]) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for plan in plans:
        framework = frameworks.load(plan.framework_code)
        signed = {s.competency_code for s in plan.sign_offs.all()}
        total = len(framework.competencies)
        rows.append(
            [
                {"html": format_html('<a href="{}">{}</a>', plan_url(plan), plan.trainee.full_name)},
                {"text": plan.team.name},
                {"text": plan.programme},
                {"text": plan.supervisor.full_name},
                {"text": f"{len(signed & {c.code for c in framework.competencies})} of {total}"},
                {"text": date_long(plan.expected_qualification_on)},
            ]
        )
    return rows


# The progress page -------------------------------------------------------------------------------


def plan_rows(plan: TrainingPlan, framework: frameworks.Framework) -> list[dict[str, Any]]:
    return [
        {"key": {"text": "Programme"}, "value": {"text": plan.programme}},
        {"key": {"text": "Course provider"}, "value": {"text": plan.course_provider}},
        {"key": {"text": "Started"}, "value": {"text": date_long(plan.started_on)}},
        {"key": {"text": "Expected to qualify"}, "value": {"text": date_long(plan.expected_qualification_on)}},
        {"key": {"text": "Supervisor"}, "value": {"text": plan.supervisor.full_name}},
        {"key": {"text": "Team"}, "value": {"text": plan.team.name}},
        {"key": {"text": "Competency framework"}, "value": {"text": framework.name}},
    ]


HOURS_HEAD = [
    {"text": ""},
    {"text": "Since starting", "format": "numeric"},
    {"text": "Last 3 months", "format": "numeric"},
]


def hours_rows(summary: HoursSummary) -> list[list[Cell]]:
    return [
        [
            {"text": "Clinical contact (attended)"},
            {"text": hours_text(summary.clinical), "format": "numeric"},
            {"text": hours_text(summary.recent_clinical), "format": "numeric"},
        ],
        [
            {"text": "Clinical supervision"},
            {"text": hours_text(summary.supervision), "format": "numeric"},
            {"text": hours_text(summary.recent_supervision), "format": "numeric"},
        ],
    ]


MONTH_HEAD = [
    {"text": "Month"},
    {"text": "Clinical", "format": "numeric"},
    {"text": "Supervision", "format": "numeric"},
]


def month_rows(summary: HoursSummary) -> list[list[Cell]]:
    return [
        [
            {"text": f"{m.month:%B %Y}"},
            {"text": hours_text(m.clinical), "format": "numeric"},
            {"text": hours_text(m.supervision), "format": "numeric"},
        ]
        for m in reversed(summary.by_month)
    ]


@dataclass
class CompetencyView:
    code: str
    title: str
    description: str
    status: str  # tag html
    signed: str  # "Signed off on ... by ...", or ""
    comment: str
    evidence: list[str]
    evidence_url: str
    sign_off_url: str  # blank when the person cannot sign off, or it is signed


@dataclass
class DomainView:
    code: str
    name: str
    signed: int
    total: int
    competencies: list[CompetencyView] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return f"{self.signed} of {self.total} signed off"


def _evidence_line(item: Evidence) -> str:
    return f"{item.get_kind_display()}, {date_long(item.dated_on)}: {item.description}"


def competency_views(
    plan: TrainingPlan,
    framework: frameworks.Framework,
    evidence: list[Evidence],
    sign_offs: list[SignOff],
    *,
    can_sign_off: bool,
) -> list[DomainView]:
    signed = {s.competency_code: s for s in sign_offs}
    by_code: dict[str, list[Evidence]] = {}
    for item in evidence:
        by_code.setdefault(item.competency_code, []).append(item)
    domains = []
    for domain in framework.domains:
        view = DomainView(domain.code, domain.name, 0, len(domain.competencies))
        for c in domain.competencies:
            sign_off = signed.get(c.code)
            if sign_off is not None:
                view.signed += 1
            view.competencies.append(
                CompetencyView(
                    code=c.code,
                    title=c.title,
                    description=c.description,
                    status=tag_html("Signed off", "green") if sign_off else tag_html("Not signed off", "grey"),
                    signed=f"Signed off on {date_long(sign_off.signed_on)} by {sign_off.signed_by.full_name}"
                    if sign_off
                    else "",
                    comment=sign_off.comment if sign_off else "",
                    evidence=[_evidence_line(e) for e in by_code.get(c.code, [])],
                    evidence_url=evidence_url(plan, c.code),
                    sign_off_url=sign_off_url(plan, c.code) if can_sign_off and sign_off is None else "",
                )
            )
        domains.append(view)
    return domains


@dataclass(frozen=True)
class NextStep:
    text: str
    domain: str
    evidence_count: int


def what_is_next(framework: frameworks.Framework, evidence: list[Evidence], sign_offs: list[SignOff]) -> list[NextStep]:
    """Competencies not yet signed off, earliest domain first, in the framework's order."""
    signed = {s.competency_code for s in sign_offs}
    counts: dict[str, int] = {}
    for item in evidence:
        counts[item.competency_code] = counts.get(item.competency_code, 0) + 1
    return [
        NextStep(f"{c.code}: {c.title}", d.name, counts.get(c.code, 0))
        for d in framework.domains
        for c in d.competencies
        if c.code not in signed
    ]


def next_step_text(step: NextStep) -> str:
    pieces = (
        "no evidence yet"
        if not step.evidence_count
        else ("1 piece of evidence" if step.evidence_count == 1 else f"{step.evidence_count} pieces of evidence")
    )
    return f"{step.text} ({step.domain}, {pieces})"


def next_steps(steps: list[NextStep]) -> tuple[list[str], int]:
    """The first few to show, and how many more there are."""
    return [next_step_text(s) for s in steps[:NEXT_SHOWN]], max(0, len(steps) - NEXT_SHOWN)


# Posts --------------------------------------------------------------------------------------------


POST_HEAD = [
    {"text": "Post"},
    {"text": "Held by"},
    {"text": "Starts"},
    {"text": "Ends"},
    {"text": "Funded by"},
    {"text": "Status"},
]


def post_status(post: Post, today: dt.date) -> Cell:
    if post.starts_on > today:
        return {"html": tag_html("Not started", "blue")}
    if post.ends_on is None:
        return {"html": tag_html("Permanent", "green")}
    if post.ends_on < today:
        return {"html": tag_html("Ended", "grey")}
    if post.ends_on - today <= POST_WARNING:
        days = (post.ends_on - today).days
        left = "today" if days == 0 else ("in 1 day" if days == 1 else f"in {days} days")
        return {"html": tag_html(f"Ends {left}", "orange")}
    return {"html": tag_html("Current", "green")}


def ending_soon(post: Post, today: dt.date) -> bool:
    return post.ends_on is not None and post.starts_on <= today <= post.ends_on <= today + POST_WARNING


def post_rows(posts: list[Post], today: dt.date) -> list[list[Cell]]:
    return [
        [
            {"text": post.title},
            {"text": post.holder.full_name if post.holder else "Vacant"},
            {"text": date_long(post.starts_on)},
            {"text": date_long(post.ends_on) if post.ends_on else "No end date"},
            {"text": post.funded_by},
            post_status(post, today),
        ]
        for post in posts
    ]


# The wider workforce ------------------------------------------------------------------------------


def financial_year_start(today: dt.date) -> dt.date:
    """1 April of the NHS financial year that today falls in."""
    return periods.financial_year(periods.financial_year_of(today)).start


ACTIVITY_HEAD = [
    {"text": "Date"},
    {"text": "Kind"},
    {"text": "Topic"},
    {"text": "Audience"},
    {"text": "Attendees", "format": "numeric"},
    {"text": "Hours", "format": "numeric"},
]


def activity_rows(activities: list[NonCaseloadActivity]) -> list[list[Cell]]:
    return [
        [
            {"text": date_long(a.held_on)},
            {"text": a.get_kind_display()},
            {"text": a.topic},
            {"text": a.audience},
            {"text": str(a.attendees), "format": "numeric"},
            {"text": f"{a.hours.normalize():f}", "format": "numeric"},
        ]
        for a in activities
    ]


@dataclass(frozen=True)
class ActivityTotals:
    sessions: int
    attendees: int
    hours: Decimal
    consultation_hours: Decimal
    training_hours: Decimal


def activity_totals(activities: list[NonCaseloadActivity], since: dt.date) -> ActivityTotals:
    within = [a for a in activities if a.held_on >= since]
    return ActivityTotals(
        sessions=len(within),
        attendees=sum(a.attendees for a in within),
        hours=sum((a.hours for a in within), Decimal(0)),
        consultation_hours=sum((a.hours for a in within if a.kind == "consultation"), Decimal(0)),
        training_hours=sum((a.hours for a in within if a.kind == "training"), Decimal(0)),
    )


def totals_rows(totals: ActivityTotals) -> list[dict[str, Any]]:
    return [
        {"key": {"text": "Sessions"}, "value": {"text": str(totals.sessions)}},
        {"key": {"text": "People reached"}, "value": {"text": str(totals.attendees)}},
        {"key": {"text": "Consultation"}, "value": {"text": hours_text(totals.consultation_hours)}},
        {"key": {"text": "Training"}, "value": {"text": hours_text(totals.training_hours)}},
        {"key": {"text": "Total hours"}, "value": {"text": hours_text(totals.hours)}},
    ]


def post_task_link(task: Any) -> str:
    """A post ending: the team's posts (core.links)."""
    return reverse("workforce:posts", args=[task.facts["team"]])
