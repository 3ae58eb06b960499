"""pandas tables of sessions, runs, artifacts and agent cards.

Each table has a sync function (fine inside a notebook cell) and an ``a``-prefixed async twin
that does the work. Columns and dtypes are fixed (the ``*_COLUMNS`` tuples), also for an empty
table, so code that filters or joins them never meets a surprise. Text from the wire stays plain
text (no HTML is added) and long text is clipped, ending in "…".

    sessions_table(agent)                  # every session of the agent, all server pages
    runs_table(agent, session_id)          # the session's runs with tokens and timings
    artifacts_table(result)                # the artifacts of A2A results (or of a v1.0 peer)
    agent_cards_table([url, client])       # one row per A2A agent, fetched concurrently
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

# pandas ships no type information and pandas-stubs may be absent; with the stubs installed the
# ignore is unused, hence both codes.
import pandas as pd

from agentnb import _sync
from agentnb.a2a.client import CARD_PATH, A2AClient, TaskList
from agentnb.a2a.models import AgentCard, Artifact, Task, TaskResult
from agentnb.agentos.models import RunOutput, RunRecord, SessionSummary
from agentnb.errors import A2AError

__all__ = [
    "AGENT_CARD_COLUMNS",
    "ARTIFACT_COLUMNS",
    "RUN_COLUMNS",
    "SESSION_COLUMNS",
    "aagent_cards_table",
    "aartifacts_table",
    "agent_cards_table",
    "artifacts_table",
    "aruns_table",
    "asessions_table",
    "runs_table",
    "sessions_table",
]

# Column kinds: how each column's Python values become one typed pandas array.
_STR = "string"  # pandas' nullable StringDtype: missing is <NA>, the same in pandas 2 and 3
_TIME = "datetime64[ns, UTC]"
_INT = "Int64"
_FLOAT = "float64"
_BOOL = "boolean"

_SESSION_SCHEMA: tuple[tuple[str, str], ...] = (
    ("session_id", _STR),
    ("session_name", _STR),
    ("agent_id", _STR),
    ("user_id", _STR),
    ("created_at", _TIME),
    ("updated_at", _TIME),
    ("total_tokens", _INT),
    ("input_tokens", _INT),
    ("output_tokens", _INT),
)
_RUN_SCHEMA: tuple[tuple[str, str], ...] = (
    ("run_id", _STR),
    ("status", _STR),
    ("created_at", _TIME),
    ("content", _STR),
    ("input_tokens", _INT),
    ("output_tokens", _INT),
    ("total_tokens", _INT),
    ("duration_s", _FLOAT),
    ("time_to_first_token_s", _FLOAT),
    ("model", _STR),
    ("tool_calls", _INT),
)
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
_AGENT_CARD_SCHEMA: tuple[tuple[str, str], ...] = (
    ("url", _STR),
    ("name", _STR),
    ("description", _STR),
    ("version", _STR),
    ("protocol_version", _STR),
    ("dialect", _STR),
    ("streaming", _BOOL),
    ("skills", _INT),
    ("interfaces", _STR),
    ("error", _STR),
)

#: Columns of sessions_table(), in order.
SESSION_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _SESSION_SCHEMA)
#: Columns of runs_table(), in order.
RUN_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _RUN_SCHEMA)
#: Columns of artifacts_table(), in order.
ARTIFACT_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _ARTIFACT_SCHEMA)
#: Columns of agent_cards_table(), in order.
AGENT_CARD_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _AGENT_CARD_SCHEMA)

#: Longest text kept in a cell, per column; longer text is clipped and ends in "…".
CONTENT_CHARS = 200
NAME_CHARS = 200
DESCRIPTION_CHARS = 300
PREVIEW_CHARS = 80
ERROR_CHARS = 300

#: The JSON-RPC codes a peer answers with when it cannot list tasks.
_NO_LISTING = (-32004, -32601)


# --------------------------------------------------------------------------- what the tables read


class _SessionSource(Protocol):
    def aiter_sessions(
        self, *, user_id: str | None = ..., page_size: int = ..., max_items: int | None = ...
    ) -> AsyncIterator[SessionSummary]: ...


class _RunSource(Protocol):
    async def aget_session_runs(self, session_id: str, *, user_id: str | None = ...) -> list[RunRecord]: ...


@runtime_checkable
class _TaskLister(Protocol):
    async def list_tasks(
        self,
        *,
        context_id: str | None = ...,
        page_size: int | None = ...,
        page_token: str | None = ...,
        include_artifacts: bool | None = ...,
    ) -> TaskList: ...


@runtime_checkable
class _CardSource(Protocol):
    base_url: str

    async def aget_agent_card(self) -> AgentCard | None: ...

    async def codec(self) -> Any: ...

    @property
    def dialect(self) -> str | None: ...


#: What artifacts_table() reads: A2A results (or RunOutputs of A2A runs), one or many, or a client.
ArtifactSource = TaskResult | Task | RunOutput | Iterable[TaskResult | Task | RunOutput] | A2AClient


# --------------------------------------------------------------------------- building a frame


def _frame(schema: tuple[tuple[str, str], ...], columns: Mapping[str, list[Any]]) -> pd.DataFrame:
    """One DataFrame built in one go from whole columns (never row by row)."""
    frame: pd.DataFrame = pd.DataFrame({name: _array(columns[name], kind) for name, kind in schema})
    return frame


def _array(values: list[Any], kind: str) -> pd.api.extensions.ExtensionArray:
    if kind == _TIME:
        # One vectorised parse; naive datetimes count as UTC. pandas 3 infers a coarser unit.
        times: pd.api.extensions.ExtensionArray = pd.to_datetime(values, utc=True).as_unit("ns").array
        return times
    if kind == _INT:
        return pd.array(values, dtype="Int64")
    if kind == _FLOAT:
        return pd.array(values, dtype="float64")
    if kind == _BOOL:
        return pd.array(values, dtype="boolean")
    return pd.array(values, dtype="string")


def _columns(schema: tuple[tuple[str, str], ...]) -> dict[str, list[Any]]:
    return {name: [] for name, _ in schema}


def _clip(text: Any, limit: int) -> str | None:
    """``text`` as at most ``limit`` characters, ending in "…" when it was cut."""
    if text is None:
        return None
    value = text if isinstance(text, str) else json.dumps(text, ensure_ascii=False, default=str)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _int(value: Any) -> int | None:
    """A token count: an int, an integral float, or a list of them (older agno sends lists)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, list):
        parts = [_int(v) for v in value]
        known = [p for p in parts if p is not None]
        return sum(known) if known else None
    return None


def _float(value: Any) -> float | None:
    """Seconds: a number, or a list of numbers (older agno sends one per model call)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, list):
        known = [f for f in (_float(v) for v in value) if f is not None]
        return sum(known) if known else None
    return None


def _first_float(value: Any) -> float | None:
    if isinstance(value, list):
        return next((f for f in (_float(v) for v in value) if f is not None), None)
    return _float(value)


def _error_text(exc: BaseException) -> str:
    message = str(exc)
    return _clip(f"{type(exc).__name__}: {message}" if message else type(exc).__name__, ERROR_CHARS) or ""


# --------------------------------------------------------------------------- sessions


async def asessions_table(
    agent: _SessionSource,
    *,
    user_id: str | None = None,
    limit: int | None = None,
    page_size: int = 100,
) -> pd.DataFrame:
    """The agent's sessions, following every page the server has (at most ``limit`` rows).

    >>> df = await asessions_table(agent, user_id="alice")
    """
    return session_frame(
        [s async for s in agent.aiter_sessions(user_id=user_id, page_size=page_size, max_items=limit)]
    )


def sessions_table(
    agent: _SessionSource,
    *,
    user_id: str | None = None,
    limit: int | None = None,
    page_size: int = 100,
) -> pd.DataFrame:
    """Sync twin of asessions_table(): a DataFrame with ``SESSION_COLUMNS``.

    >>> sessions_table(agent).sort_values("updated_at", ascending=False)
    """
    return _sync.run_sync(asessions_table(agent, user_id=user_id, limit=limit, page_size=page_size))


def session_frame(sessions: Iterable[SessionSummary]) -> pd.DataFrame:
    """The sessions table of sessions already fetched."""
    cols = _columns(_SESSION_SCHEMA)
    for s in sessions:
        metrics = s.metrics or {}
        total = s.total_tokens if s.total_tokens is not None else _int(metrics.get("total_tokens"))
        cols["session_id"].append(s.session_id)
        cols["session_name"].append(_clip(s.session_name, NAME_CHARS))
        cols["agent_id"].append(s.agent_id)
        cols["user_id"].append(s.user_id)
        cols["created_at"].append(s.created_at)
        cols["updated_at"].append(s.updated_at)
        cols["total_tokens"].append(total)
        cols["input_tokens"].append(_int(metrics.get("input_tokens")))
        cols["output_tokens"].append(_int(metrics.get("output_tokens")))
    return _frame(_SESSION_SCHEMA, cols)


# --------------------------------------------------------------------------- runs


async def aruns_table(agent: _RunSource, session_id: str, *, user_id: str | None = None) -> pd.DataFrame:
    """The stored runs of one session, with tokens, timings, model and tool-call count.

    >>> df = await aruns_table(agent, "session-1")
    """
    return run_frame(await agent.aget_session_runs(session_id, user_id=user_id))


def runs_table(agent: _RunSource, session_id: str, *, user_id: str | None = None) -> pd.DataFrame:
    """Sync twin of aruns_table(): a DataFrame with ``RUN_COLUMNS``.

    >>> runs_table(agent, "session-1")[["status", "total_tokens", "duration_s"]]
    """
    return _sync.run_sync(aruns_table(agent, session_id, user_id=user_id))


def run_frame(runs: Iterable[RunRecord]) -> pd.DataFrame:
    """The runs table of runs already fetched."""
    cols = _columns(_RUN_SCHEMA)
    for run in runs:
        metrics = run.metrics or {}
        content = run.content
        cols["run_id"].append(run.run_id)
        cols["status"].append(run.status.value if run.status is not None else None)
        cols["created_at"].append(run.created_at)
        cols["content"].append(_clip(content, CONTENT_CHARS))
        cols["input_tokens"].append(_int(metrics.get("input_tokens")))
        cols["output_tokens"].append(_int(metrics.get("output_tokens")))
        cols["total_tokens"].append(_int(metrics.get("total_tokens")))
        # agno 2+/3 says "duration"; older agno said "time".
        cols["duration_s"].append(_float(metrics.get("duration", metrics.get("time"))))
        cols["time_to_first_token_s"].append(_first_float(metrics.get("time_to_first_token")))
        cols["model"].append(_model_of(run, metrics))
        cols["tool_calls"].append(len(run.tools or []))
    return _frame(_RUN_SCHEMA, cols)


def _model_of(run: RunRecord, metrics: Mapping[str, Any]) -> str | None:
    """The model id(s) from ``metrics.details.model[*].id`` (agno 3), else a top-level ``model``."""
    details = metrics.get("details")
    entries = details.get("model") if isinstance(details, dict) else None
    ids: list[str] = []
    for entry in entries if isinstance(entries, list) else []:
        model_id = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(model_id, str) and model_id and model_id not in ids:
            ids.append(model_id)
    if ids:
        return _clip(", ".join(ids), NAME_CHARS)
    extra = (run.model_extra or {}).get("model")
    return _clip(extra, NAME_CHARS) if isinstance(extra, str) and extra else None


# --------------------------------------------------------------------------- artifacts


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
            page = await client.list_tasks(
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


# --------------------------------------------------------------------------- agent cards


async def aagent_cards_table(
    sources: Sequence[str | A2AClient] | str | A2AClient, *, timeout: float = 10.0
) -> pd.DataFrame:
    """One row per A2A agent: its card and the dialect agentnb would speak to it.

    Cards are fetched concurrently; a source that fails is a row with ``error`` set ("TypeName:
    message") and the other columns empty. A URL is the agent's base URL (or its card's URL);
    ``timeout`` applies to the clients made for URLs.

    >>> df = await aagent_cards_table(["http://localhost:7003/a2a/agents/my-agent", client])
    """
    items = _sources_list(sources)
    results = await asyncio.gather(*(_card_row(s, timeout) for s in items), return_exceptions=True)
    cols = _columns(_AGENT_CARD_SCHEMA)
    for source, result in zip(items, results, strict=True):
        if isinstance(result, BaseException):
            if not isinstance(result, Exception):
                raise result
            row: dict[str, Any] = {"url": _url_of(source), "error": _error_text(result)}
        else:
            row = result
        for name in AGENT_CARD_COLUMNS:
            cols[name].append(row.get(name))
    return _frame(_AGENT_CARD_SCHEMA, cols)


def agent_cards_table(
    sources: Sequence[str | A2AClient] | str | A2AClient, *, timeout: float = 10.0
) -> pd.DataFrame:
    """Sync twin of aagent_cards_table(): a DataFrame with ``AGENT_CARD_COLUMNS``.

    >>> agent_cards_table(["http://localhost:8001", "http://localhost:7003/a2a/agents/my-agent"])
    """
    return _sync.run_sync(aagent_cards_table(sources, timeout=timeout))


def _sources_list(sources: Sequence[str | A2AClient] | str | A2AClient) -> list[Any]:
    if isinstance(sources, Sequence) and not isinstance(sources, str):
        return list(sources)
    return [sources]


def _url_of(source: Any) -> str | None:
    if isinstance(source, str):
        return source
    url = getattr(source, "base_url", None)
    return url if isinstance(url, str) else None


def _client_for(source: Any, timeout: float) -> _CardSource:
    if isinstance(source, str):
        if source.rstrip("/").endswith(CARD_PATH):
            base = source.rstrip("/")[: -len(CARD_PATH)]
            return A2AClient(base, timeout=timeout, card_url=source)
        return A2AClient(source, timeout=timeout)
    if isinstance(source, _CardSource):
        return source
    raise TypeError(f"expected a URL or an A2AClient, not {type(source).__name__}")


async def _card_row(source: Any, timeout: float) -> dict[str, Any]:
    client = _client_for(source, timeout)
    card = await client.aget_agent_card()
    if card is None:
        raise LookupError(f"no agent card at {getattr(client, 'card_url', None) or client.base_url}")
    try:
        await client.codec()
        dialect = client.dialect
    except Exception:  # a card agentnb cannot speak to still gets its row, without a dialect
        dialect = None
    interfaces: list[str] = []
    for interface in card.interfaces:
        label = f"{interface.binding} {interface.protocol_version}"
        if label not in interfaces:
            interfaces.append(label)
    streaming = card.capabilities.get("streaming")
    return {
        "url": _url_of(source),
        "name": _clip(card.name or None, NAME_CHARS),
        "description": _clip(card.description, DESCRIPTION_CHARS),
        "version": _clip(card.version, NAME_CHARS),
        "protocol_version": _clip(card.protocol_version, NAME_CHARS),
        "dialect": _clip(dialect, DESCRIPTION_CHARS),
        "streaming": streaming if isinstance(streaming, bool) else None,
        "skills": len(card.skills),
        "interfaces": _clip(", ".join(interfaces), DESCRIPTION_CHARS) or None,
        "error": None,
    }
