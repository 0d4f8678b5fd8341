"""Comparing a decoded event with the payload it came from, field by field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

ABSENT = object()


def _instant(value: Any) -> dt.datetime:
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def assert_matches(
    decoded: Any, original: Any, path: str, *, skip: frozenset[str] = frozenset()
) -> int:
    """Assert that every modelled field of ``decoded`` equals ``original``; count them."""
    if isinstance(decoded, BaseModel):
        assert isinstance(original, dict), f"{path}: payload has {original!r}, not an object"
        compared = 0
        for name, info in type(decoded).model_fields.items():
            if name in skip:
                continue
            value = getattr(decoded, name)
            if name in original:
                compared += assert_matches(value, original[name], f"{path}.{name}")
            else:
                default = info.get_default(call_default_factory=True)
                assert value == default, f"{path}.{name}: absent from payload, got {value!r}"
                compared += 1
        return compared
    if isinstance(decoded, list):
        assert isinstance(original, list), f"{path}: payload has {original!r}, not a list"
        assert len(decoded) == len(original), f"{path}: {len(decoded)} != {len(original)}"
        return sum(
            assert_matches(item, source, f"{path}[{index}]")
            for index, (item, source) in enumerate(zip(decoded, original, strict=True))
        )
    if isinstance(decoded, dt.datetime):
        expected = _instant(original)
        # timestamp-millis keeps milliseconds; GitHub sends whole seconds.
        assert decoded == expected.replace(microsecond=expected.microsecond // 1000 * 1000), (
            f"{path}: {decoded!r} != {original!r}"
        )
        return 1
    assert decoded == original, f"{path}: decoded {decoded!r} != payload {original!r}"
    return 1
