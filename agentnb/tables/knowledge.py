"""``knowledge_table()`` (the contents with their status) and ``search_table()`` (a search's hits
with their scores), both from a RemoteKnowledge (or an agent that has one)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from agentnb import _sync
from agentnb.agentos.knowledge_models import Content, SearchResult
from agentnb.errors import ConfigurationError
from agentnb.remote.knowledge import RemoteKnowledge
from agentnb.tables._frame import (
    _FLOAT,
    _INT,
    _STR,
    _TIME,
    CONTENT_CHARS,
    DESCRIPTION_CHARS,
    NAME_CHARS,
    _clip,
    _columns,
    _frame,
)
from agentnb.tables._pages import PAGE_SIZE, all_pages

__all__ = [
    "KNOWLEDGE_COLUMNS",
    "SEARCH_COLUMNS",
    "aknowledge_table",
    "asearch_table",
    "content_frame",
    "knowledge_table",
    "search_frame",
    "search_table",
]

_CONTENT_SCHEMA: tuple[tuple[str, str], ...] = (
    ("id", _STR),
    ("name", _STR),
    ("description", _STR),
    ("type", _STR),
    ("size_bytes", _INT),
    ("status", _STR),
    ("status_message", _STR),
    ("access_count", _INT),
    ("metadata", _STR),
    ("created_at", _TIME),
    ("updated_at", _TIME),
)
_SEARCH_SCHEMA: tuple[tuple[str, str], ...] = (
    ("rank", _INT),
    ("score", _FLOAT),
    ("name", _STR),
    ("content", _STR),
    ("content_id", _STR),
    ("chunk", _INT),
    ("source", _STR),
)
#: Columns of knowledge_table(), in order.
KNOWLEDGE_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _CONTENT_SCHEMA)
#: Columns of search_table(), in order; ``rank`` is the server's order, from 1.
SEARCH_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _SEARCH_SCHEMA)


def knowledge_of(source: Any) -> RemoteKnowledge:
    """``source`` itself when it is a RemoteKnowledge, else its ``knowledge`` (an agent's)."""
    if isinstance(source, RemoteKnowledge):
        return source
    knowledge = getattr(source, "knowledge", None)
    if isinstance(knowledge, RemoteKnowledge):
        return knowledge
    raise ConfigurationError(f"{source!r} has no knowledge base; pass a RemoteKnowledge or an agent with one")


async def aknowledge_of(source: Any) -> RemoteKnowledge:
    """knowledge_of(), fetching an agent's config first when it was never loaded."""
    if not isinstance(source, RemoteKnowledge) and getattr(source, "config_loaded", True) is False:
        await source.get_agent_config()
    return knowledge_of(source)


async def aknowledge_table(
    source: Any, *, limit: int | None = None, page_size: int = PAGE_SIZE
) -> pd.DataFrame:
    """Every content of the knowledge base with its processing status, following every page."""
    knowledge = await aknowledge_of(source)

    async def fetch(page: int, size: int) -> Any:
        return await knowledge.get_content(limit=size, page=page)

    return content_frame(await all_pages(fetch, page_size=page_size, limit=limit))


def knowledge_table(source: Any, *, limit: int | None = None, page_size: int = PAGE_SIZE) -> pd.DataFrame:
    """Sync twin of aknowledge_table(): a DataFrame with ``KNOWLEDGE_COLUMNS``.

    >>> knowledge_table(agent)[["name", "status", "size_bytes"]]
    """
    return _sync.run_sync(aknowledge_table(knowledge_of(source), limit=limit, page_size=page_size))


async def asearch_table(
    source: Any, query: str, *, max_results: int | None = None, **options: Any
) -> pd.DataFrame:
    """``search_knowledge(query)`` as a DataFrame, best hit first, with scores."""
    page = await (await aknowledge_of(source)).search_knowledge(query, max_results=max_results, **options)
    return search_frame(page.data)


def search_table(source: Any, query: str, *, max_results: int | None = None, **options: Any) -> pd.DataFrame:
    """Sync twin of asearch_table(): a DataFrame with ``SEARCH_COLUMNS``.

    >>> search_table(agent, "refund policy", max_results=5)[["score", "name", "content"]]
    """
    return _sync.run_sync(asearch_table(knowledge_of(source), query, max_results=max_results, **options))


def _size(value: str | int | None) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def content_frame(contents: Iterable[Content]) -> pd.DataFrame:
    """The knowledge table of contents already fetched."""
    cols = _columns(_CONTENT_SCHEMA)
    for c in contents:
        cols["id"].append(c.id)
        cols["name"].append(_clip(c.name, NAME_CHARS))
        cols["description"].append(_clip(c.description, DESCRIPTION_CHARS))
        cols["type"].append(c.type)
        cols["size_bytes"].append(_size(c.size))
        cols["status"].append(c.status)
        cols["status_message"].append(_clip(c.status_message, DESCRIPTION_CHARS))
        cols["access_count"].append(c.access_count)
        cols["metadata"].append(_clip(c.metadata, DESCRIPTION_CHARS) if c.metadata else None)
        cols["created_at"].append(c.created_at)
        cols["updated_at"].append(c.updated_at)
    return _frame(_CONTENT_SCHEMA, cols)


def search_frame(results: Iterable[SearchResult]) -> pd.DataFrame:
    """The search table of results already fetched (in the server's order)."""
    cols = _columns(_SEARCH_SCHEMA)
    for rank, r in enumerate(results, start=1):
        meta = r.meta_data or {}
        chunk = meta.get("chunk")
        source = meta.get("source") or r.content_origin
        cols["rank"].append(rank)
        cols["score"].append(r.score)
        cols["name"].append(_clip(r.name, NAME_CHARS))
        cols["content"].append(_clip(r.content, CONTENT_CHARS))
        cols["content_id"].append(r.content_id)
        cols["chunk"].append(chunk if isinstance(chunk, int) and not isinstance(chunk, bool) else None)
        cols["source"].append(_clip(source, NAME_CHARS) if source is not None else None)
    return _frame(_SEARCH_SCHEMA, cols)
