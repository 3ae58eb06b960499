"""AttachmentBar: pick files to send with the next prompt, shown as chips; caps with a clear refusal.

    bar = AttachmentBar()                     # an attach button (FileUpload, several files) + chips
    out = await agent.arun(prompt, **bar.run_kwargs())    # images= / audio= / videos= / files=
    bubble_html = prompt_html + thumbnails_html(bar.attachments)
    bar.clear()

``run_kwargs()`` is the same for every peer: an AgentOS run takes the media as form fields, and an
A2A run (``RemoteAgent(protocol="a2a")`` or ``A2AClient``) turns each into a file part.
File names and types come from the browser and are untrusted: they are escaped wherever shown.
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from agentnb.media import Audio, File, Image, Video
from agentnb.widgets.render import escape

__all__ = ["INLINE_IMAGE_TYPES", "Attachment", "AttachmentBar", "human_size", "thumbnails_html"]

#: Image types a browser shows without running anything (no SVG: it can carry script).
INLINE_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
#: Longest file name shown on a chip.
NAME_CHARS = 60
#: Images bigger than this show as a chip in the bubble, not as a thumbnail.
THUMBNAIL_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Attachment:
    name: str
    mime_type: str
    content: bytes = b""

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def kind(self) -> str:
        """The run keyword it travels in: images, audio, videos or files."""
        top = self.mime_type.split("/", 1)[0]
        return {"image": "images", "audio": "audio", "video": "videos"}.get(top, "files")


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    raise AssertionError("unreachable")  # pragma: no cover


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


def _mime_of(name: str, declared: str | None) -> str:
    declared = (declared or "").strip().lower()
    if declared and "/" in declared and len(declared) < 100:
        return declared
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def chip_html(attachment: Attachment) -> str:
    return (
        '<span class="agentnb-chip" style="display:inline-block;border:1px solid #d1d5db;'
        'border-radius:12px;padding:1px 8px;margin:2px;font-size:0.85em">'
        f'{escape(_short(attachment.name))} <span style="color:#6b7280">'
        f"({escape(attachment.mime_type)}, {human_size(attachment.size)})</span></span>"
    )


def thumbnails_html(attachments: Sequence[Attachment], *, max_px: int = 96) -> str:
    """HTML for the user's bubble: small images inline (safe types only), other files as chips."""
    parts = []
    for a in attachments:
        if a.mime_type in INLINE_IMAGE_TYPES and 0 < a.size <= THUMBNAIL_BYTES:
            data = base64.b64encode(a.content).decode("ascii")
            parts.append(
                f'<img class="agentnb-thumb" alt="{escape(_short(a.name))}" title="{escape(_short(a.name))}" '
                f'src="data:{a.mime_type};base64,{data}" '
                f'style="max-width:{max_px}px;max-height:{max_px}px;margin:2px;border-radius:4px">'
            )
        else:
            parts.append(chip_html(a))
    return f'<div class="agentnb-attachments">{"".join(parts)}</div>' if parts else ""


class AttachmentBar(widgets.VBox):  # type: ignore[misc]
    """An attach button (several files at once), the chosen files as chips, and a Clear button.

    Caps: ``max_files`` files, ``max_bytes`` each, ``max_total_bytes`` together; a file over a cap
    is refused with a line saying which and why, and the others are kept.
    ``on_change`` is called with the bar after every change (ChatPane re-renders its input then).
    """

    def __init__(
        self,
        *,
        max_files: int = 5,
        max_bytes: int = 10 * 1024 * 1024,
        max_total_bytes: int = 20 * 1024 * 1024,
        accept: str = "",
        on_change: Callable[[AttachmentBar], None] | None = None,
        **kwargs: Any,
    ) -> None:
        self.max_files, self.max_bytes, self.max_total_bytes = max_files, max_bytes, max_total_bytes
        self.on_change = on_change
        self.attachments: list[Attachment] = []
        self.refusals: list[str] = []
        self.upload = widgets.FileUpload(multiple=True, accept=accept, description="Attach", icon="paperclip")
        self.upload.add_class("agentnb-attach")
        self.upload.observe(self._on_upload, names="value")
        self.clear_button = widgets.Button(
            description="Clear", icon="times", tooltip="Remove all attachments"
        )
        self.clear_button.add_class("agentnb-attach-clear")
        self.clear_button.on_click(lambda _b: self.clear())
        self.chips = widgets.HTML(value="")
        self.chips.add_class("agentnb-chips")
        self.notice = widgets.HTML(value="")
        self.notice.add_class("agentnb-attach-notice")
        super().__init__(
            children=[widgets.HBox([self.upload, self.clear_button]), self.chips, self.notice], **kwargs
        )
        self.add_class("agentnb-attachment-bar")
        self._render()

    def __repr__(self) -> str:
        return f"<AttachmentBar {len(self.attachments)} file(s)>"

    # -- adding ----------------------------------------------------------------------------------

    def _on_upload(self, change: dict[str, Any]) -> None:
        items = change.get("new") or ()
        if not items:
            return
        self.add_many((str(i.get("name", "")), bytes(i.get("content", b"")), i.get("type")) for i in items)
        # Empty the picker, so that choosing the same file again is a change too.
        self.upload.unobserve(self._on_upload, names="value")
        self.upload.value = ()
        self.upload.observe(self._on_upload, names="value")

    def add(self, name: str, content: bytes, mime_type: str | None = None) -> bool:
        """Attach one file (what the picker does, for code); False when a cap refused it."""
        return self.add_many([(name, content, mime_type)])

    def add_many(self, files: Any) -> bool:
        self.refusals = []
        for name, content, declared in files:
            attachment = Attachment(name or "unnamed", _mime_of(name or "", declared), content)
            reason = self._refusal(attachment)
            if reason:
                self.refusals.append(f"refused {_short(attachment.name)}: {reason}")
            else:
                self.attachments.append(attachment)
        self._render()
        return not self.refusals

    def _refusal(self, a: Attachment) -> str | None:
        if len(self.attachments) >= self.max_files:
            return f"at most {self.max_files} files per message"
        if a.size > self.max_bytes:
            return f"{human_size(a.size)} is over the {human_size(self.max_bytes)} limit per file"
        total = sum(x.size for x in self.attachments) + a.size
        if total > self.max_total_bytes:
            return f"all files together would be {human_size(total)}, over {human_size(self.max_total_bytes)}"
        return None

    # -- using -----------------------------------------------------------------------------------

    def run_kwargs(self) -> dict[str, list[Any]]:
        """``images=``/``audio=``/``videos=``/``files=`` for ``arun`` or ``send_message`` (only those
        with something in them)."""
        classes: dict[str, type[Image | Audio | Video | File]] = {
            "images": Image, "audio": Audio, "videos": Video, "files": File,
        }  # fmt: skip
        out: dict[str, list[Any]] = {}
        for a in self.attachments:
            media = classes[a.kind](content=a.content, mime_type=a.mime_type, filename=a.name)
            out.setdefault(a.kind, []).append(media)
        return out

    def thumbnails_html(self) -> str:
        return thumbnails_html(self.attachments)

    def clear(self) -> None:
        """Forget every attachment (after sending, or the Clear button)."""
        self.attachments = []
        self.refusals = []
        self._render()

    # -- showing ---------------------------------------------------------------------------------

    def _render(self) -> None:
        self.chips.value = "".join(chip_html(a) for a in self.attachments)
        self.notice.value = "".join(
            f'<div style="color:#b91c1c;font-size:0.85em">{escape(r)}</div>' for r in self.refusals
        )
        self.clear_button.layout.display = "" if self.attachments else "none"
        if self.on_change is not None:
            self.on_change(self)
