"""Media and message inputs: Image, Audio, Video, File, Message.

agno's own ``agno.media`` objects are accepted too (anything with ``to_dict()``), so notebooks
written for agno's RemoteAgent keep working. A local ``filepath`` is read here and sent as content,
because the remote server cannot see this machine's files.
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from agentnb.errors import ConfigurationError

__all__ = ["Audio", "File", "Image", "Media", "Message", "Video", "media_to_wire"]


class Media(BaseModel):
    """Exactly one of ``url``, ``filepath`` or ``content`` says where the bytes are."""

    model_config = ConfigDict(extra="allow")

    url: str | None = None
    filepath: str | Path | None = None
    content: bytes | None = None
    mime_type: str | None = None
    filename: str | None = None
    format: str | None = None
    id: str | None = None

    def model_post_init(self, __context: Any) -> None:
        if sum(x is not None for x in (self.url, self.filepath, self.content)) != 1:
            raise ConfigurationError(
                f"{type(self).__name__} needs exactly one of url=, filepath= or content="
            )

    def resolved(self) -> tuple[bytes | None, str | None, str | None]:
        """(content, mime_type, filename), reading a local file if needed."""
        if self.filepath is not None:
            path = Path(self.filepath)
            if not path.is_file():
                raise ConfigurationError(f"{type(self).__name__}: no such file {str(path)!r}")
            mime = self.mime_type or mimetypes.guess_type(path.name)[0]
            return path.read_bytes(), mime, self.filename or path.name
        return self.content, self.mime_type, self.filename


class Image(Media):
    pass


class Audio(Media):
    pass


class Video(Media):
    pass


class File(Media):
    pass


class Message(BaseModel):
    """A chat message as run input (agno's ``Message`` is accepted as well)."""

    model_config = ConfigDict(extra="allow")

    role: str = "user"
    content: Any = None


def media_to_wire(item: Any, kind: str) -> dict[str, Any]:
    """The dict AgentOS rebuilds media from (agno's ``to_dict()`` shape, base64 content)."""
    if isinstance(item, Media):
        content, mime, filename = item.resolved()
        wire: dict[str, Any] = {
            "id": item.id,
            "url": item.url,
            "mime_type": mime,
            "format": item.format,
            "filename": filename,
            "content": base64.b64encode(content).decode("ascii") if content is not None else None,
        }
        if kind == "files" and filename:
            wire["name"] = filename
        return {k: v for k, v in wire.items() if v is not None}
    if isinstance(item, dict):
        return item
    to_dict = getattr(item, "to_dict", None)
    if callable(to_dict):
        result = to_dict()
        if isinstance(result, dict):
            return result
    hint = {"images": "Image", "audio": "Audio", "videos": "Video", "files": "File"}.get(kind, "File")
    raise ConfigurationError(f"{kind}: cannot send {type(item).__name__}; use agentnb.{hint}(...)")
