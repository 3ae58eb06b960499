"""Pieces of a StreamView's HTML: status badges and tool cards (pure functions of their data).

Everything from the wire goes through ``escape`` or ``pretty_json``; colours of frames and code
come from JupyterLab's theme variables (render.STYLES), so the cards read in light and dark themes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from agentnb.runs.models import ToolExecution
from agentnb.widgets.render import STYLES, escape, pretty_json

__all__ = ["BADGES", "LIVE", "RETRYABLE", "ToolCard", "badge", "tool_card_html"]

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
