"""Notebook reprs for core models without widgets: escaped HTML and inert Markdown.

Trusted notebook outputs are not sanitised by JupyterLab, so every value from the wire is escaped
here; Markdown gets its HTML escaped and its link targets neutralised, so it can only show text.
Stdlib only: the core must not import the widget libraries.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["html_card", "markdown_card", "markdown_text"]

_MAX_BODY = 20_000
_LINK_TARGET = re.compile(r"\]\(\s*<?\s*([a-zA-Z][a-zA-Z0-9+.-]*):", re.ASCII)
_SAFE_SCHEMES = {"http", "https", "mailto"}


def _cap(text: str) -> str:
    return (
        text if len(text) <= _MAX_BODY else text[:_MAX_BODY] + f"… ({len(text) - _MAX_BODY} more characters)"
    )


def html_card(title: str, fields: Iterable[tuple[str, Any]], body: str | None = None) -> str:
    """A small bordered card: a title, key/value rows, and an escaped pre-wrapped body."""
    key_style = "color:#6b7280;padding-right:8px"
    rows = "".join(
        f'<tr><td style="{key_style}">{html.escape(k)}</td><td>{html.escape(str(v))}</td></tr>'
        for k, v in fields
        if v not in (None, "", [], {})
    )
    text = (
        ""
        if not body
        else f'<div style="white-space:pre-wrap;margin-top:4px">{html.escape(_cap(body))}</div>'
    )
    return (
        '<div style="border:1px solid #e5e7eb;border-radius:6px;padding:6px 10px">'
        f"<b>{html.escape(title)}</b><table>{rows}</table>{text}</div>"
    )


def markdown_text(text: str) -> str:
    """Agent text as Markdown that can only render as text and safe links."""
    escaped = html.escape(_cap(text), quote=False)

    def neutralise(match: re.Match[str]) -> str:
        return match.group(0) if match.group(1).lower() in _SAFE_SCHEMES else "](#blocked-"

    return _LINK_TARGET.sub(neutralise, escaped)


def markdown_card(title: str, fields: Iterable[tuple[str, Any]], body: str | None = None) -> str:
    lines = [f"**{markdown_text(title)}**", ""]
    lines += [
        f"- {markdown_text(k)}: {markdown_text(str(v))}" for k, v in fields if v not in (None, "", [], {})
    ]
    if body:
        lines += ["", markdown_text(body)]
    return "\n".join(lines)
