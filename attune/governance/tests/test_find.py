"""The IG lead's Find page: a family her organisation's teams look after (by name, NHS number,
date of birth, postcode or reference, through the search engine) and a member of staff of her
organisation (by name or email). Every search is audited; bad input gets a message."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.core import audit
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.core.testing.queries import queries_for
from attune.families.models import Family
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World

NHS_NUMBER = "9434765919"


@pytest.fixture
def ashworths(world: World) -> Family:
    family = FamilyFactory(team=world.satellite, postcode="BB1 7DJ")
    CarerFactory(family=family, given_name="Chloe", family_name="Ashworth", is_main_contact=True)
    InfantFactory(
        family=family,
        given_name="Ava",
        family_name="Ashworth",
        nhs_number=NHS_NUMBER,
        date_of_birth=dt.date(2025, 3, 3),
    )
    return family


def _searched() -> AuditEvent:
    return AuditEvent.objects.filter(action="audit.searched").latest("id")


def test_the_ig_lead_finds_a_family_by_name_and_opens_its_history(
    signed_in: Callable[[User], Client], ig_lead: User, ashworths: Family
) -> None:
    response = signed_in(ig_lead).get("/audit/find", {"family": "Ashworth"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/audit/families/{ashworths.pk}"' in html
    assert "Family of Chloe Ashworth" in html
    assert "Example satellite team" in html
    assert "Ava Ashworth, born 3 March 2025, NHS number 943 476 5919" in html
    assert "Chloe Ashworth (mother)" in html
    event = _searched()
    assert event.actor == ig_lead
    assert event.detail == {"for": "family", "kind": "name", "query": "Ashworth", "results": 1}
    assert event.role == "Information governance lead, Example Hospitals NHS FT"


def test_the_ig_lead_finds_a_family_by_a_misspelt_name(
    signed_in: Callable[[User], Client], ig_lead: User, ashworths: Family
) -> None:
    html = signed_in(ig_lead).get("/audit/find", {"family": "Chloe Ashwroth"}).content.decode()
    assert f'href="/audit/families/{ashworths.pk}"' in html


def test_the_ig_lead_finds_a_family_by_nhs_number_typed_with_spaces(
    signed_in: Callable[[User], Client], ig_lead: User, ashworths: Family
) -> None:
    html = signed_in(ig_lead).get("/audit/find", {"family": "943 476 5919"}).content.decode()
    assert f'href="/audit/families/{ashworths.pk}"' in html
    assert "Searching by NHS number" in html
    assert _searched().detail["kind"] == "nhs_number"


def test_an_ig_lead_of_another_trust_finds_nothing(
    signed_in: Callable[[User], Client], world: World, ashworths: Family
) -> None:
    other = UserFactory(full_name="Ivy Elsewhere")
    MembershipFactory(user=other, role=Role.IG_LEAD, team=None, organisation=world.other_trust)
    html = signed_in(other).get("/audit/find", {"family": "Ashworth"}).content.decode()
    assert str(ashworths.pk) not in html
    assert "No families found for ‘Ashworth’" in html
    assert _searched().detail["results"] == 0


def test_a_family_of_another_trust_is_never_found(
    signed_in: Callable[[User], Client], ig_lead: User, world: World
) -> None:
    theirs = FamilyFactory(team=world.other_team)
    CarerFactory(family=theirs, given_name="Chloe", family_name="Ashworth")
    html = signed_in(ig_lead).get("/audit/find", {"family": "Ashworth"}).content.decode()
    assert str(theirs.pk) not in html


def test_the_find_page_is_only_for_the_ig_lead(signed_in: Callable[[User], Client], coordinator: User) -> None:
    assert signed_in(coordinator).get("/audit/find", {"family": "Ashworth"}).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.searched").exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a name, NHS number, date of birth, postcode or referral reference"),
        ("   ", "Enter a name, NHS number, date of birth, postcode or referral reference"),
        ("A" * 500, "Enter 100 characters or fewer"),
    ],
)
def test_a_search_that_cannot_run_says_why(
    signed_in: Callable[[User], Client], ig_lead: User, typed: str, message: str
) -> None:
    response = signed_in(ig_lead).get("/audit/find", {"family": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    event = _searched()
    assert event.detail["results"] == 0
    assert event.detail["problem"] == message


def test_a_one_letter_search_gets_the_engines_message(signed_in: Callable[[User], Client], ig_lead: User) -> None:
    html = signed_in(ig_lead).get("/audit/find", {"family": "A"}).content.decode()
    assert "There is a problem" in html
    assert _searched().detail["problem"]


@pytest.mark.parametrize(
    "typed", ["%", "_%_", "*", "'; drop table families_family; --", "(a|b)+$", "123 456 7890", "²³"]
)
def test_odd_input_never_errors(
    signed_in: Callable[[User], Client], ig_lead: User, ashworths: Family, typed: str
) -> None:
    response = signed_in(ig_lead).get("/audit/find", {"family": typed})
    assert response.status_code == 200
    assert str(ashworths.pk) not in response.content.decode()
    assert Family.objects.filter(pk=ashworths.pk).exists()


def test_the_results_cost_the_same_queries_for_one_family_and_for_twenty_five(
    signed_in: Callable[[User], Client], ig_lead: User, world: World
) -> None:
    client = signed_in(ig_lead)

    def add(n: int) -> None:
        for _ in range(n):
            family = FamilyFactory(team=world.hub)
            CarerFactory(family=family, given_name="Chloe", family_name="Ashworth", is_main_contact=True)
            InfantFactory(family=family, given_name="Ava", family_name="Ashworth")

    add(1)
    client.get("/audit/find", {"family": "Ashworth"})
    one = queries_for(lambda: client.get("/audit/find", {"family": "Ashworth"}))
    add(24)
    many = queries_for(lambda: client.get("/audit/find", {"family": "Ashworth"}))
    assert _searched().detail["results"] == 25
    assert one == many


# Staff -------------------------------------------------------------------------------------------


def test_the_ig_lead_finds_a_member_of_staff_by_name_or_email(
    signed_in: Callable[[User], Client], ig_lead: User, practitioner: User, outsider: User
) -> None:
    audit.record(action="team.viewed", actor=acting(practitioner))
    client = signed_in(ig_lead)
    html = client.get("/audit/find", {"staff": "pat prac"}).content.decode()
    assert "Pat Practitioner" in html
    assert "Parent-infant therapist, Example hub team" in html
    assert f'href="/audit/people/{practitioner.pk}"' in html
    assert f'href="/audit?person={practitioner.pk}"' in html
    by_email = client.get("/audit/find", {"staff": practitioner.email.split("@")[0]}).content.decode()
    assert "Pat Practitioner" in by_email
    assert _searched().detail == {"for": "staff", "query": practitioner.email.split("@")[0], "results": 1}


def test_staff_of_another_organisation_are_not_found(
    signed_in: Callable[[User], Client], ig_lead: User, outsider: User
) -> None:
    html = signed_in(ig_lead).get("/audit/find", {"staff": "Otto"}).content.decode()
    assert "Otto Outsider" not in html
    assert "No member of staff of your organisation found for ‘Otto’" in html


def test_a_member_of_staff_who_has_done_nothing_has_no_activity_link(
    signed_in: Callable[[User], Client], ig_lead: User, practitioner: User
) -> None:
    html = signed_in(ig_lead).get("/audit/find", {"staff": "Pat"}).content.decode()
    assert "Pat Practitioner" in html
    assert f"/audit/people/{practitioner.pk}" not in html
    assert "Nothing recorded yet." in html


@pytest.mark.parametrize(
    ("typed", "message"), [("P", "Enter at least 2 characters"), ("x" * 101, "Enter 100 characters")]
)
def test_a_staff_search_that_cannot_run_says_why(
    signed_in: Callable[[User], Client], ig_lead: User, typed: str, message: str
) -> None:
    response = signed_in(ig_lead).get("/audit/find", {"staff": typed})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_percent_sign_matches_itself_not_everyone(
    signed_in: Callable[[User], Client], ig_lead: User, practitioner: User
) -> None:
    html = signed_in(ig_lead).get("/audit/find", {"staff": "%%"}).content.decode()
    assert "Pat Practitioner" not in html


def test_the_audit_log_links_to_find(signed_in: Callable[[User], Client], ig_lead: User) -> None:
    assert 'href="/audit/find"' in signed_in(ig_lead).get("/audit").content.decode()
