"""Recently viewed: the families a person opened last, from their own audit events naming a
family (ADR 0015, "Access audit names the family"), for their home page.

Three queries whatever the size of the audit log: the person's latest events naming a family
(at most SCANNED, newest first, through the (actor, -occurred_at) index), which of those families
they may still see (the families scope: a family moved to another team drops out), and the
names of the few shown (babies and carers in one UNION, as the banner reads flags and alerts)."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import BooleanField, CharField, DateField, Value

from attune.core.formatting import date_long, local_day, time_short
from attune.core.models import AuditEvent, Outcome
from attune.families import scope as family_scope
from attune.families.models import Carer, Infant
from attune.families.naming import title_of
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope

SHOWN = 10
# The person's latest events scanned for families: enough for ten families on a busy day, and a
# bound on the work however long the person has used Attune.
SCANNED = 200
# Events naming a family the person did not choose to open: a family discussed in a
# supervision session they attended.
NOT_OPENED = ("supervision.discussion_viewed",)


@dataclass(frozen=True)
class Recent:
    family_id: uuid.UUID
    name: str
    opened_at: datetime


def latest_first(events: list[tuple[uuid.UUID, datetime]]) -> list[tuple[uuid.UUID, datetime]]:
    """Each family once, at the newest time it was opened, newest first (`events` newest first)."""
    seen: dict[uuid.UUID, datetime] = {}
    for family_id, at in events:
        seen.setdefault(family_id, at)
    return list(seen.items())


def opened_words(at: datetime, today: date) -> str:
    """'Opened today at 10:42am', 'Opened yesterday at 4:05pm', 'Opened 3 March 2026'."""
    day = local_day(at)
    if day == today:
        return f"Opened today at {time_short(at)}"
    if (today - day).days == 1:
        return f"Opened yesterday at {time_short(at)}"
    return f"Opened {date_long(day)}"


def recently_viewed(scope: Scope, *, shown: int = SHOWN, scanned: int = SCANNED) -> list[Recent]:
    """The last `shown` distinct families this person opened that they may still see, newest
    first. Empty for anyone who works with no families (a commissioner never sees a person)."""
    if not scope.team_ids(Capability.WORK_WITH_FAMILIES):
        return []
    events = (
        AuditEvent.objects.filter(actor=scope.user, family_id__isnull=False, outcome=Outcome.SUCCESS)
        .exclude(action__in=NOT_OPENED)
        # The order of the (actor, -occurred_at) index, so the scan stops at `scanned` rows.
        .order_by("-occurred_at")
        .values_list("family_id", "occurred_at")[:scanned]
    )
    opened = latest_first([(family_id, at) for family_id, at in events if family_id is not None])
    if not opened:
        return []
    # A merged record is not shown: its page sends the reader to the kept one, which appears
    # when they open it.
    visible = set(
        family_scope.families(scope)
        .filter(pk__in=[family_id for family_id, _ in opened], merged_into__isnull=True)
        .values_list("pk", flat=True)
    )
    chosen = [(family_id, at) for family_id, at in opened if family_id in visible][:shown]
    names = _names([family_id for family_id, _ in chosen])
    return [Recent(family_id, names.get(family_id, "Family record"), at) for family_id, at in chosen]


def _names(family_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """'Family of Ava Smith' for each family, from its babies and carers read in ONE query."""
    if not family_ids:
        return {}
    text: CharField[str, str] = CharField()
    day: DateField[date | None, date | None] = DateField()
    flag: BooleanField[bool, bool] = BooleanField()
    infants = (
        Infant.objects.filter(family_id__in=family_ids)
        .annotate(row=Value("infant", output_field=text), main=Value(False, output_field=flag))
        .values_list(
            "row", "family_id", "given_name", "family_name", "date_of_birth", "expected_due_date", "main", "created_at"
        )
        .order_by()
    )
    carers = (
        Carer.objects.filter(family_id__in=family_ids)
        .annotate(row=Value("carer", output_field=text), no_due=Value(None, output_field=day))
        .values_list(
            "row", "family_id", "given_name", "family_name", "date_of_birth", "no_due", "is_main_contact", "created_at"
        )
        .order_by()
    )
    babies: dict[uuid.UUID, list[Infant]] = {pk: [] for pk in family_ids}
    parents: dict[uuid.UUID, list[Carer]] = {pk: [] for pk in family_ids}
    for row, family_id, given, family_name, born, due, main, _ in infants.union(carers, all=True).order_by(
        "created_at"
    ):
        if row == "infant":
            babies[family_id].append(
                Infant(given_name=given, family_name=family_name, date_of_birth=born, expected_due_date=due)
            )
        else:
            parents[family_id].append(Carer(given_name=given, family_name=family_name, is_main_contact=main))
    return {pk: title_of(babies[pk], parents[pk]) for pk in family_ids}
