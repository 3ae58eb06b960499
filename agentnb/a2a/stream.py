"""A2AStream: a streamed A2A exchange (send or resubscribe) as StreamEvents, on the shared engine.

The stream ends at the first terminal or interrupted state (completed, failed, canceled,
rejected, input-required, auth-required); what the peer sends after that (Agno's extra Task
event) is kept in ``trailing`` but not yielded. A stream cut before that raises
StreamInterruptedError with the partial TaskResult on ``.partial``.
"""

from __future__ import annotations

import contextlib
import json
from collections import deque
from collections.abc import Callable
from typing import Any, cast

from pydantic_core import from_json

from agentnb._sse import DEFAULT_MAX_EVENT_BYTES, ParsedFrame, SSEFrame, loads_data
from agentnb._stream import EventStream, ResponseOpener
from agentnb.a2a import v03_objects, v10_objects
from agentnb.a2a._build import ChunkFacts
from agentnb.a2a._wire import FrameShape
from agentnb.a2a.dialects import (
    Call,
    Dialect,
    Item,
    JsonRpcDialect,
    V03Grpc,
    V03JsonRpc,
    V03Rest,
    V10Grpc,
    V10JsonRpc,
    V10Rest,
    unauthenticated_error,
)
from agentnb.a2a.grpc.frames import GrpcFrame, proto_text_chunk, proto_text_chunk_v03
from agentnb.a2a.models import (
    A2AMessage,
    ArtifactUpdate,
    StreamEvent,
    Task,
    TaskResult,
    TaskState,
)
from agentnb.a2a.tasks import DEFAULT_MAX_ARTIFACT_BYTES, SeenTasks, TaskAssembler
from agentnb.errors import ProtocolError

__all__ = ["A2AReader", "A2AStream"]


class A2AReader:
    """A2A stream frames (JSON-RPC envelopes or bare REST objects) into StreamEvents."""

    def __init__(self, url: str, max_artifact_bytes: int = DEFAULT_MAX_ARTIFACT_BYTES) -> None:
        self.url = url
        self._dialect_: Dialect | None = None
        #: The codec's text-chunk reader for the dialect, and whether frames are JSON-RPC envelopes.
        self._text_chunk: Callable[[Any], ChunkFacts | None] | None = None
        self._enveloped = False
        #: The gRPC binding's reader of a text chunk straight from the protobuf message, if any.
        self._proto_chunk: Callable[[Any], ChunkFacts | None] | None = None
        self._decode_stream: Callable[[Any], Item] | None = None
        #: The shape of the text-chunk frames seen last, and how many more may be learned.
        self._shape: FrameShape | None = None
        self._shapes_left = _SHAPES
        self._learned_at = 0
        self.assembler = TaskAssembler(max_artifact_bytes)
        self.trailing: list[Item] = []
        self.event_count = 0
        self.interrupted = False
        self._done = False
        #: The request and whether it carried credentials (set when it opens): a JSON-RPC error
        #: that means "credentials refused" is raised as an AuthenticationError, as for a call.
        self.call: Call | None = None
        self.sent_auth = False

    @property
    def dialect(self) -> Dialect | None:
        """Set once the request has negotiated it (the stream opens lazily)."""
        return self._dialect_

    @dialect.setter
    def dialect(self, dialect: Dialect | None) -> None:
        self._dialect_ = dialect
        self._text_chunk, self._enveloped = _text_chunks(dialect)
        self._proto_chunk = _proto_chunks(dialect, self._text_chunk)
        self._decode_stream = dialect.decode_stream if dialect is not None else None

    def read(self, frame: SSEFrame, out: deque[StreamEvent]) -> bool:
        kind = type(frame)
        facts: ChunkFacts | None = None
        payload: Any = None
        if kind is GrpcFrame:  # a gRPC message: a text chunk is read from its fields
            proto_chunk = self._proto_chunk
            facts = proto_chunk(cast(GrpcFrame, frame).message) if proto_chunk is not None else None
            if facts is None:
                payload = cast(GrpcFrame, frame).payload
        elif kind is ParsedFrame:
            payload = cast(ParsedFrame, frame).payload
        else:
            data = frame.data
            shape = self._shape
            if shape is not None:
                # A frame like the last text chunk's but for its text: read without parsing it.
                facts = shape.read(data)
            if facts is None:
                try:
                    payload = from_json(data)  # ``loads_data``'s first try, written out: once per token
                except ValueError:
                    payload = self._loads(data)
        if facts is None:
            text_chunk = self._text_chunk
            if text_chunk is not None and type(payload) is dict and "error" not in payload:
                # The hot path: a streamed text chunk, folded in and described without any model.
                facts = text_chunk(payload.get("result") if self._enveloped else payload)
            item: Any = payload
            later = self._decode_stream
        elif kind is GrpcFrame:
            item, later = frame, self._decode_frame  # its ProtoJSON, decoded only if read
        else:
            item, later = frame.data, self._decode_data  # its JSON, parsed only if read
        join = self.assembler.join_text(facts) if facts is not None else None
        if join is not None and payload is not None and kind is SSEFrame and self._shapes_left:
            self._learn_shape(frame.data, payload, cast(ChunkFacts, facts))
        if facts is not None and join is not None:
            # Its event: what ``event_of`` makes of its decoded item, with ``item`` decoded
            # and ``artifact`` built only if read (tests/a2a/test_fast_chunks.py compares).
            self.event_count += 1
            text = facts[1]
            event = _new_event(StreamEvent)
            event.event_type = "content" if text else "artifact"
            event.content = text or None
            event.task_id, event.context_id = self.assembler.task_id, self.assembler.context_id
            event.metadata = facts[6]
            event.is_final, event.state, event.raw = False, None, None
            event._artifact, event._item, event._later = join, item, later
            out.append(event)
            return self._done
        if payload is None:  # a gRPC text chunk whose artifact the task holds as a model
            payload = cast(GrpcFrame, frame).payload
        out.append(self.event_of(self._decode_payload(payload)))
        return self._done

    def _learn_shape(self, data: str, payload: Any, facts: ChunkFacts) -> None:
        """Learn the shape of a text chunk's frame that the last shape did not fit. A stream whose
        chunks never share one (a per-chunk id in the envelope) stops trying after a few shapes
        that were of no use; one whose shapes serve (many artifacts, each with its own) goes on."""
        if self.event_count - self._learned_at <= 1:
            self._shapes_left -= 1  # the last shape was of no use (or there was none)
        else:
            self._shapes_left = _SHAPES  # it served: learning pays in this stream
        self._learned_at = self.event_count
        self._shape = FrameShape.learn(data, payload, facts, loads_data)

    def _decode_data(self, data: str) -> Item:
        return self._dialect().decode_stream(self._loads(data))

    def _decode_frame(self, frame: GrpcFrame) -> Item:
        return self._dialect().decode_stream(frame.payload)

    def read_trailing(self, frame: SSEFrame) -> None:
        # After the final event a bad frame is noted by its absence only.
        with contextlib.suppress(ProtocolError):
            parsed = frame.payload if isinstance(frame, ParsedFrame) else self._loads(frame.data)
            self.trailing.append(self._decode_payload(parsed))

    def read_body(self, body: bytes, content_type: str) -> tuple[StreamEvent]:
        # Errors raised before the first event come back as one plain JSON answer.
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError) as exc:
            raise ProtocolError(
                f"{self.url}: expected an SSE stream, got {content_type or 'no content type'}",
                raw=body[:2048],
                url=self.url,
            ) from exc
        self._refuse_auth(payload)
        event = self.event_of(self._dialect().decode_stream(payload))
        self._done = True
        return (event,)

    def at_end(self) -> str | None:
        if self.assembler.finished:
            return None
        if self.event_count == 0:
            return "the server closed the stream without sending any event"
        return "the stream ended before the task reached a final state"

    def result(self) -> TaskResult:
        return self.assembler.result()

    def finish(self) -> TaskResult:
        return self.assembler.result()

    def interrupt(self) -> TaskResult:
        self.interrupted = True
        return self.assembler.result()

    def text_of(self, event: StreamEvent) -> str | None:
        return event.content if event.event_type == "content" else None

    def _dialect(self) -> Dialect:
        if self.dialect is None:
            raise ProtocolError(f"{self.url}: a stream event arrived before the dialect was negotiated")
        return self.dialect

    def _loads(self, data: str) -> Any:
        try:
            return loads_data(data)  # json.loads, read about 3x faster
        except (ValueError, RecursionError) as exc:
            raise ProtocolError(
                f"{self.url}: a stream event is not JSON: {exc}", raw=data[:2048], url=self.url
            ) from exc

    def _decode_payload(self, payload: Any) -> Item:
        if isinstance(payload, dict) and "error" in payload:
            self._refuse_auth(payload)
        return self._dialect().decode_stream(payload)

    def _refuse_auth(self, payload: Any) -> None:
        refusal = unauthenticated_error(payload, self.call, sent_auth=self.sent_auth) if self.call else None
        if refusal is not None:
            raise refusal

    def event_of(self, item: Item) -> StreamEvent:
        """Fold one item into the task and describe it as a StreamEvent."""
        first = self.event_count == 0
        self.event_count += 1
        assembler = self.assembler
        assembler.absorb(item)
        values: dict[str, Any]
        if isinstance(item, ArtifactUpdate):  # the hot path: one per streamed chunk
            text = item.artifact.text
            values = {
                "event_type": "content" if text else "artifact",
                "content": text or None,
                "artifact": assembler.artifact(item.artifact.artifact_id),
            }
        elif isinstance(item, Task):
            state = item.status.state
            values = {
                "event_type": "started"
                if first and state in (TaskState.submitted, TaskState.working)
                else "task",
                "is_final": state.is_terminal or state.is_interrupted,
                "state": state,
            }
        elif isinstance(item, A2AMessage):
            reasoning = (item.metadata or {}).get("agno_content_category") == "reasoning"
            values = {
                "event_type": "reasoning" if reasoning else "content",
                "content": item.text,
                "is_final": not assembler.saw_task,
            }
        else:
            state = item.status.state
            message = item.status.message
            final = (
                state.is_terminal or state.is_interrupted or (item.final and state is not TaskState.working)
            )
            tool = _tool_event(item.metadata, message)
            values = {
                "event_type": tool if tool and not final else state.value,
                "content": message.text if message is not None and message.text else None,
                "is_final": final,
                "state": state,
            }
        # The event's metadata is its own copy, as the pydantic event it once was made one.
        metadata = dict(item.metadata) if item.metadata is not None else None
        event = StreamEvent(
            **values, metadata=metadata, task_id=assembler.task_id, context_id=assembler.context_id, item=item
        )
        if event.is_final:
            self._done = True
        return event


class A2AStream(EventStream[StreamEvent, TaskResult]):
    """A streamed A2A exchange: iterate it for StreamEvents; ``result`` is the TaskResult so far."""

    reader: A2AReader

    def __init__(
        self,
        reader: A2AReader,
        opener: ResponseOpener,
        *,
        url: str,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
        on_done: Callable[[TaskResult], None] | None = None,
        seen: SeenTasks | None = None,
    ) -> None:
        super().__init__(reader, opener, url=url, max_event_bytes=max_event_bytes, on_done=on_done)
        self._seen = seen

    def _report_done(self) -> None:
        # The client's list of seen tasks needs the ids only: the TaskResult is built when it is
        # read (``result``, ``until_done``). Building it at the end for nobody (a Part model per
        # streamed chunk) cost about 4% of a 10,000-chunk stream.
        if self._seen is not None:
            self._seen.note_ids(self.reader.assembler.task_id, self.reader.assembler.context_id)
        if self._on_done is not None:
            self._on_done(self.reader.finish())

    def __repr__(self) -> str:
        dialect = self.reader.dialect.label if self.reader.dialect else "A2A (negotiating)"
        return f"<A2AStream {dialect} {self.url} events={self.event_count}>"

    @property
    def task_id(self) -> str | None:
        return self.reader.assembler.task_id

    @property
    def trailing(self) -> list[Item]:
        """What the peer sent after the final event (read, kept, never yielded)."""
        return self.reader.trailing

    @property
    def interrupted(self) -> bool:
        return self.reader.interrupted

    async def get_final_result(self) -> TaskResult:
        """Read the rest of the stream and return the final TaskResult."""
        return await self.until_done()


_new_event = object.__new__
#: Shapes learned in vain per stream before it stops learning: a steady stream needs one per run
#: of like chunks (the first, the appends, the last); one whose every chunk differs wastes no more.
_SHAPES = 8


def _text_chunks(dialect: Dialect | None) -> tuple[Callable[[Any], ChunkFacts | None] | None, bool]:
    """How to read a text chunk's facts straight from a frame's JSON (the codec's reader, and
    whether the frame is a JSON-RPC envelope), for a dialect that decodes stream frames exactly
    as its codec's ``decode_item`` does (whose fast path checks the same facts); None for any
    other dialect, whose frames all go through ``decode_stream``."""
    if dialect is None:
        return None, False
    cls = type(dialect)
    if (cls.decode_stream, cls.decode, cls._guard) != (Dialect.decode_stream, Dialect.decode, Dialect._guard):
        return None, False
    if cls.unwrap is JsonRpcDialect.unwrap:
        if cls._decode is V03JsonRpc._decode:
            return v03_objects.text_chunk, True
        if cls._decode is V10JsonRpc._decode:
            return v10_objects.text_chunk, True
    if cls.unwrap is Dialect.unwrap and cls._decode in (V03Rest._decode, V10Rest._decode):
        return v10_objects.text_chunk, False
    return None, False


def _proto_chunks(
    dialect: Dialect | None, text_chunk: Callable[[Any], ChunkFacts | None] | None
) -> Callable[[Any], ChunkFacts | None] | None:
    """How to read a text chunk's facts from a gRPC message, for a gRPC dialect that decodes
    its messages' ProtoJSON with ``v10_objects.text_chunk``'s checks and wraps it as its class
    does (what ``proto_text_chunk`` gives is what that reader gives: see grpc/frames.py)."""
    if text_chunk is not v10_objects.text_chunk:
        return None
    if isinstance(dialect, V10Grpc) and type(dialect)._wrap is V10Grpc._wrap:
        return proto_text_chunk
    if isinstance(dialect, V03Grpc) and type(dialect)._wrap is V03Grpc._wrap:
        return proto_text_chunk_v03
    return None


def _tool_event(metadata: dict[str, Any] | None, status_message: A2AMessage | None) -> str | None:
    kind = (metadata or {}).get("agno_event_type")
    if kind in ("tool_call_started", "tool_call_completed"):
        return str(kind)
    for part in status_message.parts if status_message is not None else []:
        adk = (part.metadata or {}).get("adk_type")
        if adk == "function_call":
            return "tool_call_started"
        if adk == "function_response":
            return "tool_call_completed"
    return None
