"""Two demo agents for media: one reads what you attach, one sends a picture back.

``attachments`` answers with each attachment's name, type and size, and the first line of a
text file, so a notebook (or a test) sees that the bytes arrived. ``picture`` calls its
``draw_picture`` tool, which paints a small PNG in code (offline, no imaging library) and returns it
as an image on the run output. Both run on the offline scripted model.
"""

from __future__ import annotations

import base64
import binascii
import struct
import zlib
from typing import Any

from agno.agent import Agent
from agno.db.sqlite import SqliteDb
from agno.media import Image
from agno.tools import tool
from agno.tools.function import Function, ToolResult

from agentnb.demo.plans import Plan, message_text, split_words, tool_call
from agentnb.demo.scripted import ScriptedModel

__all__ = ["MEDIA_AGENT_SPECS", "build_media_agents", "describe_attachments", "picture_png"]

MEDIA_AGENT_SPECS: list[tuple[str, str, str, str]] = [
    (
        "attachments",
        "Attachment Reader",
        "Reads the files you attach: names, types, sizes and the first line of text files.",
        "Describe the attachments.",
    ),
    ("picture", "Picture Agent", "Draws a small picture and sends it back as an image.", "Draw."),
]
PICTURE_SIZE = 48
FIRST_LINE_CHARS = 120


def picture_png(size: int = PICTURE_SIZE) -> bytes:
    """A deterministic PNG: a blue-to-green gradient with an orange disc, written with zlib."""
    rows = bytearray()
    centre, radius2 = size / 2, (size / 3) ** 2
    for y in range(size):
        rows.append(0)  # filter type 0 for each scanline
        for x in range(size):
            if (x - centre) ** 2 + (y - centre) ** 2 <= radius2:
                rows += bytes((245, 140, 30))
            else:
                rows += bytes((30, 90 + (120 * y) // size, 200 - (120 * x) // size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows)))
        + chunk(b"IEND", b"")
    )


@tool
def draw_picture() -> ToolResult:
    """Draw a small picture and return it as a PNG image."""
    png = picture_png()
    return ToolResult(
        content=f"Drew a {PICTURE_SIZE}x{PICTURE_SIZE} PNG picture ({len(png)} bytes).",
        images=[Image(content=png, mime_type="image/png", format="png", id="picture")],
    )


def _bytes(content: Any, field: str) -> Any:
    """The attachment's bytes. agno 3.1 decodes the base64 of images, audio and video sent as JSON
    form fields, but keeps a file's content as the base64 text it arrived in (str or bytes)."""
    if field == "files" and isinstance(content, (str, bytes)):
        try:
            return base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            pass
    return content.encode("utf-8") if isinstance(content, str) else content


def _size(content: Any) -> int | None:
    return len(content) if isinstance(content, (bytes, bytearray, str)) else None


def _first_line(content: Any, mime: str) -> str | None:
    if not isinstance(content, (bytes, bytearray)) or not (mime.startswith("text/") or mime.endswith("json")):
        return None
    line = bytes(content[:4096]).decode("utf-8", errors="replace").splitlines()[:1]
    text = line[0].strip() if line else ""
    return text if len(text) <= FIRST_LINE_CHARS else text[: FIRST_LINE_CHARS - 1] + "…"


def describe_attachments(message: Any) -> str:
    """What the attachment reader says about the media on ``message`` (an agno Message)."""
    found: list[str] = []
    for field in ("images", "audio", "videos", "files"):
        for item in getattr(message, field, None) or []:
            name = getattr(item, "filename", None) or getattr(item, "name", None) or getattr(item, "id", None)
            content = _bytes(getattr(item, "content", None), field)
            mime = str(getattr(item, "mime_type", None) or "unknown type")
            size = _size(content)
            words = [mime, f"{size} bytes" if size is not None else "size unknown"]
            line = _first_line(content, mime)
            if line is not None:
                words.append(f"first line: {line!r}")
            found.append(f"{name or 'unnamed'} ({'; '.join(words)})")
    if not found:
        return "You attached no files. Attach some and ask again."
    return f"You attached {len(found)} file(s): " + ", ".join(found) + "."


class MediaModel(ScriptedModel):
    """The scripted model, with the two media scripts (``attachments`` and ``picture``)."""

    def _plan(self, kwargs: dict[str, Any]) -> Plan:
        messages = list(kwargs.get("messages") or [])
        users = [m for m in messages if getattr(m, "role", "") == "user"]
        if self.script == "attachments":
            return Plan("text", split_words(describe_attachments(users[-1] if users else None), 3))
        # agno may add the tool's image as a user message after the tool message: look for any.
        tools = [m for m in messages if getattr(m, "role", "") == "tool"]
        if tools:
            return Plan("text", split_words(f"Here is your picture. {message_text(tools[-1])}", 3))
        return Plan("tools", tool_calls=[tool_call("draw_picture", {})])


def _tools(agent_id: str) -> list[Function]:
    return [draw_picture] if agent_id == "picture" else []


def build_media_agents(db: SqliteDb) -> list[Agent]:
    """The two media agents (always scripted: a real model would not reliably draw or list bytes)."""
    return [
        Agent(
            id=agent_id,
            name=name,
            description=description,
            instructions=instructions,
            model=MediaModel(script=agent_id),
            tools=_tools(agent_id),
            db=db,
            telemetry=False,
        )
        for agent_id, name, description, instructions in MEDIA_AGENT_SPECS
    ]
