"""A person's language and interpreter need (issue 19, domain reference G.4): recorded per carer,
carried from the referral's answer to the main carer, shown on the family page, changed on its
own page with clear messages, and never a family member as interpreter."""

import importlib
import re
from collections.abc import Callable
from datetime import date
from html import unescape
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from attune.accounts.models import User
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.core.testing.queries import assert_flat, growing
from attune.families import language_services, services
from attune.families.codes import Relationship
from attune.families.models import Carer, Family
from attune.families.tests.factories import CarerFactory, FamilyFactory, UnbornInfantFactory
from attune.organisations.tests.world import World

pytestmark = pytest.mark.django_db

carry_over = importlib.import_module("attune.families.migrations.0012_language").carry_family_language_to_main_carer


def household(world: World, **family: Any) -> tuple[Family, Carer]:
    found: Family = FamilyFactory(team=world.hub, **family)
    UnbornInfantFactory(family=found, family_name="Nowak", expected_due_date=date(2027, 2, 14))
    mum = CarerFactory(family=found, given_name="Anna", family_name="Nowak")
    return found, mum


def text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def summary_errors(response: Any) -> list[str]:
    page = response.content.decode()
    if "nhsuk-error-summary__list" not in page:
        return []
    summary = page.split("nhsuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [unescape(item.strip()) for item in re.findall(r'<a href="[^"]+">(.*?)</a>', summary, re.S)]


POLISH = {
    "spoken_language": "Polish",
    "dialect": "Silesian",
    "written_language": "",
    "interpreter_needed": "yes",
    "language_note": "Prefers a female interpreter",
}


# The referral's answer ---------------------------------------------------------------------------


def test_a_new_family_gives_the_referrals_language_to_the_main_carer(world: World) -> None:
    new = services.NewFamily(
        team=world.hub,
        infants=[services.NewInfant(expected_due_date=date(2027, 3, 1))],
        carers=[
            services.NewCarer("Tom", "Nowak", Relationship.FATHER),
            services.NewCarer("Anna", "Nowak", Relationship.MOTHER, is_main_contact=True),
        ],
        language="Polish",
        interpreter_needed=True,
    )
    family = services.create_family(new=new, source="Referral form")
    anna = family.carers.get(given_name="Anna")
    tom = family.carers.get(given_name="Tom")
    assert (anna.spoken_language, anna.interpreter_needed) == ("Polish", True)
    assert (tom.spoken_language, tom.interpreter_needed) == ("", False)
    # What the referral said stays on the family, as it was given.
    assert (family.language, family.interpreter_needed) == ("Polish", True)


def test_a_carers_own_language_is_kept_over_the_familys(world: World) -> None:
    new = services.NewFamily(
        team=world.hub,
        infants=[services.NewInfant(expected_due_date=date(2027, 3, 1))],
        carers=[services.NewCarer("Amir", "Khan", Relationship.FATHER, spoken_language="Urdu", dialect="Pothwari")],
        language="English",
    )
    carer = services.create_family(new=new, source="Referral form").carers.get()
    assert (carer.spoken_language, carer.dialect, carer.interpreter_needed) == ("Urdu", "Pothwari", False)


def test_the_migration_carries_each_familys_answer_to_its_main_carer(world: World) -> None:
    answered, mum = household(world, language="Polish", interpreter_needed=True)
    CarerFactory(family=answered, given_name="Tom", is_main_contact=False)
    no_main, _ = household(world, language="Urdu")
    Carer.objects.filter(family=no_main).update(is_main_contact=False)
    _already, recorded = household(world, language="Arabic", interpreter_needed=True)
    Carer.objects.filter(pk=recorded.pk).update(spoken_language="French")
    _silent, quiet = household(world, language="")

    carry_over(apps, None)

    mum.refresh_from_db()
    assert (mum.spoken_language, mum.interpreter_needed) == ("Polish", True)
    assert not answered.carers.filter(given_name="Tom", interpreter_needed=True).exists()
    assert no_main.carers.get().spoken_language == "Urdu"
    recorded.refresh_from_db()
    assert (recorded.spoken_language, recorded.interpreter_needed) == ("French", False)  # never overwritten
    quiet.refresh_from_db()
    assert (quiet.spoken_language, quiet.interpreter_needed) == ("", False)


# The action -------------------------------------------------------------------------------------


def test_recording_a_language_is_audited_with_what_changed(world: World, coordinator: User) -> None:
    _family, mum = household(world)
    changed = language_services.record_language(
        actor=acting(coordinator),
        carer=mum,
        language=language_services.Language(spoken_language="  Polish ", interpreter_needed=True),
    )
    assert changed == ["spoken_language", "interpreter_needed"]
    mum.refresh_from_db()
    assert (mum.spoken_language, mum.interpreter_needed) == ("Polish", True)
    event = AuditEvent.objects.get(action="carer.language_recorded")
    assert (str(event.person_id), event.detail) == (str(mum.pk), {"changed": ["spoken_language", "interpreter_needed"]})
    assert str(event.family_id) == str(mum.family_id)

    again = language_services.record_language(
        actor=acting(coordinator), carer=mum, language=language_services.Language("Polish", interpreter_needed=True)
    )
    assert again == []
    assert AuditEvent.objects.filter(action="carer.language_recorded").count() == 1


def test_an_interpreter_needs_a_language(world: World, coordinator: User) -> None:
    _family, mum = household(world)
    with pytest.raises(language_services.LanguageError) as refused:
        language_services.record_language(
            actor=acting(coordinator), carer=mum, language=language_services.Language(interpreter_needed=True)
        )
    assert refused.value.problems == {"spoken_language": "Enter the language the interpreter needs to speak"}
    mum.refresh_from_db()
    assert not mum.interpreter_needed


# The pages --------------------------------------------------------------------------------------


def test_a_coordinator_records_a_mothers_language_and_the_family_page_shows_it(
    signed_in: Callable[[User], Client], coordinator: User, world: World
) -> None:
    family, mum = household(world)
    client = signed_in(coordinator)
    url = f"/families/{family.pk}/carers/{mum.pk}/language"

    form = text(client.get(url))
    assert "Never ask a family member, a friend or a child to interpret" in form
    read = AuditEvent.objects.filter(action="family.viewed", person_id=mum.pk).get()
    assert read.detail == {"page": "carer_language"}

    response = client.post(url, POLISH)
    assert response.status_code == 302
    assert response["Location"] == f"/families/{family.pk}"
    page = text(client.get(f"/families/{family.pk}"))
    assert "Language saved for Anna Nowak." in page
    assert "Polish, Silesian dialect" in page
    assert "Needs an interpreter" in page
    assert "never a family member, friend or child" in page
    assert "Prefers a female interpreter" in page
    assert f'href="{url}"' in client.get(f"/families/{family.pk}").content.decode()


def test_an_interpreter_without_a_language_is_refused_with_everything_kept(
    signed_in: Callable[[User], Client], coordinator: User, world: World
) -> None:
    family, mum = household(world)
    client = signed_in(coordinator)
    url = f"/families/{family.pk}/carers/{mum.pk}/language"
    response = client.post(url, {**POLISH, "spoken_language": " "})
    assert summary_errors(response) == ["Enter the language the interpreter needs to speak"]
    page = response.content.decode()
    assert 'value="Silesian"' in page
    assert "Prefers a female interpreter" in page
    assert "<title>Error: " in page

    unanswered = client.post(url, {**POLISH, "interpreter_needed": ""})
    assert summary_errors(unanswered) == ["Select whether they need an interpreter"]
    mum.refresh_from_db()
    assert (mum.spoken_language, mum.interpreter_needed) == ("", False)


def test_the_language_page_is_not_found_for_a_stranger_or_another_familys_carer(
    signed_in: Callable[[User], Client], outsider: User, coordinator: User, commissioner: User, world: World
) -> None:
    family, mum = household(world)
    _other, someone_else = household(world)
    assert signed_in(outsider).get(f"/families/{family.pk}/carers/{mum.pk}/language").status_code == 404
    assert signed_in(commissioner).get(f"/families/{family.pk}/carers/{mum.pk}/language").status_code == 404
    client = signed_in(coordinator)
    assert client.get(f"/families/{family.pk}/carers/{someone_else.pk}/language").status_code == 404
    assert client.post(f"/families/{family.pk}/carers/{someone_else.pk}/language", POLISH).status_code == 404
    someone_else.refresh_from_db()
    assert someone_else.spoken_language == ""


def test_the_language_page_query_count_does_not_grow_with_the_familys_carers(
    signed_in: Callable[[User], Client], coordinator: User, world: World
) -> None:
    family, mum = household(world)
    client = signed_in(coordinator)
    assert_flat(
        grow=growing(lambda: CarerFactory(family=family, is_main_contact=False), family.carers.count),
        fetch=lambda: client.get(f"/families/{family.pk}/carers/{mum.pk}/language"),
    )


# Linking a referral to a known family -------------------------------------------------------------


def _linked(world: World, coordinator: User, *, known_language: str) -> Carer:
    """A family the team knows (Anna, language `known_language`), and a new referral for the same
    mother saying she speaks Polish and needs an interpreter, linked to it."""
    from attune.referrals import services as referral_services
    from attune.referrals.tests.factories import ReferralFactory

    known, anna = household(world, postcode="FY1 1AA")
    Carer.objects.filter(pk=anna.pk).update(spoken_language=known_language)
    again, _ = household(world, postcode="FY1 1AA", language="Polish", interpreter_needed=True)
    again.carers.update(spoken_language="Polish", interpreter_needed=True)
    referral = ReferralFactory(family=again)
    referral_services.link_referral(
        actor=acting(coordinator), referral=referral, family=known, reason="Same mother", take=[]
    )
    anna.refresh_from_db()
    return anna


def test_linking_a_referral_gives_its_language_to_a_carer_with_none_recorded(world: World, coordinator: User) -> None:
    anna = _linked(world, coordinator, known_language="")
    assert (anna.spoken_language, anna.interpreter_needed) == ("Polish", True)
    assert AuditEvent.objects.filter(action="carer.language_recorded", person_id=anna.pk).count() == 1


def test_linking_a_referral_keeps_a_language_already_recorded(world: World, coordinator: User) -> None:
    anna = _linked(world, coordinator, known_language="English")
    assert (anna.spoken_language, anna.interpreter_needed) == ("English", False)
