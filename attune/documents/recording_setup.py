"""What the video recordings part of this app registers at start-up (audit subjects, jobs, task
links, the consent-withdrawal hook)."""


def register() -> None:
    pass
