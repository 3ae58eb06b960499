"""Safe rendering of untrusted agent text to HTML.

markdown-it-py with ``html=False`` escapes any raw HTML in the text; links and images keep only
http(s)/mailto targets (``javascript:``, ``data:``, ``vbscript:`` and the rest become "#"), and
code blocks are highlighted by Pygments (whose output escapes the code). Everything else that
goes into a widget's HTML goes through ``escape``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

__all__ = ["SAFE_SCHEMES", "escape", "pretty_json", "render_markdown", "safe_url"]

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
#: Text longer than this is rendered as plain escaped text: markdown parsing is not free.
MAX_MARKDOWN_CHARS = 2_000_000


def escape(value: Any) -> str:
    """HTML-escape anything (quotes included) for text and attribute positions."""
    return html.escape("" if value is None else str(value), quote=True)


def safe_url(url: str) -> str:
    """``url`` if its scheme is allowed (or it is relative), else "#"."""
    cleaned = "".join(ch for ch in url.strip() if ch.isprintable() and not ch.isspace())
    scheme = urlparse(cleaned).scheme.lower()
    if scheme and scheme not in SAFE_SCHEMES:
        return "#"
    if not scheme and cleaned.startswith("//"):
        return "#"  # protocol-relative URLs reach other hosts
    return url


def _highlight(code: str, lang: str, attrs: str) -> str:
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import TextLexer, get_lexer_by_name
        from pygments.util import ClassNotFound
    except ImportError:  # Pygments ships with IPython; without it code is shown plain
        return ""
    try:
        lexer = get_lexer_by_name(lang) if lang else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    # Inline styles: no stylesheet to ship, and nothing the notebook's CSS can break.
    result: str = highlight(code, lexer, HtmlFormatter(noclasses=True, nowrap=True, style="default"))
    return result


class _SafeRenderer(RendererHTML):
    def link_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        token.attrSet("href", safe_url(str(token.attrGet("href") or "")))
        token.attrSet("rel", "noopener noreferrer nofollow")
        token.attrSet("target", "_blank")
        return self.renderToken(tokens, idx, options, env)

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        # Remote images would fetch from anywhere the agent names; show the alt text as a link.
        token = tokens[idx]
        src = safe_url(str(token.attrGet("src") or ""))
        alt = self.renderInlineAsText(token.children or [], options, env)
        link = f'<a href="{escape(src)}" rel="noopener noreferrer nofollow" target="_blank">'
        return f"{link}[image: {escape(alt)}]</a>"


def _parser() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark", {"html": False, "linkify": False, "typographer": False, "highlight": _highlight}
    )
    md.enable("table")
    md.enable("strikethrough")
    md.renderer = _SafeRenderer(md)
    # markdown-it's own validateLink already refuses javascript:/vbscript:/file:/data: (but
    # data:image); our renderer narrows that further to SAFE_SCHEMES.
    return md


_MD = _parser()


def render_markdown(text: str) -> str:
    """Untrusted markdown to safe HTML."""
    if len(text) > MAX_MARKDOWN_CHARS:
        return f"<pre>{escape(text)}</pre>"
    rendered: str = _MD.render(text)
    return rendered


def pretty_json(value: Any, limit: int = 4000) -> str:
    """Escaped, indented JSON for tool arguments and results (capped at ``limit`` characters)."""
    try:
        text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    if len(text) > limit:
        text = text[:limit] + f"\n… ({len(text) - limit} more characters)"
    return escape(text)
