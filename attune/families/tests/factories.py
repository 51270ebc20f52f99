import datetime

import factory
from django.utils import timezone

from attune.core.clocks import add_months
from attune.families import search_index
from attune.families.codes import Relationship
from attune.families.models import Carer, Family, Infant, SafeguardingFlag
from attune.organisations.tests.factories import TeamFactory


class _Indexed(factory.django.DjangoModelFactory):
    """Made records are searchable, as the actions leave them (families.search_index)."""

    class Meta:
        abstract = True

    @classmethod
    def _after_postgeneration(cls, instance: object, create: bool, results: object = None) -> None:
        super()._after_postgeneration(instance, create, results)
        if create:
            family_id = instance.pk if isinstance(instance, Family) else getattr(instance, "family_id", None)
            if family_id is not None:
                search_index.reindex_family(family_id)


class FamilyFactory(_Indexed):
    class Meta:
        model = Family

    team = factory.SubFactory(TeamFactory)
    address_line_1 = factory.Sequence(lambda n: f"{n} Example Street")
    town = "Blackburn"
    postcode = "BB1 7DJ"
    language = "English"


class InfantFactory(_Indexed):
    class Meta:
        model = Infant

    family = factory.SubFactory(FamilyFactory)
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    # Ages follow the clock the code reads (a pinned clock included): 6 months old today, due in
    # 11 weeks. A test that needs an age or a date states it.
    date_of_birth = factory.LazyFunction(lambda: add_months(timezone.localdate(), -6))


class UnbornInfantFactory(InfantFactory):
    given_name = ""
    date_of_birth = None
    expected_due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(weeks=11))


class CarerFactory(_Indexed):
    class Meta:
        model = Carer

    family = factory.SubFactory(FamilyFactory)
    given_name = factory.Faker("first_name_female", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    relationship = Relationship.MOTHER
    phone = "07700 900123"
    email = factory.Sequence(lambda n: f"parent{n}@example.org")
    is_main_contact = True


class SafeguardingFlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafeguardingFlag

    family = factory.SubFactory(FamilyFactory)
    kind = "child_in_need"
