"""Workbooks and CSV files for the import tests."""

import datetime as dt
from typing import Any

from django.utils import timezone

from attune.accounts.models import User
from attune.care.tests.factories import seed_interventions
from attune.care.tests.factories_waiting import capacity
from attune.nonprod import import_sample
from attune.organisations.models import Team


def ready_practitioner(team: Team, practitioner: User) -> User:
    """A practitioner the import may put families with: a caseload set in the team."""
    seed_interventions()
    capacity(team, practitioner, maximum="40")
    return practitioner


def rows(families: int, practitioner: User, **kwargs: Any) -> dict[str, list[dict[str, Any]]]:
    return import_sample.sample_rows(
        families=families, practitioners=[practitioner.email], today=timezone.localdate(), **kwargs
    )


def day(days_ago: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days_ago)).strftime("%d/%m/%Y")
