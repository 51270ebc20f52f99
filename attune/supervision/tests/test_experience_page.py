"""Setting a practitioner's experience with under-2s and contracted hours from the team page."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.core.models import AuditEvent
from attune.organisations.tests.world import World
from attune.supervision.models import ClinicalExperience
from attune.supervision.tests.factories import experience


def _form(since: dt.date | None, hours: str) -> dict[str, str]:
    parts = ("", "", "") if since is None else (str(since.day), str(since.month), str(since.year))
    return {"since-day": parts[0], "since-month": parts[1], "since-year": parts[2], "weekly_hours": hours}


def test_team_lead_sets_experience_from_the_compliance_page(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, world: World
) -> None:
    client = signed_in(team_lead)
    url = f"/teams/{world.hub.pk}/supervision/experience?person={practitioner.pk}"
    compliance = client.get(f"/teams/{world.hub.pk}/supervision").content.decode()
    assert url.replace("?", "?") in compliance.replace("&amp;", "&")
    form = client.get(url)
    assert form.status_code == 200
    assert "Pat Practitioner" in form.content.decode()
    response = client.post(url, _form(dt.date(2024, 9, 1), "22.5"), follow=True)
    assert response.redirect_chain[-1][0] == f"/teams/{world.hub.pk}/supervision"
    page = response.content.decode()
    assert "Experience and contracted hours saved for Pat Practitioner." in page
    assert "60 minutes every week" not in page  # 22.5 hours pro rata
    saved = ClinicalExperience.objects.get(practitioner=practitioner)
    assert (saved.under_twos_experience_since, saved.weekly_hours) == (dt.date(2024, 9, 1), Decimal("22.5"))
    assert AuditEvent.objects.filter(action="supervision.experience_set", object_id=str(saved.pk)).count() == 1


def test_supervisor_changes_a_trainees_experience_in_the_satellite(
    signed_in: Callable[[User], Client], supervisor: User, trainee: User, world: World
) -> None:
    experience(trainee, dt.date(2024, 11, 1))
    client = signed_in(supervisor)
    url = f"/teams/{world.satellite.pk}/supervision/experience?person={trainee.pk}"
    form = client.get(url).content.decode()
    assert 'value="2024"' in form
    assert 'value="37.5"' in form
    assert client.post(url, _form(dt.date(2020, 1, 6), "30")).status_code == 302
    saved = ClinicalExperience.objects.get(practitioner=trainee)
    assert (saved.under_twos_experience_since, saved.weekly_hours) == (dt.date(2020, 1, 6), Decimal("30"))


def test_refusals_keep_what_was_typed(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, world: World
) -> None:
    client = signed_in(team_lead)
    url = f"/teams/{world.hub.pk}/supervision/experience?person={practitioner.pk}"
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page = client.post(url, _form(tomorrow, "61")).content.decode()
    assert "There is a problem" in page
    assert "Experience with under-2s since must be today or in the past" in page
    assert "Contracted hours must be between 1 and 60 a week, like 22.5" in page
    assert 'value="61"' in page
    assert f'value="{tomorrow.year}"' in page
    page = client.post(url, _form(dt.date(2024, 9, 1), "lots")).content.decode()
    assert "Contracted hours must be a number, like 22.5" in page
    assert 'value="lots"' in page
    page = client.post(url, _form(None, "0.5")).content.decode()
    assert "Enter when their experience with under-2s began" in page
    assert "Contracted hours must be between 1 and 60 a week" in page
    assert not ClinicalExperience.objects.exists()
    assert not AuditEvent.objects.filter(action="supervision.experience_set").exists()


def test_experience_page_refusals(
    signed_in: Callable[[User], Client],
    practitioner: User,
    outsider: User,
    team_lead: User,
    trainee: User,
    coordinator: User,
    world: World,
) -> None:
    assert (
        signed_in(practitioner)
        .get(f"/teams/{world.hub.pk}/supervision/experience?person={practitioner.pk}")
        .status_code
        == 403
    )
    assert (
        signed_in(outsider).get(f"/teams/{world.hub.pk}/supervision/experience?person={practitioner.pk}").status_code
        == 404
    )
    lead = signed_in(team_lead)
    # The trainee is in the satellite, which this hub lead does not lead; a coordinator is not followed.
    for person in (trainee.pk, coordinator.pk, "nonsense", ""):
        url = f"/teams/{world.hub.pk}/supervision/experience?person={person}"
        assert lead.get(url).status_code == 404
    assert (
        lead.post(
            f"/teams/{world.hub.pk}/supervision/experience?person={trainee.pk}", _form(dt.date(2024, 1, 1), "30")
        ).status_code
        == 404
    )
    assert not ClinicalExperience.objects.exists()
    assert AuditEvent.objects.filter(action="access.refused", outcome="denied").exists()
