"""The states a referral moves through. Plain Python. The moves allowed between them follow from
the triage decisions (decisions.TRANSITIONS).

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

# Referrals waiting on the team: shown in the triage inbox, their clock counting.
OPEN = frozenset({Status.RECEIVED, Status.AWAITING_INFORMATION})
# The clock stops while the team waits for the referrer.
PAUSED = frozenset({Status.AWAITING_INFORMATION})


class IllegalTransition(Exception):
    """A move the workflow does not allow; the message is fit to show."""
