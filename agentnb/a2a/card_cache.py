"""Agent-card caching: honour the server's ``ETag`` and ``Cache-Control`` (RFC 9111, the small part
a card needs).

- A card fetched with an ``ETag`` is revalidated with ``If-None-Match``; an unchanged card costs a
  ``304 Not Modified`` and no body (a2a-sdk 1.x sends a weak ETag over the card minus its
  signatures, so the signature already checked stays valid).
- ``max-age=N`` keeps the card fresh for N seconds: a plain ``aget_agent_card()`` then does not ask
  again. After that (or with ``no-cache`` / ``max-age=0``) it revalidates. Without any
  ``Cache-Control`` the card is kept until ``refresh=True``, as before.
- ``no-store``: nothing is kept for revalidation.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from agentnb._http import HTTPClient
from agentnb.a2a.agent_card import AgentCard
from agentnb.errors import ProtocolError, RemoteHTTPError

__all__ = ["CardCache"]

_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-)?max-age\s*=\s*\"?(\d+)\"?", re.IGNORECASE)
#: A server cannot make us hold a card for longer than a day without asking again.
_MAX_AGE_CAP = 86_400


class CardCache:
    """The validators of the last card fetched, and how long it stays fresh."""

    def __init__(self) -> None:
        self.etag: str | None = None
        self.url: str | None = None
        self.expires_at: float | None = None  # time.monotonic(); None: no max-age was given
        self.always_revalidate = False
        #: Counts what the server answered, so a notebook can see what caching saved.
        self.not_modified = 0
        self.downloads = 0

    def is_fresh(self) -> bool:
        """Whether a held card may be used without asking the server."""
        if self.always_revalidate:
            return False
        return self.expires_at is None or time.monotonic() < self.expires_at

    def _remember(self, response: httpx.Response, url: str) -> None:
        control = response.headers.get("cache-control", "").lower()
        self.url = url
        self.always_revalidate = "no-cache" in control or "no-store" in control
        # A 304 may leave the validator out: the one we sent is still the card's.
        kept = self.etag if response.status_code == 304 else None
        self.etag = None if "no-store" in control else (response.headers.get("etag") or kept)
        match = _MAX_AGE.search(control)
        if match is not None:
            age = min(int(match.group(1)), _MAX_AGE_CAP)
            self.always_revalidate = self.always_revalidate or age == 0
            self.expires_at = time.monotonic() + age
        else:
            self.expires_at = None

    async def fetch(
        self,
        http: HTTPClient,
        urls: Sequence[str],
        held: AgentCard | None,
        headers: Mapping[str, str] | None,
    ) -> tuple[Any, str] | None:
        """GET the card: ``(payload, url)`` for a new card, ``None`` when none was found.

        When ``held`` is still valid (a 304), returns ``(held, url)`` instead of a payload.
        """
        for url in urls:
            extra = dict(headers or {})
            if held is not None and self.etag and url == self.url:
                extra["If-None-Match"] = self.etag
            try:
                response = await http.request("GET", url, headers=extra)
            except (RemoteHTTPError, ProtocolError):
                continue
            if response.status_code == 304 and held is not None:
                self.not_modified += 1
                self._remember(response, url)
                return held, url
            try:
                payload = response.json()
            except (ValueError, RecursionError):
                continue  # not a card: try the next place, as a missing card does
            self.downloads += 1
            self._remember(response, url)
            return payload, url
        return None
