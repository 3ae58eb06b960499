"""TraceView: one AgentOS trace as a collapsible span tree with a waterfall timeline.

Each span is an HTML ``<details>`` row: its name, type and duration, and a bar placed on the
trace's time axis (a waterfall, as tracing UIs draw it). Clicking a row opens its attributes
(input, output, error, metadata). Everything from the wire is escaped and capped. The same HTML
is the widget's value and its ``text/html`` repr, so a saved notebook still shows the tree.

>>> TraceView(await agent.db.get_trace(trace_id))
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import ipywidgets as widgets

from agentnb.agentos.db_models import TraceDetail, TraceNode
from agentnb.widgets.render import escape

__all__ = ["TraceView", "trace_html", "trace_text"]

#: Longest attribute text shown per field; the rest is cut with a note.
ATTRIBUTE_CHARS = 4000
#: Spans drawn at most; a larger trace says how many were left out.
MAX_SPANS = 500
_COLORS = {"AGENT": "#4c78a8", "TEAM": "#4c78a8", "LLM": "#f58518", "TOOL": "#54a24b", "WORKFLOW": "#b279a2"}

_STYLE = """<style>
.anb-trace{font-family:var(--jp-ui-font-family,sans-serif);font-size:13px}
.anb-trace details{margin:0}.anb-trace summary{cursor:pointer;list-style:none;display:flex;
align-items:center;gap:6px;padding:2px 0;border-bottom:1px solid #eee}
.anb-trace .name{flex:0 0 38%;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.anb-trace .dur{flex:0 0 80px;text-align:right;color:#555}
.anb-trace .lane{flex:1;position:relative;height:12px;background:#f5f5f5}
.anb-trace .bar{position:absolute;top:1px;height:10px;min-width:2px;border-radius:2px}
.anb-trace .err .name{color:#c00}.anb-trace table{margin:4px 0 6px 24px;border-collapse:collapse}
.anb-trace td{vertical-align:top;padding:1px 6px}.anb-trace pre{margin:0;white-space:pre-wrap;
max-height:200px;overflow:auto}
</style>"""


def _cap(text: str) -> str:
    if len(text) <= ATTRIBUTE_CHARS:
        return text
    return text[:ATTRIBUTE_CHARS] + f"\n… ({len(text) - ATTRIBUTE_CHARS} more characters not shown)"


def _attribute_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=1, default=str)


def _span_times(node: TraceNode, origin: datetime | None, total_s: float) -> tuple[float, float]:
    """Left offset and width of a span's bar, in percent of the trace."""
    if origin is None or node.start_time is None or total_s <= 0:
        return 0.0, 100.0
    start = (node.start_time - origin).total_seconds()
    end = (node.end_time - origin).total_seconds() if node.end_time is not None else start
    left = min(max(start / total_s * 100.0, 0.0), 100.0)
    width = min(max((end - start) / total_s * 100.0, 0.3), 100.0 - left)
    return left, width


def _span_html(node: TraceNode, depth: int, origin: datetime | None, total_s: float, open_: bool) -> str:
    left, width = _span_times(node, origin, total_s)
    color = _COLORS.get((node.type or "").upper(), "#888")
    failed = (node.status or "").upper() == "ERROR" or bool(node.error)
    rows = []
    for label, value in (
        ("type", node.type),
        ("status", node.status),
        ("start", node.start_time.isoformat() if node.start_time else None),
        ("input", node.input),
        ("output", node.output),
        ("error", node.error),
        ("metadata", node.metadata),
        ("extra", node.extra_data),
    ):
        if value in (None, "", {}, []):
            continue
        rows.append(
            f"<tr><td>{escape(label)}</td><td><pre>{escape(_cap(_attribute_text(value)))}</pre></td></tr>"
        )
    indent = depth * 14
    return (
        f'<details class="anb-span{" err" if failed else ""}"{" open" if open_ else ""} data-span-id="'
        f'{escape(node.id)}"><summary><span class="name" style="padding-left:{indent}px" title="'
        f'{escape(node.name)}">{escape(node.name or node.id)}</span><span class="dur">'
        f'{escape(node.duration or "")}</span><span class="lane"><span class="bar" style="left:'
        f'{left:.2f}%;width:{width:.2f}%;background:{color}"></span></span></summary>'
        f"<table>{''.join(rows)}</table></details>"
    )


def trace_html(trace: TraceDetail, *, open_spans: frozenset[str] = frozenset(), version: int = 0) -> str:
    """The trace as escaped HTML: a header and one collapsible row per span, depth first.

    ``version`` changes the markup without changing the picture: the browser opens and closes
    ``<details>`` by itself, so "Close all" must send HTML that differs from what was sent first.
    """
    origin = trace.start_time
    total_s = (
        (trace.end_time - trace.start_time).total_seconds()
        if trace.start_time is not None and trace.end_time is not None
        else 0.0
    )
    spans = trace.spans()
    shown = spans[:MAX_SPANS]
    rows = "".join(_span_html(n, d, origin, total_s, n.id in open_spans) for d, n in shown)
    more = f"<div>… {len(spans) - MAX_SPANS} more spans not drawn</div>" if len(spans) > MAX_SPANS else ""
    header = (
        f"<div><b>{escape(trace.name or trace.trace_id)}</b> · {escape(trace.status or '')} · "
        f"{escape(trace.duration or '')} · {len(spans)} spans · "
        f"trace <code>{escape(trace.trace_id)}</code></div>"
    )
    return f'{_STYLE}<div class="anb-trace" data-version="{version}">{header}{rows}{more}</div>'


def trace_text(trace: TraceDetail) -> str:
    """The span tree as indented plain text (the repr where HTML is not shown)."""
    lines = [f"Trace {trace.trace_id} {trace.name or ''} ({trace.status or '?'}, {trace.duration or '?'})"]
    for depth, node in trace.spans()[:MAX_SPANS]:
        lines.append(f"{'  ' * (depth + 1)}{node.name or node.id} [{node.type or '?'}] {node.duration or ''}")
    return "\n".join(lines)


class TraceView(widgets.VBox):  # type: ignore[misc]
    """A trace's span tree with a waterfall; buttons open or close every span's attributes."""

    def __init__(self, trace: TraceDetail, **kwargs: Any) -> None:
        if not isinstance(trace, TraceDetail):
            raise TypeError("TraceView takes a TraceDetail: await db.get_trace(trace_id) without span_id")
        self.trace = trace
        self._version = 0
        self.tree = widgets.HTML(trace_html(trace))
        self.expand_button = widgets.Button(
            description="Open all", icon="plus-square", tooltip="Show every span's attributes"
        )
        self.collapse_button = widgets.Button(description="Close all", icon="minus-square")
        self.expand_button.on_click(lambda _b: self.expand_all())
        self.collapse_button.on_click(lambda _b: self.collapse_all())
        super().__init__([widgets.HBox([self.expand_button, self.collapse_button]), self.tree], **kwargs)

    def expand_all(self) -> None:
        self._version += 1
        every = frozenset(n.id for _, n in self.trace.spans())
        self.tree.value = trace_html(self.trace, open_spans=every, version=self._version)

    def collapse_all(self) -> None:
        self._version += 1
        self.tree.value = trace_html(self.trace, version=self._version)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        data = dict(bundle or {})
        # Saved notebooks lose widget state: the static tree keeps the picture.
        data["text/html"] = self.tree.value
        data["text/plain"] = trace_text(self.trace)
        return data
