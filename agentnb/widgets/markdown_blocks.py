"""Incremental markdown rendering: a finished block is rendered once, only the open tail again.

Re-rendering a whole streamed answer at every flush is quadratic in its length. Here the text
is cut into top-level blocks with markdown-it's own block parser (the same rules and options as
``render_markdown``), run only over the *open region*: the text after the last finished block.

A block is finished when later text can no longer change it:
* any block once a later top-level block has started on a complete line (CommonMark closes a
  block for good when a line starts another one);
* a paragraph, table, blockquote or setext heading once a blank line follows it, an ATX heading
  or a thematic break as soon as its line is complete, a fenced code block once its closing fence
  line is complete. Lists and indented code stay open across blank lines (a later indented line
  continues them) until a block of another kind starts.
Only complete lines decide: ``"```"`` without its newline may still become ``"```x`"``, a paragraph.

Every finished block is rendered alone through ``render`` (``render_markdown`` by default, so
escaping, refused link schemes and highlighting are the same) and never again. Rendering a block
alone gives the same HTML as rendering it inside the document because markdown-it's top-level
output is the concatenation of its blocks' output, and a block that starts after a closed one is
parsed by the same first-matching rule alone as in context. So at any moment::

    "".join(blocks.finished) + blocks.tail_html() == render_markdown(text_so_far)

(property-tested in tests/widgets/test_markdown_blocks.py), with two documented exceptions:

* reference-style link definitions (``[x]: https://…``) act on the whole document, before and
  after them. While streaming they are treated like any block (a ``[x]`` elsewhere shows as
  written); ``close()`` then renders the whole text once more, so the final HTML is exact.
* ``render_markdown`` shows a text over ``MAX_MARKDOWN_CHARS`` as plain text to bound parsing
  cost; blocks keep rendering as markdown (their cost is linear), each under that cap alone.

Costs: ``append`` is O(chunk); ``update`` and ``tail_html`` are O(open region), never O(text).
A single very long open block (an unclosed fence of thousands of lines, a long list) is
re-parsed and re-rendered at each update: that block, not the answer, bounds the cost.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it.token import Token

from agentnb.widgets.render import _MD, render_markdown

__all__ = ["MarkdownBlocks"]

# markdown-it's normalize rule, applied once here so line numbers match its block parser.
_NEWLINES = re.compile(r"\r\n?")
#: Blocks that cannot extend past a blank line (lists and indented code can).
_BLANK_CLOSES = frozenset({"paragraph_open", "table_open", "blockquote_open"})
#: Blocks that are finished as soon as their last line is complete.
_ONE_LINE = frozenset({"hr", "heading_open"})


class MarkdownBlocks:
    """Markdown text arriving in pieces, rendered to HTML block by block.

    >>> blocks = MarkdownBlocks()
    >>> blocks.append("# Title\\n\\nSome *text*")
    >>> blocks.update()
    ['<h1>Title</h1>\\n']
    >>> blocks.tail_html()
    '<p>Some <em>text</em></p>\\n'
    """

    def __init__(self, render: Callable[[str], str] = render_markdown) -> None:
        #: Source text -> HTML; must be ``render_markdown`` or wrap it (e.g. redact, then render).
        self.render = render
        #: HTML of every finished block, in order; an entry is never changed once added.
        self.finished: list[str] = []
        #: A reference definition was seen: ``close()`` re-renders the whole text (see module doc).
        self.has_references = False
        self.closed = False
        self._raw: list[str] = []  # exactly what was appended (``text``)
        self._open: list[str] = []  # normalised text after the last finished block
        self._cr = False  # the last append ended with "\r": a "\n" next would be the same line end
        self._dirty = False  # text arrived since the last ``update``
        self._tail: str | None = None  # cached tail HTML
        self.renders = 0  # calls of ``render``: what the property tests and benchmarks count

    # -- input ---------------------------------------------------------------------------------

    def append(self, text: str) -> None:
        """Add text (any split: mid-word, mid-line, between "\\r" and "\\n"). O(len(text))."""
        if self.closed:
            raise RuntimeError("append() after close()")
        if not text:
            return
        self._raw.append(text)
        if self._cr and text.startswith("\n"):
            text = text[1:]  # the "\r" before it was already counted as this line end
        self._cr = text.endswith("\r")
        if "\r" in text or "\0" in text:  # rare: skip the regex for the usual delta
            text = _NEWLINES.sub("\n", text).replace("\0", "\ufffd")
        self._open.append(text)
        self._dirty = True
        self._tail = None

    @property
    def text(self) -> str:
        """Exactly the text appended so far."""
        if len(self._raw) > 1:
            self._raw = ["".join(self._raw)]
        return self._raw[0] if self._raw else ""

    # -- output --------------------------------------------------------------------------------

    def update(self) -> list[str]:
        """Finish every block that later text can no longer change; return their HTML."""
        if not self._dirty or self.closed:
            return []
        self._dirty = False
        region = self._region()
        end = region.rfind("\n") + 1  # only complete lines decide where blocks end
        if end == 0:
            return []
        cut = self._finished_end(region[:end])
        if cut == 0:
            return []
        new = self._render_blocks(region[:cut])
        self._open = [region[cut:]] if cut < len(region) else []
        self._tail = None
        return new

    def tail_html(self) -> str:
        """The open region rendered (cached until the next ``append``)."""
        if self._tail is None:
            region = self._region()
            self._scan_references(region)
            self._tail = self._render(region) if region.strip(" \t\n") else ""
        return self._tail

    def html(self) -> str:
        """Everything so far: the finished blocks and the open tail."""
        return "".join(self.finished) + self.tail_html()

    def close(self) -> bool:
        """No more text: finish the open region. True if ``finished`` was rebuilt wholesale.

        That happens only when a reference definition was seen: then ``finished`` becomes one
        entry, ``render(text)``, so the final HTML is exactly what a one-shot render gives.
        """
        if self.closed:
            return False
        self.update()
        region = self._region()
        self._scan_references(region)
        if region.strip(" \t\n"):
            self._render_blocks(region)
        self._open = []
        self._tail = ""
        self.closed = True
        if self.has_references:
            self.finished = [self._render(self.text)]
            return True
        return False

    # -- internals -----------------------------------------------------------------------------

    def _region(self) -> str:
        if len(self._open) > 1:
            self._open = ["".join(self._open)]
        return self._open[0] if self._open else ""

    def _scan_references(self, source: str) -> None:
        # A definition on the last, incomplete line is not seen by ``update``. "]:" is in every
        # definition, so the block parser runs only when it may find one.
        if not self.has_references and "]:" in source:
            env: dict[str, object] = {}
            _MD.block.parse(source, _MD, env, [])
            self.has_references = bool(env.get("references"))

    def _render(self, source: str) -> str:
        self.renders += 1
        return self.render(source)

    def _render_blocks(self, source: str) -> list[str]:
        html = self._render(source)
        if not html:
            return []  # blank lines or reference definitions only: nothing to show
        self.finished.append(html)
        return [html]

    def _finished_end(self, lines_text: str) -> int:
        """Length of the prefix of ``lines_text`` (complete lines) made of finished blocks."""
        env: dict[str, object] = {}
        tokens: list[Token] = []
        _MD.block.parse(lines_text, _MD, env, tokens)
        if env.get("references"):
            self.has_references = True
        tops = [t for t in tokens if t.level == 0 and t.nesting >= 0 and t.map is not None]
        if not tops:
            return 0
        lines = lines_text.split("\n")[:-1]  # the text ends with "\n": drop the empty last piece
        last = tops[-1]
        assert last.map is not None
        # A closed last block takes the trailing blank lines with it; else every block before it.
        finished_until = len(lines) if _is_closed(last, lines) else last.map[0]
        return sum(len(line) + 1 for line in lines[:finished_until])


def _is_closed(token: Token, lines: list[str]) -> bool:
    """Whether the last top-level block can no longer grow, whatever text follows."""
    assert token.map is not None
    start, end = token.map
    if token.type in _ONE_LINE:
        return True  # ATX heading, setext heading (ends at its underline), thematic break
    if token.type == "fence":
        return end - start >= 2 and _closes_fence(lines[end - 1], token.markup)
    if token.type in _BLANK_CLOSES:
        return any(not line.strip(" \t") for line in lines[end:])
    return False


def _closes_fence(line: str, markup: str) -> bool:
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return False
    run = len(stripped) - len(stripped.lstrip(markup[0]))
    return run >= len(markup) and not stripped[run:].strip(" \t")
