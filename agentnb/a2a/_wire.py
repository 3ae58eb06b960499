"""Small helpers both A2A object modules use to read wire JSON defensively."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from agentnb.errors import ProtocolError

__all__ = ["b64decode", "json_object"]


def json_object(value: Any, what: str) -> dict[str, Any]:
    """``value`` if it is a JSON object, else a ProtocolError naming what was expected."""
    if not isinstance(value, dict):
        raise ProtocolError(
            f"A2A: expected {what} to be a JSON object, got {type(value).__name__}", raw=str(value)[:500]
        )
    return value


def b64decode(text: Any) -> bytes | None:
    """Base64 text to bytes; None for anything that is not valid base64 text."""
    if not isinstance(text, str):
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        pass
    # proto3-JSON readers take the URL-safe alphabet and missing padding too; the standard
    # decoder would drop "-" and "_" as junk (corrupting the bytes) or refuse the short text.
    compact = "".join(text.split()).replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(compact + "=" * (-len(compact) % 4), validate=False)
    except (binascii.Error, ValueError):
        return None
