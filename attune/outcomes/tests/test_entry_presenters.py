"""The entry presenters, without the database: which measures fit whom (and why others are left
out), the band marked uncertain, the cut-off sentence, and change since the baseline."""

import datetime as dt
import uuid
from decimal import Decimal

from attune.families.models import Carer, Infant
from attune.outcomes import instruments
from attune.outcomes.forms.entry import item_label, option_labels
from attune.outcomes.models import Administration
from attune.outcomes.presenters import entry as presenters

TODAY = dt.date(2026, 11, 27)
EPISODE = uuid.UUID(int=1)


def _carer() -> Carer:
    return Carer(pk=uuid.UUID(int=2), given_name="Jade", family_name="Hughes")


def _infant(born: dt.date | None, due: dt.date | None = None) -> Infant:
    return Infant(
        pk=uuid.UUID(int=3), given_name="Ava", family_name="Hughes", date_of_birth=born, expected_due_date=due
    )


def _choices(infants: list[Infant], carers: list[Carer] | None = None) -> dict[str, presenters.MeasureChoice]:
    found = presenters.measure_choices(
        instruments.all_instruments(),
        episode_id=EPISODE,
        carers=[_carer()] if carers is None else carers,
        infants=infants,
        today=TODAY,
    )
    return {choice.code: choice for choice in found}


def test_infant_measures_list_only_babies_in_their_age_range() -> None:
    choices = _choices([_infant(dt.date(2024, 5, 1))])  # 30 months old
    assert choices["ADBB"].links == []
    assert choices["ADBB"].left_out == [
        "Ava Hughes is 30 months old; the Alarm Distress Baby Scale (ADBB) is for babies aged 2 to 24 months"
    ]
    assert [link.text for link in choices["ASQSE2"].links] == ["Ava Hughes"]
    assert choices["PBQ"].links[0].text == "Jade Hughes and Ava Hughes"
    assert (
        choices["PBQ"].links[0].href
        == f"/episodes/{EPISODE}/measures/new/pbq?carer={uuid.UUID(int=2)}&infant={uuid.UUID(int=3)}"
    )


def test_an_unborn_baby_is_left_out_with_a_reason() -> None:
    choices = _choices([_infant(None, TODAY + dt.timedelta(days=30))])
    assert choices["ADBB"].links == []
    assert choices["ADBB"].left_out == ["Ava Hughes is not born yet"]


def test_with_no_carer_taking_part_carer_measures_say_so() -> None:
    choices = _choices([], carers=[])
    assert choices["PHQ9"].links == []
    assert choices["PHQ9"].left_out == ["No parent or carer is taking part in this episode"]


def test_groups_run_carer_relationship_baby() -> None:
    groups = presenters.grouped(list(_choices([_infant(dt.date(2026, 5, 1))]).values()))
    assert [group.heading for group in groups] == [
        "About a parent or carer",
        "About the relationship between a parent and baby",
        "About the baby",
    ]


def test_epds_shows_item_numbers_and_printed_positions() -> None:
    epds = instruments.get("EPDS")
    assert item_label(epds, epds.item(3)) == "Item 3"
    assert option_labels(epds, epds.item(3))[0] == "Response 1 (first printed)"
    phq = instruments.get("PHQ9")
    assert item_label(phq, phq.item(9)).startswith("9. Thoughts that you would be better off dead")
    assert option_labels(phq, phq.item(9)) == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]


def _administration(total: str | None, band: str = "", above: bool | None = None, **kwargs: object) -> Administration:
    return Administration(
        instrument=kwargs.pop("instrument", "PHQ9"),  # type: ignore[misc]
        total=None if total is None else Decimal(total),
        band=band,
        above_cutoff=above,
        complete=True,
        completed_on=kwargs.pop("completed_on", TODAY),  # type: ignore[misc]
        time_point="assessment",
        answers=[],
        **kwargs,  # type: ignore[arg-type]
    )


def test_an_uncertain_band_is_marked() -> None:
    pirgas = instruments.get("PIRGAS")
    uncertain = next(band for band in pirgas.bands if band.uncertain)
    html = presenters.band_html(_administration("45", uncertain.label, instrument="PIRGAS"), pirgas, [])
    assert uncertain.label in html
    assert "Uncertain" in html
    certain = next(band for band in pirgas.bands if not band.uncertain)
    assert "Uncertain" not in presenters.band_html(
        _administration("95", certain.label, instrument="PIRGAS"), pirgas, []
    )


def test_cutoff_sentence_follows_the_direction() -> None:
    phq = instruments.get("PHQ9")
    assert presenters.cutoff_text(_administration("12", above=True), phq).startswith("At or above the cut-off of 10")
    assert presenters.cutoff_text(_administration("4", above=False), phq).startswith("Below the cut-off of 10")
    kpcs = instruments.get("KPCS")
    assert presenters.cutoff_text(_administration("30", above=True, instrument="KPCS"), kpcs).startswith(
        "At or below the cut-off of 39"
    )


def test_change_since_the_baseline_with_reliable_change() -> None:
    phq = instruments.get("PHQ9")
    baseline = _administration("18", completed_on=dt.date(2026, 9, 1))
    assert presenters.change_since_baseline(_administration("18"), phq, None).is_baseline
    worse = presenters.change_since_baseline(_administration("24"), phq, baseline)
    texts = [row["value"]["text"] for row in worse.rows]
    assert texts[0] == "18 on Tuesday 1 September 2026 (assessment)"
    assert texts[1] == "+6 points"
    assert texts[2] == "Reliable deterioration (threshold 6 points)"
    small = presenters.change_since_baseline(_administration("13"), phq, baseline)
    assert small.rows[2]["value"]["text"] == "No reliable change (threshold 6 points)"
    adbb = instruments.get("ADBB")
    none = presenters.change_since_baseline(
        _administration("3", instrument="ADBB"), adbb, _administration("8", instrument="ADBB")
    )
    assert none.rows[2]["value"]["text"].startswith("Not known: there is no reliable-change threshold")


def test_score_text() -> None:
    phq = instruments.get("PHQ9")
    assert presenters.score_text(_administration("7"), phq) == "7 out of 27"
    assert presenters.score_text(_administration(None), phq) == "Not scored: too many answers are missing"


def test_each_answer_carries_its_score_and_risk_items_stand_out_whatever_they_scored() -> None:
    epds = instruments.get("EPDS")
    assert epds.risk_items == (10,)
    assert instruments.get("PHQ9").risk_items == (9,)
    assert instruments.get("CORE10").risk_items == (6,)
    assert instruments.get("PBQ").risk_items == (18, 24)
    # Item 10 keyed as the fourth printed answer: reverse scored, so 0 and no alert.
    given: list[int | None] = [2, 0, 0, 0, 0, 0, 0, 0, 0, 3]
    found = presenters.item_answers(epds, given)
    assert (found[0].answer, found[0].score) == ("Response 3 (third printed)", 2)
    assert (found[2].answer, found[2].score) == ("Response 1 (first printed)", 3)  # item 3 is reversed
    (risk,) = presenters.risk_answers(found)
    assert (risk.number, risk.answer, risk.score, risk.alert) == (10, "Response 4 (fourth printed)", 0, "")
    (callout,) = presenters.risk_callouts(found, saved=True)
    assert callout.heading == "Risk question 10: no risk alert"
    assert not callout.alert
    assert "Answer: Response 4 (fourth printed). Score: 0." in callout.html
    assert "reverse scored" in callout.html

    given[9] = 0  # the first printed answer to item 10 scores 3: an alert
    (callout,) = presenters.risk_callouts(presenters.item_answers(epds, given), saved=False)
    assert callout.alert
    assert callout.heading == "Risk question 10: raises a risk alert"
    assert "Score: 3." in callout.html

    rows = presenters.answer_rows(Administration(instrument="EPDS", answers=given), epds)
    assert [cell.get("text") for cell in rows[0]] == ["Item 1", "Response 3 (third printed)", "2"]
    assert "Risk item" in rows[9][0]["html"]
    assert rows[9][2]["text"] == "3"


def test_the_check_rows_link_each_question_back_to_the_form() -> None:
    pbq = instruments.get("PBQ")
    found = presenters.item_answers(pbq, [0] * 25)
    rows = presenters.check_rows(found, "/enter?carer=1&change=1")
    assert rows[0]["actions"]["items"][0]["href"] == "/enter?carer=1&change=1#id_item_1"
    assert rows[0]["actions"]["items"][0]["text"] == "Change"
    assert "Score: 0" in rows[0]["value"]["html"]
    assert [row.get("attributes", {}).get("data-risk-item") for row in rows if row.get("attributes")] == ["18", "24"]
    # Item 18 answered "Always" scores 5: above 0, an alert.
    assert "Raises a risk alert" in rows[17]["value"]["html"]
