"""The recorded real deliveries in tests/data, one `RecordedDelivery` per example."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data" / "api.github.com.json"


@dataclass(frozen=True)
class RecordedDelivery:
    event: str
    index: int
    payload: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.event}[{self.index}]"


@cache
def recorded_deliveries() -> tuple[RecordedDelivery, ...]:
    families = json.loads(DATA.read_text(encoding="utf-8"))
    return tuple(
        RecordedDelivery(family["name"], index, example)
        for family in families
        for index, example in enumerate(family["examples"])
    )


def first_of(event: str) -> RecordedDelivery:
    return next(delivery for delivery in recorded_deliveries() if delivery.event == event)
