"""TaskAssembler: folds A2A items (a send's answer, or a stream's events) into a TaskResult. No I/O.

Where the answer lives differs per peer (reference/a2a-protocol.md §4): a2a-sdk servers answer in
artifacts, Agno in agent messages, ADK in both. The assembler reads all of them: artifact chunks
are joined by ``artifactId`` (``append``/``lastChunk``), agent messages are concatenated, and a
status message is kept as the prompt of an input-/auth-required task.

Servers read the spec loosely (reference/a2a-protocol.md §5.2): ``append: false`` for a known
artifact id replaces it; a last chunk (or a final agent message, or a second artifact) that repeats
the whole answer already received is taken as a re-send, not doubled; a status message with text
and nothing else is the answer. ``settle`` polls a task that a "blocking" send left running.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from agentnb.a2a._build import BAD, ChunkFacts, TextJoin, fast_model, metadata_or_bad
from agentnb.a2a.dialects import Item
from agentnb.a2a.models import (
    A2AMessage,
    Artifact,
    ArtifactUpdate,
    Part,
    StatusUpdate,
    Task,
    TaskResult,
    TaskState,
    TaskStatus,
)

log = logging.getLogger("agentnb")

__all__ = [
    "DEFAULT_MAX_ARTIFACT_BYTES",
    "SeenTasks",
    "TaskAssembler",
    "result_from_item",
    "settle",
]

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
        #: Artifacts by id; a streamed text artifact is a TextJoin until read (``artifacts``).
        self._artifacts: dict[str, Artifact | TextJoin] = {}
        #: Artifacts kept as received (shared with the item they came in): copied before joining.
        self._as_received: set[str] = set()
        self.message_chunks: list[str] = []
        self.status_text: str | None = None
        self.metadata: dict[str, Any] | None = None
        self.task: Task | None = None
        #: The status of the last StatusUpdate after the last Task snapshot (None: the snapshot's).
        self._status: TaskStatus | None = None
        self.message: A2AMessage | None = None
        self.saw_task = False

    def _ids(self, task_id: str | None, context_id: str | None) -> None:
        if task_id and self.task_id is None:
            self.task_id = task_id
        if context_id and self.context_id is None:
            self.context_id = context_id

    @property
    def artifacts(self) -> dict[str, Artifact]:
        """The task's artifacts by id (streamed ones built now if nobody read them yet)."""
        return {key: self.artifact(key) for key in self._artifacts}

    def artifact(self, key: str) -> Artifact:
        held = self._artifacts[key]
        return held.value() if type(held) is TextJoin else held  # type: ignore[return-value]

    def join_text(self, facts: ChunkFacts) -> TextJoin | None:
        """Fold in a text chunk (``_build.chunk_facts``) as ``join`` would fold its decoded item,
        without building its models; None (nothing done) when its artifact is held as a model."""
        key, text = facts[0], facts[1]
        known = self._artifacts.get(key)
        if known is not None and type(known) is not TextJoin:
            return None
        self.saw_task = True
        if self.task_id is None or self.context_id is None:
            self._ids(facts[2], facts[3])
        if (
            known is None
            or not facts[4]  # not an append: it replaces
            or (facts[5] and len(known.texts) > 1 and text and text == known.text)  # re-sent whole
        ):
            if known is not None:
                self.held_bytes -= known.size
            known = self._artifacts[key] = TextJoin(facts)
            self._as_received.discard(key)
        elif facts[10]:
            known.set_metadata(facts[10])
        size = len(text)
        if self.held_bytes + size > self.max_artifact_bytes:
            self._fits_size(key, size)  # refused, and said so
        elif known.live is None:
            # ``known.add`` and ``_fits_size``, written out: this runs once per streamed token.
            self.held_bytes += size
            known.size += size
            known.texts.append(text)
            known.parts.append(facts[11])
            known.metas.append(facts[12])
        else:
            self.held_bytes += size
            known.add(text, facts[11], facts[12])
        return known

    def absorb(self, item: Item) -> None:
        if isinstance(item, ArtifactUpdate):  # first: one per streamed chunk
            self.saw_task = True
            if self.task_id is None or self.context_id is None:
                self._ids(item.task_id, item.context_id)
            self.join(item)
        elif isinstance(item, Task):
            self.saw_task = True
            self._ids(item.id, item.context_id)
            self.task, self._status = item, None
            self.state = item.status.state
            self.metadata = item.metadata or self.metadata
            # A snapshot (resubscribe, final Task) carries its artifacts as they stand: they replace ours.
            snapshot = {a.artifact_id for a in item.artifacts}
            self.held_bytes = sum(
                a.size if isinstance(a, TextJoin) else _size(a.parts)
                for key, a in self._artifacts.items()
                if key not in snapshot
            )
            for artifact in item.artifacts:
                self._artifacts[artifact.artifact_id] = self._capped(artifact)
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
            # A final message repeating every chunk streamed so far is a re-send of the whole.
            resent = len(self.message_chunks) > 1 and item.text == "".join(self.message_chunks)
            if item.role != "user" and item.text and not resent:
                self.message_chunks.append(item.text)
        elif isinstance(item, StatusUpdate):
            self.saw_task = True
            self._ids(item.task_id, item.context_id)
            self.state, self._status = item.status.state, item.status
            if item.metadata:
                self.metadata = {**(self.metadata or {}), **item.metadata}
            if item.status.message is not None and item.status.message.text:
                self.status_text = item.status.message.text

    def join(self, update: ArtifactUpdate) -> Artifact:
        incoming = update.artifact
        key = incoming.artifact_id
        held = self._artifacts.get(key)
        # A text join becomes the task's own model here, extended in place from now on.
        known = held.value() if isinstance(held, TextJoin) else held
        resent = (
            known is not None
            and update.last_chunk
            and len(known.parts) > 1  # one chunk repeated ("ha", "ha") may be meant
            and bool(incoming.text)
            and incoming.text == known.text
            and all(p.text is not None for p in incoming.parts)
        )
        if known is None or not update.append or resent:
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
        self._artifacts[key] = joined
        return joined

    def _fits(self, artifact_id: str, parts: list[Part]) -> bool:
        return self._fits_size(artifact_id, _size(parts))

    def _fits_size(self, artifact_id: str, size: int) -> bool:
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
        texts = [a.text for a in self._artifacts.values() if a.text]
        if len(texts) > 1 and texts[-1] == "".join(texts[:-1]):
            # The last artifact is the whole answer again, under a new id: a re-send.
            texts = texts[-1:]
        artifact_text = "".join(texts)
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
        artifacts = list(self.artifacts.values())
        values: dict[str, Any] = {
            "task_id": self.task_id or "",
            "context_id": self.context_id or "",
            "status": status,
            "content": self.content,
            "artifacts": artifacts,
            "metadata": self.metadata,
            "task": self._current_task(artifacts),
            "message": self.message,
            "prompt": self.status_text if self.state is not None and self.state.is_interrupted else None,
            "refused": self._refusals(),
        }
        # Every value comes from models decoded already; built directly when their types are
        # exact (listing 10,000 artifacts makes one result per task), else validated as usual.
        metadata = metadata_or_bad(values["metadata"])
        if (
            metadata is not BAD
            and type(values["task"]) in (Task, type(None))
            and type(values["message"]) in (A2AMessage, type(None))
            and all(type(a) is Artifact for a in values["artifacts"])
        ):
            return fast_model(TaskResult, {**values, "metadata": metadata}, None)
        return TaskResult(**values)

    def _refusals(self) -> list[str]:
        """What a cap refused, and parts of a kind no codec reads (a newer spec's, a server's own):
        they are empty text parts whose JSON stays on ``part.raw``; saying so beats losing them quietly."""
        unread = sum(  # a TextJoin holds text chunks only (the codecs' text_chunk checks)
            _unread(p) for held in self._artifacts.values() if type(held) is Artifact for p in held.parts
        )
        if not unread:
            return list(self.refused)
        return [*self.refused, f"{unread} artifact part(s) of a kind agentnb does not read: kept on part.raw"]

    def _current_task(self, artifacts: list[Artifact]) -> Task | None:
        """The last Task snapshot brought up to date: a stream's first snapshot says "submitted"
        while its updates go on to "completed" and stream the artifacts in."""
        task = self.task
        if task is None:
            return None
        held = task.artifacts
        same = len(held) == len(artifacts) and all(a is b for a, b in zip(held, artifacts, strict=True))
        if self._status is None and same:
            return task  # the snapshot is the latest word (a listing's tasks: no copy)
        update: dict[str, Any] = {} if same else {"artifacts": artifacts}
        if self._status is not None:
            update["status"] = self._status
        return task.model_copy(update=update)


#: The keys of a text part in either version (v1.0 ProtoJSON may leave out an empty ``text``).
_TEXT_PART_KEYS = frozenset({"text", "kind", "metadata"})


def _unread(part: Part) -> bool:
    """A part read as empty text for want of any text: {"kind": "image", ...}, {"hologram": ...}."""
    wire = part.raw
    if part.kind != "text" or part.text or not isinstance(wire, dict) or isinstance(wire.get("text"), str):
        return False
    return wire.get("kind") not in (None, "text") or bool(wire.keys() - _TEXT_PART_KEYS)


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


def _settled(result: TaskResult) -> bool:
    return result.state.is_terminal or result.state.is_interrupted


#: Polling a task that a blocking send left running: the first wait and the cap it doubles up to.
POLL_FIRST_S = 0.2
POLL_MAX_S = 2.0


async def settle(
    result: TaskResult,
    fetch: Callable[[TaskResult], Awaitable[TaskResult]],
    timeout: float | None,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> TaskResult:
    """Ask for a ``submitted``/``working`` task again until it is terminal or interrupted.

    For a server that answers a blocking send before the task ends (the spec lets it time out).
    Waits 0.2 s doubling to 2 s between asks; after ``timeout`` seconds it returns the task as last
    seen (still running) rather than raising, so the caller keeps its id to poll or resubscribe.
    """
    if not result.task_id or result.state not in (TaskState.submitted, TaskState.working):
        return result
    loop = asyncio.get_running_loop()
    deadline = loop.time() + (timeout if timeout is not None else float("inf"))  # None: no limit
    delay = POLL_FIRST_S
    while not _settled(result) and (remaining := deadline - loop.time()) > 0:
        await sleep(min(delay, remaining))
        result = await fetch(result)
        delay = min(delay * 2, POLL_MAX_S)
    return result


class SeenTasks:
    """The ids of the tasks a client has seen, newest last, at most ``limit`` (a v0.3 peer cannot
    list its tasks, so ``tasks_table`` asks for these one by one)."""

    def __init__(self, limit: int = 1000) -> None:
        self.limit = limit
        self._ids: OrderedDict[str, str] = OrderedDict()  # task id -> context id

    def note_ids(self, task_id: str | None, context_id: str | None) -> None:
        if task_id:
            self._ids.pop(task_id, None)
            self._ids[task_id] = context_id or ""
            while len(self._ids) > self.limit:
                self._ids.popitem(last=False)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(list(self._ids.items()))

    def __len__(self) -> int:
        return len(self._ids)
