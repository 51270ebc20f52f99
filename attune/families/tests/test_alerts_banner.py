"""Risk alerts on the family: raised and closed by one action each (closing needs the action
taken), and shown in the family banner on every page that shows the banner, each linking to
its alert page, until closed."""

from collections.abc import Callable

import pytest
from django.test import Client

from attune.accounts.models import User
from attune.care.tests.factories import AppointmentFactory, open_episode, waiting_referral
from attune.core import links
from attune.core.actors import Actor
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.families import presenters, services
from attune.families.models import FamilyAlert
from attune.families.tests.factories import SafeguardingFlagFactory
from attune.organisations.tests.world import World


@pytest.fixture(autouse=True)
def _alert_links(monkeypatch: pytest.MonkeyPatch) -> None:
    """Alerts here are raised about episodes and referrals; the app that raises real ones
    registers their link (outcomes, for an administration), so these tests register their own."""
    for about_type in ("care.episode", "referrals.referral"):
        monkeypatch.setitem(links._alert_links, about_type, lambda alert: f"/test-alerts/{alert.pk}")


def _request(user: User) -> Actor:
    return acting(user, ip="127.0.0.1")


def test_raise_and_close_an_alert_each_audited(world: World, practitioner: User) -> None:
    episode = open_episode(world.hub, practitioner)
    alert = services.raise_alert(family=episode.family, message="Item 10 above 0", about=episode)
    assert list(FamilyAlert.objects.active()) == [alert]
    assert (alert.about_type, alert.about_id) == ("care.episode", str(episode.pk))
    assert AuditEvent.objects.filter(action="family_alert.raised", object_id=str(alert.pk)).exists()

    with pytest.raises(services.FamilyError, match="Enter what you did about this alert"):
        services.close_alert(actor=_request(practitioner), alert=alert, action_taken="   ")
    assert FamilyAlert.objects.active().count() == 1

    services.close_alert(actor=_request(practitioner), alert=alert, action_taken="Rang her; GP seeing her today")
    alert.refresh_from_db()
    assert alert.closed_by == practitioner
    assert alert.action_taken == "Rang her; GP seeing her today"
    assert not FamilyAlert.objects.active().exists()
    assert AuditEvent.objects.filter(action="family_alert.closed", object_id=str(alert.pk), actor=practitioner).exists()
    with pytest.raises(services.FamilyError, match="already been closed"):
        services.close_alert(actor=_request(practitioner), alert=alert, action_taken="Again")


def test_an_alert_needs_a_message(world: World, practitioner: User) -> None:
    episode = open_episode(world.hub, practitioner)
    with pytest.raises(services.FamilyError):
        services.raise_alert(family=episode.family, message=" ", about=episode)
    assert not FamilyAlert.objects.exists()


def test_banner_presenter_holds_flags_and_alerts(world: World, practitioner: User) -> None:
    episode = open_episode(world.hub, practitioner)
    alert = services.raise_alert(family=episode.family, message="Risk", about=episode)
    empty = presenters.banner_items([], [])
    assert not empty
    banner = presenters.banner_items([], [alert])
    assert banner
    assert banner.flags == []
    assert [(a.message, a.url) for a in banner.alerts] == [("Risk", f"/test-alerts/{alert.pk}")]


def test_every_page_with_the_banner_shows_active_alerts(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, world: World
) -> None:
    episode = open_episode(world.hub, practitioner)
    family = episode.family
    alert = services.raise_alert(family=family, message="PHQ-9 item 9 scored above 0", about=episode)
    flag = SafeguardingFlagFactory(family=family)
    appointment = AppointmentFactory(episode=episode, practitioner=practitioner)
    referral = episode.referral
    waiting = waiting_referral(world.hub)
    waiting_alert = services.raise_alert(family=waiting.family, message="ADBB total of 5", about=waiting)
    client = signed_in(team_lead)
    pages = [
        (f"/families/{family.pk}", alert),
        (f"/families/{family.pk}/flags/new", alert),
        (f"/families/{family.pk}/flags/{flag.pk}/remove", alert),
        (f"/referrals/{referral.pk}", alert),
        (f"/episodes/{episode.pk}", alert),
        (f"/episodes/{episode.pk}/details", alert),
        (f"/episodes/{episode.pk}/goals/new", alert),
        (f"/episodes/{episode.pk}/discharge", alert),
        (f"/episodes/{episode.pk}/transfer", alert),
        (f"/episodes/{episode.pk}/appointments/new", alert),
        (f"/appointments/{appointment.pk}", alert),
        (f"/teams/{world.hub.pk}/waiting-list/{waiting.pk}/allocate", waiting_alert),
    ]
    for path, expected in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.content.decode()
        assert "data-risk-alerts" in page, path
        assert expected.message in page, path
        assert f'href="{expected.url}"' in page, path

    services.close_alert(actor=_request(team_lead), alert=alert, action_taken="Seen the same day at home; GP told")
    page = client.get(f"/episodes/{episode.pk}").content.decode()
    assert "data-risk-alerts" not in page
    assert "data-safeguarding-banner" in page  # the flag still shows
