"""Make the audit log append-only at the database (ADR 0003)."""

from django.db import migrations

from attune.core import audit_triggers


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    for statement in audit_triggers.statements(schema_editor.connection.vendor, install=True):
        schema_editor.execute(statement)


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    for statement in audit_triggers.statements(schema_editor.connection.vendor, install=False):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
