"""The A2A artifacts table: ``artifacts_table()`` (and its async twin) and ``artifact_frame()``.

It reads A2A results already at hand, or pages through every task a v1.0 peer lists.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Mapping
from contextlib import aclosing
from typing import Any, Protocol, TypeVar, runtime_checkable

import pandas as pd

from agentnb import _sync
from agentnb.a2a.client import A2AClient, TaskList
from agentnb.a2a.listing import aiter_pages
from agentnb.a2a.models import NO_LISTING_CODES, Task, TaskResult
from agentnb.a2a.task_rows import ArtifactRow, aiter_artifact_row_pages, artifact_rows
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

T = TypeVar("T")


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
    if isinstance(source, A2AClient):
        # Rows straight from the listing's JSON: a few facts per part, no models (task_rows.py).
        # Each page becomes cells at once: rows held to the end made the collector walk them again
        # and again, and one full pass over a big heap can cost as much as the table (bench_tables.py).
        cols = _columns(_ARTIFACT_SCHEMA)
        pages = aiter_artifact_row_pages(source, context_id=context_id, page_size=page_size)
        async with aclosing(pages):
            try:
                async for rows in pages:
                    _add_rows(cols, rows)
            except A2AError as exc:
                if (refusal := _cannot_list(source, exc)) is None:
                    raise
                raise refusal from exc
        return _frame(_ARTIFACT_SCHEMA, cols)
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
    async def fetch(token: str | None) -> tuple[list[TaskResult], str | None]:
        listing = client.alist_tasks(
            context_id=context_id, page_size=page_size, page_token=token, include_artifacts=True
        )
        page = await _listing(client, listing)
        return page.tasks, page.next_page_token

    where = str(getattr(client, "base_url", "this peer"))
    return [task async for page in aiter_pages(fetch, where=where) for task in page]


async def _listing(client: object, listing: Awaitable[T]) -> T:
    """The listing's answer; a peer that cannot list tasks is told to pass results instead."""
    try:
        return await listing
    except A2AError as exc:
        if (refusal := _cannot_list(client, exc)) is None:
            raise
        raise refusal from exc


def _cannot_list(client: object, exc: A2AError) -> ValueError | None:
    """When ``exc`` says the peer cannot list tasks, a ValueError that says what to pass instead."""
    if exc.code not in NO_LISTING_CODES:
        return None
    where = getattr(client, "base_url", "this peer")
    return ValueError(
        f"listing tasks needs an A2A v1.0 peer; {where} cannot ({exc}). Pass the results "
        "instead: artifacts_table(result) or artifacts_table([result, ...])"
    )


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
    return _rows_frame(artifact_rows(results))


def _rows_frame(rows: Iterable[ArtifactRow]) -> pd.DataFrame:
    cols = _columns(_ARTIFACT_SCHEMA)
    _add_rows(cols, rows)
    return _frame(_ARTIFACT_SCHEMA, cols)


def _add_rows(cols: dict[str, list[Any]], rows: Iterable[ArtifactRow]) -> None:
    # Column by column (one transposition, then comprehensions): appending ten cells row by row
    # was a fifth of a listing's table.
    columns = list(zip(*rows, strict=True))
    if not columns:
        return
    task_ids, context_ids, artifact_ids, names, mimes, kinds, sizes, uris, texts, datas = columns
    cols["task_id"] += task_ids
    cols["context_id"] += context_ids
    cols["artifact_id"] += artifact_ids
    # _clip only what is long: most names and types are short.
    cols["name"] += [n if n is None or len(n) <= NAME_CHARS else _clip(n, NAME_CHARS) for n in names]
    cols["mime_type"] += [m if m is None or len(m) <= NAME_CHARS else _clip(m, NAME_CHARS) for m in mimes]
    cols["kind"] += kinds
    cols["size_bytes"] += sizes
    cols["uri"] += uris
    # The preview is the text, else the data (one value, or the list of them).
    cols["preview"] += [
        (text if len(text) <= PREVIEW_CHARS else _clip(text, PREVIEW_CHARS))
        if text
        else (_clip(data[0] if len(data) == 1 else data, PREVIEW_CHARS) if data else None)
        for text, data in zip(texts, datas, strict=True)
    ]
