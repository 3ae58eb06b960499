"""RemoteWorkflow: a workflow served by an AgentOS, with agno's RemoteWorkflow API as its floor.

wf = RemoteWorkflow("http://localhost:7777", workflow_id="publish-workflow")
out = await wf.arun("Write a note")                  # WorkflowRunOutput, paused before "publish"
out.step_requirements[0].confirm()
out = await wf.acontinue_run(out)                    # the publish step runs
"""

from __future__ import annotations

from collections.abc import Coroutine, Sequence
from typing import Any, ClassVar, Literal, overload

from agentnb import _sync
from agentnb.agentos.models import AgentConfig
from agentnb.remote.component import RemoteComponent
from agentnb.runs.models import RunOutput
from agentnb.runs.stream import RunStream

__all__ = ["RemoteWorkflow"]


class RemoteWorkflow(RemoteComponent):
    """A workflow on a remote AgentOS: ``arun`` gives a WorkflowRunOutput, or its events.

    ``input`` is what agno's RemoteWorkflow takes (a string, a dict, a list, a pydantic model),
    sent as the run's message. Steps arrive as ``StepStarted`` / ``StepCompleted`` events and are
    kept in ``output.step_results``; the agent inside a step streams agent events carrying the
    step's name. A pause lists ``step_requirements``: confirm or reject a step that asks before
    it runs, or decide its agent's paused tools (also in ``output.requirements``), then
    ``acontinue_run(output)``.
    """

    kind: ClassVar[Literal["workflows"]] = "workflows"
    id_name: ClassVar[str] = "workflow_id"
    session_type = "workflow"

    def __init__(self, base_url: str, workflow_id: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(base_url, workflow_id, *args, **kwargs)

    @property
    def workflow_id(self) -> str:
        return self.agent_id

    async def get_workflow_config(self, auth_token: str | None = None) -> AgentConfig:
        """The workflow's configuration (a WorkflowConfig: its steps), fetched fresh."""
        return await self.get_agent_config(auth_token=auth_token)

    workflow_config = _sync.twin(get_workflow_config)

    @overload
    def acontinue_run(
        self,
        run_response: RunOutput | None = None,
        *,
        run_id: str | None = None,
        session_id: str | None = None,
        step_requirements: Sequence[Any] | None = None,
        stream: Literal[False] = False,
        user_id: str | None = None,
        auth_token: str | None = None,
        keep_events: bool = False,
    ) -> Coroutine[Any, Any, RunOutput]: ...

    @overload
    def acontinue_run(
        self,
        run_response: RunOutput | None = None,
        *,
        run_id: str | None = None,
        session_id: str | None = None,
        step_requirements: Sequence[Any] | None = None,
        stream: Literal[True],
        user_id: str | None = None,
        auth_token: str | None = None,
        keep_events: bool = False,
    ) -> RunStream: ...

    def acontinue_run(
        self,
        run_response: RunOutput | None = None,
        *,
        run_id: str | None = None,
        session_id: str | None = None,
        step_requirements: Sequence[Any] | None = None,
        stream: bool = False,
        user_id: str | None = None,
        auth_token: str | None = None,
        keep_events: bool = False,
    ) -> Coroutine[Any, Any, RunOutput] | RunStream:
        """Continue a paused workflow run (agno's signature).

        Pass the paused WorkflowRunOutput with its ``step_requirements`` decided in place, or
        ``run_id`` + ``session_id`` + ``step_requirements``. ``step_requirements`` may also hold
        RunRequirements / ToolExecutions deciding the paused tools of a step's agent.
        """
        target: str | RunOutput | None = run_response if run_response is not None else run_id
        if run_response is not None and run_id is not None and run_id != run_response.run_id:
            target = run_id
        return self._continue(
            target,
            step_requirements,
            stream=stream,
            user_id=user_id,
            session_id=session_id,
            auth_token=auth_token,
            keep_events=keep_events,
        )

    def continue_run(
        self,
        run_response: RunOutput | None = None,
        *,
        run_id: str | None = None,
        session_id: str | None = None,
        step_requirements: Sequence[Any] | None = None,
        stream: bool = False,
        user_id: str | None = None,
        auth_token: str | None = None,
        keep_events: bool = False,
    ) -> Any:
        """Sync twin of acontinue_run()."""
        kwargs: dict[str, Any] = {
            "run_id": run_id,
            "session_id": session_id,
            "step_requirements": step_requirements,
            "user_id": user_id,
            "auth_token": auth_token,
            "keep_events": keep_events,
        }
        if stream:
            return _sync.iterate_sync(self.acontinue_run(run_response, stream=True, **kwargs))
        return _sync.run_sync(self.acontinue_run(run_response, stream=False, **kwargs))
