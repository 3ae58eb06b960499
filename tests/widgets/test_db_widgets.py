"""TraceView and KnowledgePanel in Python: trait values, comm messages, Button.click()."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

import pytest

from agentnb import KnowledgePanel, RemoteAgent, TraceView
from agentnb.agentos.db_models import TraceDetail
from agentnb.agentos.knowledge_models import SearchResult
from agentnb.widgets.knowledge_panel import result_cards
from agentnb.widgets.trace_view import MAX_SPANS, trace_text
from tests.peers.agentos import AgentOSPeer
from tests.widgets.conftest import updates

HOSTILE = '<img src=x onerror="alert(1)">'


def _trace(spans: int = 2, name: str = "Memory_Agent.arun") -> TraceDetail:
    children: list[dict[str, Any]] = [
        {
            "id": f"span-{i}",
            "name": f"tool-{i}" if i else HOSTILE,
            "type": "TOOL",
            "duration": "30ms",
            "start_time": f"2026-01-01T00:00:00.{100 + i:03d}Z",
            "end_time": f"2026-01-01T00:00:00.{130 + i:03d}Z",
            "status": "OK",
            "input": HOSTILE,
            "output": "x" * 10_000,
            "metadata": {"k": HOSTILE},
        }
        for i in range(spans)
    ]
    root = {
        "id": "root",
        "name": name,
        "type": "AGENT",
        "duration": "600ms",
        "start_time": "2026-01-01T00:00:00Z",
        "end_time": "2026-01-01T00:00:00.600Z",
        "status": "OK",
        "spans": children,
    }
    return TraceDetail.from_wire(
        {
            "trace_id": "t1",
            "name": name,
            "status": "OK",
            "duration": "600ms",
            "start_time": "2026-01-01T00:00:00Z",
            "end_time": "2026-01-01T00:00:00.600Z",
            "total_spans": spans + 1,
            "error_count": 0,
            "tree": [root],
        }
    )


def test_trace_view_draws_every_span_escaped_with_a_waterfall() -> None:
    view = TraceView(_trace())
    html = view.tree.value
    assert HOSTILE not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert html.count('class="anb-span') == 3
    assert "left:0.00%;width:100.00%" in html  # the root spans the whole trace
    assert "left:16.67%;width:5.00%" in html  # tool-0: starts at 100 ms of 600, lasts 30
    assert "more characters not shown" in html  # a 10,000-character output is capped
    assert " open" not in html


def test_open_all_and_close_all_buttons_send_one_update_each() -> None:
    view = TraceView(_trace())
    before = len(updates(view.tree, "value"))
    view.expand_button.click()
    assert view.tree.value.count(" open data-span-id") == 3
    view.collapse_button.click()
    assert " open data-span-id" not in view.tree.value
    view.collapse_button.click()  # again: spans opened in the browser must close too
    assert len(updates(view.tree, "value")) == before + 3


def test_trace_view_repr_keeps_the_tree_for_saved_notebooks() -> None:
    trace = _trace()
    bundle = TraceView(trace)._repr_mimebundle_()
    assert bundle is not None
    assert bundle["text/html"].count('class="anb-span') == 3
    assert bundle["text/plain"] == trace_text(trace)
    assert bundle["text/plain"].splitlines()[1].startswith("  Memory_Agent.arun [AGENT]")
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_a_huge_trace_is_capped_and_says_so() -> None:
    html = TraceView(_trace(spans=MAX_SPANS + 20)).tree.value
    assert html.count('class="anb-span') == MAX_SPANS and "21 more spans not drawn" in html


def test_trace_view_refuses_a_single_span() -> None:
    with pytest.raises(TypeError, match="TraceDetail"):
        TraceView(_trace().tree[0])  # type: ignore[arg-type]


def test_result_cards_escape_and_show_scores() -> None:
    html = result_cards(
        [SearchResult(content=HOSTILE, name=HOSTILE, reranking_score=0.5, meta_data={"source": HOSTILE})]
    )
    assert HOSTILE not in html and "score 0.500" in html
    assert "No results" in result_cards([])


@pytest.mark.peer
def test_knowledge_panel_search_and_upload_with_clicks(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="knowledge-agent")
    knowledge = agent.knowledge
    assert knowledge is not None
    panel = KnowledgePanel(knowledge, max_results=2)

    panel.query.value = "support hours CET"  # Enter in the box: the search runs
    assert [h.name for h in panel.hits][:1] == ["support-hours"]
    assert panel.results.value.count("anb-card'") == 2 and "score " in panel.results.value

    word = "zq" + uuid.uuid4().hex[:10]
    panel.upload_button.click()
    assert "Choose files first" in panel.status.value
    panel.upload.value = (
        {
            "name": "note.txt",
            "type": "text/plain",
            "size": 40,
            "content": f"The {word} is red.".encode(),
            "last_modified": datetime.now(timezone.utc),
        },
    )
    panel.upload_button.click()
    assert list(panel.uploads.values()) == ["completed"]
    assert "note.txt: completed" in panel.status.value and panel.upload.value == ()

    panel.query.value = word
    panel.search_button.click()
    assert word in panel.hits[0].content
    for content_id in panel.uploads:
        knowledge.delete_content_by_id_sync(content_id)
