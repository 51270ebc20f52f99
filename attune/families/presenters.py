"""What the family pages (and the referral pages about a family) show, built from models without
touching the database: dates, ages, NHS numbers, tags and summary-list rows."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from attune.core import clocks
from attune.core.formatting import date_long, datetime_long, nhs_number, plural
from attune.core.rows import Cell, SummaryRow, TableRow
from attune.families import matching
from attune.families.codes import ContactPreference
from attune.families.duplicates import Candidate
from attune.families.models import Carer, Family, FamilyAlert, FamilyMerge, Infant, SafeguardingFlag
from attune.families.naming import family_title
from attune.families.people import details

# Between lines in one table cell or summary-list value.
BR = mark_safe("<br>")


@dataclass(frozen=True)
class RecordSection:
    """A table of records another app keeps about the family (its referrals, later its episodes),
    shown on the family page without this app importing the other."""

    heading: str
    caption: str
    head: list[dict[str, str]]
    rows: list[list[dict[str, Any]]]
    empty: str
    links: list[dict[str, str]] = field(default_factory=list)


def tag(text: str, colour: str) -> dict[str, str]:
    return {"text": text, "classes": f"nhsuk-tag--{colour}"}


def tag_html(text: str, colour: str) -> str:
    return format_html('<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', colour, text)


# People --------------------------------------------------------------------------------------


def age(born: date, today: date) -> str:
    """'5 days', '3 weeks', '7 months', '2 years, 3 months': how staff speak of a baby's age."""
    days = (today - born).days
    if days < 14:
        return plural(max(days, 0), "day", "days")
    months = clocks.age_in_months(born, today)
    if months < 1:
        return plural(days // 7, "week", "weeks")
    if months < 24:
        return plural(months, "month", "months")
    years, rest = divmod(months, 12)
    return plural(years, "year", "years") + (f", {plural(rest, 'month', 'months')}" if rest else "")


def baby_age(infant: Infant, today: date) -> str:
    """'7 months' for a born baby, 'Due 14 February 2027' for an unborn one."""
    if infant.date_of_birth is not None:
        return age(infant.date_of_birth, today)
    return f"Due {date_long(infant.expected_due_date)}"


def in_first_1001_days(infant: Infant, today: date) -> bool:
    return clocks.first_1001_days(born=infant.date_of_birth, due=infant.expected_due_date).includes(today)


def nhs_number_text(person: Infant | Carer) -> str:
    """'943 476 5919 (Number present but not traced)', or the status alone when there is no number."""
    status = person.get_nhs_number_status_display()
    if person.nhs_number:
        return f"{nhs_number(person.nhs_number)} ({status})"
    return f"Not known ({status})"


def youngest(infants: list[Infant]) -> Infant | None:
    """The baby a referral is most likely about: the youngest (an unborn baby first)."""
    return max(infants, key=lambda i: i.key_date(), default=None)


def former_name_rows(person: Infant | Carer) -> list[SummaryRow]:
    """The names a person went by before one was changed (search still finds them by these)."""
    if not person.former_names:
        return []
    return [{"key": {"text": "Former names"}, "value": {"text": ", ".join(person.former_names)}}]


def infant_rows(infant: Infant, today: date) -> list[SummaryRow]:
    rows: list[SummaryRow] = [{"key": {"text": "Name"}, "value": {"text": infant.display_name}}]
    rows += former_name_rows(infant)
    if infant.date_of_birth is not None:
        rows.append(
            {
                "key": {"text": "Date of birth"},
                "value": {"text": f"{date_long(infant.date_of_birth)} ({age(infant.date_of_birth, today)})"},
            }
        )
    if infant.expected_due_date is not None:
        rows.append({"key": {"text": "Due date"}, "value": {"text": date_long(infant.expected_due_date)}})
    rows.append({"key": {"text": "NHS number"}, "value": {"text": nhs_number_text(infant)}})
    return rows


def safe_contact_html(carer: Carer) -> str:
    """Safe-contact instructions, highlighted: staff must see them before they phone or write."""
    warnings = []
    if carer.phone and not carer.phone_is_safe:
        warnings.append("Do not use this phone number: it is not safe")
    if carer.email and not carer.email_is_safe:
        warnings.append("Do not use this email address: it is not safe")
    if carer.contact_preference == ContactPreference.NONE:
        warnings.append("Do not contact directly")
    if carer.safe_contact_note:
        warnings.append(carer.safe_contact_note)
    if not warnings:
        return ""
    return format_html(
        '<div class="nhsuk-inset-text nhsuk-u-margin-top-0 nhsuk-u-margin-bottom-0">'
        '<span class="nhsuk-u-visually-hidden">Information: </span>{}</div>',
        format_html_join("", "<p><strong>{}</strong></p>", ((w,) for w in warnings)),
    )


def _contact(value: str, safe: bool) -> Cell:
    if not value:
        return {"text": "Not given"}
    if safe:
        return {"text": value}
    return {"html": format_html("{} {}", value, tag_html("Not safe to use", "red"))}


def carer_rows(carer: Carer) -> list[SummaryRow]:
    name = f"{carer.full_name} ({carer.get_relationship_display().lower()})"
    if carer.is_main_contact:
        name += ", main contact"
    rows: list[SummaryRow] = [
        {"key": {"text": "Name"}, "value": {"text": name}},
        *former_name_rows(carer),
        {"key": {"text": "Parental responsibility"}, "value": {"text": carer.get_parental_responsibility_display()}},
    ]
    if carer.date_of_birth is not None:
        rows.append({"key": {"text": "Date of birth"}, "value": {"text": date_long(carer.date_of_birth)}})
    rows += [
        {"key": {"text": "NHS number"}, "value": {"text": nhs_number_text(carer)}},
        {"key": {"text": "Phone"}, "value": _contact(carer.phone, carer.phone_is_safe)},
        {"key": {"text": "Email"}, "value": _contact(carer.email, carer.email_is_safe)},
        {"key": {"text": "How to contact"}, "value": {"text": carer.get_contact_preference_display()}},
    ]
    safe = safe_contact_html(carer)
    if safe:
        rows.append({"key": {"text": "Safe contact"}, "value": {"html": safe}})
    return rows + language_rows(carer)


NEVER_FAMILY = "Use a professional interpreter, never a family member, friend or child."


def language_text(carer: Carer) -> str:
    """'Polish, Silesian dialect', or 'Not recorded'."""
    if not carer.spoken_language:
        return "Not recorded"
    return carer.spoken_language + (f", {carer.dialect} dialect" if carer.dialect else "")


def language_rows(carer: Carer) -> list[SummaryRow]:
    """Spoken and written language and interpreter need, with a link to change them."""
    change = {
        "items": [
            {
                "href": reverse("families:carer_language", args=[carer.family_id, carer.pk]),
                "text": "Change",
                "visuallyHiddenText": f"language for {carer.full_name or 'this carer'}",
            }
        ]
    }
    rows: list[SummaryRow] = [{"key": {"text": "Language"}, "value": {"text": language_text(carer)}, "actions": change}]
    if carer.written_language and carer.written_language != carer.spoken_language:
        rows.append({"key": {"text": "Written language"}, "value": {"text": carer.written_language}})
    if carer.interpreter_needed:
        interpreter = format_html("{} {}", tag_html("Needs an interpreter", "orange"), NEVER_FAMILY)
    else:
        interpreter = format_html("{}", "Not needed" if carer.spoken_language else "Not recorded")
    rows.append({"key": {"text": "Interpreter"}, "value": {"html": interpreter}})
    if carer.language_note:
        rows.append({"key": {"text": "Language notes"}, "value": {"text": carer.language_note}})
    return rows


def household_rows(family: Family) -> list[SummaryRow]:
    language = family.language or "Not given"
    if family.interpreter_needed:
        language += ": needs an interpreter"
    address = format_html_join(
        "",
        "{}<br>",
        ((part,) for part in [family.address_line_1, family.address_line_2, family.town] if part),
    ) + format_html("{}", family.postcode or "")
    return [
        {"key": {"text": "Address"}, "value": {"html": address or "Not given"}},
        {
            "key": {"text": "Council area"},
            "value": {"text": family.local_authority.name if family.local_authority else "Not known"},
        },
        {"key": {"text": "Language (from the referral)"}, "value": {"text": language}},
        {"key": {"text": "GP practice"}, "value": {"text": family.gp_practice or "Not given"}},
    ]


# Safeguarding ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertLink:
    """One active risk alert on the banner, linking to the page where its action is recorded."""

    message: str
    url: str
    raised: str


@dataclass(frozen=True)
class Banner:
    """What the family banner shows: a line per active safeguarding flag, and each active risk
    alert (a questionnaire answer that crossed a risk rule) until its action is recorded."""

    flags: list[str]
    alerts: list[AlertLink] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.flags or self.alerts)


def flag_lines(flags: list[SafeguardingFlag]) -> list[str]:
    """One line per active flag for the safeguarding banner."""
    return [f"{flag.get_kind_display()}: {flag.detail}" if flag.detail else flag.get_kind_display() for flag in flags]


def banner_items(flags: list[SafeguardingFlag], alerts: list[FamilyAlert] | None = None) -> Banner:
    """The banner: every active flag and every active risk alert (pass both; every page that shows
    a family shows its alerts too)."""
    return Banner(
        flags=flag_lines(flags),
        alerts=[
            AlertLink(message=alert.message, url=alert.url, raised=f"Raised {datetime_long(alert.created_at)}")
            for alert in alerts or []
        ],
    )


def _raised(flag: SafeguardingFlag) -> str:
    by = flag.raised_by.full_name if flag.raised_by else (flag.source or "Not recorded")
    return f"{datetime_long(flag.created_at)}, {by}"


def active_flag_rows(family: Family, flags: list[SafeguardingFlag]) -> list[TableRow]:
    rows: list[TableRow] = []
    for flag in flags:
        href = reverse("families:remove_flag", args=[family.pk, flag.pk])
        rows.append(
            [
                {"text": flag.get_kind_display()},
                {"text": flag.detail or "None given"},
                {"text": _raised(flag)},
                {
                    "html": format_html(
                        '<a href="{}">Remove<span class="nhsuk-u-visually-hidden"> {}</span></a>',
                        href,
                        flag.get_kind_display().lower(),
                    )
                },
            ]
        )
    return rows


def removed_flag_rows(flags: list[SafeguardingFlag]) -> list[TableRow]:
    return [
        [
            {"text": flag.get_kind_display()},
            {"text": _raised(flag)},
            {
                "text": f"{datetime_long(flag.removed_at)}, "
                f"{flag.removed_by.full_name if flag.removed_by else 'Not recorded'}"
            },
            {"text": flag.removed_reason},
        ]
        for flag in flags
    ]


# Merges ---------------------------------------------------------------------------------------


# What a merge moved, named as staff would say it; other apps' records by their verbose names.
NOUNS = {
    "families.infant": ("baby or child", "babies or children"),
    "families.carer": ("parent or carer", "parents or carers"),
    "families.safeguardingflag": ("safeguarding flag", "safeguarding flags"),
}


def _nouns(label: str) -> tuple[str, str]:
    if label in NOUNS:
        return NOUNS[label]
    try:
        meta = apps.get_model(label)._meta
    except (LookupError, ValueError):
        return (label, label)
    return (str(meta.verbose_name), str(meta.verbose_name_plural))


def moved_summary(moved: dict[str, list[str]]) -> str:
    """'1 referral and 1 parent or carer': what a merge moved, in words."""
    parts = [plural(len(ids), *_nouns(label)) for label, ids in sorted(moved.items()) if ids]
    if not parts:
        return "Nothing"
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def details_taken_summary(details: list[dict[str, object]]) -> str:
    """ "Jade Hughes's phone number and the address": the details a link corrected, in words."""
    parts = []
    for change in details:
        label = str(change.get("label") or change.get("field", "")).replace("_", " ")
        who = str(change.get("who") or "")
        parts.append(
            f"{who}'s {label}" if who and not str(change.get("record", "")).startswith("family:") else f"the {label}"
        )
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + (parts[-1] if parts else "")


def merge_rows(family: Family, merges: list[FamilyMerge]) -> list[TableRow]:
    rows = []
    for merge in merges:
        if merge.undone_at is not None:
            action: Cell = {
                "text": f"Undone {datetime_long(merge.undone_at)}"
                f"{', by ' + merge.undone_by.full_name if merge.undone_by else ''}"
            }
        else:
            action = {
                "html": format_html(
                    '<a href="{}">Undo<span class="nhsuk-u-visually-hidden"> this merge</span></a>',
                    reverse("families:undo_merge", args=[family.pk, merge.pk]),
                )
            }
        rows.append(
            [
                {"text": f"{datetime_long(merge.created_at)}, {merge.merged_by.full_name}"},
                {"text": merge.reason},
                {"text": moved_summary(merge.moved)},
                action,
            ]
        )
    return rows


def people_summary(family: Family) -> str:
    """'Ava Smith (unborn), Jade Smith': who is in a family, for comparing two records."""
    people = [infant.display_name for infant in family.infants.all()] + [c.full_name for c in family.carers.all()]
    return ", ".join(people) or "Nobody recorded"


def family_card_rows(family: Family, today: date) -> list[SummaryRow]:
    """A short summary of a family record, for comparing two side by side."""
    babies = [f"{infant.display_name}: {baby_age(infant, today)}" for infant in family.infants.all()]
    carers = [f"{c.full_name} ({c.get_relationship_display().lower()})" for c in family.carers.all()]
    return [
        {"key": {"text": "Babies and children"}, "value": {"html": _lines(babies)}},
        {"key": {"text": "Parents and carers"}, "value": {"html": _lines(carers)}},
        {"key": {"text": "Address"}, "value": {"text": family.address or "Not given"}},
    ]


def _lines(items: list[str]) -> str:
    if not items:
        return "None recorded"
    return format_html_join(BR, "{}", ((item,) for item in items))


@dataclass(frozen=True)
class MergePreview:
    moving: list[str]
    staying: list[str]


def merge_preview(*, kept: Family, merged: Family, flags: list[SafeguardingFlag], extra: list[str]) -> MergePreview:
    """What linking will move onto the kept record, and who is already there, as merge_families
    will decide it (the same person in both records is not copied)."""
    kept_infants, kept_carers = list(kept.infants.all()), list(kept.carers.all())
    moving = list(extra)
    staying = []
    for infant in merged.infants.all():
        same = next((o for o in kept_infants if _same(infant, merged, o, kept)), None)
        if same is None:
            moving.append(f"{infant.display_name} (baby or child)")
        else:
            staying.append(f"{infant.display_name} is already on the record as {same.display_name}")
    for carer in merged.carers.all():
        same_carer = next((o for o in kept_carers if _same(carer, merged, o, kept)), None)
        if same_carer is None:
            moving.append(f"{carer.full_name} ({carer.get_relationship_display().lower()})")
        else:
            staying.append(f"{carer.full_name} is already on the record as {same_carer.full_name}")
    moving += [f"Safeguarding flag: {flag.get_kind_display()}" for flag in flags]
    return MergePreview(moving, staying)


def _same(person: Infant | Carer, family: Family, other: Infant | Carer, other_family: Family) -> bool:
    return matching.same_person_in_same_family(details(person, family), details(other, other_family))


# Possible duplicates --------------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateView:
    family: Family
    title: str
    strength: dict[str, str]
    reasons: list[str]
    rows: list[SummaryRow]
    family_url: str


STRENGTH_COLOURS = {
    matching.Strength.CERTAIN: "red",
    matching.Strength.STRONG: "red",
    matching.Strength.POSSIBLE: "orange",
}


def candidate_views(candidates: list[Candidate], today: date) -> list[CandidateView]:
    return [
        CandidateView(
            family=c.family,
            title=family_title(c.family),
            strength=tag(c.match.strength.label, STRENGTH_COLOURS.get(c.match.strength, "grey")),
            reasons=list(c.match.reasons),
            rows=family_card_rows(c.family, today),
            family_url=reverse("families:family", args=[c.family.pk]),
        )
        for c in candidates
    ]
