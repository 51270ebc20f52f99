"""What the fhir part of this app registers at start-up (jobs, audit subjects, sections)."""


def register() -> None:
    pass
