"""One stream engine for every protocol: open, check, decode, stop at the terminal event, drain, close.

A protocol supplies an I/O-free ``FrameReader`` (SSE frame -> typed events, folded into a result);
``EventStream`` does the I/O. It is a plain object, not an async generator, on purpose: an
abandoned async generator is finalised by the event loop later, in a task of its own, and nested
ones (ours around httpx's) race each other there ("aclose(): asynchronous generator is already
running", "generator didn't stop after athrow()"). Here every way of leaving a stream closes the
HTTP response at once, or, when the stream is dropped unread, in one quiet task on its own loop:

- the end of the stream, ``break`` + ``aclose()``/``async with``, an exception in the loop body
  (the stream is dropped), a cancelled task (the response is closed while the error unwinds),
  garbage collection (``__del__``), and a loop shutting down with the stream half read.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx

from agentnb._http import loops
from agentnb._sse import DEFAULT_MAX_EVENT_BYTES, SSEDecoder, SSEFrame
from agentnb._stream import closing
from agentnb._stream.reader import FrameReader
from agentnb.errors import ProtocolError, RemoteServerUnavailableError, StreamInterruptedError

__all__ = ["EventStream", "FramedBody", "ResponseOpener"]

E = TypeVar("E")
R = TypeVar("R")
S = TypeVar("S", bound="EventStream[Any, Any]")

#: Opens the streamed HTTP response (error statuses already raised as typed errors).
ResponseOpener = Callable[[], Awaitable[httpx.Response]]

#: After the terminal event we read on (bounded) until the server closes, so a caller that stops
#: at the terminal event does not look like a disconnect to the server.
_DRAIN_LIMIT_EVENTS = 16
#: A body that is not an SSE stream is read up to this much (it is an error or one JSON answer).
_BODY_CAP = 4 * 1024 * 1024


class FramedBody:
    """A response body that yields its events already framed (and parsed: see ``ParsedFrame``).

    A binding that is not HTTP (gRPC) hands its messages to the engine as frames through an
    ``httpx.Response`` whose stream is one of these, instead of writing SSE text for the engine
    to cut and parse again.
    """

    def frames(self) -> AsyncIterator[list[SSEFrame]]:
        raise NotImplementedError


class _AsFramed:
    """The SSEDecoder's part for a FramedBody: its chunks are lists of frames already."""

    incomplete = ""

    def feed(self, frames: list[SSEFrame]) -> list[SSEFrame]:
        return frames

    def flush(self) -> list[SSEFrame]:
        return []


class EventStream(Generic[E, R]):
    """A streamed exchange: an async iterator of events and an async context manager.

    ``result`` is what has arrived so far; ``until_done()`` reads to the end and returns it. A
    stream cut before its terminal event raises StreamInterruptedError with the partial result
    on ``.partial``. Leaving early in any way closes the HTTP response and prints nothing.
    """

    def __init__(
        self,
        reader: FrameReader[E, R],
        opener: ResponseOpener,
        *,
        url: str,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
        on_done: Callable[[R], None] | None = None,
    ) -> None:
        self.reader = reader
        self.url = url
        self._opener = opener
        self._on_done = on_done
        self._decoder: SSEDecoder | _AsFramed = SSEDecoder(max_event_bytes)
        self._ready: deque[E] = deque()
        self._response: httpx.Response | None = None
        self._chunks: AsyncIterator[Any] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._opened = False
        self._finished = False
        self._closed = False
        #: Frames of the last chunk not decoded yet.
        self._pending: Iterator[SSEFrame] = iter(())
        self._eof = False
        #: Finished or closed: nothing more is read (one flag for the per-event check).
        self._stopped = False
        self._stepper: AsyncIterator[E] | None = None

    def __repr__(self) -> str:
        state = "closed" if self._closed else ("done" if self._finished else "open")
        return f"<{type(self).__name__} {self.url} {state} events={self.reader.event_count}>"

    # -- iteration -------------------------------------------------------------------------

    def __aiter__(self) -> AsyncIterator[E]:
        # ``async for`` gets a small async generator: resuming one per event costs far less than a
        # coroutine per ``__anext__`` call. It owns nothing (the response is the stream's), so when
        # a ``break`` abandons it the loop finalises it with nothing to await and nothing to print.
        return self._events()

    async def __anext__(self) -> E:
        # Direct calls (``anext(stream)``) share one generator kept on the stream.
        if self._stepper is None:
            self._stepper = self._events()
        return await self._stepper.__anext__()

    async def _events(self) -> AsyncIterator[E]:
        """The engine. No ``yield`` stands inside a ``try``: an abandoned generator must close
        without awaiting anything."""
        ready, read = self._ready, self.reader.read
        while True:
            while ready:
                yield ready.popleft()
            if self._stopped:
                return
            # The chunk's frames one at a time, each decoded just before its event is yielded: a
            # 64 KiB chunk does not become hundreds of live events for the garbage collector to
            # walk. The iterator lives on the stream, so a later ``async for`` resumes it.
            pending = self._pending
            for frame in pending:
                try:
                    if read(frame, ready):
                        await self._end(list(pending))
                except BaseException as exc:
                    await self._failed(exc)
                while ready:
                    yield ready.popleft()
                if self._stopped:
                    return
            chunks = self._chunks
            try:
                if chunks is not None and not self._eof:
                    try:
                        chunk = await chunks.__anext__()
                    except StopAsyncIteration:
                        self._pending, self._eof = iter(self._decoder.flush()), True
                    else:
                        self._pending = iter(self._decoder.feed(chunk))
                elif self._eof:
                    await self._settle()
                elif not self._opened:
                    await self._open()
            except BaseException as exc:
                await self._failed(exc)

    async def __aenter__(self: S) -> S:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop reading and close the HTTP response (the server sees the disconnect)."""
        if self._closed:
            return
        self._closed = self._stopped = True
        self._ready.clear()
        # If another task is reading right now (a Stop button), closing the response ends its
        # read, and that task stops quietly when it sees ``_closed``.
        await self._release()
        if not self._finished and self.reader.event_count:
            self.reader.interrupt()

    # -- results ---------------------------------------------------------------------------

    @property
    def result(self) -> R:
        """What has arrived so far; final once the stream has ended."""
        return self.reader.result()

    @property
    def event_count(self) -> int:
        return self.reader.event_count

    @property
    def bound_loop(self) -> asyncio.AbstractEventLoop | None:
        """The loop the response was opened on (None before it opens)."""
        return self._loop

    @property
    def opener(self) -> ResponseOpener:
        """The function that opens this stream's HTTP response."""
        return self._opener

    @property
    def finished(self) -> bool:
        """The stream reached its end (terminal event, or the server's proper close)."""
        return self._finished

    async def until_done(self) -> R:
        """Read the rest of the stream and return the final result."""
        async for _ in self:
            pass
        return self.result

    def text_stream(self) -> AsyncIterator[str]:
        """Only the answer's text deltas, as an async iterator."""
        return _TextDeltas(self)

    # -- the engine ------------------------------------------------------------------------

    async def _failed(self, exc: BaseException) -> None:
        """A read failed: release the response, then raise the error as the user should see it."""
        await self._release()
        if self._closed and isinstance(exc, Exception):
            return  # aclose() from another task cut the read: that is a stop, not a failure
        mapped = self._map_error(exc)
        if mapped is exc:
            raise exc
        raise mapped from exc

    async def _open(self) -> None:
        self._opened = True
        self._loop = asyncio.get_running_loop()
        response = await self._opener()
        self._response = response
        # Closed at loop shutdown if nobody else closes it first (asyncio.run ending mid-stream).
        loops.release_at_loop_shutdown(self, self._loop)
        content_type = response.headers.get("content-type", "")
        if "text/event-stream" not in content_type.lower():  # media types ignore case (RFC 9110)
            body = await _read_capped(response, _BODY_CAP)
            await self._release()
            self._ready.extend(self.reader.read_body(body, content_type))
            self._finish()
            return
        framed = response.stream
        if isinstance(framed, FramedBody):
            self._decoder, self._chunks = _AsFramed(), framed.frames()
        elif response.headers.get("content-encoding", "identity").strip().lower() == "identity":
            # Nothing to decode: the raw chunks are the body, and skipping httpx's decoding layer
            # saves a generator step per chunk (a chunk is often one event).
            self._chunks = response.aiter_raw()
        else:
            self._chunks = response.aiter_bytes()

    async def _settle(self) -> None:
        """The server closed the stream and every frame was read without a terminal event."""
        await self._release()
        if self._decoder.incomplete:
            raise self._interrupted(
                "the stream was cut in the middle of an event", raw=self._decoder.incomplete
            )
        why = self.reader.at_end()
        if why is not None:
            raise self._interrupted(why)
        self._finish()

    async def _end(self, pending: list[SSEFrame]) -> None:
        """The terminal event arrived: keep what follows it (bounded), close, report the result."""
        self._pending = iter(())
        reader, budget = self.reader, _DRAIN_LIMIT_EVENTS
        for frame in pending[:budget]:
            reader.read_trailing(frame)
        budget -= min(len(pending), budget)
        chunks = self._chunks
        try:
            while chunks is not None and budget > 0:
                try:
                    chunk = await chunks.__anext__()
                except StopAsyncIteration:
                    for frame in self._decoder.flush()[:budget]:
                        reader.read_trailing(frame)
                    break
                frames = self._decoder.feed(chunk)[:budget]
                for frame in frames:
                    reader.read_trailing(frame)
                budget -= len(frames)
        except (httpx.TransportError, ProtocolError):
            pass  # the exchange already ended; what follows its terminal event is best effort
        await self._release()
        self._finish()

    def _finish(self) -> None:
        self._finished = self._stopped = True
        self._report_done()

    def _report_done(self) -> None:
        """The stream ended properly: settle the result and hand it to ``on_done``."""
        result = self.reader.finish()
        if self._on_done is not None:
            self._on_done(result)

    async def _release(self) -> None:
        """Close our httpx byte iterator, then the response (both idempotent)."""
        chunks, response = self._chunks, self._response
        self._chunks = self._response = None
        if response is not None and self._loop is not None:
            loops.forget(self, self._loop)
        await closing.close_quietly(chunks, response)

    async def release(self) -> None:
        """Close the HTTP response now (the loop's shutdown calls this for streams left open)."""
        self._closed = self._stopped = True
        await self._release()

    def _map_error(self, exc: BaseException) -> BaseException:
        if isinstance(exc, httpx.TransportError):
            return self._interrupted(f"the connection broke mid-stream ({type(exc).__name__}: {exc})", exc)
        if isinstance(exc, RemoteServerUnavailableError) and self.reader.event_count:
            return self._interrupted(str(exc), exc)
        return exc

    def _interrupted(
        self, why: str, original: BaseException | None = None, *, raw: str | None = None
    ) -> StreamInterruptedError:
        self._finished = self._stopped = True
        partial = self.reader.interrupt()
        text = getattr(partial, "content", None)
        size = len(text) if isinstance(text, str) else 0
        return StreamInterruptedError(
            f"{self.url}: {why}; the {size} characters received are kept on error.partial",
            raw=raw,
            url=self.url,
            partial=partial,
            original_error=original,
        )

    def __del__(self) -> None:
        # Dropped with the response still open (a ``break`` without ``async with``): close it on
        # its own loop, in a task whose outcome we keep, so nothing is printed later.
        response = getattr(self, "_response", None)
        loop = getattr(self, "_loop", None)
        if response is None or loop is None or loop.is_closed():
            return
        chunks, self._chunks, self._response = self._chunks, None, None
        closing.drop(loop, chunks, response)


class _TextDeltas(Generic[E, R]):
    """``text_stream()``: an iterator object (not a generator) so that leaving it early is quiet."""

    def __init__(self, stream: EventStream[E, R]) -> None:
        self._stream = stream

    def __aiter__(self) -> _TextDeltas[E, R]:
        return self

    async def __anext__(self) -> str:
        stream, text_of = self._stream, self._stream.reader.text_of
        while True:
            text = text_of(await stream.__anext__())  # StopAsyncIteration at the end
            if text:
                return text

    async def aclose(self) -> None:
        await self._stream.aclose()


async def _read_capped(response: httpx.Response, cap: int) -> bytes:
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > cap:
            raise ProtocolError(
                f"{response.request.url}: a non-stream answer over {cap} bytes", raw=bytes(body[:2048])
            )
    return bytes(body)
