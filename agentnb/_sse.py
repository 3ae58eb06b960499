"""Server-sent events framing: the one place that turns bytes into SSE frames.

Spec-exact per the WHATWG event-stream grammar: CRLF, LF and CR line ends (also split across
chunks), multi-line ``data:``, ``data:`` with or without the space, comments, ``event:``, ``id:``
and ``retry:``. Nothing is dropped silently: an oversized event raises ProtocolError, and a stream
cut mid-line leaves the partial text in ``incomplete`` for the caller to report.

We decode ourselves instead of using httpx-sse because this runs once per token on the hot path;
the decoder works on whole chunks (one str.split per chunk) rather than line by line.
"""

from __future__ import annotations

import codecs
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx

from agentnb.errors import ProtocolError

__all__ = ["DEFAULT_MAX_EVENT_BYTES", "SSEDecoder", "SSEFrame", "aiter_frames"]

#: Largest event we hold in memory; a bigger one is refused with ProtocolError.
DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024


@dataclass(slots=True)
class SSEFrame:
    """One dispatched event: ``event`` is "message" when the server named none."""

    event: str
    data: str
    id: str | None = None
    retry: int | None = None


class SSEDecoder:
    """Incremental decoder: ``feed(bytes)`` returns the frames completed by that chunk."""

    def __init__(self, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> None:
        self.max_event_bytes = max_event_bytes
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._tail = ""
        self._skip_lf = False
        self._data: list[str] = []
        self._size = 0
        self._event = ""
        self._retry: int | None = None
        #: the last event id seen (sticky across events, as the spec says)
        self.last_event_id: str | None = None
        self._id_seen = False

    def feed(self, chunk: bytes) -> list[SSEFrame]:
        text = self._utf8.decode(chunk)
        if not text:
            return []
        if self._skip_lf:
            self._skip_lf = False
            if text[0] == "\n":
                text = text[1:]
        if self._tail:
            text = self._tail + text
        if "\r" in text:
            # A CR at the very end may be the first half of a CRLF split across chunks.
            if text[-1] == "\r":
                self._skip_lf = True
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        self._tail = lines.pop()
        if len(self._tail) > self.max_event_bytes:
            raise ProtocolError(
                f"SSE line longer than {self.max_event_bytes} bytes without a line end; refused",
                raw=self._tail[:256],
            )
        return self._lines(lines)

    def _lines(self, lines: list[str]) -> list[SSEFrame]:
        frames: list[SSEFrame] = []
        for line in lines:
            if not line:
                if self._data:
                    frames.append(self._dispatch())
                else:
                    self._event = ""
                continue
            if line[0] == ":":
                continue
            name, _, value = line.partition(":")
            if value and value[0] == " ":
                value = value[1:]
            if name == "data":
                self._size += len(value) + 1
                if self._size > self.max_event_bytes:
                    self._data.clear()
                    self._size = 0
                    raise ProtocolError(
                        f"SSE event larger than {self.max_event_bytes} bytes; refused",
                        raw=value[:256],
                    )
                self._data.append(value)
            elif name == "event":
                self._event = value
            elif name == "id":
                if "\0" not in value:
                    self.last_event_id = value
                    self._id_seen = True
            elif name == "retry" and value.isdigit():
                self._retry = int(value)
            # any other field name is ignored, as the spec requires
        return frames

    def _dispatch(self) -> SSEFrame:
        data = self._data[0] if len(self._data) == 1 else "\n".join(self._data)
        frame = SSEFrame(
            event=self._event or "message",
            data=data,
            id=self.last_event_id if self._id_seen else None,
            retry=self._retry,
        )
        self._data = []
        self._size = 0
        self._event = ""
        self._retry = None
        return frame

    def flush(self) -> list[SSEFrame]:
        """At end of stream: dispatch an event whose lines were complete but lacked the blank line.

        A partial last line is not guessed at: it stays in ``incomplete``.
        """
        rest = self._utf8.decode(b"", final=True)
        if rest:
            self._tail += rest
        if self._data:
            return [self._dispatch()]
        return []

    @property
    def incomplete(self) -> str:
        """Text of a line that was cut before its line end (empty when the stream ended cleanly)."""
        return self._tail


async def aiter_frames(response: httpx.Response, decoder: SSEDecoder) -> AsyncIterator[SSEFrame]:
    """Frames of a streamed response, in order; the caller inspects ``decoder.incomplete`` after."""
    async for chunk in response.aiter_bytes():
        for frame in decoder.feed(chunk):
            yield frame
    for frame in decoder.flush():
        yield frame
