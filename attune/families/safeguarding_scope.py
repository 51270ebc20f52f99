"""Scoped look-ups for safeguarding referrals: a referral is seen by whoever may see its family
(families.scope), so every fetch here starts from a family already fetched through that scope."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, Concat

from attune.core import audit
from attune.core.models import Task, TaskKind
from attune.families.models import Family, FamilyAlert, Infant, SafeguardingFlag
from attune.families.safeguarding_models import (
    SafeguardingMeeting,
    SafeguardingReferral,
    SafeguardingReferralStatus,
)
from attune.organisations.models import Organisation, OrganisationKind
from attune.organisations.scope import Scope


def get_referral(scope: Scope, family: Family, referral_id: uuid.UUID) -> SafeguardingReferral:
    return scope.get(
        family.safeguarding_referrals.with_current_status().select_related("infant", "referred_by", "council"),
        referral_id,
        team=None,
    )


def get_meeting(scope: Scope, referral: SafeguardingReferral, meeting_id: uuid.UUID) -> SafeguardingMeeting:
    return scope.get(referral.meetings.all(), meeting_id, team=None)


# Where the banner leaves every referral it read for the family page's section (banner_for with
# keep_referrals), so that page reads them once.
KEPT = "_safeguarding_referrals_read"


def referrals_of(family: Family) -> list[SafeguardingReferral]:
    """Every referral on the family, newest first, with its current outcome and child: those the
    banner already read for this page, else one query."""
    kept: list[SafeguardingReferral] | None = getattr(family, KEPT, None)
    if kept is not None:
        # The banner's rows carry the child's names only: the page holds the whole child (its due
        # date names an unborn baby) among the family's people it fetched.
        children = {infant.pk: infant for infant in family.infants.all()}
        for referral in kept:
            referral.infant = children.get(referral.infant_id, referral.infant)
        return sorted(kept, key=lambda referral: (referral.referred_on, referral.created_at), reverse=True)
    return list(family.safeguarding_referrals.with_current_status().select_related("infant"))


# The banner in one query ------------------------------------------------------------------------
# Every family page draws the banner, so its flags, risk alerts and open referrals come in ONE
# query (a UNION; families.scope.banner_of reads its flags and alerts from it): the referral rows carry
# what the banner line needs in the same seven columns, the child's names in two of them and the
# outcome's date, the date of birth and the week of pregnancy joined in one (see _referral_row).
SEP = "|"


def _text() -> CharField[str, str]:
    return CharField()


def _flags(family: Family) -> QuerySet[Any]:
    blank = Value("", output_field=_text())
    return (
        SafeguardingFlag.objects.active()
        .filter(family=family)
        .annotate(banner_row=Value("flag", output_field=_text()), no_type=blank, no_id=blank)
        .values_list("banner_row", "id", "kind", "detail", "no_type", "no_id", "created_at")
        .order_by()
    )


def _alerts(family: Family) -> QuerySet[Any]:
    return (
        FamilyAlert.objects.active()
        .filter(family=family)
        .annotate(banner_row=Value("alert", output_field=_text()), no_kind=Value("", output_field=_text()))
        .values_list("banner_row", "id", "no_kind", "message", "about_type", "about_id", "created_at")
        .order_by()
    )


def _referrals(family: Family, *, closed: bool) -> QuerySet[Any]:
    def as_text(name: str) -> Coalesce:
        return Coalesce(Cast(name, output_field=_text()), Value("", output_field=_text()), output_field=_text())

    referrals = SafeguardingReferral.objects.filter(family=family)
    return (
        (referrals.with_current_status() if closed else referrals.open())
        .annotate(
            banner_row=Value("referral", output_field=_text()),
            status_text=Cast("current_status", output_field=_text()),
            given=Cast("infant__given_name", output_field=_text()),
            surname=Cast("infant__family_name", output_field=_text()),
            facts=Concat(
                as_text("current_since"),
                Value(SEP),
                as_text("infant__date_of_birth"),
                Value(SEP),
                as_text("pregnancy_week"),
                Value(SEP),
                as_text("referred_on"),
                Value(SEP),
                as_text("infant_id"),
                output_field=_text(),
            ),
        )
        .values_list("banner_row", "id", "status_text", "given", "surname", "facts", "created_at")
        .order_by()
    )


def _referral_row(
    family: Family, pk: Any, status: str, given: str, surname: str, facts: str, created_at: datetime
) -> SafeguardingReferral:
    """The referral (and its child) as far as the banner line and the family page's list need them."""
    since, born, week, referred_on, infant_id = [*facts.split(SEP), "", "", "", "", ""][:5]
    infant = Infant(
        pk=uuid.UUID(infant_id) if infant_id else None,
        family=family,
        given_name=given or "",
        family_name=surname or "",
        date_of_birth=date.fromisoformat(born[:10]) if born else None,
    )
    referral = SafeguardingReferral(
        pk=pk,
        family=family,
        infant=infant,
        pre_birth=bool(week),
        pregnancy_week=int(week) if week else None,
        referred_on=date.fromisoformat(referred_on[:10]),
        created_at=created_at,
    )
    referral.current_status = status  # type: ignore[attr-defined]
    referral.current_since = date.fromisoformat(since[:10]) if since else None  # type: ignore[attr-defined]
    return referral


@dataclass
class BannerRows:
    flags: list[SafeguardingFlag]
    alerts: list[FamilyAlert]
    referrals: list[SafeguardingReferral]


def banner_rows(family: Family, *, flags: bool = True, alerts: bool = True, closed: bool = False) -> BannerRows:
    """The family's active flags, active risk alerts and open referrals (oldest first) in one
    query. A page that already holds its flags (or alerts) asks for the rest only; with `closed`
    the closed referrals come too (for the family page's list)."""
    parts = [q for wanted, q in ((flags, _flags), (alerts, _alerts)) if wanted]
    rows = _referrals(family, closed=closed)
    for part in parts:
        rows = part(family).union(rows, all=True)
    found = BannerRows([], [], [])
    for source, pk, kind, words, about_type, about_id, created_at in rows.order_by("created_at"):
        if source == "flag":
            found.flags.append(SafeguardingFlag(pk=pk, family=family, kind=kind, detail=words, created_at=created_at))
        elif source == "alert":
            found.alerts.append(
                FamilyAlert(
                    pk=pk, family=family, message=words, about_type=about_type, about_id=about_id, created_at=created_at
                )
            )
        else:
            found.referrals.append(_referral_row(family, pk, kind, words, about_type, about_id, created_at))
    return found


def statuses_of(referral: SafeguardingReferral) -> list[SafeguardingReferralStatus]:
    return list(referral.statuses.select_related("recorded_by").order_by("decided_on", "created_at"))


def meetings_of(referral: SafeguardingReferral) -> list[SafeguardingMeeting]:
    return list(referral.meetings.select_related("held_recorded_by", "cancelled_by").order_by("starts_at"))


def birth_task_open(referral: SafeguardingReferral) -> bool:
    """Whether the task to tell the council of the baby's birth is still open."""
    return (
        Task.objects.open()
        .filter(
            kind=TaskKind.TELL_COUNCIL_OF_BIRTH, about_type=audit.object_type_of(referral), about_id=str(referral.pk)
        )
        .exists()
    )


def councils() -> list[Organisation]:
    """The councils a referral can go to (no family data: every council known to Attune)."""
    return list(Organisation.objects.filter(kind=OrganisationKind.LOCAL_AUTHORITY).order_by("name"))
