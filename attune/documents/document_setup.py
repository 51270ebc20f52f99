"""What the documents part of this app registers at start-up (audit subjects, family-page section)."""


def register() -> None:
    pass
