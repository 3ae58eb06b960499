"""Media an agent returns, in the answer: images inline, other files as links or chips.

Sources: a RunOutput's ``images``/``files``/``audio``/``videos`` (AgentOS) and file parts of A2A
artifacts (``output.a2a`` over A2A, or a TaskResult). Everything here is untrusted:

- an image shows inline from its bytes (only PNG, JPEG, GIF, WebP: no SVG, which can carry
  script) or from an http(s) URL; no other ``data:`` URL and no other scheme is ever written;
- any other file with an http(s) URL is a link (new tab, no referrer); one with bytes is a chip
  with its name, type and size, and ``save_media()`` writes it to a folder on request;
- names are escaped and clipped, sizes capped, and what was refused is said under the media.

    html = media_html(output)          # "" when there is no media
    MediaView(output)                  # the same as a widget
    save_media(output, "downloads")    # the files' bytes on disk; returns the paths
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import ipywidgets as widgets

from agentnb.widgets.attachments import INLINE_IMAGE_TYPES, human_size
from agentnb.widgets.render import escape

__all__ = ["MediaItem", "MediaView", "media_html", "media_items", "save_media"]

MAX_ITEMS = 20
MAX_INLINE_BYTES = 5 * 1024 * 1024
NAME_CHARS = 80


@dataclass(frozen=True)
class MediaItem:
    name: str
    mime_type: str
    content: bytes | None = None
    url: str | None = None


def _bytes_of(value: Any) -> bytes | None:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str) and value:
        try:  # agno sends media content base64-encoded in JSON
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return value.encode("utf-8")
    return None


def _field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def _item(item: Any, fallback: str) -> MediaItem:
    url = _field(item, "url") or _field(item, "uri")
    name = str(_field(item, "filename") or _field(item, "name") or "")
    if not name and isinstance(url, str):
        name = Path(urlparse(url).path).name
    name = name or fallback
    mime = str(_field(item, "mime_type") or "") or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if "/" not in mime and fallback == "image":  # agno's Image.format: "png"
        mime = f"image/{mime}"
    if not Path(name).suffix:
        name += mimetypes.guess_extension(mime.lower()) or ""  # so that a saved file opens
    content = _bytes_of(_field(item, "content"))
    return MediaItem(name, mime.lower(), content, url if isinstance(url, str) else None)


def media_items(source: Any) -> list[MediaItem]:
    """Every media item of a RunOutput (AgentOS fields, then A2A artifacts) or a TaskResult."""
    items: list[MediaItem] = []
    for field, fallback in (("images", "image"), ("files", "file"), ("audio", "audio"), ("videos", "video")):
        for item in getattr(source, field, None) or []:
            items.append(_item(item, fallback))
    task = getattr(source, "a2a", None) or source
    for artifact in getattr(task, "artifacts", None) or []:
        for part in getattr(artifact, "parts", None) or []:
            if getattr(part, "kind", None) == "file":
                items.append(_item(part, getattr(artifact, "name", None) or "file"))
    return items


def _http_url(url: str | None) -> str | None:
    if not url:
        return None
    cleaned = url.strip()
    parsed = urlparse(cleaned)
    if (
        parsed.scheme.lower() not in ("http", "https")
        or not parsed.netloc
        or any(c in cleaned for c in "\"'<> ")
    ):
        return None
    return cleaned


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


def _render(item: MediaItem, refused: list[str]) -> str:
    name = escape(_short(item.name))
    url = _http_url(item.url)
    if item.url and url is None:
        refused.append(f"{_short(item.name)}: the link is not http(s), so it is not shown")
    is_image = item.mime_type in INLINE_IMAGE_TYPES
    if is_image and item.content is not None:
        if len(item.content) > MAX_INLINE_BYTES:
            refused.append(f"{_short(item.name)}: {human_size(len(item.content))} is too big to show inline")
            return _chip(item)
        data = base64.b64encode(item.content).decode("ascii")
        return (
            f'<img class="agentnb-media-image" alt="{name}" title="{name}" '
            f'src="data:{item.mime_type};base64,{data}" style="max-width:100%;max-height:360px">'
        )
    # An <img> never runs a fetched SVG's script, so any image type may load from an http(s) URL.
    if url is not None and item.mime_type.startswith("image/"):
        return f'<img class="agentnb-media-image" alt="{name}" src="{escape(url)}" style="max-width:100%">'
    if url is not None:
        return (
            f'<a class="agentnb-media-link" href="{escape(url)}" target="_blank" '
            f'rel="noopener noreferrer" download="{name}">{name}</a>'
        )
    return _chip(item)


def _chip(item: MediaItem) -> str:
    size = human_size(len(item.content)) if item.content is not None else "no content"
    return (
        '<span class="agentnb-media-file" style="display:inline-block;border:1px solid #d1d5db;'
        f'border-radius:12px;padding:1px 8px;margin:2px">{escape(_short(item.name))} '
        f'<span style="color:#6b7280">({escape(item.mime_type)}, {size})</span></span>'
    )


def media_html(source: Any) -> str:
    """The media of ``source`` as escaped HTML ("" when there is none)."""
    items = media_items(source)
    if not items:
        return ""
    refused: list[str] = []
    if len(items) > MAX_ITEMS:
        refused.append(f"{len(items) - MAX_ITEMS} more items are not shown (limit {MAX_ITEMS})")
    shown = [_render(item, refused) for item in items[:MAX_ITEMS]]
    notes = "".join(f'<div style="color:#b91c1c;font-size:0.85em">{escape(r)}</div>' for r in refused)
    return f'<div class="agentnb-media">{"".join(f"<div>{s}</div>" for s in shown)}{notes}</div>'


class MediaView(widgets.HTML):  # type: ignore[misc]
    """The media of a run as one HTML widget (empty when there is none)."""

    def __init__(self, source: Any = None, **kwargs: Any) -> None:
        super().__init__(value=media_html(source) if source is not None else "", **kwargs)
        self.add_class("agentnb-media-view")
        self.count = len(media_items(source)) if source is not None else 0

    def __repr__(self) -> str:
        # ipywidgets' repr would print the whole value, base64 images included.
        return f"<MediaView {self.count} item(s)>"

    def show(self, source: Any) -> None:
        self.value = media_html(source)
        self.count = len(media_items(source))


def save_media(source: Any, folder: str | Path = ".") -> list[Path]:
    """Write the files with bytes to ``folder`` under their own (sanitised) names; never overwrite."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for item in media_items(source):
        if item.content is None:
            continue
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(item.name).name).strip("._") or "file"
        path = target / stem
        n = 1
        while path.exists():
            n += 1
            path = target / f"{Path(stem).stem}-{n}{Path(stem).suffix}"
        path.write_bytes(item.content)
        paths.append(path)
    return paths
