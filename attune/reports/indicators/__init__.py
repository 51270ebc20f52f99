"""Every number in the report, computed from the database as exact figures (a `Report`).

`build_report(scope)` runs each section in turn; each section module reads the database with a
fixed number of aggregate or values_list queries, whatever the size of the data. Suppression for
sharing happens later (attune/reports/suppression.py), never here.
"""

import datetime as dt
from dataclasses import replace

from django.utils import timezone

from attune.core.formatting import date_long
from attune.reports.indicators import (
    agreement,
    caseload,
    contacts,
    episodes,
    equity,
    outcomes,
    referrals,
    risk,
    supervision,
    training,
)
from attune.reports.indicators.common import Context
from attune.reports.indicators.costs import cost_section
from attune.reports.tables import Fixed, Note, Report, ReportScope, Section

SECTIONS = (referrals, caseload, contacts, episodes, outcomes, risk, supervision, training, equity)
# What a funder asks of one agreement: families referred, seen and finished with, their outcomes,
# and the consultation and training given (issue 20).
AGREEMENT_SECTIONS = (referrals, contacts, episodes, outcomes, training)


def build_report(scope: ReportScope, *, today: dt.date | None = None) -> Report:
    """The report for a scope. `today` fixes "as at" measures (defaults to today, Europe/London)."""
    today = today or timezone.localdate()
    notes: list[Note] = []
    if scope.start <= today < scope.end:
        # Nothing has happened after today, but posts already cost money for every day they
        # run: count the period only to today, so costs and counts cover the same days.
        scope = replace(scope, end=today)
        notes.append(Note("This period has not ended: the figures run to {day}.", {"day": Fixed(date_long(today))}))
    context = Context(scope=scope, today=today)
    sections: list[Section] = []
    for module in AGREEMENT_SECTIONS if scope.agreement_id is not None else SECTIONS:
        section, section_notes = module.section(context)
        sections.append(section)
        notes.extend(section_notes)
    if scope.agreement_id is not None:
        # A funder's return: the agreement's own posts, spend and cost each, not the teams' costs.
        more, more_notes = agreement.sections(context)
        sections.extend(more)
        notes.extend(more_notes)
        return Report(scope=scope, sections=tuple(sections), notes=tuple(notes))
    # The staff cost set against this report's own counts, so the two can never disagree.
    costs = cost_section(
        scope,
        referrals=context.counts["referrals"],
        families_seen=context.counts["families_seen"],
        attended_contacts=context.counts["attended_contacts"],
        completed_episodes=context.counts["completed_episodes"],
    )
    sections.append(Section("costs", "Cost", (costs,)))
    return Report(scope=scope, sections=tuple(sections), notes=tuple(notes))
