"""StreamView's answer is a LiveMarkdown (issue 15): what the widgets show and send, event by event.

The events are typed objects handed to ``StreamView.handle`` (as the benchmark does), so each case
is exact: a final text that replaces the stream, a token split across chunks, text after an end.
Every comm message counts here, open messages included (finished blocks travel in them).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import comm
import pytest

from agentnb.runs.events import RunCompleted, RunContent, RunError, RunEvent, RunStarted
from agentnb.widgets.render import render_markdown
from agentnb.widgets.stream_view import StreamView
from tests.widgets.test_live_markdown import WIRE, WireComm, shown_html, wire_bytes

BASE = {"run_id": "run-1", "session_id": "s-1", "agent_id": "assistant"}


@pytest.fixture(autouse=True)
def wire(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str, Any]]]:
    monkeypatch.setattr(comm, "create_comm", lambda **kwargs: WireComm(**kwargs))
    WIRE.clear()
    yield WIRE


def content(text: str) -> RunContent:
    return RunContent(event="RunContent", content=text, **BASE)


def feed(view: StreamView, events: list[RunEvent], every: int = 7) -> list[str]:
    """Hand the events over, flushing every few chunks as the coalescer would (the tests run on
    a loop, so the coalescer only schedules; nothing here waits for its timer). Returns the text
    shown at each flush."""
    shown: list[str] = []
    for i, event in enumerate(events):
        view.handle(event)
        if i % every == every - 1:
            view.flush()
            shown.append(view.text)
    return shown


def answer_text(paragraphs: int) -> str:
    parts = [
        f"Paragraph {i} has **bold**, `code` and a [link](https://example.com/{i})."
        for i in range(paragraphs)
    ]
    parts.insert(paragraphs // 2, "```python\nprint('highlighted')\n```")
    return "\n\n".join(parts) + "\n"


async def test_a_long_answer_is_sent_block_by_block_and_ends_exact() -> None:
    text = answer_text(60)
    view = StreamView()
    pieces = [text[i : i + 5] for i in range(0, len(text), 5)]
    at_flushes = feed(view, [RunStarted(event="RunStarted", **BASE), *map(content, pieces)], every=20)
    view.handle(RunCompleted(event="RunCompleted", content=text, **BASE))
    final = render_markdown(text)
    assert view.state == "completed" and view.text == text and view.answer.blocks.closed
    assert shown_html(view.answer) == final  # what the browser shows, widget by widget
    assert final in view.render_html() and 'class="agentnb-text"' in view.render_html()
    assert view.answer.sealed > 1  # finished blocks went out in their own widgets
    assert "highlight" in final and "color:" in shown_html(view.answer)  # code still highlighted
    # what changed, not the whole answer at each flush as one HTML widget did
    whole_each_time = sum(len(render_markdown(shown)) for shown in at_flushes)
    assert len(at_flushes) > 20 and wire_bytes(WIRE) < whole_each_time / 3, (
        wire_bytes(WIRE),
        whole_each_time,
    )


async def test_a_final_text_that_replaces_the_stream_is_what_the_answer_shows() -> None:
    view = StreamView()
    feed(view, [RunStarted(event="RunStarted", **BASE), content("# Draft\n\nhello wrld, "), content("bye")])
    view.flush()
    assert "wrld" in shown_html(view.answer)
    view.handle(RunCompleted(event="RunCompleted", content="# Final\n\nhello world", **BASE))
    assert view.text == "# Final\n\nhello world"
    assert shown_html(view.answer) == render_markdown("# Final\n\nhello world")
    assert "wrld" not in view.render_html() and "Draft" not in view.plain_text()


async def test_a_final_text_that_extends_the_stream_keeps_the_sent_blocks() -> None:
    view = StreamView()
    feed(view, [RunStarted(event="RunStarted", **BASE), content("# Title\n\nfirst paragraph\n\nsecond")])
    view.flush()
    sealed_before = view.answer.sealed
    view.handle(
        RunCompleted(event="RunCompleted", content="# Title\n\nfirst paragraph\n\nsecond one", **BASE)
    )
    assert shown_html(view.answer) == render_markdown("# Title\n\nfirst paragraph\n\nsecond one")
    assert view.answer.sealed == sealed_before  # nothing re-rendered from scratch


async def test_a_token_split_across_chunks_never_reaches_the_wire() -> None:
    view = StreamView(redact=lambda text: text.replace("SECRET-TOKEN", "***"))
    chunks = ["key: SEC", "RET-", "TOKEN and more\n\n", "again SECRET", "-TOKEN.\n\n", "end"]
    feed(view, [RunStarted(event="RunStarted", **BASE), *map(content, chunks)])
    view.flush()
    view.handle(RunCompleted(event="RunCompleted", content="".join(chunks), **BASE))
    assert view.text == "".join(chunks)  # the view keeps the text; only what is shown is redacted
    assert "SECRET" not in view.render_html() and "SECRET" not in view.plain_text()
    assert "***" in shown_html(view.answer)
    # A flush that ends inside the token shows its first part ("SECRET-"), as the one-widget view
    # did: the redactor matches whole tokens. Once whole, it is never sent, in any block.
    WIRE.clear()
    view.answer.reset(view.text)
    view.answer.close()
    assert WIRE and not any("SECRET" in str(data) for _, _, data in WIRE)


async def test_text_after_an_end_state_reopens_the_answer_instead_of_failing() -> None:
    view = StreamView()
    feed(view, [RunStarted(event="RunStarted", **BASE), content("partial ")])
    view.handle(RunError(event="RunError", content="model overloaded", **BASE))
    assert view.state == "error" and view.answer.blocks.closed
    view.handle(content("late"))
    view.flush()
    assert view.text == "partial late" and shown_html(view.answer) == render_markdown("partial late")
    assert view.render_html().count("model overloaded") == 1


async def test_hostile_text_is_escaped_block_by_block() -> None:
    hostile = "<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n<img src=x onerror=alert(1)>\n\nok"
    view = StreamView()
    feed(view, [RunStarted(event="RunStarted", **BASE), *map(content, hostile)])
    view.handle(RunCompleted(event="RunCompleted", content=hostile, **BASE))
    shown = shown_html(view.answer)
    assert shown == render_markdown(hostile)
    assert "<script" not in shown and "<img" not in shown and 'href="javascript' not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown


def test_only_the_leaders_own_deltas_reach_the_answer() -> None:
    """handle() takes a shortcut for a plain RunContent: a member's delta (parent run), a step
    agent's (step name) and a delta's reasoning must still go where the long way sends them."""
    from agentnb.runs.events import RunContent, RunStarted

    view = StreamView()
    view.handle(RunStarted(event="RunStarted", run_id="lead"))
    view.handle(RunContent(event="RunContent", run_id="lead", content="Own "))
    view.handle(RunContent(event="RunContent", run_id="m1", parent_run_id="lead", content="MEMBER"))
    view.handle(RunContent(event="RunContent", run_id="s1", step_name="research", content="STEP"))
    view.handle(RunContent(event="RunContent", run_id="lead", content="text.", reasoning_content="why"))
    view.handle(RunContent(event="RunContent", run_id="lead", reasoning_content=" so"))
    view.coalescer.flush_now()
    assert view.text == "Own text." and view.chunk_count == 2
    assert view.reasoning == ["why", " so"] and "why so" in view.head.value
    assert "MEMBER" not in view.answer.html() and "STEP" not in view.answer.html()
    assert "MEMBER" in view.head.value  # the member's section, in the head
