"""Who is referred and who is seen: referrals received in the period by deprivation decile,
ethnic group, the baby's age, the main carer and the stresses, each with how many were accepted
and seen by the "as at" day; and the staff cost and funding the cost table sets against them."""

import datetime as dt
import uuid
from collections import Counter, defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings

from attune.commissioning import costs
from attune.core import clocks
from attune.core.validators import normalise_postcode
from attune.families.codes import Relationship
from attune.nonprod.bench_sql.common import Bounds, as_date, as_list, date_of, day, key, local_day, money, rows
from attune.referrals.codes import Stress

if TYPE_CHECKING:
    from attune.nonprod.bench_sql import Headline

VINTAGES = {"IoD2025": "2021", "IoD2019": "2011"}
NOT_KNOWN = "Not known"
CHUNK = 900  # under SQLite's traditional limit on parameters

Tally = dict[str, tuple[int, int, int]]


def fill(out: "Headline", b: Bounds) -> None:
    received = f"""FROM referrals_referral r
        WHERE r.team_id IN ({b.teams}) AND r.received_at >= %s AND r.received_at < %s"""
    params = [*b.ids, b.start_at, b.end_at]
    found = rows(
        f"""SELECT r.family_id, f.postcode, r.received_at, r.stresses,
                   CASE WHEN EXISTS (SELECT 1 FROM referrals_referralstatus s WHERE s.referral_id = r.id
                                     AND s.status = 'accepted' AND s.entered_at < %s) THEN 1 ELSE 0 END,
                   CASE WHEN EXISTS (SELECT 1 FROM care_appointment a JOIN care_episode e ON e.id = a.episode_id
                                     WHERE e.referral_id = r.id AND a.attendance IN ('5', '6')
                                       AND a.starts_at < %s) THEN 1 ELSE 0 END
            FROM referrals_referral r JOIN families_family f ON f.id = r.family_id
            WHERE r.team_id IN ({b.teams}) AND r.received_at >= %s AND r.received_at < %s""",  # noqa: S608
        [b.as_at_end, b.as_at_end, *params],
    )
    carers: dict[Any, tuple[str, str]] = {}
    for family_id, group, relationship in rows(
        f"""SELECT c.family_id,
                   CASE WHEN c.ethnicity IN ('A', 'B', 'C') THEN 'White'
                        WHEN c.ethnicity IN ('D', 'E', 'F', 'G') THEN 'Mixed or multiple ethnic groups'
                        WHEN c.ethnicity IN ('H', 'J', 'K', 'L') THEN 'Asian or Asian British'
                        WHEN c.ethnicity IN ('M', 'N', 'P') THEN 'Black or Black British'
                        WHEN c.ethnicity IN ('R', 'S') THEN 'Other ethnic group'
                        WHEN c.ethnicity = 'Z' THEN 'Not stated'
                        ELSE 'Not known' END,
                   c.relationship
            FROM families_carer c WHERE c.family_id IN (SELECT r.family_id {received})
            ORDER BY c.family_id, c.is_main_contact DESC, c.created_at""",  # noqa: S608
        params,
    ):
        carers.setdefault(family_id, (group, relationship))  # the main contact comes first
    babies: dict[Any, tuple[dt.date | None, bool]] = {}
    for family_id, key_date, born in rows(
        f"""SELECT i.family_id, COALESCE(i.date_of_birth, i.expected_due_date) AS key_date, i.date_of_birth
            FROM families_infant i WHERE i.family_id IN (SELECT r.family_id {received})
            ORDER BY i.family_id, key_date DESC, i.created_at DESC""",  # noqa: S608
        params,
    ):
        babies.setdefault(family_id, (as_date(key_date), born is not None))  # the youngest first
    deciles = _deciles({postcode for _, postcode, *_ in found})
    tables: dict[str, dict[str, Counter[str]]] = {
        name: defaultdict(Counter) for name in ("deprivation", "ethnicity", "age", "carer", "stresses")
    }
    relationships = dict(Relationship.choices)
    stresses = dict(Stress.choices)
    for family_id, postcode, received_at, recorded, accepted, seen in found:
        group, relationship = carers.get(family_id, (NOT_KNOWN, ""))
        key_date, born = babies.get(family_id, (None, False))
        decile = deciles.get(normalise_postcode(postcode or ""))
        labels = {
            "deprivation": [_decile_label(decile)],
            "ethnicity": [group],
            "age": [_age_band(local_day(received_at), key_date, born)],
            "carer": [relationships.get(relationship, relationship) if relationship else NOT_KNOWN],
            "stresses": [stresses.get(code, code) for code in set(as_list(recorded))],
        }
        for name, found_labels in labels.items():
            for label in found_labels:
                counter = tables[name][label]
                counter["referrals"] += 1
                counter["accepted"] += int(accepted)
                counter["seen"] += int(seen)
    out.equity = {
        name: {label: (c["referrals"], c["accepted"], c["seen"]) for label, c in found_rows.items()}
        for name, found_rows in tables.items()
    }
    out.postcodes_unknown = (
        sum(1 for _, postcode, *_ in found if not postcode),
        sum(1 for _, postcode, *_ in found if postcode and not deciles.get(normalise_postcode(postcode))),
    )


def _decile_label(decile: int | None) -> str:
    if not decile:
        return NOT_KNOWN
    return f"{decile}{' (most deprived)' if decile == 1 else ' (least deprived)' if decile == 10 else ''}"


def _deciles(postcodes: set[str]) -> dict[str, int]:
    edition = settings.ATTUNE_DEPRIVATION_EDITION
    wanted = sorted({normalise_postcode(code) for code in postcodes if code} - {""})
    found: dict[str, int] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        found.update(
            rows(
                f"""SELECT p.postcode, d.decile FROM reports_postcodelsoa p
                    JOIN reports_deprivationrank d ON d.lsoa_code = p.lsoa_code AND d.edition = %s
                    WHERE p.vintage = %s AND p.postcode IN ({", ".join(["%s"] * len(chunk))})""",  # noqa: S608
                [edition, VINTAGES[edition], *chunk],
            )
        )
    return found


def _age_band(received_on: dt.date, key_date: dt.date | None, born: bool) -> str:
    if key_date is None:
        return NOT_KNOWN
    if key_date > received_on or (not born and key_date >= received_on):
        return "Unborn"
    months = clocks.age_in_months(key_date, received_on)
    for limit, band in ((6, "Under 6 months"), (12, "6 to 11 months"), (24, "1 year"), (36, "2 years")):
        if months < limit:
            return band
    return "3 to 5 years" if months < 72 else "6 years or older"


def fill_costs(out: "Headline", b: Bounds, funder_id: uuid.UUID | None) -> None:
    """Each post's days in the period at the cost in force (attune.commissioning.costs), and the
    funder's agreements for these teams pro rata by their days in the period."""
    posts: dict[Any, tuple[dt.date, dt.date | None, list[tuple[dt.date, Decimal]]]] = {}
    for post_id, starts_on, ends_on, effective_from, annual in rows(
        f"""SELECT p.id, p.starts_on, p.ends_on, c.effective_from, c.annual_cost
            FROM workforce_post p
            LEFT JOIN commissioning_postcost c ON c.post_id = p.id AND c.effective_from <= %s
            WHERE p.team_id IN ({b.teams}) AND p.starts_on <= %s AND (p.ends_on IS NULL OR p.ends_on >= %s)""",  # noqa: S608
        [day(b.end), *b.ids, day(b.end), day(b.start)],
    ):
        span = posts.setdefault(post_id, (date_of(starts_on), as_date(ends_on), []))
        if effective_from is not None:
            span[2].append((date_of(effective_from), money(annual)))
    spans = [costs.PostSpan(starts, ends, tuple(rows_)) for starts, ends, rows_ in posts.values()]
    out.staff_cost = costs.staff_cost(spans, b.start, b.end)
    out.funding = None
    if funder_id is not None:
        agreements = rows(
            f"""SELECT a.amount, a.starts_on, a.ends_on FROM commissioning_fundingagreement a
                WHERE a.funder_id = %s AND a.starts_on <= %s AND a.ends_on >= %s
                  AND a.id IN (SELECT t.fundingagreement_id FROM commissioning_fundingagreement_teams t
                               WHERE t.team_id IN ({b.teams}))""",  # noqa: S608
            [key(funder_id), day(b.end), day(b.start), *b.ids],
        )
        if agreements:
            out.funding = costs.to_pence(
                sum(
                    (
                        costs.funding_for_period(Decimal(str(amount)), date_of(s), date_of(e), b.start, b.end)
                        for amount, s, e in agreements
                    ),
                    Decimal(0),
                )
            )
