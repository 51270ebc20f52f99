"""The import pages: template, upload and dry run report, starting the import, progress and
result; who may use them; what each costs in queries."""

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from attune.accounts.models import User
from attune.core.formatting import LONDON
from attune.core.models import AuditEvent
from attune.core.testing.queries import PAGE_BUDGET, queries_for
from attune.families.models import Family
from attune.interop import import_progress, import_services
from attune.interop.import_models import ImportRun, ImportState
from attune.interop.tests.import_samples import ready_practitioner, rows
from attune.nonprod import import_sample
from attune.organisations.tests.world import World

pytestmark = pytest.mark.django_db

SignedIn = Callable[[User], Client]


def _upload(client: Client, world: World, content: bytes, name: str = "caseload.xlsx", **extra: str) -> Any:
    data = {"team": str(world.hub.pk), "csv_kind": "", "file": SimpleUploadedFile(name, content), **extra}
    return client.post("/imports/new", data)


def _post(client: Client, world: World, content: bytes, name: str = "caseload.xlsx", **extra: str) -> Any:
    """Upload a file, then check it as the worker's task does."""
    response = _upload(client, world, content, name, **extra)
    for run in ImportRun.objects.filter(state=ImportState.CHECKING):
        import_services.check_run(run.pk)
    return response


def _bad_rows(count: int) -> bytes:
    bad = [{"source_id": f"F{n}", "person": "baby", "date_of_birth": "01/13/2025"} for n in range(count)]
    return import_sample.workbook({"families": bad}, sheets=["families"])


def test_the_template_downloads_as_a_workbook(team_lead: User, signed_in: SignedIn) -> None:
    response = signed_in(team_lead).get("/imports/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="attune-caseload-template.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "Guidance" in book.sheetnames
    assert "Code lists" in book.sheetnames
    assert AuditEvent.objects.filter(action="import.template_downloaded", actor=team_lead).exists()


def test_a_file_with_problems_shows_them_by_row_and_writes_nothing(
    world: World, team_lead: User, signed_in: SignedIn
) -> None:
    client = signed_in(team_lead)
    response = _post(client, world, _bad_rows(3))
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{run.pk}"
    page = client.get(f"/imports/{run.pk}").content.decode()
    assert "3 problems in 3 rows" in page
    assert "Write dates as day/month/year, for example 31/01/2025" in page
    assert "Nothing has been saved" in page
    assert Family.objects.count() == 0


def test_ten_thousand_bad_rows_are_counted_and_paged_with_the_rest_in_a_csv(
    world: World, team_lead: User, signed_in: SignedIn
) -> None:
    client = signed_in(team_lead)
    _post(client, world, _bad_rows(10_000))
    run = ImportRun.objects.get()
    assert run.problem_count == 10_000
    page = client.get(f"/imports/{run.pk}").content.decode()
    assert "Showing 1 to 100 of 10000 problems" in page
    assert page.count("Write dates as day/month/year") == 101  # the count by kind, then a page of rows
    csv_text = client.get(f"/imports/{run.pk}/problems.csv").content.decode("utf-8-sig")
    assert len(csv_text.strip().splitlines()) == 10_001
    assert client.get(f"/imports/{run.pk}?page=100").status_code == 200


def test_the_file_is_checked_in_the_background_while_its_page_shows_how_far_it_has_got(
    world: World, team_lead: User, signed_in: SignedIn, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(team_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, world, _bad_rows(2))
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{run.pk}"
    # The worker has it: the file is kept until it is read, and the page asks again by itself.
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.get()
    assert queued.task_path == "attune.interop.import_services.check_task"
    assert queued.args_kwargs["args"] == [str(run.pk)]
    assert run.state == ImportState.CHECKING
    assert bytes(run.content) == _bad_rows(2)
    page = client.get(f"/imports/{run.pk}")
    assert page["Refresh"] == "5"
    assert "Checking the file" in page.content.decode()
    assert "Waiting for the worker to start" in page.content.decode()
    import_progress.report(run.pk, done=0, total=3, stage="Checking every row against Attune's records")
    assert "Checking every row against Attune&#39;s records" in client.get(f"/imports/{run.pk}").content.decode()
    # Starting the import before the check has finished does nothing.
    client.post(f"/imports/{run.pk}/start")
    assert ImportRun.objects.get().state == ImportState.CHECKING
    import_services.check_task.call(str(run.pk))  # what the worker does
    run.refresh_from_db()
    assert run.state == ImportState.HAS_PROBLEMS
    assert bytes(run.content) == b""  # the file is let go once read
    assert run.problem_count == 2
    assert "Refresh" not in client.get(f"/imports/{run.pk}")
    assert AuditEvent.objects.filter(action="import.uploaded", actor=team_lead, object_id=str(run.pk)).exists()
    checked = AuditEvent.objects.get(action="import.checked", object_id=str(run.pk))
    assert checked.actor == team_lead
    assert checked.detail["problems"] == 2


def test_a_check_or_import_the_worker_has_not_begun_after_ten_minutes_says_to_tell_the_administrator(
    world: World, team_lead: User, practitioner: User, signed_in: SignedIn
) -> None:
    ready_practitioner(world.hub, practitioner)
    client = signed_in(team_lead)
    stopped = "the worker that runs it may be stopped. Tell your system administrator"
    with time_machine.travel(dt.datetime(2025, 3, 4, 10, 0, tzinfo=LONDON), tick=False):
        _upload(client, world, import_sample.workbook(rows(1, practitioner)))
        run = ImportRun.objects.get()
        assert stopped not in client.get(f"/imports/{run.pk}").content.decode()
    with time_machine.travel(dt.datetime(2025, 3, 4, 10, 9, tzinfo=LONDON), tick=False):
        assert stopped not in client.get(f"/imports/{run.pk}").content.decode()
    with time_machine.travel(dt.datetime(2025, 3, 4, 10, 11, tzinfo=LONDON), tick=False):
        page = client.get(f"/imports/{run.pk}").content.decode()
        assert f"Not started after 10 minutes: {stopped}" in page
        import_services.check_run(run.pk)
        client.post(f"/imports/{run.pk}/start")
        assert stopped not in client.get(f"/imports/{run.pk}").content.decode()  # queued just now
    with time_machine.travel(dt.datetime(2025, 3, 4, 10, 22, tzinfo=LONDON), tick=False):
        assert f"Not started after 10 minutes: {stopped}" in client.get(f"/imports/{run.pk}").content.decode()


def test_a_file_that_cannot_be_read_is_refused_on_its_page_saying_why(
    world: World, team_lead: User, signed_in: SignedIn
) -> None:
    client = signed_in(team_lead)
    _post(client, world, b"Apples,Pears\n1,2\n", "shopping.csv")
    run = ImportRun.objects.get()
    assert run.state == ImportState.REFUSED
    assert bytes(run.content) == b""
    page = client.get(f"/imports/{run.pk}").content.decode()
    assert "Attune could not read this file" in page
    assert "The columns of shopping.csv do not match any sheet of the template" in page
    assert "Nothing has been saved" in page
    assert AuditEvent.objects.filter(action="import.refused", object_id=str(run.pk)).exists()
    assert Family.objects.count() == 0


def test_a_check_that_breaks_says_so_and_keeps_nothing(
    world: World, team_lead: User, signed_in: SignedIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(team_lead)

    def broken(**kwargs: object) -> object:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(import_services, "check", broken)
    _post(client, world, _bad_rows(1))
    run = ImportRun.objects.get()
    assert run.state == ImportState.REFUSED
    page = client.get(f"/imports/{run.pk}").content.decode()
    assert "Something went wrong while checking the file" in page
    assert "disk on fire" not in page


def test_a_refused_file_keeps_the_choices_and_says_why(world: World, team_lead: User, signed_in: SignedIn) -> None:
    client = signed_in(team_lead)
    response = _post(client, world, "Source id,Person\nF1,carer,Zoë\n".encode("cp1252"), "families.csv")
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "is not saved as CSV UTF-8" in page
    assert f'value="{world.hub.pk}" checked' in page
    response = _post(client, world, b"", "empty.xlsx")
    assert response.status_code == 400
    assert ImportRun.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(
    world: World, team_lead: User, signed_in: SignedIn, settings: object
) -> None:
    settings.ATTUNE_IMPORT_MAX_MB = 1  # type: ignore[attr-defined]
    response = _post(signed_in(team_lead), world, b"a,b\n" * 400_000, "huge.csv")
    assert response.status_code == 400
    assert "huge.csv is larger than 1 MB" in response.content.decode()


def test_a_clean_file_imports_in_the_background_and_shows_its_result(
    world: World, team_lead: User, practitioner: User, signed_in: SignedIn
) -> None:
    ready_practitioner(world.hub, practitioner)
    client = signed_in(team_lead)
    _post(client, world, import_sample.workbook(rows(2, practitioner)))
    run = ImportRun.objects.get()
    page = client.get(f"/imports/{run.pk}").content.decode()
    assert "The file is ready to import" in page
    assert client.post(f"/imports/{run.pk}/start").status_code == 302
    # Queued: the worker has it; the page shows progress and asks again by itself.
    response = client.get(f"/imports/{run.pk}")
    assert response["Refresh"] == "5"
    assert "<progress" in response.content.decode()
    import_progress.report(run.pk, done=4, total=10, stage="Families")
    assert "4 of 10 rows imported" in client.get(f"/imports/{run.pk}").content.decode()
    import_services.run_import(run.pk)  # what the worker's task does
    page = client.get(f"/imports/{run.pk}").content.decode()
    assert "The caseload is imported" in page
    assert f"/teams/{world.hub.pk}/caseloads" in page
    assert Family.objects.filter(team=world.hub).count() == 2
    # Starting it again does nothing more.
    client.post(f"/imports/{run.pk}/start")
    assert ImportRun.objects.get().state == ImportState.IMPORTED


def test_starting_the_import_enqueues_the_task(
    world: World, team_lead: User, practitioner: User, signed_in: SignedIn, django_capture_on_commit_callbacks: object
) -> None:
    ready_practitioner(world.hub, practitioner)
    client = signed_in(team_lead)
    _post(client, world, import_sample.workbook(rows(1, practitioner)))
    run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(f"/imports/{run.pk}/start")
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.get()
    assert queued.task_path == "attune.interop.import_services.import_task"
    assert queued.args_kwargs["args"] == [str(run.pk)]


def test_a_practitioner_may_not_import(world: World, practitioner: User, signed_in: SignedIn) -> None:
    client = signed_in(practitioner)
    assert client.get("/imports/new").status_code == 403
    assert client.get("/imports/template.xlsx").status_code == 403


def test_a_run_is_hidden_from_other_teams_and_forbidden_to_members_without_the_role(
    world: World, team_lead: User, practitioner: User, outsider: User, signed_in: SignedIn, client: Client
) -> None:
    run = import_services.dry_run(
        actor=import_services.importer(team_lead), team=world.hub, content=_bad_rows(1), name="x.xlsx"
    )
    client = signed_in(outsider)
    assert client.get(f"/imports/{run.pk}").status_code == 404
    assert client.get(f"/imports/{run.pk}/problems.csv").status_code == 404
    assert client.post(f"/imports/{run.pk}/start").status_code == 404
    client = signed_in(practitioner)
    assert client.get(f"/imports/{run.pk}").status_code == 403
    assert AuditEvent.objects.filter(action="access.refused", object_id=str(run.pk)).count() == 4


def test_a_team_lead_cannot_import_into_another_team(world: World, team_lead: User, signed_in: SignedIn) -> None:
    response = signed_in(team_lead).post(
        "/imports/new", {"team": str(world.other_team.pk), "file": SimpleUploadedFile("a.xlsx", _bad_rows(1))}
    )
    assert response.status_code == 400  # not one of the choices offered
    assert ImportRun.objects.count() == 0


def test_a_system_administrator_may_import_into_their_organisations_teams(
    world: World, system_admin: User, signed_in: SignedIn
) -> None:
    client = signed_in(system_admin)
    page = client.get("/imports/new").content.decode()
    assert world.hub.name in page
    assert world.satellite.name in page
    assert world.other_team.name not in page
    _post(client, world, _bad_rows(1))
    assert ImportRun.objects.get().team == world.hub


def test_the_pages_cost_the_same_for_one_problem_or_many(world: World, team_lead: User, signed_in: SignedIn) -> None:
    client = signed_in(team_lead)
    _post(client, world, _bad_rows(1))
    _post(client, world, _bad_rows(300))
    one, many = ImportRun.objects.order_by("problem_count")
    client.get(f"/imports/{one.pk}")
    small = queries_for(lambda: client.get(f"/imports/{one.pk}"))
    large = queries_for(lambda: client.get(f"/imports/{many.pk}"))
    assert small == large <= PAGE_BUDGET
    _upload(client, world, _bad_rows(300))
    checking = ImportRun.objects.get(state=ImportState.CHECKING)
    assert queries_for(lambda: client.get(f"/imports/{checking.pk}")) <= small
    client.get("/imports/new")
    assert queries_for(lambda: client.get("/imports/new")) <= PAGE_BUDGET


def test_the_result_page_costs_the_same_for_a_small_and_a_large_import(
    world: World, team_lead: User, practitioner: User, coordinator: User, signed_in: SignedIn
) -> None:
    ready_practitioner(world.hub, practitioner)
    ready_practitioner(world.hub, coordinator)  # works with families: a second diary
    client = signed_in(team_lead)
    runs = []
    for families, prefix, person in ((1, "A", practitioner), (30, "B", coordinator)):
        content = import_sample.workbook(rows(families, person, prefix=prefix, nhs_start=families * 10))
        _post(client, world, content)
        run = ImportRun.objects.latest("created_at")
        client.post(f"/imports/{run.pk}/start")
        runs.append(import_services.run_import(run.pk))
    assert [r.state for r in runs] == [ImportState.IMPORTED, ImportState.IMPORTED]
    client.get(f"/imports/{runs[0].pk}")
    assert queries_for(lambda: client.get(f"/imports/{runs[0].pk}")) == queries_for(
        lambda: client.get(f"/imports/{runs[1].pk}")
    )
