"""The cost table of a report: the period's staff cost of the teams set against what they did
(per referral, per family seen, per attended contact, per completed episode), and, in a report
for a funder, that funder's money for the period. At most 4 queries whatever the data size.

Money is not about a person and is never suppressed; the counts it is divided by are (the
"Cost each" column is worked out from the shown, rounded count: attune/reports/tables.py).
"""

import uuid

from attune.commissioning import queries
from attune.organisations.models import Organisation
from attune.reports.tables import Column, Figure, Fixed, Kind, Note, ReportScope, Row, Table

NONE_RECORDED = "None recorded"
COLUMNS = (
    Column("cost", "Staff cost", Kind.MONEY),
    Column("number", "Number", Kind.COUNT, additive=False),
    Column("each", "Cost each", Kind.COST_PER, numerator="cost", denominator="number"),
)


def cost_section(
    scope: ReportScope, *, referrals: int, families_seen: int, attended_contacts: int, completed_episodes: int
) -> Table:
    staff = queries.staff_cost_detail(scope.team_ids, scope.start, scope.end)
    rows: list[Row] = []
    if scope.funder_id is not None:
        funder_id = uuid.UUID(str(scope.funder_id))
        funder = Organisation.objects.filter(pk=funder_id).values_list("name", flat=True).first() or "the funder"
        funding = queries.funding_recorded(funder_id, scope.team_ids, scope.start, scope.end)
        # No agreement is not an agreement worth nothing: say so rather than print £0.00.
        rows.append(
            Row(
                f"Funding from {funder} for the period",
                {"cost": funding, "number": None},
                blank={"cost": NONE_RECORDED},
            )
        )
    for label, count in (
        ("Per referral received", referrals),
        ("Per family seen", families_seen),
        ("Per attended contact", attended_contacts),
        ("Per completed episode", completed_episodes),
    ):
        rows.append(Row(label, {"cost": staff.cost, "number": count}))
    notes = [
        Note(
            "Staff cost is each post's annual cost (salary plus on-costs) divided by {days} for every day of "
            "the period the post is in place, at the cost in force on that day.",
            {"days": Fixed("365")},
        )
    ]
    if staff.uncosted_posts:
        # A post is usually one person, so its counts are shown by the rule like any other; and
        # the words do not agree with the count ("has" would give a hidden 1 away).
        notes.append(
            Note(
                "Posts in the period with no recorded cost for some or all of it: {uncosted} of {posts}. Those "
                "days count as {nothing}, so the staff cost is understated.",
                {"uncosted": Figure(staff.uncosted_posts), "posts": Figure(staff.posts), "nothing": Fixed("£0")},
            )
        )
    if scope.funder_id is not None:
        notes.append(
            Note("Funding is each agreement's amount pro rata by the days of the agreement that fall in the period.")
        )
    return Table(
        key="costs",
        title="Cost",
        columns=COLUMNS,
        rows=tuple(rows),
        total=None,
        description="The staff cost of the teams over the period, divided by what the teams did in it.",
        notes=tuple(notes),
    )
