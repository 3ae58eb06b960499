"""AgentOS: a whole AgentOS server as a notebook starts from it — what it serves, and handles.

os = AgentOS("http://localhost:7777")
os.agents                     # [AgentConfig ...]  (also .teams, .workflows, .os_config)
team = os.team("ops-team")    # RemoteTeam; .agent(id) RemoteAgent, .workflow(id) RemoteWorkflow
db = os.db(os.os_config.databases[0])  # a live RemoteDb: memories, traces, evals, metrics ...
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from agentnb import _sync
from agentnb._sse import DEFAULT_MAX_EVENT_BYTES
from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.components import ComponentRoutes, TeamConfig, WorkflowConfig
from agentnb.agentos.models import AgentConfig, OSConfig
from agentnb.remote.agent import RemoteAgent
from agentnb.remote.db import RemoteDb
from agentnb.remote.team import RemoteTeam
from agentnb.remote.workflow import RemoteWorkflow

__all__ = ["AgentOS"]


class AgentOS:
    """The directory of one AgentOS: its agents, teams and workflows, with their configs.

    Every handle it gives shares its options (timeout, ``auth_token``, ``transport`` ...). The
    list properties fetch on each read (``alist_*`` are the async forms); the token never shows
    in a repr.
    """

    def __init__(
        self,
        base_url: str,
        timeout: float = 60.0,
        *,
        auth_token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
        max_retries: int = 2,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._options: dict[str, Any] = {
            "auth_token": auth_token,
            "transport": transport,
            "max_event_bytes": max_event_bytes,
            "max_retries": max_retries,
        }
        self.client = AgentOSClient(self.base_url, timeout=timeout, **self._options)
        self._teams = ComponentRoutes(self.client, "teams")
        self._workflows = ComponentRoutes(self.client, "workflows")

    def __repr__(self) -> str:
        return f"AgentOS({self.base_url!r})"

    @property
    def auth_token(self) -> str | None:
        return self.client.http.auth_token

    # -- listings ----------------------------------------------------------------------------

    async def aget_os_config(self, auth_token: str | None = None) -> OSConfig:
        """``GET /config``: the OS, its databases and interfaces, and a summary of what it serves."""
        return await self.client.aget_config(auth_token=auth_token)

    async def alist_agents(self, auth_token: str | None = None) -> list[AgentConfig]:
        return await self.client.alist_agents(auth_token=auth_token)

    async def alist_teams(self, auth_token: str | None = None) -> list[TeamConfig]:
        """Every team, with its members, model and tools."""
        return [c for c in await self._teams.alist(auth_token=auth_token) if isinstance(c, TeamConfig)]

    async def alist_workflows(self, auth_token: str | None = None) -> list[WorkflowConfig]:
        """Every workflow with its steps (``GET /workflows`` lists them without: each is fetched)."""
        brief = await self._workflows.alist(auth_token=auth_token)
        full = await asyncio.gather(
            *(self._workflows.aget(c.id, auth_token=auth_token) for c in brief if c.id)
        )
        return [c for c in full if isinstance(c, WorkflowConfig)]

    get_os_config = _sync.twin(aget_os_config)
    list_agents = _sync.twin(alist_agents)
    list_teams = _sync.twin(alist_teams)
    list_workflows = _sync.twin(alist_workflows)

    @property
    def os_config(self) -> OSConfig:
        return self.get_os_config()

    @property
    def agents(self) -> list[AgentConfig]:
        return self.list_agents()

    @property
    def teams(self) -> list[TeamConfig]:
        return self.list_teams()

    @property
    def workflows(self) -> list[WorkflowConfig]:
        return self.list_workflows()

    # -- handles -----------------------------------------------------------------------------

    def agent(self, agent_id: str) -> RemoteAgent:
        return RemoteAgent(self.base_url, agent_id, timeout=self.timeout, **self._options)

    def team(self, team_id: str) -> RemoteTeam:
        return RemoteTeam(self.base_url, team_id, timeout=self.timeout, **self._options)

    def workflow(self, workflow_id: str) -> RemoteWorkflow:
        return RemoteWorkflow(self.base_url, workflow_id, timeout=self.timeout, **self._options)

    def db(self, db_id: str) -> RemoteDb:
        """A live RemoteDb for one of the server's databases (``os_config.databases`` has their ids)."""
        return RemoteDb(db_id, self.client)
