"""Pieces of a StreamView's HTML: status badges, tool cards, the head and the foot (pure
functions of their data; the answer between head and foot is a LiveMarkdown).

Everything from the wire goes through ``escape`` or ``pretty_json``; colours of frames and code
come from JupyterLab's theme variables (render.STYLES), so the cards read in light and dark themes.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from agentnb.runs.models import RunOutput, RunStatus, ToolExecution
from agentnb.widgets.render import STYLES, escape, pretty_json

__all__ = [
    "BADGES",
    "ENDED",
    "FOOT_EVERY",
    "LIVE",
    "RETRYABLE",
    "ToolCard",
    "WholeHTML",
    "badge",
    "foot_html",
    "footer_html",
    "head_html",
    "state_of",
    "tool_card_html",
]

#: state -> (badge colour, label)
BADGES = {
    "waiting": ("#6b7280", "waiting"),
    "running": ("#2563eb", "running"),
    "completed": ("#16a34a", "completed"),
    "paused": ("#d97706", "waiting for you"),
    "cancelled": ("#6b7280", "cancelled"),
    "stopped": ("#6b7280", "stopped"),
    "error": ("#dc2626", "error"),
    "interrupted": ("#dc2626", "interrupted"),
}
#: States in which the kernel is still working on the view: if the kernel goes, they are stale.
LIVE = frozenset({"waiting", "running"})
#: States after which Retry is offered (when the view knows how to start the run again).
RETRYABLE = frozenset({"error", "interrupted"})
#: States after which no more text arrives in a view: its answer is closed at the next flush.
ENDED = frozenset({"completed", "paused", "cancelled", "stopped", "error", "interrupted"})
#: Seconds between footer updates while only its clock and chunk count changed.
FOOT_EVERY = 1.0
_PART_OPEN = '<div style="font-family:var(--jp-content-font-family, sans-serif)">'


@dataclass
class ToolCard:
    tool: ToolExecution
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None

    @property
    def state(self) -> str:
        if self.ended is None:
            return "running"
        return "failed" if self.tool.tool_call_error else "done"


def badge(color: str, label: str) -> str:
    return (
        f'<span style="background:{color};color:white;border-radius:8px;padding:1px 8px;'
        f'font-size:0.8em">{escape(label)}</span>'
    )


def tool_card_html(card: ToolCard) -> str:
    tool = card.tool
    color = {"running": "#2563eb", "done": "#16a34a", "failed": "#dc2626"}[card.state]
    # Only the server's timing means anything: a tool that ran on the server often reaches us
    # started and completed in one chunk, so a local clock would read "0.00 s".
    duration = (tool.metrics or {}).get("duration")
    if isinstance(duration, int | float) and not isinstance(duration, bool):
        took = f" · {float(duration):.2f} s"
    else:
        took = " · —" if card.ended is not None else ""
    pre = f'<pre style="{STYLES["pre"]}">'
    result = "" if tool.result is None else f"<div>result</div>{pre}{pretty_json(tool.result)}</pre>"
    return (
        '<details class="agentnb-tool" style="border:1px solid var(--jp-border-color2, #e5e7eb);'
        'border-radius:6px;padding:2px 8px;margin:4px 0">'
        f"<summary>tool <code>{escape(tool.tool_name)}</code> "
        f"{badge(color, card.state)}{escape(took)}</summary>"
        f"<div>args</div>{pre}{pretty_json(tool.tool_args or {})}</pre>{result}</details>"
    )


def head_html(title: str | None, reasoning: str, tools: Iterable[ToolCard], activity_html: str) -> str:
    """What sits above the answer: title, reasoning, tool cards, a team's or workflow's activity."""
    parts = [_PART_OPEN]
    if title:
        parts.append(f'<div style="color:#6b7280;font-size:0.85em">{escape(title)}</div>')
    if reasoning:
        parts.append(
            "<details><summary>Reasoning</summary>"
            f'<pre style="white-space:pre-wrap">{escape(reasoning)}</pre></details>'
        )
    parts.extend(tool_card_html(card) for card in tools)
    parts.append(activity_html)
    parts.append("</div>")
    return "".join(parts)


def foot_html(state: str, error: str | None, cancel_error: str | None, footer: str) -> str:
    """What sits below the answer: the stopped note, the error, a failed cancel, the footer."""
    parts = [_PART_OPEN]
    if state == "stopped":
        parts.append('<div style="color:#6b7280"><em>■ stopped: the text above is partial</em></div>')
    if error:
        parts.append(f'<div style="color:#dc2626;white-space:pre-wrap">⚠ {escape(error)}</div>')
    if cancel_error:
        parts.append(f'<div style="color:#d97706">cancel: {escape(cancel_error)}</div>')
    parts.append(footer)
    parts.append("</div>")
    return "".join(parts)


class _Timed(Protocol):
    """What the footer shows of a view (StreamView's attributes)."""

    state: str
    started_at: float | None
    ended_at: float | None
    first_token_at: float | None
    chunk_count: int
    run_id: str | None


def footer_html(view: _Timed, *, static: bool = False) -> str:
    """Badge · elapsed · chunks · first token · run id; ``static``: not for a live widget."""
    state, started, first_token, run_id = view.state, view.started_at, view.first_token_at, view.run_id
    chunks, ended, live = view.chunk_count, view.ended_at, view.state in LIVE and not static
    color, label = BADGES.get(state, ("#6b7280", state))
    now = ended or time.monotonic()
    bits = [badge(color, label)]
    if live:
        # Which of the two shows is up to the page's CSS (view_connection.py): a dead kernel
        # leaves this frame on screen, and it must not go on saying "running".
        gone = badge("#6b7280", "disconnected: the kernel went away, nothing is running")
        bits = [
            f'<span class="agentnb-if-connected">{bits[0]}</span>'
            f'<span class="agentnb-if-disconnected">{gone}</span>'
        ]
    if started is not None:
        bits.append(f"{now - started:.1f} s")
    bits.append(f"{chunks} chunks")
    if first_token is not None and started is not None:
        bits.append(f"first token {1000 * (first_token - started):.0f} ms")
    if run_id:
        bits.append(f"run {escape(run_id[:8])}")
    return f'<div style="color:#6b7280;font-size:0.8em;margin-top:4px">{" · ".join(bits)}</div>'


class _Renders(Protocol):
    def render_html(self) -> str: ...


class WholeHTML:
    """``view.html``: ``.value`` is the whole view rendered now (head, answer, foot in one string)."""

    def __init__(self, view: _Renders) -> None:
        self._view = view

    @property
    def value(self) -> str:
        return self._view.render_html()


def state_of(output: RunOutput) -> str:
    """The view state a finished stream ends in (an unfinished status counts as completed)."""
    return {
        RunStatus.completed: "completed",
        RunStatus.paused: "paused",
        RunStatus.cancelled: "cancelled",
        RunStatus.error: "error",
    }.get(output.status, "completed")
