"""The A2A agent-cards table: ``agent_cards_table()`` (and its async twin), one row per agent.

Cards are fetched concurrently and a failing source becomes a row with ``error`` set, so one dead
agent never hides the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import pandas as pd

from agentnb import _sync
from agentnb.a2a.card import CARD_PATH
from agentnb.a2a.client import A2AClient
from agentnb.a2a.models import AgentCard
from agentnb.tables._frame import (
    _BOOL,
    _INT,
    _STR,
    DESCRIPTION_CHARS,
    ERROR_CHARS,
    NAME_CHARS,
    _clip,
    _columns,
    _frame,
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
    # issue 14: what the card offers beyond negotiation
    ("push", _BOOL),
    ("extended_card", _BOOL),
    ("extra_skills", _STR),
    ("signature", _STR),
    ("extensions", _STR),
)

#: Columns of agent_cards_table(), in order.
AGENT_CARD_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _AGENT_CARD_SCHEMA)


@runtime_checkable
class _CardSource(Protocol):
    base_url: str

    async def aget_agent_card(self) -> AgentCard | None: ...

    async def anegotiate(self) -> Any: ...

    @property
    def dialect(self) -> str | None: ...


async def aagent_cards_table(
    sources: Sequence[str | A2AClient] | str | A2AClient, *, timeout: float = 10.0, extended: bool = False
) -> pd.DataFrame:
    """One row per A2A agent: its card and the dialect agentnb would speak to it.

    Cards are fetched concurrently; a source that fails is a row with ``error`` set ("TypeName:
    message") and the other columns empty. A URL is the agent's base URL (or its card's URL);
    ``timeout`` applies to the clients made for URLs. ``extra_skills`` lists the skills only the
    authenticated extended card shows: known once a client fetched it, or fetched here with each
    client's own auth when ``extended=True`` (a refusal lands in ``error``, the row stays).

    >>> df = await aagent_cards_table(["http://localhost:7003/a2a/agents/my-agent", client])
    """
    items = _sources_list(sources)
    results = await asyncio.gather(*(_card_row(s, timeout, extended) for s in items), return_exceptions=True)
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
    sources: Sequence[str | A2AClient] | str | A2AClient, *, timeout: float = 10.0, extended: bool = False
) -> pd.DataFrame:
    """Sync twin of aagent_cards_table(): a DataFrame with ``AGENT_CARD_COLUMNS``.

    >>> agent_cards_table(["http://localhost:8001", "http://localhost:7003/a2a/agents/my-agent"])
    """
    return _sync.run_sync(aagent_cards_table(sources, timeout=timeout, extended=extended))


def _sources_list(sources: Sequence[str | A2AClient] | str | A2AClient) -> list[Any]:
    if isinstance(sources, Sequence) and not isinstance(sources, str):
        return list(sources)
    return [sources]


def _url_of(source: Any) -> str | None:
    if isinstance(source, str):
        return source
    url = getattr(source, "base_url", None)
    return url if isinstance(url, str) else None


def _error_text(exc: BaseException) -> str:
    message = str(exc)
    return _clip(f"{type(exc).__name__}: {message}" if message else type(exc).__name__, ERROR_CHARS) or ""


def _client_for(source: Any, timeout: float) -> _CardSource:
    if isinstance(source, str):
        if source.rstrip("/").endswith(CARD_PATH):
            base = source.rstrip("/")[: -len(CARD_PATH)]
            return A2AClient(base, timeout=timeout, card_url=source)
        return A2AClient(source, timeout=timeout)
    if isinstance(source, _CardSource):
        return source
    raise TypeError(f"expected a URL or an A2AClient, not {type(source).__name__}")


async def _extended_row(client: Any, card: AgentCard, fetch: bool) -> dict[str, Any]:
    """The columns of what the card offers beyond negotiation (and the extended card's skills)."""
    row: dict[str, Any] = {
        "push": card.supports_push,
        "extended_card": card.supports_extended_card,
        "signature": _clip(card.signature_status, NAME_CHARS),
        "extensions": _clip(
            ", ".join(
                f"{e['uri']} (required)" if e.get("required") is True else e["uri"] for e in card.extensions
            ),
            DESCRIPTION_CHARS,
        )
        or None,
    }
    extended = getattr(client, "extended_card", None)
    if fetch and extended is None and card.supports_extended_card:
        try:
            extended = await client.aget_extended_agent_card()
        except Exception as exc:  # e.g. AuthenticationError: the public row still stands
            row["error"] = _error_text(exc)
    if isinstance(extended, AgentCard):
        row["extra_skills"] = _clip(", ".join(extended.extra_skills), DESCRIPTION_CHARS) or ""
    return row


async def _card_row(source: Any, timeout: float, extended: bool = False) -> dict[str, Any]:
    client = _client_for(source, timeout)
    card = await client.aget_agent_card()
    if card is None:
        raise LookupError(f"no agent card at {getattr(client, 'card_url', None) or client.base_url}")
    try:
        await client.anegotiate()
        dialect = client.dialect
    except Exception:  # a card agentnb cannot speak to still gets its row, without a dialect
        dialect = None
    interfaces: list[str] = []
    for interface in card.interfaces:
        label = f"{interface.binding} {interface.protocol_version}"
        label += f" (tenant {interface.tenant})" if interface.tenant else ""
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
        **(await _extended_row(client, card, extended)),
    }
