"""A person's consent page: current decisions and history, recording a decision with clear errors
and every value kept, withdrawing through a confirmation page; the family page's consent section;
who may open them (a stranger or a tampered person id gets 404), their audit and query counts."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.core.testing.queries import assert_flat, growing_in_bulk, queries_for
from attune.families.codes import ParentalResponsibility, Relationship
from attune.families.consent import record_consent
from attune.families.consent_models import Consent, ConsentDecision, ConsentHow, ConsentPurpose
from attune.families.consent_views import family_consent_section
from attune.families.models import Carer, Family, Infant
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.tests.world import World

pytestmark = pytest.mark.django_db


def html(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def summary_errors(page: str) -> list[tuple[str, str]]:
    if "nhsuk-error-summary__list" not in page:
        return []
    summary = page.split("nhsuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [(href, text.strip()) for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', summary)]


@pytest.fixture
def family(world: World) -> Family:
    return FamilyFactory(team=world.hub)


@pytest.fixture
def mum(family: Family) -> Carer:
    return CarerFactory(
        family=family, given_name="Dani", family_name="Cartwright", parental_responsibility=ParentalResponsibility.YES
    )


@pytest.fixture
def baby(family: Family) -> Infant:
    return InfantFactory(family=family, given_name="Leo", family_name="Cartwright")


def _url(family: Family, person: Carer | Infant) -> str:
    return f"/families/{family.pk}/consent/{person.pk}"


def _give(user: User, person: Carer, purpose: str = ConsentPurpose.CONTACT_TEXT, **more: Any) -> Consent:
    return record_consent(
        actor=acting(user),
        family=person.family,
        person=person,
        purpose=purpose,
        decision=more.pop("decision", ConsentDecision.GIVEN),
        how=ConsentHow.SPOKEN,
        **more,
    )


def test_record_a_decision_and_see_it_on_the_family_page(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, mum: Carer
) -> None:
    client = signed_in(practitioner)

    page = html(client.get(_url(family, mum)))
    assert "<h1>Consent and information sharing: Dani Cartwright (mother)</h1>" in page
    assert "No decision has been recorded for Dani Cartwright (mother)." in page
    assert AuditEvent.objects.filter(
        action="family.viewed", family_id=family.pk, person_id=mum.pk, detail={"page": "consent_person"}
    ).exists()

    review = timezone.localdate() + timedelta(days=90)
    done = client.post(
        _url(family, mum),
        {
            "purpose": "contact_text",
            "decision": "given",
            "how": "spoken",
            "review_on-day": review.day,
            "review_on-month": review.month,
            "review_on-year": review.year,
        },
    )

    assert done.status_code == 302
    assert done["Location"] == _url(family, mum)
    made = mum.consents.get()
    assert (made.purpose, made.decision, made.how, made.review_on, made.recorded_by) == (
        "contact_text",
        "given",
        "spoken",
        review,
        practitioner,
    )
    page = html(client.get(done["Location"]))
    assert "Decision recorded: Contact by text message, given." in page
    assert '<strong class="nhsuk-tag nhsuk-tag--green">Given</strong>' in page
    assert "Spoken, recorded by Pat Practitioner on" in page

    family_page = html(client.get(f"/families/{family.pk}"))
    assert "<h2>Consent and information sharing</h2>" in family_page
    assert f'<a href="{_url(family, mum)}">Dani Cartwright (mother)</a>' in family_page
    # One row per person: what they agreed to, and how many purposes nobody has asked about.
    mum_row = family_page.split(f'<a href="{_url(family, mum)}">Dani Cartwright (mother)</a>', 1)[1].split("</tr>")[0]
    assert "Contact by text message" in mum_row
    assert "> 11 <" in mum_row


def test_errors_are_summarised_and_every_value_kept(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, mum: Carer
) -> None:
    client = signed_in(practitioner)
    nothing = html(client.post(_url(family, mum), {}))
    assert "<title>Error: Consent: Dani Cartwright (mother)" in nothing
    assert summary_errors(nothing) == [
        ("#id_purpose", "Select what the decision is about"),
        ("#id_decision", "Select whether they gave or refused consent"),
        ("#id_how", "Select how they gave it"),
    ]

    yesterday = timezone.localdate() - timedelta(days=1)
    page = html(
        client.post(
            _url(family, mum),
            {
                "purpose": "share_other",
                "agency": "",
                "decision": "given",
                "how": "written",
                "review_on-day": yesterday.day,
                "review_on-month": yesterday.month,
                "review_on-year": yesterday.year,
            },
        )
    )
    assert summary_errors(page) == [
        ("#id_agency", "Enter the name of the agency"),
        ("#id_review_on-day", "The review date must be in the future"),
    ]
    assert 'value="share_other" checked' in page
    assert 'value="written" checked' in page
    assert f'value="{yesterday.year}"' in page
    assert not Consent.objects.exists()


def test_a_babys_decision_names_a_carer_with_parental_responsibility(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, mum: Carer, baby: Infant
) -> None:
    partner = CarerFactory(
        family=family,
        given_name="Sam",
        relationship=Relationship.PARTNER,
        parental_responsibility=ParentalResponsibility.NO,
        is_main_contact=False,
    )
    client = signed_in(practitioner)
    page = html(client.get(_url(family, baby)))
    assert "Who decided for Leo Cartwright?" in page
    assert str(mum.pk) in page
    assert str(partner.pk) not in page

    fields = {"purpose": "video_recording", "decision": "given", "how": "written"}
    for given_by in ("", str(partner.pk)):
        wrong = html(client.post(_url(family, baby), {**fields, "given_by": given_by}))
        assert summary_errors(wrong) == [("#id_given_by", "Select who decided for Leo Cartwright")]

    assert client.post(_url(family, baby), {**fields, "given_by": str(mum.pk)}).status_code == 302
    made = baby.consents.get()
    assert (made.given_by, made.carer) == (mum, None)


def test_a_baby_with_nobody_able_to_decide_says_so(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, baby: Infant
) -> None:
    CarerFactory(family=family, parental_responsibility=ParentalResponsibility.NOT_KNOWN)
    page = html(signed_in(practitioner).get(_url(family, baby)))
    assert "Nobody in this family has parental responsibility recorded" in page
    assert "Record decision" not in page


def test_withdraw_through_a_confirmation_page(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, mum: Carer
) -> None:
    given = _give(practitioner, mum)
    refused = _give(practitioner, mum, ConsentPurpose.RESEARCH, decision=ConsentDecision.REFUSED)
    client = signed_in(practitioner)
    withdraw = f"{_url(family, mum)}/{given.pk}/withdraw"

    page = html(client.get(_url(family, mum)))
    assert f'href="{withdraw}"' in page
    assert f"{refused.pk}/withdraw" not in page  # nothing to withdraw

    confirm = html(client.get(withdraw))
    assert "<h1>Withdraw consent</h1>" in confirm
    missing = html(client.post(withdraw, {"reason": "Shared phone"}))
    assert summary_errors(missing) == [("#id_how", "Select how they withdrew consent")]
    assert "Shared phone</textarea>" in missing

    done = client.post(withdraw, {"how": "spoken", "reason": "Shared phone"})
    assert done.status_code == 302
    given.refresh_from_db()
    assert (given.withdrawn_by, given.withdrawn_how, given.withdrawn_reason) == (practitioner, "spoken", "Shared phone")
    page = html(client.get(done["Location"]))
    assert "Consent withdrawn: Contact by text message." in page
    assert '<strong class="nhsuk-tag nhsuk-tag--orange">Withdrawn</strong>' in page
    assert "by Pat Practitioner (spoken): Shared phone" in page

    again = html(client.post(withdraw, {"how": "spoken"}))
    [(href, message)] = summary_errors(again)
    assert (href, message.startswith("This consent was already withdrawn on")) == ("#decision", True)
    refused_page = html(client.get(f"{_url(family, mum)}/{refused.pk}/withdraw"))
    assert summary_errors(refused_page) == [("#decision", "Consent was refused, so there is nothing to withdraw")]
    assert Consent.objects.filter(withdrawn_at__isnull=False).count() == 1


def test_strangers_and_tampered_ids_get_not_found(
    signed_in: Callable[[User], Client],
    practitioner: User,
    outsider: User,
    commissioner: User,
    family: Family,
    mum: Carer,
    world: World,
) -> None:
    given = _give(practitioner, mum)
    other_family = FamilyFactory(team=world.hub)
    someone_else = CarerFactory(family=other_family)
    their_consent = _give(practitioner, someone_else)

    for user in (outsider, commissioner):
        client = signed_in(user)
        assert client.get(_url(family, mum)).status_code == 404
        assert client.post(f"{_url(family, mum)}/{given.pk}/withdraw", {"how": "spoken"}).status_code == 404
    client = signed_in(practitioner)
    assert client.get(_url(family, someone_else)).status_code == 404
    assert client.post(_url(family, someone_else), {"purpose": "research"}).status_code == 404
    assert client.get(f"{_url(family, mum)}/{their_consent.pk}/withdraw").status_code == 404
    assert not Consent.objects.filter(withdrawn_at__isnull=False).exists()


def test_the_consent_page_costs_the_same_for_one_decision_and_two_hundred(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, mum: Carer
) -> None:
    client = signed_in(practitioner)
    purposes = list(ConsentPurpose)

    def add(count: int) -> None:
        start = Consent.objects.count()
        Consent.objects.bulk_create(
            Consent(
                family=family,
                carer=mum,
                purpose=purposes[(start + n) % len(purposes)],
                agency=f"Agency {start + n}" if purposes[(start + n) % len(purposes)] == "share_other" else "",
                decision=ConsentDecision.GIVEN,
                how=ConsentHow.SPOKEN,
                recorded_by=practitioner,
                withdrawn_at=timezone.now() if n % 3 == 0 else None,
                withdrawn_by=practitioner if n % 3 == 0 else None,
                withdrawn_how=ConsentHow.WRITTEN if n % 3 == 0 else "",
            )
            for n in range(count)
        )

    def fetch() -> None:
        assert client.get(_url(family, mum)).status_code == 200

    assert_flat(grow=growing_in_bulk(add, Consent.objects.count), fetch=fetch)


def test_the_consent_page_says_how_messages_reach_a_carer_now(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, mum: Carer
) -> None:
    mum.email = ""
    mum.save()
    client = signed_in(practitioner)
    assert "<strong>Reminders and other messages:</strong> By text message" in html(client.get(_url(family, mum)))
    _give(practitioner, mum, decision=ConsentDecision.REFUSED)
    page = html(client.get(_url(family, mum)))
    assert "Messages are not sent: Consent to text messages was refused on" in page


def test_the_family_page_section_costs_the_same_for_one_person_and_many(
    practitioner: User, family: Family, mum: Carer, baby: Infant
) -> None:
    _give(practitioner, mum)

    def section_queries() -> int:
        fresh = Family.objects.get(pk=family.pk)
        return queries_for(lambda: family_consent_section(None, fresh))  # type: ignore[arg-type]

    few = section_queries()
    for _ in range(10):
        carer = CarerFactory(family=family, is_main_contact=False)
        _give(practitioner, carer)
        _give(practitioner, carer, ConsentPurpose.SHARE_OTHER, agency="Housing")
    assert section_queries() == few == 3  # infants, carers, decisions (1 when the page prefetched the people)
    section = family_consent_section(None, Family.objects.get(pk=family.pk))  # type: ignore[arg-type]
    assert len(section.rows) == 1 + 11  # one row per person: the baby, then each carer
    assert [cell["text"] for cell in section.rows[-1][1:]] == [
        "Contact by text message; Share with another agency: Housing",
        "None",
        "10",
    ]
