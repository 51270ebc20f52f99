"""Family actions: creating a record from an intake, recording a birth, safeguarding flags, and
merging two records of one family (and undoing it). Each is audited in its transaction."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.core.actors import Actor
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.families import services
from attune.families.codes import NhsNumberStatus, Relationship, SafeguardingKind
from attune.families.models import Carer, Family, FamilyMerge, Infant, SafeguardingFlag
from attune.families.services import FamilyError, NewCarer, NewFamily, NewInfant
from attune.families.tests.factories import (
    CarerFactory,
    FamilyFactory,
    InfantFactory,
    SafeguardingFlagFactory,
    UnbornInfantFactory,
)
from attune.organisations.models import Team
from attune.organisations.tests.factories import TeamFactory
from attune.referrals.models import Referral
from attune.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

LACEY_NHS, DANI_NHS, OTHER_NHS = "9990000026", "9990000034", "9990000042"


@pytest.fixture
def user() -> User:
    return UserFactory(full_name="Joanne Pickering")


@pytest.fixture
def team() -> Team:
    return TeamFactory()


def _request(user: User) -> Actor:
    return acting(user, ip="127.0.0.1")


def _new(team: Team, *infants: NewInfant, carers: list[NewCarer] | None = None, **fields: object) -> NewFamily:
    return NewFamily(
        team=team,
        infants=list(infants),
        carers=carers if carers is not None else [NewCarer("Danielle", "Cartwright", Relationship.MOTHER)],
        **fields,  # type: ignore[arg-type]
    )


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


# -- Creating a family record ---------------------------------------------------------------------------


def test_a_family_is_created_with_its_people(team: Team) -> None:
    new = _new(
        team,
        NewInfant(
            given_name="Lacey", family_name="Cartwright", date_of_birth=date(2026, 7, 20), nhs_number="999 000 0026"
        ),
        carers=[
            NewCarer("Danielle", "Cartwright", Relationship.MOTHER, phone="07700 900104", nhs_number="999-000-0034"),
            NewCarer("Ryan", "Lister", Relationship.FATHER),
        ],
        address_line_1="88 Lindale Gardens",
        town="Blackpool",
        postcode="fy43rn",
        language="English",
        safeguarding=[SafeguardingKind.MARAC],
    )
    family = services.create_family(new=new, source="Referral form")
    assert family.team == team
    assert family.postcode == "FY4 3RN"
    infant = family.infants.get()
    assert (infant.full_name, infant.nhs_number, infant.date_of_birth) == (
        "Lacey Cartwright",
        LACEY_NHS,
        date(2026, 7, 20),
    )
    mum, dad = family.carers.order_by("created_at")
    assert mum.nhs_number == DANI_NHS
    assert mum.is_main_contact
    assert not dad.is_main_contact
    flag = family.safeguarding_flags.get()
    assert (flag.kind, flag.source) == ("marac", "Referral form")
    event = AuditEvent.objects.get(action="family.created")
    assert (event.object_type, event.object_id, event.detail) == (
        "families.family",
        str(family.pk),
        {"source": "Referral form"},
    )


def test_a_family_needs_a_baby_or_child(team: Team) -> None:
    with pytest.raises(FamilyError, match=r"^A family needs at least one baby or child$"):
        services.create_family(new=_new(team), source="Referral form")
    assert not Family.objects.exists()


@pytest.mark.parametrize(
    ("infant", "status"),
    [
        (NewInfant(family_name="A", date_of_birth=date(2026, 1, 5), nhs_number=LACEY_NHS), NhsNumberStatus.NOT_TRACED),
        (NewInfant(family_name="A", expected_due_date=date(2027, 3, 1)), NhsNumberStatus.NOT_REQUIRED),
    ],
)
def test_an_infants_nhs_number_status(team: Team, infant: NewInfant, status: str) -> None:
    family = services.create_family(new=_new(team, infant), source="Referral form")
    assert family.infants.get().nhs_number_status == status


def test_a_newborn_without_a_number_has_its_trace_postponed(team: Team) -> None:
    today = timezone.localdate()
    newborn = NewInfant(family_name="Akhtar", date_of_birth=today - timedelta(days=41))
    family = services.create_family(new=_new(team, newborn), source="Referral form")
    infant = family.infants.get()
    assert infant.nhs_number_status == NhsNumberStatus.POSTPONED_UNDER_SIX_WEEKS
    assert infant.get_nhs_number_status_display() == "Trace postponed (baby under six weeks old)"


def test_a_baby_six_weeks_or_older_without_a_number_needs_a_trace(team: Team) -> None:
    today = timezone.localdate()
    older = NewInfant(family_name="Akhtar", date_of_birth=today - timedelta(days=42))
    family = services.create_family(new=_new(team, older), source="Referral form")
    assert family.infants.get().nhs_number_status == NhsNumberStatus.TRACE_REQUIRED


def test_a_carers_nhs_number_status(team: Team) -> None:
    family = services.create_family(
        new=_new(
            team,
            NewInfant(family_name="A", expected_due_date=date(2027, 3, 1)),
            carers=[
                NewCarer("With", "Number", Relationship.MOTHER, nhs_number=DANI_NHS, date_of_birth=date(1998, 1, 1)),
                NewCarer("Without", "Number", Relationship.FATHER, date_of_birth=date(1997, 1, 1)),
            ],
        ),
        source="Referral form",
    )
    statuses = dict(family.carers.values_list("given_name", "nhs_number_status"))
    assert statuses == {"With": NhsNumberStatus.NOT_TRACED, "Without": NhsNumberStatus.TRACE_REQUIRED}


def test_only_the_carer_marked_as_main_contact_is_the_main_contact(team: Team) -> None:
    """The first carer is the main contact only when nobody is marked; marking the second must
    not leave two main contacts (the first would then be the one messaged)."""
    family = services.create_family(
        new=_new(
            team,
            NewInfant(family_name="A", expected_due_date=date(2027, 3, 1)),
            carers=[
                NewCarer("Grandma", "Holt", Relationship.GRANDPARENT),
                NewCarer("Mum", "Holt", Relationship.MOTHER, is_main_contact=True),
            ],
        ),
        source="Referral form",
    )
    assert list(family.carers.filter(is_main_contact=True).values_list("given_name", flat=True)) == ["Mum"]


# -- Recording a birth --------------------------------------------------------------------------------------


def test_recording_a_birth_keeps_the_same_record(user: User) -> None:
    unborn = UnbornInfantFactory(family_name="Whittle")
    referral = ReferralFactory(family=unborn.family)
    born_on = timezone.localdate() - timedelta(days=3)
    infant = services.record_birth(
        actor=_request(user), infant=unborn, date_of_birth=born_on, given_name="Mia", family_name="Whittle"
    )
    stored = Infant.objects.get(pk=unborn.pk)
    assert infant.pk == unborn.pk
    assert Infant.objects.count() == 1
    assert (stored.date_of_birth, stored.full_name, stored.is_born) == (born_on, "Mia Whittle", True)
    assert stored.expected_due_date == unborn.expected_due_date  # kept: the first 1001 days count from it
    assert stored.nhs_number_status == NhsNumberStatus.POSTPONED_UNDER_SIX_WEEKS
    assert Referral.objects.get(pk=referral.pk).family_id == stored.family_id
    event = AuditEvent.objects.get(action="infant.birth_recorded")
    assert (event.actor, event.object_id, event.detail) == (user, str(unborn.pk), {"family": str(unborn.family_id)})


def test_recording_a_birth_with_an_nhs_number(user: User) -> None:
    unborn = UnbornInfantFactory()
    services.record_birth(
        actor=_request(user),
        infant=unborn,
        date_of_birth=timezone.localdate(),
        given_name="Mia",
        family_name="Whittle",
        nhs_number="999 000 0026",
    )
    stored = Infant.objects.get(pk=unborn.pk)
    assert (stored.nhs_number, stored.nhs_number_status) == (LACEY_NHS, NhsNumberStatus.NOT_TRACED)


def test_a_birth_in_the_future_is_refused(user: User) -> None:
    unborn = UnbornInfantFactory()
    with pytest.raises(FamilyError, match=r"^Date of birth must be today or in the past$"):
        services.record_birth(
            actor=_request(user),
            infant=unborn,
            date_of_birth=timezone.localdate() + timedelta(days=1),
            given_name="Mia",
            family_name="Whittle",
        )
    assert Infant.objects.get(pk=unborn.pk).date_of_birth is None
    assert not _events("infant.birth_recorded")


def test_a_baby_already_born_cannot_be_born_again(user: User) -> None:
    born = InfantFactory(given_name="Lacey", family_name="Cartwright", date_of_birth=date(2026, 5, 1))
    with pytest.raises(FamilyError, match=r"^Lacey Cartwright is already recorded as born$"):
        services.record_birth(
            actor=_request(user), infant=born, date_of_birth=date(2026, 6, 1), given_name="X", family_name="Y"
        )
    assert Infant.objects.get(pk=born.pk).date_of_birth == date(2026, 5, 1)


# -- Safeguarding flags --------------------------------------------------------------------------------------


def test_raising_a_flag(user: User) -> None:
    family = FamilyFactory()
    flag = services.raise_flag(actor=_request(user), family=family, kind="child_in_need", detail="  CIN plan  ")
    assert (flag.kind, flag.detail, flag.raised_by, flag.source) == ("child_in_need", "CIN plan", user, "")
    assert list(family.safeguarding_flags.active()) == [flag]
    event = AuditEvent.objects.get(action="safeguarding.flag_raised")
    assert (event.object_type, event.object_id, event.detail) == (
        "families.family",
        str(family.pk),
        {"kind": "child_in_need"},
    )


def test_a_flag_needs_a_known_kind(user: User) -> None:
    with pytest.raises(FamilyError, match=r"^Select the kind of safeguarding concern$"):
        services.raise_flag(actor=_request(user), family=FamilyFactory(), kind="worry")
    assert not SafeguardingFlag.objects.exists()


def test_removing_a_flag_keeps_it_with_who_when_and_why(user: User) -> None:
    flag = SafeguardingFlagFactory()
    services.remove_flag(actor=_request(user), flag=flag, reason="  Plan closed at review  ")
    stored = SafeguardingFlag.objects.get(pk=flag.pk)
    assert stored.removed_at is not None
    assert (stored.removed_by, stored.removed_reason) == (user, "Plan closed at review")
    assert not SafeguardingFlag.objects.active().exists()
    event = AuditEvent.objects.get(action="safeguarding.flag_removed")
    assert event.object_id == str(flag.family_id)
    assert event.detail["kind"] == "child_in_need"


def test_removing_a_flag_needs_a_reason(user: User) -> None:
    flag = SafeguardingFlagFactory()
    with pytest.raises(FamilyError, match=r"^Enter why this safeguarding flag no longer applies$"):
        services.remove_flag(actor=_request(user), flag=flag, reason=" ")
    assert SafeguardingFlag.objects.get(pk=flag.pk).removed_at is None


def test_a_flag_cannot_be_removed_twice(user: User) -> None:
    flag = SafeguardingFlagFactory()
    services.remove_flag(actor=_request(user), flag=flag, reason="Closed")
    first = SafeguardingFlag.objects.get(pk=flag.pk)
    with pytest.raises(FamilyError, match=r"^This safeguarding flag has already been removed$"):
        services.remove_flag(actor=_request(user), flag=first, reason="Again")
    assert SafeguardingFlag.objects.get(pk=flag.pk).removed_reason == "Closed"
    assert len(_events("safeguarding.flag_removed")) == 1


# -- Merging two records of one family ---------------------------------------------------------------------------


@pytest.fixture
def pair() -> tuple[Family, Family]:
    """The family known to the team, and a second record of it from a new referral: the same
    baby and mum (mum's surname misspelt), plus dad, who was not on the first record."""
    team = TeamFactory()
    kept = FamilyFactory(team=team, postcode="FY4 4QH")
    InfantFactory(
        family=kept, given_name="Lacey", family_name="Cartwright", date_of_birth=date(2026, 7, 20), nhs_number=LACEY_NHS
    )
    CarerFactory(family=kept, given_name="Danielle", family_name="Cartwright")
    ReferralFactory(family=kept, reference="PIR-KEPT-0001")
    merged = FamilyFactory(team=team, postcode="FY4 4QH")
    InfantFactory(family=merged, given_name="Lacey", family_name="Cartwright", date_of_birth=date(2026, 7, 20))
    CarerFactory(family=merged, given_name="Danielle", family_name="Cartwrite")
    CarerFactory(
        family=merged, given_name="Ryan", family_name="Lister", relationship=Relationship.FATHER, is_main_contact=False
    )
    ReferralFactory(family=merged, reference="PIR-NEW1-0002")
    SafeguardingFlagFactory(family=merged, kind="marac")
    return kept, merged


def test_merging_moves_referrals_flags_and_new_people_but_not_the_same_people(
    user: User, pair: tuple[Family, Family]
) -> None:
    kept, merged = pair
    referral = Referral.objects.get(reference="PIR-NEW1-0002")
    flag = SafeguardingFlag.objects.get(family=merged)
    ryan = Carer.objects.get(given_name="Ryan")
    same_lacey = Infant.objects.get(family=merged)
    same_dani = Carer.objects.get(family=merged, given_name="Danielle")

    merge = services.merge_families(actor=_request(user), kept=kept, merged=merged, reason="  Same family  ")

    assert Referral.objects.get(pk=referral.pk).family == kept
    assert SafeguardingFlag.objects.get(pk=flag.pk).family == kept
    assert Carer.objects.get(pk=ryan.pk).family == kept
    assert Infant.objects.get(pk=same_lacey.pk).family == merged
    assert Carer.objects.get(pk=same_dani.pk).family == merged
    assert merge.moved == {
        "families.carer": [str(ryan.pk)],
        "families.safeguardingflag": [str(flag.pk)],
        "referrals.referral": [str(referral.pk)],
    }
    assert (merge.kept, merge.merged, merge.merged_by, merge.reason) == (kept, merged, user, "Same family")
    assert Family.objects.get(pk=merged.pk).merged_into == kept
    assert list(Family.objects.current()) == [kept]


def test_merging_is_audited_on_both_records(user: User, pair: tuple[Family, Family]) -> None:
    kept, merged = pair
    merge = services.merge_families(actor=_request(user), kept=kept, merged=merged, reason="Same family")
    into = AuditEvent.objects.get(action="family.merged")
    assert (into.actor, into.object_id) == (user, str(kept.pk))
    assert into.detail == {"merged": str(merged.pk), "moved": merge.moved}
    away = AuditEvent.objects.get(action="family.merged_away")
    assert (away.object_id, away.detail) == (str(merged.pk), {"into": str(kept.pk)})


def test_the_same_baby_is_recognised_by_its_nhs_number(user: User) -> None:
    team = TeamFactory()
    kept, merged = FamilyFactory(team=team), FamilyFactory(team=team, postcode="BB2 6JD")
    InfantFactory(family=kept, given_name="Lacey", family_name="Cartwright", nhs_number=LACEY_NHS)
    renamed = InfantFactory(family=merged, given_name="Lacey-Mae", family_name="Lister", nhs_number=LACEY_NHS)
    twin = InfantFactory(family=merged, given_name="Lacey", family_name="Cartwright", nhs_number=OTHER_NHS)
    merge = services.merge_families(actor=_request(user), kept=kept, merged=merged, reason="Same family")
    assert Infant.objects.get(pk=renamed.pk).family == merged
    assert Infant.objects.get(pk=twin.pk).family == kept
    assert merge.moved == {"families.infant": [str(twin.pk)]}


def test_a_family_cannot_be_merged_with_itself(user: User) -> None:
    family = FamilyFactory()
    with pytest.raises(FamilyError, match=r"^A family cannot be merged with itself$"):
        services.merge_families(actor=_request(user), kept=family, merged=family, reason="Oops")
    assert not FamilyMerge.objects.exists()


def test_a_merge_needs_a_reason(user: User, pair: tuple[Family, Family]) -> None:
    kept, merged = pair
    with pytest.raises(FamilyError, match=r"^Enter why these are the same family$"):
        services.merge_families(actor=_request(user), kept=kept, merged=merged, reason=" ")
    assert Family.objects.get(pk=merged.pk).merged_into is None


def test_a_merged_record_cannot_be_merged_again_or_merged_into(user: User, pair: tuple[Family, Family]) -> None:
    kept, merged = pair
    services.merge_families(actor=_request(user), kept=kept, merged=merged, reason="Same family")
    third = FamilyFactory(team=kept.team)
    message = "^One of these families has already been merged into another record$"
    with pytest.raises(FamilyError, match=message):
        services.merge_families(actor=_request(user), kept=third, merged=merged, reason="Again")
    with pytest.raises(FamilyError, match=message):
        services.merge_families(actor=_request(user), kept=merged, merged=third, reason="Into it")
    assert FamilyMerge.objects.count() == 1
    assert Family.objects.get(pk=third.pk).merged_into is None


def test_undoing_a_merge_puts_back_exactly_what_moved(user: User, pair: tuple[Family, Family]) -> None:
    kept, merged = pair
    before = {
        "referrals": set(Referral.objects.filter(family=merged).values_list("pk", flat=True)),
        "carers": set(Carer.objects.filter(family=merged).values_list("pk", flat=True)),
        "infants": set(Infant.objects.filter(family=merged).values_list("pk", flat=True)),
        "flags": set(SafeguardingFlag.objects.filter(family=merged).values_list("pk", flat=True)),
    }
    kept_before = set(Carer.objects.filter(family=kept).values_list("pk", flat=True))
    merge = services.merge_families(actor=_request(user), kept=kept, merged=merged, reason="Same family")
    # Added to the kept family after the merge: stays there.
    later_flag = services.raise_flag(actor=_request(user), family=kept, kind="child_in_need")

    restored = services.undo_merge(actor=_request(user), merge=merge)

    assert restored.pk == merged.pk
    assert restored.merged_into is None
    assert set(Referral.objects.filter(family=merged).values_list("pk", flat=True)) == before["referrals"]
    assert set(Carer.objects.filter(family=merged).values_list("pk", flat=True)) == before["carers"]
    assert set(Infant.objects.filter(family=merged).values_list("pk", flat=True)) == before["infants"]
    assert set(SafeguardingFlag.objects.filter(family=merged).values_list("pk", flat=True)) == before["flags"]
    assert set(Carer.objects.filter(family=kept).values_list("pk", flat=True)) == kept_before
    assert SafeguardingFlag.objects.get(pk=later_flag.pk).family == kept
    stored = FamilyMerge.objects.get(pk=merge.pk)
    assert stored.undone_at is not None
    assert stored.undone_by == user
    undone = _events("family.merge_undone")
    assert {e.object_id for e in undone} == {str(kept.pk), str(merged.pk)}
    assert all(e.actor == user for e in undone)


def test_a_merge_cannot_be_undone_twice(user: User, pair: tuple[Family, Family]) -> None:
    kept, merged = pair
    merge = services.merge_families(actor=_request(user), kept=kept, merged=merged, reason="Same family")
    services.undo_merge(actor=_request(user), merge=merge)
    with pytest.raises(FamilyError, match=r"^This merge has already been undone$"):
        services.undo_merge(actor=_request(user), merge=merge)
    assert len(_events("family.merge_undone")) == 2


def test_after_an_undo_the_families_can_be_merged_again(user: User, pair: tuple[Family, Family]) -> None:
    kept, merged = pair
    merge = services.merge_families(actor=_request(user), kept=kept, merged=merged, reason="Same family")
    services.undo_merge(actor=_request(user), merge=merge)
    again = services.merge_families(actor=_request(user), kept=kept, merged=merged, reason="Yes, really")
    assert again.moved == merge.moved


def test_undoing_a_merge_never_silently_loses_what_moved(user: User, pair: tuple[Family, Family]) -> None:
    """The kept family has since been merged into a third record, taking the moved referral with
    it. Undoing the first merge must either refuse (undo the later merge first) or bring the
    referral back: it must not mark the merge undone and leave the referral elsewhere."""
    kept, merged = pair
    referral = Referral.objects.get(reference="PIR-NEW1-0002")
    first = services.merge_families(actor=_request(user), kept=kept, merged=merged, reason="Same family")
    third = FamilyFactory(team=kept.team)
    services.merge_families(actor=_request(user), kept=third, merged=kept, reason="Same family again")
    try:
        services.undo_merge(actor=_request(user), merge=first)
    except FamilyError:
        assert FamilyMerge.objects.get(pk=first.pk).undone_at is None
    else:
        assert Referral.objects.get(pk=referral.pk).family_id == merged.pk
