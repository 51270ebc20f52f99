"""Each page of the public referral forms says plainly what is wrong (NHS content style), keeps
what was typed, and lets nothing through that the team could not use."""

from datetime import timedelta
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.utils import timezone

from attune.core.clocks import add_years
from attune.organisations.models import Catchment, OrganisationKind
from attune.organisations.tests.factories import OrganisationFactory
from attune.organisations.tests.world import World
from attune.referrals.public_forms import FLOWS
from attune.referrals.tests.test_public_flow import (
    PRO,
    SELF,
    date_parts,
    errors,
    fill_in,
    months_ago,
    post,
    professional_answers,
    self_answers,
    title,
)

PHONE_ERROR = "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    from django.core.cache import cache

    cache.clear()


def up_to(client: Client, base: str, slug: str, answers: dict[str, dict[str, Any]] | None = None) -> None:
    """Answer every page before `slug`."""
    answers = answers or (self_answers() if base == SELF else professional_answers())
    location = client.get(base)["Location"]
    while not location.endswith(f"/{slug}"):
        page = location.rsplit("/", 1)[-1]
        assert page in answers, f"{page} came before {slug}"
        location = client.post(location, answers[page])["Location"]


def problems(client: Client, base: str, slug: str, data: dict[str, Any]) -> list[str]:
    response = post(client, base, slug, data)
    assert response.status_code == 200, f"{slug} accepted {data}"
    assert title(response).startswith("Error: ")
    return errors(response)


# The family's postcode -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the family's postcode"),
        ("   ", "Enter the family's postcode"),
        ("not a postcode", "Enter a real postcode, like BB1 7DJ"),
        ("BB1 7DJ BB1 7DJ", "Enter a real postcode, like BB1 7DJ"),
        ("12345", "Enter a real postcode, like BB1 7DJ"),
    ],
)
def test_postcode_must_be_real(client: Client, world: World, typed: str, message: str) -> None:
    assert problems(client, PRO, "postcode", {"postcode": typed}) == [message]


def test_a_postcode_no_team_covers_is_refused_with_the_areas_covered(client: Client, world: World) -> None:
    leeds = OrganisationFactory(name="Riverside Council", kind=OrganisationKind.LOCAL_AUTHORITY, code="E08000999")
    Catchment.objects.create(prefix="LS1", local_authority=leeds)
    expected = (
        "We cannot accept referrals for this postcode. "
        "This service covers City Council, Mill Town Council and Seaside Council"
    )
    assert problems(client, PRO, "postcode", {"postcode": "LS1 4AP"}) == [expected]
    # A postcode in no council the catchment table knows gets the same answer.
    assert problems(client, PRO, "postcode", {"postcode": "SW1A 1AA"}) == [expected]


def test_the_areas_covered_come_from_the_teams_rules(client: Client, world: World) -> None:
    world.other_team.rules_history.all().delete()
    message = problems(client, PRO, "postcode", {"postcode": "M1 1AE"})
    assert message == [
        "We cannot accept referrals for this postcode. This service covers Mill Town Council and Seaside Council"
    ]


def test_a_covered_postcode_finds_its_team(client: Client, world: World) -> None:
    assert post(client, PRO, "postcode", {"postcode": "bb17dj"})["Location"] == f"{PRO}/born"


# The baby ------------------------------------------------------------------------------------


def test_born_or_not_must_be_answered(client: Client, world: World) -> None:
    up_to(client, PRO, "born")
    assert problems(client, PRO, "born", {}) == ["Select whether the baby has been born"]


def _baby(**changes: Any) -> dict[str, Any]:
    return {**professional_answers()["baby"], **changes}


def test_the_baby_page_needs_a_name_and_date_of_birth(client: Client, world: World) -> None:
    up_to(client, PRO, "baby")
    assert problems(client, PRO, "baby", {"given_name": "", "family_name": "", "nhs_number": ""}) == [
        "Enter the baby's first name",
        "Enter the baby's last name",
        "Enter the baby's date of birth",
    ]


@pytest.mark.parametrize(
    ("date_typed", "message"),
    [
        (
            {"date_of_birth-day": "3", "date_of_birth-month": "11", "date_of_birth-year": ""},
            "Date of birth must include a year",
        ),
        (
            {"date_of_birth-day": "31", "date_of_birth-month": "2", "date_of_birth-year": "2025"},
            "Date of birth must be a real date",
        ),
        (
            {"date_of_birth-day": "1", "date_of_birth-month": "1", "date_of_birth-year": "25"},
            "Date of birth must be a real date",
        ),
    ],
)
def test_the_date_of_birth_must_be_a_whole_real_date(
    client: Client, world: World, date_typed: dict[str, str], message: str
) -> None:
    up_to(client, PRO, "baby")
    assert problems(client, PRO, "baby", _baby(**date_typed)) == [message]


def test_the_date_of_birth_cannot_be_in_the_future(client: Client, world: World) -> None:
    up_to(client, PRO, "baby")
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert problems(client, PRO, "baby", _baby(**date_parts("date_of_birth", tomorrow))) == [
        "Date of birth must be today or in the past"
    ]
    today = date_parts("date_of_birth", timezone.localdate())
    assert post(client, PRO, "baby", _baby(**today)).status_code == 302


def test_a_child_past_the_teams_upper_age_is_refused(client: Client, world: World) -> None:
    up_to(client, PRO, "baby")
    six = add_years(timezone.localdate(), -6) - timedelta(days=1)
    assert problems(client, PRO, "baby", _baby(**date_parts("date_of_birth", six))) == [
        "The child is 6. This team works with children up to their 5th birthday"
    ]


def test_the_upper_age_is_the_teams_own(client: Client, world: World) -> None:
    world.satellite.rules_history.update(max_age_years=2)
    up_to(client, PRO, "baby")
    assert problems(client, PRO, "baby", _baby(**date_parts("date_of_birth", months_ago(30)))) == [
        "The child is 2. This team works with children up to their 2nd birthday"
    ]


@pytest.mark.parametrize(
    "number", ["943 476 5918", "123", "94347659190", "abcdefghij", "943 476 591x9", "943.476.5919"]
)
def test_an_nhs_number_must_pass_its_check_digit(client: Client, world: World, number: str) -> None:
    up_to(client, PRO, "baby")
    assert problems(client, PRO, "baby", _baby(nhs_number=number)) == [
        "Enter a valid NHS number. It is 10 digits, like 943 476 5919"
    ]


@pytest.mark.parametrize("number", ["", "9434765919", "943-476-5919", " 943 476 5919 "])
def test_an_nhs_number_is_optional_and_forgives_spacing(client: Client, world: World, number: str) -> None:
    up_to(client, PRO, "baby")
    assert post(client, PRO, "baby", _baby(nhs_number=number)).status_code == 302


def _unborn_client(client: Client) -> None:
    up_to(client, PRO, "born")
    post(client, PRO, "born", {"born": "no"})


def test_an_unborn_baby_needs_a_due_date(client: Client, world: World) -> None:
    _unborn_client(client)
    assert problems(client, PRO, "unborn-baby", {"family_name": "Hartley"}) == ["Enter the baby's due date"]


def test_a_due_date_more_than_10_months_ahead_is_refused(client: Client, world: World) -> None:
    _unborn_client(client)
    two_years = timezone.localdate() + timedelta(days=730)
    assert problems(client, PRO, "unborn-baby", date_parts("expected_due_date", two_years)) == [
        "The due date must be within 10 months of today"
    ]
    soon = timezone.localdate() + timedelta(days=90)
    assert post(client, PRO, "unborn-baby", date_parts("expected_due_date", soon)).status_code == 302


def test_a_team_that_sees_only_born_babies_says_so(client: Client, world: World) -> None:
    world.satellite.rules_history.update(accepts_unborn=False)
    _unborn_client(client)
    soon = timezone.localdate() + timedelta(days=90)
    assert problems(client, PRO, "unborn-baby", date_parts("expected_due_date", soon)) == [
        "This team takes referrals only after the baby is born"
    ]


# Parents and carers --------------------------------------------------------------------------


def test_the_carer_page_needs_who_they_are(client: Client, world: World) -> None:
    up_to(client, PRO, "parent-or-carer")
    assert problems(client, PRO, "parent-or-carer", {}) == [
        "Enter their first name",
        "Enter their last name",
        "Select their relationship to the baby",
        "Select whether they have parental responsibility",
    ]


def test_a_carers_date_of_birth_is_optional_but_must_be_past(client: Client, world: World) -> None:
    up_to(client, PRO, "parent-or-carer")
    carer = professional_answers()["parent-or-carer"]
    future = date_parts("date_of_birth", timezone.localdate() + timedelta(days=3))
    assert problems(client, PRO, "parent-or-carer", {**carer, **future}) == ["Date of birth must be in the past"]


def _contact(**changes: Any) -> dict[str, Any]:
    return {**professional_answers()["contact"], **changes}


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        (
            {"phone": "", "phone_is_safe": ""},
            ["Enter a phone number or an email address, or select 'Do not contact directly'"],
        ),
        ({"phone": "call me maybe"}, [PHONE_ERROR]),
        ({"phone": "0770090098"}, []),
        ({"phone": "07700 9009"}, [PHONE_ERROR]),
        (
            {"phone_is_safe": ""},
            ["Select whether it is safe to send text messages to this phone or leave messages on it"],
        ),
        (
            {"phone_is_safe": "no"},
            ["It is not safe to send text messages to this phone. Select another way to contact them"],
        ),
        ({"email": "jade@example"}, ["Enter an email address in the correct format, like name@example.com"]),
        ({"email": "jade@example.com"}, ["Select whether it is safe to email them"]),
        (
            {"contact_preference": "email"},
            ["Enter an email address, or select another way to contact them"],
        ),
        (
            {"contact_preference": "email", "email": "jade@example.com", "email_is_safe": "no"},
            ["It is not safe to email them. Select another way to contact them"],
        ),
        ({"contact_preference": ""}, ["Select how they prefer to be contacted"]),
        ({"contact_preference": "phone", "phone_is_safe": "no"}, []),
        ({"contact_preference": "none", "phone": "", "phone_is_safe": ""}, []),
        (
            {"safe_contact_note": "x" * 501},
            ["Anything the team should know to contact them safely (optional) must be 500 characters or fewer"],
        ),
    ],
)
def test_contact_details_must_give_a_safe_way_to_reach_the_parent(
    client: Client, world: World, changes: dict[str, str], messages: list[str]
) -> None:
    up_to(client, PRO, "contact")
    response = post(client, PRO, "contact", _contact(**changes))
    assert errors(response) == messages
    assert response.status_code == (200 if messages else 302)


def test_another_carer_must_be_answered(client: Client, world: World) -> None:
    up_to(client, PRO, "another-carer")
    assert problems(client, PRO, "another-carer", {}) == ["Select whether there is another parent or carer"]


def test_the_second_carer_pages_check_the_same_things(client: Client, world: World) -> None:
    up_to(client, PRO, "another-carer")
    post(client, PRO, "another-carer", {"another": "yes"})
    assert problems(client, PRO, "other-parent-or-carer", {"given_name": "Liam"}) == [
        "Enter their last name",
        "Select their relationship to the baby",
        "Select whether they have parental responsibility",
    ]
    post(client, PRO, "other-parent-or-carer", {**professional_answers()["parent-or-carer"], "relationship": "father"})
    assert problems(client, PRO, "other-contact", _contact(phone="", phone_is_safe="")) == [
        "Enter a phone number or an email address, or select 'Do not contact directly'"
    ]


# The address, language, GP and reason ----------------------------------------------------------


def test_the_address_needs_a_first_line_and_town(client: Client, world: World) -> None:
    up_to(client, PRO, "address")
    assert problems(client, PRO, "address", {}) == [
        "Enter address line 1, typically the building and street",
        "Enter town or city",
    ]
    assert problems(client, PRO, "address", {"address_line_1": "x" * 201, "town": "Blackburn"}) == [
        "Address line 1 must be 200 characters or fewer"
    ]


def test_the_interpreter_question_must_be_answered(client: Client, world: World) -> None:
    up_to(client, PRO, "language-and-ethnicity")
    data = {"language": "Urdu", "infant_ethnicity": "J", "carer_ethnicity": "J"}
    assert problems(client, PRO, "language-and-ethnicity", data) == ["Select whether the family needs an interpreter"]
    assert problems(
        client, PRO, "language-and-ethnicity", {**data, "interpreter_needed": "yes", "infant_ethnicity": "Q"}
    )


def test_the_ethnic_groups_start_as_not_known(client: Client, world: World) -> None:
    up_to(client, PRO, "language-and-ethnicity")
    html = client.get(f"{PRO}/language-and-ethnicity").content.decode()
    assert html.count('<option value="99" selected>Not known</option>') == 2


def test_the_reason_is_needed_and_has_a_limit(client: Client, world: World) -> None:
    up_to(client, PRO, "reason")
    assert problems(client, PRO, "reason", {"reason": "  "}) == ["Enter why you are referring this family"]
    assert problems(client, PRO, "reason", {"reason": "x" * 5001}) == [
        "Reason for referral must be 5,000 characters or fewer"
    ]
    assert post(client, PRO, "reason", {"reason": "x" * 5000}).status_code == 302


def test_stresses_are_optional_but_must_be_from_the_list(client: Client, world: World) -> None:
    up_to(client, PRO, "stresses")
    assert post(client, PRO, "stresses", {}).status_code == 302
    assert post(client, PRO, "stresses", {"stresses_parent": ["made_up"]}).status_code == 200


def test_the_stresses_page_groups_them_in_four(client: Client, world: World) -> None:
    up_to(client, PRO, "stresses")
    html = client.get(f"{PRO}/stresses").content.decode()
    assert html.count("<fieldset") == 4
    for legend in ("The baby", "The parent&#39;s history and wellbeing", "The family&#39;s circumstances"):
        assert legend in html


def test_safeguarding_needs_an_answer_and_none_known_stands_alone(client: Client, world: World) -> None:
    up_to(client, PRO, "safeguarding")
    assert problems(client, PRO, "safeguarding", {}) == [
        "Select the safeguarding involvement you know of, or select 'None known'"
    ]
    assert problems(client, PRO, "safeguarding", {"safeguarding": ["none", "child_in_need"]}) == [
        "Select 'None known' or the options that apply, not both"
    ]
    response = post(client, PRO, "safeguarding", {"safeguarding": ["child_in_need", "marac"]})
    assert response.status_code == 302


# The referrer and the family's agreement -------------------------------------------------------


def test_about_you_needs_the_referrers_details(client: Client, world: World) -> None:
    up_to(client, PRO, "about-you")
    assert problems(client, PRO, "about-you", {}) == [
        "Enter your full name",
        "Select your role",
        "Enter the name of your organisation",
        "Enter your work email address",
    ]


def test_another_professional_says_which_service_on_the_next_page(client: Client, world: World) -> None:
    up_to(client, PRO, "about-you")
    about = {**professional_answers()["about-you"], "role": "other"}
    assert post(client, PRO, "about-you", about)["Location"] == f"{PRO}/your-service"
    html = client.get(f"{PRO}/your-service").content.decode()
    assert '<option value="H2">' in html
    assert '<option value="A2">' not in html  # offered as a radio already
    assert problems(client, PRO, "your-service", {}) == ["Select the kind of service you work for"]
    assert problems(client, PRO, "your-service", {"source": "B1"})
    assert post(client, PRO, "your-service", {"source": "H2"})["Location"] == f"{PRO}/agreement"
    # A health visitor is not asked.
    post(client, PRO, "about-you", {**about, "role": "A2"})
    assert client.get(f"{PRO}/your-service")["Location"] == f"{PRO}/agreement"


def test_the_referrers_email_must_be_an_email(client: Client, world: World) -> None:
    up_to(client, PRO, "about-you")
    about = {**professional_answers()["about-you"], "email": "jo.bloggs", "phone": "phone me"}
    assert problems(client, PRO, "about-you", about) == [
        "Enter an email address in the correct format, like name@example.com",
        PHONE_ERROR,
    ]


def test_the_familys_agreement_is_needed(client: Client, world: World) -> None:
    up_to(client, PRO, "agreement")
    assert problems(client, PRO, "agreement", {}) == ["Select whether the family has agreed to this referral"]
    assert problems(client, PRO, "agreement", {"consent": "no"}) == [
        "You need the family's agreement before you refer. Talk to them first, then come back."
    ]
    # Without it there is nothing to check or send.
    assert client.get(f"{PRO}/check")["Location"] == f"{PRO}/agreement?return=check"


# The same pages, worded for a parent -----------------------------------------------------------


def test_a_parent_is_spoken_to_as_you(client: Client, world: World) -> None:
    assert problems(client, SELF, "postcode", {"postcode": ""}) == ["Enter your postcode"]
    up_to(client, SELF, "baby")
    assert problems(client, SELF, "baby", {}) == [
        "Enter your baby's first name",
        "Enter your baby's last name",
        "Enter your baby's date of birth",
    ]
    post(client, SELF, "born", {"born": "no"})
    assert problems(client, SELF, "unborn-baby", {}) == ["Enter your baby's due date"]


def test_a_parent_is_asked_once_whether_they_are_the_parent(client: Client, world: World) -> None:
    up_to(client, SELF, "are-you-the-parent")
    assert problems(client, SELF, "are-you-the-parent", {}) == ["Select whether you are the baby's parent"]


def test_a_parent_must_give_a_way_to_reach_them(client: Client, world: World) -> None:
    up_to(client, SELF, "contact")
    html = client.get(f"{SELF}/contact").content.decode()
    assert "How would you like us to contact you?" in html
    assert "Do not contact directly" not in html
    data = {"phone": "", "email": "", "contact_preference": "letter"}
    assert problems(client, SELF, "contact", data) == ["Enter a phone number or an email address"]
    assert problems(client, SELF, "contact", {**data, "contact_preference": "none"}) == [
        "Select a valid choice. none is not one of the available choices."
    ]


def test_a_parent_must_tick_that_they_agree(client: Client, world: World) -> None:
    up_to(client, SELF, "agreement")
    assert problems(client, SELF, "agreement", {}) == [
        "Confirm that you agree to the team contacting you and looking at your referral"
    ]


# Limits on what may be sent ------------------------------------------------------------------


def _form_fields() -> list[tuple[str, str, forms.Field]]:
    return [
        (f"{flow.name}:{step.slug}", name, field)
        for flow in FLOWS.values()
        for step in flow.steps
        for name, field in step.form_class.base_fields.items()
    ]


@pytest.mark.parametrize(("page", "name", "field"), _form_fields(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_text_answer_has_a_size_limit(page: str, name: str, field: forms.Field) -> None:
    if isinstance(field, forms.CharField):
        assert field.max_length is not None, f"{page} {name}"
        assert field.max_length <= 5000


def test_every_page_of_both_forms_is_checked() -> None:
    assert len(_form_fields()) > 60


def test_the_whole_professional_form_reaches_check(client: Client, world: World) -> None:
    assert fill_in(client, PRO, professional_answers()) == f"{PRO}/check"
