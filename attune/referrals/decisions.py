"""The triage decisions, one entry each: where it leads (the status), how the pages offer it,
from which states it may be made, what it needs before it can be saved, what it keeps on the
referral and who is told. A new decision is a new entry here, with its form in forms.py (which
finds its entry by status); the action (services.decide), the decision pages and the allowed
moves (TRANSITIONS) all read these entries.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from attune.referrals.codes import DeclineReason, LevelOfNeed, Priority
from attune.referrals.workflow import OPEN, IllegalTransition, Status


@dataclass(frozen=True)
class Need:
    """Something a decision cannot be saved without: `missing(decision)` says it is not given
    (the decision made: services.Decision); `message` is shown against `field`."""

    field: str
    missing: Callable[[Any], bool]
    message: str


@dataclass(frozen=True)
class Tell:
    """The outbox message the decision sends: its template, to the referrer and/or the family."""

    template: str
    referrer: bool
    family: bool


@dataclass(frozen=True)
class DecisionKind:
    slug: str  # in the decision page's address
    status: Status
    label: str  # the link on the referral page and the decision page's heading
    button: str
    cannot: str  # why it is refused: "This referral is declined, so <cannot>."
    from_states: frozenset[Status] = OPEN
    needs: tuple[Need, ...] = ()
    # The referral's fields the decision sets from what was decided (a blank one is left alone).
    keeps: tuple[str, ...] = ()
    tell: Tell | None = None
    offered: bool = True  # whether the referral page offers it (a decision page exists)


def _blank(field: str) -> Callable[[Any], bool]:
    return lambda decision: not getattr(decision, field).strip()


def _not_one_of(field: str, values: list[str], *, optional: bool = False) -> Callable[[Any], bool]:
    """Missing when not one of `values`; when `optional`, only a value given and wrong counts."""

    def missing(decision: Any) -> bool:
        value = getattr(decision, field)
        return (bool(value) or not optional) and value not in values

    return missing


LEVEL = Need("level_of_need", _not_one_of("level_of_need", LevelOfNeed.values), "Select the level of need")

DECISIONS = (
    DecisionKind(
        "accept",
        Status.ACCEPTED,
        "Accept to the waiting list",
        "Accept referral",
        "it cannot be accepted to the waiting list now",
        needs=(LEVEL, Need("priority", _not_one_of("priority", Priority.values), "Select the priority")),
        keeps=("level_of_need", "priority"),
        tell=Tell("referral_accepted", referrer=True, family=True),
    ),
    DecisionKind(
        "signpost",
        Status.SIGNPOSTED,
        "Signpost to another service",
        "Signpost referral",
        "it cannot be signposted to another service now",
        needs=(
            LEVEL,
            Need("signposted_to", _blank("signposted_to"), "Enter the service you are signposting the family to"),
        ),
        keeps=("level_of_need", "signposted_to"),
        tell=Tell("referral_signposted", referrer=True, family=True),
    ),
    DecisionKind(
        "decline",
        Status.DECLINED,
        "Decline",
        "Decline referral",
        "it cannot be declined now",
        needs=(
            # A decline for age or area may come before anyone can judge the need.
            Need("level_of_need", _not_one_of("level_of_need", LevelOfNeed.values, optional=True), LEVEL.message),
            Need(
                "decline_reason",
                _not_one_of("decline_reason", DeclineReason.values),
                "Select why the referral is declined",
            ),
            Need(
                "note",
                lambda d: d.decline_reason == DeclineReason.OTHER and not d.note.strip(),
                "Enter why the referral is declined",
            ),
        ),
        keeps=("level_of_need", "decline_reason"),
        tell=Tell("referral_declined", referrer=True, family=True),
    ),
    DecisionKind(
        "ask-for-information",
        Status.AWAITING_INFORMATION,
        "Ask the referrer for more information",
        "Send request",
        "you cannot ask the referrer for more information now",
        from_states=frozenset({Status.RECEIVED}),
        needs=(Need("note", _blank("note"), "Enter what information you need from the referrer"),),
        # A family who referred themselves is the one asked instead (services.decide).
        tell=Tell("referral_information_requested", referrer=True, family=False),
    ),
    # The referrer or family withdrew it: recorded with a note, offered on no page yet.
    DecisionKind(
        "withdraw", Status.WITHDRAWN, "Withdraw", "Withdraw referral", "it cannot be withdrawn now", offered=False
    ),
)
# The decisions a person makes on their own page, by the slug in its address.
BY_SLUG = {kind.slug: kind for kind in DECISIONS if kind.offered}
BY_STATUS = {kind.status: kind for kind in DECISIONS}

# The move that is not a triage decision: information arriving puts a referral back into triage
# (the clock resumes).
OTHER_MOVES = {Status.AWAITING_INFORMATION: frozenset({Status.RECEIVED})}
TRANSITIONS: dict[Status, frozenset[Status]] = {
    state: frozenset({kind.status for kind in DECISIONS if state in kind.from_states})
    | OTHER_MOVES.get(state, frozenset())
    for state in Status
}


def check(current: Status, new: Status) -> None:
    if new not in TRANSITIONS[current]:
        raise IllegalTransition(
            f"This referral is {current.label.lower()}, so it cannot be changed to '{new.label.lower()}'."
        )


@dataclass(frozen=True)
class Contradiction:
    """A decline reason that says the opposite of the eligibility check: the question asked
    before the decline is saved anyway, and the answer that confirms it."""

    question: str
    answer: str


# The decline reasons the eligibility check can contradict, by the check that must have passed.
AGAINST_ELIGIBILITY = {
    DeclineReason.AGE: (
        "age",
        Contradiction(
            "The eligibility check says this referral is within the age range. "
            "Decline as outside the age range anyway?",
            "Yes, decline as outside the age range",
        ),
    ),
    DeclineReason.AREA: (
        "area",
        Contradiction(
            "The eligibility check says this referral is within the team's area. Decline as outside the area anyway?",
            "Yes, decline as outside the area",
        ),
    ),
}


def contradiction(decline_reason: str, *, within_age: bool, within_area: bool) -> Contradiction | None:
    """Whether the reason for declining contradicts the eligibility check. A check that could
    not say the referral is within criteria (no baby recorded, no council area found) is
    contradicted by nothing."""
    entry = AGAINST_ELIGIBILITY.get(decline_reason)  # type: ignore[call-overload]
    if entry is None:
        return None
    check, found = entry
    within = within_age if check == "age" else within_area
    return found if within else None


def problems(decision: Any) -> dict[str, str]:
    """What is missing from a decision made (services.Decision), by field, in NHS content style."""
    kind = BY_STATUS.get(decision.status)
    return {need.field: need.message for need in (kind.needs if kind else ()) if need.missing(decision)}
