"""Importing a team's caseload from a spreadsheet: receiving the file, its dry run and the import
itself, both of which run in the background; the import writes everything or nothing.

Every record is made through the actions the pages use (families, referrals, care, outcomes),
acting for the team lead who started it (an Actor labelled "import"), so every change is
audited and risk alerts fire from imported measures. Dates from the file are then put on the
rows those actions made (as the demo loaders do), since the actions stamp "now".
"""

import datetime as dt
import hashlib
import json
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from attune.accounts.models import User
from attune.care import bulk as care_bulk
from attune.care import services as care_services
from attune.care.models import Appointment, Episode, Intervention, PractitionerCapacity
from attune.core import audit
from attune.core.actors import Actor
from attune.documents import files
from attune.families import bulk as family_bulk
from attune.families import services as family_services
from attune.families.codes import ParentalResponsibility
from attune.families.models import Carer, Family, Infant
from attune.interop import import_progress, import_reading, import_rows, import_sheets
from attune.interop.import_models import ImportedRecord, ImportRun, ImportState
from attune.interop.import_rows import (
    Known,
    Plan,
    Problem,
    Row,
    appointment_start,
    check_file,
    overlapping,
    parse_answers,
    summarise,
)
from attune.organisations.models import Membership, Team
from attune.organisations.roles import Capability, roles_with
from attune.outcomes import bulk as outcome_bulk
from attune.outcomes import services as outcome_services
from attune.outcomes.models import Source
from attune.referrals import bulk as referral_bulk
from attune.referrals import services as referral_services
from attune.referrals.codes import ReferralSource
from attune.referrals.models import Referral, ReferralKind
from attune.referrals.workflow import Status

logger = logging.getLogger(__name__)

IMPORT_LABEL = "import"


class ImportRefused(Exception):
    """A run that cannot go on; the message is fit to show."""


class ImportFailed(Exception):
    """The import stopped: everything it wrote is rolled back. `where` names the row."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(f"{where}: {message}" if where else message)


def max_bytes() -> int:
    return int(settings.ATTUNE_IMPORT_MAX_MB) * 1024 * 1024


def importer(user: User, role: str = "") -> Actor:
    """The team lead (or administrator) who started the import, acting through the importer."""
    return Actor.system(IMPORT_LABEL, for_user=user, role=role)


def codes() -> dict[str, dict[str, str]]:
    interventions = {i.code: i.name for i in Intervention.objects.filter(active=True).order_by("name")}
    return import_sheets.code_lists(interventions)


# The dry run -------------------------------------------------------------------------------


def _fingerprint(rows: Iterable[Row]) -> str:
    text = json.dumps([row.values for row in rows], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Checked:
    plan: Plan | None
    problems: list[Problem]
    rows_by_sheet: dict[str, int]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    # Lookups the import reuses: practitioners by email, interventions by code.
    practitioners: dict[str, User] = field(default_factory=dict)


def _known(team: Team) -> tuple[Known, dict[tuple[str, str], ImportedRecord]]:
    records = {(r.kind, r.source_id): r for r in ImportedRecord.objects.filter(team=team)}
    imported: dict[str, set[str]] = defaultdict(set)
    for kind, source_id in records:
        imported[kind].add(source_id)
    by_object = {r.object_id: r.source_id for r in records.values() if r.kind == import_sheets.REFERRALS}
    referrals = {
        by_object[pk]: (
            import_sheets.REFERRAL_ACCEPTED if status == Status.ACCEPTED else status,
            timezone.localdate(received),
        )
        for pk, status, received in Referral.objects.filter(pk__in=by_object).values_list("pk", "status", "received_at")
    }
    by_episode = {r.object_id: r.source_id for r in records.values() if r.kind == import_sheets.EPISODES}
    episodes = {
        by_episode[pk]: timezone.localdate(opened)
        for pk, opened in Episode.objects.filter(pk__in=by_episode).values_list("pk", "opened_at")
    }
    families = {source: frozenset[str]() for (kind, source) in records if kind == import_sheets.FAMILIES}
    known = Known(
        families=families,
        referrals=referrals,
        episodes=episodes,
        imported={kind: frozenset(ids) for kind, ids in imported.items()},
    )
    return known, records


def _nhs_problems(team: Team, plan: Plan, families_sheet: str) -> list[Problem]:
    """People in the file whose NHS number is on a family in Attune already."""
    wanted: dict[str, Row] = {}
    for rows in plan.people.values():
        for row in rows:
            if row.get("nhs_number"):
                wanted.setdefault(row.get("nhs_number"), row)
    if not wanted:
        return []
    found: dict[str, Any] = {}
    for model in (Infant, Carer):
        for number, team_id in (
            model.objects.filter(nhs_number__in=list(wanted), family__merged_into__isnull=True)
            .values_list("nhs_number", "family__team_id")
            .iterator()
        ):
            found.setdefault(number, team_id)
    problems = []
    for number, team_id in found.items():
        row = wanted[number]
        where = "in this team" if team_id == team.pk else "in another team"
        problems.append(
            Problem(
                families_sheet,
                row.number,
                "NHS number",
                f"NHS number {number} is already on a family in Attune ({where})",
                "If it is the same family, leave it out of the file: it is in Attune already. If not, check the number",
            )
        )
    return problems


def _people_problems(team: Team, plan: Plan, tables_names: Mapping[str, str]) -> tuple[list[Problem], dict[str, User]]:
    """Practitioners named by email: members of the team who work with families, with a
    caseload set (allocation needs one)."""
    emails: dict[str, list[tuple[str, Row]]] = defaultdict(list)
    for kind in (import_sheets.EPISODES, import_sheets.APPOINTMENTS):
        for row in plan.new.get(kind, []):
            if row.get("practitioner"):
                emails[row.get("practitioner")].append((kind, row))
    if not emails:
        return [], {}
    today = timezone.localdate()
    members = {
        m.user.email.lower(): m.user
        for m in Membership.objects.active(today)
        .filter(team=team, role__in=roles_with(Capability.WORK_WITH_FAMILIES), user__is_active=True)
        .select_related("user")
    }
    with_capacity = set(
        PractitionerCapacity.objects.filter(team=team, practitioner__in=members.values()).values_list(
            "practitioner_id", flat=True
        )
    )
    problems = []
    for email, uses in emails.items():
        person = members.get(email)
        for kind, row in uses:
            sheet = tables_names[kind]
            if person is None:
                problems.append(
                    Problem(
                        sheet,
                        row.number,
                        "Practitioner email",
                        f"{email} is not a practitioner in {team.name}",
                        "Check the email address, or add them to the team in Attune first",
                    )
                )
            elif kind == import_sheets.EPISODES and person.pk not in with_capacity:
                problems.append(
                    Problem(
                        sheet,
                        row.number,
                        "Practitioner email",
                        f"{person.full_name} has no caseload set in {team.name}",
                        "Set their caseload on the team's caseloads page in Attune first",
                    )
                )
    return problems, members


def _diary_problems(plan: Plan, people: Mapping[str, User], sheet: str) -> list[Problem]:
    """Imported appointments that overlap one already in a practitioner's diary in Attune."""
    lead = {row.source_id: row.get("practitioner") for row in plan.new.get(import_sheets.EPISODES, [])}
    wanted: list[tuple[Row, User, dt.datetime, dt.datetime]] = []
    for row in plan.new.get(import_sheets.APPOINTMENTS, []):
        start = appointment_start(row)
        person = people.get(row.get("practitioner") or lead.get(row.get("episode"), "") or "")
        if start is not None and person is not None:
            starts = timezone.make_aware(start)
            wanted.append((row, person, starts, starts + dt.timedelta(minutes=row.get("minutes", 60))))
    if not wanted:
        return []
    first, last = min(w[2] for w in wanted), max(w[3] for w in wanted)
    diaries: dict[Any, list[tuple[dt.datetime, dt.datetime, Any, bool]]] = defaultdict(list)
    for row, person, starts, ends in wanted:
        diaries[person.pk].append((starts, ends, row, True))
    for practitioner_id, starts_at, ends_at in Appointment.objects.filter(
        practitioner__in=list(diaries), starts_at__lt=last, ends_at__gt=first
    ).values_list("practitioner_id", "starts_at", "ends_at"):
        diaries[practitioner_id].append((starts_at, ends_at, None, False))
    names = {person.pk: person.full_name for _, person, _, _ in wanted}
    problems = []
    for practitioner_id, intervals in diaries.items():
        for row, other in overlapping(intervals):
            if other is not None:
                continue  # two rows of the file: the file's own check says so
            problems.append(
                Problem(
                    sheet,
                    row.number,
                    "Start time",
                    f"{names[practitioner_id]} already has an appointment in Attune at this time",
                    "Check the date and time, or leave the appointment out if it is in Attune already",
                )
            )
    return problems


def _changed(plan: Plan, records: Mapping[tuple[str, str], ImportedRecord]) -> dict[str, int]:
    """Rows imported before that differ now: counted, never applied (Attune's record is kept)."""
    changed: dict[str, int] = defaultdict(int)
    for kind, table in plan.tables.items():
        if kind == import_sheets.FAMILIES:
            grouped: dict[str, list[Row]] = defaultdict(list)
            for row in table.rows:
                grouped[row.source_id].append(row)
            pairs: Iterable[tuple[str, list[Row]]] = grouped.items()
        else:
            pairs = ((row.source_id, [row]) for row in table.rows)
        for source_id, rows in pairs:
            record = records.get((kind, source_id))
            if record is not None and record.fingerprint != _fingerprint(rows):
                changed[kind] += 1
    return changed


def read_file(*, content: bytes, name: str, file_type: str, csv_kind: str = "") -> import_reading.ReadFile:
    """The file's rows, and the problems of its cells. FileRefused when it cannot be read."""
    lists = codes()
    if file_type == "xlsx":
        return import_reading.read_workbook(content, name, lists)
    return import_reading.read_csv(content, name, csv_kind, lists)


def check(*, team: Team, read: import_reading.ReadFile) -> Checked:
    """Every check of the dry run beyond the cells', reading only."""
    known, records = _known(team)
    plan, between = check_file(read.tables, known, today=timezone.localdate(), kinds=import_sheets.KINDS)
    problems = read.problems + between
    names = {kind: table.name for kind, table in read.tables.items()}
    people: dict[str, User] = {}
    if import_sheets.FAMILIES in read.tables:
        problems += _nhs_problems(team, plan, names[import_sheets.FAMILIES])
    more, people = _people_problems(team, plan, names)
    problems += more
    if import_sheets.APPOINTMENTS in read.tables:
        problems += _diary_problems(plan, people, names[import_sheets.APPOINTMENTS])
    changed = _changed(plan, records)
    counts = {
        kind: {
            "new": len(plan.new.get(kind, [])),
            "already": plan.already.get(kind, 0),
            "changed": changed.get(kind, 0),
        }
        for kind in import_sheets.KINDS
        if kind in read.tables
    }
    problems.sort(
        key=lambda p: (list(read.rows_by_sheet).index(p.sheet) if p.sheet in read.rows_by_sheet else -1, p.row)
    )
    return Checked(plan, problems, read.rows_by_sheet, counts, people)


@transaction.atomic
def receive(*, actor: Actor, team: Team, content: bytes, name: str, csv_kind: str = "") -> ImportRun:
    """Take an uploaded file for its dry run, which runs in the background (check_task): a large
    file takes over a minute to read and check, longer than a web request may last. What can be
    told without reading its rows is refused at once, so the person can choose another file on
    the same page (FileRefused, nothing kept): too big, empty, not a spreadsheet, with macros, a
    CSV not in UTF-8."""
    shown = files.safe_name(name)
    if len(content) > max_bytes():
        limit = max_bytes() // (1024 * 1024)
        raise import_reading.FileRefused(f"{shown} is larger than {limit} MB. Split it into smaller files")
    kind = import_reading.file_type(content, name)
    if kind == "csv":
        import_reading.csv_text(content, name)
    run = ImportRun.objects.create(
        team=team,
        uploaded_by=actor.person,
        file_name=shown,
        file_type=kind,
        csv_kind=csv_kind,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        state=ImportState.CHECKING,
    )
    audit.record(
        action="import.uploaded",
        actor=actor,
        obj=run,
        detail={"team": str(team.pk), "file": shown, "bytes": len(content)},
    )
    run_id = str(run.pk)
    transaction.on_commit(lambda: check_task.enqueue(run_id))
    return run


@task()
def check_task(run_id: str) -> None:
    check_run(uuid.UUID(run_id))


def check_run(run_id: uuid.UUID) -> ImportRun:
    """The dry run of a received file: read it and check every row, writing nothing to the
    clinical record. Keeps the report, and the rows read (for the import) when there is no
    problem; the file itself is let go. A file that cannot be read is refused, saying why."""
    run = ImportRun.objects.select_related("team", "uploaded_by").get(pk=run_id)
    if run.state != ImportState.CHECKING:
        return run
    actor = importer(run.uploaded_by, role=f"Import for {run.team.name}")
    clock = time.monotonic()
    import_progress.report(run.pk, done=0, total=0, stage="Reading the file")
    try:
        read = read_file(content=bytes(run.content), name=run.file_name, file_type=run.file_type, csv_kind=run.csv_kind)
        rows = sum(read.rows_by_sheet.values())
        import_progress.report(run.pk, done=0, total=rows, stage="Checking every row against Attune's records")
        checked = check(team=run.team, read=read)
        if not checked.rows_by_sheet and not checked.problems:
            raise import_reading.FileRefused(f"{run.file_name} has no rows to import under its headings")
    except import_reading.FileRefused as refused:
        return _refuse(run, actor, str(refused))
    except Exception:
        logger.exception("Checking import %s failed", run.pk)
        return _refuse(
            run,
            actor,
            "Something went wrong while checking the file. Nothing was saved. Upload it again, or tell "
            "your system administrator.",
        )
    finally:
        import_progress.forget(run.pk)
    problems = checked.problems
    with transaction.atomic():
        ImportRun.objects.filter(pk=run.pk, state=ImportState.CHECKING).update(
            content=b"",
            parsed=import_rows.tables_to_json(read.tables) if not problems else {},
            state=ImportState.HAS_PROBLEMS if problems else ImportState.READY,
            rows_by_sheet=checked.rows_by_sheet,
            problem_count=len(problems),
            problem_summary=summarise(problems),
            problems=[p.as_dict() for p in problems[:50_000]],
            counts=checked.counts,
            updated_at=timezone.now(),
        )
        audit.record(
            action="import.checked",
            actor=actor,
            obj=run,
            detail={
                "team": str(run.team_id),
                "file": run.file_name,
                "rows": sum(checked.rows_by_sheet.values()),
                "problems": len(problems),
                "seconds": round(time.monotonic() - clock, 2),
            },
        )
    run.refresh_from_db()
    return run


def _refuse(run: ImportRun, actor: Actor, reason: str) -> ImportRun:
    with transaction.atomic():
        ImportRun.objects.filter(pk=run.pk, state=ImportState.CHECKING).update(
            state=ImportState.REFUSED,
            failure=reason,
            content=b"",
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        audit.record(
            action="import.refused",
            actor=actor,
            obj=run,
            outcome=audit.Outcome.FAILURE,
            detail={"reason": reason[:300]},
        )
    run.refresh_from_db()
    return run


def dry_run(*, actor: Actor, team: Team, content: bytes, name: str, csv_kind: str = "") -> ImportRun:
    """Receive and check a file at once, as the worker would (the benchmark, tests, scripts)."""
    return check_run(receive(actor=actor, team=team, content=content, name=name, csv_kind=csv_kind).pk)


# Starting the import -----------------------------------------------------------------------


@transaction.atomic
def queue_import(*, actor: Actor, run: ImportRun) -> ImportRun:
    """Start importing a file whose dry run was clean, in the background."""
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.state != ImportState.READY:
        raise ImportRefused(
            {
                ImportState.CHECKING: "This file is still being checked",
                ImportState.REFUSED: "This file could not be read",
                ImportState.HAS_PROBLEMS: "This file has problems to mend first",
            }.get(ImportState(run.state), "This file has already been imported, or is being imported")
        )
    run.state = ImportState.QUEUED
    run.queued_by = actor.person
    run.save(update_fields=["state", "queued_by", "updated_at"])
    audit.record(action="import.queued", actor=actor, obj=run, detail={"team": str(run.team_id)})
    run_id = str(run.pk)
    transaction.on_commit(lambda: import_task.enqueue(run_id))
    return run


@task()
def import_task(run_id: str) -> None:
    run_import(uuid.UUID(run_id))


# The import --------------------------------------------------------------------------------


BATCH = 500


def _batches(items: list[Any], size: int = BATCH) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Writer:
    """Writes one checked file through the bulk siblings of the pages' actions (a batch at a
    time, reporting progress between batches), remembering what each source id became."""

    def __init__(self, run: ImportRun, actor: Actor, checked: Checked, on_rows: Callable[[str, int], None]) -> None:
        assert checked.plan is not None
        self.run, self.actor, self.plan = run, actor, checked.plan
        self.team = run.team
        self.people = checked.practitioners
        self.on_rows = on_rows
        self.records: list[ImportedRecord] = []
        self.families: dict[str, Family] = {}
        self.referrals: dict[str, Referral] = {}
        self.episodes: dict[str, Episode] = {}
        self.leads: dict[str, User] = {}
        self.interventions = {i.code: i for i in Intervention.objects.filter(active=True).order_by("name")}
        self.names = {kind: table.name for kind, table in self.plan.tables.items()}

    def _remember(self, kind: str, source_id: str, object_id: Any, rows: list[Row]) -> None:
        self.records.append(
            ImportedRecord(
                team=self.team,
                kind=kind,
                source_id=source_id,
                object_id=object_id,
                run=self.run,
                fingerprint=_fingerprint(rows),
            )
        )

    def _at(self, day: dt.date, hour: int = 9) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))

    def _where(self, kind: str, rows: list[Row]) -> str:
        return f"{self.names[kind]} rows {rows[0].number} to {rows[-1].number}"

    def _new_family(self, rows: list[Row]) -> family_services.NewFamily:
        def first(key: str) -> str:
            return str(next((r.get(key) for r in rows if r.get(key)), ""))

        infants = [
            family_services.NewInfant(
                given_name=r.get("given_name", ""),
                family_name=r.get("family_name", ""),
                date_of_birth=r.get("date_of_birth"),
                expected_due_date=None if r.get("date_of_birth") else r.get("due_date"),
                nhs_number=r.get("nhs_number", ""),
                ethnicity=r.get("ethnicity", "99"),
            )
            for r in rows
            if r.get("person") == import_sheets.PERSON_BABY
        ]
        carers = [
            family_services.NewCarer(
                given_name=r.get("given_name", ""),
                family_name=r.get("family_name", ""),
                relationship=r.get("relationship"),
                parental_responsibility=r.get("parental_responsibility", ParentalResponsibility.NOT_KNOWN),
                date_of_birth=r.get("date_of_birth"),
                phone=r.get("phone", ""),
                email=r.get("email", ""),
                nhs_number=r.get("nhs_number", ""),
                ethnicity=r.get("ethnicity", "99"),
                is_main_contact=bool(r.get("main_contact", False)),
            )
            for r in rows
            if r.get("person") == import_sheets.PERSON_CARER
        ]
        return family_services.NewFamily(
            team=self.team,
            infants=infants,
            carers=carers,
            address_line_1=first("address_line_1"),
            town=first("town"),
            postcode=first("postcode"),
            gp_practice=first("gp_practice"),
        )

    def families_and_referrals(self) -> None:
        referral_of = {row.get("family"): row for row in self.plan.new.get(import_sheets.REFERRALS, [])}
        family_rows = self.plan.new.get(import_sheets.FAMILIES, [])
        for batch in _batches(family_rows):
            news = [self._new_family(self.plan.people[row.source_id]) for row in batch]
            received = [
                self._at(referral_of[row.source_id].get("received_on")) if row.source_id in referral_of else None
                for row in batch
            ]
            try:
                made = family_bulk.create_families(
                    items=news, source="Spreadsheet import", actor=self.actor, created=received
                )
            except family_services.FamilyError as error:
                raise ImportFailed(str(error), self._where(import_sheets.FAMILIES, batch)) from error
            for row, family in zip(batch, made, strict=True):
                self.families[row.source_id] = family
                self._remember(import_sheets.FAMILIES, row.source_id, family.pk, self.plan.people[row.source_id])
            self.on_rows(import_sheets.FAMILIES, len(batch))
            referral_rows = [referral_of[row.source_id] for row in batch if row.source_id in referral_of]
            if referral_rows:
                self._referrals(referral_rows, {row.source_id: n for row, n in zip(batch, news, strict=True)})
        # Referrals for families imported before (an earlier file, or a CSV of families alone).
        earlier = [row for row in referral_of.values() if row.get("family") not in self.families]
        for batch in _batches(earlier):
            where = self._where(import_sheets.REFERRALS, batch)
            placeholders: dict[str, family_services.NewFamily] = {}
            for row in batch:
                family = self._existing(Family, import_sheets.FAMILIES, row.get("family"), where)
                self.families[row.get("family")] = family
                # The intake's family says only which team: the record exists already.
                placeholders[row.get("family")] = family_services.NewFamily(team=family.team, infants=[], carers=[])
            self._referrals(batch, placeholders)

    def _referrals(self, rows: list[Row], news: Mapping[str, family_services.NewFamily]) -> None:
        items = []
        for row in rows:
            source = row.get("source")
            self_referred = source in (ReferralSource.SELF, ReferralSource.CARER_RELATIVE)
            intake = referral_services.Intake(
                kind=ReferralKind.SELF if self_referred else ReferralKind.PROFESSIONAL,
                source=source,
                referrer=referral_services.Referrer(name=row.get("referrer_name", "Not recorded")),
                family=news[row.get("family")],
                reason=row.get("reason", "Not recorded (imported from a spreadsheet)"),
                consent_given=True,
                submitted={"form": "import", "run": str(self.run.pk), "source_id": row.source_id, "rows": []},
            )
            accepted = None
            if row.get("status") == import_sheets.REFERRAL_ACCEPTED:
                accepted = referral_services.Decision(
                    status=Status.ACCEPTED,
                    level_of_need=row.get("level_of_need"),
                    priority=row.get("priority"),
                    note="Imported from a spreadsheet",
                )
            items.append(
                referral_bulk.PastReferral(
                    intake=intake,
                    family=self.families[row.get("family")],
                    received_at=self._at(row.get("received_on")),
                    accepted=accepted,
                )
            )
        try:
            made = referral_bulk.receive_referrals(items=items, actor=self.actor)
        except referral_services.ReferralError as error:
            raise ImportFailed(str(error), self._where(import_sheets.REFERRALS, rows)) from error
        for row, referral in zip(rows, made, strict=True):
            self.referrals[row.source_id] = referral
            self._remember(import_sheets.REFERRALS, row.source_id, referral.pk, [row])
        self.on_rows(import_sheets.REFERRALS, len(rows))

    def _existing(self, model: Any, kind: str, source_id: str, where: str) -> Any:
        record = ImportedRecord.objects.filter(team=self.team, kind=kind, source_id=source_id).first()
        found = model.objects.filter(pk=record.object_id).first() if record else None
        if found is None:
            raise ImportFailed(f"{self.names.get(kind, kind)} {source_id} is no longer in Attune", where)
        return found

    def open_episodes(self) -> None:
        first = next(iter(self.interventions.values()), None)
        for batch in _batches(self.plan.new.get(import_sheets.EPISODES, [])):
            where = self._where(import_sheets.EPISODES, batch)
            items = []
            for row in batch:
                referral = self.referrals.get(row.get("referral")) or self._existing(
                    Referral, import_sheets.REFERRALS, row.get("referral"), where
                )
                intervention = self.interventions.get(row.get("intervention", "")) or first
                if intervention is None:
                    raise ImportFailed("No interventions are set up in Attune", where)
                lead = self.people[row.get("practitioner")]
                self.leads[row.source_id] = lead
                items.append(
                    care_bulk.PastAllocation(
                        referral=referral,
                        lead=lead,
                        interventions=[intervention],
                        opened_at=self._at(row.get("opened_on"), 0),
                    )
                )
            try:
                made = care_bulk.allocate_episodes(
                    actor=self.actor, items=items, override_reason="Caseload imported from a spreadsheet"
                )
            except care_services.CareError as error:
                raise ImportFailed(str(error), where) from error
            for row, episode in zip(batch, made, strict=True):
                self.episodes[row.source_id] = episode
                self._remember(import_sheets.EPISODES, row.source_id, episode.pk, [row])
            self.on_rows(import_sheets.EPISODES, len(batch))

    def _episode(self, source_id: str, where: str) -> Episode:
        if source_id not in self.episodes:
            episode = self._existing(Episode, import_sheets.EPISODES, source_id, where)
            worker = episode.workers.filter(ended_at__isnull=True).select_related("practitioner").first()
            if worker is None:
                raise ImportFailed("The episode has no practitioner now", where)
            self.episodes[source_id], self.leads[source_id] = episode, worker.practitioner
        return self.episodes[source_id]

    def appointments(self) -> None:
        for batch in _batches(self.plan.new.get(import_sheets.APPOINTMENTS, [])):
            where = self._where(import_sheets.APPOINTMENTS, batch)
            items = []
            for row in batch:
                episode = self._episode(row.get("episode"), where)
                start = appointment_start(row)
                assert start is not None
                starts_at = timezone.make_aware(start)
                items.append(
                    care_bulk.PastContact(
                        episode=episode,
                        kind=row.get("kind"),
                        starts_at=starts_at,
                        ends_at=starts_at + dt.timedelta(minutes=row.get("minutes", 60)),
                        practitioner=self.people.get(row.get("practitioner", "")) or self.leads[row.get("episode")],
                        attendance=row.get("attendance"),
                    )
                )
            try:
                made = care_bulk.record_past_contacts(actor=self.actor, items=items)
            except care_services.CareError as error:
                raise ImportFailed(str(error), where) from error
            for row, appointment in zip(batch, made, strict=True):
                self._remember(import_sheets.APPOINTMENTS, row.source_id, appointment.pk, [row])
            self.on_rows(import_sheets.APPOINTMENTS, len(batch))

    def measures(self) -> None:
        rows = self.plan.new.get(import_sheets.MEASURES, [])
        if not rows:
            return
        for row in rows:
            self._episode(row.get("episode"), f"{self.names[import_sheets.MEASURES]} row {row.number}")
        family_ids = {episode.family_id for episode in self.episodes.values()}
        carers: dict[Any, list[Carer]] = defaultdict(list)
        infants: dict[Any, list[Infant]] = defaultdict(list)
        for each_carer in Carer.objects.filter(family_id__in=family_ids).order_by("-is_main_contact", "created_at"):
            carers[each_carer.family_id].append(each_carer)
        for each_infant in Infant.objects.filter(family_id__in=family_ids).order_by("created_at"):
            infants[each_infant.family_id].append(each_infant)
        for batch in _batches(rows):
            items = []
            for row in batch:
                where = f"{self.names[import_sheets.MEASURES]} row {row.number}"
                episode = self.episodes[row.get("episode")]
                code = row.get("instrument")
                about = outcome_services.instruments.get(code).about
                carer: Carer | None = None
                infant: Infant | None = None
                if about in ("carer", "relationship"):
                    carer = self._person(carers[episode.family_id], row.get("carer", ""), where, "carer")
                if about in ("infant", "relationship"):
                    infant = self._person(infants[episode.family_id], row.get("infant", ""), where, "baby")
                items.append(
                    outcome_bulk.PastMeasure(
                        episode=episode,
                        instrument=code,
                        answers=parse_answers(row.get("answers")),
                        time_point=row.get("time_point"),
                        completed_on=row.get("completed_on"),
                        source=Source.IMPORT,
                        carer=carer,
                        infant=infant,
                    )
                )
            try:
                made = outcome_bulk.record_administrations(actor=self.actor, items=items)
            except outcome_services.OutcomeError as error:
                raise ImportFailed(error.message, self._where(import_sheets.MEASURES, batch)) from error
            for row, administration in zip(batch, made, strict=True):
                self._remember(import_sheets.MEASURES, row.source_id, administration.pk, [row])
            self.on_rows(import_sheets.MEASURES, len(batch))

    def _person(self, people: list[Any], name: str, where: str, what: str) -> Any:
        if not people:
            raise ImportFailed(f"The episode has no {what}", where)
        if not name:
            return people[0]  # carers come main contact first; babies in the order added
        folded = name.casefold()
        matches = [p for p in people if folded in (p.given_name.casefold(), p.full_name.casefold())]
        if len(matches) != 1:
            raise ImportFailed(
                f"No {what} called {name} takes part in this episode"
                if not matches
                else f"More than one {what} is called {name}",
                where,
            )
        return matches[0]


def _fail(run: ImportRun, actor: Actor, reason: str) -> None:
    with transaction.atomic():
        ImportRun.objects.filter(pk=run.pk).update(
            state=ImportState.FAILED, failure=reason, finished_at=timezone.now(), parsed={}, updated_at=timezone.now()
        )
        audit.record(
            action="import.failed", actor=actor, obj=run, outcome=audit.Outcome.FAILURE, detail={"reason": reason[:300]}
        )


class _RoomyCache:
    """On SQLite, a cache big enough to hold what one import changes: with the default (2 MB)
    SQLite writes changed pages out and back again while the transaction is open, and an
    import of thousands of families spends most of its time waiting on the disk."""

    def __enter__(self) -> None:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")  # 256 MB, in KiB

    def __exit__(self, *args: object) -> None:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -2000")  # SQLite's default


def run_import(run_id: uuid.UUID) -> ImportRun:
    """Import a queued run: check the file again (Attune may have changed since the dry run),
    then write everything in one transaction. On any failure nothing is written and the run
    says why."""
    run = ImportRun.objects.select_related("team", "uploaded_by", "queued_by").get(pk=run_id)
    if run.state != ImportState.QUEUED:
        return run
    user = run.queued_by or run.uploaded_by
    actor = importer(user, role=f"Import for {run.team.name}")
    ImportRun.objects.filter(pk=run.pk).update(state=ImportState.RUNNING, started_at=timezone.now())
    clock = time.monotonic()
    total = sum(counts.get("new", 0) for counts in run.counts.values())
    done = 0
    import_progress.report(run.pk, done=0, total=total, stage="Checking the file again")

    def on_rows(kind: str, count: int) -> None:
        nonlocal done
        done += count
        import_progress.report(run.pk, done=done, total=total, stage=import_sheets.SHEETS[kind].name)

    try:
        with _RoomyCache(), transaction.atomic():
            # The rows the dry run read, checked again: Attune may have changed since.
            tables = import_rows.tables_from_json(run.parsed, import_sheets.SHEETS)
            read = import_reading.ReadFile(tables=tables, rows_by_sheet=dict(run.rows_by_sheet))
            checked = check(team=run.team, read=read)
            if checked.problems:
                first = checked.problems[0]
                raise ImportFailed(
                    f"The file no longer passes the check ({len(checked.problems)} problems, the first on "
                    f"{first.sheet} row {first.row}: {first.problem}). Upload it again to see them all"
                )
            writer = _Writer(run, actor, checked, on_rows)
            writer.families_and_referrals()
            writer.open_episodes()
            writer.appointments()
            writer.measures()
            ImportedRecord.objects.bulk_create(writer.records, batch_size=500)
            counts = checked.counts
            ImportRun.objects.filter(pk=run.pk).update(
                state=ImportState.IMPORTED,
                counts=counts,
                finished_at=timezone.now(),
                parsed={},
                updated_at=timezone.now(),
            )
            audit.record(
                action="import.finished",
                actor=actor,
                obj=run,
                detail={
                    "team": str(run.team_id),
                    "created": {kind: c["new"] for kind, c in counts.items()},
                    "already": {kind: c["already"] for kind, c in counts.items()},
                    "seconds": round(time.monotonic() - clock, 1),
                },
            )
    except ImportFailed as failed:
        _fail(run, actor, f"{failed} Nothing was imported.")
    except import_reading.FileRefused as refused:
        _fail(run, actor, f"{refused} Nothing was imported.")
    except Exception:
        logger.exception("Import %s failed", run.pk)
        _fail(
            run,
            actor,
            "Something went wrong while importing. Nothing was imported. Try again, or tell your system administrator.",
        )
    finally:
        import_progress.forget(run.pk)
    run.refresh_from_db()
    return run
