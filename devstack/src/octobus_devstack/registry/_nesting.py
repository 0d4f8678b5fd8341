"""A bound on how deeply JSON nests, checked before anything recurses over it.

``json.loads``, the ``avro`` parser, the canonical form and the compatibility checker all
recurse once (or several times) per level, so a deep enough document exhausts Python's
recursion limit in whichever comes first. Checking the depth up front turns that into a
clear 400 or 422 instead of a 500 from wherever the ``RecursionError`` happened.
"""

from __future__ import annotations

import re

__all__ = ["MAX_NESTING", "nesting_exceeds"]

#: The deepest nesting of JSON arrays and objects accepted, in a request body or a schema.
#: A nested record costs four levels (record, ``fields``, field, type), so this allows some
#: 50 records inside one another; measured, 300 levels of arrays still parse and check on a
#: default recursion limit, which leaves room for the server's own stack.
MAX_NESTING = 200

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def nesting_exceeds(text: str | bytes, limit: int = MAX_NESTING) -> bool:
    """Say whether JSON text nests arrays and objects deeper than ``limit``.

    Parameters
    ----------
    text
        JSON text, possibly invalid (brackets inside strings do not count).
    limit
        The deepest nesting allowed.

    Returns
    -------
    bool
        ``True`` when some bracket opens at a depth beyond ``limit``.
    """
    if isinstance(text, bytes):
        # latin-1 maps every byte to one character: the ASCII brackets, quotes and
        # backslashes of UTF-8 (or any ASCII-compatible encoding) stay where they were
        text = text.decode("latin-1")
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False
