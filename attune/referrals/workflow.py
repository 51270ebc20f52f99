"""The states a referral moves through and the moves allowed between them. Plain Python.

Every move appends a status row (who, when, why); the current state is the latest row. The care
pathway carries an accepted referral on (allocation opens an episode) in its own app.
"""

from enum import StrEnum


class Status(StrEnum):
    RECEIVED = "received"
    AWAITING_INFORMATION = "awaiting_information"
    ACCEPTED = "accepted"
    SIGNPOSTED = "signposted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Status.RECEIVED: "Waiting for triage",
    Status.AWAITING_INFORMATION: "Waiting for more information",
    Status.ACCEPTED: "Accepted to the waiting list",
    Status.SIGNPOSTED: "Signposted to another service",
    Status.DECLINED: "Declined",
    Status.WITHDRAWN: "Withdrawn",
}

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset(
        {Status.ACCEPTED, Status.SIGNPOSTED, Status.DECLINED, Status.AWAITING_INFORMATION, Status.WITHDRAWN}
    ),
    # Information arriving puts the referral back in triage (the clock resumes).
    Status.AWAITING_INFORMATION: frozenset(
        {Status.RECEIVED, Status.ACCEPTED, Status.SIGNPOSTED, Status.DECLINED, Status.WITHDRAWN}
    ),
    Status.ACCEPTED: frozenset(),
    Status.SIGNPOSTED: frozenset(),
    Status.DECLINED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

# Referrals waiting on the team: shown in the triage inbox, their clock counting.
OPEN = frozenset({Status.RECEIVED, Status.AWAITING_INFORMATION})
# The clock stops while the team waits for the referrer.
PAUSED = frozenset({Status.AWAITING_INFORMATION})


class IllegalTransition(Exception):
    """A move the workflow does not allow; the message is fit to show."""


def check(current: Status, new: Status) -> None:
    if new not in TRANSITIONS[current]:
        raise IllegalTransition(
            f"This referral is {current.label.lower()}, so it cannot be changed to '{new.label.lower()}'."
        )
