"""Workforce actions: each checks its rules and writes its audit event in one transaction.
Errors are WorkforceError with a message fit to show the person."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from attune.accounts.models import User
from attune.care.services import team_leads
from attune.core import audit
from attune.core.actors import Actor
from attune.core.formatting import date_long
from attune.core.models import TaskKind
from attune.core.tasks import raise_task
from attune.organisations.models import Membership, Team
from attune.organisations.roles import Capability, Role, roles_with
from attune.workforce import frameworks
from attune.workforce.models import (
    ActivityKind,
    Evidence,
    EvidenceKind,
    NonCaseloadActivity,
    Post,
    SignOff,
    TrainingPlan,
)

MIN_ATTENDEES, MAX_ATTENDEES = 1, 500
MIN_HOURS, MAX_HOURS = Decimal("0.25"), Decimal("40")
POST_WARNING = dt.timedelta(weeks=8)


class WorkforceError(Exception):
    """A change the rules do not allow; the message is fit to show the person."""


def _not_future(day: dt.date, what: str) -> None:
    if day > timezone.localdate():
        raise WorkforceError(f"{what} must be today or in the past")


# Training plans ---------------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *,
    actor: Actor,
    trainee: User,
    team: Team,
    programme: str,
    course_provider: str,
    started_on: dt.date,
    expected_qualification_on: dt.date,
    supervisor: User,
    framework_code: str = frameworks.DEMO,
) -> TrainingPlan:
    if not programme.strip() or not course_provider.strip():
        raise WorkforceError("Enter the programme and the course provider")
    if expected_qualification_on <= started_on:
        raise WorkforceError("Expected qualification date must be after the start date")
    if supervisor.pk == trainee.pk:
        raise WorkforceError("A trainee cannot be their own supervisor")
    try:
        frameworks.load(framework_code)
    except frameworks.FrameworkError as error:
        raise WorkforceError(str(error)) from None
    plan = TrainingPlan.objects.create(
        trainee=trainee,
        team=team,
        programme=programme.strip(),
        course_provider=course_provider.strip(),
        started_on=started_on,
        expected_qualification_on=expected_qualification_on,
        framework_code=framework_code,
        supervisor=supervisor,
    )
    audit.record(
        action="training_plan.created",
        actor=actor,
        obj=plan,
        detail={"trainee": str(trainee.pk), "framework": framework_code},
    )
    return plan


def _competency(plan: TrainingPlan, code: str) -> frameworks.Competency:
    competency = frameworks.load(plan.framework_code).competency(code)
    if competency is None:
        raise WorkforceError("Select a competency from the framework")
    return competency


@transaction.atomic
def add_evidence(
    *,
    actor: Actor,
    plan: TrainingPlan,
    competency_code: str,
    kind: EvidenceKind,
    dated_on: dt.date,
    description: str,
) -> Evidence:
    _competency(plan, competency_code)
    if not description.strip():
        raise WorkforceError("Enter a description of the evidence")
    _not_future(dated_on, "Date of the evidence")
    if dated_on < plan.started_on:
        raise WorkforceError(
            f"Date of the evidence must be on or after the start of training, {date_long(plan.started_on)}"
        )
    evidence = Evidence.objects.create(
        plan=plan,
        competency_code=competency_code,
        kind=kind,
        dated_on=dated_on,
        description=description.strip(),
        recorded_by=actor.person,
    )
    audit.record(
        action="training_plan.evidence_added",
        actor=actor,
        obj=plan,
        detail={"competency": competency_code, "kind": str(kind), "evidence": str(evidence.pk)},
    )
    return evidence


def may_sign_off(user: User, plan: TrainingPlan) -> bool:
    """The plan's supervisor, or anyone holding the supervisor role in the trainee's team now;
    never the trainee."""
    if user.pk == plan.trainee_id:
        return False
    if user.pk == plan.supervisor_id:
        return True
    return Membership.objects.active().filter(user=user, team_id=plan.team_id, role=Role.SUPERVISOR).exists()


def sign_off_competency(
    *,
    actor: Actor,
    plan: TrainingPlan,
    competency_code: str,
    signed_on: dt.date,
    comment: str,
) -> SignOff:
    """The refusal of someone who is not a supervisor is audited (outside the transaction, so
    the record stays)."""
    signer = actor.person
    competency = _competency(plan, competency_code)
    if not may_sign_off(signer, plan):
        audit.record(
            action="training_plan.sign_off_refused",
            actor=actor,
            obj=plan,
            outcome=audit.Outcome.DENIED,
            detail={"competency": competency_code},
        )
        raise WorkforceError("Only the trainee's supervisor can sign off a competency")
    return _sign_off(actor=actor, plan=plan, competency=competency, signed_on=signed_on, comment=comment, signer=signer)


@transaction.atomic
def _sign_off(
    *,
    actor: Actor,
    plan: TrainingPlan,
    competency: frameworks.Competency,
    signed_on: dt.date,
    comment: str,
    signer: User,
) -> SignOff:
    competency_code = competency.code
    if not comment.strip():
        raise WorkforceError("Enter a comment about the sign-off")
    _not_future(signed_on, "Date of sign-off")
    if signed_on < plan.started_on:
        raise WorkforceError(
            f"Date of sign-off must be on or after the start of training, {date_long(plan.started_on)}"
        )
    # Lock the plan so two supervisors signing at once cannot both succeed.
    TrainingPlan.objects.select_for_update().filter(pk=plan.pk).first()
    existing = SignOff.objects.filter(plan=plan, competency_code=competency_code).select_related("signed_by").first()
    if existing is not None:
        raise WorkforceError(
            f"{competency.title} was already signed off by {existing.signed_by.full_name} on {date_long(existing.signed_on)}"
        )
    try:
        with transaction.atomic():
            sign_off = SignOff.objects.create(
                plan=plan,
                competency_code=competency_code,
                signed_by=signer,
                signed_on=signed_on,
                comment=comment.strip(),
            )
    except IntegrityError:
        raise WorkforceError(f"{competency.title} has already been signed off") from None
    audit.record(
        action="training_plan.competency_signed_off",
        actor=actor,
        obj=plan,
        detail={"competency": competency_code, "sign_off": str(sign_off.pk)},
    )
    return sign_off


# Posts ------------------------------------------------------------------------------------------


@transaction.atomic
def set_post(
    *,
    actor: Actor,
    team: Team,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    funded_by: str,
    holder: User | None = None,
    post: Post | None = None,
) -> Post:
    """Create a post, or change one (same team) when `post` is given."""
    if not title.strip():
        raise WorkforceError("Enter the title of the post")
    if not funded_by.strip():
        raise WorkforceError("Enter who funds the post")
    if ends_on is not None and ends_on < starts_on:
        raise WorkforceError("End date must be the same as or after the start date")
    if post is None:
        post = Post.objects.create(
            team=team, title=title.strip(), holder=holder, starts_on=starts_on, ends_on=ends_on, funded_by=funded_by
        )
        action = "post.created"
    else:
        if post.team_id != team.pk:
            raise WorkforceError("This post belongs to another team")
        post.title, post.holder, post.starts_on, post.ends_on = title.strip(), holder, starts_on, ends_on
        post.funded_by = funded_by.strip()
        post.save()
        action = "post.changed"
    audit.record(
        action=action,
        actor=actor,
        obj=post,
        detail={"team": str(team.pk), "ends_on": ends_on.isoformat() if ends_on else ""},
    )
    return post


def posts_ending(today: dt.date) -> list[Post]:
    """Posts ending today or within the next 8 weeks."""
    return list(
        Post.objects.filter(ends_on__gte=today, ends_on__lte=today + POST_WARNING)
        .select_related("team__hub", "holder")
        .order_by("ends_on")
    )


def _leads_for(team: Team) -> list[User]:
    """The team's leads; a satellite without its own lead is led from its hub."""
    leads = team_leads(team)
    if not leads and team.hub is not None:
        leads = team_leads(team.hub)
    return leads


@transaction.atomic
def warn_posts_ending(today: dt.date | None = None) -> int:
    """Run daily (manage.py check_posts): each team lead gets one task per post ending within
    8 weeks. Raising again finds the open task, so running twice changes nothing. Returns how
    many posts are ending."""
    today = today or timezone.localdate()
    posts = posts_ending(today)
    for post in posts:
        assert post.ends_on is not None
        holder = f" ({post.holder.full_name})" if post.holder else ""
        for lead in _leads_for(post.team):
            raise_task(
                kind=TaskKind.POST_ENDING,
                assignee=lead,
                title=f"{post.title}{holder} in {post.team.name} ends on {date_long(post.ends_on)}: "
                "plan funding or an extension",
                about=post,
                facts={"team": str(post.team_id)},
                due_at=dt.datetime.combine(post.ends_on, dt.time(9), tzinfo=dt.UTC),
            )
    return len(posts)


# The wider workforce ------------------------------------------------------------------------------


@transaction.atomic
def record_activity(
    *,
    actor: Actor,
    team: Team,
    kind: ActivityKind,
    held_on: dt.date,
    audience: str,
    attendees: int,
    topic: str,
    hours: Decimal,
) -> NonCaseloadActivity:
    """Anyone who works with families in the team records consultation or training they gave
    themselves (they are its `recorded_by`): not only team leads."""
    works_there = (
        Membership.objects.active()
        .filter(user=actor.person, team=team, role__in=list(roles_with(Capability.WORK_WITH_FAMILIES)))
        .exists()
    )
    if not works_there:
        raise WorkforceError("You can only record consultation or training you gave for a team you work in")
    if not audience.strip():
        raise WorkforceError("Enter who the audience was")
    if not topic.strip():
        raise WorkforceError("Enter the topic")
    if not MIN_ATTENDEES <= attendees <= MAX_ATTENDEES:
        raise WorkforceError(f"Number of attendees must be between {MIN_ATTENDEES} and {MAX_ATTENDEES}")
    if not MIN_HOURS <= hours <= MAX_HOURS:
        raise WorkforceError("Hours must be between 0.25 and 40")
    _not_future(held_on, "Date")
    activity = NonCaseloadActivity.objects.create(
        team=team,
        kind=kind,
        held_on=held_on,
        audience=audience.strip(),
        attendees=attendees,
        topic=topic.strip(),
        hours=hours,
        recorded_by=actor.person,
    )
    audit.record(
        action="activity.recorded",
        actor=actor,
        obj=activity,
        detail={"team": str(team.pk), "kind": str(kind)},
    )
    return activity
