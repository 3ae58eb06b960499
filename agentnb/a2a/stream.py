"""A2AStream: a streamed A2A exchange as StreamEvents, and the assembler that turns items into a
TaskResult (streamed or not).

Where the answer lives differs per peer (reference/a2a-protocol.md §4): a2a-sdk servers answer in
artifacts, Agno in agent messages, ADK in both. The assembler reads all of them: artifact chunks
are joined by ``artifactId`` (``append``/``lastChunk``), agent messages are concatenated, and a
status message is kept as the prompt of an input-/auth-required task.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from types import TracebackType
from typing import Any

import httpx

from agentnb._sse import DEFAULT_MAX_EVENT_BYTES, SSEDecoder, aiter_frames
from agentnb.a2a.codecs import Codec, Item
from agentnb.a2a.models import (
    A2AMessage,
    Artifact,
    ArtifactUpdate,
    Part,
    StatusUpdate,
    StreamEvent,
    Task,
    TaskResult,
    TaskState,
)
from agentnb.errors import ProtocolError, RemoteServerUnavailableError, StreamInterruptedError

log = logging.getLogger("agentnb")

__all__ = ["A2AStream", "TaskAssembler", "result_from_item"]

StreamOpener = Callable[[], contextlib.AbstractAsyncContextManager[httpx.Response]]

_DRAIN_LIMIT = 16


#: Artifact bytes (file contents and text) one task may hold in memory; more is refused and reported.
DEFAULT_MAX_ARTIFACT_BYTES = 64 * 1024 * 1024


def _size(parts: list[Part]) -> int:
    return sum(len(p.content) if p.content is not None else len(p.text or "") for p in parts)


class TaskAssembler:
    """Folds stream items (or one send result) into the state of one task."""

    def __init__(self, max_artifact_bytes: int = DEFAULT_MAX_ARTIFACT_BYTES) -> None:
        self.max_artifact_bytes = max_artifact_bytes
        self.held_bytes = 0
        #: Refusals by the caps, in words (also on TaskResult.refused).
        self.refused: list[str] = []
        self.task_id: str | None = None
        self.context_id: str | None = None
        self.state: TaskState | None = None
        self.artifacts: dict[str, Artifact] = {}
        #: Artifacts kept as received (shared with the item they came in): copied before joining.
        self._as_received: set[str] = set()
        self.message_chunks: list[str] = []
        self.status_text: str | None = None
        self.metadata: dict[str, Any] | None = None
        self.task: Task | None = None
        self.message: A2AMessage | None = None
        self.saw_task = False

    def _ids(self, task_id: str | None, context_id: str | None) -> None:
        if task_id and self.task_id is None:
            self.task_id = task_id
        if context_id and self.context_id is None:
            self.context_id = context_id

    def absorb(self, item: Item) -> None:
        if isinstance(item, Task):
            self.saw_task = True
            self._ids(item.id, item.context_id)
            self.task = item
            self.state = item.status.state
            self.metadata = item.metadata or self.metadata
            # A snapshot (resubscribe, final Task) carries its artifacts as they stand: they replace ours.
            snapshot = {a.artifact_id for a in item.artifacts}
            self.held_bytes = sum(_size(a.parts) for key, a in self.artifacts.items() if key not in snapshot)
            for artifact in item.artifacts:
                self.artifacts[artifact.artifact_id] = self._capped(artifact)
                self._as_received.add(artifact.artifact_id)
            if item.status.message is not None and item.status.message.text:
                self.status_text = item.status.message.text
            if not self.message_chunks and not any(a.text for a in item.artifacts):
                agent_text = _agent_text_after_last_user(item.history)
                if agent_text:
                    self.message_chunks = [agent_text]
        elif isinstance(item, A2AMessage):
            self._ids(item.task_id, item.context_id)
            self.message = item
            if item.role != "user" and item.text:
                self.message_chunks.append(item.text)
        elif isinstance(item, StatusUpdate):
            self.saw_task = True
            self._ids(item.task_id, item.context_id)
            self.state = item.status.state
            if item.metadata:
                self.metadata = {**(self.metadata or {}), **item.metadata}
            if item.status.message is not None and item.status.message.text:
                self.status_text = item.status.message.text
        elif isinstance(item, ArtifactUpdate):
            self.saw_task = True
            self._ids(item.task_id, item.context_id)
            self.join(item)

    def join(self, update: ArtifactUpdate) -> Artifact:
        incoming = update.artifact
        key = incoming.artifact_id
        known = self.artifacts.get(key)
        if known is None or not update.append:
            if known is not None:
                self.held_bytes -= _size(known.parts)
            joined = self._capped(incoming)
            self._as_received.add(key)
        else:
            if key in self._as_received:
                # Copied on the first append only, so the item it came in stays as received.
                known = _own_copy(known)
                self._as_received.discard(key)
            joined = known
            if self._fits(key, incoming.parts):
                joined.parts.extend(incoming.parts)
            if incoming.metadata:
                joined.metadata = incoming.metadata
        self.artifacts[key] = joined
        return joined

    def _fits(self, artifact_id: str, parts: list[Part]) -> bool:
        size = _size(parts)
        if self.held_bytes + size > self.max_artifact_bytes:
            message = (
                f"artifact {artifact_id!r}: {size} bytes refused, the task already holds {self.held_bytes} "
                f"of max_artifact_bytes={self.max_artifact_bytes}"
            )
            self.refused.append(message)
            log.warning("agentnb: %s", message)
            return False
        self.held_bytes += size
        return True

    def _capped(self, artifact: Artifact) -> Artifact:
        """``artifact`` if it fits under the cap, else a copy without its parts (and a refusal)."""
        if self._fits(artifact.artifact_id, artifact.parts):
            return artifact
        emptied = artifact.model_copy()
        emptied.parts = []
        return emptied

    @property
    def content(self) -> str:
        artifact_text = "".join(a.text for a in self.artifacts.values() if a.text)
        if artifact_text:
            return artifact_text
        if self.message_chunks:
            return "".join(self.message_chunks)
        settled = self.state is not None and self.state not in (TaskState.submitted, TaskState.working)
        if settled and self.status_text:
            # The answer (or the failure's reason, or the agent's question) is the status message.
            return self.status_text
        return ""

    @property
    def finished(self) -> bool:
        """A terminal or interrupted state, or a plain message answer outside any task."""
        if self.state is not None:
            return self.state.is_terminal or self.state.is_interrupted
        return self.message is not None and not self.saw_task

    def result(self) -> TaskResult:
        if self.state is not None:
            status = self.state.value
        elif self.message is not None and not self.saw_task:
            status = TaskState.completed.value  # a direct message answer is a finished exchange
        else:
            status = TaskState.unknown.value
        return TaskResult(
            task_id=self.task_id or "",
            context_id=self.context_id or "",
            status=status,
            content=self.content,
            artifacts=list(self.artifacts.values()),
            metadata=self.metadata,
            task=self.task,
            message=self.message,
            prompt=self.status_text if self.state is not None and self.state.is_interrupted else None,
            refused=list(self.refused),
        )


def _own_copy(artifact: Artifact) -> Artifact:
    """A copy that joining may extend (its own parts list); the item it came in stays as received.

    Parts and wire dicts are shared, not copied: nothing here changes them, and deep copies of
    every artifact made listing 10,000 artifacts take over a second.
    """
    copied = artifact.model_copy()
    copied.parts = list(artifact.parts)
    return copied


def _agent_text_after_last_user(history: list[A2AMessage]) -> str:
    last_user = max((i for i, m in enumerate(history) if m.role == "user"), default=-1)
    return "".join(m.text for m in history[last_user + 1 :] if m.role != "user")


def result_from_item(item: Item, max_artifact_bytes: int = DEFAULT_MAX_ARTIFACT_BYTES) -> TaskResult:
    """The TaskResult of a non-streamed send (a Task or a Message)."""
    assembler = TaskAssembler(max_artifact_bytes)
    assembler.absorb(item)
    return assembler.result()


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


class A2AStream:
    """A streamed A2A exchange: iterate it for StreamEvents; ``result`` is the TaskResult so far.

    The stream ends at the first terminal or interrupted state (completed, failed, canceled,
    rejected, input-required, auth-required); what the peer sends after that (Agno's extra Task
    event) is read and kept in ``trailing`` but not yielded. A stream cut before that raises
    StreamInterruptedError with the partial TaskResult on ``.partial``.
    """

    def __init__(
        self,
        opener: StreamOpener,
        codec: Codec,
        *,
        url: str,
        on_done: Callable[[TaskResult], None] | None = None,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
        max_artifact_bytes: int = DEFAULT_MAX_ARTIFACT_BYTES,
    ) -> None:
        self._opener = opener
        self.max_event_bytes = max_event_bytes
        self.codec = codec
        self.url = url
        self._on_done = on_done
        self._gen: AsyncIterator[StreamEvent] | None = None
        self._closed = False
        self.assembler = TaskAssembler(max_artifact_bytes)
        self.trailing: list[Item] = []
        self.event_count = 0
        self.interrupted = False

    def __repr__(self) -> str:
        return f"<A2AStream {self.codec.label} {self.url} events={self.event_count}>"

    def __aiter__(self) -> A2AStream:
        return self

    async def __anext__(self) -> StreamEvent:
        if self._gen is None:
            if self._closed:
                raise StopAsyncIteration
            self._gen = self._events()
        return await self._gen.__anext__()

    async def __aenter__(self) -> A2AStream:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._closed = True
        gen, self._gen = self._gen, None
        if gen is not None:
            await gen.aclose()  # type: ignore[attr-defined]
        if self.event_count and not self.assembler.finished:
            self.interrupted = True

    @property
    def result(self) -> TaskResult:
        return self.assembler.result()

    @property
    def task_id(self) -> str | None:
        return self.assembler.task_id

    async def get_final_result(self) -> TaskResult:
        async for _ in self:
            pass
        return self.result

    async def _events(self) -> AsyncIterator[StreamEvent]:
        decoder = SSEDecoder(self.max_event_bytes)
        try:
            async with self._opener() as response:
                ctype = response.headers.get("content-type", "")
                if "text/event-stream" not in ctype:
                    # Errors raised before the first event come back as one plain JSON answer.
                    body = await response.aread()
                    try:
                        payload = json.loads(body)
                    except (ValueError, RecursionError) as exc:
                        raise ProtocolError(
                            f"{self.url}: expected an SSE stream, got {ctype or 'no content type'}",
                            raw=body[:2048],
                            url=self.url,
                        ) from exc
                    item = self.codec.decode_stream(payload)
                    yield self._event(item)
                    self._done()
                    return
                frames = aiter_frames(response, decoder)
                async for frame in frames:
                    event = self._event(self._decode(frame.data))
                    if event.is_final:
                        await self._drain(frames)
                        self._done()
                        yield event
                        return
                    yield event
        except httpx.TransportError as exc:
            raise self._interrupted(
                f"the connection broke mid-stream ({type(exc).__name__}: {exc})", exc
            ) from exc
        except RemoteServerUnavailableError as exc:
            if self.event_count:
                raise self._interrupted(str(exc), exc) from exc
            raise
        if decoder.incomplete:
            raise self._interrupted("the stream was cut in the middle of an event")
        if self.assembler.finished:
            self._done()
            return
        if self.event_count == 0:
            raise self._interrupted("the server closed the stream without sending any event")
        raise self._interrupted("the stream ended before the task reached a final state")

    def _decode(self, data: str) -> Item:
        try:
            payload = json.loads(data)
        except (ValueError, RecursionError) as exc:
            raise ProtocolError(
                f"{self.url}: a stream event is not JSON: {exc}", raw=data[:2048], url=self.url
            ) from exc
        return self.codec.decode_stream(payload)

    async def _drain(self, frames: AsyncIterator[Any]) -> None:
        try:
            async for frame in frames:
                with contextlib.suppress(ProtocolError):
                    item = self._decode(frame.data)
                    self.trailing.append(item)
                if len(self.trailing) >= _DRAIN_LIMIT:
                    break
        except (httpx.TransportError, ProtocolError):
            pass  # the task already ended; what follows is best effort

    def _event(self, item: Item) -> StreamEvent:
        first = self.event_count == 0
        self.event_count += 1
        assembler = self.assembler
        assembler.absorb(item)
        common = {"task_id": assembler.task_id, "context_id": assembler.context_id, "item": item}
        if isinstance(item, Task):
            state = item.status.state
            started = first and state in (TaskState.submitted, TaskState.working)
            return StreamEvent(
                event_type="started" if started else "task",
                metadata=item.metadata,
                is_final=state.is_terminal or state.is_interrupted,
                state=state,
                **common,
            )
        if isinstance(item, A2AMessage):
            reasoning = (item.metadata or {}).get("agno_content_category") == "reasoning"
            return StreamEvent(
                event_type="reasoning" if reasoning else "content",
                content=item.text,
                metadata=item.metadata,
                is_final=not assembler.saw_task,
                **common,
            )
        if isinstance(item, StatusUpdate):
            state = item.status.state
            message = item.status.message
            final = (
                state.is_terminal or state.is_interrupted or (item.final and state is not TaskState.working)
            )
            tool = _tool_event(item.metadata, message)
            return StreamEvent(
                event_type=tool if tool and not final else state.value,
                content=message.text if message is not None and message.text else None,
                metadata=item.metadata,
                is_final=final,
                state=state,
                **common,
            )
        joined = assembler.artifacts[item.artifact.artifact_id]
        text = item.artifact.text
        return StreamEvent(
            event_type="content" if text else "artifact",
            content=text or None,
            metadata=item.metadata,
            artifact=joined,
            **common,
        )

    def _done(self) -> None:
        if self._on_done is not None:
            self._on_done(self.result)

    def _interrupted(self, why: str, original: BaseException | None = None) -> StreamInterruptedError:
        self.interrupted = True
        partial = self.result
        return StreamInterruptedError(
            f"{self.url}: {why}; the {len(partial.content)} characters received are kept on error.partial",
            url=self.url,
            partial=partial,
            original_error=original,
        )
