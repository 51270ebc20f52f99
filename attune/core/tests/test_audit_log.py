"""The audit log is append-only at the database, on SQLite and PostgreSQL alike (S8, 16.4.2)."""

import pytest
from django.db import DatabaseError, connection, transaction

from attune.core import audit
from attune.core.models import AuditEvent


@pytest.fixture
def event(db: None) -> AuditEvent:
    return audit.record(action="test.recorded", object_type="organisations.team", object_id="abc")


def test_recording_keeps_who_what_and_when(event: AuditEvent) -> None:
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.action == "test.recorded"
    assert stored.object_type == "organisations.team"
    assert stored.outcome == audit.Outcome.SUCCESS
    assert stored.occurred_at.utcoffset().total_seconds() == 0  # stored in UTC


def test_orm_update_is_refused(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="test.tampered")
    assert AuditEvent.objects.get(pk=event.pk).action == "test.recorded"


def test_raw_sql_update_is_refused(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET outcome = 'denied' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).outcome == audit.Outcome.SUCCESS


def test_delete_is_refused(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_delete_is_refused(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")
    assert AuditEvent.objects.count() == 1


def test_inserting_more_events_still_works(event: AuditEvent) -> None:
    audit.record(action="test.second")
    assert AuditEvent.objects.count() == 2
