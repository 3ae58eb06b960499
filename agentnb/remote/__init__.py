"""The agno-shaped facade: RemoteAgent picks one backend (AgentOS or A2A) and translates."""

from agentnb.remote.agent import RemoteAgent

__all__ = ["RemoteAgent"]
