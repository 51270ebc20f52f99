"""Correcting a family record's details (update_family_details): each change audited with its old
and new value, only the details that may be corrected, only on the family's own people."""

from datetime import timedelta

import pytest
from django.utils import timezone

from attune.accounts.tests.factories import UserFactory
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.families.codes import NhsNumberStatus
from attune.families.models import Family
from attune.families.services import DetailChange, FamilyError, update_family_details
from attune.families.tests.factories import CarerFactory, FamilyFactory, UnbornInfantFactory

pytestmark = pytest.mark.django_db


def test_changes_are_saved_and_audited_with_old_and_new_values() -> None:
    person = UserFactory()
    family = FamilyFactory(postcode="FY1 1AA")
    carer = CarerFactory(family=family, given_name="Jade", family_name="Hughes", phone="07700 900123")
    infant = UnbornInfantFactory(family=family)

    changed = update_family_details(
        actor=acting(person),
        family=family,
        changes=[
            DetailChange(carer, {"phone": "07700 900777", "phone_is_safe": False}, "phone number"),
            DetailChange(family, {"postcode": "fy1 2bb"}, "address"),
            DetailChange(infant, {"nhs_number": "943 476 5919"}, "NHS number"),
        ],
        source="Referral PIR-TEST-0001",
    )

    carer.refresh_from_db()
    family.refresh_from_db()
    infant.refresh_from_db()
    assert (carer.phone, carer.phone_is_safe) == ("07700 900777", False)
    assert family.postcode == "FY1 2BB"
    assert (infant.nhs_number, infant.nhs_number_status) == ("9434765919", NhsNumberStatus.NOT_TRACED)
    event = AuditEvent.objects.get(action="family.details_updated")
    assert (event.object_id, event.actor) == (str(family.pk), person)
    assert event.detail["source"] == "Referral PIR-TEST-0001"
    assert event.detail["changes"] == changed
    assert [(c["field"], c["old"], c["new"]) for c in changed] == [
        ("phone", "07700 900123", "07700 900777"),
        ("phone_is_safe", True, False),
        ("postcode", "FY1 1AA", "FY1 2BB"),
        ("nhs_number", "", "9434765919"),
    ]
    assert changed[0]["who"] == "Jade Hughes"


def test_a_value_already_held_is_no_change_and_nothing_is_audited() -> None:
    family = FamilyFactory()
    carer = CarerFactory(family=family, phone="07700 900123")
    changed = update_family_details(
        actor=acting(UserFactory()), family=family, changes=[DetailChange(carer, {"phone": "07700 900123"})], source=""
    )
    assert changed == []
    assert not AuditEvent.objects.filter(action="family.details_updated").exists()


def test_only_the_details_a_referral_carries_can_be_changed() -> None:
    family = FamilyFactory()
    carer = CarerFactory(family=family)
    with pytest.raises(FamilyError, match="These details cannot be changed here: is_main_contact"):
        update_family_details(
            actor=acting(UserFactory()),
            family=family,
            changes=[DetailChange(carer, {"is_main_contact": False})],
            source="",
        )


def test_another_familys_person_or_record_is_refused() -> None:
    family, other = FamilyFactory(), FamilyFactory()
    stranger = CarerFactory(family=other, phone="07700 900123")
    for change in (DetailChange(stranger, {"phone": "07700 900777"}), DetailChange(other, {"town": "Elsewhere"})):
        with pytest.raises(FamilyError):
            update_family_details(actor=acting(UserFactory()), family=family, changes=[change], source="")
    stranger.refresh_from_db()
    assert stranger.phone == "07700 900123"


def test_a_merged_away_record_is_not_changed() -> None:
    kept = FamilyFactory()
    merged: Family = FamilyFactory(merged_into=kept)
    with pytest.raises(FamilyError, match="merged into another"):
        update_family_details(
            actor=acting(UserFactory()), family=merged, changes=[DetailChange(merged, {"town": "X"})], source=""
        )


def test_a_date_of_birth_in_the_future_is_refused() -> None:
    family = FamilyFactory()
    carer = CarerFactory(family=family)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(FamilyError, match="Date of birth must be today or in the past"):
        update_family_details(
            actor=acting(UserFactory()),
            family=family,
            changes=[DetailChange(carer, {"date_of_birth": tomorrow})],
            source="",
        )
