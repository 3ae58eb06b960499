"""The artifact-chunk fast paths give exactly what the validated path gives.

Every chunk shape below is decoded three ways through the dialect, the A2AReader and its
TaskAssembler: as it streams (a text chunk's event built lazily, its artifact joined as text:
``A2AReader.read``, ``TaskAssembler.join_text``), with the lazy path off but the models
assembled directly (agentnb/a2a/_build.py), and with both off (the pydantic constructors, as
before). They must agree on every model's type, field values, set fields, extras, ``raw`` and
repr, on the StreamEvents (their ``item`` and ``artifact`` included), the TaskResult, and on
the errors.
"""

from __future__ import annotations

import itertools
import json
import random
from collections import deque
from typing import Any

import pytest
from pydantic import BaseModel

from agentnb._sse import SSEFrame
from agentnb.a2a import stream as stream_module
from agentnb.a2a import v03_objects, v10_objects
from agentnb.a2a.dialects import dialect_for
from agentnb.a2a.models import Artifact, ArtifactUpdate, Part, StreamEvent
from agentnb.a2a.stream import A2AReader
from agentnb.a2a.stream_event import _EVENT_FIELDS
from agentnb.errors import A2AError, ProtocolError

MISSING = object()

NAMES = [MISSING, None, "", "answer", 7]
TEXTS = [MISSING, None, "", "tok ", 3, ["x"]]
METADATA = [MISSING, None, {}, {"k": 1}, ["m"], {"nested": {"a": [1]}}]
IDS = [MISSING, None, "", "t-1", 5]
FLAGS = [MISSING, True, False, 1, "yes", None]


def _put(target: dict[str, Any], key: str, options: list[Any]) -> None:
    """Mostly a well-formed value (the option at index 3), now and then any of the others."""
    global _rng
    value = options[3] if _rng.random() < 0.75 else _rng.choice(options)
    if value is not MISSING:
        target[key] = value


_rng = random.Random(0)


def v03_chunk(rng: random.Random) -> dict[str, Any]:
    part: dict[str, Any] = {"kind": rng.choice(["text", "text", "text", "data", None])}
    _put(part, "text", TEXTS)
    _put(part, "metadata", METADATA)
    if rng.random() < 0.1:
        part["data"] = {"x": 1}
    artifact: dict[str, Any] = {"artifactId": rng.choice(["a1", "a1", "", None, 9])}
    _put(artifact, "name", NAMES)
    _put(artifact, "description", NAMES)
    _put(artifact, "metadata", METADATA)
    artifact["parts"] = rng.choice([[part], [part], [part, dict(part)], [], "p", [3]])
    result: dict[str, Any] = {"kind": "artifact-update", "artifact": artifact}
    _put(result, "taskId", IDS)
    _put(result, "contextId", IDS)
    _put(result, "append", FLAGS)
    _put(result, "lastChunk", FLAGS)
    _put(result, "metadata", METADATA)
    if rng.random() < 0.1:
        result["extra"] = "kept in raw"
    return {"jsonrpc": "2.0", "id": 1, "result": result}


def v10_chunk(rng: random.Random) -> dict[str, Any]:
    part: dict[str, Any] = {}
    _put(part, "text", TEXTS)
    _put(part, "metadata", METADATA)
    extra = rng.random()
    if extra < 0.05:
        part["raw"] = "aGk="
    elif extra < 0.1:
        part["data"] = {"x": 1}
    elif extra < 0.15:
        part["file"] = {"name": "f"}
    artifact: dict[str, Any] = {"artifactId": rng.choice(["a1", "a1", "", None, 9])}
    _put(artifact, "name", NAMES)
    _put(artifact, "description", NAMES)
    _put(artifact, "metadata", METADATA)
    artifact["parts"] = rng.choice([[part], [part], [part, dict(part)], [], "p"])
    update: dict[str, Any] = {"artifact": artifact}
    _put(update, "taskId", IDS)
    _put(update, "contextId", IDS)
    _put(update, "append", FLAGS)
    _put(update, "lastChunk", FLAGS)
    _put(update, "metadata", METADATA)
    result: dict[str, Any] = {"artifactUpdate": update}
    if rng.random() < 0.05:
        result["statusUpdate"] = {"status": {"state": "TASK_STATE_WORKING"}}
    return {"jsonrpc": "2.0", "id": 1, "result": result}


def snapshot(value: Any) -> Any:
    """Everything observable about a (nested) model: type, values, set fields, extras, raw."""
    if isinstance(value, StreamEvent):
        names = (*_EVENT_FIELDS, "raw", "artifact", "item")
        return ("StreamEvent", {name: snapshot(getattr(value, name)) for name in names}, repr(value))
    if isinstance(value, BaseModel):
        fields = {name: snapshot(getattr(value, name)) for name in type(value).model_fields}
        return (
            type(value).__name__,
            fields,
            sorted(value.model_fields_set),
            value.model_extra,
            repr(value),
        )
    if isinstance(value, list):
        return [snapshot(v) for v in value]
    if isinstance(value, dict):
        return {k: snapshot(v) for k, v in value.items()}
    return value


def read_all(
    version: str, payloads: list[dict[str, Any]], cap: int | None = None, binding: str = "JSONRPC"
) -> Any:
    """What an A2AReader makes of these frames: per frame the event or the error, then the result."""
    reader = A2AReader("http://peer.test", *(() if cap is None else (cap,)))
    reader.dialect = dialect_for(version, binding, "http://peer.test")
    seen: list[Any] = []
    for payload in payloads:
        out: deque[StreamEvent] = deque()
        try:
            reader.read(SSEFrame("message", json.dumps(payload)), out)
        except (ProtocolError, A2AError) as exc:
            seen.append((type(exc).__name__, str(exc)))
            continue
        seen.append([snapshot(e) for e in out])
    return seen, snapshot(reader.result()), reader.assembler.refused, reader.assembler.held_bytes


def read_then_look(version: str, payloads: list[dict[str, Any]]) -> Any:
    """The events' items and fields read only after the whole stream (lazy items must not drift)."""
    reader = A2AReader("http://peer.test")
    reader.dialect = dialect_for(version, "JSONRPC", "http://peer.test")
    events: deque[StreamEvent] = deque()
    for payload in payloads:
        try:
            reader.read(SSEFrame("message", json.dumps(payload)), events)
        except (ProtocolError, A2AError):
            continue
    result = snapshot(reader.result())
    return result, [(snapshot(e.item), [getattr(e, k) for k in _EVENT_FIELDS]) for e in events]


def lazy_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream_module, "_text_chunks", lambda dialect: (None, False))


@pytest.fixture
def slow_path(monkeypatch: pytest.MonkeyPatch) -> Any:
    def off() -> None:
        lazy_off(monkeypatch)
        monkeypatch.setattr(v03_objects, "fast_chunk", lambda *a, **k: None)
        monkeypatch.setattr(v10_objects, "fast_chunk", lambda *a, **k: None)

    return off


def with_snapshots(rng: random.Random, version: str, stream: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Now and then a Task snapshot or a status update between the chunks (they replace artifacts)."""
    out = list(stream)
    if rng.random() < 0.2:
        artifact = {
            "artifactId": "a1",
            "parts": [{"text": "snap"} if version == "1.0" else {"kind": "text", "text": "snap"}],
        }
        task: dict[str, Any] = {"id": "t-1", "status": {"state": "working"}, "artifacts": [artifact]}
        if version == "0.3":
            task["kind"] = "task"
        out.insert(
            rng.randint(0, len(out)),
            {"jsonrpc": "2.0", "id": 1, "result": task if version == "0.3" else {"task": task}},
        )
    return out


@pytest.mark.parametrize(("version", "make"), [("0.3", v03_chunk), ("1.0", v10_chunk)])
def test_every_chunk_shape_decodes_as_the_validated_path_does(
    version: str, make: Any, slow_path: Any
) -> None:
    global _rng
    rng = _rng = random.Random(20261130)
    streams = [
        with_snapshots(rng, version, [make(rng) for _ in range(rng.randint(1, 6))]) for _ in range(300)
    ]
    # Some streams under a small artifact cap, so refusals (and their byte counts) are compared too.
    caps = [rng.choice([None, None, 4, 9]) for _ in streams]
    module = v03_objects if version == "0.3" else v10_objects
    taken = lazy = 0
    real, real_text = module.fast_chunk, module.text_chunk

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal taken
        built = real(*args, **kwargs)
        taken += built is not None
        return built

    def counted_text(*args: Any, **kwargs: Any) -> Any:
        nonlocal lazy
        facts = real_text(*args, **kwargs)
        lazy += facts is not None
        return facts

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "text_chunk", counted_text)
        lazily = [read_all(version, s, c) for s, c in zip(streams, caps, strict=True)]
        looked_later = [read_then_look(version, s) for s in streams]
    with pytest.MonkeyPatch.context() as patch:
        lazy_off(patch)
        patch.setattr(module, "fast_chunk", counted)
        fast = [read_all(version, s, c) for s, c in zip(streams, caps, strict=True)]
        fast_looked_later = [read_then_look(version, s) for s in streams]
    slow_path()
    slow = [read_all(version, s, c) for s, c in zip(streams, caps, strict=True)]
    assert lazily == fast == slow
    assert looked_later == fast_looked_later
    # The shapes really reach every path, the refusals and the errors.
    flat = [frame for events, *_ in fast for frame in events]
    assert any(isinstance(f, tuple) for f in flat)
    assert any(refused for _, _, refused, _ in fast)
    assert lazy > 80 and taken > 80 and len(flat) - taken > 80


@pytest.mark.parametrize("key", sorted(v10_objects._EARLIER_KEYS | v10_objects._NOT_TEXT))
def test_a_v10_chunk_with_a_key_that_changes_its_reading(key: str, slow_path: Any) -> None:
    """The per-token reader spells out decode_item's key checks: each key must still count."""
    part: dict[str, Any] = {"text": "hi"}
    result: dict[str, Any] = {
        "artifactUpdate": {"taskId": "t", "artifact": {"artifactId": "a", "parts": [part]}}
    }
    value: Any = {"id": "t", "status": {"state": "TASK_STATE_WORKING"}} if key == "task" else {"x": 1}
    if key == "message" or key == "msg":
        value = {"messageId": "m", "role": "ROLE_AGENT", "parts": [{"text": "from the message"}]}
    elif key == "statusUpdate":
        value = {"taskId": "t", "status": {"state": "TASK_STATE_WORKING"}}
    elif key in ("raw", "url"):
        value = "aGk=" if key == "raw" else "https://files.example/x"
    (part if key in v10_objects._NOT_TEXT else result)[key] = value
    payloads = [{"jsonrpc": "2.0", "id": 1, "result": result}]
    lazily = read_all("1.0", payloads)
    slow_path()
    assert lazily == read_all("1.0", payloads)
    assert lazily[0][0][0][1]["content"] != "hi" or key == "file"  # read another way than a text chunk


def test_the_fast_path_is_taken_for_well_formed_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    payload = {
        "jsonrpc": "2.0",
        "id": 1,
        "result": {
            "kind": "artifact-update",
            "taskId": "t",
            "contextId": "c",
            "append": True,
            "artifact": {"artifactId": "a", "name": "answer", "parts": [{"kind": "text", "text": "hi"}]},
        },
    }

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("validated although the fast path applies")

    for cls in (Part, Artifact, ArtifactUpdate, StreamEvent):
        monkeypatch.setattr(cls, "__init__", refuse)
    seen, result, _, _ = read_all("0.3", [payload])
    assert seen[0][0][1]["content"] == "hi"
    assert result[1]["content"] == "hi"


@pytest.mark.parametrize(
    ("version", "binding"),
    [
        ("0.3", "JSONRPC"),
        ("1.0", "JSONRPC"),
        ("0.3", "HTTP+JSON"),
        ("1.0", "HTTP+JSON"),
        ("1.0", "GRPC"),
        ("0.3", "GRPC"),
    ],
)
def test_a_text_chunk_builds_no_model_until_read(
    version: str, binding: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agentnb.a2a import _build

    v03 = version == "0.3" and binding == "JSONRPC"
    update: dict[str, Any] = {
        "taskId": "t",
        "contextId": "c",
        "append": True,
        "artifact": {
            "artifactId": "a",
            "name": "answer",
            "parts": [{"kind": "text", "text": "hi"} if v03 else {"text": "hi"}],
        },
    }
    result = {"kind": "artifact-update", **update} if v03 else {"artifactUpdate": update}
    enveloped = binding == "JSONRPC" or (binding, version) == ("GRPC", "1.0")  # v0.3 gRPC reads as REST
    payload = {"jsonrpc": "2.0", "id": 1, "result": result} if enveloped else result
    built: list[str] = []
    real = _build.assemble

    def counted(cls: Any, *args: Any) -> Any:
        built.append(cls.__name__)
        return real(cls, *args)

    monkeypatch.setattr(_build, "assemble", counted)
    reader = A2AReader("http://peer.test")
    reader.dialect = dialect_for(version, binding, "http://peer.test")
    out: deque[StreamEvent] = deque()
    for _ in range(3):
        reader.read(SSEFrame("message", json.dumps(payload)), out)
    assert [e.content for e in out] == ["hi", "hi", "hi"] and built == []
    assert reader.assembler.content == "hihihi" and built == []
    assert out[0].item.artifact.text == "hi" and built == ["Part", "Artifact", "ArtifactUpdate"]
    assert out[1].artifact is out[2].artifact and out[2].artifact.text == "hihihi"
    assert reader.result().artifacts == [out[2].artifact]


def test_fast_built_models_have_no_hooks_the_fast_path_would_skip() -> None:
    for cls in (Part, Artifact, ArtifactUpdate):
        decorators = cls.__pydantic_decorators__
        assert not decorators.field_validators and not decorators.model_serializers, cls
        assert all(d.info.mode == "before" for d in decorators.model_validators.values()), cls
        assert not cls.__private_attributes__, cls
        assert cls.model_post_init is BaseModel.model_post_init, cls
    # Artifact's "before" validator acts only on keys the fast path never passes.
    assert list(Artifact.__pydantic_decorators__.model_validators) == ["_file_fields"]


def test_assigning_to_a_fast_built_model_behaves_as_usual() -> None:
    reader = A2AReader("http://peer.test")
    reader.dialect = dialect_for("1.0", "JSONRPC", "http://peer.test")
    frame = {
        "result": {
            "artifactUpdate": {"taskId": "t", "artifact": {"artifactId": "a", "parts": [{"text": "x"}]}}
        }
    }
    out: deque[StreamEvent] = deque()
    reader.read(SSEFrame("message", json.dumps(frame)), out)
    event = out[0]
    event.content = "changed"
    assert event.content == "changed" and event.is_content
    item = event.item
    assert isinstance(item, ArtifactUpdate) and item.model_extra == {}
    assert list(itertools.chain.from_iterable(p.text for p in item.artifact.parts)) == ["x"]
    item.artifact.parts[0].text = "y"  # the decoded models are ordinary pydantic models
    assert event.item is item and item.artifact.text == "y"
    event.item = None
    assert event.item is None


def v10_task(rng: random.Random, t: int) -> Any:
    if rng.random() < 0.03:
        return rng.choice(["not a task", {"contextId": "c"}, {"id": ""}])
    kinds: list[dict[str, Any]] = [
        {"text": "Report"},
        {"raw": "ZmlsZQ==", "filename": "r.txt", "mediaType": "text/plain"},
        {"data": {"answer": t}},
        {"url": "https://files.example/x.pdf", "filename": "x.pdf", "mediaType": "application/pdf"},
    ]
    artifacts = []
    for k in range(rng.randint(0, 4)):
        part = dict(kinds[k % 4])
        _put(part, "metadata", METADATA)
        if rng.random() < 0.1:
            part[rng.choice(["filename", "mediaType", "url"])] = rng.choice([3, ["x"], ""])
        artifact: dict[str, Any] = {"artifactId": f"a{k}", "parts": [part]}
        _put(artifact, "name", NAMES)
        _put(artifact, "description", NAMES)
        _put(artifact, "metadata", METADATA)
        artifacts.append(artifact)
    history = [{"messageId": "m", "role": "ROLE_USER", "parts": [{"text": "hi"}]}]
    if rng.random() < 0.2:
        history[0]["messageId"] = rng.choice([5, None])
    status: dict[str, Any] = {"state": "TASK_STATE_COMPLETED"}
    _put(status, "timestamp", ["", 7, None, "2026-11-30T00:00:00Z"])
    task: dict[str, Any] = {"id": f"t{t}", "status": status, "artifacts": artifacts, "history": history}
    _put(task, "contextId", IDS)
    _put(task, "metadata", METADATA)
    return task


def list_all(pages: list[dict[str, Any]]) -> Any:
    from agentnb.a2a.tasks import result_from_item

    dialect = dialect_for("1.0", "JSONRPC", "http://peer.test")
    seen: list[Any] = []
    for page in pages:
        try:
            tasks, token = dialect.decode_list(page)
        except (ProtocolError, A2AError) as exc:
            seen.append((type(exc).__name__, str(exc)))
            continue
        seen.append(([snapshot(t) for t in tasks], [snapshot(result_from_item(t)) for t in tasks], token))
    return seen


def test_listed_tasks_decode_as_the_validated_path_does(monkeypatch: pytest.MonkeyPatch) -> None:
    from agentnb.a2a import _build, tasks

    global _rng
    rng = _rng = random.Random(7)
    pages = [
        {"result": {"tasks": [v10_task(rng, t) for t in range(rng.randint(1, 8))], "nextPageToken": "n"}}
        for _ in range(60)
    ]
    built = 0
    real = _build.fast_model

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal built
        built += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(v10_objects, "fast_model", counted)
    fast = list_all(pages)
    monkeypatch.setattr(v10_objects, "plain_str", lambda value: False)
    monkeypatch.setattr(tasks, "metadata_or_bad", lambda value: _build.BAD)
    slow = list_all(pages)
    assert fast == slow
    assert built > 500
    assert any(isinstance(page, tuple) and len(page) == 2 for page in fast)  # some pages refused
