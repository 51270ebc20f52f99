"""Who is referred and who is seen: referrals received in the period by deprivation decile,
ethnicity, the baby's age, the main carer's relationship to the baby and the stresses on the
family, each with how many were accepted and how many were seen (had an attended contact).

Deprivation: the family's postcode to its LSOA, then the IMD decile of the edition in
settings.ATTUNE_DEPRIVATION_EDITION (IoD2025 on 2021 LSOAs by default; domain reference B.6).
Ethnicity: the main carer's NHS ethnic category, grouped to the five broad groups of the NHS Data
Dictionary (domain reference B.3).
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Coalesce

from attune.care.models import Appointment
from attune.core import clocks
from attune.families.codes import EthnicCategory, Relationship
from attune.families.models import Carer, Infant
from attune.referrals.codes import Stress
from attune.referrals.models import ReferralStatus
from attune.referrals.workflow import Status
from attune.reports import deprivation
from attune.reports.indicators.common import Context, local_date
from attune.reports.indicators.contacts import ATTENDED
from attune.reports.indicators.referrals import received
from attune.reports.tables import Column, Figure, Fixed, Kind, Note, Row, Section, Table

NOT_KNOWN = "Not known"
ETHNIC_GROUPS = {
    "White": "ABC",
    "Mixed or multiple ethnic groups": "DEFG",
    "Asian or Asian British": "HJKL",
    "Black or Black British": "MNP",
    "Other ethnic group": "RS",
}
NOT_STATED = "Not stated"
AGE_BANDS = ("Unborn", "Under 6 months", "6 to 11 months", "1 year", "2 years", "3 to 5 years", "6 years or older")

ACCEPTED_AND_SEEN = (
    "Accepted: accepted to the waiting list by the end of the period; seen: had an attended contact by then."
)
COLUMNS = (
    Column("referrals", "Referrals"),
    Column("accepted", "Accepted"),
    Column("seen", "Seen"),
    Column("seen_pct", "Seen (%)", Kind.PERCENT, numerator="seen", denominator="referrals"),
)


def ethnic_group(code: str | None) -> str:
    for group, codes in ETHNIC_GROUPS.items():
        if code and code in codes:
            return group
    if code == EthnicCategory.NOT_STATED:
        return NOT_STATED
    return NOT_KNOWN


def age_band(received_on: date, key_date: date | None, born: bool) -> str:
    """The youngest baby's age when the referral was received. A baby not yet born on that day
    (due date after it, or only a due date known that has not passed) is unborn."""
    if key_date is None:
        return NOT_KNOWN
    if key_date > received_on or (not born and key_date >= received_on):
        return "Unborn"
    months = clocks.age_in_months(key_date, received_on)
    if months < 6:
        return "Under 6 months"
    if months < 12:
        return "6 to 11 months"
    if months < 24:
        return "1 year"
    if months < 36:
        return "2 years"
    if months < 72:
        return "3 to 5 years"
    return "6 years or older"


def section(context: Context) -> tuple[Section, list[Note]]:
    edition = deprivation.edition_or_default(None)
    # Four set-based queries: the referrals (whether each was accepted and seen are semi-joins the
    # database runs once for all), then each family's main carer, each family's youngest baby and
    # each postcode's decile, fetched once for all of them and joined here by key. No subquery runs
    # per referral (a latest-row subquery cannot be flattened into a join by the planner).
    found = list(
        received(context)
        .order_by()
        .annotate(
            accepted=Exists(
                ReferralStatus.objects.filter(
                    referral=OuterRef("pk"), status=Status.ACCEPTED, entered_at__lt=context.as_at_end
                )
            ),
            seen=Exists(
                Appointment.objects.filter(
                    episode__referral=OuterRef("pk"), attendance__in=ATTENDED, starts_at__lt=context.as_at_end
                )
            ),
        )
        .values_list("family_id", "family__postcode", "received_at", "stresses", "accepted", "seen")
    )
    family_ids = received(context).values("family_id")
    main_carers: dict[object, tuple[str | None, str | None]] = {}
    for family_id, ethnicity, relationship in (
        Carer.objects.filter(family_id__in=family_ids)
        .order_by("family_id", "-is_main_contact", "created_at")
        .values_list("family_id", "ethnicity", "relationship")
    ):
        main_carers.setdefault(family_id, (ethnicity, relationship))  # the first: the main contact
    youngest: dict[object, tuple[date | None, date | None]] = {}
    for family_id, key, born in (
        Infant.objects.filter(family_id__in=family_ids)
        .annotate(key=Coalesce("date_of_birth", "expected_due_date"))
        .order_by("family_id", F("key").desc(), "-created_at")
        .values_list("family_id", "key", "date_of_birth")
    ):
        youngest.setdefault(family_id, (key, born))  # the first: the latest birth or due date
    deciles_of = deprivation.deciles_for_postcodes({postcode for _, postcode, *_ in found}, edition)
    referrals = []
    for family_id, postcode, received_at, stresses, accepted, seen in found:
        main_ethnicity, main_relationship = main_carers.get(family_id, (None, None))
        baby_key, baby_born = youngest.get(family_id, (None, None))
        referrals.append(
            {
                "postcode": postcode,
                "decile": deciles_of.get(postcode),
                "accepted": accepted,
                "seen": seen,
                "ethnicity": ethnic_group(main_ethnicity),
                "relationship": main_relationship,
                "age": age_band(local_date(received_at), baby_key, baby_born is not None),
                "stresses": stresses if isinstance(stresses, list) else [],
            }
        )
    deciles = [
        (str(d), f"{d}{' (most deprived)' if d == 1 else ' (least deprived)' if d == 10 else ''}") for d in range(1, 11)
    ]
    relationships = dict(Relationship.choices)
    tables = (
        _table(
            "equity_deprivation",
            "Referrals by deprivation decile",
            referrals,
            lambda r: str(r["decile"]) if r["decile"] else NOT_KNOWN,
            [*deciles, (NOT_KNOWN, NOT_KNOWN)],
            description=(
                f"Referrals received in the period by the Index of Multiple Deprivation decile ({edition}) of the "
                "family's postcode: 1 is the most deprived tenth of neighbourhoods in England, 10 the least. "
                "Not known: no postcode, or one not in the lookup."
            ),
        ),
        _table(
            "equity_ethnicity",
            "Referrals by ethnicity",
            referrals,
            lambda r: r["ethnicity"],
            [(group, group) for group in (*ETHNIC_GROUPS, NOT_STATED, NOT_KNOWN)],
            description=(
                "Referrals received in the period by the main carer's ethnic category, grouped into the five broad "
                "groups of the NHS Data Dictionary; not stated means the carer chose not to say."
            ),
        ),
        _table(
            "equity_age",
            "Referrals by the baby's age",
            referrals,
            lambda r: r["age"],
            [(band, band) for band in (*AGE_BANDS, NOT_KNOWN)],
            description=(
                "Referrals received in the period by the age of the family's youngest baby (from the date of birth, "
                "or the due date if not yet born) on the day the referral was received."
            ),
        ),
        _table(
            "equity_carer",
            "Referrals by main carer",
            referrals,
            lambda r: r["relationship"] or NOT_KNOWN,
            [*relationships.items(), (NOT_KNOWN, NOT_KNOWN)],
            description="Referrals received in the period by the main carer's relationship to the baby.",
        ),
        _stresses(referrals),
    )
    # The counts go in as figures, so a shared report shows them as it shows a cell ("*" for 1
    # to 7): as text they once gave back the starred cells of a one-day report exactly.
    notes = []
    no_postcode = sum(1 for r in referrals if not r["postcode"])
    not_found = sum(1 for r in referrals if r["postcode"] and not r["decile"])
    if no_postcode:
        notes.append(Note("{count} had no postcode, so no deprivation decile.", {"count": _referrals(no_postcode)}))
    if not_found:
        notes.append(
            Note(
                "{count} had a postcode that is not in the deprivation lookup ({edition}), so no deprivation decile.",
                {"count": _referrals(not_found), "edition": Fixed(edition)},
            )
        )
    return Section("equity", "Equity of access", tables), notes


def _referrals(count: int) -> Figure:
    return Figure(count, one="referral", many="referrals")


def _tally(referrals: list[dict], label_of: Callable[[dict], str]) -> dict[str, Counter[str]]:
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for referral in referrals:
        counter = found[label_of(referral)]
        counter["referrals"] += 1
        counter["accepted"] += referral["accepted"]
        counter["seen"] += referral["seen"]
    return found


def _values(counter: Counter[str]) -> dict[str, int | float | Decimal | None]:
    return {key: counter[key] for key in ("referrals", "accepted", "seen")}


def _table(
    key: str,
    title: str,
    referrals: list[dict],
    label_of: Callable[[dict], str],
    order: list[tuple[str, str]],
    *,
    description: str,
) -> Table:
    found = _tally(referrals, label_of)
    everyone = _tally(referrals, lambda r: "all").get("all", Counter())
    return Table(
        key=key,
        title=title,
        columns=COLUMNS,
        rows=tuple(Row(label, _values(found.get(value, Counter()))) for value, label in order),
        total=Row("Total", _values(everyone)),
        description=f"{description} {ACCEPTED_AND_SEEN}",
        chart="bar",
        chart_column="referrals",
    )


def _stresses(referrals: list[dict]) -> Table:
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for referral in referrals:
        for stress in set(referral["stresses"]):
            counter = found[stress]
            counter["referrals"] += 1
            counter["accepted"] += referral["accepted"]
            counter["seen"] += referral["seen"]
    return Table(
        key="equity_stresses",
        title="Referrals by stresses on the family",
        columns=tuple(
            Column(c.key, c.label, c.kind, numerator=c.numerator, denominator=c.denominator, additive=False)
            for c in COLUMNS
        ),
        rows=tuple(Row(stress.label, _values(found.get(stress.value, Counter()))) for stress in Stress),
        description=(
            "Referrals received in the period with each stress the referrer recorded. A referral can record "
            "several, so the rows do not add up and there is no total."
        ),
        chart="bar",
        chart_column="referrals",
    )
