"""The MHSDS page and its download: who may open them, what they show, what the audit log keeps,
and a query count that holds as the month's contacts grow."""

import datetime as dt
import io
import math
import zipfile
from collections.abc import Callable, Iterator
from functools import partial

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from attune.accounts.models import User
from attune.care import services
from attune.care.models import Appointment, Episode
from attune.care.tests.factories import AppointmentFactory, open_episode, open_episodes
from attune.core.actors import Actor
from attune.core.formatting import LONDON
from attune.core.models import AuditEvent
from attune.core.testing.queries import PAGE_BUDGET, assert_flat
from attune.organisations.tests.world import World, sign_in_client

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 2, 10, 10, 0, tzinfo=LONDON)
OPENED = dt.datetime(2024, 12, 2, 9, 0, tzinfo=LONDON)
VISIT = dt.datetime(2025, 1, 14, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def pinned() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


def attended(episode: Episode, practitioner: User, when: dt.datetime = VISIT) -> Appointment:
    # MHSDS needs every patient's date of birth; the carer factory gives none.
    episode.carers.update(date_of_birth=dt.date(1994, 3, 8))
    visit = AppointmentFactory(episode=episode, practitioner=practitioner, starts_at=when)
    return services.record_attendance(
        actor=Actor.system("test", for_user=practitioner),
        appointment=visit,
        attendance="5",
        infants=list(episode.infants.all()),
        carers=list(episode.carers.all()),
    )


def page(client: Client, team_id: object, month: str = "2025-01", path: str = "/mhsds/") -> object:
    return client.get(path, {"team": str(team_id), "month": month})


def test_the_page_offers_the_leads_teams_and_the_month_just_ended(
    client: Client, world: World, team_lead: User
) -> None:
    response = sign_in_client(client, team_lead).get("/mhsds/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Example hub team" in text
    assert "Example satellite team" not in text  # she leads the hub only
    assert '<option value="2025-01" selected>January 2025</option>' in text
    assert AuditEvent.objects.filter(action="mhsds.page_viewed", actor=team_lead).exists()


def test_the_report_counts_rows_per_table_and_passes_a_good_month(
    client: Client, world: World, team_lead: User, practitioner: User
) -> None:
    attended(open_episode(world.hub, practitioner, opened_at=OPENED), practitioner)
    response = page(sign_in_client(client, team_lead), world.hub.pk)
    text = response.content.decode()
    assert "Example hub team: January 2025" in text
    assert "No errors" in text
    assert "MHS201<wbr>Care<wbr>Contact" in text
    assert "/mhsds/extract.zip?team=" in text
    event = AuditEvent.objects.get(action="mhsds.report_viewed")
    assert (event.actor, event.object_id, event.detail["month"], event.detail["errors"]) == (
        team_lead,
        str(world.hub.pk),
        "2025-01",
        0,
    )
    assert "Team lead, Example hub team" in event.role


def test_an_error_links_to_the_appointment_where_it_is_mended(
    client: Client, world: World, team_lead: User, practitioner: User
) -> None:
    episode = open_episode(world.hub, practitioner, opened_at=OPENED)
    visit = attended(episode, practitioner)
    # A face to face contact recorded before Attune asked where it was held (as imported history may be).
    Appointment.objects.filter(pk=visit.pk).update(activity_location_type="")
    text = page(sign_in_client(client, team_lead), world.hub.pk).content.decode()
    assert "2 errors to mend" in text
    assert "A face to face contact needs its location" in text
    assert f'href="/appointments/{visit.pk}"' in text


def test_a_stranger_to_the_team_gets_not_found(client: Client, world: World, team_lead: User) -> None:
    response = page(sign_in_client(client, team_lead), world.other_team.pk)
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="access.refused", object_id=str(world.other_team.pk)).exists()
    download = page(client, world.other_team.pk, path="/mhsds/extract.zip")
    assert download.status_code == 404


def test_a_member_of_the_team_without_the_role_is_refused(client: Client, world: World, practitioner: User) -> None:
    signed_in = sign_in_client(client, practitioner)
    assert signed_in.get("/mhsds/").status_code == 403
    assert page(signed_in, world.hub.pk).status_code == 403
    assert page(signed_in, world.hub.pk, path="/mhsds/extract.zip").status_code == 403


def test_a_lead_who_is_a_practitioner_in_another_team_is_refused_there(
    client: Client, world: World, team_lead: User
) -> None:
    from attune.organisations.roles import Role
    from attune.organisations.tests.factories import MembershipFactory

    MembershipFactory(user=team_lead, role=Role.PRACTITIONER, team=world.satellite)
    assert page(sign_in_client(client, team_lead), world.satellite.pk).status_code == 403


def test_the_trusts_system_administrator_may_build_its_teams_extracts(
    client: Client, world: World, system_admin: User
) -> None:
    signed_in = sign_in_client(client, system_admin)
    assert page(signed_in, world.satellite.pk).status_code == 200
    assert page(signed_in, world.other_team.pk).status_code == 404  # another trust's team


def test_a_month_that_cannot_be_read_keeps_what_was_chosen_and_says_what_is_wrong(
    client: Client, world: World, team_lead: User
) -> None:
    response = page(sign_in_client(client, team_lead), world.hub.pk, month="2025-13")
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Select a month in the last two years" in text
    assert f'<option value="{world.hub.pk}" selected>' in text
    garbled = client.get("/mhsds/", {"team": "not-a-team", "month": "2025-01"}).content.decode()
    assert "Select one of your teams" in garbled


def test_the_download_is_a_zip_of_csv_files_audited_for_the_team_and_each_family(
    client: Client, world: World, team_lead: User, practitioner: User
) -> None:
    episode = open_episode(world.hub, practitioner, opened_at=OPENED)
    attended(episode, practitioner)
    response = page(sign_in_client(client, team_lead), world.hub.pk, path="/mhsds/extract.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="MHSDS_RXX_2025-01.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "MHSDS_RXX_2025-01/MHS201CareContact.csv" in archive.namelist()
        contacts = archive.read("MHSDS_RXX_2025-01/MHS201CareContact.csv").decode().splitlines()
    assert contacts[0].startswith("CareContactId,ServiceRequestId,")
    assert len(contacts) == 3  # the baby and the mother each had the contact
    event = AuditEvent.objects.get(action="mhsds.extract_downloaded")
    assert (event.actor, event.detail["families"]) == (team_lead, 1)
    assert AuditEvent.objects.filter(action="mhsds.family_exported", family_id=episode.family_id).count() == 1


def test_the_report_takes_the_same_queries_for_one_contact_and_for_two_hundred(
    client: Client, world: World, team_lead: User, practitioner: User
) -> None:
    signed_in = sign_in_client(client, team_lead)
    made: list[Episode] = []

    def grow(n: int) -> None:
        episodes = open_episodes(world.hub, [practitioner] * (n - len(made)), opened_at=OPENED)
        for episode in episodes:
            visit = Appointment.objects.create(
                episode=episode,
                kind="home_visit",
                starts_at=VISIT,
                ends_at=VISIT + dt.timedelta(hours=1),
                practitioner=practitioner,
                attendance="5",
                consultation_mechanism="01",
                activity_location_type="A01",
                professional_role="therapist",
            )
            visit.attended_carers.set(episode.carers.all())
        made.extend(episodes)

    assert_flat(grow=grow, fetch=lambda: page(signed_in, world.hub.pk))


def _reads(fetch: Callable[[], object]) -> tuple[int, int]:
    """The queries a fetch makes apart from writing audit rows, and the audit inserts."""
    with CaptureQueriesContext(connection) as captured:
        fetch()
    audit = sum(1 for q in captured.captured_queries if q["sql"].startswith('INSERT INTO "core_auditevent"'))
    return len(captured.captured_queries) - audit, audit


def test_the_download_reads_the_same_queries_for_one_family_and_for_two_hundred(
    client: Client, world: World, team_lead: User, practitioner: User
) -> None:
    """Building the extract takes the same queries however many families are in it. The audit
    writes a row per family (the IG lead finds each family's exports), in one insert on
    PostgreSQL; SQLite caps the values one statement takes, so there it takes a few."""
    signed_in = sign_in_client(client, team_lead)
    fetch = partial(page, signed_in, world.hub.pk, path="/mhsds/extract.zip")
    attended(open_episode(world.hub, practitioner, opened_at=OPENED), practitioner)
    fetch()
    small, small_audit = _reads(fetch)
    for episode in open_episodes(world.hub, [practitioner] * 199, opened_at=OPENED):
        attended(episode, practitioner, VISIT + dt.timedelta(minutes=len(Appointment.objects.all())))
    fetch()
    large, large_audit = _reads(fetch)
    assert small == large
    assert large <= PAGE_BUDGET
    assert small_audit == 2
    assert large_audit <= 1 + math.ceil(200 / 60)
