"""Retrying a start-up step with backoff, for a bounded time."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from octobus.errors import StartupError

__all__ = ["retry_with_backoff"]

logger = logging.getLogger(__name__)

Result = TypeVar("Result")


async def retry_with_backoff(
    operation: Callable[[], Awaitable[Result]],
    *,
    what: str,
    give_up_after: float,
    retryable: Callable[[Exception], bool],
    first_delay: float = 0.1,
    max_delay: float = 2.0,
) -> Result:
    """Run ``operation`` until it succeeds, backing off exponentially, for a bounded time.

    Parameters
    ----------
    operation
        The step; called once per attempt.
    what
        What the step does, for the error message (``"reach the Schema Registry at ..."``).
    give_up_after
        Seconds after which no new attempt is started.
    retryable
        Whether an error means "not reachable yet"; any other error is raised at once.
    first_delay
        Seconds to wait after the first failure; doubled after each further one.
    max_delay
        The longest wait between two attempts.

    Returns
    -------
    Result
        What the first successful attempt returned.

    Raises
    ------
    StartupError
        When the time is up; the message says what was tried, how often, for how long,
        and the last error.

    Examples
    --------
    >>> import asyncio
    >>> async def unreachable() -> None:
    ...     raise ConnectionRefusedError("connection refused")
    >>> asyncio.run(
    ...     retry_with_backoff(
    ...         unreachable, what="reach nothing", give_up_after=0.05, retryable=lambda _: True
    ...     )
    ... )  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    octobus.errors.StartupError: could not reach nothing: 1 attempt over 0.0 s ... refused
    """
    started = time.monotonic()
    delay = first_delay
    attempts = 0
    while True:
        attempts += 1
        try:
            return await operation()
        except Exception as error:
            if not retryable(error):
                raise
            elapsed = time.monotonic() - started
            if elapsed + delay > give_up_after:
                plural = "" if attempts == 1 else "s"
                msg = (
                    f"could not {what}: {attempts} attempt{plural} over {elapsed:.1f} s "
                    f"(limit {give_up_after:g} s), last error: {error}"
                )
                raise StartupError(msg) from error
            logger.warning("could not %s (attempt %d): %s; retrying", what, attempts, error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_delay)
