"""FrameReader: the protocol half of a stream, with no I/O."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Protocol, TypeVar

from agentnb._sse import SSEFrame

__all__ = ["FrameReader"]

E = TypeVar("E")
R_co = TypeVar("R_co", covariant=True)


class FrameReader(Protocol[E, R_co]):
    """The protocol half of a stream: no I/O, just frames in, events and a result out."""

    @property
    def event_count(self) -> int:
        """Events read so far."""

    def read(self, frames: list[SSEFrame], out: deque[E]) -> int:
        """Decode ``frames`` into ``out`` (events already folded into the result).

        Returns the index of the frame that brought the terminal event, or -1: one call per
        chunk, not per frame, because this is the per-token path.
        """

    def read_trailing(self, frame: SSEFrame) -> None:
        """A frame after the terminal event: kept for debugging, never yielded."""

    def read_body(self, body: bytes, content_type: str) -> Sequence[E]:
        """A response that is not an SSE stream: its events, or ProtocolError."""

    def at_end(self) -> str | None:
        """The server closed the stream: None when that is a proper end, else why it is cut."""

    def result(self) -> R_co:
        """The result so far."""

    def finish(self) -> R_co:
        """The final result (the stream ended properly)."""

    def interrupt(self) -> R_co:
        """Mark the result partial and return it."""

    def text_of(self, event: E) -> str | None:
        """The answer text an event adds, if any (for ``text_stream``)."""
