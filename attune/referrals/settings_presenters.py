"""What the team settings pages show: the rules in force today, the changes to come and past,
and the team's postcodes. No database: the view hands in what it fetched."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse

from attune.core.formatting import date_long
from attune.core.rows import SummaryRow, TableRow
from attune.organisations.models import Organisation, Team
from attune.referrals import dated, first_contact
from attune.referrals.models import (
    DEFAULT_FIRST_CONTACT_TARGETS,
    DEFAULT_MAX_WEIGHTED_CASELOAD,
    DEFAULT_TRIAGE_TARGET,
    SINCE_THE_START,
    EligibilityRules,
)


def _days(n: int) -> str:
    return f"{n} working day" if n == 1 else f"{n} working days"


def _row(key: str, value: str, href: str = "", hidden: str = "") -> SummaryRow:
    row: dict[str, Any] = {"key": {"text": key}, "value": {"text": value}}
    if href:
        row["actions"] = {"items": [{"href": href, "text": "Change", "visuallyHiddenText": hidden or key.lower()}]}
    return row


def first_contact_words(targets: first_contact.PriorityTargets) -> str:
    """'Urgent 5, soon 10, routine 20 working days'"""
    return f"Urgent {targets.urgent}, soon {targets.soon}, routine {targets.routine} working days"


def _since(day: date) -> str:
    return "From the start" if day <= SINCE_THE_START else f"From {date_long(day)}"


@dataclass(frozen=True)
class SettingsPage:
    team: Team
    rows: list[EligibilityRules]  # oldest first, areas prefetched
    postcodes: dict[str, Organisation]
    today: date

    @property
    def now(self) -> EligibilityRules | None:
        return dated.in_force(((r.effective_from, r) for r in self.rows), self.today)

    @property
    def rules_url(self) -> str:
        return reverse("referrals:team_rules", args=[self.team.pk])

    @property
    def catchment_url(self) -> str:
        return reverse("referrals:team_catchment", args=[self.team.pk])

    def _areas(self, rules: EligibilityRules | None) -> str:
        if rules is None:
            area = self.team.local_authority
            return area.name if area is not None else "Not set"
        names = sorted(area.name for area in rules.areas.all())
        return ", ".join(names) if names else "Any area"

    def catchment_rows(self) -> list[SummaryRow]:
        postcodes = ", ".join(sorted(self.postcodes)) or "None placed"
        return [
            _row("Council areas", self._areas(self.now), self.catchment_url, "council areas"),
            _row("Postcode districts and sectors", postcodes, self.catchment_url, "postcode districts and sectors"),
        ]

    def eligibility_rows(self) -> list[SummaryRow]:
        rules = self.now
        upper = rules.max_age_years if rules else 5
        unborn = rules.accepts_unborn if rules else True
        week = rules.antenatal_from_week if rules else None
        pregnancy = "No" if not unborn else (f"Yes, from week {week}" if week else "Yes, at any time")
        return [
            _row("Upper age", f"Up to their {_ordinal(upper)} birthday", self.rules_url, "upper age"),
            _row("Referrals in pregnancy", pregnancy, self.rules_url, "referrals in pregnancy"),
        ]

    def target_rows(self) -> list[SummaryRow]:
        rules = self.now
        triage = rules.triage_target_working_days if rules else DEFAULT_TRIAGE_TARGET
        first = rules.first_contact_targets if rules else DEFAULT_FIRST_CONTACT_TARGETS
        caseload = rules.default_max_weighted_caseload if rules else DEFAULT_MAX_WEIGHTED_CASELOAD
        return [
            _row("Triage target", _days(triage), self.rules_url, "triage target"),
            _row("First contact target", _days(first.routine), self.rules_url, "first contact target"),
            _row(
                "First contact target for urgent referrals",
                _days(first.urgent),
                self.rules_url,
                "first contact target for urgent referrals",
            ),
            _row(
                "First contact target for soon referrals",
                _days(first.soon),
                self.rules_url,
                "first contact target for soon referrals",
            ),
            _row("Default maximum weighted caseload", f"{caseload.normalize():f}", self.rules_url, "caseload default"),
        ]

    def history_rows(self) -> list[TableRow]:
        """Each version of the rules, newest first, with when it applies."""
        rows: list[TableRow] = []
        for rules in reversed(self.rows):
            state = "Future" if rules.effective_from > self.today else ("In force" if rules is self.now else "Past")
            rows.append(
                [
                    {"text": _since(rules.effective_from)},
                    {"text": state},
                    {"text": _days(rules.triage_target_working_days)},
                    {"text": first_contact_words(rules.first_contact_targets)},
                    {"text": f"Up to {_ordinal(rules.max_age_years)} birthday"},
                    {"text": self._areas(rules)},
                ]
            )
        return rows


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rules_initial(rules: EligibilityRules | None, today: date) -> dict[str, Any]:
    """The form starts from the rules in force today."""
    if rules is None:
        return {
            "max_age_years": "5",
            "accepts_unborn": "yes",
            "triage_target_working_days": str(DEFAULT_TRIAGE_TARGET),
            "first_contact_target_working_days": str(DEFAULT_FIRST_CONTACT_TARGETS.routine),
            "urgent_first_contact_target_working_days": str(DEFAULT_FIRST_CONTACT_TARGETS.urgent),
            "soon_first_contact_target_working_days": str(DEFAULT_FIRST_CONTACT_TARGETS.soon),
            "default_max_weighted_caseload": f"{DEFAULT_MAX_WEIGHTED_CASELOAD.normalize():f}",
            "effective_from": today,
        }
    return {
        "max_age_years": str(rules.max_age_years),
        "accepts_unborn": "yes" if rules.accepts_unborn else "no",
        "antenatal_from_week": str(rules.antenatal_from_week or ""),
        "triage_target_working_days": str(rules.triage_target_working_days),
        "first_contact_target_working_days": str(rules.first_contact_target_working_days),
        "urgent_first_contact_target_working_days": str(rules.urgent_first_contact_target_working_days),
        "soon_first_contact_target_working_days": str(rules.soon_first_contact_target_working_days),
        "default_max_weighted_caseload": f"{rules.default_max_weighted_caseload.normalize():f}",
        "effective_from": today,
    }
