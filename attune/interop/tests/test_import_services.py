"""The dry run and the import, through the services and the database."""

import pytest

from attune.accounts.models import User
from attune.care import bulk as care_bulk
from attune.care import services as care_services
from attune.care.models import Appointment, Episode, PractitionerCapacity
from attune.core.actors import Actor
from attune.core.models import AuditEvent, Task, TaskKind
from attune.families.models import Carer, Family, FamilyAlert, Infant
from attune.interop import import_services
from attune.interop.import_models import ImportedRecord, ImportRun, ImportState
from attune.interop.tests.import_samples import ready_practitioner, rows
from attune.nonprod import import_sample
from attune.notifications.models import Message
from attune.organisations.tests.world import World
from attune.outcomes.models import Administration
from attune.referrals.models import Referral
from attune.referrals.workflow import Status

pytestmark = pytest.mark.django_db


def _checked(world: World, team_lead: User, content: bytes, name: str = "caseload.xlsx") -> ImportRun:
    return import_services.dry_run(actor=Actor(user=team_lead), team=world.hub, content=content, name=name)


def _imported(world: World, team_lead: User, content: bytes) -> ImportRun:
    run = _checked(world, team_lead, content)
    assert run.problems == [], run.problems[:3]
    import_services.queue_import(actor=Actor(user=team_lead), run=run)
    return import_services.run_import(run.pk)


def test_a_clean_file_imports_families_onto_caseloads(world: World, team_lead: User, practitioner: User) -> None:
    ready_practitioner(world.hub, practitioner)
    content = import_sample.workbook(rows(3, practitioner))
    run = _checked(world, team_lead, content)
    assert run.state == ImportState.READY
    assert run.counts["families"] == {"new": 3, "already": 0, "changed": 0}
    assert Family.objects.count() == 0  # the dry run writes nothing to the record
    done = _imported(world, team_lead, content)
    assert done.state == ImportState.IMPORTED, done.failure
    assert Family.objects.filter(team=world.hub).count() == 3
    assert Infant.objects.filter(family__team=world.hub).exclude(nhs_number="").count() == 3
    assert set(Referral.objects.values_list("status", flat=True)) == {Status.ACCEPTED}
    assert Episode.objects.open().filter(team=world.hub, workers__practitioner=practitioner).count() == 3
    assert Appointment.objects.filter(episode__team=world.hub).exclude(attendance="").count() == 9
    assert Administration.objects.count() == 4
    assert ImportedRecord.objects.filter(team=world.hub).count() == 3 + 3 + 3 + 9 + 4
    assert done.parsed == {}  # what the file held is not kept once it is in
    # An imported referral was acknowledged by the system it came from: no letter now.
    assert not Message.objects.exists()


def test_importing_the_same_file_twice_changes_nothing(world: World, team_lead: User, practitioner: User) -> None:
    ready_practitioner(world.hub, practitioner)
    content = import_sample.workbook(rows(2, practitioner))
    _imported(world, team_lead, content)
    before = (Family.objects.count(), Appointment.objects.count(), Administration.objects.count())
    again = _imported(world, team_lead, content)
    assert again.state == ImportState.IMPORTED
    assert again.counts["appointments"] == {"new": 0, "already": 6, "changed": 0}
    assert (Family.objects.count(), Appointment.objects.count(), Administration.objects.count()) == before


def test_a_row_changed_since_it_was_imported_is_counted_and_not_applied(
    world: World, team_lead: User, practitioner: User
) -> None:
    ready_practitioner(world.hub, practitioner)
    sample = rows(1, practitioner)
    _imported(world, team_lead, import_sample.workbook(sample))
    sample["families"][1]["given_name"] = "Amelia"
    run = _checked(world, team_lead, import_sample.workbook(sample))
    assert run.counts["families"] == {"new": 0, "already": 1, "changed": 1}
    assert not Carer.objects.filter(given_name="Amelia").exists()


def test_a_failure_half_way_leaves_nothing_imported(
    world: World, team_lead: User, practitioner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    ready_practitioner(world.hub, practitioner)
    run = _checked(world, team_lead, import_sample.workbook(rows(2, practitioner)))
    import_services.queue_import(actor=Actor(user=team_lead), run=run)

    def refuse(**kwargs: object) -> None:
        raise care_services.DoubleBooked("Pat Practitioner already has an appointment from 10:00 to 11:00 on that day")

    monkeypatch.setattr(care_bulk, "record_past_contacts", refuse)
    done = import_services.run_import(run.pk)
    assert done.state == ImportState.FAILED
    assert done.failure.startswith("Appointments rows 2 to 7: Pat Practitioner already has an appointment")
    assert done.failure.endswith("Nothing was imported.")
    assert (Family.objects.count(), Referral.objects.count(), Episode.objects.count()) == (0, 0, 0)
    assert not ImportedRecord.objects.exists()
    assert AuditEvent.objects.filter(action="import.failed", object_id=str(run.pk)).exists()
    assert not AuditEvent.objects.filter(action="family.created").exists()


def test_the_import_checks_again_and_fails_if_attune_changed(world: World, team_lead: User, practitioner: User) -> None:
    ready_practitioner(world.hub, practitioner)
    run = _checked(world, team_lead, import_sample.workbook(rows(1, practitioner)))
    import_services.queue_import(actor=Actor(user=team_lead), run=run)
    PractitionerCapacity.objects.filter(practitioner=practitioner).delete()
    done = import_services.run_import(run.pk)
    assert done.state == ImportState.FAILED
    assert "The file no longer passes the check" in done.failure
    assert "has no caseload set" in done.failure
    assert Family.objects.count() == 0


def test_an_imported_epds_item_10_raises_its_risk_alert(world: World, team_lead: User, practitioner: User) -> None:
    ready_practitioner(world.hub, practitioner)
    done = _imported(world, team_lead, import_sample.workbook(rows(2, practitioner, alert_every=2)))
    assert done.state == ImportState.IMPORTED
    alert = FamilyAlert.objects.get()
    assert alert.message.startswith("EPDS item 10")
    assert alert.high_risk
    assignees = set(Task.objects.filter(kind=TaskKind.RISK_ALERT).values_list("assignee", flat=True))
    assert assignees == {practitioner.pk, team_lead.pk}


def test_every_change_is_audited_as_the_team_lead_through_the_importer(
    world: World, team_lead: User, practitioner: User
) -> None:
    ready_practitioner(world.hub, practitioner)
    run = _imported(world, team_lead, import_sample.workbook(rows(1, practitioner)))
    actions = list(AuditEvent.objects.filter(request_id="import").order_by("id").values_list("action", "actor_id"))
    assert {actor for _, actor in actions} == {team_lead.pk}
    assert [action for action, _ in actions].count("family.created") == 1
    for action in (
        "referral.received",
        "referral.accepted",
        "episode.allocated",
        "appointment.booked",
        "appointment.attendance_recorded",
        "outcomes.administration_recorded",
        "import.finished",
    ):
        assert action in {a for a, _ in actions}, action
    assert AuditEvent.objects.filter(action="import.checked", object_id=str(run.pk)).exists()


def test_nhs_numbers_already_in_attune_are_problems(world: World, team_lead: User, practitioner: User) -> None:
    ready_practitioner(world.hub, practitioner)
    sample = rows(1, practitioner)
    _imported(world, team_lead, import_sample.workbook(sample))
    # The same people under new source ids: a duplicate of a family in Attune.
    again = rows(1, practitioner, prefix="T")
    run = _checked(world, team_lead, import_sample.workbook(again))
    assert run.state == ImportState.HAS_PROBLEMS
    found = {(p["sheet"], p["column"], p["problem"]) for p in run.problems}
    number = sample["families"][0]["nhs_number"]
    assert ("Families", "NHS number", f"NHS number {number} is already on a family in Attune (in this team)") in found


def test_a_practitioner_who_is_not_in_the_team_is_a_problem(world: World, team_lead: User, outsider: User) -> None:
    run = _checked(world, team_lead, import_sample.workbook(rows(1, outsider)))
    problems = [p for p in run.problems if p["column"] == "Practitioner email"]
    assert problems[0]["problem"] == f"{outsider.email} is not a practitioner in {world.hub.name}"


def test_only_a_clean_dry_run_can_be_imported(world: World, team_lead: User, outsider: User) -> None:
    run = _checked(world, team_lead, import_sample.workbook(rows(1, outsider)))
    with pytest.raises(import_services.ImportRefused, match="problems to mend first"):
        import_services.queue_import(actor=Actor(user=team_lead), run=run)


def test_a_caseload_can_come_in_one_csv_at_a_time(world: World, team_lead: User, practitioner: User) -> None:
    ready_practitioner(world.hub, practitioner)
    sample = rows(2, practitioner)
    for kind in ("families", "referrals", "episodes", "appointments", "measures"):
        content = import_sample.csv_text(kind, sample[kind]).encode("utf-8")
        run = _checked(world, team_lead, content, name=f"{kind}.csv")
        assert run.problems == [], (kind, run.problems[:2])
        import_services.queue_import(actor=Actor(user=team_lead), run=run)
        assert import_services.run_import(run.pk).state == ImportState.IMPORTED
    assert Referral.objects.filter(family__team=world.hub).count() == 2
    assert Episode.objects.open().filter(team=world.hub).count() == 2
    assert Administration.objects.count() == 3
