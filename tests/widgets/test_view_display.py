"""A StreamView's own output: shown with a display id, replaced by its final HTML and text at the end.

Runs a real IPython shell whose display publisher records what the kernel would send.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.display import display
from IPython.utils.capture import RichOutput, capture_output

from agentnb import RemoteAgent
from agentnb.errors import AgentNBError
from agentnb.runs.events import RunCompleted, RunContent
from agentnb.widgets.stream_view import StreamView
from agentnb.widgets.view_connection import DISCONNECTED_CLASSES, ConnectionWatch
from agentnb.widgets.view_display import WIDGET_VIEW

BASE = "http://agentos.test"


@pytest.fixture
def shell() -> Iterator[InteractiveShell]:
    created = not InteractiveShell.initialized()
    instance = InteractiveShell.instance()
    yield instance
    if created:
        InteractiveShell.clear_instance()


def sse(*events: dict[str, Any]) -> bytes:
    return b"".join(f"event: {e['event']}\ndata: {json.dumps(e)}\n\n".encode() for e in events)


def answering_agent(text: str) -> RemoteAgent:
    async def body() -> AsyncIterator[bytes]:
        yield sse({"event": "RunStarted", "run_id": "r1", "session_id": "s1"})
        yield sse({"event": "RunContent", "run_id": "r1", "content": text})
        await asyncio.sleep(0)
        yield sse({"event": "RunCompleted", "run_id": "r1", "content": text})

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())

    return RemoteAgent(BASE, agent_id="a", prefetch_config=False, transport=httpx.MockTransport(handler))


def refusing_agent() -> RemoteAgent:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    return RemoteAgent(BASE, agent_id="a", prefetch_config=False, transport=httpx.MockTransport(handler))


def display_ids(outputs: list[RichOutput]) -> list[str]:
    return [str((o.transient or {}).get("display_id")) for o in outputs]


async def test_display_view_shows_a_live_widget_then_saves_the_final_state(shell: InteractiveShell) -> None:
    view = StreamView(title="by hand")
    with capture_output() as captured:
        display(view)  # what `display(view)` in a cell does
        shown = captured.outputs[0]
        assert shown.update is False and WIDGET_VIEW in shown.data
        assert shown.data["text/plain"] == "[waiting]" and "agentnb-text" in shown.data["text/html"]
        await view.run(answering_agent("the **final** answer").arun("go", stream=True))
    final = captured.outputs[-1]
    assert len(captured.outputs) == 2 and final.update is True
    assert display_ids(captured.outputs) == [display_ids([shown])[0]] * 2 and "None" not in display_ids(
        [shown]
    )
    # The saved output needs no kernel: no widget, the final text and status as HTML and text.
    assert WIDGET_VIEW not in final.data
    assert final.data["text/plain"] == "[completed]\nthe **final** answer"
    assert "<strong>final</strong>" in final.data["text/html"] and "completed" in final.data["text/html"]
    assert "agentnb-if-disconnected" not in final.data["text/html"]  # nothing live in a saved page


async def test_a_bare_view_as_the_last_expression_goes_through_the_same_display(
    shell: InteractiveShell,
) -> None:
    view = StreamView()
    with capture_output() as captured:
        shell.displayhook(view)  # a cell ending in `view`
        view.handle(RunContent(event="RunContent", content="hand fed"))
        view.handle(RunCompleted(event="RunCompleted", content="hand fed"))  # no run(): the end anyway
    assert [o.update for o in captured.outputs] == [False, True]
    assert "hand fed" in captured.outputs[1].data["text/plain"]


async def test_a_failed_run_keeps_the_widget_for_its_retry_button(shell: InteractiveShell) -> None:
    agent = refusing_agent()
    view = StreamView(retry=lambda: agent.arun("go", stream=True))
    with capture_output() as captured:
        display(view)
        with contextlib.suppress(AgentNBError):
            await view.run(agent.arun("go", stream=True), agent=agent)
    final = captured.outputs[-1]
    assert final.update is True and WIDGET_VIEW in final.data  # Retry must stay clickable
    assert final.data["text/plain"].startswith("[error]\nerror: ") and "⚠" in final.data["text/html"]


def test_outside_ipython_a_view_publishes_nothing() -> None:
    view = StreamView()
    view.settle_display()  # no display was made: nothing to update, nothing printed
    assert view.displays.ids == []


def test_a_live_view_carries_both_badges_and_the_watch_that_picks_one() -> None:
    view = StreamView()
    view.state = "running"
    live, static = view.render_html(), view.render_html(static=True)
    assert "agentnb-if-connected" in live and "disconnected: the kernel went away" in live
    assert "disconnected" not in static
    view.state = "completed"
    assert "disconnected" not in view.render_html()  # a finished view is not stale
    assert any(isinstance(child, ConnectionWatch) for child in view.children)
    assert "agentnb-stop" in view.stop_button._dom_classes and "agentnb-stream" in view._dom_classes
    css = ConnectionWatch._css
    for name in DISCONNECTED_CLASSES:
        assert f".agentnb-stream.{name} .agentnb-stop" in css
        assert f".agentnb-stream.{name} .agentnb-if-disconnected" in css
