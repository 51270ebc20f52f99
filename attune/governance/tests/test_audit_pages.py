"""The IG lead's audit pages: who accessed a record, what a person did, scoped to their
organisation (S8: "who has viewed and accessed specific records")."""

from collections.abc import Callable

from django.test import Client

from attune.accounts.models import User
from attune.core import audit
from attune.core.actors import Actor
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.core.testing.queries import assert_flat, growing
from attune.interop.tests.api_support import issue
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World


def test_who_accessed_a_team_lists_each_reader(
    signed_in: Callable[[User], Client], client: Client, practitioner: User, ig_lead: User, world: World
) -> None:
    signed_in(practitioner).get(f"/teams/{world.hub.pk}")
    client.post("/sign-out")
    page = signed_in(ig_lead).get(f"/audit/records/organisations.team/{world.hub.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Who accessed Example hub team" in html
    assert "Pat Practitioner" in html
    assert "Viewed team page" in html
    assert "Parent-infant therapist, Example hub team" in html  # the role that gave access


def test_reading_the_audit_log_is_itself_audited(signed_in: Callable[[User], Client], ig_lead: User) -> None:
    signed_in(ig_lead).get("/audit")
    event = AuditEvent.objects.get(action="audit.viewed")
    assert event.actor == ig_lead
    assert event.role == "Information governance lead, Example Hospitals NHS FT"


def test_the_log_shows_only_staff_of_the_leads_organisation(
    signed_in: Callable[[User], Client], ig_lead: User, practitioner: User, outsider: User
) -> None:
    audit.record(action="team.viewed", actor=acting(practitioner))
    audit.record(action="team.viewed", actor=acting(outsider))
    html = signed_in(ig_lead).get("/audit").content.decode()
    assert "Pat Practitioner" in html
    assert "Otto Outsider" not in html


def test_refused_filter_shows_only_refusals_and_failures(
    signed_in: Callable[[User], Client], ig_lead: User, practitioner: User
) -> None:
    audit.record(action="team.viewed", actor=acting(practitioner))
    audit.record(action="access.refused", actor=acting(practitioner), outcome=audit.Outcome.NOT_FOUND)
    html = signed_in(ig_lead).get("/audit?show=refused").content.decode()
    # The events table (the filter's list of actions above it names every action).
    events = html[html.index("<table") :]
    assert "Access refused" in events
    assert "Viewed team page" not in events


def test_what_a_person_did(signed_in: Callable[[User], Client], ig_lead: User, practitioner: User) -> None:
    audit.record(action="team.viewed", actor=acting(practitioner))
    response = signed_in(ig_lead).get(f"/audit/people/{practitioner.pk}")
    assert response.status_code == 200
    assert "What Pat Practitioner did" in response.content.decode()


def test_a_person_from_another_organisation_is_not_found(
    signed_in: Callable[[User], Client], ig_lead: User, outsider: User
) -> None:
    audit.record(action="team.viewed", actor=acting(outsider))
    assert signed_in(ig_lead).get(f"/audit/people/{outsider.pk}").status_code == 404


def test_an_unknown_kind_of_record_is_not_found(signed_in: Callable[[User], Client], ig_lead: User) -> None:
    assert signed_in(ig_lead).get("/audit/records/nothing.here/123").status_code == 404


def test_audit_log_pages_through_events(signed_in: Callable[[User], Client], ig_lead: User, practitioner: User) -> None:
    for _ in range(60):
        audit.record(action="team.viewed", actor=acting(practitioner))
    client = signed_in(ig_lead)
    first = client.get("/audit").content.decode()
    assert "Page 1 of 2" in first
    assert "Older events" in first
    second = client.get("/audit?page=2").content.decode()
    assert "Page 2 of 2" in second


def test_audit_log_queries_stay_flat(signed_in: Callable[[User], Client], ig_lead: User, world: World) -> None:
    client = signed_in(ig_lead)

    def add() -> None:
        person = MembershipFactory(team=world.satellite, role=Role.TRAINEE).user
        audit.record(action="team.viewed", actor=acting(person), obj=world.satellite)
        audit.record(action="staff.viewed", actor=acting(person), obj=person)

    grow = growing(add, lambda: AuditEvent.objects.filter(action="team.viewed").count())
    assert_flat(grow=grow, fetch=lambda: client.get("/audit"))


def test_record_history_queries_stay_flat(signed_in: Callable[[User], Client], ig_lead: User, world: World) -> None:
    client = signed_in(ig_lead)
    url = f"/audit/records/organisations.team/{world.hub.pk}"

    def add() -> None:
        person = MembershipFactory(team=world.hub, role=Role.PRACTITIONER).user
        audit.record(action="team.viewed", actor=acting(person), obj=world.hub)

    grow = growing(add, lambda: AuditEvent.objects.filter(action="team.viewed").count())
    assert_flat(grow=grow, fetch=lambda: client.get(url))


def test_every_link_on_the_audit_pages_opens_for_the_ig_lead(
    signed_in: Callable[[User], Client], ig_lead: User, practitioner: User, outsider: User, world: World
) -> None:
    """She is never sent to a page she cannot open: a record another organisation owns, or a
    person from another organisation, is named without a link."""
    import re

    audit.record(action="team.viewed", actor=acting(practitioner), obj=world.hub)
    audit.record(action="staff.viewed", actor=acting(practitioner), obj=outsider)  # owned elsewhere
    audit.record(action="team.viewed", actor=acting(practitioner), obj=world.other_team)  # owned elsewhere
    audit.record(action="access.refused", actor=acting(outsider), obj=world.hub, outcome=audit.Outcome.NOT_FOUND)
    client = signed_in(ig_lead)
    pages = ["/audit", f"/audit/records/organisations.team/{world.hub.pk}", f"/audit/people/{practitioner.pk}"]
    links: set[str] = set()
    for address in pages:
        response = client.get(address)
        assert response.status_code == 200
        html = response.content.decode()
        links |= {href for href in re.findall(r'href="(/[^"#]*)', html) if not href.startswith("/static/")}
    assert f"/audit/records/organisations.team/{world.hub.pk}" in links
    assert f"/audit/people/{practitioner.pk}" in links
    # This test is about refusals; a page elsewhere failing for its own reasons is another test's.
    client.raise_request_exception = False
    for href in sorted(links):
        assert client.get(href.replace("&amp;", "&")).status_code not in (403, 404), href
    # Named, though not linked.
    assert "Otto Outsider" in client.get(f"/audit/records/organisations.team/{world.hub.pk}").content.decode()


def test_the_log_shows_the_calls_of_the_organisations_own_api_tokens(
    signed_in: Callable[[User], Client], ig_lead: User, system_admin: User, world: World
) -> None:
    """Another system calls with no person as the actor; its calls are its organisation's."""
    ours, _ = issue(system_admin, [world.hub], name="Health visiting record")
    other_admin = MembershipFactory(role=Role.SYSTEM_ADMIN, team=None, organisation=world.other_trust).user
    theirs, _ = issue(other_admin, [world.other_team], name="Another trust's record")
    for client in (ours, theirs):
        audit.record(
            action="api.called",
            actor=Actor(label=f"API: {client.name}"),
            obj=client,
            object_type="interop.apiclient",
        )
    events = signed_in(ig_lead).get("/audit").content.decode()
    events = events[events.index("<table") :]
    assert "API: Health visiting record" in events
    assert "API: Another trust" not in events
