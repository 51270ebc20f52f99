"""The demo's MHSDS extract: loaded as `make run` loads it, for the month just ended, it passes
every check with no error (issue 20: "the MHSDS extract of the demo validates with no error")."""

from django.utils import timezone

from attune.interop import mhsds_load, mhsds_rules
from attune.interop.mhsds_forms import default_month
from attune.organisations.models import Team


def test_every_demo_teams_extract_for_the_month_just_ended_has_no_error() -> None:
    month = default_month(timezone.localdate())
    for team in Team.objects.order_by("name"):
        extract = mhsds_load.extract_for(team, month)
        validation = mhsds_rules.validate(extract)
        assert [(f.table, f.row, f.item, f.rule) for f in validation.errors] == [], team.name
        # The month has contacts to submit, so the check is of something.
        if team.kind == "hub":
            assert len(extract.tables["MHS201CareContact"]) > 0
            assert len(extract.tables["MHS001MPI"]) > 0
