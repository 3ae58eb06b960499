"""The A2A tasks table: ``tasks_table(client, ...)`` and its async twin ``atasks_table``.

A v1.0 peer lists its tasks (``ListTasks``, filtered by context and status, every cursor page
read). A peer that cannot list (v0.3, Agno) answers -32004/-32601; then the table shows the tasks
this client has seen (``client.seen_tasks``, bounded), each asked for again with ``get_task`` so
its state is current, filtered here the same way.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pandas as pd

from agentnb import _sync
from agentnb.a2a.client import A2AClient
from agentnb.a2a.listing import aiter_pages
from agentnb.a2a.models import NO_LISTING_CODES, TaskResult, TaskState
from agentnb.errors import A2AError, AgentNBError
from agentnb.tables._frame import (
    _BOOL,
    _INT,
    _STR,
    _TIME,
    ERROR_CHARS,
    PREVIEW_CHARS,
    _clip,
    _columns,
    _frame,
)

__all__ = ["TASK_COLUMNS", "atasks_table", "tasks_table"]

_TASK_SCHEMA: tuple[tuple[str, str], ...] = (
    ("task_id", _STR),
    ("context_id", _STR),
    ("status", _STR),
    ("final", _BOOL),
    ("updated_at", _TIME),
    ("artifacts", _INT),
    ("messages", _INT),
    ("content", _STR),
    ("prompt", _STR),
    ("source", _STR),
    ("error", _STR),
)

#: Columns of tasks_table(), in order.
TASK_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _TASK_SCHEMA)

#: At most this many get_task calls at once when refreshing the tasks a client has seen.
_CONCURRENT_GETS = 8


async def atasks_table(
    client: A2AClient,
    *,
    context_id: str | None = None,
    status: str | TaskState | None = None,
    page_size: int | None = None,
    history_length: int | None = None,
) -> pd.DataFrame:
    """One row per task of an A2A agent: its state, when it last changed, what it answered.

    ``source`` says where a row came from: ``"listed"`` (v1.0 ListTasks, every page) or ``"seen"``
    (a peer that cannot list: the tasks this client sent, fetched again; a task the peer no longer
    knows keeps its row with the reason in ``error``).

    >>> df = await atasks_table(client, status="completed")
    """
    wanted = TaskState.parse(status) if status is not None else None
    try:
        listed = await _list_every_page(client, context_id, wanted, page_size, history_length)
    except A2AError as exc:
        if exc.code not in NO_LISTING_CODES:
            raise
        return _task_frame(await _seen(client, context_id, wanted, history_length), "seen")
    return _task_frame([(r, None) for r in listed], "listed")


def tasks_table(
    client: A2AClient,
    *,
    context_id: str | None = None,
    status: str | TaskState | None = None,
    page_size: int | None = None,
    history_length: int | None = None,
) -> pd.DataFrame:
    """Sync twin of atasks_table(): a DataFrame with ``TASK_COLUMNS``.

    >>> tasks_table(client, context_id=result.context_id)
    """
    return _sync.run_sync(
        atasks_table(
            client, context_id=context_id, status=status, page_size=page_size, history_length=history_length
        )
    )


async def _list_every_page(
    client: A2AClient,
    context_id: str | None,
    status: TaskState | None,
    page_size: int | None,
    history_length: int | None,
) -> list[TaskResult]:
    async def fetch(token: str | None) -> tuple[list[TaskResult], str | None]:
        page = await client.alist_tasks(
            context_id=context_id,
            status=status.value if status is not None else None,
            page_size=page_size,
            page_token=token,
            history_length=history_length,
            include_artifacts=True,
        )
        return page.tasks, page.next_page_token

    return [task async for page in aiter_pages(fetch, where=client.base_url) for task in page]


async def _seen(
    client: A2AClient, context_id: str | None, status: TaskState | None, history_length: int | None
) -> list[tuple[TaskResult, str | None]]:
    gate = asyncio.Semaphore(_CONCURRENT_GETS)

    async def fetch(task_id: str, task_context: str) -> tuple[TaskResult, str | None]:
        async with gate:
            try:
                got = await client.aget_task(
                    task_id, context_id=task_context or None, history_length=history_length
                )
            except AgentNBError as exc:
                return TaskResult(task_id=task_id, context_id=task_context), f"{type(exc).__name__}: {exc}"
        return got, None

    ids = [(t, c) for t, c in client.seen_tasks if context_id is None or c == context_id]
    rows = await asyncio.gather(*(fetch(t, c) for t, c in ids))
    return [(r, e) for r, e in rows if status is None or e is not None or r.state is status]


def _timestamp(result: TaskResult) -> datetime | None:
    raw = result.task.status.timestamp if result.task is not None else None
    if not raw:
        return None
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None  # a timestamp that is not ISO 8601 is shown as missing, not guessed at
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)


def _task_frame(rows: list[tuple[TaskResult, str | None]], source: str) -> pd.DataFrame:
    cols = _columns(_TASK_SCHEMA)
    for result, error in rows:
        state = result.state
        cols["task_id"].append(result.task_id or None)
        cols["context_id"].append(result.context_id or None)
        cols["status"].append(None if error else state.value)
        cols["final"].append(None if error else (state.is_terminal or state.is_interrupted))
        cols["updated_at"].append(_timestamp(result))
        cols["artifacts"].append(None if error else len(result.artifacts))
        cols["messages"].append(len(result.task.history) if result.task is not None else None)
        cols["content"].append(_clip(result.content or None, PREVIEW_CHARS))
        cols["prompt"].append(_clip(result.prompt, PREVIEW_CHARS))
        cols["source"].append(source)
        cols["error"].append(_clip(error, ERROR_CHARS))
    return _frame(_TASK_SCHEMA, cols)
