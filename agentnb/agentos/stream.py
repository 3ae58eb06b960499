"""RunStream: a streamed AgentOS run, as an async iterator and an async context manager.

    async with agent.arun("Tell me a story", stream=True) as stream:
        async for event in stream:
            ...
        output = stream.output          # the assembled RunOutput

Leaving the ``async with`` (or calling ``aclose()``) closes the HTTP response; AgentOS sees the
disconnect and cancels the run. The first terminal event wins: AgentOS follows RunCancelled with
a RunCompleted, which is kept in ``trailing_events`` but not yielded.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from types import TracebackType

import httpx

from agentnb._sse import DEFAULT_MAX_EVENT_BYTES, SSEDecoder, SSEFrame
from agentnb.agentos.events import (
    RunCancelled,
    RunCompleted,
    RunContent,
    RunError,
    RunEvent,
    RunPaused,
    RunStarted,
    ToolCallCompleted,
    ToolCallStarted,
    decode_event,
)
from agentnb.agentos.models import RunOutput, RunStatus, ToolExecution
from agentnb.errors import ProtocolError, RemoteServerUnavailableError, StreamInterruptedError

__all__ = ["RunStream", "StreamOpener"]

StreamOpener = Callable[[], contextlib.AbstractAsyncContextManager[httpx.Response]]

#: After the terminal event we read on (bounded) until the server closes, so a caller that stops
#: at the terminal event does not look like a disconnect to the server.
_DRAIN_LIMIT_EVENTS = 16
#: Text deltas are joined into one string every this many.
_FOLD_EVERY = 1024


class RunStream:
    """A streamed run: iterate it for typed events; ``output`` is the RunOutput so far."""

    def __init__(
        self,
        opener: StreamOpener,
        *,
        url: str,
        agent_id: str | None = None,
        session_id: str | None = None,
        user_id: str | None = None,
        keep_events: bool = False,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
        on_done: Callable[[RunOutput], None] | None = None,
    ) -> None:
        self._opener = opener
        self.url = url
        self._keep_events = keep_events
        self._max_event_bytes = max_event_bytes
        self._on_done = on_done
        self._gen: AsyncIterator[RunEvent] | None = None
        self._closed = False
        #: The text deltas since the last fold, and the text before them in a few big strings: a
        #: list of one str per token would cost ~60 bytes of object per token, ten times the text.
        self._chunks: list[str] = []
        self._blocks: list[str] = []
        self._events: list[RunEvent] = []
        self.trailing_events: list[RunEvent] = []
        self.terminal: RunEvent | None = None
        self.event_count = 0
        self._saw_started = False
        self._output = RunOutput(agent_id=agent_id, session_id=session_id, user_id=user_id)

    def __repr__(self) -> str:
        state = "closed" if self._closed else ("done" if self.terminal else "open")
        return f"<RunStream {self.url} {state} events={self.event_count}>"

    # -- iteration -----------------------------------------------------------------------------

    def __aiter__(self) -> AsyncIterator[RunEvent]:
        # ``async for`` drives the generator itself: no extra coroutine per event.
        if self._gen is None:
            if self._closed:
                return _no_events()
            self._gen = self._events_gen()
        return self._gen

    async def __anext__(self) -> RunEvent:
        if self._gen is None:
            if self._closed:
                raise StopAsyncIteration
            self._gen = self._events_gen()
        return await self._gen.__anext__()

    async def __aenter__(self) -> RunStream:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop reading and close the HTTP response (the server then cancels the run)."""
        self._closed = True
        gen, self._gen = self._gen, None
        if gen is not None:
            await gen.aclose()  # type: ignore[attr-defined]
        self.text  # noqa: B018 - fold the deltas received so far into output.content
        if self.terminal is None and self.event_count:
            self._output.interrupted = True

    # -- results -------------------------------------------------------------------------------

    @property
    def output(self) -> RunOutput:
        """The run as received so far; complete once the stream has ended."""
        return self._output

    @property
    def run_id(self) -> str | None:
        return self._output.run_id

    @property
    def session_id(self) -> str | None:
        return self._output.session_id

    @property
    def text(self) -> str:
        """Text received so far (the joined RunContent deltas, or the final text once known)."""
        if self._chunks:
            blocks = self._blocks
            blocks.append("".join(self._chunks) if len(self._chunks) > 1 else self._chunks[0])
            self._output.content = "".join(blocks) if len(blocks) > 1 else blocks[0]
            self._chunks, self._blocks = [], [self._output.content]
        return self._output.content if isinstance(self._output.content, str) else self._output.text

    async def text_stream(self) -> AsyncIterator[str]:
        """Only the text deltas."""
        async for event in self:
            if isinstance(event, RunContent) and isinstance(event.content, str) and event.content:
                yield event.content

    async def get_final_output(self) -> RunOutput:
        """Consume the rest of the stream and return the final RunOutput."""
        async for _ in self:
            pass
        return self._output

    # -- internals -----------------------------------------------------------------------------

    async def _events_gen(self) -> AsyncIterator[RunEvent]:
        decoder = SSEDecoder(self._max_event_bytes)
        try:
            async with self._opener() as response:
                ctype = response.headers.get("content-type", "")
                if "text/event-stream" not in ctype:
                    body = await response.aread()
                    raise ProtocolError(
                        f"{self.url}: expected an SSE stream (text/event-stream), got "
                        f"{ctype or 'no content type'} ({len(body)} bytes)",
                        raw=body[:2048],
                        url=self.url,
                    )
                # Frames are decoded here, each just before it is yielded, rather than through
                # aiter_frames: this is the per-token path, where every layer and every object
                # kept alive longer than needed (the garbage collector counts them) costs.
                chunks = response.aiter_bytes()
                absorb, decode = self._absorb_event, decode_event
                async for chunk in chunks:
                    frames = decoder.feed(chunk)
                    for frame in frames:
                        event = decode(frame)
                        if absorb(event):
                            await self._end(event, _after(frames, frame), chunks, decoder)
                            yield event
                            return
                        yield event
                frames = decoder.flush()
                for frame in frames:
                    event = decode(frame)
                    if absorb(event):
                        await self._end(event, _after(frames, frame), None, decoder)
                        yield event
                        return
                    yield event
        except httpx.TransportError as exc:
            raise self._interrupted(
                f"the connection broke mid-stream ({type(exc).__name__}: {exc})", exc
            ) from exc
        except RemoteServerUnavailableError as exc:
            if self.event_count:
                raise self._interrupted(str(exc), exc) from exc
            raise
        if decoder.incomplete:
            raise self._interrupted("the stream was cut in the middle of an event", raw=decoder.incomplete)
        if self.event_count == 0:
            raise self._interrupted("the server closed the stream without sending any event")
        if self._saw_started:
            raise self._interrupted("the stream ended without a terminal event")
        # stream_events=False: AgentOS sends only content, no RunStarted/RunCompleted.
        self._output.status = RunStatus.completed
        self._finish()

    async def _end(
        self,
        event: RunEvent,
        pending: list[SSEFrame],
        chunks: AsyncIterator[bytes] | None,
        decoder: SSEDecoder,
    ) -> None:
        self.terminal = event
        await self._drain(pending, chunks, decoder)
        self._finish()

    async def _drain(
        self, pending: list[SSEFrame], chunks: AsyncIterator[bytes] | None, decoder: SSEDecoder
    ) -> None:
        trailing = self.trailing_events
        try:
            for frame in pending:
                trailing.append(decode_event(frame))
                if len(trailing) >= _DRAIN_LIMIT_EVENTS:
                    return
            if chunks is None:
                return
            async for chunk in chunks:
                for frame in decoder.feed(chunk):
                    trailing.append(decode_event(frame))
                    if len(trailing) >= _DRAIN_LIMIT_EVENTS:
                        return
            for frame in decoder.flush():
                trailing.append(decode_event(frame))
                if len(trailing) >= _DRAIN_LIMIT_EVENTS:
                    return
        except (httpx.TransportError, ProtocolError):
            pass  # the run already ended; what follows its terminal event is best effort

    def _absorb_event(self, event: RunEvent) -> bool:
        """Fold one event into ``output`` (the deltas, the tools, the terminal state).

        True when the event ends the run: the first terminal event at the top level.
        """
        self.event_count += 1
        if self._keep_events:
            self._events.append(event)
        out = self._output
        # This runs per token: fields are read from the instance dict (pydantic keeps every field
        # there), and only what changes is assigned (each assignment is a pydantic __setattr__).
        fields = event.__dict__
        top = fields["nested_depth"] == 0
        if top:
            if out.run_id is None and fields["run_id"]:
                out.run_id = fields["run_id"]
            session_id = fields["session_id"]
            if session_id and session_id != out.session_id:
                out.session_id = session_id
        if not out.agent_id and fields["agent_id"]:
            out.agent_id = fields["agent_id"]
        if not out.agent_name and fields["agent_name"]:
            out.agent_name = fields["agent_name"]
        if type(event) is RunContent or isinstance(event, RunContent):
            content = fields["content"]
            if top and isinstance(content, str):
                chunks = self._chunks
                chunks.append(content)
                if len(chunks) >= _FOLD_EVERY:
                    # Keep the newest delta unfolded: pending deltas are what ``text`` looks for.
                    self._blocks.append("".join(chunks[:-1]))
                    del chunks[:-1]
            if fields["reasoning_content"]:
                out.reasoning_content = (out.reasoning_content or "") + fields["reasoning_content"]
            return False
        elif isinstance(event, RunStarted):
            self._saw_started = True
            out.model = event.model
            out.model_provider = event.model_provider
            out.created_at = event.created_at
        elif isinstance(event, (ToolCallStarted, ToolCallCompleted)) and event.tool is not None:
            self._record_tool(event.tool)
        elif isinstance(event, RunCompleted):
            out.status = RunStatus.completed
            if event.content is not None:
                out.content, self._chunks, self._blocks = event.content, [], []
            out.content_type = event.content_type
            out.metrics = event.metrics
            out.session_state = event.session_state
            if event.metadata is not None:
                out.metadata = event.metadata
        elif isinstance(event, RunPaused):
            out.status = RunStatus.paused
            self.text  # noqa: B018 - folds the deltas into content before the canned pause text
            out.tools = event.tools
            out.requirements = event.requirements
            if not out.content and event.content is not None:
                out.content = event.content
        elif isinstance(event, RunError):
            out.status = RunStatus.error
            out.content, self._chunks, self._blocks = event.content, [], []
            out.error_type = event.error_type
        elif isinstance(event, RunCancelled):
            out.status = RunStatus.cancelled
            if event.content is not None:
                out.content, self._chunks, self._blocks = event.content, [], []
        return event.is_terminal and top

    def _record_tool(self, tool: ToolExecution) -> None:
        tools = self._output.tools = self._output.tools or []
        for i, known in enumerate(tools):
            if known.tool_call_id and known.tool_call_id == tool.tool_call_id:
                tools[i] = tool
                return
        tools.append(tool)

    def _finish(self) -> None:
        self.text  # noqa: B018 - fold the remaining deltas into content
        if self._keep_events:
            self._output.events = self._events
        if self._on_done is not None:
            self._on_done(self._output)

    def _interrupted(
        self, why: str, original: BaseException | None = None, *, raw: str | None = None
    ) -> StreamInterruptedError:
        self.text  # noqa: B018
        self._output.interrupted = True
        if self._keep_events:
            self._output.events = self._events
        return StreamInterruptedError(
            f"{self.url}: {why}; {len(self.text)} characters of partial content are kept on error.partial",
            raw=raw,
            url=self.url,
            partial=self._output,
            original_error=original,
        )


def _after(frames: list[SSEFrame], frame: SSEFrame) -> list[SSEFrame]:
    """The frames after ``frame`` (found by identity: equal frames can repeat)."""
    index = next(i for i, f in enumerate(frames) if f is frame)
    return frames[index + 1 :]


async def _no_events() -> AsyncIterator[RunEvent]:
    return
    yield  # pragma: no cover - makes this an (empty) async generator
