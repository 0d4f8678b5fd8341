"""How often, and how patiently, a failing handler is tried again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["RetryPolicy"]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """A bounded number of attempts with exponential backoff between them.

    Parameters
    ----------
    max_attempts
        How many times a handler is called for one message, the first call included.
        After the last failed attempt the message goes to the dead-letter topic.
    initial_backoff
        Seconds to wait after the first failure.
    multiplier
        Factor applied to the wait after every further failure.
    max_backoff
        Upper bound of a single wait, in seconds.

    Examples
    --------
    >>> list(RetryPolicy(max_attempts=4, initial_backoff=0.5, max_backoff=1.5).delays())
    [0.5, 1.0, 1.5]
    """

    max_attempts: int = 5
    initial_backoff: float = 0.2
    multiplier: float = 2.0
    max_backoff: float = 5.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            msg = f"max_attempts must be at least 1, got {self.max_attempts}"
            raise ValueError(msg)
        if self.initial_backoff < 0 or self.max_backoff < 0:
            msg = (
                "backoff must not be negative, got "
                f"initial_backoff={self.initial_backoff}, max_backoff={self.max_backoff}"
            )
            raise ValueError(msg)
        if self.multiplier < 1:
            msg = f"multiplier must be at least 1, got {self.multiplier}"
            raise ValueError(msg)

    def delay_after(self, failed_attempts: int) -> float:
        """Return the wait, in seconds, after the given number of failed attempts.

        Parameters
        ----------
        failed_attempts
            How many attempts have failed so far (1 after the first failure).

        Returns
        -------
        float
            ``initial_backoff * multiplier ** (failed_attempts - 1)``, capped at
            ``max_backoff``.
        """
        exponent = max(failed_attempts - 1, 0)
        return min(self.initial_backoff * self.multiplier**exponent, self.max_backoff)

    def delays(self) -> Iterator[float]:
        """Yield the wait before each retry, one fewer than ``max_attempts``.

        Yields
        ------
        float
            Seconds to sleep before the next attempt.
        """
        for failed in range(1, self.max_attempts):
            yield self.delay_after(failed)
