"""Outcome-measure actions. `record_administration` is THE one way to store a completed
questionnaire or rating, whatever the path (staff entry, a parent's link, an import): it checks
the measure fits the person, scores the answers with the pure engine, stores answers and result
in one transaction and, for every risk rule the answers cross, puts an alert on the family's
banner and gives the episode's practitioners and the team's leads a task that only closes when
someone records the action taken (`record_alert_action`)."""

import datetime as dt
import re
import tomllib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Episode, EpisodeWorker
from attune.core import audit
from attune.core.actors import Actor
from attune.core.clocks import age_in_months
from attune.core.models import TaskKind
from attune.core.tasks import close_tasks, raise_task
from attune.families import services as family_services
from attune.families.models import Carer, FamilyAlert, Infant
from attune.families.naming import family_title
from attune.organisations.models import Membership
from attune.organisations.roles import Role
from attune.outcomes import instruments, scoring
from attune.outcomes.instruments import Band, Instrument
from attune.outcomes.models import Administration, LicensedWording, LoadedBands, Source, TimePoint

# ASQ:SE-2 age intervals in months (domain.md A.2: "9 age intervals (2-60 m)"). A service loads
# the cut-offs of each interval from its own kit with `manage.py load_bands ASQSE2 … --key "N months"`.
ASQSE2_INTERVALS = (2, 6, 12, 18, 24, 30, 36, 48, 60)


class OutcomeError(Exception):
    """A measure that cannot be stored as given; the message is fit to show the person.
    ``field`` names the form field it concerns ("item_3", "carer", "completed_on"...) or is ""."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# Instruments as the service holds them ------------------------------------------------------


def latest_wording(code: str) -> LicensedWording | None:
    """The wording the service loaded most recently for this measure, if any."""
    return LicensedWording.objects.filter(instrument=code).order_by("-created_at").first()


def instrument_for_service(code: str, wording: LicensedWording | None = None) -> Instrument:
    """The instrument, with the service's licensed wording applied when it has loaded some.
    KeyError for an unknown code. Pass ``wording`` when already fetched (saves a query)."""
    instrument = instruments.get(code)
    loaded = wording if wording is not None else latest_wording(code)
    if loaded is None:
        return instrument
    options = {int(number): labels for number, labels in (loaded.options or {}).items()}
    return instruments.with_wording(
        instrument, {int(number): text for number, text in loaded.items.items()}, options or None
    )


def asqse2_interval_for(age_months: int) -> str:
    """The ASQ:SE-2 interval key for a baby's age: the latest interval the baby has reached
    ("2 months" below 6 months, "24 months" from 24 to 29 months...). A simple documented rule;
    the practitioner can always name the interval used on the entry form."""
    reached = [months for months in ASQSE2_INTERVALS if months <= age_months] or [ASQSE2_INTERVALS[0]]
    return f"{reached[-1]} months"


def loaded_bands(code: str, key: str = "") -> LoadedBands | None:
    return LoadedBands.objects.filter(instrument=code, key=key).first()


def bands_of(loaded: LoadedBands) -> tuple[Band, ...]:
    return tuple(
        Band(
            minimum=float(raw["minimum"]),
            maximum=float(raw["maximum"]),
            label=str(raw["label"]),
            uncertain=bool(raw.get("uncertain", False)),
        )
        for raw in loaded.bands
    )


def bands_key_for(instrument: Instrument, infant: Infant | None, on: dt.date, chosen: str = "") -> str:
    """Which loaded band set applies: the interval the practitioner named, or (ASQ:SE-2) the one
    matching the baby's age on the day; "" (the service-wide set) for every other measure."""
    if chosen:
        return chosen
    if instrument.code == "ASQSE2" and infant is not None and infant.date_of_birth is not None:
        return asqse2_interval_for(age_in_months(infant.date_of_birth, on))
    return ""


# Checks ---------------------------------------------------------------------------------------

_ITEM = re.compile(r"^Item (\d+) of ")


def _answer_error(instrument: Instrument, error: ValueError) -> OutcomeError:
    """The engine's ValueError, said for the person entering it and tied to the item's field."""
    match = _ITEM.match(str(error))
    if match is None:
        return OutcomeError(f"The answers do not fit the {instrument.name}: {error}")
    number = int(match.group(1))
    item = instrument.item(number)
    if item.numeric:
        message = f"Enter a rating from {item.minimum} to {item.maximum} for item {number}"
    else:
        message = f"Answer item {number}"
    return OutcomeError(message, field=f"item_{number}")


def _check_person(
    *, instrument: Instrument, episode: Episode, carer: Carer | None, infant: Infant | None, completed_on: dt.date
) -> None:
    needs_carer = instrument.about in ("carer", "relationship")
    needs_infant = instrument.about in ("infant", "relationship")
    if needs_carer and carer is None:
        raise OutcomeError(f"Choose the parent or carer the {instrument.name} is about", field="carer")
    if needs_infant and infant is None:
        raise OutcomeError(f"Choose the baby the {instrument.name} is about", field="infant")
    if carer is not None and not episode.carers.filter(pk=carer.pk).exists():
        raise OutcomeError("This parent or carer is not taking part in this episode", field="carer")
    if infant is not None:
        if not episode.infants.filter(pk=infant.pk).exists():
            raise OutcomeError("This baby is not taking part in this episode", field="infant")
        ages = instrument.infant_age_months
        if ages is not None:
            if infant.date_of_birth is None:
                raise OutcomeError(
                    f"The {instrument.name} is for babies aged {ages[0]} to {ages[1]} months, "
                    "and this baby is not born yet",
                    field="infant",
                )
            age = age_in_months(infant.date_of_birth, completed_on)
            if not ages[0] <= age <= ages[1]:
                raise OutcomeError(
                    f"The {instrument.name} is for babies aged {ages[0]} to {ages[1]} months; "
                    f"this baby was {age} months old on the day it was completed",
                    field="infant",
                )


def _check_date(episode: Episode, completed_on: dt.date) -> None:
    if completed_on > timezone.localdate():
        raise OutcomeError("The date completed must be today or in the past", field="completed_on")
    opened = timezone.localdate(episode.opened_at)
    if completed_on < opened:
        raise OutcomeError(
            f"The date completed must be on or after the day the episode opened ({opened:%-d %B %Y})",
            field="completed_on",
        )


def _people_to_alert(episode: Episode) -> list[User]:
    """The episode's current practitioners and the team's current team leads, each once."""
    today = timezone.localdate()
    people: dict[uuid.UUID, User] = {}
    for worker in EpisodeWorker.objects.filter(episode=episode, ended_at__isnull=True).select_related("practitioner"):
        if worker.practitioner.is_active:
            people.setdefault(worker.practitioner.pk, worker.practitioner)
    leads = Membership.objects.active(today).filter(team_id=episode.team_id, role=Role.TEAM_LEAD)
    for membership in leads.select_related("user"):
        if membership.user.is_active:
            people.setdefault(membership.user.pk, membership.user)
    return list(people.values())


# Recording ------------------------------------------------------------------------------------


@transaction.atomic
def record_administration(
    *,
    actor: Actor | None,
    episode: Episode,
    instrument: str,
    answers: Sequence[int | None],
    time_point: str,
    completed_on: dt.date,
    source: str,
    carer: Carer | None = None,
    infant: Infant | None = None,
    bands_key: str = "",
) -> Administration:
    """Check, score and store one completed measure, and raise its risk alerts.

    Refuses (OutcomeError, nothing stored) an unknown measure or time point, a person not in
    the episode or outside the measure's infant ages, a date in the future or before the episode
    opened, answers the engine rejects, and answers too incomplete to score or missing a risk
    item (a risk must never go unseen because an answer was skipped). ``bands_key`` names the
    loaded band set (the ASQ:SE-2 age interval used); by default the one for the baby's age.
    """
    try:
        definition = instruments.get(instrument)
    except KeyError:
        raise OutcomeError("Choose a measure", field="instrument") from None
    if time_point not in TimePoint.values:
        raise OutcomeError("Choose the time point", field="time_point")
    if source not in Source.values:
        raise OutcomeError("The source of the answers is not known")
    _check_date(episode, completed_on)
    _check_person(instrument=definition, episode=episode, carer=carer, infant=infant, completed_on=completed_on)

    key = bands_key_for(definition, infant, completed_on, bands_key)
    # No band set loaded for the key (a service without its ASQ:SE-2 kit's cut-offs yet): the
    # total is still stored, with no band, rather than turning the answers away.
    loaded = loaded_bands(instrument, key)
    try:
        result = scoring.score(instrument, list(answers), bands=bands_of(loaded) if loaded else None)
    except ValueError as error:
        raise _answer_error(definition, error) from error
    risk_items = sorted({rule.item for rule in definition.risk_rules if rule.item is not None})
    for number in [*risk_items, *result.missing_items]:
        if number in result.missing_items and (number in risk_items or result.total is None):
            raise OutcomeError(
                f"Enter a rating from {definition.item(number).minimum} to {definition.item(number).maximum} "
                f"for item {number}"
                if definition.item(number).numeric
                else f"Answer item {number}",
                field=f"item_{number}",
            )

    administration = Administration.objects.create(
        episode=episode,
        instrument=instrument,
        carer=carer,
        infant=infant,
        time_point=time_point,
        completed_on=completed_on,
        source=source,
        entered_by=actor.user if actor is not None else None,
        answers=list(answers),
        total=None if result.total is None else Decimal(str(round(result.total, 2))),
        subscales=dict(result.subscales),
        band=result.band or "",
        alerts=list(result.alerts),
        complete=result.complete,
        above_cutoff=result.above_cutoff,
    )
    audit.record(
        action="outcomes.administration_recorded",
        actor=actor,
        obj=administration,
        family_id=episode.family_id,
        person_id=carer.pk if carer is not None else infant.pk if infant is not None else None,
        detail={
            "instrument": instrument,
            "source": source,
            "episode": str(episode.pk),
            "alerts": len(result.alerts),
            "bands": key,
        },
    )
    if result.alerts:
        _raise_alerts(actor=actor, administration=administration, episode=episode)
    return administration


def _raise_alerts(*, actor: Actor | None, administration: Administration, episode: Episode) -> None:
    people = _people_to_alert(episode)
    title = family_title(episode.family)
    high_risk = high_risk_messages(administration.instrument)
    for message in administration.alerts:
        alert = family_services.raise_alert(
            family=episode.family,
            message=message,
            about=administration,
            actor=actor,
            high_risk=message in high_risk,
        )
        for person in people:
            raise_task(
                kind=TaskKind.RISK_ALERT,
                assignee=person,
                title=f"Risk alert ({title}): {message}",
                about=alert,
                facts={"administration": str(administration.pk)},
                urgent=True,
                actor=actor,
            )


@transaction.atomic
def review_administration(*, actor: Actor, administration: Administration) -> Administration:
    """The practitioner has looked at answers a parent gave through a link."""
    if administration.source != Source.PARENT_LINK:
        raise OutcomeError("Only answers a parent gave through a link wait for review")
    locked = Administration.objects.select_for_update().get(pk=administration.pk)
    if locked.reviewed_at is not None:
        raise OutcomeError("These answers have already been reviewed")
    user = actor.person if isinstance(actor.person, User) else None
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = user
    locked.save(update_fields=["reviewed_at", "reviewed_by", "updated_at"])
    audit.record(
        action="outcomes.administration_reviewed",
        actor=actor,
        obj=locked,
        family_id=administration.episode.family_id,
        person_id=locked.carer_id or locked.infant_id,
    )
    administration.reviewed_at, administration.reviewed_by = locked.reviewed_at, locked.reviewed_by
    return locked


def high_risk_messages(code: str) -> frozenset[str]:
    """The alert messages of the measure's risk rules marked ``high_risk`` in its data file
    (self-harm, harm to the baby): the alerts whose action a supervisor reviews."""
    try:
        definition = instruments.get(code)
    except KeyError:
        return frozenset()
    return frozenset(rule.message for rule in definition.risk_rules if rule.high_risk)


def alert_reviewers(team_id: uuid.UUID, *, besides: User | None = None) -> list[User]:
    """Who reviews a high-risk alert's action: the team's clinical supervisors or, when it has
    none, its team leads; not the person who recorded the action while someone else can."""
    today = timezone.localdate()
    for role in (Role.SUPERVISOR, Role.TEAM_LEAD):
        memberships = Membership.objects.active(today).filter(team_id=team_id, role=role, user__is_active=True)
        people = list({m.user.pk: m.user for m in memberships.select_related("user").order_by("starts_on")}.values())
        others = [person for person in people if besides is None or person.pk != besides.pk]
        if others:
            return others
    return [besides] if besides is not None and may_review_alerts(besides, team_id) else []


def may_review_alerts(user: User, team_id: uuid.UUID) -> bool:
    """A clinical supervisor or team lead of the team (the episode's) reviews its alerts."""
    return (
        Membership.objects.active()
        .filter(user=user, team_id=team_id, role__in=[Role.SUPERVISOR, Role.TEAM_LEAD])
        .exists()
    )


def _alert_episode(alert: FamilyAlert) -> Episode:
    administration = Administration.objects.select_related("episode__family").get(pk=alert.about_id)
    return administration.episode


@transaction.atomic
def record_alert_action(
    *,
    actor: Actor,
    alert: FamilyAlert,
    action: str,
    actions_done: Sequence[str] | None = None,
    done_at: dt.datetime | None = None,
    done_by: User | None = None,
) -> FamilyAlert:
    """Close a risk alert by recording what was done (``actions_done``), when, by whom and a
    description of what was done and decided (``action``), and with it every RISK_ALERT task
    about it. This is the only way those tasks close. A high-risk alert then gives the team's
    clinical supervisors (or, with none, its team leads) a REVIEW_RISK_ALERT task, due a set
    number of working days later (review_alert_action closes it)."""
    try:
        closed = family_services.close_alert(
            actor=actor, alert=alert, action_taken=action, actions_done=actions_done, done_at=done_at, done_by=done_by
        )
    except family_services.AlertError as error:
        field = {"description": "action"}.get(error.field, error.field or "action")
        raise OutcomeError(error.message, field=field) from error
    except family_services.FamilyError as error:
        raise OutcomeError(str(error), field="action") from error
    close_tasks(kind=TaskKind.RISK_ALERT, about=alert, actor=actor, note=closed.action_taken)
    if closed.review_due_at is not None:
        episode = _alert_episode(closed)
        recorder = actor.user if isinstance(actor.user, User) else None
        title = f"Review the action on a high-risk alert ({family_title(episode.family)})"
        for person in alert_reviewers(episode.team_id, besides=recorder):
            raise_task(
                kind=TaskKind.REVIEW_RISK_ALERT,
                assignee=person,
                title=title,
                about=closed,
                facts={"administration": closed.about_id},
                due_at=closed.review_due_at,
                actor=actor,
            )
    return closed


@transaction.atomic
def review_alert_action(*, actor: Actor, alert: FamilyAlert, outcome: str, comment: str) -> FamilyAlert:
    """A clinical supervisor or team lead of the episode's team reviews the action recorded on a
    high-risk alert; that closes every REVIEW_RISK_ALERT task about it."""
    episode = _alert_episode(alert)
    if not isinstance(actor.user, User) or not may_review_alerts(actor.user, episode.team_id):
        raise OutcomeError("Only a clinical supervisor or team lead of this team can review this alert")
    try:
        reviewed = family_services.review_alert(actor=actor, alert=alert, outcome=outcome, comment=comment)
    except family_services.AlertError as error:
        raise OutcomeError(error.message, field=error.field) from error
    close_tasks(
        kind=TaskKind.REVIEW_RISK_ALERT,
        about=alert,
        actor=actor,
        note=f"{reviewed.get_review_outcome_display()}: {reviewed.review_comment}",
    )
    return reviewed


# What a service loads under its own licence, and imports -------------------------------------


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise OutcomeError(f"There is no file at {path}") from None
    except tomllib.TOMLDecodeError as error:
        raise OutcomeError(f"{path.name} is not a valid TOML file: {error}") from None


def _known(code: str) -> Instrument:
    try:
        return instruments.get(code)
    except KeyError as error:
        raise OutcomeError(str(error.args[0])) from None


@transaction.atomic
def load_wording(*, code: str, path: Path, licence: str, loaded_by: str) -> LicensedWording:
    """Store item wording a service holds a licence for (EPDS), checked by the engine's
    ``with_wording`` first: every item, no blank text, the right number of option labels.
    Earlier wording is kept (the newest is used)."""
    instrument = _known(code)
    if not licence.strip():
        raise OutcomeError("Say which licence allows the service to use this wording (--licence)")
    _read_toml(path)
    try:
        checked = instruments.load_wording(instrument, path)
    except (ValueError, KeyError, TypeError) as error:
        raise OutcomeError(f"{path.name} cannot be used for the {instrument.name}: {error}") from None
    raw_items = _read_toml(path)["items"]
    options = {
        str(number): [str(label) for label in raw["options"]]
        for number, raw in raw_items.items()
        if isinstance(raw, dict) and "options" in raw
    }
    wording = LicensedWording.objects.create(
        instrument=code,
        items={str(item.number): item.text for item in checked.items},
        options=options,
        licence_note=licence.strip()[:500],
        loaded_by=loaded_by[:200],
    )
    audit.record(
        action="outcomes.wording_loaded",
        actor=Actor.system("load_instrument_wording", label=loaded_by),
        obj=wording,
        detail={"instrument": code},
    )
    return wording


@transaction.atomic
def load_band_set(*, code: str, path: Path, key: str, source: str, loaded_by: str) -> LoadedBands:
    """Store (or replace) a band set a service loads from its own kit: for ASQ:SE-2 one per age
    interval (``key`` = "24 months"), checked to run low to high within the measure's range.

    The file holds ``[[bands]]`` tables with minimum, maximum, label and optionally uncertain."""
    instrument = _known(code)
    key = key.strip()
    if code == "ASQSE2" and key not in {f"{months} months" for months in ASQSE2_INTERVALS}:
        known = ", ".join(f'"{months} months"' for months in ASQSE2_INTERVALS)
        raise OutcomeError(f"ASQ:SE-2 cut-offs are loaded per age interval: give --key as one of {known}")
    if not source.strip():
        raise OutcomeError("Say where these bands come from (--source)")
    raw = _read_toml(path).get("bands")
    if not isinstance(raw, list) or not raw:
        raise OutcomeError(f"{path.name} needs at least one [[bands]] table")
    try:
        bands = [
            Band(
                minimum=float(band["minimum"]),
                maximum=float(band["maximum"]),
                label=str(band["label"]),
                uncertain=bool(band.get("uncertain", False)),
            )
            for band in raw
        ]
        if any(not band.label.strip() for band in bands):
            raise ValueError("every band needs a label")
        instruments.validate_bands(bands, instrument.minimum, instrument.maximum, path.name)
        parsed = [
            {"minimum": b.minimum, "maximum": b.maximum, "label": b.label, "uncertain": b.uncertain} for b in bands
        ]
    except (KeyError, TypeError, ValueError) as error:
        raise OutcomeError(f"{path.name} cannot be used for the {instrument.name}: {error}") from None
    found, _ = LoadedBands.objects.update_or_create(
        instrument=code, key=key, defaults={"bands": parsed, "source_note": source.strip()[:500]}
    )
    audit.record(
        action="outcomes.bands_loaded",
        actor=Actor.system("load_bands", label=loaded_by),
        obj=found,
        detail={"instrument": code, "key": key},
    )
    return found


IMPORT_COLUMNS = ("referral", "instrument", "carer", "infant", "time_point", "completed_on", "answers")


@dataclass
class ImportReport:
    stored: list[Administration] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "Line 4: ..."


def _person_in(people: Sequence[Carer] | Sequence[Infant], wanted: str, what: str) -> Carer | Infant | None:
    wanted = wanted.strip()
    if not wanted:
        return None
    matches = [p for p in people if str(p.pk) == wanted or p.full_name.casefold() == wanted.casefold()]
    if len(matches) != 1:
        raise OutcomeError(
            f"No {what} called {wanted!r} takes part in this episode"
            if not matches
            else f"More than one {what} in this episode is called {wanted!r}: use the id"
        )
    return matches[0]


def _date(text: str) -> dt.date:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise OutcomeError(f"completed_on {text!r} is not a date like 2026-11-27 or 27/11/2026")


def _answers(text: str) -> list[int | None]:
    found: list[int | None] = []
    for part in re.split(r"[\s;,]+", text.strip()):
        if part in ("", "-"):
            if part == "-":
                found.append(None)
            continue
        if not re.fullmatch(r"-?\d+", part):
            raise OutcomeError(f"answers must be whole numbers separated by spaces ({part!r} is not one)")
        found.append(int(part))
    return found


def import_administrations(*, rows: Sequence[Mapping[str, str]], first_line: int = 2) -> ImportReport:
    """Store measures from another system, each row through ``record_administration`` (so its
    risk alerts are raised) in its own transaction: a bad row is reported with its line number
    and nothing of it is stored; the good rows are kept.

    Columns: referral (the episode's referral reference), instrument (code), carer and infant
    (id or full name, as the measure needs), time_point, completed_on (2026-11-27 or
    27/11/2026), answers (printed positions or numbers, separated by spaces; "-" for missing)."""
    report = ImportReport()
    importer = Actor.system("import")
    for line, row in enumerate(rows, start=first_line):
        try:
            missing = [
                column
                for column in ("referral", "instrument", "time_point", "completed_on")
                if not (row.get(column) or "").strip()
            ]
            if missing:
                raise OutcomeError(f"{', '.join(missing)} missing")
            episode = (
                Episode.objects.filter(referral__reference=row["referral"].strip()).select_related("family").first()
            )
            if episode is None:
                raise OutcomeError(f"no episode for referral {row['referral'].strip()}")
            carer = _person_in(list(episode.carers.all()), row.get("carer") or "", "parent or carer")
            infant = _person_in(list(episode.infants.all()), row.get("infant") or "", "baby")
            assert carer is None or isinstance(carer, Carer)
            assert infant is None or isinstance(infant, Infant)
            report.stored.append(
                record_administration(
                    actor=importer,
                    episode=episode,
                    instrument=row["instrument"].strip().upper(),
                    answers=_answers(row.get("answers") or ""),
                    time_point=row["time_point"].strip().lower(),
                    completed_on=_date(row["completed_on"]),
                    source=Source.IMPORT,
                    carer=carer,
                    infant=infant,
                )
            )
        except OutcomeError as problem:
            report.problems.append(f"Line {line}: {problem.message}")
    audit.record(
        action="outcomes.administrations_imported",
        actor=importer,
        object_type="outcomes.administration",
        detail={"stored": len(report.stored), "refused": len(report.problems)},
    )
    return report
