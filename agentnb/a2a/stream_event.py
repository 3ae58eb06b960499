"""StreamEvent: one event of an A2A stream, as light as agno's dataclass (a stream makes one per token).

It lives apart from the models so that ``models`` can re-export it: it needs none of them at
run time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from agentnb._repr import html_card, markdown_card

if TYPE_CHECKING:
    from agentnb.a2a.models import Artifact, TaskState

__all__ = ["Later", "StreamEvent"]


class Later:
    """A value built when first read: what a chunk's StreamEvent holds in place of its artifact."""

    __slots__ = ()

    def value(self) -> Any:
        raise NotImplementedError


_EVENT_FIELDS = ("event_type", "content", "task_id", "context_id", "metadata", "is_final", "state")


@dataclasses.dataclass(init=False, repr=False, eq=False)
class StreamEvent:
    """One event of ``stream_message`` (agno's ``StreamEvent``: a dataclass with its six fields).

    ``event_type`` is "started", "task", "working", "content", "reasoning", "artifact",
    "tool_call_started", "tool_call_completed", or a final/interrupting state: "completed",
    "failed", "canceled", "rejected", "input-required", "auth-required". A light slotted object,
    not a model: a stream makes one per token. For an artifact chunk, ``item`` (the decoded
    ArtifactUpdate) and ``artifact`` (the artifact as joined, the task's own) are built from
    the chunk's JSON when first read (``_later`` decodes ``_item``'s JSON; ``_artifact`` may be
    a ``Later``).
    """

    __slots__ = (*_EVENT_FIELDS, "raw", "_artifact", "_item", "_later")
    event_type: str
    content: str | None
    task_id: str | None
    context_id: str | None
    metadata: dict[str, Any] | None
    is_final: bool
    state: TaskState | None

    def __init__(
        self,
        event_type: str,
        content: str | None = None,
        task_id: str | None = None,
        context_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        is_final: bool = False,
        state: TaskState | None = None,
        artifact: Artifact | None = None,
        item: Any = None,
        raw: dict[str, Any] | None = None,
    ) -> None:
        self.event_type, self.content, self.task_id, self.context_id = (
            event_type,
            content,
            task_id,
            context_id,
        )
        self.metadata, self.is_final, self.state, self.raw = metadata, is_final, state, raw
        self._artifact: Any = artifact
        self._item: Any = item
        self._later: Callable[[Any], Any] | None = None

    @property
    def artifact(self) -> Artifact | None:
        """For artifact chunks: the artifact as the task holds it, joined so far (the task's own
        object, which later chunks of the same artifact extend, as they always did)."""
        artifact = self._artifact
        if isinstance(artifact, Later):
            artifact = self._artifact = artifact.value()
        return artifact  # type: ignore[no-any-return]

    @artifact.setter
    def artifact(self, value: Artifact | None) -> None:
        self._artifact = value

    @property
    def item(self) -> Any:
        """The decoded stream item (Task, A2AMessage, StatusUpdate or ArtifactUpdate)."""
        decode = self._later
        if decode is not None:
            # Until now ``_item`` held the frame's JSON: decoded as the stream would have.
            self._later = None
            self._item = decode(self._item)
        return self._item

    @item.setter
    def item(self, value: Any) -> None:
        self._item, self._later = value, None

    def __repr__(self) -> str:
        return f"StreamEvent({', '.join(f'{k}={getattr(self, k)!r}' for k in _EVENT_FIELDS)})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        names = (*_EVENT_FIELDS, "raw", "artifact", "item")
        return all(getattr(self, k) == getattr(other, k) for k in names)

    __hash__ = None  # type: ignore[assignment]  # mutable, as agno's dataclass

    def _repr_html_(self) -> str:
        return html_card(f"StreamEvent: {self.event_type}", [("task", self.task_id)], self.content)

    def _repr_markdown_(self) -> str:
        return markdown_card(f"StreamEvent: {self.event_type}", [("task", self.task_id)], self.content)

    @property
    def is_content(self) -> bool:
        return self.event_type == "content" and self.content is not None

    @property
    def is_started(self) -> bool:
        return self.event_type == "started"

    @property
    def is_completed(self) -> bool:
        return self.event_type == "completed"

    @property
    def is_tool_call(self) -> bool:
        return self.event_type in ("tool_call_started", "tool_call_completed")
