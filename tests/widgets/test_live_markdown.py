"""LiveMarkdown at the Python level: what goes over the comms (opens, updates, closes), exact text.

The shared conftest's recording comm drops the state a widget sends when it opens; here every
message counts, because LiveMarkdown sends finished blocks in new widgets' open messages.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterator
from typing import Any

import comm
import pytest

from agentnb.widgets.live_markdown import LiveMarkdown
from agentnb.widgets.render import render_markdown

WIRE: list[tuple[str, str, Any]] = []  # (kind, comm id, data)
IDS = itertools.count()  # not id(self): a closed comm's id() may be reused by a new one


class WireComm:
    kernel = "Truthy"

    def __init__(self, **kwargs: Any) -> None:
        self.comm_id = kwargs.get("comm_id") or f"c{next(IDS):031d}"
        WIRE.append(("open", self.comm_id, kwargs.get("data")))

    def open(self, *args: Any, **kwargs: Any) -> None:
        pass

    def on_msg(self, *args: Any, **kwargs: Any) -> None:
        pass

    def on_close(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send(self, data: Any = None, metadata: Any = None, buffers: Any = None) -> None:
        WIRE.append(("send", self.comm_id, data))

    def close(self, *args: Any, **kwargs: Any) -> None:
        WIRE.append(("close", self.comm_id, None))


@pytest.fixture(autouse=True)
def wire(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str, Any]]]:
    monkeypatch.setattr(comm, "create_comm", lambda **kwargs: WireComm(**kwargs))
    WIRE.clear()
    yield WIRE


def wire_bytes(messages: list[tuple[str, str, Any]]) -> int:
    return sum(len(json.dumps(data, default=str, separators=(",", ":"))) for _, _, data in messages)


def shown_html(live: LiveMarkdown) -> str:
    """What the browser shows: every HTML widget's value, walking the children in order."""
    parts: list[str] = []

    def walk(widget: Any) -> None:
        if hasattr(widget, "children"):
            for child in widget.children:
                walk(child)
        else:
            parts.append(widget.value)

    walk(live)
    return "".join(parts)


def answer(paragraphs: int) -> str:
    return "".join(
        f"Paragraph {i} has **bold** and `code` words.\n\n"
        + ("- a list item\n- another\n\n```py\nx = 1\n```\n\n" if i % 10 == 9 else "")
        for i in range(paragraphs)
    )


def stream_into(live: LiveMarkdown, text: str, chunk: int = 7, flush_every: int = 12) -> None:
    """``chunk``-character deltas, a flush every ``flush_every`` deltas (as a Coalescer would)."""
    for n, start in enumerate(range(0, len(text), chunk)):
        live.append(text[start : start + chunk])
        if n % flush_every == flush_every - 1:
            live.flush()
            if n % (flush_every * 16) == flush_every - 1:  # a full render costs: check every 16th
                assert shown_html(live) == live.blocks.render(live.text)  # (redacted) one-shot


def test_streamed_answer_shows_exactly_the_one_shot_render_and_keeps_the_exact_text() -> None:
    text = answer(120)
    live = LiveMarkdown()
    stream_into(live, text)
    live.close()
    assert live.text == live.value == text
    assert shown_html(live) == render_markdown(text) == live.html()
    assert live.plain_text() == text
    live.flush()  # a late coalesced flush after the end changes nothing
    assert shown_html(live) == render_markdown(text)


def test_each_finished_block_is_sent_once_and_bytes_stay_within_three_times_the_html(
    wire: list[tuple[str, str, Any]],
) -> None:
    text = answer(300)
    live = LiveMarkdown()
    created = len(wire)
    # 6-character deltas at 1,000/s and one flush per 80 ms: the benchmark's pace
    stream_into(live, text, chunk=6, flush_every=80)
    live.close()
    sent = wire[created:]
    final = render_markdown(text)
    opens = [json.dumps(data) for kind, _, data in sent if kind == "open"]
    for i in range(0, 300, 7):
        # the tail showed it while it was open; once finished, one sealed widget carries it,
        # or, for the last blocks (still waiting to be sealed at the end), the final tail does
        sealed_in = sum(f"Paragraph {i} has" in o for o in opens)
        assert sealed_in == 1 or (sealed_in == 0 and f"Paragraph {i} has" in live.tail.value), i
    assert wire_bytes(sent) <= 3 * len(final)
    # one update per flush for the tail at most, one sealed widget per flush at most
    flushes = math.ceil(len(text) / 6 / 80)
    tail_updates = [d for kind, cid, d in sent if kind == "send" and cid == live.tail.comm.comm_id]
    assert len(tail_updates) <= flushes + 1
    assert live.sealed <= flushes


def test_children_stay_bounded_and_in_order_when_books_are_compacted(
    wire: list[tuple[str, str, Any]],
) -> None:
    text = answer(300)
    live = LiveMarkdown(page_size=2, max_books=2)
    stream_into(live, text, chunk=200, flush_every=1)  # every other flush seals a widget
    live.close()
    assert live.sealed > 2 * 2 * 2 * 4  # compaction happened, several levels deep
    assert shown_html(live) == render_markdown(text)
    books = live.sealed  # an upper bound on how many books there ever were
    assert len(live.children) <= 2 + math.log2(books) + 1
    assert all(len(getattr(w, "children", ())) <= 2 for w in live.children)  # books of 2 pages
    closed = {cid for kind, cid, _ in wire if kind == "close"}
    live_ids = {w.comm.comm_id for w in live.children} | {
        c.comm.comm_id for w in live.children for c in getattr(w, "children", ())
    }
    assert closed and not closed & live_ids  # retired widgets are closed, shown ones are not


def test_a_reference_definition_ends_as_one_exact_render() -> None:
    text = "See [the docs][d].\n\nMore.\n\n" * 5 + "[d]: https://docs.test\n"
    live = LiveMarkdown()
    stream_into(live, text, chunk=3, flush_every=2)
    live.close()
    assert shown_html(live) == render_markdown(text)
    assert live.children == (live.tail,) and 'href="https://docs.test"' in live.tail.value


def test_close_with_the_servers_text() -> None:
    live = LiveMarkdown()
    stream_into(live, answer(5))
    live.close(answer(6))  # the server's text goes on: only the rest is added
    assert live.text == answer(6) and shown_html(live) == render_markdown(answer(6))
    other = LiveMarkdown()
    stream_into(other, answer(5))
    other.close("Something else entirely.\n\n- with a list")
    assert other.text == "Something else entirely.\n\n- with a list"
    assert shown_html(other) == render_markdown(other.text) and other.children == (other.tail,)
    assert other.blocks.closed and live.blocks.closed
    other.close("Third text")  # after the end too: the authoritative text wins
    assert other.text == "Third text" and other.blocks.closed and shown_html(other) == "<p>Third text</p>\n"
    other.close()  # closing twice changes nothing
    assert other.text == "Third text" and shown_html(other) == "<p>Third text</p>\n"


def test_redacted_tokens_never_reach_the_wire(wire: list[tuple[str, str, Any]]) -> None:
    secret = "sk-live-0123456789"
    live = LiveMarkdown(redact=lambda s: s.replace(secret, "•••"))
    stream_into(live, f"The key is {secret}.\n\n" * 30 + f"tail {secret}", chunk=4, flush_every=3)
    live.flush()
    live.close()
    assert secret not in json.dumps([data for _, _, data in wire], default=str)
    assert secret not in live.plain_text() and secret not in repr(live)
    assert live.text.count(secret) == 31  # the exact text is kept, only what is shown is redacted


def test_hostile_text_is_escaped_on_the_wire(wire: list[tuple[str, str, Any]]) -> None:
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3))\n\n'
    live = LiveMarkdown()
    stream_into(live, hostile * 20, chunk=3, flush_every=2)
    live.close()
    on_wire = json.dumps([data for _, _, data in wire], default=str)
    assert "<script" not in on_wire and "<img" not in on_wire and 'href=\\"javascript' not in on_wire
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in on_wire


def test_mimebundle_falls_back_to_the_whole_answer() -> None:
    live = LiveMarkdown("# Title\n\nSome *text*")
    bundle = live._repr_mimebundle_()
    assert bundle["text/plain"] == "# Title\n\nSome *text*"
    assert render_markdown("# Title\n\nSome *text*") in bundle["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_setting_value_replaces_the_answer() -> None:
    live = LiveMarkdown()
    stream_into(live, answer(40))
    live.value = "fresh *start*"
    assert live.text == "fresh *start*" and shown_html(live) == render_markdown("fresh *start*")
    live.append(" and more")
    live.close()
    assert shown_html(live) == render_markdown("fresh *start* and more")


def test_flush_without_new_text_sends_nothing(wire: list[tuple[str, str, Any]]) -> None:
    live = LiveMarkdown()
    live.append("one paragraph\n\ntwo")
    live.flush()
    before = len(wire)
    live.flush()
    live.flush()
    assert len(wire) == before
