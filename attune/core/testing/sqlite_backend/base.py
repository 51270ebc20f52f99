"""SQLite backend for the test suite only.

Between transactional tests (the browser journeys) the test runner empties every table with
DELETE, which the audit triggers rightly refuse. This backend drops the triggers for that one
flush and puts them straight back, so every test still meets the triggers as production does.
"""

from typing import Any

from django.db.backends.sqlite3 import base, operations

from attune.core import audit_triggers


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        flush = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if audit_triggers.TABLE not in tables:
            return flush
        return [
            *audit_triggers.statements("sqlite", install=False),
            *flush,
            *audit_triggers.statements("sqlite", install=True),
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
