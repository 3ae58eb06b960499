"""ConfigCache: the agent's config for its properties, with a TTL, that never blocks a running loop.

Inside a notebook a property cannot wait for the network without stalling the kernel's loop, so a
stale or missing config is served as it is and refreshed in the background, on the IO thread.
"""

from __future__ import annotations

import concurrent.futures
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from agentnb import _sync
from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.models import AgentConfig
from agentnb.errors import AgentNBError
from agentnb.remote.db import RemoteDb
from agentnb.remote.knowledge import RemoteKnowledge

__all__ = ["ConfigCache", "ConfigProperties"]

log = logging.getLogger("agentnb")


class ConfigCache:
    """Holds the last fetched config and its age; ``fetch`` is the coroutine that gets a fresh one."""

    def __init__(
        self, fetch: Callable[[], Coroutine[Any, Any, AgentConfig]], *, ttl: float, label: str
    ) -> None:
        self._fetch = fetch
        self.ttl = ttl
        self.label = label
        self._entry: tuple[AgentConfig, float] | None = None
        self._future: concurrent.futures.Future[Any] | None = None
        #: The error of the last failed fetch (properties fall back instead of raising).
        self.error: BaseException | None = None

    @property
    def loaded(self) -> bool:
        return self._entry is not None

    @property
    def latest(self) -> AgentConfig | None:
        """The last fetched config, however old (no I/O)."""
        return self._entry[0] if self._entry is not None else None

    def store(self, config: AgentConfig) -> AgentConfig:
        self._entry = (config, time.monotonic())
        self.error = None
        return config

    def start_fetch(self) -> None:
        """Fetch in the background on the IO thread (once at a time)."""
        future = self._future
        if future is not None and not future.done():
            return
        self._future = _sync.run_in_io_thread(self._fetch_quietly())

    def cancel_fetch(self) -> None:
        """Stop a background fetch still under way."""
        if self._future is not None:
            self._future.cancel()

    async def _fetch_quietly(self) -> None:
        try:
            await self._fetch()
        except AgentNBError as exc:
            self._failed(exc)

    def _failed(self, exc: AgentNBError) -> None:
        self.error = exc
        # DEBUG, not WARNING: a notebook shows warnings as red stderr under whatever cell runs
        # next; the property's caller finds the error on ``config_error``.
        log.debug("agentnb: could not load the config of %s: %s", self.label, exc)

    def get(self) -> AgentConfig | None:
        """The config for a property read: never raises, never blocks a running loop."""
        entry = self._entry
        if entry is not None and time.monotonic() - entry[1] < self.ttl:
            return entry[0]
        if _sync.in_running_loop():
            # Stale or missing: serve what we have and refresh in the background.
            self.start_fetch()
            return self.latest
        try:
            return _sync.run_sync(self._fetch())
        except AgentNBError as exc:
            self._failed(exc)
            return self.latest


class ConfigProperties:
    """agno's config-backed properties and methods, over a ConfigCache and a backend's fetch.

    Needs ``agent_id``, ``_config`` (a ConfigCache) and ``_fetch_config(auth_token)``.
    """

    agent_id: str
    _config: ConfigCache
    #: The AgentOS client (None over A2A, which has no database or knowledge to show).
    agentos_client: AgentOSClient | None

    async def _fetch_config(self, auth_token: str | None) -> AgentConfig:
        raise NotImplementedError

    @property
    def config_ttl(self) -> float:
        return self._config.ttl

    @property
    def config_error(self) -> BaseException | None:
        """The error of the last failed config fetch (properties fall back instead of raising)."""
        return self._config.error

    @property
    def config_loaded(self) -> bool:
        """True when the properties read a fetched (not fallback) configuration."""
        return self._config.loaded

    async def get_agent_config(self, auth_token: str | None = None) -> AgentConfig:
        """The agent's configuration, always fetched fresh (and cached for the properties).

        Over A2A it is built from the agent card: name, description, and the skills as tools.
        """
        return self._config.store(await self._fetch_config(auth_token))

    async def refresh_config(self, auth_token: str | None = None) -> AgentConfig:
        """Fetch the configuration again and replace the cached one."""
        return await self.get_agent_config(auth_token=auth_token)

    async def aget_tools(self, auth_token: str | None = None) -> list[dict[str, Any]]:
        config = await self.get_agent_config(auth_token=auth_token)
        return config.tool_list or []

    agent_config = _sync.twin(get_agent_config)
    reload_config = _sync.twin(refresh_config)
    get_tools = _sync.twin(aget_tools)

    def _known_name(self) -> str | None:
        latest = self._config.latest
        return latest.name if latest is not None else None

    @property
    def name(self) -> str | None:
        config = self._config.get()
        return config.name if config is not None and config.name else self.agent_id

    @property
    def description(self) -> str | None:
        config = self._config.get()
        return config.description if config is not None and config.description is not None else ""

    @property
    def role(self) -> str | None:
        config = self._config.get()
        return config.role if config is not None else None

    @property
    def tools(self) -> list[dict[str, Any]] | None:
        config = self._config.get()
        return config.tool_list if config is not None else None

    @property
    def db(self) -> RemoteDb | None:
        """The agent's database as a live RemoteDb; None without one (or over A2A). No request:
        it reads the cached config, and the same object comes back while the db id stays."""
        config = self._config.get()
        client = self.agentos_client
        if config is None or not config.db_id or client is None:
            return None
        cached: RemoteDb | None = self.__dict__.get("_remote_db")
        if cached is None or cached.id != config.db_id:
            cached = RemoteDb(config.db_id, client)
            self.__dict__["_remote_db"] = cached
        return cached

    @property
    def knowledge(self) -> RemoteKnowledge | None:
        """The agent's knowledge as a live RemoteKnowledge; None without one (or over A2A)."""
        config = self._config.get()
        client = self.agentos_client
        if config is None or not config.knowledge or client is None:
            return None
        section = dict(config.knowledge)
        db_id, table = _text(section, "db_id"), _text(section, "knowledge_table")
        cached: RemoteKnowledge | None = self.__dict__.get("_remote_knowledge")
        if cached is None or (cached.db_id, cached.knowledge_table) != (db_id, table):
            cached = RemoteKnowledge(
                client,
                db_id=db_id,
                knowledge_table=table,
                name=_text(section, "name"),
                knowledge_id=_text(section, "knowledge_id"),
                config=section,
            )
            self.__dict__["_remote_knowledge"] = cached
        return cached

    @property
    def model(self) -> None:
        """Always None, as in agno: the remote model cannot be used locally."""
        return None


def _text(section: dict[str, Any], key: str) -> str | None:
    value = section.get(key)
    return value if isinstance(value, str) else None
