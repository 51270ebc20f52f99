"""The demo's outcome measures: each team's schedule, and measures recorded over the care demo's
episodes, for the hub and the satellite.

The team lead sets each team's schedule (`schedules.set_schedule`): at assessment (week 0) and at
review (week 12) the EPDS, PHQ-9 and GAD-7 for the parent, the PBQ for the relationship and the
ADBB for babies aged 2 to 24 months; at discharge the EPDS, PHQ-9 and GAD-7 again.

Most families' measures are entered by their lead practitioner (`services.record_administration`,
acting as the practitioner, as in `demo_care`) near the start of the episode, and again at review
where the episode is more than 12 weeks old, and at discharge for the family discharged. Most
parents improve, some show no reliable change and one mother (Kirsty Walsh, satellite) gets
worse. Three answers cross a risk rule: an EPDS item 10 (hub), whose alert was acted on that day;
an ADBB total of 6 (satellite), reviewed the same day; and Kirsty's PHQ-9 item 9 at her recent
review, whose alert is still open, so the banner and the tasks show it. One mother (hub) answered
her questionnaires through a link and waits for her practitioner to look at them; the
grandmother most recently allocated (satellite) has a link sent and waiting.

The actions stamp "now"; the demo re-dates what they wrote (created, raised, closed) to the past
day it stands for, as `demo_care` does. The date completed is passed as the real past date. Audit
events keep the moment the demo was loaded.

Loading is idempotent: a schedule row is added only where the team has none for that measure and
time point, and an episode's measures are made once (when it has none). On every load the
satellite's waiting link is sent again if it has expired or been withdrawn unanswered.
"""

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from attune.accounts.models import User
from attune.care.codes import ATTENDED
from attune.care.models import Appointment, Discharge, Episode
from attune.core import audit
from attune.core.actors import Actor
from attune.core.clocks import age_in_months
from attune.core.models import Task, TaskKind
from attune.families.models import Carer, FamilyAlert, Infant
from attune.nonprod import demo_care, demo_data, scenario
from attune.nonprod.actors import DEMO, demo_actor
from attune.nonprod.synthetic import at
from attune.organisations.models import Team
from attune.outcomes import instruments, links, services
from attune.outcomes.models import Administration, MeasureSchedule, QuestionnaireLink, Source, TimePoint
from attune.outcomes.schedules import ScheduleEntry, set_schedule

REVIEW_WEEKS = 12
INFANT_MONTHS = (2, 24)
CARER_MEASURES = ("EPDS", "PHQ9", "GAD7")
# Measures whose wording Attune ships: the EPDS's is the service's own to load, and a measure
# without its wording is never sent to a parent.
PARENT_LINK_MEASURES = ("PHQ9", "GAD7", "PBQ")

SCHEDULE: tuple[ScheduleEntry, ...] = (
    *(ScheduleEntry(code, TimePoint.ASSESSMENT, 0) for code in (*CARER_MEASURES, "PBQ")),
    ScheduleEntry("ADBB", TimePoint.ASSESSMENT, 0, *INFANT_MONTHS),
    *(ScheduleEntry(code, TimePoint.REVIEW, REVIEW_WEEKS) for code in (*CARER_MEASURES, "PBQ")),
    ScheduleEntry("ADBB", TimePoint.REVIEW, REVIEW_WEEKS, *INFANT_MONTHS),
    *(ScheduleEntry(code, TimePoint.DISCHARGE, None) for code in CARER_MEASURES),
)


@dataclass(frozen=True)
class Risk:
    """An answer that crosses a risk rule: an item's score (or, with no item, the total it is
    spread over), what was done about it ("" leaves the alert open) and, for a high-risk alert,
    the supervisor's review the next day."""

    instrument: str
    time_point: str
    score: int
    item: int | None = None
    action: str = ""
    done: tuple[str, ...] = ()
    review: str = ""


@dataclass(frozen=True)
class Totals:
    """A measure's totals at assessment, review and discharge; None where not given. A review is
    recorded only where the episode is more than 12 weeks old, an ADBB only for a baby of 2 to 24
    months on the day."""

    instrument: str
    assessment: int | None = None
    review: int | None = None
    discharge: int | None = None

    def at(self, index: int) -> int | None:
        """By time point in order: 0 assessment, 1 review, 2 discharge."""
        return (self.assessment, self.review, self.discharge)[index]


@dataclass(frozen=True)
class DemoMeasures:
    reference: str
    totals: tuple[Totals, ...]
    risks: tuple[Risk, ...] = ()
    # "completed": the parent answered the assessment measures through a link (awaiting review);
    # "waiting": a link is sent for them and not answered yet; "": entered by staff.
    parent: str = ""


A, R = TimePoint.ASSESSMENT, TimePoint.REVIEW

# What each family gave, and its risks, are data (nonprod/data/measures.toml).
MEASURES = demo_data.read("measures", "measures", DemoMeasures)


# -- Answers ----------------------------------------------------------------------------------


def answers_for(code: str, total: int, *, seed: str, fixed: dict[int, int] | None = None) -> list[int | None]:
    """Option positions (as printed) whose item scores add up to `total`, spread unevenly but
    the same on every load. Risk items score 0 unless `fixed` says otherwise; reverse-scored
    items are handled by looking the score up in the item's options."""
    instrument = instruments.get(code)
    risk_items = {rule.item for rule in instrument.risk_rules if rule.item is not None}
    pinned = dict.fromkeys(risk_items, 0) | (fixed or {})
    top = {item.number: max(option.score for option in item.options) for item in instrument.items}
    free = [item.number for item in instrument.items if item.number not in pinned]
    remaining = total - sum(pinned.values())
    if not 0 <= remaining <= sum(top[n] for n in free):
        raise ValueError(f"{code}: a total of {total} cannot be spread over the items")
    rng = random.Random(f"{seed}:{code}:{total}")  # noqa: S311 - demo answers, not security
    scores = dict.fromkeys(free, 0)
    order = free[:]
    rng.shuffle(order)
    while remaining:
        for number in order:
            if remaining and scores[number] < top[number] and rng.random() < 0.7:
                scores[number] += 1
                remaining -= 1
    for _ in range(len(free)):
        give, take = rng.sample(free, 2)
        if scores[give] < top[give] and scores[take] > 0:
            scores[give] += 1
            scores[take] -= 1
    scores |= pinned
    positions: list[int | None] = []
    for item in instrument.items:
        positions.append([option.score for option in item.options].index(scores[item.number]))
    return positions


# -- Loading ----------------------------------------------------------------------------------


@dataclass
class Context:
    """The day and moment the outcomes demo stands at."""

    today: dt.date
    now: dt.datetime


def _schedules(teams: dict[str, Team], users: dict[str, User]) -> None:
    for team in teams.values():
        have = set(MeasureSchedule.objects.filter(team=team).values_list("instrument", "time_point"))
        actor = demo_actor(users["team_lead"], team)
        for entry in SCHEDULE:
            if (entry.instrument, entry.time_point) not in have:
                set_schedule(actor=actor, team=team, entry=entry)


def _session_on_or_after(episode: Episode, day: dt.date, default: dt.date) -> dt.date:
    """The first attended contact on or after `day` (the measures were done then), else `default`."""
    first = (
        Appointment.objects.filter(episode=episode, attendance__in=ATTENDED, starts_at__gte=at(day, 0, 0))
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localdate(first) if first is not None else default


def _last_session_by(episode: Episode, day: dt.date) -> dt.date:
    last = (
        Appointment.objects.filter(episode=episode, attendance__in=ATTENDED, starts_at__lt=at(day + dt.timedelta(1), 0))
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localdate(last) if last is not None else day


def time_points(episode: Episode, today: dt.date) -> dict[str, dt.date]:
    """The days the measures were done: at the first session, at the first session from week 12
    where the episode is that old (before any discharge), and at the last session before discharge."""
    opened = timezone.localdate(episode.opened_at)
    discharge = Discharge.objects.filter(episode=episode).order_by("-discharged_at").first()
    ended = timezone.localdate(discharge.discharged_at) if discharge is not None else None
    found: dict[str, dt.date] = {A: min(_session_on_or_after(episode, opened, opened + dt.timedelta(weeks=1)), today)}
    review_due = opened + dt.timedelta(weeks=REVIEW_WEEKS)
    if review_due <= today and (ended is None or review_due < ended):
        found[R] = min(_session_on_or_after(episode, review_due, review_due), ended or today, today)
    if ended is not None:
        found[TimePoint.DISCHARGE] = _last_session_by(episode, ended)
    return found


def _fits(code: str, infant: Infant | None, on: dt.date) -> bool:
    ages = instruments.get(code).infant_age_months
    if ages is None:
        return True
    if infant is None or infant.date_of_birth is None:
        return False
    age = age_in_months(infant.date_of_birth, on)
    return max(ages[0], INFANT_MONTHS[0]) <= age <= min(ages[1], INFANT_MONTHS[1])


def _whom(code: str, carer: Carer | None, infant: Infant | None) -> tuple[Carer | None, Infant | None]:
    about = instruments.get(code).about
    return (None if about == "infant" else carer), (None if about == "carer" else infant)


def _answers(spec: DemoMeasures, code: str, time_point: str, total: int) -> list[int | None]:
    fixed: dict[int, int] = {}
    for risk in spec.risks:
        if (risk.instrument, risk.time_point) == (code, time_point) and risk.item is not None:
            fixed[risk.item] = risk.score
    return answers_for(code, total, seed=f"{spec.reference}:{time_point}", fixed=fixed)


def _redate(administration: Administration, moment: dt.datetime) -> None:
    Administration.objects.filter(pk=administration.pk).update(created_at=moment)
    alerts = FamilyAlert.objects.filter(
        about_type=audit.object_type_of(Administration), about_id=str(administration.pk)
    )
    ids = [str(pk) for pk in alerts.values_list("pk", flat=True)]
    alerts.update(created_at=moment)
    Task.objects.filter(kind=TaskKind.RISK_ALERT, about_id__in=ids).update(created_at=moment)


def _act_on_alerts(ctx: Context, actor: Actor, administration: Administration, risk: Risk) -> None:
    """The practitioner records what was done, the same afternoon; a supervisor reviews a
    high-risk alert's action the next morning."""
    moment = min(at(administration.completed_on, 16, 30), ctx.now)
    reviewed = min(at(administration.completed_on + dt.timedelta(days=1), 9, 30), ctx.now)
    for alert in FamilyAlert.objects.active().filter(
        about_type=audit.object_type_of(Administration), about_id=str(administration.pk)
    ):
        closed = services.record_alert_action(
            actor=actor, alert=alert, action=risk.action, actions_done=list(risk.done), done_at=moment
        )
        FamilyAlert.objects.filter(pk=alert.pk).update(closed_at=moment)
        Task.objects.filter(kind=TaskKind.RISK_ALERT, about_id=str(alert.pk)).update(closed_at=moment)
        if closed.review_due_at is None or not risk.review:
            continue
        episode = Episode.objects.get(pk=administration.episode_id)
        reviewer = services.alert_reviewers(episode.team_id, besides=actor.user)[0]
        services.review_alert_action(
            actor=demo_actor(reviewer, episode.team), alert=closed, outcome="agree", comment=risk.review
        )
        FamilyAlert.objects.filter(pk=alert.pk).update(
            review_due_at=min(at(administration.completed_on + dt.timedelta(days=2), 16, 30), ctx.now),
            reviewed_at=reviewed,
        )
        Task.objects.filter(kind=TaskKind.REVIEW_RISK_ALERT, about_id=str(alert.pk)).update(
            created_at=moment, closed_at=reviewed
        )


def staff_measures(ctx: Context, spec: DemoMeasures, episode: Episode, lead: User) -> None:
    """Record the measures the lead entered at each time point the episode has reached."""
    actor = demo_actor(lead, episode.team)
    carer = episode.carers.order_by("-is_main_contact", "created_at").first()
    infant = episode.infants.order_by("date_of_birth").first()
    days = time_points(episode, ctx.today)
    columns = (A, R, TimePoint.DISCHARGE)
    for index, time_point in enumerate(columns):
        if time_point not in days:
            continue
        on = days[time_point]
        for measure in spec.totals:
            code, total = measure.instrument, measure.at(index)
            if total is None or (spec.parent == "completed" and time_point == A and code in PARENT_LINK_MEASURES):
                continue
            if not _fits(code, infant, on):
                continue
            whom_carer, whom_infant = _whom(code, carer, infant)
            administration = services.record_administration(
                actor=actor,
                episode=episode,
                instrument=code,
                answers=_answers(spec, code, time_point, total),
                time_point=time_point,
                completed_on=on,
                source=Source.STAFF,
                carer=whom_carer,
                infant=whom_infant,
            )
            _redate(administration, min(at(on, 15, 0), ctx.now))
            for risk in spec.risks:
                if (risk.instrument, risk.time_point) == (code, time_point) and risk.action:
                    _act_on_alerts(ctx, actor, administration, risk)


def _site_url() -> str:
    """The address the links are made on (the public address, when the service sets one, is
    used instead): the first host Attune answers to."""
    hosts = [h for h in settings.ALLOWED_HOSTS if h and not h.startswith((".", "*"))]
    return f"http://{(hosts or ['localhost'])[0]}"


def _parent_answers(spec: DemoMeasures, episode: Episode, lead: User) -> None:
    """The parent answered the assessment questionnaires on her phone today: not yet reviewed."""
    carer = episode.carers.order_by("-is_main_contact", "created_at").first()
    assert carer is not None
    wanted = {t.instrument: t.assessment for t in spec.totals if t.instrument in PARENT_LINK_MEASURES}
    link, _ = links.send_link(
        actor=demo_actor(lead, episode.team),
        episode=episode,
        carer=carer,
        instruments=list(wanted),
        time_point=A,
        site_url=_site_url(),
    )
    answers = {code: _answers(spec, code, A, total) for code, total in wanted.items() if total is not None}
    links.submit(link=link, answers_by_instrument=answers, actor=Actor.system(DEMO))


def _waiting_link(ctx: Context, episode: Episode, lead: User) -> None:
    """A link sent for the parent's own questionnaires, not answered yet. Sent again when the
    last one has expired or been withdrawn without an answer."""
    sent = QuestionnaireLink.objects.filter(episode=episode)
    if sent.usable(ctx.now).exists() or sent.filter(used_at__isnull=False).exists():
        return
    carer = episode.carers.order_by("-is_main_contact", "created_at").first()
    assert carer is not None
    links.send_link(
        actor=demo_actor(lead, episode.team),
        episode=episode,
        carer=carer,
        instruments=list(PARENT_LINK_MEASURES),
        time_point=A,
        site_url=_site_url(),
    )


@transaction.atomic
def load(*, teams: dict[str, Team], users: dict[str, User]) -> None:
    now = timezone.now()
    ctx = Context(today=timezone.localdate(now), now=now)
    _schedules(teams, users)
    leads = {spec.plan.reference: spec.lead for spec in demo_care.EPISODES}
    episodes = {
        e.referral.reference: e
        for e in Episode.objects.filter(referral__reference__in=leads).select_related("referral", "team", "family")
    }
    for spec in MEASURES:
        episode = episodes.get(spec.reference)
        if episode is None:
            continue
        lead = users[leads[spec.reference]]
        if not Administration.objects.filter(episode=episode).exists():
            staff_measures(ctx, spec, episode, lead)
            if spec.parent == "completed":
                _parent_answers(spec, episode, lead)
        if spec.parent == "waiting":
            _waiting_link(ctx, episode, lead)


def load_for_scenario() -> None:
    """Load the outcome measures onto the care demo `demo_care.load_for_scenario()` has loaded."""
    teams = {"hub": scenario.teams()[0], "satellite": scenario.teams()[1]}
    emails = {person.key: person.email for person in scenario.PEOPLE}
    users = {key: User.objects.get(email=email) for key, email in emails.items()}
    load(teams=teams, users=users)


# -- What was loaded --------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomesSummary:
    team: str
    measures: int
    open_alerts: int
    awaiting_review: int
    links_waiting: int


def summary(teams: Sequence[Team]) -> list[OutcomesSummary]:
    now = timezone.now()
    found = []
    for team in teams:
        recorded = Administration.objects.filter(episode__team=team)
        ids = [str(pk) for pk in recorded.values_list("pk", flat=True)]
        found.append(
            OutcomesSummary(
                team=team.name,
                measures=len(ids),
                open_alerts=FamilyAlert.objects.active()
                .filter(about_type=audit.object_type_of(Administration), about_id__in=ids)
                .count(),
                awaiting_review=recorded.awaiting_review().count(),
                links_waiting=QuestionnaireLink.objects.filter(episode__team=team).usable(now).count(),
            )
        )
    return found
