"""`manage.py mhsds_extract`: the same extract as the page, written to a folder, checked, and a
status that stops a scheduled submission when there are errors."""

import datetime as dt
import zipfile
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from attune.accounts.models import User
from attune.care.models import Appointment
from attune.care.tests.factories import open_episode
from attune.core.models import AuditEvent
from attune.interop import mhsds_extract
from attune.interop.tests.test_mhsds_pages import OPENED, TODAY, attended
from attune.organisations.tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


def run(*args: str) -> str:
    out = StringIO()
    call_command("mhsds_extract", *args, stdout=out)
    return out.getvalue()


def test_the_command_writes_a_csv_per_table_the_zip_and_the_findings(
    tmp_path: Path, world: World, practitioner: User
) -> None:
    attended(open_episode(world.hub, practitioner, opened_at=OPENED), practitioner)
    printed = run("--team", "example hub team", "--month", "2025-01", "--out", str(tmp_path))
    folder = tmp_path / "MHSDS_RXX_2025-01"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{table}.csv" for table in mhsds_extract.TABLES] + ["validation.csv"]
    )
    assert (folder / "MHS201CareContact.csv").read_text().splitlines()[0].startswith("CareContactId,")
    with zipfile.ZipFile(tmp_path / "MHSDS_RXX_2025-01.zip") as archive:
        assert len(archive.namelist()) == len(mhsds_extract.TABLES)
    assert "MHS201CareContact: 2 rows" in printed
    # Warnings: no stated gender, no NHS numbers in the test family, no staff-group codes set.
    assert printed.rstrip().endswith("0 errors, 3 warnings.")
    event = AuditEvent.objects.get(action="mhsds.extract_written")
    assert (event.object_id, event.detail["families"], event.request_id) == (str(world.hub.pk), 1, "mhsds_extract")


def test_the_command_takes_the_teams_id_too(tmp_path: Path, world: World) -> None:
    assert "0 errors" in run("--team", str(world.satellite.pk), "--month", "2025-01", "--out", str(tmp_path))


def test_errors_are_printed_and_the_command_fails(tmp_path: Path, world: World, practitioner: User) -> None:
    visit = attended(open_episode(world.hub, practitioner, opened_at=OPENED), practitioner)
    Appointment.objects.filter(pk=visit.pk).update(activity_location_type="")
    out = StringIO()
    with pytest.raises(SystemExit) as stopped:
        call_command(
            "mhsds_extract", "--team", str(world.hub.pk), "--month", "2025-01", "--out", str(tmp_path), stdout=out
        )
    assert stopped.value.code == 1
    assert "Error: MHS201CareContact row 1" in out.getvalue()
    assert "A face to face contact needs its location" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--team", "Nowhere team", "--month", "2025-01"), "No team has the id or name 'Nowhere team'"),
        (("--team", "Example hub team", "--month", "January"), "Enter the month as a year and month, like 2025-01"),
        (("--team", "Example hub team", "--month", "2025-13"), "Enter a real month, like 2025-01"),
    ],
)
def test_a_team_or_month_that_cannot_be_read_is_a_clear_message(
    tmp_path: Path, world: World, args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args, "--out", str(tmp_path))


def test_a_month_is_read_with_its_last_day() -> None:
    from attune.interop.mhsds_load import parse_month

    february = parse_month("2028-02")
    assert (february.start, february.end) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))
