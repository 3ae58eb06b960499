"""A key's JSON string literal, found in a frame's text and read back without parsing the frame.

Streams repeat one frame per token that differs only in one string value: the frame shapes
(``a2a/_wire.FrameShape``, ``agentos/content_shape.ContentShape``) keep the text before and after
that value's literal and read each later frame's value straight from between them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

__all__ = ["PROBE", "SHAREABLE", "literal_after", "shape_candidates", "shaped_text"]

_SPACE = " \t\r\n"
#: Put in place of a learned value to check a shape: a text no stream sends.
PROBE = "agentnb shape probe \u2603"
#: Values a learned shape may share between the items it builds (immutable ones).
SHAREABLE = (str, int, float, bool, type(None))


def literal_after(data: str, at: int) -> tuple[int, int] | None:
    """Where the value of the key ending at ``at`` (a colon after optional JSON whitespace, then
    more) is a string literal: its start and its end (past the closing quote); else None."""
    n = len(data)
    while at < n and data[at] in _SPACE:
        at += 1
    if at >= n or data[at] != ":":
        return None
    at += 1
    while at < n and data[at] in _SPACE:
        at += 1
    if at >= n or data[at] != '"':
        return None
    end = at + 1
    while end < n and data[end] != '"':
        end += 2 if data[end] == "\\" else 1
    return (at, end + 1) if end < n else None


def shaped_text(data: str, prefix: str, suffix: str) -> str | None:
    """The text of ``data`` when it is ``prefix``, one JSON string literal and ``suffix``; else None."""
    if not (data.startswith(prefix) and data.endswith(suffix)):
        return None
    literal = data[len(prefix) : len(data) - len(suffix)]
    if len(literal) < 2 or literal[0] != '"' or literal[-1] != '"':
        return None
    text = literal[1:-1]
    if '"' in text or "\\" in text or not text.isprintable():
        # Escapes (or characters JSON wants escaped): the literal is read as JSON, and anything
        # but one string token is another shape.
        try:
            value = json.loads(literal)
        except (ValueError, RecursionError):
            return None
        return value if type(value) is str else None
    return text


def shape_candidates(data: str, key: str, value: str) -> Iterator[tuple[str, str, str]]:
    """For each string literal of ``key`` in ``data`` that reads as ``value``: the text before
    it, the text after it, and ``data`` with ``PROBE`` in its place (to be parsed by the caller
    and compared with what ``data`` parsed to, with the probe for the value)."""
    quoted = f'"{key}"'
    start = data.find(quoted)
    while start >= 0:
        found = literal_after(data, start + len(quoted))
        if found is not None:
            at, end = found
            try:
                same = json.loads(data[at:end]) == value
            except (ValueError, RecursionError):
                same = False
            if same:
                yield data[:at], data[end:], data[:at] + json.dumps(PROBE) + data[end:]
        start = data.find(quoted, start + len(quoted))
