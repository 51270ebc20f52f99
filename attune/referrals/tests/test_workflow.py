"""The referral workflow: the whole matrix of moves, written out here independently of the code,
so a change to the declared transitions has to be made in both places on purpose."""

import itertools

import pytest

from attune.referrals.decisions import TRANSITIONS, check
from attune.referrals.workflow import LABELS, OPEN, PAUSED, IllegalTransition, Status

R, W, A, S, D, X = (
    Status.RECEIVED,
    Status.AWAITING_INFORMATION,
    Status.ACCEPTED,
    Status.SIGNPOSTED,
    Status.DECLINED,
    Status.WITHDRAWN,
)

ALLOWED = {
    (R, W),
    (R, A),
    (R, S),
    (R, D),
    (R, X),
    # Information arriving puts the referral back into triage.
    (W, R),
    (W, A),
    (W, S),
    (W, D),
    (W, X),
}
EVERY_MOVE = list(itertools.product(Status, Status))
FORBIDDEN = [move for move in EVERY_MOVE if move not in ALLOWED]


def _id(move: tuple[Status, Status]) -> str:
    return f"{move[0].value}->{move[1].value}"


@pytest.mark.parametrize("move", sorted(ALLOWED), ids=_id)
def test_allowed_move(move: tuple[Status, Status]) -> None:
    current, new = move
    check(current, new)  # does not raise
    assert new in TRANSITIONS[current]


@pytest.mark.parametrize("move", FORBIDDEN, ids=_id)
def test_forbidden_move(move: tuple[Status, Status]) -> None:
    current, new = move
    with pytest.raises(IllegalTransition) as raised:
        check(current, new)
    assert str(raised.value) == (
        f"This referral is {current.label.lower()}, so it cannot be changed to '{new.label.lower()}'."
    )


def test_the_matrix_covers_every_state() -> None:
    assert len(EVERY_MOVE) == 36
    assert len(ALLOWED) + len(FORBIDDEN) == 36
    assert set(TRANSITIONS) == set(Status)


@pytest.mark.parametrize("final", [A, S, D, X])
def test_a_decided_referral_cannot_move_again(final: Status) -> None:
    assert TRANSITIONS[final] == frozenset()


def test_the_illegal_move_message_reads_as_a_sentence() -> None:
    with pytest.raises(IllegalTransition, match=r"^This referral is declined, so it cannot be changed to 'accepted to"):
        check(D, A)


def test_open_and_paused_states() -> None:
    assert frozenset({R, W}) == OPEN
    assert frozenset({W}) == PAUSED


def test_every_state_has_a_label() -> None:
    assert set(LABELS) == set(Status)
    assert R.label == "Waiting for triage"
    assert W.label == "Waiting for more information"
    assert A.label == "Accepted to the waiting list"
    assert S.label == "Signposted to another service"
    assert D.label == "Declined"
    assert X.label == "Withdrawn"


def test_status_values_are_the_stored_strings() -> None:
    assert [s.value for s in Status] == [
        "received",
        "awaiting_information",
        "accepted",
        "signposted",
        "declined",
        "withdrawn",
    ]
