"""Recording what MHSDS needs of each contact: how it was held, where and in what role. Offered
from the kind of contact on the attendance form, changed by the practitioner, never missing on an
attended contact, and filled in for existing contacts by the migration."""

import datetime as dt
import importlib
import re
from collections.abc import Iterator
from html import unescape

import pytest
import time_machine
from django.apps import apps
from django.test import Client

from attune.accounts.models import User
from attune.care import services
from attune.care.codes import ContactKind, contact_defaults
from attune.care.models import Appointment, Episode
from attune.care.tests.factories import open_episode
from attune.care.tests.factories_diary import appointment, at
from attune.core.testing.actors import acting
from attune.organisations.models import SiteKind
from attune.organisations.tests.factories import SiteFactory
from attune.organisations.tests.world import World, sign_in_client

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def on_a_wednesday() -> Iterator[None]:
    with time_machine.travel(at(TODAY, 14), tick=False):
        yield


@pytest.fixture
def episode(world: World, practitioner: User) -> Episode:
    return open_episode(world.hub, practitioner, opened_at=at(dt.date(2026, 11, 1)))


def selected(page: str, name: str) -> str:
    """The value selected in a select box of the page."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None, name
    found = re.search(r'<option value="([^"]*)" selected', select.group(1))
    return found.group(1) if found else ""


def errors(page: str) -> list[str]:
    summary = page.split('class="nhsuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in re.findall(r"<li>(.*?)</li>", summary, re.S)]


def people(episode: Episode) -> list[str]:
    return [f"infant:{episode.infants.get().pk}", f"carer:{episode.carers.get().pk}"]


@pytest.mark.parametrize(
    ("kind", "site_kind", "expected"),
    [
        (ContactKind.HOME_VISIT, "", ("01", "A01")),
        (ContactKind.VIDEO, "", ("11", "")),
        (ContactKind.PHONE, "", ("02", "")),
        (ContactKind.FAMILY_HUB, "family_hub", ("01", "K01")),
        (ContactKind.FAMILY_HUB, "childrens_centre", ("01", "K01")),
        (ContactKind.CLINIC, "clinic", ("01", "B01")),
        (ContactKind.CLINIC, "", ("01", "B01")),
    ],
)
def test_each_kind_of_contact_has_its_mechanism_and_location(
    kind: str, site_kind: str, expected: tuple[str, str]
) -> None:
    assert contact_defaults(kind, site_kind) == expected


@pytest.mark.django_db
def test_the_attendance_form_offers_what_the_kind_of_contact_says(
    client: Client, practitioner: User, episode: Episode
) -> None:
    visit = appointment(episode, practitioner, at(TODAY, 10))
    page = sign_in_client(client, practitioner).get(f"/appointments/{visit.pk}").content.decode()
    assert "How was the contact held?" in page
    assert selected(page, "consultation_mechanism") == "01"
    assert selected(page, "activity_location_type") == "A01"
    assert selected(page, "professional_role") == "therapist"


@pytest.mark.django_db
def test_a_trainee_is_offered_the_trainee_role(client: Client, world: World, trainee: User) -> None:
    episode = open_episode(world.satellite, trainee, opened_at=at(dt.date(2026, 11, 1)))
    call = appointment(episode, trainee, at(TODAY, 10), kind=ContactKind.VIDEO)
    page = sign_in_client(client, trainee).get(f"/appointments/{call.pk}").content.decode()
    assert selected(page, "consultation_mechanism") == "11"
    assert selected(page, "activity_location_type") == ""
    assert selected(page, "professional_role") == "trainee"


@pytest.mark.django_db
def test_the_practitioner_records_that_a_home_visit_became_a_phone_call(
    client: Client, practitioner: User, episode: Episode
) -> None:
    visit = appointment(episode, practitioner, at(TODAY, 10))
    response = sign_in_client(client, practitioner).post(
        f"/appointments/{visit.pk}/attendance",
        {
            "attendance": "5",
            "attended": people(episode),
            "consultation_mechanism": "02",
            "activity_location_type": "",
            "professional_role": "therapist",
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.consultation_mechanism, visit.activity_location_type, visit.professional_role) == (
        "02",
        "",
        "therapist",
    )
    page = client.get(f"/appointments/{visit.pk}").content.decode()
    assert "Telephone" in page


@pytest.mark.django_db
def test_face_to_face_without_a_place_is_refused_keeping_what_was_chosen(
    client: Client, practitioner: User, episode: Episode
) -> None:
    visit = appointment(episode, practitioner, at(TODAY, 10))
    page = (
        sign_in_client(client, practitioner)
        .post(
            f"/appointments/{visit.pk}/attendance",
            {
                "attendance": "5",
                "attended": people(episode),
                "consultation_mechanism": "01",
                "activity_location_type": "",
                "professional_role": "psychologist",
            },
        )
        .content.decode()
    )
    assert errors(page) == ["Select where you saw the family"]
    assert selected(page, "professional_role") == "psychologist"
    assert selected(page, "consultation_mechanism") == "01"
    visit.refresh_from_db()
    assert visit.attendance == ""


@pytest.mark.django_db
def test_a_code_outside_the_list_is_refused_with_a_message(
    client: Client, practitioner: User, episode: Episode
) -> None:
    visit = appointment(episode, practitioner, at(TODAY, 10))
    page = (
        sign_in_client(client, practitioner)
        .post(
            f"/appointments/{visit.pk}/attendance",
            {"attendance": "5", "attended": people(episode), "consultation_mechanism": "03"},
        )
        .content.decode()
    )
    assert errors(page) == ["Select how the contact was held"]


@pytest.mark.django_db
def test_an_attended_contact_always_has_its_mechanism(practitioner: User, episode: Episode) -> None:
    """Recorded without saying how (by a caller that does not ask, such as the demo or an older
    form), the contact takes what its kind says."""
    site = SiteFactory(team=episode.team, kind=SiteKind.FAMILY_HUB)
    at_hub = appointment(episode, practitioner, at(TODAY, 10), kind=ContactKind.FAMILY_HUB, site=site)
    recorded = services.record_attendance(
        actor=acting(practitioner), appointment=at_hub, attendance="5", carers=list(episode.carers.all())
    )
    assert (recorded.consultation_mechanism, recorded.activity_location_type, recorded.professional_role) == (
        "01",
        "K01",
        "therapist",
    )
    with pytest.raises(services.CareError, match="Select where the contact was held"):
        services.record_attendance(
            actor=acting(practitioner),
            appointment=appointment(episode, practitioner, at(TODAY, 12)),
            attendance="5",
            activity_location_type="Q01",
        )


@pytest.mark.django_db
def test_a_cancellation_before_the_day_asks_nothing_more_and_keeps_the_kinds_details(
    client: Client, practitioner: User, episode: Episode
) -> None:
    tomorrow = appointment(episode, practitioner, at(TODAY + dt.timedelta(days=1), 10), kind=ContactKind.VIDEO)
    signed_in = sign_in_client(client, practitioner)
    assert "How was the contact held?" not in signed_in.get(f"/appointments/{tomorrow.pk}").content.decode()
    signed_in.post(f"/appointments/{tomorrow.pk}/attendance", {"attendance": "2"})
    tomorrow.refresh_from_db()
    assert (tomorrow.attendance, tomorrow.consultation_mechanism) == ("2", "11")


@pytest.mark.django_db
def test_the_migration_fills_existing_contacts_from_their_kind_and_the_practitioners_role(
    world: World, practitioner: User, trainee: User, episode: Episode
) -> None:
    migration = importlib.import_module("attune.care.migrations.0011_mhsds_contact")
    hub = SiteFactory(team=world.hub, kind=SiteKind.FAMILY_HUB)
    satellite_episode = open_episode(world.satellite, trainee, opened_at=at(dt.date(2026, 11, 1)))
    made = {
        "home": appointment(episode, practitioner, at(TODAY, 9)),
        "video": appointment(episode, practitioner, at(TODAY, 11), kind=ContactKind.VIDEO),
        "phone": appointment(episode, practitioner, at(TODAY, 12), kind=ContactKind.PHONE),
        "hub": appointment(episode, practitioner, at(TODAY, 13), kind=ContactKind.FAMILY_HUB, site=hub),
        "trainee": appointment(satellite_episode, trainee, at(TODAY, 9)),
    }
    Appointment.objects.update(consultation_mechanism="", activity_location_type="", professional_role="")
    migration.fill_from_kind(apps, None)
    found = {
        name: Appointment.objects.values_list(
            "consultation_mechanism", "activity_location_type", "professional_role"
        ).get(pk=a.pk)
        for name, a in made.items()
    }
    assert found == {
        "home": ("01", "A01", "therapist"),
        "video": ("11", "", "therapist"),
        "phone": ("02", "", "therapist"),
        "hub": ("01", "K01", "therapist"),
        "trainee": ("01", "A01", "trainee"),
    }
