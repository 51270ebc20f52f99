"""How the audit log names the interop actions, one dictionary per part (the governance app's
ACTION_LABELS takes them all)."""

IMPORT_LABELS: dict[str, str] = {}

MHSDS_LABELS: dict[str, str] = {}

FHIR_LABELS: dict[str, str] = {}

API_LABELS: dict[str, str] = {}

ACTION_LABELS = {**IMPORT_LABELS, **MHSDS_LABELS, **FHIR_LABELS, **API_LABELS}
