"""PushView: a task's pushed updates, live (``client.push_receiver()`` on one side, a widget here).

    async with client.push_receiver(task_id) as inbox:
        view = PushView(inbox)      # display(view); it fills as updates arrive
        await view.done()           # or leave it running and go on with the notebook

It consumes the inbox on the kernel's running loop (never blocking it), coalesces redraws (at most
one per ~80 ms, plus one per state change and one at the end), escapes everything from the wire,
and keeps only the last ``max_lines`` lines.
"""

from __future__ import annotations

import asyncio
import html
from typing import Any

import ipywidgets as widgets

from agentnb.a2a.models import StreamEvent
from agentnb.a2a.push import PushInbox
from agentnb.widgets.throttle import DEFAULT_INTERVAL, Coalescer

__all__ = ["PushView"]

_LINE_CHARS = 300


class PushView(widgets.VBox):  # type: ignore[misc]
    """A live list of the StreamEvents a PushInbox receives, with the task's latest state."""

    def __init__(self, inbox: PushInbox, *, max_lines: int = 200, interval: float = DEFAULT_INTERVAL) -> None:
        self.inbox = inbox
        self.max_lines = max_lines
        self.lines: list[str] = []
        self.state = "waiting"
        self.events = 0
        self.header = widgets.HTML()
        self.updates = widgets.HTML(layout=widgets.Layout(max_height="240px", overflow="auto"))
        super().__init__([self.header, self.updates])
        self.coalescer = Coalescer(self.flush, interval)
        self.flush()
        self._task: asyncio.Future[None] | None = None
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop (a plain script): call ``await view.done()`` from one
        self._task = asyncio.ensure_future(self._pump())

    def __repr__(self) -> str:
        return f"<PushView {self.state} events={self.events}>"

    async def done(self) -> None:
        """Wait until the task's updates end (a terminal or interrupted state)."""
        if self._task is None:
            self._task = asyncio.ensure_future(self._pump())
        await asyncio.wait({self._task})

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _pump(self) -> None:
        try:
            async for event in self.inbox:
                self.add(event)
        finally:
            self.coalescer.flush_now()

    def add(self, event: StreamEvent) -> None:
        """One pushed event: a line in the log; a state change redraws at once."""
        self.events += 1
        text = event.content or ""
        line = f"{event.event_type}: {text}" if text else event.event_type
        self.lines.append(line[:_LINE_CHARS] + ("…" if len(line) > _LINE_CHARS else ""))
        del self.lines[: -self.max_lines]
        new_state = event.state.value if event.state is not None else self.state
        if new_state != self.state:
            self.state = new_state
            self.coalescer.flush_now()
        else:
            self.coalescer.touch()

    def flush(self) -> None:
        refused = f", {len(self.inbox.refused)} refused" if self.inbox.refused else ""
        dropped = f", {self.inbox.dropped} dropped" if self.inbox.dropped else ""
        self.header.value = (
            f"<b>pushed updates</b> · {html.escape(self.state)} · {self.events} events{refused}{dropped}"
        )
        self.updates.value = "<br>".join(html.escape(line) for line in self.lines)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/plain"] = "\n".join([f"[{self.state}] {self.events} pushed events", *self.lines])
        return bundle
