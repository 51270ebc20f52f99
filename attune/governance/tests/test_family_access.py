"""A family's access history for the IG lead: every event naming the family (a referral read, an
appointment opened, the family page), in a date range, in time order, with who, role, team and
address; and the subject access report as a CSV, itself audited."""

import csv
import datetime as dt
import io
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.care.models import Appointment
from attune.care.tests.factories import AppointmentFactory, open_episode
from attune.core import audit
from attune.core.actors import PUBLIC_REFERRAL_FORM
from attune.core.formatting import LONDON, date_long
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.core.testing.queries import assert_flat, growing_in_bulk
from attune.families.models import Carer, Family, FamilyMerge, Infant
from attune.families.tests.factories import FamilyFactory
from attune.governance import queries, views
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World
from attune.referrals.models import Referral

HUB_COORDINATOR = "Coordinator, Example hub team"


@dataclass
class Ashworths:
    family: Family
    referral: Referral
    appointment: Appointment

    @property
    def url(self) -> str:
        return f"/audit/families/{self.family.pk}"


@pytest.fixture
def ashworths(world: World, practitioner: User) -> Ashworths:
    episode = open_episode(world.hub, practitioner)
    family = episode.family
    Carer.objects.filter(family=family).update(given_name="Chloe", family_name="Ashworth", is_main_contact=True)
    Infant.objects.filter(family=family).update(given_name="Ava", family_name="Ashworth")
    when = timezone.make_aware(dt.datetime.combine(timezone.localdate() - dt.timedelta(days=20), dt.time(10)))
    appointment = AppointmentFactory(episode=episode, practitioner=practitioner, starts_at=when)
    return Ashworths(family, episode.referral, appointment)


def _event(family: Family, when: dt.datetime, *, actor: User | None = None, **fields: object) -> AuditEvent:
    values: dict[str, object] = {
        "action": "family.viewed",
        "object_type": "families.family",
        "object_id": str(family.pk),
        "family_id": family.pk,
        "actor": actor,
        "actor_label": actor.email if actor else "",
        "role": HUB_COORDINATOR if actor else "",
        "occurred_at": when,
    }
    values.update(fields)
    return AuditEvent.objects.create(**values)


def _days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _other_ig_lead(world: World) -> User:
    person = UserFactory(full_name="Ivy Elsewhere")
    MembershipFactory(user=person, role=Role.IG_LEAD, team=None, organisation=world.other_trust)
    return person


def _box(html: str, name: str) -> str:
    """What a date box on the page holds."""
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert found is not None, name
    value = re.search(r'value="([^"]*)"', found.group(0))
    return value.group(1) if value else ""


def _table(html: str) -> str:
    """The events table, without the white space the table macro puts round each cell's text."""
    table = html[html.index("<table") : html.index("</table>")]
    return re.sub(r"\s+<", "<", re.sub(r">\s+", ">", table))


# Who may see it ----------------------------------------------------------------------------------


def test_the_history_names_every_page_that_showed_the_family(
    signed_in: Callable[[User], Client], ig_lead: User, coordinator: User, ashworths: Ashworths, world: World
) -> None:
    reader = acting(coordinator, ip="192.0.2.10", role=HUB_COORDINATOR)
    audit.record(action="referral.viewed", actor=reader, obj=ashworths.referral, family_id=ashworths.family.pk)
    audit.record(action="appointment.viewed", actor=reader, obj=ashworths.appointment, family_id=ashworths.family.pk)
    audit.record(action="family.viewed", actor=reader, obj=ashworths.family)
    # Before events named their family: the family page's read names it only as its object.
    AuditEvent.objects.create(
        action="family.viewed", actor=coordinator, object_type="families.family", object_id=str(ashworths.family.pk)
    )
    # Another family's read is not this family's.
    audit.record(action="family.viewed", actor=reader, obj=FamilyFactory(team=world.hub))

    response = signed_in(ig_lead).get(ashworths.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Family of Chloe Ashworth" in html
    rows = _table(html)
    assert rows.count("Cora Coordinator") == 4
    assert f"Referral: {ashworths.referral.reference}" in rows
    assert f"Appointment: Home visit on {date_long(ashworths.appointment.starts_at)}" in rows
    assert "Viewed referral" in rows
    assert "Viewed an appointment" in rows
    assert rows.count("Viewed family record") == 2
    assert "192.0.2.10" in rows
    assert ">Coordinator<" in rows
    assert ">Example hub team<" in rows
    assert f'href="/audit/people/{coordinator.pk}"' in rows
    assert "Family record " not in html  # never an id for a name


def test_a_search_whose_results_listed_the_family_is_an_access(
    signed_in: Callable[[User], Client], ig_lead: User, coordinator: User, ashworths: Ashworths, world: World
) -> None:
    """A results page shows the family's names and ages: the coordinator's search is in the history,
    with what she typed; a search that listed other families only is not."""
    reader = acting(coordinator, ip="192.0.2.10", role=HUB_COORDINATOR)
    listed = {"kind": "name", "query": "Ashwroth", "results": 2, "more": False}
    audit.record(action="search.families", actor=reader, object_type="search", detail=listed)
    audit.record_each_family(
        action="search.listed", actor=reader, family_ids=[uuid.uuid4(), ashworths.family.pk], detail=listed
    )
    others = {"kind": "name", "query": "Smith", "results": 1, "more": False}
    audit.record(action="search.families", actor=reader, object_type="search", detail=others)
    audit.record_each_family(
        action="search.listed", actor=reader, family_ids=[FamilyFactory(team=world.hub).pk], detail=others
    )
    audit.record(action="search.families", actor=reader, object_type="search", detail={"query": "x", "results": 0})
    rows = _table(signed_in(ig_lead).get(ashworths.url).content.decode())
    assert "Search for ‘Ashwroth’: 2 found" in rows
    assert "Smith" not in rows
    assert "‘x’" not in rows


def test_the_public_referral_form_is_named_as_who_created_the_family(
    signed_in: Callable[[User], Client], ig_lead: User, ashworths: Ashworths
) -> None:
    _event(
        ashworths.family,
        _days_ago(1),
        action="family.created",
        actor_label=PUBLIC_REFERRAL_FORM,
        request_id="req-1",
        ip_address="198.51.100.7",
    )
    rows = _table(signed_in(ig_lead).get(ashworths.url).content.decode())
    assert "the public referral form" in rows
    assert "Created family record" in rows
    assert "Unknown" not in rows


def test_an_ig_lead_of_another_trust_is_told_the_family_does_not_exist(
    signed_in: Callable[[User], Client], world: World, ashworths: Ashworths
) -> None:
    client = signed_in(_other_ig_lead(world))
    assert client.get(ashworths.url).status_code == 404
    assert client.get(f"{ashworths.url}/access-report.csv").status_code == 404
    assert AuditEvent.objects.filter(action="access.refused", outcome=audit.Outcome.NOT_FOUND).count() == 2


def test_someone_without_the_audit_role_is_refused(
    signed_in: Callable[[User], Client], practitioner: User, ashworths: Ashworths
) -> None:
    client = signed_in(practitioner)
    assert client.get(ashworths.url).status_code == 403
    assert client.get(f"{ashworths.url}/access-report.csv").status_code == 403
    assert client.get("/audit/find").status_code == 403


def test_an_unknown_family_is_not_found(signed_in: Callable[[User], Client], ig_lead: User) -> None:
    assert signed_in(ig_lead).get(f"/audit/families/{uuid.uuid4()}").status_code == 404


def test_reading_the_history_is_itself_audited_naming_the_family(
    signed_in: Callable[[User], Client], ig_lead: User, ashworths: Ashworths
) -> None:
    signed_in(ig_lead).get(ashworths.url)
    event = AuditEvent.objects.get(action="audit.family_access_viewed")
    assert event.actor == ig_lead
    assert event.family_id == ashworths.family.pk
    assert event.role == "Information governance lead, Example Hospitals NHS FT"
    assert event.detail["to"] == timezone.localdate().isoformat()


def test_a_family_nobody_has_opened_says_so(
    signed_in: Callable[[User], Client], ig_lead: User, ashworths: Ashworths
) -> None:
    html = signed_in(ig_lead).get(ashworths.url).content.decode()
    assert "0 events" in html
    assert "Nothing was recorded about this family in these dates." in html


def test_the_old_record_page_for_a_family_leads_to_its_history(
    signed_in: Callable[[User], Client], ig_lead: User, ashworths: Ashworths
) -> None:
    response = signed_in(ig_lead).get(f"/audit/records/families.family/{ashworths.family.pk}")
    assert response.status_code == 302
    assert response["Location"] == ashworths.url


def test_records_linked_into_the_family_bring_their_history(
    signed_in: Callable[[User], Client], ig_lead: User, coordinator: User, ashworths: Ashworths, world: World
) -> None:
    merged = FamilyFactory(team=world.hub, merged_into=ashworths.family)
    FamilyMerge.objects.create(kept=ashworths.family, merged=merged, merged_by=coordinator, reason="Same family")
    _event(merged, _days_ago(3), actor=coordinator, action="family.duplicates_checked")
    html = signed_in(ig_lead).get(ashworths.url).content.decode()
    assert "Checked family record for duplicates" in _table(html)
    assert "1 family record linked into this one" in html


# The family page links here -----------------------------------------------------------------------


def test_an_ig_lead_who_works_with_the_family_reaches_its_history_from_its_page(
    signed_in: Callable[[User], Client], ig_lead: User, world: World, ashworths: Ashworths
) -> None:
    MembershipFactory(user=ig_lead, role=Role.PRACTITIONER, team=world.hub)
    html = signed_in(ig_lead).get(f"/families/{ashworths.family.pk}").content.decode()
    assert f'href="{ashworths.url}"' in html
    assert "Who has seen this record" in html


def test_a_practitioner_sees_no_link_to_the_history(
    signed_in: Callable[[User], Client], practitioner: User, ashworths: Ashworths
) -> None:
    html = signed_in(practitioner).get(f"/families/{ashworths.family.pk}").content.decode()
    assert "Who has seen this record" not in html


# Dates ---------------------------------------------------------------------------------------------


def test_the_last_twelve_months_are_shown_by_default(
    signed_in: Callable[[User], Client], ig_lead: User, coordinator: User, ashworths: Ashworths
) -> None:
    _event(ashworths.family, _days_ago(30), actor=coordinator, action="referral.viewed")
    _event(ashworths.family, _days_ago(400), actor=coordinator, action="episode.viewed")
    html = signed_in(ig_lead).get(ashworths.url).content.decode()
    today = timezone.localdate()
    a_year_ago = today - dt.timedelta(days=365)
    assert _box(html, "end-day") == str(today.day)
    assert _box(html, "end-year") == str(today.year)
    assert _box(html, "start-year") == str(a_year_ago.year)
    rows = _table(html)
    assert "Viewed referral" in rows
    assert "Viewed an episode of care" not in rows


def test_a_chosen_range_shows_its_days_in_london_time(
    signed_in: Callable[[User], Client], ig_lead: User, coordinator: User, ashworths: Ashworths
) -> None:
    # 23:30 UTC on 1 July is 00:30 on 2 July in London (summer time).
    _event(ashworths.family, dt.datetime(2024, 7, 1, 23, 30, tzinfo=dt.UTC), actor=coordinator, action="note.signed")
    _event(ashworths.family, dt.datetime(2024, 7, 1, 22, 30, tzinfo=dt.UTC), actor=coordinator, action="goal.added")
    query = "start-day=2&start-month=7&start-year=2024&end-day=2&end-month=7&end-year=2024"
    html = signed_in(ig_lead).get(f"{ashworths.url}?{query}").content.decode()
    rows = _table(html)
    assert "Signed clinical note" in rows
    assert "2 Jul 2024, 12:30am" in rows
    assert "Added goal" not in rows
    assert "2 July 2024 to 2 July 2024" in html


@pytest.mark.parametrize(
    ("query", "message", "kept"),
    [
        ("start-day=31&start-month=2&start-year=2025", "The &#39;from&#39; date must be a real date", 'value="31"'),
        ("start-day=1&start-month=&start-year=2025", "The &#39;from&#39; date must include a month", 'value="2025"'),
        ("end-day=%C2%B2&end-month=1&end-year=2025", "The &#39;to&#39; date must be a real date", 'value="²"'),
        ("end-day=1&end-month=1&end-year=99999999999999999999", "The &#39;to&#39; date must be a real date", "9999"),
        (
            "start-day=2&start-month=1&start-year=2025&end-day=1&end-month=1&end-year=2025",
            "The &#39;to&#39; date must be the same as or after the &#39;from&#39; date",
            'value="2"',
        ),
    ],
)
def test_dates_that_cannot_be_read_get_a_clear_message_keeping_what_was_typed(
    signed_in: Callable[[User], Client], ig_lead: User, ashworths: Ashworths, query: str, message: str, kept: str
) -> None:
    client = signed_in(ig_lead)
    response = client.get(f"{ashworths.url}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert kept in html
    assert "Traceback" not in html
    # The download link is not offered for dates that cannot be read; an edited address gets the page.
    report = client.get(f"{ashworths.url}/access-report.csv?{query}")
    assert report.status_code == 200
    assert report["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("page", ["abc", "0", "99999999999999999999", "-1"])
def test_any_page_number_answers(
    signed_in: Callable[[User], Client], ig_lead: User, ashworths: Ashworths, page: str
) -> None:
    assert signed_in(ig_lead).get(f"{ashworths.url}?page={page}").status_code == 200


# Pages and query counts ---------------------------------------------------------------------------


def test_the_history_pages_through_fifty_at_a_time_keeping_the_dates(
    signed_in: Callable[[User], Client], ig_lead: User, coordinator: User, ashworths: Ashworths
) -> None:
    for n in range(60):
        _event(ashworths.family, _days_ago(10) + dt.timedelta(minutes=n), actor=coordinator)
    start = timezone.localdate() - dt.timedelta(days=20)
    query = f"start-day={start.day}&start-month={start.month}&start-year={start.year}"
    client = signed_in(ig_lead)
    first = client.get(f"{ashworths.url}?{query}").content.decode()
    assert "Page 1 of 2" in first
    assert "60 events" in first
    later = re.search(r'href="(\?[^"]*page=2[^"]*)"', first)
    assert later is not None
    link = later.group(1).replace("&amp;", "&")
    assert f"start-year={start.year}" in link
    assert "Page 2 of 2" in client.get(f"{ashworths.url}{link}").content.decode()


def test_the_history_queries_stay_flat(
    signed_in: Callable[[User], Client], ig_lead: User, world: World, ashworths: Ashworths
) -> None:
    client = signed_in(ig_lead)
    readers = [MembershipFactory(team=world.hub, role=Role.COORDINATOR).user for _ in range(3)]

    kinds = [
        ("referrals.referral", str(ashworths.referral.pk), "referral.viewed"),
        ("care.appointment", str(ashworths.appointment.pk), "appointment.viewed"),
        ("families.family", str(ashworths.family.pk), "family.viewed"),
    ]

    def add(count: int) -> None:
        """`count` readers' visits, each reading the referral, an appointment and the family page."""
        AuditEvent.objects.bulk_create(
            AuditEvent(
                action=action,
                actor=readers[n % len(readers)],
                role=HUB_COORDINATOR,
                object_type=object_type,
                object_id=object_id,
                family_id=ashworths.family.pk,
                occurred_at=_days_ago(2) + dt.timedelta(seconds=n),
            )
            for n in range(count)
            for object_type, object_id, action in kinds
        )

    def count() -> int:
        return AuditEvent.objects.filter(family_id=ashworths.family.pk, action="referral.viewed").count()

    assert_flat(grow=growing_in_bulk(add, count), fetch=lambda: client.get(ashworths.url))


# The subject access report ------------------------------------------------------------------------


def _csv(response: object) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))


def test_the_access_report_downloads_the_same_rows_and_is_audited(
    signed_in: Callable[[User], Client], ig_lead: User, coordinator: User, ashworths: Ashworths
) -> None:
    reader = acting(coordinator, ip="192.0.2.10", role=HUB_COORDINATOR)
    audit.record(action="referral.viewed", actor=reader, obj=ashworths.referral, family_id=ashworths.family.pk)
    _event(ashworths.family, _days_ago(1), action="family.created", actor_label=PUBLIC_REFERRAL_FORM, request_id="r")
    client = signed_in(ig_lead)
    client.get(ashworths.url)  # the IG lead's own look is an access too

    response = client.get(f"{ashworths.url}/access-report.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="access-report-[0-9a-f]{8}-[0-9-]+-to-[0-9-]+\.csv"', response["Content-Disposition"]
    )
    lines = _csv(response)
    about = {line[0]: line[1] for line in lines[:6]}
    assert about["Family"] == "Family of Chloe Ashworth"
    assert about["Team"] == "Example hub team"
    assert about["Events"] == "3 events"
    head = lines.index(
        ["Date and time (UK)", "Who", "Role", "Team or organisation", "What", "Record", "Outcome", "From address"]
    )
    rows = lines[head + 1 :]
    assert len(rows) == 3
    # In time order: the referral read (now), the form's creation (yesterday) comes first.
    assert rows[0][1] == "the public referral form"
    assert rows[0][4] == "Created family record"
    referral_row = next(row for row in rows if row[4] == "Viewed referral")
    assert referral_row[1:4] == ["Cora Coordinator", "Coordinator", "Example hub team"]
    assert referral_row[5] == f"Referral: {ashworths.referral.reference}"
    assert referral_row[6] == "Succeeded"
    assert referral_row[7] == "192.0.2.10"
    assert rows[-1][4] == "Viewed who has seen a family's record"
    exported = AuditEvent.objects.get(action="audit.family_access_exported")
    assert exported.family_id == ashworths.family.pk
    assert exported.actor == ig_lead
    assert exported.detail["rows"] == 3
    # The download's own event is not in the file it made.
    assert not any(row[4].startswith("Downloaded") for row in rows)


def test_the_access_report_cannot_carry_a_spreadsheet_formula(
    signed_in: Callable[[User], Client], ig_lead: User, world: World, ashworths: Ashworths
) -> None:
    sneaky = UserFactory(full_name='=HYPERLINK("http://evil.example","Click")')
    MembershipFactory(user=sneaky, role=Role.COORDINATOR, team=world.hub)
    _event(ashworths.family, _days_ago(1), actor=sneaky, role="Coordinator, +Example hub team")
    lines = _csv(signed_in(ig_lead).get(f"{ashworths.url}/access-report.csv"))
    row = next(line for line in lines if "HYPERLINK" in "".join(line))
    assert row[1] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row[3] == "'+Example hub team"
    assert all(not cell.startswith(("=", "+", "-", "@")) for line in lines for cell in line)


def test_the_access_report_is_read_in_parts(
    signed_in: Callable[[User], Client],
    ig_lead: User,
    coordinator: User,
    ashworths: Ashworths,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A long history streams out part by part, never loaded whole: here 2 events at a time."""
    same_moment = _days_ago(5)
    for n in range(5):
        # Two events at the very same moment: the parts follow on by id, losing and doubling none.
        _event(ashworths.family, same_moment if n < 3 else _days_ago(4 - n), actor=coordinator, detail={"n": n})
    monkeypatch.setattr(views, "REPORT_CHUNK", 2)
    parts = list(queries.in_chunks(queries.family_events([ashworths.family.pk], _days_ago(10), timezone.now()), 2))
    assert [len(part) for part in parts] == [2, 2, 1]
    assert [e.detail["n"] for part in parts for e in part] == [0, 1, 2, 3, 4]
    lines = _csv(signed_in(ig_lead).get(f"{ashworths.url}/access-report.csv"))
    assert sum(1 for line in lines if line[1:2] == ["Cora Coordinator"]) == 5


def test_the_access_report_keeps_to_the_chosen_dates(
    signed_in: Callable[[User], Client], ig_lead: User, coordinator: User, ashworths: Ashworths
) -> None:
    _event(ashworths.family, dt.datetime(2024, 3, 3, 12, tzinfo=LONDON), actor=coordinator, action="referral.viewed")
    _event(ashworths.family, dt.datetime(2024, 5, 3, 12, tzinfo=LONDON), actor=coordinator, action="episode.viewed")
    query = "start-day=1&start-month=3&start-year=2024&end-day=31&end-month=3&end-year=2024"
    response = signed_in(ig_lead).get(f"{ashworths.url}/access-report.csv?{query}")
    assert 'filename="access-report-' in response["Content-Disposition"]
    assert "2024-03-01-to-2024-03-31.csv" in response["Content-Disposition"]
    lines = _csv(response)
    assert ["Period", "1 March 2024 to 31 March 2024"] in lines
    whats = [line[4] for line in lines if len(line) == 8][1:]
    assert whats == ["Viewed referral"]
