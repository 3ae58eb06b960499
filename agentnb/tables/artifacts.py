"""The A2A artifacts table: ``artifacts_table()`` (and its async twin) and ``artifact_frame()``.

It reads A2A results already at hand, or pages through every task a v1.0 peer lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

import pandas as pd

from agentnb import _sync
from agentnb.a2a.client import A2AClient, TaskList
from agentnb.a2a.models import Artifact, Task, TaskResult
from agentnb.errors import A2AError
from agentnb.runs.models import RunOutput
from agentnb.tables._frame import _INT, _STR, NAME_CHARS, PREVIEW_CHARS, _clip, _columns, _frame

_ARTIFACT_SCHEMA: tuple[tuple[str, str], ...] = (
    ("task_id", _STR),
    ("context_id", _STR),
    ("artifact_id", _STR),
    ("name", _STR),
    ("mime_type", _STR),
    ("kind", _STR),
    ("size_bytes", _INT),
    ("uri", _STR),
    ("preview", _STR),
)

#: Columns of artifacts_table(), in order.
ARTIFACT_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _ARTIFACT_SCHEMA)

#: The JSON-RPC codes a peer answers with when it cannot list tasks.
_NO_LISTING = (-32004, -32601)


@runtime_checkable
class _TaskLister(Protocol):
    async def alist_tasks(
        self,
        *,
        context_id: str | None = ...,
        page_size: int | None = ...,
        page_token: str | None = ...,
        include_artifacts: bool | None = ...,
    ) -> TaskList: ...


#: What artifacts_table() reads: A2A results (or RunOutputs of A2A runs), one or many, or a client.
ArtifactSource = TaskResult | Task | RunOutput | Iterable[TaskResult | Task | RunOutput] | A2AClient


async def aartifacts_table(
    source: ArtifactSource, *, context_id: str | None = None, page_size: int | None = None
) -> pd.DataFrame:
    """One row per artifact of A2A results, or of every task a v1.0 peer lists.

    ``source`` is a TaskResult, a RunOutput of an A2A run, a list of those, or an A2AClient (then
    ``context_id`` and ``page_size`` filter and size the peer's pages).

    >>> df = await aartifacts_table(await client.send_message("make a report"))
    """
    if isinstance(source, _TaskLister):
        return artifact_frame(await _list_all_tasks(source, context_id=context_id, page_size=page_size))
    return artifact_frame(_results_of(source))


def artifacts_table(
    source: ArtifactSource, *, context_id: str | None = None, page_size: int | None = None
) -> pd.DataFrame:
    """Sync twin of aartifacts_table(): a DataFrame with ``ARTIFACT_COLUMNS``.

    >>> artifacts_table(agent.run("make a report"))
    """
    if isinstance(source, _TaskLister):
        return _sync.run_sync(aartifacts_table(source, context_id=context_id, page_size=page_size))
    return artifact_frame(_results_of(source))


async def _list_all_tasks(
    client: _TaskLister, *, context_id: str | None, page_size: int | None
) -> list[TaskResult]:
    tasks: list[TaskResult] = []
    token: str | None = None
    seen: set[str] = set()
    while True:
        try:
            page = await client.alist_tasks(
                context_id=context_id, page_size=page_size, page_token=token, include_artifacts=True
            )
        except A2AError as exc:
            if exc.code in _NO_LISTING:
                where = getattr(client, "base_url", "this peer")
                raise ValueError(
                    f"listing tasks needs an A2A v1.0 peer; {where} cannot ({exc}). Pass the results "
                    "instead: artifacts_table(result) or artifacts_table([result, ...])"
                ) from exc
            raise
        tasks.extend(page.tasks)
        token = page.next_page_token
        # A peer that hands back a token it already gave would page forever.
        if not token or token in seen:
            return tasks
        seen.add(token)


def _results_of(source: Any) -> list[TaskResult | Task]:
    if isinstance(source, (TaskResult, Task)):
        return [source]
    if isinstance(source, RunOutput):
        return _results_of(source.a2a) if source.a2a is not None else []
    if isinstance(source, Iterable) and not isinstance(source, (str, bytes, Mapping)):
        return [r for item in source for r in _results_of(item)]
    raise TypeError(
        "artifacts_table() takes a TaskResult, a RunOutput of an A2A run, a list of those, "
        f"or an A2AClient; not {type(source).__name__}"
    )


def artifact_frame(results: Iterable[TaskResult | Task]) -> pd.DataFrame:
    """The artifacts table of A2A results (or Tasks) already at hand."""
    cols = _columns(_ARTIFACT_SCHEMA)
    for result in results:
        if isinstance(result, Task):
            task_id, context_id, artifacts = result.id, result.context_id, result.artifacts
        else:
            task_id, context_id = result.task_id, result.context_id
            artifacts = result.artifacts or (result.task.artifacts if result.task is not None else [])
        for artifact in artifacts:
            kind = _kind_of(artifact)
            cols["task_id"].append(task_id or None)
            cols["context_id"].append(context_id or None)
            cols["artifact_id"].append(artifact.artifact_id or None)
            cols["name"].append(_clip(artifact.name or _filename_of(artifact), NAME_CHARS))
            cols["mime_type"].append(_clip(_mime_of(artifact, kind), NAME_CHARS))
            cols["kind"].append(kind)
            cols["size_bytes"].append(_size_of(artifact))
            cols["uri"].append(artifact.uri)
            cols["preview"].append(_preview_of(artifact))
    return _frame(_ARTIFACT_SCHEMA, cols)


def _kind_of(artifact: Artifact) -> str | None:
    kinds = {p.kind for p in artifact.parts}
    if not kinds:
        return None
    return kinds.pop() if len(kinds) == 1 else "mixed"


def _filename_of(artifact: Artifact) -> str | None:
    return next((p.filename for p in artifact.parts if p.kind == "file" and p.filename), None)


def _mime_of(artifact: Artifact, kind: str | None) -> str | None:
    mime = artifact.mime_type
    if mime is None and kind == "data":
        mime = next((p.mime_type for p in artifact.parts if p.mime_type), "application/json")
    return mime


def _size_of(artifact: Artifact) -> int | None:
    """Bytes of the file contents and texts; None when no part has any (a uri, data)."""
    size: int | None = None
    for part in artifact.parts:
        if part.kind == "file" and part.content is not None:
            size = (size or 0) + len(part.content)
        elif part.kind == "text" and part.text is not None:
            size = (size or 0) + len(part.text.encode("utf-8"))
    return size


def _preview_of(artifact: Artifact) -> str | None:
    if artifact.text:
        return _clip(artifact.text, PREVIEW_CHARS)
    data = artifact.data
    if data:
        return _clip(data[0] if len(data) == 1 else data, PREVIEW_CHARS)
    return None
