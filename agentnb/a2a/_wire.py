"""Small helpers both A2A object modules use to read wire JSON defensively, and the shape of a
stream's repeated text-chunk frame (``FrameShape``)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from agentnb._literal import PROBE, SHAREABLE, shape_candidates, shaped_text
from agentnb.a2a._build import ChunkFacts
from agentnb.errors import ProtocolError

__all__ = ["FrameShape", "b64decode", "json_object"]


def json_object(value: Any, what: str) -> dict[str, Any]:
    """``value`` if it is a JSON object, else a ProtocolError naming what was expected."""
    if not isinstance(value, dict):
        raise ProtocolError(
            f"A2A: expected {what} to be a JSON object, got {type(value).__name__}", raw=str(value)[:500]
        )
    return value


def b64decode(text: Any) -> bytes | None:
    """Base64 text to bytes; None for anything that is not valid base64 text."""
    if not isinstance(text, str):
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        pass
    # proto3-JSON readers take the URL-safe alphabet and missing padding too; the standard
    # decoder would drop "-" and "_" as junk (corrupting the bytes) or refuse the short text.
    compact = "".join(text.split()).replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(compact + "=" * (-len(compact) % 4), validate=False)
    except (binascii.Error, ValueError):
        return None




class FrameShape:
    """The text around a streamed text chunk's text literal, learned from one frame's data.

    A streamed answer repeats one frame per token that differs only in its text: the same ids,
    flags and envelope around ``"text": "..."``. Parsing the whole frame and checking its
    structure again for every token cost more than everything else agentnb does per token. A
    frame whose data is this shape's ``prefix``, one JSON string literal and its ``suffix`` has
    the learned frame's structure with that text, so its ChunkFacts are the learned ones with the
    new text and new part and artifact dicts (``read``). The shape is learned only from a frame
    without metadata whose wire dicts hold nothing mutable, and only after a probe text put in
    its place parses to the same structure with the probe (``learn``).
    """

    __slots__ = ("artifact", "facts", "part", "prefix", "suffix")

    def __init__(self, prefix: str, suffix: str, facts: ChunkFacts) -> None:
        self.prefix, self.suffix, self.facts = prefix, suffix, facts
        # Copies: the learned frame's own dicts live on in its artifact, where a reader may change them.
        self.part, self.artifact = dict(facts[11]), dict(facts[7])

    def read(self, data: str) -> ChunkFacts | None:
        """The facts of a frame of this shape, or None for a frame of any other."""
        text = shaped_text(data, self.prefix, self.suffix)
        if text is None:
            return None
        part = self.part.copy()  # a new dict per chunk, keys in the wire's order
        part["text"] = text
        artifact = self.artifact.copy()
        artifact["parts"] = [part]
        f = self.facts
        return (f[0], text, f[2], f[3], f[4], f[5], None, artifact, f[8], f[9], None, part, None)

    @classmethod
    def learn(
        cls, data: str, payload: Any, facts: ChunkFacts, parse: Callable[[str], Any]
    ) -> FrameShape | None:
        """The shape of ``data`` (parsed by ``parse`` to ``payload``, read as ``facts``), or None."""
        part, artifact = facts[11], facts[7]
        if facts[6] is not None or facts[10] is not None or facts[12] is not None:
            return None  # metadata: each chunk's copy must be its own
        parts = artifact.get("parts") if type(artifact) is dict else None
        if not (type(part) is dict and type(parts) is list and len(parts) == 1 and parts[0] is part):
            return None
        if any(type(v) not in SHAREABLE for k, v in part.items() if k != "text") or any(
            type(v) not in SHAREABLE for k, v in artifact.items() if k != "parts"
        ):
            return None
        text = facts[1]
        for prefix, suffix, probed in shape_candidates(data, "text", text):
            try:
                probe = parse(probed)
            except (ValueError, RecursionError):
                continue
            part["text"] = PROBE  # the payload with the probe in place of the text
            try:
                same = probe == payload
            finally:
                part["text"] = text
            if same:
                return cls(prefix, suffix, facts)
        return None
