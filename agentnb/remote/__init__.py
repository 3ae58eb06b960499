"""The agno-shaped facade: RemoteAgent picks one backend (AgentOS or A2A) and translates;
RemoteTeam and RemoteWorkflow do the same for AgentOS's teams and workflows; AgentOS is the
directory of one server."""

from agentnb.remote.agent import RemoteAgent
from agentnb.remote.directory import AgentOS
from agentnb.remote.team import RemoteTeam
from agentnb.remote.workflow import RemoteWorkflow

__all__ = ["AgentOS", "RemoteAgent", "RemoteTeam", "RemoteWorkflow"]
