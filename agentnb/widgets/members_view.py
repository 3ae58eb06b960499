"""The member runs inside a team's stream (or a workflow step's agent): one collapsible section each.

A team's stream interleaves the leader's events with each member's, which carry the member's own
``run_id`` and ``parent_run_id`` (the team run's). MemberRuns folds the members' events into
sections: the member's name, its state, its own tool cards and its text. A section whose parent
is another member's run (a sub-team's member) nests inside that member's section. Everything from
the wire is escaped (names, tool arguments) or rendered as safe markdown (text).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from agentnb.runs.events import (
    RunCancelled,
    RunCompleted,
    RunContent,
    RunContinued,
    RunError,
    RunEvent,
    RunPaused,
    ToolCallCompleted,
    ToolCallError,
    ToolCallStarted,
)
from agentnb.runs.models import RunOutput, RunStatus, ToolExecution
from agentnb.widgets.render import escape, pretty_json, render_markdown

__all__ = ["MemberRun", "MemberRuns", "badge", "tool_card_html"]

#: Sections shown at most: a hostile or runaway team must not grow the widget without bound.
MAX_SECTIONS = 50

COLORS = {
    "pending": "#9ca3af",
    "running": "#2563eb",
    "done": "#16a34a",
    "paused": "#d97706",
    "waiting": "#d97706",
    "skipped": "#6b7280",
    "cancelled": "#6b7280",
    "error": "#dc2626",
    "failed": "#dc2626",
}
LABELS = {"paused": "waiting for you", "waiting": "waits for your decision"}

_STATUS = {
    RunStatus.completed: "done",
    RunStatus.paused: "paused",
    RunStatus.cancelled: "cancelled",
    RunStatus.error: "error",
}


def badge(state: str) -> str:
    color = COLORS.get(state, "#6b7280")
    return (
        f'<span class="agentnb-badge" style="background:{color};color:white;border-radius:8px;'
        f'padding:1px 8px;font-size:0.8em">{escape(LABELS.get(state, state))}</span>'
    )


def tool_card_html(tool: ToolExecution, state: str) -> str:
    """One tool call: name, state, the server's duration when it sent one, args and result."""
    duration = (tool.metrics or {}).get("duration")
    took = (
        f" · {float(duration):.2f} s"
        if isinstance(duration, int | float) and not isinstance(duration, bool)
        else ""
    )
    result = "" if tool.result is None else f"<div>result</div><pre>{pretty_json(tool.result)}</pre>"
    return (
        '<details class="agentnb-member-tool" style="border:1px solid #e5e7eb;border-radius:6px;'
        'padding:2px 8px;margin:4px 0">'
        f"<summary>tool <code>{escape(tool.tool_name)}</code> {badge(state)}{escape(took)}</summary>"
        f"<div>args</div><pre>{pretty_json(tool.tool_args or {})}</pre>{result}</details>"
    )


@dataclass
class MemberRun:
    """What the view knows of one member's run."""

    run_id: str
    name: str
    parent_run_id: str | None = None
    step_name: str | None = None
    state: str = "running"
    chunks: list[str] = field(default_factory=list)
    final: str | None = None
    error: str | None = None
    #: tool_call_id -> (the call, its state: running / done / failed / waiting)
    tools: dict[str, tuple[ToolExecution, str]] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    @property
    def text(self) -> str:
        if self.final is not None:
            return self.final
        if len(self.chunks) > 1:
            self.chunks = ["".join(self.chunks)]
        return self.chunks[0] if self.chunks else ""

    def set_tool(self, tool: ToolExecution, state: str) -> None:
        key = tool.tool_call_id or f"tool-{len(self.tools)}"
        self.tools[key] = (tool, state)


class MemberRuns:
    """Member runs by run id, in the order they started."""

    def __init__(self) -> None:
        self.runs: dict[str, MemberRun] = {}
        self.dropped = 0

    def __len__(self) -> int:
        return len(self.runs)

    def run_of(self, event: RunEvent) -> MemberRun | None:
        run_id = event.run_id or f"member-{event.agent_id or event.agent_name or '?'}"
        run = self.runs.get(run_id)
        if run is None:
            if len(self.runs) >= MAX_SECTIONS:
                self.dropped += 1
                return None
            step = event.step_name
            run = self.runs[run_id] = MemberRun(
                run_id=run_id,
                name=str(event.agent_name or event.agent_id or event.__dict__.get("team_name") or "member"),
                parent_run_id=event.parent_run_id,
                step_name=step if isinstance(step, str) else None,
            )
        return run

    def absorb(self, event: RunEvent) -> None:
        """Fold one member event into its section."""
        run = self.run_of(event)
        if run is None:
            return
        if isinstance(event, RunContent):
            if isinstance(event.content, str) and event.content:
                run.chunks.append(event.content)
        elif (
            isinstance(event, ToolCallStarted | ToolCallCompleted | ToolCallError) and event.tool is not None
        ):
            failed = isinstance(event, ToolCallError) or bool(event.tool.tool_call_error)
            run.set_tool(
                event.tool,
                "running" if isinstance(event, ToolCallStarted) else ("failed" if failed else "done"),
            )
        elif isinstance(event, RunPaused):
            run.state = "paused"
            for tool in event.tools or []:
                if tool.pause_kind is not None:
                    run.set_tool(tool, "waiting")
            for req in event.requirements or []:
                run.set_tool(req.tool_execution, "waiting")
        elif isinstance(event, RunContinued):
            run.state = "running"
        elif isinstance(event, RunCompleted):
            run.state = "done"
            if isinstance(event.content, str):
                run.final = event.content
        elif isinstance(event, RunError):
            run.state, run.error = "error", str(event.content or event.error_type or "the member failed")
        elif isinstance(event, RunCancelled):
            run.state = "cancelled"

    def add_output(
        self, output: RunOutput, *, step_name: str | None = None, parent: str | None = None
    ) -> None:
        """A finished (or paused) member run, from a TeamRunOutput's ``member_responses``."""
        if len(self.runs) >= MAX_SECTIONS:
            self.dropped += 1
            return
        run_id = output.run_id or f"member-{len(self.runs)}"
        run = MemberRun(
            run_id=run_id,
            name=str(output.agent_name or output.agent_id or getattr(output, "team_name", None) or "member"),
            parent_run_id=output.parent_run_id or parent,
            step_name=step_name,
            state=_STATUS.get(output.status, "running"),
            final=output.text,
        )
        for tool in output.tools or []:
            run.set_tool(
                tool, "waiting" if tool.is_pending else ("failed" if tool.tool_call_error else "done")
            )
        self.runs[run_id] = run
        for sub in getattr(output, "member_responses", None) or []:
            self.add_output(sub, step_name=step_name, parent=run_id)

    # -- rendering ---------------------------------------------------------------------------

    def render(
        self,
        redact: Callable[[str], str] | None = None,
        *,
        step_name: str | None = None,
        top_level: bool = True,
    ) -> str:
        """The sections of ``step_name``'s runs (None: a team's members), outermost first."""
        mine = [r for r in self.runs.values() if r.step_name == step_name]
        known = {r.run_id for r in mine}
        roots = [r for r in mine if r.parent_run_id not in known]
        body = "".join(self._section(r, mine, redact) for r in roots)
        if top_level and self.dropped and step_name is None:
            body += f'<div style="color:#6b7280"><em>{self.dropped} more member runs not shown</em></div>'
        return body

    def _section(self, run: MemberRun, pool: list[MemberRun], redact: Callable[[str], str] | None) -> str:
        children = "".join(self._section(r, pool, redact) for r in pool if r.parent_run_id == run.run_id)
        tools = "".join(tool_card_html(tool, state) for tool, state in run.tools.values())
        text = redact(run.text) if redact else run.text
        error = f'<div style="color:#dc2626">⚠ {escape(run.error)}</div>' if run.error else ""
        count = f" · {len(run.tools)} tool{'s' if len(run.tools) != 1 else ''}" if run.tools else ""
        # Open while it works or waits, folded once done so the leader's answer stands out.
        opened = "" if run.state in ("done", "cancelled") else " open"
        return (
            f'<details class="agentnb-member" data-state="{escape(run.state)}"{opened} '
            'style="border-left:3px solid #c7d2fe;margin:4px 0;padding-left:8px">'
            f"<summary>member <b>{escape(run.name)}</b> {badge(run.state)}{count}</summary>"
            f'{tools}{children}<div class="agentnb-member-text">{render_markdown(text)}</div>'
            f"{error}</details>"
        )
