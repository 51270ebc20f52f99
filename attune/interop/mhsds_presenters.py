"""What the MHSDS page shows: the count of rows per table, what was not submitted and why, and each
finding as a table row with a link to where it is mended."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from attune.core.rows import TableRow
from attune.interop.mhsds_extract import Extract
from attune.interop.mhsds_rules import ERROR, Finding, Validation

# A month with thousands of findings has one cause repeated: the first of them show it.
FINDINGS_SHOWN = 300

SOURCE_URLS = {
    "appointment": ("care:appointment", "appointment_id"),
    "episode": ("care:episode", "episode_id"),
    "referral": ("referrals:referral", "referral_id"),
    "family": ("families:family", "family_id"),
}
SOURCE_WORDS = {
    "appointment": "Open the appointment",
    "episode": "Open the episode",
    "referral": "Open the referral",
    "family": "Open the family",
}


def breakable(name: str) -> SafeString:
    """A long item or table name ("MHS606CodedScoreAssessmentRefer") with places to break
    between its words, so it wraps on a narrow screen instead of widening the table."""
    parts = re.split(r"(?<=[a-z0-9])(?=[A-Z])|(?<=_)", name)
    return mark_safe("<wbr>".join(str(conditional_escape(part)) for part in parts))  # noqa: S308 (each part escaped)


def _link(finding: Finding) -> str:
    if finding.source is None or finding.source.kind not in SOURCE_URLS:
        return ""
    name, param = SOURCE_URLS[finding.source.kind]
    return reverse(name, kwargs={param: finding.source.pk})


def finding_row(finding: Finding) -> TableRow:
    colour, word = ("red", "Error") if finding.severity == ERROR else ("yellow", "Warning")
    severity = format_html('<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', colour, word)
    href = _link(finding)
    mend = (
        format_html(
            '{} <a href="{}">{}<span class="nhsuk-u-visually-hidden"> for row {} of {}</span></a>',
            finding.mend,
            href,
            SOURCE_WORDS[finding.source.kind],  # type: ignore[union-attr]
            finding.row,
            finding.table,
        )
        if href
        else finding.mend
    )
    table = breakable(finding.table)
    where = (
        format_html('{}, row {}<br><span class="nhsuk-body-s">{}</span>', table, finding.row, finding.record_id)
        if finding.row
        else format_html("{}, all rows", table)
    )
    return [
        {"html": severity},
        {"html": where},
        {"html": breakable(finding.item)},
        {"text": finding.rule},
        {"html": mend},
    ]


FINDING_HEAD = [
    {"text": "Severity"},
    {"text": "Where"},
    {"text": "Item"},
    {"text": "Rule"},
    {"text": "How to mend it"},
]
COUNT_HEAD = [{"text": "Table"}, {"text": "Rows", "format": "numeric"}]


@dataclass(frozen=True)
class Report:
    heading: str
    errors: int
    warnings: int
    counts: list[TableRow]
    notes: list[str]
    findings: list[TableRow]
    more_findings: int
    download_url: str

    @property
    def passed(self) -> bool:
        return self.errors == 0


def report(
    *, team_name: str, team_id: str, month_key: str, month_label: str, extract: Extract, validation: Validation
) -> Report:
    shown = validation.findings[:FINDINGS_SHOWN]
    query = urlencode({"team": team_id, "month": month_key})
    return Report(
        heading=f"{team_name}: {month_label}",
        errors=len(validation.errors),
        warnings=len(validation.warnings),
        counts=[
            [{"html": breakable(name)}, {"text": f"{count:,}", "format": "numeric"}] for name, count in extract.counts()
        ],
        notes=list(extract.notes),
        findings=[finding_row(f) for f in shown],
        more_findings=len(validation.findings) - len(shown),
        download_url=f"{reverse('interop:mhsds_download')}?{query}",
    )


def file_name(extract: Extract) -> str:
    sub = extract.submission
    return f"MHSDS_{sub.provider_code}_{sub.month_start:%Y-%m}.zip"
