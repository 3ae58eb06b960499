"""Safe rendering of untrusted agent text to HTML.

markdown-it-py with ``html=False`` escapes any raw HTML in the text; links and images keep only
http(s)/mailto targets (``javascript:``, ``data:``, ``vbscript:`` and the rest become "#"), and
code blocks are highlighted by Pygments (whose output escapes the code). Everything else that
goes into a widget's HTML goes through ``escape``.

Tables, code blocks and inline code carry inline styles made of JupyterLab's theme variables
(``--jp-border-color1``, ``--jp-layout-color2``, ``--jp-mirror-editor-*``) with a light fallback:
an ipywidgets HTML widget gets none of JupyterLab's rendered-markdown CSS, inline styles survive
every front end, and the variables make the same HTML readable in the light and dark themes.
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

__all__ = ["SAFE_SCHEMES", "STYLES", "escape", "pretty_json", "render_markdown", "safe_url"]

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

_BORDER = "var(--jp-border-color1, #d0d7de)"
_CODE_BACKGROUND = "var(--jp-layout-color2, #f3f4f6)"
_CODE_COLOR = "var(--jp-content-font-color1, #1f2937)"
#: Inline styles by element; table cells keep markdown-it's own ``text-align`` in front of them.
STYLES = {
    "table": "border-collapse:collapse;margin:0.5em 0",
    "th": f"border:1px solid {_BORDER};padding:3px 8px;background:{_CODE_BACKGROUND};font-weight:bold",
    "td": f"border:1px solid {_BORDER};padding:3px 8px",
    "pre": (
        f"background:{_CODE_BACKGROUND};color:{_CODE_COLOR};border:1px solid {_BORDER};"
        "border-radius:4px;padding:6px 8px;overflow-x:auto;white-space:pre"
    ),
    "code": f"background:{_CODE_BACKGROUND};color:{_CODE_COLOR};border-radius:3px;padding:0 3px",
}
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


def _theme_style() -> Any:
    """A Pygments style whose colours are JupyterLab's editor colours (light or dark, whichever is on).

    Pygments splits a style on spaces, hence no space after the comma in ``var(--x,#fallback)``.
    """
    from pygments.style import Style
    from pygments.token import Comment, Error, Generic, Keyword, Name, Number, Operator, String

    def var(name: str, fallback: str) -> str:
        return f"var(--jp-mirror-editor-{name}-color,{fallback})"

    class JupyterThemeStyle(Style):  # type: ignore[misc]
        styles = {  # noqa: RUF012 - Pygments reads this class attribute
            Comment: "italic " + var("comment", "#3d7b7b"),
            Comment.Preproc: var("meta", "#9c6500"),
            Keyword: "bold " + var("keyword", "#008000"),
            Operator: var("operator", "#666666"),
            Operator.Word: "bold " + var("keyword", "#aa22ff"),
            Name.Builtin: var("builtin", "#008000"),
            Name.Function: var("def", "#0000ff"),
            Name.Class: "bold " + var("def", "#0000ff"),
            Name.Decorator: var("meta", "#aa22ff"),
            Name.Tag: "bold " + var("tag", "#008000"),
            Name.Attribute: var("attribute", "#687822"),
            Name.Variable: var("variable-2", "#19177c"),
            String: var("string", "#ba2121"),
            Number: var("number", "#666666"),
            Generic.Heading: "bold " + var("header", "#000080"),
            Generic.Deleted: var("error", "#a00000"),
            Generic.Inserted: var("string-2", "#008400"),
            Error: var("error", "#ff0000"),
        }

    return JupyterThemeStyle


def _highlight(code: str, lang: str, attrs: str) -> str:
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import TextLexer, get_lexer_by_name
        from pygments.util import ClassNotFound
    except ImportError:  # Pygments ships with IPython; without it code is shown plain
        return ""
    global _STYLE
    if _STYLE is None:
        _STYLE = _theme_style()
    try:
        lexer = get_lexer_by_name(lang) if lang else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    # Inline styles: no stylesheet to ship, and nothing the notebook's CSS can break.
    result: str = highlight(code, lexer, HtmlFormatter(noclasses=True, nowrap=True, style=_STYLE))
    return result


_STYLE: Any = None


def _styled(html_text: str, tag: str) -> str:
    """Put STYLES[tag] on the opening ``<tag`` that starts ``html_text``."""
    opening = f"<{tag}"
    if not html_text.startswith(opening):
        return html_text
    return f'{opening} style="{STYLES[tag]}"{html_text[len(opening) :]}'


class _SafeRenderer(RendererHTML):
    def link_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        token.attrSet("href", safe_url(str(token.attrGet("href") or "")))
        token.attrSet("rel", "noopener noreferrer nofollow")
        token.attrSet("target", "_blank")
        return self.renderToken(tokens, idx, options, env)

    def table_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        tokens[idx].attrSet("style", STYLES["table"])
        return self.renderToken(tokens, idx, options, env)

    def th_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return self._cell(tokens, idx, options, env, "th")

    def td_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return self._cell(tokens, idx, options, env, "td")

    def _cell(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType, tag: str) -> str:
        token = tokens[idx]
        align = str(token.attrGet("style") or "")  # markdown-it's "text-align:right" for ---:
        token.attrSet("style", f"{align};{STYLES[tag]}" if align else STYLES[tag])
        return self.renderToken(tokens, idx, options, env)

    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        rendered = _styled(super().fence(tokens, idx, options, env), "pre")
        # JupyterLab's rendered-HTML CSS gives every <code> a background of its own; inside a
        # block it would draw a second, darker band behind each line.
        return rendered.replace("<code", '<code style="background:transparent;padding:0"', 1)

    def code_block(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return _styled(super().code_block(tokens, idx, options, env), "pre")

    def code_inline(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return _styled(super().code_inline(tokens, idx, options, env), "code")

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
    # Its default, said once: markdown-it asks for it in every inline block and a missing key is
    # a KeyError raised and caught each time (options are a Mapping whose .get relies on that).
    md.options["strikethrough_single_tilde"] = False
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
