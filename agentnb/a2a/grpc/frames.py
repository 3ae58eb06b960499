"""A gRPC stream's messages as engine frames, and a text chunk read straight from the protobuf.

``MessageToDict`` is pure Python: turning each streamed protobuf message into ProtoJSON took
longer than everything else agentnb does per token. A ``GrpcFrame`` carries the message as
it came; its ProtoJSON (``payload``, what the HTTP dialects' decoders read) is made only when
asked for. ``proto_text_chunk`` reads the one shape a stream repeats per token, an artifact
update with one text part and nothing else, directly from the message's fields, and gives the
``ChunkFacts`` that ``v10_objects.text_chunk`` gives for its ProtoJSON (the wire dicts built as
``MessageToDict`` builds them); any other message is None and goes the ProtoJSON way.
tests/a2a/test_grpc_frames.py compares the two on random messages of both versions.

Needs protobuf only when a payload is made (no grpcio, no protobuf import at module load).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agentnb._sse import ParsedFrame
from agentnb.a2a._build import ChunkFacts

__all__ = ["GrpcFrame", "grpc_frame", "proto_text_chunk", "proto_text_chunk_v03"]


class GrpcFrame(ParsedFrame):
    """A frame holding one gRPC answer message (``message``); ``payload`` is its ProtoJSON,
    ``wrap``-ped as the dialect's decoder reads it (made on each read: read it once)."""

    message: Any
    wrap: Callable[[dict[str, Any]], Any]

    @property  # ParsedFrame's plain attribute, computed here
    def payload(self) -> Any:
        from google.protobuf import json_format

        return self.wrap(json_format.MessageToDict(self.message))


def grpc_frame(message: Any, wrap: Callable[[dict[str, Any]], Any]) -> GrpcFrame:
    frame = tuple.__new__(GrpcFrame, ("message", "", None, None))
    frame.message, frame.wrap = message, wrap
    return frame


def proto_text_chunk(message: Any) -> ChunkFacts | None:
    """The ChunkFacts of a v1.0 StreamResponse that is an artifact update with one text part,
    no metadata anywhere, no artifact extensions and no part filename or media type; None for
    any other message.

    What ``v10_objects.text_chunk`` reads from its ProtoJSON: proto3 leaves out empty strings
    and false, so an empty id is None (the artifact id ""), and the wire dicts hold only the
    fields set, in field order, the artifact's part list holding the part's own dict.
    """
    update, part = _text_update(message)
    if part is None or part.filename or part.media_type:
        return None
    return _facts(update, part.text)


def proto_text_chunk_v03(message: Any) -> ChunkFacts | None:
    """``proto_text_chunk`` for a v0.3 StreamResponse (whose Part has no filename or media type)."""
    update, part = _text_update(message)
    return None if part is None else _facts(update, part.text)


def _text_update(message: Any) -> tuple[Any, Any]:
    """The artifact update and its one text part, if that is all the message holds (the part
    may still carry v1.0's filename / media type); (None, None) if not."""
    if not message.HasField("artifact_update"):
        return None, None
    update = message.artifact_update
    artifact = update.artifact
    parts = artifact.parts
    if len(parts) != 1 or update.HasField("metadata") or artifact.HasField("metadata") or artifact.extensions:
        return None, None
    part = parts[0]
    if not part.HasField("text") or part.HasField("metadata"):
        return None, None
    return update, part


def _facts(update: Any, text: str) -> ChunkFacts:
    artifact = update.artifact
    part_wire = {"text": text}
    wire: dict[str, Any] = {}
    artifact_id: str = artifact.artifact_id
    name: str = artifact.name
    description: str = artifact.description
    if artifact_id:
        wire["artifactId"] = artifact_id
    if name:
        wire["name"] = name
    if description:
        wire["description"] = description
    wire["parts"] = [part_wire]
    return (
        artifact_id,
        text,
        update.task_id or None,
        update.context_id or None,
        update.append,
        update.last_chunk,
        None,
        wire,
        name or None,
        description or None,
        None,
        part_wire,
        None,
    )
