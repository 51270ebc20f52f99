"""State changes to family records. Each is one action, audited in the same transaction."""

from dataclasses import dataclass, field
from datetime import date

from django.db import models, transaction
from django.utils import timezone

from attune.accounts.models import User
from attune.core import audit
from attune.core.actors import Actor
from attune.core.validators import normalise_nhs_number, normalise_postcode
from attune.families import matching
from attune.families.codes import ContactPreference, NhsNumberStatus, ParentalResponsibility, SafeguardingKind
from attune.families.models import Carer, Family, FamilyAlert, FamilyMerge, Infant, SafeguardingFlag
from attune.families.people import details
from attune.organisations.models import Organisation, Team

# A baby under six weeks old often has no traceable NHS number yet (verification status 08).
NEWBORN_TRACE_DAYS = 42


class FamilyError(Exception):
    """A change the rules do not allow; the message is fit to show the person."""


@dataclass(frozen=True)
class NewInfant:
    given_name: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    expected_due_date: date | None = None
    nhs_number: str = ""
    ethnicity: str = "99"


@dataclass(frozen=True)
class NewCarer:
    given_name: str
    family_name: str
    relationship: str
    parental_responsibility: str = ParentalResponsibility.NOT_KNOWN
    date_of_birth: date | None = None
    phone: str = ""
    email: str = ""
    contact_preference: str = ContactPreference.SMS
    phone_is_safe: bool = True
    email_is_safe: bool = True
    safe_contact_note: str = ""
    nhs_number: str = ""
    ethnicity: str = "99"
    is_main_contact: bool = False


@dataclass(frozen=True)
class NewFamily:
    team: Team
    infants: list[NewInfant]
    carers: list[NewCarer]
    address_line_1: str = ""
    address_line_2: str = ""
    town: str = ""
    postcode: str = ""
    local_authority: Organisation | None = None
    language: str = ""
    interpreter_needed: bool = False
    gp_practice: str = ""
    safeguarding: list[str] = field(default_factory=list)


def nhs_number_status(nhs_number: str, *, born: date | None, today: date) -> str:
    if nhs_number:
        return NhsNumberStatus.NOT_TRACED
    if born is not None and (today - born).days < NEWBORN_TRACE_DAYS:
        return NhsNumberStatus.POSTPONED_UNDER_SIX_WEEKS
    return NhsNumberStatus.TRACE_REQUIRED


@transaction.atomic
def create_family(*, new: NewFamily, source: str, actor: Actor | None = None) -> Family:
    """A family record from an intake (a referral form). Duplicates are looked for afterwards
    and a coordinator links or merges; nothing is matched silently."""
    if not new.infants:
        raise FamilyError("A family needs at least one baby or child")
    today = timezone.localdate()
    family = Family.objects.create(
        team=new.team,
        address_line_1=new.address_line_1,
        address_line_2=new.address_line_2,
        town=new.town,
        postcode=normalise_postcode(new.postcode) if new.postcode else "",
        local_authority=new.local_authority,
        language=new.language,
        interpreter_needed=new.interpreter_needed,
        gp_practice=new.gp_practice,
    )
    for infant in new.infants:
        number = normalise_nhs_number(infant.nhs_number)
        Infant.objects.create(
            family=family,
            given_name=infant.given_name,
            family_name=infant.family_name,
            date_of_birth=infant.date_of_birth,
            expected_due_date=infant.expected_due_date,
            nhs_number=number,
            nhs_number_status=(
                nhs_number_status(number, born=infant.date_of_birth, today=today)
                if infant.date_of_birth
                else NhsNumberStatus.NOT_REQUIRED
            ),
            ethnicity=infant.ethnicity,
        )
    # One main contact: the carer marked as such, else the first.
    marked = any(carer.is_main_contact for carer in new.carers)
    for index, carer in enumerate(new.carers):
        number = normalise_nhs_number(carer.nhs_number)
        Carer.objects.create(
            family=family,
            given_name=carer.given_name,
            family_name=carer.family_name,
            relationship=carer.relationship,
            parental_responsibility=carer.parental_responsibility,
            date_of_birth=carer.date_of_birth,
            phone=carer.phone,
            email=carer.email,
            contact_preference=carer.contact_preference,
            phone_is_safe=carer.phone_is_safe,
            email_is_safe=carer.email_is_safe,
            safe_contact_note=carer.safe_contact_note,
            nhs_number=number,
            nhs_number_status=nhs_number_status(number, born=carer.date_of_birth, today=today),
            ethnicity=carer.ethnicity,
            is_main_contact=carer.is_main_contact if marked else index == 0,
        )
    for kind in new.safeguarding:
        SafeguardingFlag.objects.create(family=family, kind=kind, source=source)
    audit.record(action="family.created", actor=actor, obj=family, detail={"source": source})
    return family


@transaction.atomic
def record_birth(
    *,
    actor: Actor,
    infant: Infant,
    date_of_birth: date,
    given_name: str,
    family_name: str,
    nhs_number: str = "",
) -> Infant:
    """The unborn baby is born: the same record gains a date of birth, so its history stays."""
    today = timezone.localdate()
    if infant.is_born:
        raise FamilyError(f"{infant.display_name} is already recorded as born")
    if date_of_birth > today:
        raise FamilyError("Date of birth must be today or in the past")
    infant.date_of_birth = date_of_birth
    infant.given_name = given_name
    infant.family_name = family_name
    infant.nhs_number = normalise_nhs_number(nhs_number)
    infant.nhs_number_status = nhs_number_status(infant.nhs_number, born=date_of_birth, today=today)
    infant.save()
    audit.record(action="infant.birth_recorded", actor=actor, obj=infant, detail={"family": str(infant.family_id)})
    return infant


@transaction.atomic
def raise_flag(*, actor: Actor, family: Family, kind: str, detail: str = "") -> SafeguardingFlag:
    if kind not in SafeguardingKind.values:
        raise FamilyError("Select the kind of safeguarding concern")
    user = actor.person if isinstance(actor.person, User) else None
    flag = SafeguardingFlag.objects.create(family=family, kind=kind, detail=detail.strip(), raised_by=user)
    audit.record(action="safeguarding.flag_raised", actor=actor, obj=family, detail={"kind": kind})
    return flag


@transaction.atomic
def remove_flag(*, actor: Actor, flag: SafeguardingFlag, reason: str) -> None:
    """A flag is never deleted: it is marked removed, with who, when and why."""
    if not reason.strip():
        raise FamilyError("Enter why this safeguarding flag no longer applies")
    if flag.removed_at is not None:
        raise FamilyError("This safeguarding flag has already been removed")
    assert isinstance(actor.person, User)
    flag.removed_at = timezone.now()
    flag.removed_by = actor.person
    flag.removed_reason = reason.strip()
    flag.save(update_fields=["removed_at", "removed_by", "removed_reason", "updated_at"])
    audit.record(
        action="safeguarding.flag_removed",
        actor=actor,
        obj=flag.family,
        detail={"kind": flag.kind},
    )


@transaction.atomic
def raise_alert(
    *,
    family: Family,
    message: str,
    about: models.Model,
    actor: Actor | None = None,
) -> FamilyAlert:
    """Put a risk alert on the family's banner (raised by a higher app, e.g. a questionnaire
    answer that crosses a risk rule; that app registers its link, core.links). It stays until
    someone records the action taken (close_alert)."""
    if not message.strip():
        raise FamilyError("An alert needs a message")
    alert = FamilyAlert.objects.create(
        family=family,
        message=message.strip()[:500],
        about_type=audit.object_type_of(about),
        about_id=str(about.pk),
    )
    audit.record(
        action="family_alert.raised",
        actor=actor,
        obj=alert,
        detail={"family": str(family.pk), "about": f"{alert.about_type}:{alert.about_id}"},
    )
    return alert


@transaction.atomic
def close_alert(*, actor: Actor | None, alert: FamilyAlert, action_taken: str) -> FamilyAlert:
    """An alert closes only with the action taken written down; it is never deleted."""
    action_taken = action_taken.strip()
    if not action_taken:
        raise FamilyError("Enter what you did about this alert")
    locked = FamilyAlert.objects.select_for_update().get(pk=alert.pk)
    if locked.closed_at is not None:
        raise FamilyError("This alert has already been closed")
    locked.closed_at = timezone.now()
    locked.closed_by = actor.user if actor is not None else None
    locked.action_taken = action_taken
    locked.save(update_fields=["closed_at", "closed_by", "action_taken", "updated_at"])
    audit.record(action="family_alert.closed", actor=actor, obj=locked, detail={"family": str(locked.family_id)})
    alert.closed_at, alert.closed_by, alert.action_taken = locked.closed_at, locked.closed_by, locked.action_taken
    return locked


def _same_person(
    person: models.Model, family: Family, others: list[Infant] | list[Carer], other_family: Family
) -> bool:
    assert isinstance(person, Infant | Carer)
    mine = details(person, family)
    return any(matching.same_person_in_same_family(mine, details(other, other_family)) for other in others)


def _family_links() -> list[tuple[type[models.Model], str]]:
    """Every model that points at a family (referrals, episodes...), found from the model
    graph, so apps above this one need no hook to be carried along by a merge."""
    links = []
    for relation in Family._meta.related_objects:
        model = relation.related_model
        if model in (Family, FamilyMerge) or not isinstance(model, type):
            continue
        links.append((model, relation.field.name))
    return links


@transaction.atomic
def merge_families(*, actor: Actor, kept: Family, merged: Family, reason: str) -> FamilyMerge:
    """Fold `merged` into `kept`: its referrals, flags and everything else move across, and so do
    its people, except those who are already in `kept` (same NHS number, or a similar name with
    dates that agree).
    The merged record stays, marked as merged, so the merge can be undone."""
    if not reason.strip():
        raise FamilyError("Enter why these are the same family")
    if kept.pk == merged.pk:
        raise FamilyError("A family cannot be merged with itself")
    locked = {f.pk: f for f in Family.objects.select_for_update().filter(pk__in=[kept.pk, merged.pk])}
    kept, merged = locked[kept.pk], locked[merged.pk]
    if kept.merged_into_id or merged.merged_into_id:
        raise FamilyError("One of these families has already been merged into another record")
    assert isinstance(actor.person, User)
    kept_infants, kept_carers = list(kept.infants.all()), list(kept.carers.all())
    moved: dict[str, list[str]] = {}
    for model, field_name in _family_links():
        rows = list(model._default_manager.filter(**{field_name: merged}))
        if model is Infant:
            rows = [row for row in rows if not _same_person(row, merged, kept_infants, kept)]
        elif model is Carer:
            rows = [row for row in rows if not _same_person(row, merged, kept_carers, kept)]
        ids = [row.pk for row in rows]
        if ids:
            model._default_manager.filter(pk__in=ids).update(**{field_name: kept})
            moved[model._meta.label_lower] = [str(pk) for pk in ids]
    merged.merged_into = kept
    merged.save(update_fields=["merged_into", "updated_at"])
    merge = FamilyMerge.objects.create(
        kept=kept, merged=merged, merged_by=actor.person, reason=reason.strip(), moved=moved
    )
    audit.record(action="family.merged", actor=actor, obj=kept, detail={"merged": str(merged.pk), "moved": moved})
    audit.record(action="family.merged_away", actor=actor, obj=merged, detail={"into": str(kept.pk)})
    return merge


@transaction.atomic
def undo_merge(*, actor: Actor, merge: FamilyMerge) -> Family:
    """Put back exactly what the merge moved; anything added to the kept family since stays."""
    merge = FamilyMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise FamilyError("This merge has already been undone")
    if merge.kept.merged_into_id is not None:
        raise FamilyError(
            "The family this record was merged into has since been merged into another. Undo that merge first."
        )
    assert isinstance(actor.person, User)
    links = {model._meta.label_lower: (model, field_name) for model, field_name in _family_links()}
    for label, ids in merge.moved.items():
        model, field_name = links[label]
        model._default_manager.filter(pk__in=ids, **{field_name: merge.kept}).update(**{field_name: merge.merged})
    merged = merge.merged
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at"])
    merge.undone_at = timezone.now()
    merge.undone_by = actor.person
    merge.save(update_fields=["undone_at", "undone_by", "updated_at"])
    audit.record(action="family.merge_undone", actor=actor, obj=merge.kept, detail={"merged": str(merged.pk)})
    audit.record(action="family.merge_undone", actor=actor, obj=merged, detail={"kept": str(merge.kept_id)})
    return merged
