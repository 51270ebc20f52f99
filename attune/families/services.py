"""State changes to family records. Each is one action, audited in the same transaction."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from attune.accounts.models import User
from attune.core import audit, clocks
from attune.core.actors import Actor
from attune.core.formatting import datetime_long
from attune.core.validators import normalise_nhs_number, normalise_postcode
from attune.families import alert_rules, matching, search_index, search_keys
from attune.families.codes import ContactPreference, NhsNumberStatus, ParentalResponsibility, SafeguardingKind
from attune.families.models import (
    AlertActionKind,
    AlertReviewOutcome,
    Carer,
    Family,
    FamilyAlert,
    FamilyMerge,
    Infant,
    SafeguardingFlag,
)
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
    spoken_language: str = ""
    dialect: str = ""
    written_language: str = ""
    interpreter_needed: bool = False


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


def family_row(new: NewFamily) -> Family:
    """The family record an intake makes, not yet saved (create_family, and its bulk sibling
    families.bulk.create_families, save it)."""
    return Family(
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


def people_rows(family: Family, new: NewFamily, today: date) -> tuple[list[Infant], list[Carer]]:
    """The babies and carers an intake adds to `family`, not yet saved, in the order given."""
    infants = []
    for infant in new.infants:
        number = normalise_nhs_number(infant.nhs_number)
        infants.append(
            Infant(
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
        )
    carers = []
    # One main contact: the carer marked as such, else the first.
    marked = any(carer.is_main_contact for carer in new.carers)
    for index, carer in enumerate(new.carers):
        number = normalise_nhs_number(carer.nhs_number)
        main = carer.is_main_contact if marked else index == 0
        # A referral asks one language question, about the family: the answer is the main
        # carer's unless the intake gave that carer their own, so the need reaches a person.
        spoken, needs_interpreter = carer.spoken_language, carer.interpreter_needed
        if main and not spoken and not needs_interpreter:
            spoken, needs_interpreter = new.language, new.interpreter_needed
        carers.append(
            Carer(
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
                is_main_contact=main,
                spoken_language=spoken.strip(),
                dialect=carer.dialect.strip(),
                written_language=carer.written_language.strip(),
                interpreter_needed=needs_interpreter,
            )
        )
    return infants, carers


@transaction.atomic
def create_family(*, new: NewFamily, source: str, actor: Actor | None = None) -> Family:
    """A family record from an intake (a referral form). Duplicates are looked for afterwards
    and a coordinator links or merges; nothing is matched silently."""
    if not new.infants:
        raise FamilyError("A family needs at least one baby or child")
    family = family_row(new)
    family.save(force_insert=True)
    infants, carers = people_rows(family, new, timezone.localdate())
    for person in [*infants, *carers]:
        person.save(force_insert=True)
    for kind in new.safeguarding:
        SafeguardingFlag.objects.create(family=family, kind=kind, source=source)
    search_index.reindex_family(family.pk)
    audit.record(action="family.created", actor=actor, obj=family, detail={"source": source})
    return family


def remember_former_name(person: Infant | Carer, old_name: str) -> bool:
    """Keep the name a person went by before an action changed it, so a caller who knows them
    by it still finds them (ADR 0015). True when it was added (the caller saves the field)."""
    old_name = old_name.strip()
    if not old_name or old_name in person.former_names:
        return False
    if search_keys.name_words(old_name) <= search_keys.name_words(person.full_name):
        return False  # nothing lost: an unborn baby's family name kept when the baby is named
    person.former_names = [*person.former_names, old_name]
    return True


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
    old_name = infant.full_name
    infant.date_of_birth = date_of_birth
    infant.given_name = given_name
    infant.family_name = family_name
    remember_former_name(infant, old_name)
    infant.nhs_number = normalise_nhs_number(nhs_number)
    infant.nhs_number_status = nhs_number_status(infant.nhs_number, born=date_of_birth, today=today)
    infant.save()
    search_index.reindex_family(infant.family_id)
    audit.record(
        action="infant.birth_recorded",
        actor=actor,
        obj=infant,
        family_id=infant.family_id,
        person_id=infant.pk,
        detail={"family": str(infant.family_id)},
    )
    # A pre-birth referral stays on this record; children's social care must hear of the birth.
    # (Imported here so this module's imports stay as they were for the parts built beside it.)
    from attune.families.safeguarding import tell_council_of_birth

    tell_council_of_birth(actor=actor, infant=infant)
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
    high_risk: bool = False,
) -> FamilyAlert:
    """Put a risk alert on the family's banner (raised by a higher app, e.g. a questionnaire
    answer that crosses a risk rule; that app registers its link, core.links). It stays until
    someone records the action taken (close_alert). A ``high_risk`` alert's action is reviewed
    by a supervisor or team lead afterwards (review_alert)."""
    if not message.strip():
        raise FamilyError("An alert needs a message")
    alert = FamilyAlert.objects.create(
        family=family,
        message=message.strip()[:500],
        about_type=audit.object_type_of(about),
        about_id=str(about.pk),
        high_risk=high_risk,
    )
    audit.record(
        action="family_alert.raised",
        actor=actor,
        obj=alert,
        family_id=family.pk,
        detail={"family": str(family.pk), "about": f"{alert.about_type}:{alert.about_id}", "high_risk": high_risk},
    )
    return alert


class AlertError(FamilyError):
    """A risk alert's action or review refused; ``field`` names the part it concerns."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def alert_review_working_days() -> int:
    """How many working days a supervisor has to review a high-risk alert's action (a setting)."""
    return int(getattr(settings, "ATTUNE_ALERT_REVIEW_WORKING_DAYS", 2))


def _check_action(
    alert: FamilyAlert, *, description: str, actions_done: Sequence[str] | None, done_at: datetime, now: datetime
) -> None:
    if actions_done is not None:
        if not actions_done:
            raise AlertError("Select what was done about this alert", field="actions_done")
        if any(code not in AlertActionKind.values for code in actions_done):
            raise AlertError("Select what was done from the list", field="actions_done")
    if done_at > now:
        raise AlertError("The time the action was taken must be now or in the past", field="done_at")
    # Times are typed to the minute: an action in the minute the alert was raised is after it.
    if done_at < alert.created_at.replace(second=0, microsecond=0):
        raise AlertError(
            f"The time the action was taken must be after the alert was raised ({datetime_long(alert.created_at)})",
            field="done_at",
        )
    problem = alert_rules.description_problem(description)
    if problem:
        raise AlertError(problem, field="description")


@transaction.atomic
def close_alert(
    *,
    actor: Actor | None,
    alert: FamilyAlert,
    action_taken: str,
    actions_done: Sequence[str] | None = None,
    done_at: datetime | None = None,
    done_by: User | None = None,
) -> FamilyAlert:
    """An alert closes only with the action taken recorded: what was done (``actions_done``,
    AlertActionKind values, at least one), when (not in the future, not before the alert was
    raised; now by default), by whom (the person recording it by default) and a description of
    what was done and decided (alert_rules). It is never deleted. A high-risk alert then waits
    for review, due a set number of working days later. ``actions_done=None`` is for callers
    that have no structured parts (older imports); the description is checked all the same."""
    locked = FamilyAlert.objects.select_for_update().get(pk=alert.pk)
    if locked.closed_at is not None:
        raise AlertError("This alert has already been closed")
    now = timezone.now()
    done_at = done_at or now
    _check_action(locked, description=action_taken, actions_done=actions_done, done_at=done_at, now=now)
    recorder = actor.user if actor is not None and isinstance(actor.user, User) else None
    locked.closed_at = now
    locked.closed_by = recorder
    locked.action_taken = action_taken.strip()
    locked.actions_done = list(dict.fromkeys(actions_done or []))
    locked.action_done_at = done_at
    locked.action_done_by = done_by or recorder
    if locked.high_risk:
        locked.review_due_at = clocks.add_working_days(timezone.localtime(now), alert_review_working_days())
    locked.save(
        update_fields=[
            "closed_at",
            "closed_by",
            "action_taken",
            "actions_done",
            "action_done_at",
            "action_done_by",
            "review_due_at",
            "updated_at",
        ]
    )
    audit.record(
        action="family_alert.closed",
        actor=actor,
        obj=locked,
        family_id=locked.family_id,
        detail={"family": str(locked.family_id), "actions_done": locked.actions_done, "high_risk": locked.high_risk},
    )
    for name in ("closed_at", "closed_by", "action_taken", "actions_done", "action_done_at", "action_done_by"):
        setattr(alert, name, getattr(locked, name))
    alert.review_due_at = locked.review_due_at
    return locked


@transaction.atomic
def review_alert(*, actor: Actor, alert: FamilyAlert, outcome: str, comment: str) -> FamilyAlert:
    """A clinical supervisor or team lead reviews the action recorded on a high-risk alert
    ("agree", or "further action needed"), with a comment. Who may review is the caller's rule
    (the raising app knows the team); this records it, once."""
    locked = FamilyAlert.objects.select_for_update().get(pk=alert.pk)
    if not locked.high_risk or locked.closed_at is None:
        raise AlertError("Only the recorded action on a high-risk alert is reviewed")
    if locked.reviewed_at is not None:
        raise AlertError("This alert has already been reviewed")
    if outcome not in AlertReviewOutcome.values:
        raise AlertError("Select whether you agree with the action taken", field="outcome")
    comment = comment.strip()
    if not comment:
        raise AlertError("Enter a comment on the action taken", field="comment")
    assert isinstance(actor.user, User)
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = actor.user
    locked.review_outcome = outcome
    locked.review_comment = comment
    locked.save(update_fields=["reviewed_at", "reviewed_by", "review_outcome", "review_comment", "updated_at"])
    audit.record(
        action="family_alert.reviewed",
        actor=actor,
        obj=locked,
        family_id=locked.family_id,
        detail={"family": str(locked.family_id), "outcome": outcome},
    )
    for name in ("reviewed_at", "reviewed_by", "review_outcome", "review_comment"):
        setattr(alert, name, getattr(locked, name))
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
    # The people moved are found under the kept family now; the merged record under nothing.
    search_index.reindex_families([kept.pk, merged.pk])
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
    restored, kept_since = _put_back_details(merge)
    merged = merge.merged
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at"])
    merge.undone_at = timezone.now()
    merge.undone_by = actor.person
    merge.save(update_fields=["undone_at", "undone_by", "updated_at"])
    search_index.reindex_families([merge.kept_id, merged.pk])
    audit.record(
        action="family.merge_undone",
        actor=actor,
        obj=merge.kept,
        detail={"merged": str(merged.pk), "details_restored": restored, "details_changed_since": kept_since},
    )
    audit.record(action="family.merge_undone", actor=actor, obj=merged, detail={"kept": str(merge.kept_id)})
    return merged


def _put_back_details(merge: FamilyMerge) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Undo the corrections taken from the merged record: each detail goes back to its old value
    unless someone has changed it again since (that later change stands, and is reported)."""
    models_by_name = {model._meta.model_name: model for model in UPDATABLE_FIELDS}
    restored: list[dict[str, object]] = []
    kept_since: list[dict[str, object]] = []
    for change in merge.details_taken:
        name, _, pk = str(change["record"]).partition(":")
        model = models_by_name[name]
        record = model._default_manager.select_for_update().filter(pk=pk).first()
        field_name = str(change["field"])
        if record is None:
            continue
        field = model._meta.get_field(field_name)
        assert isinstance(field, models.Field)  # the details a link corrects are plain columns
        if _audit_value(getattr(record, field_name)) != change["new"]:
            kept_since.append(change)
            continue
        old_name = record.full_name if isinstance(record, Infant | Carer) else ""
        setattr(record, field_name, field.to_python(change["old"]))
        fields = [field_name, "updated_at"]
        if isinstance(record, Infant | Carer) and remember_former_name(record, old_name):
            fields.append("former_names")
        if isinstance(record, Infant) and field_name in {"nhs_number", "date_of_birth"}:
            record.nhs_number_status = nhs_number_status(
                record.nhs_number, born=record.date_of_birth, today=timezone.localdate()
            )
            fields.append("nhs_number_status")
        record.save(update_fields=fields)
        restored.append(change)
    return restored, kept_since


# Correcting a family record's details -----------------------------------------------------------

# What may be corrected, by model: the details a referral carries about the family and its people.
# Contact safety travels with the number or inbox it describes, so it may change with them.
UPDATABLE_FIELDS: dict[type[models.Model], frozenset[str]] = {
    Family: frozenset({"address_line_1", "address_line_2", "town", "postcode", "local_authority"}),
    Carer: frozenset(
        {"given_name", "family_name", "phone", "phone_is_safe", "email", "email_is_safe", "date_of_birth"}
    ),
    Infant: frozenset({"given_name", "family_name", "date_of_birth", "expected_due_date", "nhs_number"}),
}


@dataclass(frozen=True)
class DetailChange:
    """New values for some details of a family record: of the family itself (its address) or of
    one of its people. `label` is what staff call the detail ("phone number")."""

    record: Family | Carer | Infant
    values: dict[str, object]
    label: str = ""


def _audit_value(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def _record_name(record: Family | Carer | Infant) -> str:
    if isinstance(record, Infant):
        return record.display_name
    if isinstance(record, Carer):
        return record.full_name
    return "Family"


@transaction.atomic
def update_family_details(
    *, actor: Actor, family: Family, changes: list[DetailChange], source: str
) -> list[dict[str, object]]:
    """Correct details on a family record (say, the new phone number a referral gave). Each change
    is kept in the audit event with its old and new value; `source` says where the new values
    came from. Returns what changed (a value already the same is not a change)."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    if family.merged_into_id is not None:
        raise FamilyError("This family record has been merged into another, so its details cannot be changed")
    today = timezone.localdate()
    changed: list[dict[str, object]] = []
    for change in changes:
        model = type(change.record)
        allowed = UPDATABLE_FIELDS.get(model, frozenset())
        refused = set(change.values) - allowed
        if refused:
            raise FamilyError(f"These details cannot be changed here: {', '.join(sorted(refused))}")
        record: Family | Carer | Infant
        if isinstance(change.record, Family):
            if change.record.pk != family.pk:
                raise FamilyError("That detail belongs to another family record")
            record = family
        else:
            person_model = Carer if isinstance(change.record, Carer) else Infant
            found = person_model._default_manager.select_for_update().filter(pk=change.record.pk, family=family).first()
            if found is None:
                raise FamilyError("That person is not on this family record")
            record = found
        values = dict(change.values)
        if "postcode" in values:
            values["postcode"] = normalise_postcode(str(values["postcode"])) if values["postcode"] else ""
        if "nhs_number" in values:
            values["nhs_number"] = normalise_nhs_number(str(values["nhs_number"]))
        born = values.get("date_of_birth")
        if isinstance(born, date) and born > today:
            raise FamilyError("Date of birth must be today or in the past")
        fields = []
        old_name = record.full_name if isinstance(record, Infant | Carer) else ""
        for name, new in values.items():
            old = getattr(record, name)
            if old == new:
                continue
            setattr(record, name, new)
            fields.append(name)
            changed.append(
                {
                    "record": f"{model._meta.model_name}:{record.pk}",
                    "who": _record_name(record),
                    "field": name,
                    "label": change.label,
                    "old": _audit_value(old),
                    "new": _audit_value(new),
                }
            )
        if isinstance(record, Infant) and ({"nhs_number", "date_of_birth"} & set(fields)):
            # A number given, or a birth, changes what the number's status can be.
            record.nhs_number_status = (
                nhs_number_status(record.nhs_number, born=record.date_of_birth, today=today)
                if record.date_of_birth or record.nhs_number
                else record.nhs_number_status
            )
            fields.append("nhs_number_status")
        if isinstance(record, Infant | Carer) and remember_former_name(record, old_name):
            fields.append("former_names")
        if fields:
            record.save(update_fields=[*fields, "updated_at"])
    if changed:
        search_index.reindex_family(family.pk)
        audit.record(
            action="family.details_updated",
            actor=actor,
            obj=family,
            detail={"source": source, "changes": changed},
        )
    return changed
