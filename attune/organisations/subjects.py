"""Audit subjects owned by this app: teams and staff accounts."""

from attune.core import subjects
from attune.core.subjects import valid_uuids as _valid


def _teams(ids: list[str]) -> dict[str, subjects.Subject]:
    from attune.organisations.models import Team

    return {
        str(team.pk): subjects.Subject(label=team.name, kind="Team", owners=frozenset({str(team.service.provider_id)}))
        for team in Team.objects.filter(pk__in=_valid(ids)).select_related("service")
    }


def _users(ids: list[str]) -> dict[str, subjects.Subject]:
    from attune.accounts.models import User
    from attune.organisations.models import Membership

    owners: dict[str, set[str]] = {}
    memberships = Membership.objects.filter(user_id__in=_valid(ids)).select_related("team__service")
    for m in memberships:
        org = m.team.service.provider_id if m.team else m.organisation_id
        owners.setdefault(str(m.user_id), set()).add(str(org))
    return {
        str(user.pk): subjects.Subject(
            label=user.full_name, kind="Staff account", owners=frozenset(owners.get(str(user.pk), set()))
        )
        for user in User.objects.filter(pk__in=_valid(ids))
    }


def register() -> None:
    subjects.register("organisations.team", _teams)
    subjects.register("accounts.user", _users)
