"""The satellite's history under the council's agreement (nonprod/demo_history.py): fixed-dated
families from November 2024 to March 2025, worked through the service's own actions, so the
council's funder's return shows what its money bought, while nothing about today changes.

The whole demo is loaded once for this folder (conftest.py), with the rest of the demo's tests.
"""

import datetime as dt

import time_machine
from django.test import Client
from django.utils import timezone

from attune.care.codes import ATTENDED, Attendance
from attune.care.models import Appointment, Discharge, Episode, Note
from attune.commissioning.models import FundingAgreement
from attune.core import clocks
from attune.core.models import AuditEvent, Task
from attune.families.models import FamilyAlert
from attune.nonprod import demo_history, demo_workforce
from attune.nonprod.tests.demo import person
from attune.organisations.models import Team
from attune.organisations.tests.world import sign_in_client
from attune.outcomes.models import Administration, QuestionnaireLink
from attune.referrals.models import Referral
from attune.referrals.workflow import Status
from attune.reports.indicators import build_report
from attune.reports.scope import sharing_rule
from attune.reports.suppression import present
from attune.reports.tables import Kind, ReportScope, ShownReport

START, END = demo_workforce.FIRST_CONTRACT
REFERENCES = [demo_history.REFERENCE.format(f.number) for f in demo_history.FAMILIES]
ACCEPTED = [f for f in demo_history.FAMILIES if f.lead]


def _satellite() -> Team:
    return Team.objects.get(name="Blackburn with Darwen satellite team")


def _council_agreement() -> FundingAgreement:
    return FundingAgreement.objects.get(starts_on=START, ends_on=END)


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


# -- What the history holds ----------------------------------------------------------------------


def test_every_history_family_is_loaded_once() -> None:
    # Loading again changes nothing (test_loading.py): the families are found by reference.
    assert Referral.objects.filter(reference__in=REFERENCES).count() == len(demo_history.FAMILIES) == 22


def test_referrals_come_from_health_visitors_midwives_family_hubs_and_parents() -> None:
    sources = set(Referral.objects.filter(reference__in=REFERENCES).values_list("source", flat=True))
    assert sources == {"A2", "A4", "M6", "B1"}


def test_every_referral_is_received_in_the_agreement_and_decided_within_the_target() -> None:
    for referral in Referral.objects.filter(reference__in=REFERENCES).prefetch_related("history"):
        received = timezone.localdate(referral.received_at)
        assert START <= received <= END, referral.reference
        history = sorted(referral.history.all(), key=lambda row: row.entered_at)
        assert history[0].status == Status.RECEIVED
        decided = timezone.localdate(history[-1].entered_at)
        assert 1 <= clocks.working_days_between(received, decided) <= 5, referral.reference
    statuses = Referral.objects.filter(reference__in=REFERENCES).with_status().values_list("current_status", flat=True)
    assert sorted(set(statuses)) == [Status.ACCEPTED, Status.SIGNPOSTED]


def test_episodes_are_led_by_the_trainees_and_supervisor_and_all_discharged_long_ago() -> None:
    episodes = Episode.objects.filter(referral__reference__in=REFERENCES)
    assert episodes.count() == len(ACCEPTED) == 20
    leads = set(episodes.values_list("workers__practitioner__email", flat=True))
    assert leads == {person(k).email for k in ("trainee_1", "trainee_2", "supervisor")}
    assert not Episode.objects.open().filter(referral__reference__in=REFERENCES).exists()
    discharged = Discharge.objects.filter(episode__in=episodes)
    assert discharged.count() == 20
    latest = max(discharged.values_list("discharged_at", flat=True))
    assert timezone.localdate(latest) <= demo_history.ENDS_ON
    # Most were completed within the council's agreement; the rest carried on into the extension.
    in_period = discharged.filter(discharged_at__lt=_moment(END + dt.timedelta(days=1))).count()
    assert in_period >= 10
    assert discharged.filter(reason="disengaged").count() == 2


def test_contacts_were_at_home_and_at_the_family_hubs_mostly_attended_all_in_the_past() -> None:
    contacts = Appointment.objects.filter(episode__referral__reference__in=REFERENCES)
    kinds = set(contacts.values_list("kind", flat=True))
    assert kinds == {"home_visit", "family_hub"}
    assert contacts.filter(attendance__in=ATTENDED).count() > 0.7 * contacts.count()
    assert contacts.filter(attendance=Attendance.DID_NOT_ATTEND).exists()
    assert not contacts.filter(attendance="").exists()
    assert timezone.localdate(max(contacts.values_list("ends_at", flat=True))) <= demo_history.ENDS_ON


def test_the_trainees_notes_are_all_countersigned_and_no_task_is_left_open() -> None:
    notes = Note.objects.filter(appointment__episode__referral__reference__in=REFERENCES)
    assert notes.filter(needs_countersignature=True).count() > 50
    assert not notes.filter(needs_countersignature=True, countersigned_at__isnull=True).exists()
    assert not notes.filter(signed_at__isnull=True).exists()
    episodes = [
        str(pk) for pk in Episode.objects.filter(referral__reference__in=REFERENCES).values_list("pk", flat=True)
    ]
    note_ids = [str(pk) for pk in notes.values_list("pk", flat=True)]
    assert not Task.objects.open().filter(about_id__in=episodes + note_ids).exists()


def test_measures_are_paired_without_alerts_or_links() -> None:
    measures = Administration.objects.filter(episode__referral__reference__in=REFERENCES)
    assert {"EPDS", "PHQ9", "GAD7", "PBQ", "ADBB"} == set(measures.values_list("instrument", flat=True))
    ids = [str(pk) for pk in measures.values_list("pk", flat=True)]
    assert not FamilyAlert.objects.filter(about_id__in=ids).exists()
    assert not QuestionnaireLink.objects.filter(episode__referral__reference__in=REFERENCES).exists()
    with_later = measures.filter(instrument="PHQ9").values("episode").distinct().count()
    assert with_later >= 15


def test_the_history_leaves_today_alone() -> None:
    """Nothing open, waiting, booked or due: today's caseloads, waiting list and diary are the
    rest of the demo's, and the audit trail keeps the moment the demo was loaded."""
    history = Appointment.objects.filter(episode__referral__reference__in=REFERENCES)
    assert not history.filter(starts_at__gte=_moment(demo_history.ENDS_ON)).exists()
    assert not history.filter(checked_in_at__isnull=False, checked_out_at__isnull=True).exists()
    episodes = Episode.objects.filter(referral__reference__in=REFERENCES)
    assert not Episode.objects.open().filter(pk__in=episodes).exists()
    ids = [str(pk) for pk in episodes.values_list("pk", flat=True)]
    allocated = AuditEvent.objects.filter(action="episode.allocated", object_id__in=ids)
    assert allocated.count() == len(ACCEPTED)
    assert all(timezone.localdate(e.occurred_at) > demo_history.ENDS_ON for e in allocated)


def test_loaded_before_the_history_ends_it_adds_nothing() -> None:
    with time_machine.travel(dt.datetime(2025, 2, 3, 10, tzinfo=dt.UTC), tick=False):
        assert demo_history.load_for_scenario() == []


# -- What the council's return shows --------------------------------------------------------------


def _shown() -> ShownReport:
    agreement = _council_agreement()
    covered = ReportScope(START, END, frozenset({_satellite().pk}), agreement_id=agreement.pk, label="Return")
    return present(build_report(covered), sharing_rule())


def _counts() -> list[str]:
    """Every cell of a count column in the return, as the council sees it."""
    return [
        line.cells[index].text
        for section in _shown().sections
        for table in section.tables
        for line in (*table.rows, *([table.total] if table.total else []))
        for index, column in enumerate(table.columns)
        if column.kind is Kind.COUNT and line.cells[index].text not in ("", "–")
    ]


def _return() -> dict[str, dict[str, list[str]]]:
    shown = _shown()
    return {
        table.key: {
            line.label: [cell.text for cell in line.cells]
            for line in (*table.rows, *([table.total] if table.total else []))
        }
        for section in shown.sections
        for table in section.tables
    }


def test_the_councils_return_shows_what_its_money_bought() -> None:
    """The council's return for 1 November 2024 to 31 March 2025, as the council sees it (small
    numbers hidden, the rest rounded): referrals, families seen, contacts, completed episodes,
    paired outcomes and the cost each are no longer empty."""
    tables = _return()
    referred = int(tables["referrals_by_source"]["Total"][0])
    assert referred >= 20
    assert tables["referrals_by_source"]["Health visitor"][0] not in ("0", "*")
    assert int(tables["referral_outcomes"]["Total"][0]) == referred
    assert tables["referral_outcomes"]["Still being triaged"] == ["0"]
    families, attended = (int(cell) for cell in tables["families_seen"]["In the period"])
    assert families >= 15
    assert attended >= 50
    assert int(tables["contacts"]["Attended"][0]) == attended
    assert int(tables["episodes_completed"]["Total"][0]) >= 10
    for measure in ("Edinburgh Postnatal Depression Scale", "Patient Health Questionnaire (PHQ-9)"):
        pairs, improved, *_rest = tables["outcomes_paired"][measure]
        assert int(pairs) >= 10, measure
        assert int(improved) >= 10, measure  # most parents improved reliably
    # The consultation and training the posts gave beyond the caseload.
    sessions, attendees, _hours = tables["training_given"]["Total"]
    assert int(sessions) >= 10
    assert int(attendees) >= 50
    # The cost each is worked out from the shown, rounded counts: no longer divided by nothing.
    spend, seen, each = tables["cost_each"]["Per family seen"]
    assert spend == "£60,371.25"
    assert int(seen) == families
    assert each.startswith("£")
    # Every count obeys the sharing rule: hidden, nought, or 10 or more and rounded to 5 (hours
    # and money are not about a person and are shown as they are).
    counts = _counts()
    assert len(counts) > 50
    for cell in counts:
        assert cell == "*" or cell == "0" or (int(cell) >= 10 and int(cell) % 5 == 0), cell


def test_the_council_commissioner_reads_it_on_her_page() -> None:
    rachel = person("council_commissioner")
    client = sign_in_client(Client(), rachel)
    response = client.get(f"/reports/agreements/{_council_agreement().pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 November 2024 to 31 March 2025" in html
    assert "Families seen" in html
    for reference in REFERENCES:  # a commissioner never sees a person
        assert reference not in html
    for carer, _partner, surname, baby in demo_history.PEOPLE.values():
        assert f"{carer} {surname}" not in html
        assert f"{baby} {surname}" not in html
