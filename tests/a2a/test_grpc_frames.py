"""gRPC text chunks read from the protobuf message give exactly what its ProtoJSON gives.

A gRPC stream's message reaches the A2AReader as a ``GrpcFrame``; a one-text-part artifact
update is read from the message's fields (agentnb/a2a/grpc/frames.py), anything else from its
``MessageToDict``. Random messages of both versions are read three ways: as GrpcFrames, as the
ProtoJSON the binding used to hand over (``ParsedFrame``), and with every fast path off. The
events (their lazily decoded ``item`` and ``artifact`` included), the TaskResult, the refusals
and the errors must agree.
"""

from __future__ import annotations

import random
from collections import deque
from typing import Any

import pytest

pytest.importorskip("google.protobuf")

from google.protobuf import json_format

from agentnb._sse import parsed_frame
from agentnb.a2a import stream as stream_module
from agentnb.a2a import v10_objects
from agentnb.a2a.dialects import dialect_for
from agentnb.a2a.grpc import a2a_v03_pb2, a2a_v1_pb2, frames
from agentnb.a2a.models import StreamEvent
from agentnb.a2a.stream import A2AReader
from tests.a2a._reading import read_frames

PB: dict[str, Any] = {"1.0": a2a_v1_pb2, "0.3": a2a_v03_pb2}


def maybe(rng: random.Random, value: Any, p: float = 0.75) -> Any:
    return value if rng.random() < p else None


def part(rng: random.Random, version: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    kind = rng.random()
    if kind < 0.8:
        out["text"] = rng.choice(["tok ", "", "ünï ", "a\nb"])
    elif version == "1.0":
        out.update(rng.choice([{"raw": "aGk="}, {"url": "https://files.example/x"}, {"data": {"x": 1}}]))
    else:
        out.update(
            rng.choice([{"file": {"fileWithUri": "https://files.example/x"}}, {"data": {"data": {"x": 1}}}])
        )
    if rng.random() < 0.1:
        out["metadata"] = rng.choice([{}, {"k": 1}, {"nested": {"a": [1, "b"]}}])
    if version == "1.0" and rng.random() < 0.1:
        out[rng.choice(["filename", "mediaType"])] = rng.choice(["", "text/plain"])
    return out


def chunk(rng: random.Random, version: str) -> dict[str, Any]:
    artifact: dict[str, Any] = {"artifactId": rng.choice(["a1", "a1", "a1", "a2", ""])}
    for key in ("name", "description"):
        if rng.random() < 0.5:
            artifact[key] = rng.choice(["answer", ""])
    artifact["parts"] = [part(rng, version) for _ in range(rng.choice([1, 1, 1, 1, 1, 0, 2]))]
    if rng.random() < 0.08:
        artifact["metadata"] = rng.choice([{}, {"k": "v"}])
    if rng.random() < 0.05:
        artifact["extensions"] = ["urn:x"]
    update: dict[str, Any] = {"artifact": artifact}
    for key, options in (("taskId", ["t-1", ""]), ("contextId", ["c-1", ""])):
        if rng.random() < 0.9:
            update[key] = rng.choice(options)
    for key in ("append", "lastChunk"):
        if rng.random() < 0.7:
            update[key] = rng.random() < 0.7
    if rng.random() < 0.08:
        update["metadata"] = rng.choice([{}, {"k": 2}])
    return {"artifactUpdate": update}


def other(rng: random.Random, version: str) -> dict[str, Any]:
    state = rng.choice(["TASK_STATE_WORKING", "TASK_STATE_WORKING", "TASK_STATE_COMPLETED"])
    parts_key = "parts" if version == "1.0" else "content"
    if rng.random() < 0.5:
        return {"statusUpdate": {"taskId": "t-1", "contextId": "c-1", "status": {"state": state}}}
    artifact = {"artifactId": "a1", "parts": [{"text": "snap"}]}
    history = [{"messageId": "m", "role": "ROLE_USER", parts_key: [{"text": "hi"}]}]
    task = {"id": "t-1", "contextId": "c-1", "status": {"state": "TASK_STATE_WORKING"}, "history": history}
    return {"task": {**task, "artifacts": [artifact]} if rng.random() < 0.5 else task}


def messages(rng: random.Random, version: str) -> list[Any]:
    shapes = [
        chunk(rng, version) if rng.random() < 0.85 else other(rng, version) for _ in range(rng.randint(1, 8))
    ]
    return [json_format.ParseDict(shape, PB[version].StreamResponse()) for shape in shapes]


def read_all(version: str, stream: list[Any], how: str, cap: int | None) -> Any:
    """What an A2AReader on the gRPC dialect makes of these messages: per message the events or
    the error, then the result; and every event's item and fields read after the whole stream."""
    reader = A2AReader("grpc://peer.test", *(() if cap is None else (cap,)))
    dialect = reader.dialect = dialect_for(version, "GRPC", "127.0.0.1:1")
    call = dialect.send(_message(), stream=True)

    def wrap(answer: dict[str, Any]) -> Any:
        return dialect._wrap(answer, call)  # type: ignore[attr-defined]

    return read_frames(
        reader,
        (
            frames.grpc_frame(message, wrap)
            if how == "proto"
            else parsed_frame(wrap(json_format.MessageToDict(message)))
            for message in stream
        ),
    )


def _message() -> Any:
    from agentnb.a2a.models import A2AMessage, Part

    return A2AMessage(message_id="m1", role="user", parts=[Part(kind="text", text="hi")])


@pytest.mark.parametrize("version", ["1.0", "0.3"])
def test_every_grpc_message_reads_as_its_protojson_does(
    version: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(20261130)
    streams = [messages(rng, version) for _ in range(300)]
    caps = [rng.choice([None, None, None, 6]) for _ in streams]
    reader_fn = frames.proto_text_chunk if version == "1.0" else frames.proto_text_chunk_v03
    read_fast = declined = 0

    def counted(message: Any) -> Any:
        nonlocal read_fast, declined
        facts = reader_fn(message)
        read_fast += facts is not None
        declined += facts is None
        return facts

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            stream_module, "proto_text_chunk" if version == "1.0" else "proto_text_chunk_v03", counted
        )
        proto = [read_all(version, s, "proto", c) for s, c in zip(streams, caps, strict=True)]
    json_way = [read_all(version, s, "json", c) for s, c in zip(streams, caps, strict=True)]
    monkeypatch.setattr(stream_module, "_text_chunks", lambda dialect: (None, False))
    monkeypatch.setattr(v10_objects, "fast_chunk", lambda *a, **k: None)
    slow = [read_all(version, s, "proto", c) for s, c in zip(streams, caps, strict=True)]
    assert proto == json_way == slow
    # The messages reach both ways of reading, the refusals and the re-sent artifacts.
    assert read_fast > 300 and declined > 100
    assert any(refused for _, _, refused, _, _ in proto)


@pytest.mark.parametrize("version", ["1.0", "0.3"])
def test_the_proto_reader_knows_every_field_it_vouches_for(version: str) -> None:
    """The reader builds the wire dicts of an update, its artifact and its part by hand, from
    the fields it knows; a field added to the ``.proto`` must be taught to it (or declined)."""
    pb = PB[version]
    names = {
        "TaskArtifactUpdateEvent": {"task_id", "context_id", "artifact", "append", "last_chunk", "metadata"},
        "Artifact": {"artifact_id", "name", "description", "parts", "metadata", "extensions"},
        "Part": {"text", "raw", "url", "data", "metadata", "filename", "media_type"}
        if version == "1.0"
        else {"text", "file", "data", "metadata"},
    }
    for message, known in names.items():
        assert set(getattr(pb, message).DESCRIPTOR.fields_by_name) == known, message


def test_a_text_chunk_over_grpc_makes_no_protojson_until_read(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[Any] = []
    real = json_format.MessageToDict

    def counted(message: Any, *args: Any, **kwargs: Any) -> Any:
        made.append(type(message).__name__)
        return real(message, *args, **kwargs)

    monkeypatch.setattr(json_format, "MessageToDict", counted)
    update = {
        "taskId": "t",
        "contextId": "c",
        "append": True,
        "artifact": {"artifactId": "a", "parts": [{"text": "hi"}]},
    }
    message = json_format.ParseDict({"artifactUpdate": update}, a2a_v1_pb2.StreamResponse())
    reader = A2AReader("grpc://peer.test")
    reader.dialect = dialect_for("1.0", "GRPC", "127.0.0.1:1")
    out: deque[StreamEvent] = deque()
    for _ in range(3):
        reader.read(
            frames.grpc_frame(message, lambda answer: {"jsonrpc": "2.0", "id": "1", "result": answer}), out
        )
    assert [e.content for e in out] == ["hi", "hi", "hi"] and reader.assembler.content == "hihihi"
    assert made == []
    assert out[0].item.artifact.text == "hi" and out[0].item.raw == {"artifactUpdate": update}
    assert made == ["StreamResponse"]
