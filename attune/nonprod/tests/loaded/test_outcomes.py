"""The demo's outcome measures: each team's schedule, measures at assessment and review showing
mostly improvement, risk alerts acted on and open, and a parent's link answered and one waiting."""

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from attune.accounts.models import User
from attune.care.codes import ATTENDED
from attune.care.models import Episode
from attune.core import audit
from attune.core.clocks import age_in_months
from attune.core.models import AuditEvent, Task, TaskKind
from attune.families.models import FamilyAlert
from attune.nonprod import demo_care, scenario
from attune.nonprod.tests.demo import person
from attune.notifications.models import Message
from attune.outcomes import scoring
from attune.outcomes.models import Administration, MeasureSchedule, QuestionnaireLink, Source, TimePoint

HUB = "Blackpool PAIRS hub team"
SATELLITE = "Blackburn with Darwen satellite team"


def _leads() -> dict[str, User]:
    return {spec.plan.reference: person(spec.lead) for spec in demo_care.EPISODES}


def _alerts_about(code: str) -> list[FamilyAlert]:
    ids = [str(pk) for pk in Administration.objects.filter(instrument=code).values_list("pk", flat=True)]
    return list(FamilyAlert.objects.filter(about_type=audit.object_type_of(Administration), about_id__in=ids))


def _administration(alert: FamilyAlert) -> Administration:
    return Administration.objects.select_related("episode__team", "episode__referral").get(pk=alert.about_id)


# -- The answers, without the database --------------------------------------------------------


# -- The loaded demo ----------------------------------------------------------------------------


def test_each_team_has_the_schedule_its_lead_set() -> None:
    expected = {
        *((code, TimePoint.ASSESSMENT, 0, None, None) for code in ("EPDS", "PHQ9", "GAD7", "PBQ")),
        ("ADBB", TimePoint.ASSESSMENT, 0, 2, 24),
        *((code, TimePoint.REVIEW, 12, None, None) for code in ("EPDS", "PHQ9", "GAD7", "PBQ")),
        ("ADBB", TimePoint.REVIEW, 12, 2, 24),
        *((code, TimePoint.DISCHARGE, None, None, None) for code in ("EPDS", "PHQ9", "GAD7")),
    }
    for team in scenario.teams():
        rows = MeasureSchedule.objects.filter(team=team, active=True).values_list(
            "instrument", "time_point", "weeks_after_start", "infant_min_months", "infant_max_months"
        )
        assert set(rows) == expected
    added_by = set(AuditEvent.objects.filter(action="outcomes.schedule_added").values_list("actor", flat=True))
    assert added_by == {person("team_lead").pk}
    assert AuditEvent.objects.filter(action="outcomes.schedule_added").count() == 2 * len(expected)


def test_measures_at_baseline_and_at_review_entered_by_the_lead() -> None:
    today = timezone.localdate()
    leads = _leads()
    episodes = list(Episode.objects.select_related("referral").filter(referral__reference__in=leads))
    assert len(episodes) == len(demo_care.EPISODES)
    with_baseline = 0
    for episode in episodes:
        opened = timezone.localdate(episode.opened_at)
        recorded = Administration.objects.filter(episode=episode)
        for administration in recorded:
            assert opened <= administration.completed_on <= today
            if administration.source == Source.STAFF:
                assert administration.entered_by == leads[episode.referral.reference]
                assert timezone.localdate(administration.created_at) == administration.completed_on
        baseline = recorded.filter(time_point=TimePoint.ASSESSMENT, instrument="EPDS")
        if baseline.exists():
            with_baseline += 1
            first = episode.appointments.filter(attendance__in=ATTENDED).order_by("starts_at").first()
            if baseline.get().source == Source.STAFF and first is not None:
                # At the first session the family came to (weeks after opening when Christmas
                # or missed visits come first).
                assert baseline.get().completed_on == timezone.localdate(first.starts_at)
        reviewed = set(recorded.filter(time_point=TimePoint.REVIEW).values_list("instrument", flat=True))
        if opened + dt.timedelta(weeks=12) <= today:
            assert {"EPDS", "PHQ9", "GAD7", "PBQ"} <= reviewed, episode.referral.reference
            assert not recorded.filter(
                time_point=TimePoint.REVIEW, completed_on__lt=opened + dt.timedelta(weeks=12)
            ).exists()
        else:
            assert not reviewed
    assert with_baseline >= len(episodes) - 2
    # Reviews in both teams, and the discharged family's measures at discharge.
    reviews = Administration.objects.filter(time_point=TimePoint.REVIEW)
    assert set(reviews.values_list("episode__team__name", flat=True)) == {HUB, SATELLITE}
    # The one discharged from today's caseloads (the satellite's history is demo_history's).
    [discharged] = Episode.objects.discharged().filter(referral__reference__in=_leads())
    at_discharge = discharged.administrations.filter(time_point=TimePoint.DISCHARGE)
    assert set(at_discharge.values_list("instrument", flat=True)) == {"EPDS", "PHQ9", "GAD7"}
    ended = timezone.localdate(discharged.discharges.get().discharged_at)
    assert all(a.completed_on <= ended for a in at_discharge)
    # The ADBB only for babies it fits (2 to 24 months on the day).
    for administration in Administration.objects.filter(instrument="ADBB").select_related("infant"):
        assert administration.infant is not None
        assert administration.infant.date_of_birth is not None
        assert 2 <= age_in_months(administration.infant.date_of_birth, administration.completed_on) <= 24


def test_reliable_change_shows_mostly_improvement_and_one_family_getting_worse() -> None:
    series: dict[tuple[object, str, object], list[Administration]] = defaultdict(list)
    for administration in Administration.objects.filter(instrument__in=["EPDS", "PHQ9", "GAD7"]).order_by(
        "completed_on"
    ):
        series[administration.episode_id, administration.instrument, administration.carer_id].append(administration)
    changes: dict[str, set[object]] = defaultdict(set)
    for (episode_id, code, _), done in series.items():
        if len(done) < 2:
            continue
        assert done[0].total is not None
        assert done[-1].total is not None
        change = scoring.reliable_change(code, float(done[0].total), float(done[-1].total))
        changes[change].add(episode_id)
    assert changes[scoring.IMPROVED]
    assert changes[scoring.NO_RELIABLE_CHANGE]
    assert len(changes[scoring.DETERIORATED]) == 1
    assert len(changes[scoring.IMPROVED]) > len(changes[scoring.DETERIORATED])
    epds = Administration.objects.filter(episode__referral__reference="PIR-DEMO-0101", instrument="EPDS")
    assert [int(a.total or 0) for a in epds.order_by("completed_on")] == [16, 9]


def test_risk_alerts_one_acted_on_one_still_open_with_tasks_for_the_right_people() -> None:
    now = timezone.now()
    team_lead = person("team_lead")
    # EPDS item 10 at baseline in the hub: acted on the same day, its tasks closed with the action.
    [acted] = _alerts_about("EPDS")
    epds = _administration(acted)
    assert epds.episode.team.name == HUB
    assert epds.time_point == TimePoint.ASSESSMENT
    assert epds.answers[9] != 3  # item 10 is reverse-ordered: position 3 scores 0
    assert acted.closed_at is not None
    assert acted.closed_by == person("practitioner")
    assert acted.action_taken.startswith("Discussed safety plan with mum; GP informed same day")
    assert acted.created_at < acted.closed_at < now - dt.timedelta(weeks=4)
    assert timezone.localdate(acted.closed_at) == epds.completed_on
    closed = Task.objects.filter(kind=TaskKind.RISK_ALERT, about_id=str(acted.pk))
    assert {t.assignee for t in closed} == {person("practitioner"), team_lead}
    assert all(t.closed_at == acted.closed_at and t.closed_note.startswith("Discussed safety") for t in closed)
    # PHQ-9 item 9 at a recent review in the satellite: still open, on the banner and in tasks.
    [open_alert] = _alerts_about("PHQ9")
    phq9 = _administration(open_alert)
    assert phq9.episode.team.name == SATELLITE
    assert phq9.time_point == TimePoint.REVIEW
    assert phq9.answers[8] > 0
    assert phq9.completed_on >= timezone.localdate() - dt.timedelta(days=7)
    assert open_alert.closed_at is None
    assert FamilyAlert.objects.active().filter(family=phq9.episode.family).get() == open_alert
    waiting = Task.objects.open().filter(kind=TaskKind.RISK_ALERT, about_id=str(open_alert.pk))
    assert {t.assignee for t in waiting} == {person("trainee_2"), team_lead}
    assert all(t.urgent for t in waiting)
    # An ADBB total of 5 or more, reviewed; every other answer stays under the risk rules.
    [adbb] = _alerts_about("ADBB")
    assert _administration(adbb).total is not None
    assert _administration(adbb).total >= 5  # type: ignore[operator]
    assert adbb.closed_at is not None
    assert FamilyAlert.objects.count() == 3
    assert FamilyAlert.objects.active().count() == 1
    assert Task.objects.open().filter(kind=TaskKind.RISK_ALERT).count() == 2
    # The self-harm answer's action is recorded in structure, and a supervisor reviewed it
    reviewed = FamilyAlert.objects.get(reviewed_at__isnull=False)
    assert reviewed.actions_done == ["assessed_in_person", "gp_told"]
    assert reviewed.reviewed_by is not None
    assert reviewed.reviewed_by != reviewed.closed_by
    assert reviewed.action_done_at <= reviewed.reviewed_at  # type: ignore[operator]
    assert not Task.objects.open().filter(kind=TaskKind.REVIEW_RISK_ALERT).exists()


def test_a_parent_answered_through_a_link_and_another_link_waits() -> None:
    now = timezone.now()
    from_parent = Administration.objects.filter(source=Source.PARENT_LINK)
    # The EPDS's wording is the service's own to load, so it is never sent by link
    assert set(from_parent.values_list("instrument", flat=True)) == {"PHQ9", "GAD7", "PBQ"}
    assert from_parent.awaiting_review().count() == 3
    assert {a.entered_by for a in from_parent} == {None}
    assert set(from_parent.values_list("episode__team__name", flat=True)) == {HUB}
    [used] = QuestionnaireLink.objects.filter(used_at__isnull=False)
    assert used.episode_id == from_parent.first().episode_id  # type: ignore[union-attr]
    [waiting] = QuestionnaireLink.objects.usable(now)
    assert waiting.episode.team.name == SATELLITE
    assert waiting.instruments == ["PHQ9", "GAD7", "PBQ"]
    assert waiting.sent_by == person("trainee_1")
    assert Message.objects.filter(template="questionnaire_link").count() == 2
