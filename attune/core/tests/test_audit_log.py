"""The audit log is append-only at the database, on SQLite and PostgreSQL alike (S8, 16.4.2)."""

import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from attune.accounts.tests.factories import UserFactory
from attune.core import audit
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting


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


def test_an_event_about_a_family_record_names_the_family(db: None) -> None:
    family_id = uuid.uuid4()
    stored = audit.record(action="test.read", object_type="families.family", object_id=str(family_id))
    assert AuditEvent.objects.get(pk=stored.pk).family_id == family_id


def test_each_family_shown_is_one_event_written_in_one_insert(db: None) -> None:
    """A page showing several families (a supervision session's discussions) names each one,
    at the cost of one query however many."""
    first, second = uuid.uuid4(), uuid.uuid4()
    actor = acting(UserFactory())
    with CaptureQueriesContext(connection) as captured:
        audit.record_each_family(
            action="test.discussed", actor=actor, family_ids=[first, second, first], detail={"session": "s"}
        )
    assert len(captured.captured_queries) == 1
    written = AuditEvent.objects.filter(action="test.discussed").order_by("pk")
    assert [(e.family_id, e.object_type, e.object_id, e.actor_id) for e in written] == [
        (first, "families.family", str(first), actor.user.pk),
        (second, "families.family", str(second), actor.user.pk),
    ]
    assert written[0].detail == {"session": "s"}
    with CaptureQueriesContext(connection) as captured:
        audit.record_each_family(action="test.discussed", actor=actor, family_ids=[])
    assert captured.captured_queries == []
