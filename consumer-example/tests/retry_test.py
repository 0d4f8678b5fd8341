"""The retry policy: bounded attempts, exponential backoff, capped waits."""

from __future__ import annotations

from typing import TypedDict

import pytest
from octobus_consumer_example.retry import RetryPolicy


class PolicyArguments(TypedDict, total=False):
    """Any subset of ``RetryPolicy``'s settings, with their types."""

    max_attempts: int
    initial_backoff: float
    multiplier: float
    max_backoff: float


def test_waits_double_after_each_failure_up_to_the_cap() -> None:
    policy = RetryPolicy(max_attempts=6, initial_backoff=0.25, multiplier=2.0, max_backoff=1.5)
    assert list(policy.delays()) == [0.25, 0.5, 1.0, 1.5, 1.5]


def test_there_is_one_wait_fewer_than_attempts() -> None:
    assert list(RetryPolicy(max_attempts=1).delays()) == []
    assert len(list(RetryPolicy(max_attempts=3).delays())) == 2


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"max_attempts": 0}, "max_attempts"),
        ({"initial_backoff": -1.0}, "initial_backoff"),
        ({"max_backoff": -0.1}, "max_backoff"),
        ({"multiplier": 0.5}, "multiplier"),
    ],
)
def test_a_policy_that_could_not_work_is_refused_naming_the_setting(
    arguments: PolicyArguments, named: str
) -> None:
    with pytest.raises(ValueError, match=named):
        RetryPolicy(**arguments)
