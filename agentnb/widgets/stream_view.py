"""StreamView: a live output cell for one run, and ``stream()`` that shows one and returns its output.

    out = await stream(agent, "Tell me a story")     # text as it arrives, Stop button, footer

The view is three parts: a head (title, reasoning, tool cards, team/workflow activity) and a
foot (stopped note, errors, footer) as small HTML widgets, and between them the answer, a
LiveMarkdown: finished markdown blocks are rendered and sent once, only the open tail again.
Flushes are coalesced to at most one per ``interval`` (80 ms) plus one per state change; a part
whose HTML did not change sends nothing, and the footer (elapsed time, chunk count) is re-sent
at most once a second unless the state changed. The Stop button cancels the run on the server
and keeps the partial text, marked as stopped. Nothing here blocks the kernel: iteration runs in
a task on the kernel's loop, so the Stop click is handled while the stream is going.

A failed run shows its message once, in the view, with one Retry button when the view knows how
to start the run again (``stream()`` always does). The view keeps its saved form current (see
view_display.py) and shows "disconnected" once its kernel went away (view_connection.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from agentnb.errors import AgentNBError, StreamInterruptedError
from agentnb.runs.agno_events import ReasoningContentDeltaEvent, ReasoningStepEvent
from agentnb.runs.events import (
    RunCancelled,
    RunCompleted,
    RunContent,
    RunError,
    RunEvent,
    RunPaused,
    RunStarted,
    ToolCallCompleted,
    ToolCallError,
    ToolCallStarted,
)
from agentnb.runs.models import RunOutput, RunStatus
from agentnb.runs.stream import RunStream
from agentnb.widgets.activity import RunActivity
from agentnb.widgets.live_markdown import LiveMarkdown
from agentnb.widgets.throttle import DEFAULT_INTERVAL, Coalescer
from agentnb.widgets.view_connection import ConnectionWatch
from agentnb.widgets.view_display import WIDGET_VIEW, Displays
from agentnb.widgets.view_parts import (
    BADGES,
    ENDED,
    FOOT_EVERY,
    LIVE,
    RETRYABLE,
    ToolCard,
    WholeHTML,
    foot_html,
    footer_html,
    head_html,
    state_of,
)

__all__ = ["StreamView", "stream"]


class StreamView(widgets.VBox):  # type: ignore[misc]
    """A live view of one run: streamed markdown, tool cards, reasoning, a footer and Stop."""

    def __init__(
        self,
        *,
        title: str | None = None,
        interval: float = DEFAULT_INTERVAL,
        redact: Callable[[str], str] | None = None,
        retry: Callable[[], RunStream] | None = None,
        **kwargs: Any,
    ) -> None:
        self.title = title
        #: Starts the same run again (a new RunStream); with it a failed run offers Retry.
        self.retry_factory = retry
        #: Applied to text before it is shown (ChatPane hides its agent's token this way).
        self.redact = redact
        self.head = widgets.HTML(value="")
        self.answer = LiveMarkdown(redact=redact)
        self.answer.add_class("agentnb-text")  # the browser tests and readers find the answer by it
        self.foot = widgets.HTML(value="")
        self.stop_button = widgets.Button(
            description="Stop", icon="stop", button_style="warning", tooltip="Cancel the run, keep the text"
        )
        self.stop_button.on_click(self._on_stop)
        self.stop_button.add_class("agentnb-stop")
        self.retry_button = widgets.Button(
            description="Retry", icon="repeat", tooltip="Send the same prompt again"
        )
        self.retry_button.layout.display = "none"
        self.retry_button.on_click(self._on_retry)
        self.retry_button.add_class("agentnb-retry")
        self.watch = ConnectionWatch()
        parts = [self.head, self.answer, self.foot, self.stop_button, self.retry_button, self.watch]
        super().__init__(children=parts, **kwargs)
        self.add_class("agentnb-stream")
        self.state = "waiting"
        self.error: str | None = None
        self.reasoning: list[str] = []
        self.chunk_count = 0
        self.tools: dict[str, ToolCard] = {}
        self.activity = RunActivity()  # a team's member sections, a workflow's step list
        self.started_at: float | None = None
        self.first_token_at: float | None = None
        self.ended_at: float | None = None
        self.run_id: str | None = None
        self.output: RunOutput | None = None
        self.coalescer = Coalescer(self.flush, interval)
        self._final_text: str | None = None
        self._task: asyncio.Future[None] | None = None
        self._stream: RunStream | None = None
        self._agent: Any = None
        self._cancel_error: str | None = None
        self._cancel_task: asyncio.Future[None] | None = None
        self._retry_task: asyncio.Future[None] | None = None
        self.displays = Displays()
        self._foot_key: tuple[Any, ...] | None = None  # what the footer last sent was made of
        self._foot_at = 0.0  # when it was sent (time.monotonic)

    def __repr__(self) -> str:
        # ipywidgets' repr serialises every trait; keep it cheap and useful.
        return f"<StreamView {self.state} chunks={self.chunk_count}>"

    # -- text --------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        if self._final_text is not None:
            return self._final_text
        return self.answer.text  # exactly the streamed text (kept once, by the answer)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            # What a saved notebook, nbconvert or VS Code after a reload shows without the widget.
            bundle["text/html"] = self.render_html(static=True)
            bundle["text/plain"] = self.plain_text()
        return bundle

    def _ipython_display_(self) -> None:
        # display(view) and a bare `view` both come here: the output gets a display id, so that
        # the end of the run can replace it with the final state (see view_display.py).
        mimebundle = self._repr_mimebundle_  # ipywidgets sets it to None once the widget is closed
        self.displays.show((mimebundle() if callable(mimebundle) else None) or self._static_bundle())

    def _static_bundle(self) -> dict[str, Any]:
        return {"text/html": self.render_html(static=True), "text/plain": self.plain_text()}

    def settle_display(self) -> None:
        """Bring this view's outputs up to date: the final HTML and text, and the widget only if
        there is still something to click (Retry)."""
        bundle = self._static_bundle()
        if self.retry_button.layout.display != "none" and self.comm is not None:
            bundle[WIDGET_VIEW] = super()._repr_mimebundle_()[WIDGET_VIEW]
        self.displays.update(bundle)

    def plain_text(self) -> str:
        status = BADGES.get(self.state, ("", self.state))[1]
        lines = [f"[{status}]"]
        if self.text:
            lines.append(self.redact(self.text) if self.redact else self.text)
        if self.error:
            lines.append(f"error: {self.error}")
        return "\n".join(lines)

    # -- running -------------------------------------------------------------------------------

    async def run(self, stream: RunStream, agent: Any = None) -> RunOutput:
        """Consume ``stream`` into the view and return its RunOutput (partial if stopped)."""
        self._stream, self._agent = stream, agent
        self.activity.attach(agent, self.coalescer.touch)
        self._set_state("running")
        self.started_at = time.monotonic()
        self._task = asyncio.ensure_future(self._pump(stream))
        try:
            await asyncio.wait({self._task})
        except asyncio.CancelledError:
            # The cell itself was interrupted: stop the run too.
            self._task.cancel()
            await asyncio.wait({self._task})
            raise
        self.output = stream.output
        if not self._task.cancelled() and (exc := self._task.exception()) is not None:
            raise exc
        return stream.output

    async def _pump(self, stream: RunStream) -> None:
        try:
            async for event in stream:
                self.handle(event)
            self._final_text = stream.output.text
            self._set_state(state_of(stream.output))
        except asyncio.CancelledError:
            stream.output.interrupted = True
            if stream.output.status is RunStatus.running:
                stream.output.status = RunStatus.cancelled
            self._final_text = self.text
            self._set_state("stopped")
        except StreamInterruptedError as exc:
            self._final_text = self.text
            self.error = str(exc)
            self._set_state("interrupted")
            raise
        except AgentNBError as exc:
            self.error = str(exc)
            if stream.output.status is RunStatus.running:
                stream.output.status = RunStatus.error
            self._set_state("error")
            raise
        finally:
            with contextlib.suppress(Exception):
                await stream.aclose()
            self.ended_at = time.monotonic()
            self.stop_button.disabled = True
            self.stop_button.layout.display = "none"
            if self.state in RETRYABLE and self.retry_factory is not None:
                self.retry_button.disabled = False
                self.retry_button.layout.display = None
            self.coalescer.flush_now()
            self.settle_display()

    def handle(self, event: RunEvent) -> None:
        """Fold one run event into the view (coalesced; state changes flush at once)."""
        # Once per token, so first: the leader's own delta (no parent run or step: never nested).
        if type(event) is RunContent and not (event.parent_run_id or event.step_name):
            return self._content(event)
        if self.activity.absorb(event, self.run_id or (self._stream.run_id if self._stream else None)):
            return self.coalescer.touch()  # a member's or a step's: not the leader's text or state
        if isinstance(event, RunContent):
            return self._content(event)
        if isinstance(event, ReasoningContentDeltaEvent | ReasoningStepEvent) and event.reasoning_content:
            if isinstance(event, ReasoningStepEvent):  # agno's step carries the reasoning so far
                self.reasoning.clear()
            self.reasoning.append(event.reasoning_content)  # a delta: the next piece
            self.coalescer.touch()
        elif isinstance(event, RunStarted):
            self.run_id = event.run_id
            self.coalescer.flush_now()
        elif (
            isinstance(event, ToolCallStarted | ToolCallCompleted | ToolCallError) and event.tool is not None
        ):
            key = event.tool.tool_call_id or f"tool-{len(self.tools)}"
            card = self.tools.get(key) or ToolCard(event.tool)
            card.tool = event.tool
            if not isinstance(event, ToolCallStarted):
                card.ended = time.monotonic()
                if isinstance(event, ToolCallError):
                    card.tool.tool_call_error = True
            self.tools[key] = card
            self.coalescer.flush_now()
        elif isinstance(event, RunPaused):
            self._set_state("paused")
        elif isinstance(event, RunCompleted):
            if isinstance(event.content, str):
                self._final_text = event.content
            self._set_state("completed")
        elif isinstance(event, RunError):
            self.error = str(event.content or event.error_type or "the run failed")
            self._set_state("error")
        elif isinstance(event, RunCancelled):
            self._set_state("cancelled")
        if isinstance(event, RunCompleted | RunPaused | RunError | RunCancelled) and not self.running:
            self.settle_display()  # driven by hand, not by run(): this is the end too

    def _content(self, event: RunContent) -> None:
        if isinstance(event.content, str) and event.content:
            if self.first_token_at is None:
                self.first_token_at = time.monotonic()
            if self.answer.blocks.closed:  # text after an end state (rare): reopen the answer
                self.answer.reset(self.answer.text)
            self.answer.append(event.content)
            self.chunk_count += 1
        if event.reasoning_content:
            self.reasoning.append(event.reasoning_content)
        self.coalescer.touch()

    def _set_state(self, state: str) -> None:
        self.state = state
        self.coalescer.flush_now()

    def resolve(self, state: str) -> None:
        """A paused run was dealt with elsewhere (e.g. "continued" by a form): drop "waiting for you"."""
        if self.state == "paused":
            self._set_state(state)

    # -- stop ----------------------------------------------------------------------------------

    def _on_stop(self, _button: Any = None) -> None:
        """Stop: cancel the iteration now; tell the server in the background."""
        self.stop_button.disabled = True
        if self._task is not None and not self._task.done():
            self._task.cancel()
        run_id = self.run_id or (self._stream.run_id if self._stream is not None else None)
        if self._agent is not None and run_id:
            self._cancel_task = asyncio.ensure_future(self._cancel_on_server(run_id))

    def stop(self) -> None:
        """What the Stop button does, for code."""
        self._on_stop()

    # -- retry ---------------------------------------------------------------------------------

    def _on_retry(self, _button: Any = None) -> None:
        """Retry: start the same run again in this view (the button shows only after a failure)."""
        if self.retry_factory is None or self.running:
            return
        self.retry_button.disabled = True
        self.retry_button.layout.display = "none"
        self._reset()
        self.stop_button.disabled = False
        self.stop_button.layout.display = None
        self._retry_task = asyncio.ensure_future(self._rerun(self.retry_factory()))

    def retry(self) -> None:
        """What the Retry button does, for code."""
        self._on_retry()

    async def _rerun(self, stream: RunStream) -> None:
        # The view shows the outcome, failure included; nobody awaits this task, so don't raise.
        with contextlib.suppress(AgentNBError):
            await self.run(stream, agent=self._agent)

    def _reset(self) -> None:
        self.state, self.error, self._cancel_error, self._final_text = "waiting", None, None, None
        self.reasoning, self.chunk_count, self.tools = [], 0, {}
        self.started_at = self.first_token_at = self.ended_at = None
        self.run_id, self.output = None, None
        self.answer.reset()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _cancel_on_server(self, run_id: str) -> None:
        try:
            await self._agent.cancel_run(run_id)
        except AgentNBError as exc:
            # Closing the stream already makes AgentOS cancel; report, don't raise from a callback.
            self._cancel_error = str(exc)
            self.coalescer.flush_now()

    # -- rendering -----------------------------------------------------------------------------

    def flush(self) -> None:
        """Send what changed: the answer's new blocks and tail, the head and foot if they changed."""
        if self.state in ENDED:
            # No more text comes: the answer ends with exactly the final text (the server's
            # content when it replaced the stream, else what streamed).
            self.answer.close(self.text)
        else:
            self.answer.flush()
        self.head.value = self._head_html()  # traitlets sends nothing when a value is unchanged
        # The footer's clock and chunk count change at every flush: re-send it when something
        # else in it changed (state, error, run id, first token), else at most once a second.
        key = (self.state, self.error, self._cancel_error, self.run_id, self.first_token_at, self.started_at)
        now = time.monotonic()
        if key != self._foot_key or now - self._foot_at >= FOOT_EVERY or self.state not in LIVE:
            self._foot_key, self._foot_at = key, now
            self.foot.value = self._foot_html()

    @property
    def html(self) -> WholeHTML:
        """``view.html.value``: the whole view's HTML in one string (it was one widget once)."""
        return WholeHTML(self)

    def render_html(self, *, static: bool = False) -> str:
        """The view as HTML; ``static`` leaves out what only a live widget can use."""
        answer = f'<div class="agentnb-text">{self.answer.html()}</div>'
        return self._head_html() + answer + self._foot_html(static=static)

    def _head_html(self) -> str:
        activity = self.activity.render_html(self.redact)
        return head_html(self.title, "".join(self.reasoning), self.tools.values(), activity)

    def _foot_html(self, *, static: bool = False) -> str:
        return foot_html(self.state, self.error, self._cancel_error, footer_html(self, static=static))


async def stream(agent: Any, prompt: Any, *, title: str | None = None, **run_kwargs: Any) -> RunOutput:
    """Run ``prompt`` on ``agent`` in a live output cell; return the final (or partial) RunOutput.

    >>> out = await stream(agent, "Tell me a story", session_id="demo")
    """
    from IPython.display import display

    view = StreamView(title=title, retry=lambda: agent.arun(prompt, stream=True, **run_kwargs))
    display(view)  # type: ignore[no-untyped-call]
    try:
        return await view.run(agent.arun(prompt, stream=True, **run_kwargs), agent=agent)
    except AgentNBError:
        # Shown once, in the view, next to its Retry; raising would print it a second time.
        return view.output if view.output is not None else RunOutput(status=RunStatus.error)
