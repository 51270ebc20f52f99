"""The per-account sign-in delay (ASVS v5.0.0-6.3.1, 6.1.1): pure rules, no Django.

The (email, address) lockout stops one address guessing; it does not stop many addresses
guessing one account. So failures for one account are also counted across every address. After
`free_failures` of them, each further attempt must wait: 1 minute, then 2, 4, 8, and never more
than 15. A wait, not a lock: someone trying to keep a person out can only make them wait a few
minutes at a time, while a guesser from many addresses gets at most a handful of tries an hour.
Failures lapse once `window` passes without another."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Policy:
    free_failures: int = 5
    first_wait: timedelta = timedelta(minutes=1)
    longest_wait: timedelta = timedelta(minutes=15)
    window: timedelta = timedelta(hours=1)


def wait_after(failures: int, policy: Policy) -> timedelta:
    """How long the account must wait after its `failures`-th failure in a row."""
    if failures < policy.free_failures:
        return timedelta(0)
    doublings = failures - policy.free_failures
    longest_doublings = math.ceil(math.log2(max(policy.longest_wait / policy.first_wait, 1)))
    if doublings >= longest_doublings:  # also keeps 2**n small however many failures there are
        return policy.longest_wait
    return min(policy.first_wait * 2**doublings, policy.longest_wait)


def failures_still_counting(failures: int, last_failed_at: datetime | None, now: datetime, policy: Policy) -> int:
    """The failures that still count at `now`: none once `window` has passed since the last."""
    if last_failed_at is None or now - last_failed_at >= policy.window:
        return 0
    return failures


def after_a_failure(
    failures: int, last_failed_at: datetime | None, now: datetime, policy: Policy
) -> tuple[int, datetime | None]:
    """The count and the time until which the account waits, after one more failure at `now`."""
    count = failures_still_counting(failures, last_failed_at, now, policy) + 1
    wait = wait_after(count, policy)
    return count, (now + wait if wait else None)


def try_again_at(until: datetime) -> datetime:
    """The time to give the person: `until` rounded up to the whole minute, so "after 9:02am"
    is never a moment when they would still be turned away."""
    rounded = until.replace(second=0, microsecond=0)
    return rounded if rounded == until else rounded + timedelta(minutes=1)
