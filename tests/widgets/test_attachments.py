"""AttachmentBar and the media view in Python, and attachments end to end against the real peers."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from agentnb import A2AClient, File, Image, RemoteAgent, RunOutput, TaskResult
from agentnb.a2a.models import Artifact, Part
from agentnb.demo.media_agents import picture_png
from agentnb.widgets import AttachmentBar, MediaView, media_html, save_media, thumbnails_html
from agentnb.widgets.media_view import media_items
from tests.peers.a2a_peers import A2APeer
from tests.peers.agentos import AgentOSPeer
from tests.widgets.conftest import updates

PNG = picture_png(8)
HOSTILE = '<img src=x onerror=alert(1)>".txt'


def pick(upload: Any, *files: tuple[str, bytes, str]) -> None:
    """What the browser's file picker sends: the FileUpload's new state, decoded as from the comm."""
    value = [
        {"name": n, "type": t, "size": len(c), "content": memoryview(c), "last_modified": 1_700_000_000_000}
        for n, c, t in files
    ]
    upload.set_state({"value": value})


# --------------------------------------------------------------------------- the bar


def test_picking_files_makes_escaped_chips_and_empties_the_picker() -> None:
    changes: list[int] = []
    bar = AttachmentBar(on_change=lambda b: changes.append(len(b.attachments)))
    pick(bar.upload, ("notes.txt", b"hello\nworld", "text/plain"), (HOSTILE, b"x", ""))
    assert [a.name for a in bar.attachments] == ["notes.txt", HOSTILE]
    assert bar.attachments[1].mime_type == "text/plain"  # no browser type: guessed from the name
    assert bar.upload.value == ()  # picking the same file again is a change again
    assert "notes.txt" in bar.chips.value and "11 B" in bar.chips.value
    assert (
        "<img src=x" not in bar.chips.value and "&lt;img src=x onerror=alert(1)&gt;&quot;" in bar.chips.value
    )
    assert changes[-1] == 2 and bar.clear_button.layout.display == ""
    sent = len(updates(bar.chips, "value"))
    bar.clear_button.click()
    assert bar.attachments == [] and bar.chips.value == "" and changes[-1] == 0
    assert len(updates(bar.chips, "value")) == sent + 1 and bar.clear_button.layout.display == "none"


def test_caps_refuse_clearly_and_keep_the_rest() -> None:
    bar = AttachmentBar(max_files=2, max_bytes=1000, max_total_bytes=1500)
    assert bar.add("a.txt", b"a" * 900) is True
    assert bar.add("big.bin", b"b" * 1001) is False
    assert bar.refusals == ["refused big.bin: 1001 B is over the 1000 B limit per file"]
    assert "refused big.bin" in bar.notice.value
    assert bar.add("b.txt", b"b" * 700) is False
    assert bar.refusals == ["refused b.txt: all files together would be 1.6 KB, over 1.5 KB"]
    bar.add("c.txt", b"c")
    assert bar.add("d.txt", b"d") is False and bar.refusals == ["refused d.txt: at most 2 files per message"]
    assert [a.name for a in bar.attachments] == ["a.txt", "c.txt"]
    bar.add("e.txt", b"e")  # a new change clears the old refusal line
    assert bar.notice.value.count("refused") == 1


def test_run_kwargs_sort_media_by_kind() -> None:
    bar = AttachmentBar()
    bar.add("p.png", PNG, "image/png")
    bar.add("s.wav", b"RIFF", "audio/wav")
    bar.add("m.mp4", b"\0\0", "video/mp4")
    bar.add("n.txt", b"hi", "text/plain")
    kwargs = bar.run_kwargs()
    assert sorted(kwargs) == ["audio", "files", "images", "videos"]
    (image,) = kwargs["images"]
    assert isinstance(image, Image) and image.content == PNG and image.filename == "p.png"
    assert isinstance(kwargs["files"][0], File) and kwargs["files"][0].mime_type == "text/plain"
    assert AttachmentBar().run_kwargs() == {}


def test_thumbnails_inline_only_safe_image_types() -> None:
    bar = AttachmentBar()
    bar.add("p.png", PNG, "image/png")
    bar.add("evil.svg", b"<svg onload=alert(1)>", "image/svg+xml")
    html = thumbnails_html(bar.attachments)
    assert html.count("<img") == 1 and f"data:image/png;base64,{base64.b64encode(PNG).decode()}" in html
    assert "data:image/svg" not in html and "evil.svg" in html and "<svg" not in html


# --------------------------------------------------------------------------- media the agent returns


def test_media_html_shows_images_and_files_and_refuses_unsafe_links(tmp_path: Path) -> None:
    output = RunOutput(
        run_id="r",
        images=[
            {"content": base64.b64encode(PNG).decode(), "mime_type": "image/png", "id": "pic"},
            {"url": "https://example.org/cat.jpg", "mime_type": "image/jpeg"},
            {"url": "javascript:alert(1)", "mime_type": "image/png"},
            {"content": base64.b64encode(b"<svg onload=alert(1)>").decode(), "mime_type": "image/svg+xml"},
        ],
        files=[
            {"url": "https://example.org/report.pdf", "filename": HOSTILE},
            {"url": "data:text/html,<script>alert(1)</script>", "filename": "x.html"},
        ],
    )
    html = media_html(output)
    assert f"data:image/png;base64,{base64.b64encode(PNG).decode()}" in html
    assert '<img class="agentnb-media-image" alt="cat.jpg" src="https://example.org/cat.jpg"' in html
    assert "javascript:" not in html and "data:text/html" not in html and "data:image/svg" not in html
    assert "<svg" not in html and "<script" not in html and "<img src=x" not in html
    assert 'href="https://example.org/report.pdf"' in html and 'rel="noopener noreferrer"' in html
    assert html.count("the link is not http(s)") == 2
    view = MediaView(output)
    assert view.value == html and "agentnb-media-view" in view._dom_classes
    assert repr(view) == "<MediaView 6 item(s)>"  # not the base64 of every image
    paths = save_media(output, tmp_path)
    assert [p.name for p in paths] == ["image.png", "image.svg"] and paths[0].read_bytes() == PNG
    assert [p.name for p in save_media(output, tmp_path)] == [
        "image-2.png",
        "image-2.svg",
    ]  # never overwrites
    assert media_html(RunOutput(run_id="r")) == ""


def test_media_html_reads_a2a_file_artifacts() -> None:
    result = TaskResult(
        task_id="t",
        artifacts=[
            Artifact(artifact_id="a", name="chart", parts=[Part.of_file(content=PNG, mime_type="image/png")]),
            Artifact(
                artifact_id="b",
                name="report.txt",
                parts=[Part.of_file(content=b"hello", mime_type="text/plain")],
            ),
        ],
    )
    items = media_items(result)
    assert [(i.name, i.mime_type) for i in items] == [
        ("chart.png", "image/png"),
        ("report.txt", "text/plain"),
    ]
    html = media_html(RunOutput(run_id="t", a2a=result))
    assert html.count("<img") == 1 and "report.txt" in html and "5 B" in html


# --------------------------------------------------------------------------- end to end


@pytest.mark.peer
async def test_attachments_reach_the_agentos_agent(agentos: AgentOSPeer) -> None:
    bar = AttachmentBar()
    bar.add("notes.txt", b"Shopping list\nmilk\n", "text/plain")
    bar.add("pic.png", PNG, "image/png")
    agent = RemoteAgent(agentos.base_url, agent_id="attachments")
    out = await agent.arun("What did I attach?", **bar.run_kwargs())
    assert out.is_completed
    assert "You attached 2 file(s):" in out.content
    assert "notes.txt (text/plain; 19 bytes; first line: 'Shopping list')" in out.content
    assert f"(image/png; {len(PNG)} bytes)" in out.content


@pytest.mark.peer
async def test_a_returned_image_renders_inline(agentos: AgentOSPeer) -> None:
    out = await RemoteAgent(agentos.base_url, agent_id="picture").arun("draw me something")
    assert out.is_completed and out.content.startswith("Here is your picture.")
    (item,) = media_items(out)
    assert item.mime_type == "image/png" and item.content == picture_png()
    assert f"data:image/png;base64,{base64.b64encode(picture_png()).decode()}" in media_html(out)


@pytest.mark.peer
async def test_a_text_file_reaches_agnos_a2a_interface_as_a_file_part(agentos: AgentOSPeer) -> None:
    # agno 3.1's A2A interface accepts document types only (an image part fails its File model).
    bar = AttachmentBar()
    bar.add("notes.txt", b"Shopping list\nmilk\n", "text/plain")
    agent = RemoteAgent(f"{agentos.base_url}/a2a/agents/attachments", agent_id="attachments", protocol="a2a")
    out = await agent.arun("What did I attach?", **bar.run_kwargs())
    assert out.is_completed and "(text/plain; 19 bytes; first line: 'Shopping list')" in out.content


@pytest.mark.peer
async def test_a2a_sdk_file_artifacts_show_as_files(a2a_peers: dict[str, A2APeer]) -> None:
    result = await A2AClient(a2a_peers["v03"].base_url).send_message("a file please")
    html = media_html(result)
    assert "report.txt" in html and "text/plain" in html and "10 B" in html and "<img" not in html
