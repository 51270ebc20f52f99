"""What a risk alert's page needs besides the alert and its measure (fetched through the scope):
who in the episode's team may be named as having taken the action, and who has been asked to
review it. A fixed number of queries."""

import uuid

from django.utils import timezone

from attune.accounts.models import User
from attune.core.models import Task, TaskKind
from attune.families.models import FamilyAlert
from attune.organisations.models import Membership
from attune.organisations.roles import Capability, roles_with


def people_who_may_act(team_id: uuid.UUID, current: User) -> list[User]:
    """The team's staff who work with families, by name, the signed-in person first."""
    memberships = (
        Membership.objects.active(timezone.localdate())
        .filter(team_id=team_id, role__in=roles_with(Capability.WORK_WITH_FAMILIES), user__is_active=True)
        .select_related("user")
    )
    people = {m.user.pk: m.user for m in memberships}
    people.pop(current.pk, None)
    return [current, *sorted(people.values(), key=lambda person: (person.full_name.casefold(), str(person.pk)))]


def reviewers_asked(alert: FamilyAlert) -> list[User]:
    """Who holds an open task to review the action taken on this alert."""
    tasks = (
        Task.objects.open()
        .filter(kind=TaskKind.REVIEW_RISK_ALERT, about_type="families.familyalert", about_id=str(alert.pk))
        .select_related("assignee")
        .order_by("created_at", "pk")
    )
    return [task.assignee for task in tasks]
