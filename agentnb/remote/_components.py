"""The AgentOS backend of RemoteTeam and RemoteWorkflow: the shared run backend over their routes.

Everything but the routes and the continue's decisions is ``_agentos.AgentOSRunBackend``'s: a
team continues with ``requirements``, a workflow with ``step_requirements``.
"""

from __future__ import annotations

from typing import Any

from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.components import ComponentKind, ComponentRoutes
from agentnb.remote._agentos import AgentOSRunBackend
from agentnb.remote._step_decisions import requirements_to_send, step_requirements_to_send

__all__ = ["ComponentBackend"]


class ComponentBackend(AgentOSRunBackend[dict[str, Any]]):
    """A team's or a workflow's calls on an AgentOS (the Backend protocol of ``_backend``)."""

    routes: ComponentRoutes

    def __init__(self, client: AgentOSClient, kind: ComponentKind, component_id: str) -> None:
        routes = ComponentRoutes(client, kind)
        decide = requirements_to_send if kind == "teams" else step_requirements_to_send
        super().__init__(client, routes, component_id, decide)
        self.input_refusal = f"a {routes.noun} run continues with decisions, not input="
