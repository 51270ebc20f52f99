"""The caseload's "Measures due" column, registered with care (OutcomesConfig.ready)."""

import datetime as dt
import uuid
from typing import Any

from attune.care.models import Episode
from attune.outcomes import due
from attune.outcomes import queries as outcome_queries
from attune.outcomes.presenters import progress as progress_presenters


def measures_due(episodes: list[Episode], today: dt.date) -> dict[uuid.UUID, dict[str, Any]]:
    """For the caseload's open episodes (already scoped by care): a cell for each with measures
    due or overdue. Three queries however many families."""
    found = outcome_queries.measures_of(episodes)
    return progress_presenters.caseload_cells(
        due.caseload_due(found.episodes, found.people, found.recorded, found.schedules, today=today)
    )
