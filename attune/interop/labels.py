"""How the audit log names the interop actions, one dictionary per part (the governance app's
ACTION_LABELS takes them all)."""

IMPORT_LABELS: dict[str, str] = {
    "import.template_downloaded": "Downloaded the caseload import template",
    "import.upload_viewed": "Opened the page to import a caseload",
    "import.uploaded": "Uploaded a caseload file to check",
    "import.checked": "Checked a caseload file (dry run)",
    "import.refused": "A caseload file could not be read",
    "import.viewed": "Viewed a caseload import",
    "import.report_downloaded": "Downloaded a caseload import's problems",
    "import.queued": "Started importing a caseload",
    "import.finished": "Imported a caseload",
    "import.failed": "Caseload import failed (nothing imported)",
}

MHSDS_LABELS: dict[str, str] = {
    "mhsds.page_viewed": "Opened the MHSDS extract page",
    "mhsds.report_viewed": "Checked a team's MHSDS extract for a month",
    "mhsds.extract_downloaded": "Downloaded a team's MHSDS extract (personal data)",
    "mhsds.family_exported": "A family was in a downloaded MHSDS extract",
    "mhsds.extract_written": "Wrote a team's MHSDS extract to files (command)",
}

FHIR_LABELS: dict[str, str] = {
    "fhir.bundle_exported": "Downloaded a family's record as FHIR",
    "fhir.upload_viewed": "Opened the page to receive a FHIR referral",
    "fhir.service_request_received": "Received a referral as a FHIR ServiceRequest",
    "fhir.service_request_refused": "Refused a FHIR ServiceRequest",
}

API_LABELS: dict[str, str] = {
    "api.called": "Called the API (another system)",
    "api.token_issued": "Issued an API token",
    "api.token_revoked": "Revoked an API token",
    "api.tokens_listed": "Viewed the API tokens",
    "api.token_viewed": "Viewed an API token",
}

ACTION_LABELS = {**IMPORT_LABELS, **MHSDS_LABELS, **FHIR_LABELS, **API_LABELS}
