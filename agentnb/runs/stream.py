"""RunStream: a streamed run over any protocol, yielding run events and assembling a RunOutput.

    async with agent.arun("Tell me a story", stream=True) as stream:
        async for event in stream:
            ...
        output = stream.output          # the assembled RunOutput

Each protocol brings a RunReader (frames in, run events out); the engine in ``_stream`` does the
I/O, and the RunAssembler here folds the events. Leaving the ``async with`` (or ``break``)
closes the HTTP response; AgentOS sees the disconnect and cancels the run.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence

from agentnb._sse import DEFAULT_MAX_EVENT_BYTES, SSEFrame
from agentnb._stream import EventStream, ResponseOpener
from agentnb.runs.assembler import RunAssembler
from agentnb.runs.events import RunContent, RunEvent
from agentnb.runs.models import RunOutput

__all__ = ["RunReader", "RunStream"]


class RunReader:
    """The part of a FrameReader every run stream shares: the assembler and the result."""

    def __init__(self, output: RunOutput, *, keep_events: bool = False) -> None:
        self.assembler = RunAssembler(output, keep_events=keep_events)
        #: What the server sent after the terminal event (read, kept, never yielded).
        self.trailing_events: list[RunEvent] = []

    @property
    def event_count(self) -> int:
        return self.assembler.event_count

    def read(self, frame: SSEFrame, out: deque[RunEvent]) -> bool:
        raise NotImplementedError

    def read_trailing(self, frame: SSEFrame) -> None:
        raise NotImplementedError

    def read_body(self, body: bytes, content_type: str) -> Sequence[RunEvent]:
        raise NotImplementedError

    def at_end(self) -> str | None:
        raise NotImplementedError

    def result(self) -> RunOutput:
        return self.assembler.folded()

    def finish(self) -> RunOutput:
        return self.assembler.finish()

    def interrupt(self) -> RunOutput:
        return self.assembler.interrupt()

    def text_of(self, event: RunEvent) -> str | None:
        if isinstance(event, RunContent) and isinstance(event.content, str):
            return event.content
        return None


class RunStream(EventStream[RunEvent, RunOutput]):
    """A streamed run: iterate it for typed events; ``output`` is the RunOutput so far."""

    reader: RunReader

    def __init__(
        self,
        reader: RunReader,
        opener: ResponseOpener,
        *,
        url: str,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
        on_done: Callable[[RunOutput], None] | None = None,
    ) -> None:
        super().__init__(reader, opener, url=url, max_event_bytes=max_event_bytes, on_done=on_done)

    @property
    def output(self) -> RunOutput:
        """The run as received so far (its content and reasoning too); complete once the stream
        has ended. Each read joins the text so far: read it when needed, not per event."""
        return self.reader.result()

    @property
    def run_id(self) -> str | None:
        return self.output.run_id

    @property
    def session_id(self) -> str | None:
        return self.output.session_id

    @property
    def text(self) -> str:
        """Text received so far (the joined RunContent deltas, or the final text once known)."""
        return self.reader.assembler.text

    @property
    def terminal(self) -> RunEvent | None:
        """The event that ended the run (RunCompleted, RunPaused, RunError or RunCancelled)."""
        return self.reader.assembler.terminal

    @property
    def trailing_events(self) -> list[RunEvent]:
        return self.reader.trailing_events

    async def get_final_output(self) -> RunOutput:
        """Read the rest of the stream and return the final RunOutput (agno's name)."""
        return await self.until_done()
