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

    def read(self, frame: SSEFrame, out: deque[E]) -> bool:
        """Decode one frame into ``out`` (zero or more events, already folded into the result).

        True when the frame brought the terminal event: the stream ends there.
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
