"""The directory table: everything one or more servers serve, one row per agent, team or workflow.

AgentOS servers (an ``AgentOS``, or its URL) list their agents, teams and workflows; A2A agents
(an ``AgentCard``, or an ``A2AClient`` whose card is fetched) are one row each. Servers are asked
concurrently, and a source that fails is one row with ``error`` set, so one dead server never
hides the others.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pandas as pd

from agentnb import _sync
from agentnb.a2a.client import A2AClient
from agentnb.a2a.models import AgentCard
from agentnb.remote import AgentOS
from agentnb.tables._frame import _STR as STR
from agentnb.tables._frame import DESCRIPTION_CHARS, NAME_CHARS, _clip, _columns, _frame
from agentnb.tables.cards import _error_text

_SCHEMA: tuple[tuple[str, str], ...] = (
    ("server", STR),
    ("protocol", STR),
    ("kind", STR),
    ("id", STR),
    ("name", STR),
    ("description", STR),
    ("tools", STR),
    ("model", STR),
    ("db", STR),
    ("error", STR),
)

#: Columns of directory_table(), in order.
DIRECTORY_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _SCHEMA)

Source = AgentOS | AgentCard | A2AClient | str


async def adirectory_table(*sources: Source) -> pd.DataFrame:
    """One row per agent, team and workflow of every source (``DIRECTORY_COLUMNS``).

    A string is an AgentOS base URL. ``tools`` lists tool names (an A2A card's skills), ``model``
    the model id, ``db`` the database id; text from the wire is clipped, never rendered.

    >>> df = await adirectory_table(AgentOS("http://localhost:7777"), card)
    """
    results = await asyncio.gather(*(_rows(s) for s in sources), return_exceptions=True)
    cols = _columns(_SCHEMA)
    for source, result in zip(sources, results, strict=True):
        if isinstance(result, BaseException):
            if not isinstance(result, Exception):
                raise result
            rows = [{"server": _server(source), "error": _error_text(result)}]
        else:
            rows = result
        for row in rows:
            for name in DIRECTORY_COLUMNS:
                cols[name].append(row.get(name))
    return _frame(_SCHEMA, cols)


def directory_table(*sources: Source) -> pd.DataFrame:
    """Sync twin of adirectory_table().

    >>> directory_table(AgentOS("http://localhost:7777"), "http://localhost:7778")
    """
    return _sync.run_sync(adirectory_table(*sources))


def _server(source: Any) -> str | None:
    if isinstance(source, str):
        return source
    url = getattr(source, "base_url", None) or getattr(source, "url", None)
    return url if isinstance(url, str) else None


async def _rows(source: Source) -> list[dict[str, Any]]:
    if isinstance(source, str):
        source = AgentOS(source)
    if isinstance(source, AgentOS):
        return await _os_rows(source)
    if isinstance(source, A2AClient):
        card = await source.aget_agent_card()
        if card is None:
            raise LookupError(f"no agent card at {source.base_url}")
        return [_card_row(card, source.base_url)]
    if isinstance(source, AgentCard):
        return [_card_row(source, source.card_url or source.url)]
    raise TypeError(f"expected an AgentOS, an AgentCard, an A2AClient or a URL, not {type(source).__name__}")


async def _os_rows(server: AgentOS) -> list[dict[str, Any]]:
    agents, teams, workflows = await asyncio.gather(
        server.alist_agents(), server.alist_teams(), server.alist_workflows()
    )
    rows: list[dict[str, Any]] = []
    for kind, configs in (("agent", agents), ("team", teams), ("workflow", workflows)):
        for config in configs:
            tools = [str(t["name"]) for t in config.tool_list or [] if isinstance(t.get("name"), str)]
            model = config.model.id if config.model is not None else None
            rows.append(
                {
                    "server": server.base_url,
                    "protocol": "agentos",
                    "kind": kind,
                    "id": _clip(config.id, NAME_CHARS),
                    "name": _clip(config.name, NAME_CHARS),
                    "description": _clip(config.description, DESCRIPTION_CHARS),
                    "tools": _clip(", ".join(tools), DESCRIPTION_CHARS) or None,
                    "model": _clip(model, NAME_CHARS),
                    "db": _clip(config.db_id, NAME_CHARS),
                }
            )
    return rows


def _card_row(card: AgentCard, server: str | None) -> dict[str, Any]:
    skills = [s.get("name") or s.get("id") for s in card.skills]
    return {
        "server": server,
        "protocol": "a2a",
        "kind": "agent",
        "id": _clip(card.url or card.name or None, NAME_CHARS),
        "name": _clip(card.name or None, NAME_CHARS),
        "description": _clip(card.description, DESCRIPTION_CHARS),
        "tools": _clip(", ".join(str(s) for s in skills if s), DESCRIPTION_CHARS) or None,
        "model": None,
        "db": None,
    }
