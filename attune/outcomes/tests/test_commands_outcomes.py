"""The service's own commands: loading licensed wording and kit cut-offs (checked, refusing bad
files with a clear message) and importing measures, each row through record_administration so
its risk alerts are raised, a bad row reported by line with nothing of it stored."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from attune.accounts.models import User
from attune.core.models import AuditEvent, Task, TaskKind
from attune.families.models import FamilyAlert
from attune.organisations.tests.world import World
from attune.outcomes import services
from attune.outcomes.models import Administration, LicensedWording, LoadedBands, Source
from attune.outcomes.tests.entry_helpers import answers, episode_with_baby

EPDS_WORDING = "\n".join(
    f'[items.{n}]\ntext = "Licensed EPDS item {n}"\noptions = ["A{n}", "B{n}", "C{n}", "D{n}"]\n' for n in range(1, 11)
)


def test_load_instrument_wording(tmp_path: Path, db: None) -> None:
    path = tmp_path / "epds.toml"
    path.write_text(EPDS_WORDING)
    out = StringIO()
    call_command("load_instrument_wording", "EPDS", str(path), "--licence", "RCPsych permission 2026/1", stdout=out)
    assert "10 items" in out.getvalue()
    stored = LicensedWording.objects.get()
    assert stored.licence_note == "RCPsych permission 2026/1"
    loaded = services.instrument_for_service("EPDS")
    assert loaded.items[9].text == "Licensed EPDS item 10"
    assert [o.label for o in loaded.items[9].options] == ["A10", "B10", "C10", "D10"]
    assert [o.score for o in loaded.items[9].options] == [3, 2, 1, 0]
    assert AuditEvent.objects.filter(action="outcomes.wording_loaded").exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (EPDS_WORDING.replace("[items.10]", "[items.11]"), "has no item 11"),
        (EPDS_WORDING.replace('text = "Licensed EPDS item 4"', 'text = "  "'), "item 4 is blank"),
        (EPDS_WORDING.replace('options = ["A2", "B2", "C2", "D2"]', 'options = ["A2"]'), "4 options but 1 labels"),
        ("items = [", "not a valid TOML file"),
    ],
    ids=["unknown item", "blank text", "wrong option count", "not toml"],
)
def test_load_instrument_wording_refuses_bad_files(tmp_path: Path, db: None, content: str, words: str) -> None:
    path = tmp_path / "epds.toml"
    path.write_text(content)
    with pytest.raises(CommandError, match=words):
        call_command("load_instrument_wording", "EPDS", str(path), "--licence", "Ours")
    assert not LicensedWording.objects.exists()


def test_load_instrument_wording_refuses_an_unknown_measure_or_no_licence(tmp_path: Path, db: None) -> None:
    path = tmp_path / "epds.toml"
    path.write_text(EPDS_WORDING)
    with pytest.raises(CommandError, match="Known codes"):
        call_command("load_instrument_wording", "NOPE", str(path), "--licence", "Ours")
    with pytest.raises(CommandError, match="licence"):
        call_command("load_instrument_wording", "EPDS", str(path), "--licence", " ")
    with pytest.raises(CommandError, match="no file"):
        call_command("load_instrument_wording", "EPDS", str(tmp_path / "missing.toml"), "--licence", "Ours")
    assert not LicensedWording.objects.exists()


BANDS = """
[[bands]]
minimum = 0
maximum = 49
label = "Below the cut-off"
[[bands]]
minimum = 50
maximum = 600
label = "Above the cut-off: refer for assessment"
"""


def test_load_bands_stores_and_replaces_a_set(tmp_path: Path, db: None) -> None:
    path = tmp_path / "bands.toml"
    path.write_text(BANDS)
    call_command("load_bands", "ASQSE2", str(path), "--key", "24 months", "--source", "Our kit", stdout=StringIO())
    call_command("load_bands", "ASQSE2", str(path), "--key", "24 months", "--source", "Our kit v2", stdout=StringIO())
    stored = LoadedBands.objects.get()
    assert (stored.key, stored.source_note, len(stored.bands)) == ("24 months", "Our kit v2", 2)
    assert AuditEvent.objects.filter(action="outcomes.bands_loaded").count() == 2


@pytest.mark.parametrize(
    ("content", "key", "words"),
    [
        (BANDS, "25 months", "per age interval"),
        (BANDS.replace("maximum = 49", "maximum = 60"), "24 months", "overlaps"),
        (BANDS.replace("maximum = 600", "maximum = 900"), "24 months", "outside"),
        ("title = 'no bands'", "24 months", "at least one"),
    ],
    ids=["bad interval", "overlap", "out of range", "no bands"],
)
def test_load_bands_refuses_bad_files(tmp_path: Path, db: None, content: str, key: str, words: str) -> None:
    path = tmp_path / "bands.toml"
    path.write_text(content)
    with pytest.raises(CommandError, match=words):
        call_command("load_bands", "ASQSE2", str(path), "--key", key, "--source", "Our kit")
    assert not LoadedBands.objects.exists()


def _csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "measures.csv"
    path.write_text("referral,instrument,carer,infant,time_point,completed_on,answers\n" + "\n".join(rows) + "\n")
    return path


def test_import_raises_alerts_and_reports_bad_rows_by_line(
    tmp_path: Path, world: World, practitioner: User, team_lead: User
) -> None:
    episode = episode_with_baby(world.hub, practitioner, months=6)
    carer = episode.carers.get()
    infant = episode.infants.get()
    ref = episode.referral.reference
    today = timezone.localdate().isoformat()
    phq_risk = " ".join(str(a) for a in answers("PHQ9", {9: 2}))
    adbb_risk = " ".join(str(a) for a in answers("ADBB", {1: 3, 2: 2}))
    path = _csv(
        tmp_path,
        [
            f"{ref},PHQ9,{carer.full_name},,review,{today},{phq_risk}",  # line 2: stored, alert
            f"{ref},ADBB,,{infant.pk},review,{today},{adbb_risk}",  # line 3: stored, alert
            f"{ref},PIRGAS,{carer.full_name},{infant.pk},review,{today},101",  # line 4: refused
            f"NOPE-1,PHQ9,{carer.full_name},,review,{today},{phq_risk}",  # line 5: refused
            f"{ref},PHQ9,Someone Else,,review,{today},{phq_risk}",  # line 6: refused
            f"{ref},GAD7,{carer.full_name},,review,{today},0 0 0 0 0 0 0",  # line 7: stored
        ],
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="3 row"):
        call_command("import_administrations", str(path), stdout=out, stderr=err)
    assert "Imported 3 measure(s), refused 3; 2 risk alert(s) raised." in out.getvalue()
    problems = err.getvalue()
    assert "Line 4: Enter a rating from 1 to 100 for item 1" in problems
    assert "Line 5: no episode for referral NOPE-1" in problems
    assert "Line 6: No parent or carer called 'Someone Else'" in problems
    assert Administration.objects.filter(source=Source.IMPORT).count() == 3
    assert FamilyAlert.objects.filter(family=episode.family).count() == 2
    assert {t.assignee for t in Task.objects.filter(kind=TaskKind.RISK_ALERT)} == {practitioner, team_lead}


def test_import_needs_every_column(tmp_path: Path, db: None) -> None:
    path = tmp_path / "measures.csv"
    path.write_text("referral,instrument\nX,PHQ9\n")
    with pytest.raises(CommandError, match="missing the column"):
        call_command("import_administrations", str(path))
    assert not Administration.objects.exists()
