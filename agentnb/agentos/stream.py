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
from typing import Any

import httpx

from agentnb._sse import DEFAULT_MAX_EVENT_BYTES, SSEDecoder, aiter_frames
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
        self._chunks: list[str] = []
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

    def __aiter__(self) -> RunStream:
        return self

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
            self._output.content = "".join(self._chunks) if len(self._chunks) > 1 else self._chunks[0]
            self._chunks = [self._output.content]
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
                frames = aiter_frames(response, decoder)
                async for frame in frames:
                    event = self._absorb(frame)
                    if event.is_terminal and event.nested_depth == 0:
                        self.terminal = event
                        await self._drain(frames)
                        self._finish()
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

    async def _drain(self, frames: AsyncIterator[Any]) -> None:
        try:
            async for frame in frames:
                self.trailing_events.append(decode_event(frame))
                if len(self.trailing_events) >= _DRAIN_LIMIT_EVENTS:
                    break
        except (httpx.TransportError, ProtocolError):
            pass  # the run already ended; what follows its terminal event is best effort

    def _absorb(self, frame: Any) -> RunEvent:
        return self._absorb_event(decode_event(frame))

    def _absorb_event(self, event: RunEvent) -> RunEvent:
        """Fold one event into ``output`` (the deltas, the tools, the terminal state)."""
        self.event_count += 1
        if self._keep_events:
            self._events.append(event)
        out = self._output
        if event.run_id and out.run_id is None and event.nested_depth == 0:
            out.run_id = event.run_id
        if event.session_id and event.nested_depth == 0:
            out.session_id = event.session_id
        if event.agent_id and not out.agent_id:
            out.agent_id = event.agent_id
        if event.agent_name and not out.agent_name:
            out.agent_name = event.agent_name
        if isinstance(event, RunContent):
            if event.nested_depth == 0 and isinstance(event.content, str):
                self._chunks.append(event.content)
            if event.reasoning_content:
                out.reasoning_content = (out.reasoning_content or "") + event.reasoning_content
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
                out.content, self._chunks = event.content, []
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
            out.content, self._chunks = event.content, []
            out.error_type = event.error_type
        elif isinstance(event, RunCancelled):
            out.status = RunStatus.cancelled
            if event.content is not None:
                out.content, self._chunks = event.content, []
        return event

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
