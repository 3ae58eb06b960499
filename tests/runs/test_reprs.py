"""Notebook reprs of core models: useful, and inert whatever the agent sent."""

from __future__ import annotations

import re

import pytest

from agentnb import AgentCard, RunContent, RunOutput, StreamEvent, TaskResult
from agentnb.a2a import Artifact, Part

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> [click](javascript:alert(3)) <style>*{display:none}</style>'


def objects() -> list[object]:
    return [
        RunOutput(run_id="r1", content=HOSTILE, status="COMPLETED"),
        RunContent(event="RunContent", content=HOSTILE, run_id="<b>r</b>"),
        TaskResult(
            task_id="t1",
            status="completed",
            content=HOSTILE,
            artifacts=[
                Artifact(
                    artifact_id="a", name=HOSTILE, parts=[Part.of_file(content=b"x", mime_type="text/plain")]
                )
            ],
        ),
        StreamEvent(event_type="content", content=HOSTILE),
        AgentCard(name=HOSTILE, description=HOSTILE, skills=[{"name": HOSTILE, "description": HOSTILE}]),
    ]


@pytest.mark.parametrize("obj", objects(), ids=lambda o: type(o).__name__)
def test_html_repr_escapes_everything(obj: object) -> None:
    html = obj._repr_html_()  # type: ignore[attr-defined]
    assert "<script" not in html and "<img" not in html and "<style" not in html and 'onerror="' not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("obj", objects(), ids=lambda o: type(o).__name__)
def test_markdown_repr_is_inert(obj: object) -> None:
    md = obj._repr_markdown_()  # type: ignore[attr-defined]
    assert "<script" not in md and "<img" not in md and "<style" not in md
    assert not re.search(r"\]\(\s*javascript:", md, re.I) and "](#blocked-" in md


def test_repr_shows_status_and_pending_tools() -> None:
    paused = RunOutput.from_wire(
        {
            "run_id": "r1",
            "status": "PAUSED",
            "tools": [{"tool_call_id": "c", "tool_name": "rm", "requires_confirmation": True}],
        }
    )
    html = paused._repr_html_()
    assert "PAUSED" in html and "paused: rm" in html and "needs confirm() or reject()" in html
    assert "[click](https://x.org)" in RunOutput(content="[click](https://x.org)")._repr_markdown_()
