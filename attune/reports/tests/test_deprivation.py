"""Loading postcode to LSOA and IoD ranks, and looking deciles up."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from attune.reports import deprivation
from attune.reports.models import DeprivationRank, PostcodeLsoa

pytestmark = pytest.mark.django_db
FILE_1 = (
    "LSOA code (2021),LSOA name (2021),Index of Multiple Deprivation (IMD) Rank,"
    "Index of Multiple Deprivation (IMD) Decile\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_onspd_postcodes_normalised_and_skips_rows_without_an_lsoa(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "onspd.csv",
        "PCD7,PCDS,LSOA21CD,lsoa11cd\nFY1 1AA,fy1 1aa,E01990001,E01000001\nFY11BB,FY1 1BB,E01990002,E01000002\n"
        "DG1 1AA,DG1 1AA,S01000001,S01000001\n",
    )
    call_command("load_postcode_lsoa", str(path), "--vintage", "2021", stdout=(out := _Out()))
    assert dict(PostcodeLsoa.objects.filter(vintage="2021").values_list("postcode", "lsoa_code")) == {
        "FY1 1AA": "E01990001",
        "FY1 1BB": "E01990002",
    }
    assert "Loaded 2 postcodes" in out.text
    call_command("load_postcode_lsoa", str(path), "--vintage", "2011", stdout=_Out())
    assert PostcodeLsoa.objects.get(vintage="2011", postcode="FY1 1AA").lsoa_code == "E01000001"


def test_loading_again_replaces_by_key(tmp_path: Path) -> None:
    call_command(
        "load_postcode_lsoa", str(write(tmp_path, "a.csv", "pcds,lsoa21cd\nFY1 1AA,E01990001\n")), stdout=_Out()
    )
    call_command(
        "load_postcode_lsoa", str(write(tmp_path, "b.csv", "pcds,lsoa21cd\nFY1 1AA,E01990009\n")), stdout=_Out()
    )
    assert list(PostcodeLsoa.objects.values_list("postcode", "lsoa_code")) == [("FY1 1AA", "E01990009")]


def test_loads_file_1_with_variant_headers(tmp_path: Path) -> None:
    text = (
        "LSOA code (2021),Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived),"
        "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)\n"
        'E01990001,"1,204",1\nE01990002,33000,10\n'
    )
    call_command("load_deprivation", str(write(tmp_path, "file1.csv", text)), "--edition", "IoD2025", stdout=_Out())
    call_command("load_deprivation", str(write(tmp_path, "file1.csv", text)), "--edition", "IoD2025", stdout=_Out())
    assert sorted(DeprivationRank.objects.values_list("lsoa_code", "rank", "decile")) == [
        ("E01990001", 1204, 1),
        ("E01990002", 33000, 10),
    ]


def test_missing_file_column_and_bad_row_are_clear(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("load_deprivation", str(tmp_path / "nowhere.csv"))
    with pytest.raises(CommandError, match=r"no 2021 LSOA \(lsoa21cd, lsoa21\) column. Columns found: pcds, lsoa11cd"):
        call_command("load_postcode_lsoa", str(write(tmp_path, "p.csv", "pcds,lsoa11cd\nFY1 1AA,E01000001\n")))
    with pytest.raises(CommandError, match=r'no "LSOA code \(2011\)" \(needed for IoD2019\) column'):
        call_command("load_deprivation", str(write(tmp_path, "f.csv", FILE_1)), "--edition", "IoD2019")
    with pytest.raises(CommandError, match="line 2: the rank and decile must be whole numbers"):
        call_command("load_deprivation", str(write(tmp_path, "g.csv", FILE_1 + "E01990001,x,first,1\n")))
    with pytest.raises(CommandError, match="line 3: the rank must be 1 or more and the decile 1 to 10"):
        call_command("load_deprivation", str(write(tmp_path, "h.csv", FILE_1 + "E01990001,x,5,1\nE01990002,x,6,11\n")))
    assert not DeprivationRank.objects.exists()  # a bad row loads nothing


def test_deciles_for_postcodes(django_assert_max_num_queries: object) -> None:
    PostcodeLsoa.objects.create(postcode="FY1 1AA", lsoa_code="E01990001", vintage="2021")
    PostcodeLsoa.objects.create(postcode="FY1 2BB", lsoa_code="E01990003", vintage="2021")  # LSOA not ranked
    DeprivationRank.objects.create(edition="IoD2025", lsoa_code="E01990001", rank=10, decile=1)
    DeprivationRank.objects.create(edition="IoD2019", lsoa_code="E01990001", rank=99, decile=3)
    with django_assert_max_num_queries(1):  # type: ignore[operator]
        found = deprivation.deciles_for_postcodes(["fy11aa", "FY1 2BB", "ZZ9 9ZZ", ""])
    assert found == {"fy11aa": 1, "FY1 2BB": None, "ZZ9 9ZZ": None, "": None}
    with override_settings(ATTUNE_DEPRIVATION_EDITION="IoD2019"):
        assert deprivation.deciles_for_postcodes(["FY1 1AA"]) == {"FY1 1AA": None}  # no 2011 lookup loaded


def test_the_demo_subset_covers_the_demo_postcodes() -> None:
    postcodes, lsoas = deprivation.load_demo_deprivation()
    assert lsoas == 50
    assert postcodes >= 29 + 60
    found = deprivation.deciles_for_postcodes(["FY4 4QH", "BB1 7DJ", "PR1 1AB"])
    assert all(decile is not None for decile in found.values())
    assert set(DeprivationRank.objects.values_list("decile", flat=True)) == set(range(1, 11))


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass
