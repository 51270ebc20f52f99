"""What the consent part of this app registers at start-up (family-page sections, task links, jobs)."""


def register() -> None:
    pass
