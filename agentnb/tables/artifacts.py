"""The A2A artifacts table: ``artifacts_table()`` (and its async twin) and ``artifact_frame()``.

It reads A2A results already at hand, or pages through every task a v1.0 peer lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

import pandas as pd

from agentnb import _sync
from agentnb.a2a.client import A2AClient, TaskList
from agentnb.a2a.models import Artifact, Part, Task, TaskResult
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
    task_ids, context_ids, artifact_ids = cols["task_id"], cols["context_id"], cols["artifact_id"]
    names, mimes, kinds, sizes = cols["name"], cols["mime_type"], cols["kind"], cols["size_bytes"]
    uris, previews = cols["uri"], cols["preview"]
    for result in results:
        if isinstance(result, Task):
            task_id, context_id, artifacts = result.id, result.context_id, result.artifacts
        else:
            task_id, context_id = result.task_id, result.context_id
            artifacts = result.artifacts or (result.task.artifacts if result.task is not None else [])
        for artifact in artifacts:
            name, mime, kind, size, uri, preview = _row_of(artifact)
            task_ids.append(task_id or None)
            context_ids.append(context_id or None)
            artifact_ids.append(artifact.artifact_id or None)
            names.append(_clip(name, NAME_CHARS))
            mimes.append(_clip(mime, NAME_CHARS))
            kinds.append(kind)
            sizes.append(size)
            uris.append(uri)
            previews.append(preview)
    return _frame(_ARTIFACT_SCHEMA, cols)


def _row_of(
    artifact: Artifact,
) -> tuple[str | None, str | None, str | None, int | None, str | None, str | None]:
    """(name, mime type, kind, size, uri, preview) of one artifact, reading its parts once.

    The same readings as Artifact's properties: the name falls back to the first file part's
    filename; uri and MIME type are the first file part's (else the declared type, or text/plain
    for text); a data artifact without a type is application/json; the size counts file bytes
    and UTF-8 text bytes (None when no part has either); the preview is the text, else the data.
    """
    kinds: set[str] = set()
    first_file: Part | None = None
    filename: str | None = None
    first_mime: str | None = None
    size: int | None = None
    texts: list[str] = []
    data: list[Any] = []
    for part in artifact.parts:
        kind = part.kind
        kinds.add(kind)
        if kind == "file":
            if first_file is None:
                first_file = part
            if filename is None and part.filename:
                filename = part.filename
            if part.content is not None:
                size = (size or 0) + len(part.content)
        elif kind == "text":
            if part.text is not None:
                size = (size or 0) + len(part.text.encode("utf-8"))
                if part.text:
                    texts.append(part.text)
        else:
            data.append(part.data)
        if first_mime is None and part.mime_type:
            first_mime = part.mime_type
    the_kind = (kinds.pop() if len(kinds) == 1 else "mixed") if kinds else None
    text = "".join(texts)
    if first_file is not None:
        mime, uri = first_file.mime_type, first_file.uri
    else:
        mime, uri = artifact.declared_mime_type or ("text/plain" if text else None), None
    if mime is None and the_kind == "data":
        mime = first_mime or "application/json"
    if text:
        preview = _clip(text, PREVIEW_CHARS)
    elif data:
        preview = _clip(data[0] if len(data) == 1 else data, PREVIEW_CHARS)
    else:
        preview = None
    return artifact.name or filename, mime, the_kind, size, uri, preview
