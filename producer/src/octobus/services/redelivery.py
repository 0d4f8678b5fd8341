"""Remembering recent deliveries, so a redelivery is not published twice.

GitHub redelivers a delivery (automatically or when someone clicks "Redeliver") with the
same ``X-GitHub-Delivery`` GUID, the same event and the same body. The gateway remembers
the outcome of the most recent deliveries, by GUID, with what was delivered (event name
and body digest): a redelivery of an accepted delivery gets the same answer without a
second event on Kafka, and a redelivery that arrives while the first attempt is still
waiting for the broker waits for that attempt instead of publishing again. A GUID that
comes again with another event or body is not a redelivery: it is refused
(`~octobus.errors.DeliveryConflictError`) rather than dropped as one.

This memory is per process and bounded: behind a load balancer with several gateways, or
for a redelivery older than the window, consumers see the event again and can drop it
by the delivery id it carries in its headers.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar
from uuid import UUID

from octobus.errors import DeliveryConflictError

__all__ = ["DeliveredContent", "RecentDeliveries"]

Result = TypeVar("Result")


@dataclass(frozen=True, slots=True)
class DeliveredContent:
    """What a delivery carried, to tell a redelivery from another delivery with its id.

    Attributes
    ----------
    event
        The ``X-GitHub-Event`` name.
    body_digest
        A digest of the raw body (SHA-256).
    """

    event: str
    body_digest: bytes

    def conflict(self, delivery_id: UUID, again: DeliveredContent) -> DeliveryConflictError:
        """Describe how ``again``, delivered with the same id, differs from this content.

        Parameters
        ----------
        delivery_id
            The delivery id both came with.
        again
            The later delivery's content.

        Returns
        -------
        DeliveryConflictError
            The error naming the id and what differs.
        """
        if again.event != self.event:
            differs = f"as a {self.event!r} event, not {again.event!r}"
        else:
            differs = "with a different body"
        return DeliveryConflictError(
            f"delivery {delivery_id} was first received {differs}: a redelivery resends the "
            "same event and body, so this is another delivery reusing the id; nothing was "
            "published"
        )


class RecentDeliveries(Generic[Result]):
    """The outcomes of the last ``capacity`` accepted deliveries, by delivery id.

    Parameters
    ----------
    capacity
        How many delivery ids to remember; the oldest is forgotten first. Zero turns
        the memory off.

    Examples
    --------
    >>> import asyncio, uuid
    >>> recent: RecentDeliveries[str] = RecentDeliveries(capacity=100)
    >>> delivery_id, push = uuid.uuid4(), DeliveredContent("push", b"digest")
    >>> async def publish() -> str:
    ...     return "offset 7"
    >>> asyncio.run(recent.once(delivery_id, push, publish))
    ('offset 7', False)
    >>> asyncio.run(recent.once(delivery_id, push, publish))
    ('offset 7', True)
    """

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._outcomes: OrderedDict[UUID, tuple[DeliveredContent, asyncio.Future[Result]]] = (
            OrderedDict()
        )

    def __len__(self) -> int:
        return len(self._outcomes)

    async def once(
        self,
        delivery_id: UUID,
        content: DeliveredContent,
        publish: Callable[[], Awaitable[Result]],
    ) -> tuple[Result, bool]:
        """Publish a delivery unless it was accepted recently.

        Parameters
        ----------
        delivery_id
            The delivery's GUID.
        content
            What the delivery carried; a redelivery carries the same.
        publish
            Publishes the delivery and returns its outcome.

        Returns
        -------
        tuple
            The outcome, and whether it is a remembered one (True: nothing was published).

        Raises
        ------
        DeliveryConflictError
            If the id was remembered with other content; nothing was published.
        Exception
            Whatever ``publish`` raised; a failed delivery is forgotten, so that its
            redelivery is published.
        """
        if self._capacity == 0:
            return await publish(), False
        entry = self._outcomes.get(delivery_id)
        if entry is not None:
            first, remembered = entry
            if first != content:
                raise first.conflict(delivery_id, content)
            self._outcomes.move_to_end(delivery_id)
            try:
                # shield: a caller that gives up must not cancel the first attempt.
                return await asyncio.shield(remembered), True
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if remembered.cancelled() and task is not None and not task.cancelling():
                    # The first attempt was cancelled, not this one: publish it now.
                    return await self.once(delivery_id, content, publish)
                raise
        outcome: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._remember(delivery_id, content, outcome)
        try:
            result = await publish()
        except asyncio.CancelledError:
            self._outcomes.pop(delivery_id, None)
            outcome.cancel()
            raise
        except Exception as error:
            self._outcomes.pop(delivery_id, None)
            outcome.set_exception(error)
            # Waiters get the error; without waiters it must not be reported as lost.
            outcome.exception()
            raise
        outcome.set_result(result)
        return result, False

    def _remember(
        self, delivery_id: UUID, content: DeliveredContent, outcome: asyncio.Future[Result]
    ) -> None:
        self._outcomes[delivery_id] = (content, outcome)
        while len(self._outcomes) > self._capacity:
            self._outcomes.popitem(last=False)
