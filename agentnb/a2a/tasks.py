"""TaskAssembler: folds A2A items (a send's answer, or a stream's events) into a TaskResult. No I/O.

Where the answer lives differs per peer (reference/a2a-protocol.md §4): a2a-sdk servers answer in
artifacts, Agno in agent messages, ADK in both. The assembler reads all of them: artifact chunks
are joined by ``artifactId`` (``append``/``lastChunk``), agent messages are concatenated, and a
status message is kept as the prompt of an input-/auth-required task.
"""

from __future__ import annotations

import logging
from typing import Any

from agentnb.a2a._build import BAD, fast_model, metadata_or_bad
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
)

log = logging.getLogger("agentnb")

__all__ = ["DEFAULT_MAX_ARTIFACT_BYTES", "TaskAssembler", "result_from_item"]

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
        if isinstance(item, ArtifactUpdate):  # first: one per streamed chunk
            self.saw_task = True
            if self.task_id is None or self.context_id is None:
                self._ids(item.task_id, item.context_id)
            self.join(item)
        elif isinstance(item, Task):
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
        values: dict[str, Any] = {
            "task_id": self.task_id or "",
            "context_id": self.context_id or "",
            "status": status,
            "content": self.content,
            "artifacts": list(self.artifacts.values()),
            "metadata": self.metadata,
            "task": self.task,
            "message": self.message,
            "prompt": self.status_text if self.state is not None and self.state.is_interrupted else None,
            "refused": list(self.refused),
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
