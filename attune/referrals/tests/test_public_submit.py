"""Sending a referral from the public forms: one family record, one referral waiting for
triage in the team that covers the postcode, the audit event and the acknowledgement, and
nothing at all before "Send referral"."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from attune.core.models import AuditEvent
from attune.families.models import Carer, Family, Infant, SafeguardingFlag
from attune.notifications.models import Message, MessageStatus
from attune.organisations.tests.world import World
from attune.referrals.models import Referral, ReferralStatus
from attune.referrals.tests.test_public_flow import (
    PRO,
    date_parts,
    fill_in,
    months_ago,
    page_text,
    professional_answers,
    send,
    title,
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def counts() -> dict[str, int]:
    return {
        "families": Family.objects.count(),
        "infants": Infant.objects.count(),
        "carers": Carer.objects.count(),
        "referrals": Referral.objects.count(),
        "messages": Message.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_nothing_is_saved_before_the_referral_is_sent(client: Client, world: World) -> None:
    before = counts()
    fill_in(client, PRO, professional_answers())
    client.get(f"{PRO}/check")
    assert counts() == before


def test_sending_creates_one_referral_waiting_for_triage(client: Client, world: World) -> None:
    response = send(client, PRO, professional_answers())
    assert response.status_code == 302
    assert response["Location"] == f"{PRO}/sent"
    referral = Referral.objects.get()
    assert (Family.objects.count(), Infant.objects.count(), Carer.objects.count()) == (1, 1, 1)
    assert [s.status for s in ReferralStatus.objects.filter(referral=referral)] == ["received"]
    # The team is the one whose area the postcode is in.
    assert referral.team == world.satellite
    assert referral.kind == "professional"
    assert referral.source == "A2"
    assert referral.consent_given
    assert referral.reason == "Mum feels low and finds it hard to feel close to Ava."
    assert referral.stresses == ["parental_mental_health", "bonding"]
    assert referral.safeguarding_known == []
    assert (referral.referrer_name, referral.referrer_role) == ("Jo Bloggs", "Health visitor")
    assert referral.referrer_organisation == "Mill Town health visiting team"
    assert referral.referrer_email == "jo.bloggs@example.nhs.uk"
    family = referral.family
    assert family.team == world.satellite
    assert family.local_authority == world.satellite_area
    assert (family.address_line_1, family.town, family.postcode) == ("1 Mill Lane", "Blackburn", "BB1 7DJ")
    assert (family.language, family.interpreter_needed, family.gp_practice) == ("English", False, "Mill Lane Surgery")
    infant = family.infants.get()
    assert (infant.given_name, infant.family_name) == ("Ava", "Hartley")
    assert infant.date_of_birth == months_ago(4)
    assert infant.nhs_number == "9434765919"
    assert infant.ethnicity == "A"
    carer = family.carers.get()
    assert (carer.full_name, carer.relationship, carer.parental_responsibility) == ("Jade Hartley", "mother", "yes")
    assert (carer.phone, carer.contact_preference, carer.phone_is_safe) == ("07700 900982", "sms", True)
    assert carer.is_main_contact
    assert carer.ethnicity == "A"


def test_the_referral_keeps_what_the_referrer_saw(client: Client, world: World) -> None:
    send(client, PRO, professional_answers())
    submitted = Referral.objects.get().submitted
    assert submitted["form"] == "professional"
    rows = {(row["section"], row["label"]): row["value"] for row in submitted["rows"]}
    assert rows[("Where the family lives", "Postcode")] == "BB1 7DJ"
    assert rows[("The baby", "First name")] == "Ava"
    assert rows[("The baby", "NHS number")] == "943 476 5919"
    assert rows[("Reason for referral", "Reason")].startswith("Mum feels low")
    assert rows[("About you", "Your role")] == "Health visitor"
    assert rows[("Agreement", "Family agreed to the referral")] == "Yes"


def test_sending_is_audited_and_acknowledged_to_the_referrer(client: Client, world: World) -> None:
    send(client, PRO, professional_answers())
    referral = Referral.objects.get()
    event = AuditEvent.objects.get(action="referral.received")
    assert event.object_id == str(referral.pk)
    assert event.detail == {"kind": "professional", "source": "A2"}
    assert event.ip_address == "127.0.0.1"
    message = Message.objects.get()
    assert message.template == "referral_received_referrer"
    assert (message.channel, message.to, message.status) == ("email", "jo.bloggs@example.nhs.uk", MessageStatus.QUEUED)
    assert referral.reference in message.body
    # A professional referral tells the referrer; the family hears when the team decides.
    assert not Message.objects.filter(template="referral_received_family").exists()


def test_the_confirmation_gives_the_reference_and_what_happens_next(client: Client, world: World) -> None:
    world.satellite.rules_history.update(triage_target_working_days=3)
    response = client.get(send(client, PRO, professional_answers())["Location"])
    assert response.status_code == 200
    assert title(response).startswith("Referral sent")
    reference = Referral.objects.get().reference
    assert re.fullmatch(r"PIR-[A-Z0-9]{4}-[A-Z0-9]{4}", reference)
    assert 'class="nhsuk-panel"' in response.content.decode()
    text = page_text(response)
    assert f"Your reference number {reference}" in text
    assert "The Example satellite team will look at the referral within 3 working days" in text
    assert "We have sent an acknowledgement by email to jo.bloggs@example.nhs.uk" in text


def test_the_answers_are_cleared_once_sent(client: Client, world: World) -> None:
    send(client, PRO, professional_answers())
    assert "wizard:professional" not in client.session
    assert client.get(f"{PRO}/baby")["Location"] == f"{PRO}/postcode"
    assert 'value="bb1 7dj"' not in client.get(f"{PRO}/postcode").content.decode()
    # The confirmation can still be read again.
    assert client.get(f"{PRO}/sent").status_code == 200


def test_sending_twice_does_not_make_a_second_referral(client: Client, world: World) -> None:
    send(client, PRO, professional_answers())
    response = client.post(f"{PRO}/check")
    assert response["Location"] == f"{PRO}/sent"
    assert Referral.objects.count() == 1


def test_two_clicks_racing_make_one_referral(client: Client, world: World) -> None:
    """The second click's request read the answers before the first one cleared them."""
    fill_in(client, PRO, professional_answers())
    answers = client.session["wizard:professional"]
    assert client.post(f"{PRO}/check")["Location"] == f"{PRO}/sent"
    session = client.session
    session["wizard:professional"] = answers
    session.save()
    assert client.post(f"{PRO}/check")["Location"] == f"{PRO}/sent"
    assert Referral.objects.count() == 1
    assert Message.objects.count() == 1


def test_an_unborn_baby_is_referred_with_the_due_date(client: Client, world: World) -> None:
    due = timezone.localdate() + timedelta(days=90)
    answers = professional_answers(
        born={"born": "no"}, **{"unborn-baby": {**date_parts("expected_due_date", due), "family_name": "Hartley"}}
    )
    del answers["baby"]
    send(client, PRO, answers)
    infant = Infant.objects.get()
    assert (infant.date_of_birth, infant.expected_due_date, infant.family_name) == (None, due, "Hartley")
    assert infant.display_name == "Hartley (unborn)"


def test_a_second_carer_is_kept_after_the_main_one(client: Client, world: World) -> None:
    answers = professional_answers(
        **{
            "another-carer": {"another": "yes"},
            "other-parent-or-carer": {
                "given_name": "Liam",
                "family_name": "Hartley",
                "relationship": "father",
                "parental_responsibility": "not_known",
            },
            "other-contact": {
                "phone": "",
                "email": "",
                "contact_preference": "none",
                "safe_contact_note": "Mum asks that he is not contacted yet",
            },
        }
    )
    send(client, PRO, answers)
    carers = list(Family.objects.get().carers.all())
    assert [c.given_name for c in carers] == ["Jade", "Liam"]
    assert [c.is_main_contact for c in carers] == [True, False]
    assert carers[1].contact_preference == "none"
    assert carers[1].safe_contact_note == "Mum asks that he is not contacted yet"
    assert carers[1].ethnicity == "99"


def test_another_professional_gives_their_services_code(client: Client, world: World) -> None:
    about = {**professional_answers()["about-you"], "role": "other"}
    send(client, PRO, professional_answers(**{"about-you": about, "your-service": {"source": "H2"}}))
    referral = Referral.objects.get()
    assert referral.source == "H2"
    assert referral.referrer_role == "Other hospital specialty (for example perinatal mental health)"


@pytest.mark.parametrize(
    ("role", "label"),
    [("A4", "Midwife"), ("A1", "GP"), ("M6", "Family hub or early years worker"), ("C1", "Social worker")],
)
def test_each_role_maps_to_its_national_code(client: Client, world: World, role: str, label: str) -> None:
    about = {**professional_answers()["about-you"], "role": role}
    send(client, PRO, professional_answers(**{"about-you": about}))
    referral = Referral.objects.get()
    assert (referral.source, referral.referrer_role) == (role, label)


def test_known_safeguarding_is_flagged_on_the_family(client: Client, world: World) -> None:
    send(client, PRO, professional_answers(safeguarding={"safeguarding": ["child_in_need", "marac"]}))
    referral = Referral.objects.get()
    assert referral.safeguarding_known == ["child_in_need", "marac"]
    flags = SafeguardingFlag.objects.filter(family=referral.family).order_by("kind")
    assert [(f.kind, f.source) for f in flags] == [("child_in_need", "Referral form"), ("marac", "Referral form")]


def test_a_family_in_the_hubs_area_goes_to_the_hub(client: Client, world: World) -> None:
    send(client, PRO, professional_answers(postcode={"postcode": "FY1 1AA"}))
    referral = Referral.objects.get()
    assert referral.team == world.hub
    assert referral.family.local_authority == world.hub_area


def test_a_referral_cannot_be_sent_without_the_familys_agreement(client: Client, world: World) -> None:
    """Even when they had said yes before: the family's latest answer is the one that counts."""
    answers = professional_answers()
    fill_in(client, PRO, answers)
    client.post(f"{PRO}/agreement?return=check", {"consent": "no"})
    assert "Has the family agreed" in client.get(f"{PRO}/agreement?return=check").content.decode()
    response = client.post(f"{PRO}/check")
    assert response["Location"] == f"{PRO}/agreement?return=check"
    assert Referral.objects.count() == 0


def test_a_tampered_session_cannot_skip_a_page(client: Client, world: World) -> None:
    fill_in(client, PRO, professional_answers())
    session = client.session
    del session["wizard:professional"]["answers"]["reason"]
    session.save()
    assert client.post(f"{PRO}/check")["Location"] == f"{PRO}/reason?return=check"
    assert Referral.objects.count() == 0
