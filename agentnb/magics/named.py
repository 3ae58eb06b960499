"""The agents a notebook named with ``%agent connect``; tokens come from the environment only."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pandas as pd

from agentnb.magics.args import MagicError
from agentnb.remote import RemoteAgent

__all__ = ["NamedAgent", "NamedAgents"]

LIST_COLUMNS = ("name", "url", "agent_id", "protocol", "token_env")


@dataclass
class NamedAgent:
    name: str
    agent: RemoteAgent
    #: The environment variable the token was read from (the token itself is never stored here).
    token_env: str | None


class NamedAgents:
    def __init__(self) -> None:
        self.agents: dict[str, NamedAgent] = {}

    def connect(
        self, name: str, url: str, *, agent_id: str | None, a2a: bool, token_env: str | None
    ) -> NamedAgent:
        if not name.isidentifier():
            raise MagicError(f"agent name {name!r}: use letters, digits and _ (%%agent NAME)")
        if not url.startswith(("http://", "https://")):
            raise MagicError(f"{url!r} is not an http(s) URL")
        token = None
        if token_env is not None:
            token = os.environ.get(token_env)
            if not token:
                raise MagicError(f"the environment variable {token_env} is not set (the token comes from it)")
        agent = RemoteAgent(
            url,
            agent_id=agent_id or name,
            protocol="a2a" if a2a else "agentos",
            auth_token=token,
            prefetch_config=False,
        )
        named = self.agents[name] = NamedAgent(name, agent, token_env)
        return named

    def get(self, name: str) -> RemoteAgent:
        try:
            return self.agents[name].agent
        except KeyError:
            known = ", ".join(sorted(self.agents)) or "none yet"
            raise MagicError(f"no agent named {name!r} (known: {known}; use %agent connect)") from None

    def table(self) -> pd.DataFrame:
        rows: list[dict[str, Any]] = [
            {
                "name": n.name,
                "url": n.agent.base_url,
                "agent_id": n.agent.agent_id,
                "protocol": n.agent.protocol,
                "token_env": n.token_env,
            }
            for n in self.agents.values()
        ]
        return pd.DataFrame(rows, columns=list(LIST_COLUMNS)).astype("string")
