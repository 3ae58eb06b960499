"""A chat transcript leaving the kernel: JSON / Markdown exports, a download link, saved-notebook text.

Everything here runs the transcript through a redactor first: tokens never reach an exported
file, a link or the notebook. The download is an ``<a download>`` with a ``data:`` URL built from
our own bytes (base64), so the browser saves it where the reader chooses, with no file left in the
kernel's working folder and no server route needed.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from agentnb.widgets.render import escape, render_markdown

__all__ = ["download_link", "redactor", "transcript_html", "transcript_json", "transcript_markdown"]

#: Bigger downloads would bloat the widget state that carries the link; write a file instead.
MAX_DOWNLOAD_BYTES = 8_000_000

_MIME = {"json": "application/json", "md": "text/markdown"}
_WHO = {"user": "You", "agent": "Agent", "error": "Error"}


#: A ``Bearer <credential>`` anywhere in a text, any case.
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")


def redactor(token: str | None) -> Callable[[str], str]:
    """A function that hides ``token`` and any ``Bearer ...`` value in a text."""

    def redact(text: str) -> str:
        if token:
            text = text.replace(token, "[redacted]")
        # A live answer is redacted at every flush: the case-insensitive search costs ~6x a
        # lower() and "in", and no text without "bearer" in it (in any case) can match.
        if "bearer" not in text.lower():
            return text
        return _BEARER.sub(r"\1[redacted]", text)

    return redact


def transcript_json(
    meta: dict[str, Any], messages: Sequence[dict[str, Any]], redact: Callable[[str], str]
) -> str:
    return redact(json.dumps({**meta, "messages": list(messages)}, indent=2, ensure_ascii=False))


def transcript_markdown(
    agent_id: str, messages: Sequence[dict[str, Any]], redact: Callable[[str], str]
) -> str:
    lines = [f"# Chat with {agent_id}", ""]
    for entry in messages:
        who = _WHO.get(entry["role"], entry["role"])
        lines += [f"**{who}** · {entry['time']}", "", entry["text"], ""]
    return redact("\n".join(lines))


def safe_filename(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("._") or "chat"


def download_link(filename: str, kind: str, content: str) -> str:
    """HTML for a link that makes the browser save ``content`` as ``filename``."""
    data = content.encode("utf-8")
    if len(data) > MAX_DOWNLOAD_BYTES:
        raise ValueError(f"the transcript is {len(data)} bytes; pass export_dir= to write it to a file")
    encoded = base64.b64encode(data).decode("ascii")
    href = f"data:{_MIME.get(kind, 'text/plain')};charset=utf-8;base64,{encoded}"
    return (
        f'<a class="agentnb-download" download="{escape(filename)}" href="{href}">'
        f"⬇ download {escape(filename)}</a>"
    )


def transcript_plain(title: str, messages: Sequence[dict[str, Any]], redact: Callable[[str], str]) -> str:
    """The transcript as text: what a saved notebook shows where HTML is not rendered."""
    lines = [title]
    for entry in messages:
        lines += ["", f"{_WHO.get(entry['role'], entry['role'])} · {entry['time'][11:19]}", entry["text"]]
    return redact("\n".join(lines))


def transcript_html(title: str, messages: Sequence[dict[str, Any]], redact: Callable[[str], str]) -> str:
    """The transcript as safe HTML (markdown answers rendered, everything else escaped)."""
    parts = [f'<div class="agentnb-chat-fallback"><div><b>{escape(title)}</b></div>']
    for entry in messages:
        role = entry["role"]
        text = redact(entry["text"])
        stamp = f"{_WHO.get(role, role).lower()} · {entry['time'][11:19]}"
        if role == "agent":
            body = render_markdown(text)
            style = "background:#f3f4f6;margin:4px 15% 4px 0"
        elif role == "user":
            body = f'<div style="white-space:pre-wrap">{escape(text)}</div>'
            style = "background:#dbeafe;margin:4px 0 4px 15%"
        else:
            body = f'<div style="color:#dc2626">⚠ {escape(text)}</div>'
            style = "margin:4px 0"
        parts.append(
            f'<div style="{style};border-radius:10px;padding:4px 10px">{body}'
            f'<div style="color:#6b7280;font-size:0.75em">{escape(stamp)}</div></div>'
        )
    parts.append("</div>")
    return "".join(parts)
