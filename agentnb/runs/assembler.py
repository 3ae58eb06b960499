"""RunAssembler: folds run events into a RunOutput. No I/O; every stream of runs uses it.

The first terminal event at the top level wins (AgentOS follows RunCancelled with a RunCompleted).
"""

from __future__ import annotations

from agentnb.runs.agno_events import ReasoningContentDeltaEvent
from agentnb.runs.events import (
    RunCancelled,
    RunCompleted,
    RunContent,
    RunError,
    RunEvent,
    RunPaused,
    RunStarted,
    ToolCallCompleted,
    ToolCallStarted,
)
from agentnb.runs.models import RunOutput, RunStatus, ToolExecution

__all__ = ["RunAssembler"]

#: RunCompleted fields copied onto the output when the frame carries them.
_COMPLETED_EXTRAS = (
    "reasoning_content",
    "reasoning_steps",
    "reasoning_messages",
    "citations",
    "references",
    "additional_input",
    "model_provider_data",
    "response_audio",
)

#: Text deltas are joined into one string every this many.
_FOLD_EVERY = 1024


class RunAssembler:
    """The state of one run as its events arrive: ``output`` is the RunOutput so far."""

    def __init__(self, output: RunOutput, *, keep_events: bool = False) -> None:
        self.output = output
        self.keep_events = keep_events
        self.events: list[RunEvent] = []
        self.event_count = 0
        self.saw_started = False
        #: The event that ended the run (None while it runs).
        self.terminal: RunEvent | None = None
        #: The text deltas since the last fold, and the text before them in a few big strings: a
        #: list of one str per token would cost ~60 bytes of object per token, ten times the text.
        self._chunks: list[str] = []
        self._blocks: list[str] = []
        #: Reasoning deltas not yet added to ``output.reasoning_content`` (adding each to the field
        #: as it came copied the whole reasoning per delta: quadratic in its length).
        self._reasoning: list[str] = []

    @property
    def done(self) -> bool:
        return self.terminal is not None

    @property
    def text(self) -> str:
        """Text received so far (the joined RunContent deltas, or the final text once known)."""
        out = self.folded()
        return out.content if isinstance(out.content, str) else out.text

    def folded(self) -> RunOutput:
        """``output`` with the deltas so far joined into its content and reasoning. Each call joins
        the text so far (a copy): call it when the output is read, not per event."""
        out = self.output
        if self._reasoning:
            out.reasoning_content = (out.reasoning_content or "") + "".join(self._reasoning)
            self._reasoning = []
        if self._chunks:
            blocks = self._blocks
            blocks.append("".join(self._chunks) if len(self._chunks) > 1 else self._chunks[0])
            out.content = "".join(blocks) if len(blocks) > 1 else blocks[0]
            self._chunks, self._blocks = [], [out.content]
        return out

    def absorb(self, event: RunEvent) -> bool:
        """Fold one event into ``output``; True when it ends the run (first top-level terminal)."""
        self.event_count += 1
        if self.keep_events:
            self.events.append(event)
        out = self.output
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
                self._reasoning.append(fields["reasoning_content"])
            return False
        if isinstance(event, ReasoningContentDeltaEvent):
            # A model's reasoning streamed on its own (agno's reasoning agents): the same place as
            # a RunContent's reasoning_content, so output.reasoning_content is whole either way.
            if top and event.reasoning_content:
                self._reasoning.append(event.reasoning_content)
            return False
        if isinstance(event, RunStarted):
            self.saw_started = True
            if event.model is not None:
                out.model = event.model
                out.model_provider = event.model_provider
            out.created_at = event.created_at
        elif isinstance(event, (ToolCallStarted, ToolCallCompleted)) and event.tool is not None:
            self._record_tool(event.tool)
        elif isinstance(event, RunCompleted):
            out.status = RunStatus.completed
            if event.content is not None:
                self._set_content(event.content)
            out.content_type = event.content_type
            out.metrics = event.metrics
            out.session_state = event.session_state
            if event.metadata is not None:
                out.metadata = event.metadata
            for media in ("images", "videos", "audio", "files"):  # what the agent made, streamed or not
                if (made := getattr(event, media)) is not None:
                    setattr(out, media, made)
            # What agno's RunCompleted carries besides the text: the server's whole reasoning (it
            # replaces the deltas summed so far), its steps and messages, citations, references.
            if event.reasoning_content is not None:
                self._reasoning = []
            for name in _COMPLETED_EXTRAS:
                if (value := getattr(event, name, None)) is not None:
                    setattr(out, name, value)
        elif isinstance(event, RunPaused):
            out.status = RunStatus.paused
            self.folded()  # the deltas go into content before the canned pause text is considered
            out.tools = event.tools
            out.requirements = event.requirements
            if not out.content and event.content is not None:
                out.content = event.content
        elif isinstance(event, RunError):
            out.status = RunStatus.error
            self._set_content(event.content)
            out.error_type = event.error_type
        elif isinstance(event, RunCancelled):
            out.status = RunStatus.cancelled
            if event.content is not None:
                self._set_content(event.content)
        if event.is_terminal and top:
            self.terminal = event
            return True
        return False

    def _set_content(self, content: object) -> None:
        self.output.content, self._chunks, self._blocks = content, [], []

    def _record_tool(self, tool: ToolExecution) -> None:
        tools = self.output.tools = self.output.tools or []
        for i, known in enumerate(tools):
            if known.tool_call_id and known.tool_call_id == tool.tool_call_id:
                tools[i] = tool
                return
        tools.append(tool)

    def finish(self) -> RunOutput:
        """The output with every delta folded in (and the events, when kept)."""
        self.folded()
        if self.keep_events:
            self.output.events = self.events
        return self.output

    def interrupt(self) -> RunOutput:
        """Mark the output partial: the stream ended before its terminal event."""
        self.output.interrupted = True
        return self.finish()
