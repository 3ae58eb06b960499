"""LiveMarkdown: a streamed markdown answer whose finished blocks are sent to the browser once.

    live = LiveMarkdown()
    live.append("# Title\\n\\nSome te")     # cheap: buffers only
    live.flush()                            # at most every 80 ms (a Coalescer calls it)
    live.close(final_text)                  # the end: exact text, nothing left open

A widget trait update always carries its whole value, so one HTML widget re-rendered at each
flush sends the answer again and again (quadratic bytes and CPU). Here the answer is split by
``MarkdownBlocks``: finished blocks are shown in a single *tail* widget with the open block
(re-rendered and re-sent at each flush) until they weigh enough and have been there for one
flush (``SEAL_BYTES``, ``SEAL_AT_ONCE_BYTES``); then they become ONE new HTML widget (their HTML
sent once more, in the widget's open message, never again).

Bounded children: sealed widgets sit in pages (a VBox of at most ``page_size``, 8), pages in
books (a VBox of at most ``page_size`` pages), books in this VBox. Adding a widget to a container
re-sends the container's child ids, so this keeps that at 8 ids whatever the answer's length.
Past ``max_books`` books the oldest is compacted into one HTML widget (its HTML sent once more)
and compacted widgets of equal weight merge pairwise, like a binary counter: at most
``max_books + log2(books)`` children here, each byte re-sent at most once per merge level. An
answer under ~2,000 flushes (160 s at one flush per 80 ms) never compacts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
from ipywidgets.widgets.widget_string import HTMLStyle
from traitlets import default

from agentnb.widgets.markdown_blocks import MarkdownBlocks
from agentnb.widgets.render import render_markdown

__all__ = ["LiveMarkdown"]

#: Finished blocks wait in the tail widget until they weigh this much, then get their own widget:
#: a new widget costs ~0.5 KB of state and child ids, so slow streams batch a few flushes.
SEAL_BYTES = 384
#: ... and until they have been in the tail for one flush already, unless they weigh this much.
#: A new widget is also the dearest CPU of a flush (~0.3-0.5 ms: traitlets, its open message and
#: its page's new child list), so a fast stream (~1.2 KB of HTML per flush at 1,000 chunks/s)
#: seals every other flush; the blocks re-sent once more in the tail cost ~10% more bytes.
SEAL_AT_ONCE_BYTES = 4096


class _SealedHTML(widgets.HTML):  # type: ignore[misc]
    """An HTML widget whose value is set once: its open message carries only what is not default.

    The front end fills every other trait with the same defaults (empty description, no tooltip,
    no classes), so leaving them out of the ~500-byte open message changes nothing it shows.
    """

    @default("keys")
    def _default_keys(self) -> list[str]:
        names = ("model_module", "model_module_version", "model_name", "view_module", "view_module_version")
        return [f"_{name}" for name in names] + ["_view_name", "layout", "style", "value"]


class LiveMarkdown(widgets.VBox):  # type: ignore[misc]
    """A markdown answer that grows: finished blocks are sent once, the open tail per flush."""

    def __init__(
        self,
        text: str = "",
        *,
        redact: Callable[[str], str] | None = None,
        page_size: int = 8,
        max_books: int = 32,
        **kwargs: Any,
    ) -> None:
        if page_size < 1 or max_books < 1:
            raise ValueError("page_size and max_books must be at least 1")
        #: Applied to the source of every block before rendering (tokens never reach the HTML).
        self.redact = redact
        self.page_size = page_size
        self.max_books = max_books
        # One Layout and one style shared by every sealed widget and page: a new widget would
        # otherwise open two more comms (and send their state) each time.
        self._html_layout = widgets.Layout(margin="0")
        self._html_style = HTMLStyle()
        self._page_layout = widgets.Layout(margin="0")
        self.tail = widgets.HTML(value="", layout=self._html_layout, style=self._html_style)
        self.tail.add_class("agentnb-md-tail")
        #: Compacted widgets (oldest first) with their weight in books, then the live books.
        self._compacted: list[tuple[widgets.HTML, int]] = []
        self._books: list[widgets.VBox] = []
        self._retired: list[widgets.Widget] = []  # closed after the children no longer show them
        self._pending: list[str] = []  # finished blocks shown in the tail until they are sealed
        self.blocks = self._new_blocks()
        self.sealed = 0  # sealed HTML widgets made so far (what the tests and benchmark count)
        super().__init__(children=[self.tail], **kwargs)
        self.add_class("agentnb-markdown")
        if text:
            self.append(text)
            self.flush()

    def __repr__(self) -> str:
        # ipywidgets' repr serialises every trait: keep it cheap (and free of the text).
        state = "closed" if self.blocks.closed else "open"
        return f"<LiveMarkdown {state} chars={len(self.text)} children={len(self.children)}>"

    # -- text ----------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """Exactly the text appended so far (or given to ``close``)."""
        return self.blocks.text

    @property
    def value(self) -> str:
        """The same as ``text``; setting it replaces the whole answer."""
        return self.blocks.text

    @value.setter
    def value(self, text: str) -> None:
        self.reset(text)

    def plain_text(self) -> str:
        """The answer as text (redacted), for saved notebooks and transcripts."""
        return self.redact(self.text) if self.redact else self.text

    def html(self) -> str:
        """The whole answer's HTML as the browser shows it (every widget's value, in order)."""
        return self.blocks.html()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            # What a saved notebook, nbconvert or a front end without the widget manager shows.
            bundle["text/plain"] = self.plain_text()
            bundle["text/html"] = f'<div class="agentnb-markdown">{self.html()}</div>'
        return bundle

    # -- streaming -----------------------------------------------------------------------------

    def append(self, text: str) -> None:
        """Add streamed text; nothing is rendered or sent until ``flush``."""
        self.blocks.append(text)

    def flush(self) -> None:
        """Send what changed: newly finished blocks (one new widget) and the open tail."""
        if self.blocks.closed:
            return  # a late coalesced flush: the tail now holds the last blocks, keep them
        waited = bool(self._pending)  # some blocks were already shown in the tail by a flush
        self._pending += self.blocks.update()
        size = sum(map(len, self._pending))
        if size >= SEAL_AT_ONCE_BYTES or (waited and size >= SEAL_BYTES):
            self._seal("".join(self._pending))
            self._pending = []
        # traitlets sends nothing if the value is unchanged
        self.tail.value = "".join(self._pending) + self.blocks.tail_html()

    def close(self, final_text: str | None = None) -> None:
        """The answer is complete (``final_text``, if given, is the authoritative whole text)."""
        if final_text is not None and final_text != self.text:
            if final_text.startswith(self.text) and not self.blocks.closed:
                self.blocks.append(final_text[len(self.text) :])
            else:  # the server's text is not what streamed: show the server's
                self.reset(final_text)
        if self.blocks.closed:
            return
        before = len(self.blocks.finished) - len(self._pending)
        if self.blocks.close():
            # A reference definition: the whole answer was rendered once more, as one block.
            self._clear()
            self.tail.value = self.blocks.finished[0]
            return
        # The last blocks stay in the tail widget: one update instead of a new widget.
        self.tail.value = "".join(self.blocks.finished[before:])

    def reset(self, text: str = "") -> None:
        """Replace the whole answer (and reopen it if it was closed)."""
        self._clear()
        self._pending = []
        self.blocks = self._new_blocks()
        self.tail.value = ""
        if text:
            self.append(text)
            self.flush()

    # -- widgets -------------------------------------------------------------------------------

    def _new_blocks(self) -> MarkdownBlocks:
        redact = self.redact
        if redact is None:
            return MarkdownBlocks()
        return MarkdownBlocks(lambda source: render_markdown(redact(source)))

    def _sealed_widget(self, html: str) -> widgets.HTML:
        widget = _SealedHTML(value=html, layout=self._html_layout, style=self._html_style)
        self.sealed += 1
        return widget

    def _seal(self, html: str) -> None:
        widget = self._sealed_widget(html)
        book = self._books[-1] if self._books else None
        page = book.children[-1] if book is not None else None
        if page is not None and len(page.children) < self.page_size:
            page.children = (*page.children, widget)
            return
        page = widgets.VBox(children=(widget,), layout=self._page_layout)
        if book is not None and len(book.children) < self.page_size:
            book.children = (*book.children, page)
            return
        self._books.append(widgets.VBox(children=(page,), layout=self._page_layout))
        if len(self._books) > self.max_books:
            self._compact()
        self._relayout()

    def _compact(self) -> None:
        """Oldest book -> one widget; then merge equal-weight neighbours (a binary counter)."""
        book = self._books.pop(0)
        leaves = [leaf for page in book.children for leaf in page.children]
        html = "".join(leaf.value for leaf in leaves)
        self._retired += [*leaves, *book.children, book]
        self._compacted.append((self._sealed_widget(html), 1))
        while len(self._compacted) >= 2 and self._compacted[-1][1] == self._compacted[-2][1]:
            (older, weight), (newer, _) = self._compacted[-2], self._compacted[-1]
            merged = self._sealed_widget(older.value + newer.value)
            self._retired += [older, newer]
            self._compacted[-2:] = [(merged, 2 * weight)]

    def _relayout(self) -> None:
        self.children = (*(w for w, _ in self._compacted), *self._books, self.tail)
        retired, self._retired = self._retired, []
        for widget in retired:
            widget.close()  # frees the comm and the kernel-side model

    def _clear(self) -> None:
        self._retired += [w for w, _ in self._compacted]
        for book in self._books:
            self._retired += [leaf for page in book.children for leaf in page.children]
            self._retired += [*book.children, book]
        self._compacted, self._books = [], []
        self._relayout()
