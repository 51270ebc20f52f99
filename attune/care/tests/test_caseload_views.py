"""Caseloads: a practitioner's own families with what is next and what is still to do; a team
lead's view of every caseload against capacity (hub and satellite); one person's caseload; and
setting capacity."""

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.care.models import EpisodeEvent, EpisodeWorker, NoteStatus, PractitionerCapacity
from attune.care.services import append_event
from attune.care.tests.factories import AppointmentFactory, CapacityFactory, NoteFactory, open_episode, open_episodes
from attune.care.tests.factories_waiting import capacity
from attune.care.tests.pages import html
from attune.core.models import AuditEvent, Task, TaskKind
from attune.core.tasks import raise_task
from attune.core.testing.queries import assert_flat, create_in_bulk, growing_in_bulk
from attune.core.tests.factories import TaskFactory
from attune.families.tests.factories import CarerFactory, SafeguardingFlagFactory, UnbornInfantFactory
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World


def rows(page: str) -> list[str]:
    found = []
    for body in page.split('<tbody class="nhsuk-table__body">')[1:]:
        body = body.split("</tbody>", 1)[0]
        found += [
            re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", row))) for row in re.findall(r"<tr.*?</tr>", body)
        ]
    return found


def at(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_my_caseload_shows_each_family_with_what_is_next_and_what_is_to_do(
    signed_in: Callable[[User], Client], practitioner: User, supervisor: User, world: World
) -> None:
    mine = open_episode(world.hub, practitioner, co_worker=supervisor, opened_at=at(-22))
    helping = open_episode(world.hub, supervisor, co_worker=practitioner)
    AppointmentFactory(episode=mine, practitioner=practitioner, starts_at=at(3), ends_at=at(3, 11))
    AppointmentFactory(episode=mine, practitioner=practitioner, starts_at=at(10), ends_at=at(10, 11))
    attended = AppointmentFactory(
        episode=mine, practitioner=practitioner, starts_at=at(-7), ends_at=at(-7, 11), attendance="5"
    )
    AppointmentFactory(episode=mine, practitioner=practitioner, starts_at=at(-2), ends_at=at(-2, 11), attendance="5")
    NoteFactory(appointment=attended)  # a draft
    signed = AppointmentFactory(
        episode=mine, practitioner=practitioner, starts_at=at(-14), ends_at=at(-14, 11), attendance="6"
    )
    NoteFactory(appointment=signed, status=NoteStatus.SIGNED, signed_at=at(-14, 12), needs_countersignature=True)
    raise_task(
        kind=TaskKind.REVIEW_MISSED_APPOINTMENTS,
        assignee=practitioner,
        title="Two missed appointments in a row: review the work with the family",
        about=mine,
    )
    raise_task(
        kind=TaskKind.LONE_WORKING_OVERDUE,
        assignee=practitioner,
        title="Check out of the visit",
        about=attended,
        urgent=True,
    )
    SafeguardingFlagFactory(family=mine.family, kind="child_in_need")
    ended = open_episode(world.hub, practitioner)
    EpisodeWorker.objects.filter(episode=ended).update(ended_at=timezone.now())
    closed = open_episode(world.hub, practitioner)
    append_event(episode=closed, kind=EpisodeEvent.Kind.DISCHARGED, at=timezone.now(), by=practitioner)
    someone_elses = open_episode(world.hub, supervisor)

    page = html(signed_in(practitioner).get("/caseload"))

    found = rows(page)
    assert len(found) == 2
    first, second = found
    assert f'href="/episodes/{mine.pk}"' in page
    assert f'href="/episodes/{helping.pk}"' in page
    for left_out in (ended, closed, someone_elses):
        assert f"/episodes/{left_out.pk}" not in page
    assert "Lead practitioner, with Sam Supervisor" in first
    assert "Parent-infant psychotherapy" in first
    next_visit = at(3)
    assert f"{next_visit:%A} {next_visit.day} {next_visit:%B %Y} at 10:00am (home visit)" in first
    assert f"{at(-2).day} {at(-2):%B %Y}" in first
    assert "3 weeks" in first
    assert "1 draft note to sign" in first
    assert "1 note awaiting countersignature" in first
    assert "1 contact with no note" in first
    assert "Two missed appointments in a row" in first
    assert "Urgent Check out of the visit" in first
    assert "Child in need plan" in first
    assert "Co-worker, with Sam Supervisor" in second
    assert "None booked" in second
    assert "None yet" in second
    event = AuditEvent.objects.get(action="caseload.viewed")
    assert (event.object_id, event.detail) == (str(practitioner.pk), {"count": 2, "page": 1})


def test_an_empty_caseload_says_so(signed_in: Callable[[User], Client], trainee: User) -> None:
    page = html(signed_in(trainee).get("/caseload"))
    assert "You have no families on your caseload at the moment." in page


def test_caseload_is_for_people_who_work_with_families(signed_in: Callable[[User], Client], commissioner: User) -> None:
    assert signed_in(commissioner).get("/caseload").status_code == 403


def test_my_caseload_query_count_does_not_grow(
    signed_in: Callable[[User], Client], practitioner: User, supervisor: User, world: World
) -> None:
    client = signed_in(practitioner)

    def add(count: int) -> None:
        episodes = open_episodes(world.hub, [practitioner] * count, co_worker=supervisor)
        mine = {"practitioner": practitioner}
        visits = create_in_bulk(
            AppointmentFactory,
            ({"episode": e, **mine, "starts_at": at(-1), "ends_at": at(-1, 11), "attendance": "5"} for e in episodes),
        )
        create_in_bulk(NoteFactory, ({"appointment": visit} for visit in visits))
        create_in_bulk(
            AppointmentFactory, ({"episode": e, **mine, "starts_at": at(2), "ends_at": at(2, 11)} for e in episodes)
        )
        create_in_bulk(SafeguardingFlagFactory, ({"family": e.family} for e in episodes))
        create_in_bulk(TaskFactory, ({"assignee": practitioner, "about": visit} for visit in visits))

    assert_flat(
        grow=growing_in_bulk(add, lambda: practitioner.episode_work.count()),
        fetch=lambda: client.get("/caseload"),
    )
    page = html(client.get("/caseload"))
    assert len(rows(page)) == 50  # a page of the 200 (care.views.caseload.CASELOAD_PAGE)
    assert "Showing 1 to 50 of 200 families" in page
    assert Task.objects.count() == 200


# A team lead's view ---------------------------------------------------------------------------


def test_team_caseloads_show_use_against_capacity_for_hub_and_led_satellites(
    signed_in: Callable[[User], Client],
    team_lead: User,
    practitioner: User,
    supervisor: User,
    trainee: User,
    world: World,
) -> None:
    MembershipFactory(user=team_lead, role=Role.TEAM_LEAD, team=world.satellite)
    capacity(world.hub, practitioner, maximum="2", hours="37.5")
    capacity(world.hub, supervisor, maximum="1.1", hours="15")
    capacity(world.satellite, trainee, maximum="4", hours="30")
    for _ in range(3):
        open_episode(world.hub, practitioner)
    open_episode(world.hub, supervisor)
    open_episode(world.satellite, trainee, codes=("video-interaction-guidance",))
    MembershipFactory(role=Role.PRACTITIONER, team=world.hub, user__full_name="Nia New")

    page = html(signed_in(team_lead).get(f"/teams/{world.hub.pk}/caseloads"))

    found = rows(page)
    assert len(found) == 3
    pat, sam, tina = found
    assert "Pat Practitioner Hours a week 37.5 Families 3 Weighted caseload 3 of 2" in pat
    assert "150% (over capacity)" in pat
    assert "91% (nearly full)" in sam
    assert "0.75 of 4" in tina
    assert "19%" in tina
    assert "<h2>Example satellite team</h2>" in page
    assert f'href="/teams/{world.hub.pk}/caseloads/{practitioner.pk}"' in page
    assert f'href="/teams/{world.satellite.pk}/caseloads/{trainee.pk}/capacity"' in page
    assert "Nia New (parent-infant therapist)" in page
    assert AuditEvent.objects.filter(action="caseload.team_viewed", object_id=str(world.hub.pk)).exists()


def test_a_satellite_the_person_does_not_lead_is_not_shown(
    signed_in: Callable[[User], Client], team_lead: User, trainee: User, world: World
) -> None:
    capacity(world.satellite, trainee)
    page = html(signed_in(team_lead).get(f"/teams/{world.hub.pk}/caseloads"))
    assert "Example satellite team" not in page
    assert trainee.full_name not in page


def test_team_caseloads_query_count_does_not_grow(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    MembershipFactory(user=team_lead, role=Role.TEAM_LEAD, team=world.satellite)
    client = signed_in(team_lead)

    def add(count: int) -> None:
        people = UserFactory.create_batch(3 * count)
        hub, satellite, unset = people[:count], people[count : 2 * count], people[2 * count :]
        create_in_bulk(
            MembershipFactory,
            [{"user": p, "role": Role.PRACTITIONER, "team": world.hub} for p in hub + unset]  # unset: no caseload
            + [{"user": p, "role": Role.TRAINEE, "team": world.satellite} for p in satellite],
        )
        create_in_bulk(CapacityFactory, [{"team": world.hub, "practitioner": p} for p in hub])
        create_in_bulk(CapacityFactory, [{"team": world.satellite, "practitioner": p} for p in satellite])
        open_episodes(world.hub, hub)

    assert_flat(
        grow=growing_in_bulk(add, lambda: PractitionerCapacity.objects.filter(team=world.hub).count()),
        fetch=lambda: client.get(f"/teams/{world.hub.pk}/caseloads"),
    )


def test_a_practitioners_caseload_as_their_team_lead_sees_it(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, world: World
) -> None:
    episode = open_episode(world.hub, practitioner)
    page = html(signed_in(team_lead).get(f"/teams/{world.hub.pk}/caseloads/{practitioner.pk}"))
    assert "<h1>Pat Practitioner&#39;s caseload</h1>" in page
    assert f'href="/episodes/{episode.pk}"' in page
    event = AuditEvent.objects.get(action="caseload.practitioner_viewed")
    assert event.object_id == str(practitioner.pk)


def test_practitioner_caseload_query_count_does_not_grow(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, world: World
) -> None:
    client = signed_in(team_lead)
    assert_flat(
        grow=growing_in_bulk(
            lambda count: open_episodes(world.hub, [practitioner] * count), lambda: practitioner.episode_work.count()
        ),
        fetch=lambda: client.get(f"/teams/{world.hub.pk}/caseloads/{practitioner.pk}"),
    )


@pytest.mark.parametrize("path", ["caseloads", "caseloads/{user}", "caseloads/{user}/capacity"])
def test_team_pages_are_for_its_leads(
    path: str,
    signed_in: Callable[[User], Client],
    practitioner: User,
    outsider: User,
    world: World,
    client: Client,
) -> None:
    url = f"/teams/{world.hub.pk}/" + path.format(user=practitioner.pk)
    assert signed_in(practitioner).get(url).status_code == 403


def test_someone_outside_the_team_is_not_found(
    signed_in: Callable[[User], Client], team_lead: User, trainee: User, outsider: User, world: World
) -> None:
    client = signed_in(team_lead)
    assert client.get(f"/teams/{world.hub.pk}/caseloads/{trainee.pk}").status_code == 404
    assert client.get(f"/teams/{world.hub.pk}/caseloads/{outsider.pk}/capacity").status_code == 404
    assert client.get(f"/teams/{world.other_team.pk}/caseloads").status_code == 404


# Capacity ------------------------------------------------------------------------------------


def test_setting_capacity_creates_then_updates_it(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, world: World
) -> None:
    client = signed_in(team_lead)
    url = f"/teams/{world.hub.pk}/caseloads/{practitioner.pk}/capacity"

    response = client.post(url, {"contracted_hours": "22.5", "max_weighted_caseload": "7"})

    assert response["Location"] == f"/teams/{world.hub.pk}/caseloads"
    saved = PractitionerCapacity.objects.get(team=world.hub, practitioner=practitioner)
    assert (saved.contracted_hours, saved.max_weighted_caseload) == (Decimal("22.5"), Decimal("7.00"))
    flash = [str(m) for m in response.wsgi_request._messages]
    assert flash == [
        "Pat Practitioner's capacity in Example hub team is saved: 22.5 hours a week, maximum weighted caseload 7."
    ]
    assert 'value="22.5"' in html(client.get(url))

    client.post(url, {"contracted_hours": "37.5", "max_weighted_caseload": "12.5"})

    saved.refresh_from_db()
    assert (saved.contracted_hours, saved.max_weighted_caseload) == (Decimal("37.5"), Decimal("12.50"))
    events = AuditEvent.objects.filter(action="capacity.set").order_by("occurred_at", "id")
    assert [e.detail.get("before") for e in events] == [None, {"contracted_hours": "22.5", "max": "7.00"}]


@pytest.mark.parametrize(
    ("hours", "maximum", "errors"),
    [
        ("", "", ["Enter contracted hours a week"]),
        ("lots", "12", ["Enter contracted hours as a number, like 37.5"]),
        (
            "61",
            "51",
            ["Contracted hours must be between 0 and 60 a week", "Maximum weighted caseload must be between 0 and 50"],
        ),
        (
            "-1",
            "NaN",
            [
                "Contracted hours must be between 0 and 60 a week",
                "Enter the maximum weighted caseload as a number, like 12",
            ],
        ),
    ],
)
def test_capacity_must_be_sensible_and_what_was_typed_is_kept(
    hours: str,
    maximum: str,
    errors: list[str],
    signed_in: Callable[[User], Client],
    team_lead: User,
    practitioner: User,
    world: World,
) -> None:
    url = f"/teams/{world.hub.pk}/caseloads/{practitioner.pk}/capacity"
    page = html(signed_in(team_lead).post(url, {"contracted_hours": hours, "max_weighted_caseload": maximum}))
    assert "<title>Error: Capacity" in page
    for error in errors:
        assert error in page
    if hours:
        assert f'value="{hours}"' in page
    assert not PractitionerCapacity.objects.exists()


def test_my_caseload_names_a_family_whose_baby_is_unborn_by_its_main_carer(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = open_episode(world.hub, practitioner)
    family = episode.family
    family.infants.all().delete()
    UnbornInfantFactory(family=family, family_name="Hughes", expected_due_date=dt.date(2027, 2, 14))
    family.carers.all().delete()
    CarerFactory(family=family, given_name="Sam", family_name="Hughes", is_main_contact=False)
    CarerFactory(family=family, given_name="Jade", family_name="Hughes", is_main_contact=True)

    page = signed_in(practitioner).get("/caseload").content.decode()

    assert "Jade Hughes and unborn baby, due 14 February 2027" in page
