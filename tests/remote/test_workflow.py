"""RemoteWorkflow against the real scripted AgentOS: steps, step and step-agent pauses, cancel."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from pydantic import BaseModel

from agentnb import (
    RemoteWorkflow,
    RunAlreadyContinuedError,
    RunCancelled,
    RunCompleted,
    RunContent,
    RunPaused,
    RunStatus,
    StepCompletedEvent,
    StepExecutorPausedEvent,
    StepPausedEvent,
    StepStartedEvent,
    UnresolvedToolsError,
    WorkflowCancelledEvent,
    WorkflowCompletedEvent,
    WorkflowConfig,
    WorkflowPausedEvent,
    WorkflowRunOutput,
    WorkflowStartedEvent,
)
from tests.peers.agentos import AgentOSPeer
from tests.peers.agentos_teams import PUBLISHED

pytestmark = pytest.mark.peer

DELETED = "Tool said: Deleted /tmp/important.txt. Done."


def workflow(peer: AgentOSPeer, workflow_id: str, **kwargs: Any) -> RemoteWorkflow:
    return RemoteWorkflow(peer.base_url, workflow_id, prefetch_config=False, **kwargs)


def sid() -> str:
    return f"wf-{uuid.uuid4().hex[:10]}"


def draft_of(text: str) -> str:
    return f"Hello! You said: {text}. This is a deterministic streamed answer."


async def drain(stream: Any) -> tuple[list[Any], WorkflowRunOutput]:
    events = [e async for e in stream]
    assert isinstance(stream.output, WorkflowRunOutput)
    return events, stream.output


async def test_config_lists_the_steps(agentos: AgentOSPeer) -> None:
    wf = workflow(agentos, "publish-workflow")
    config = await wf.get_workflow_config()
    assert isinstance(config, WorkflowConfig) and wf.workflow_config().id == "publish-workflow"
    assert [s["name"] for s in config.steps] == ["draft", "publish"]
    assert (wf.id, wf.workflow_id, wf.name) == ("publish-workflow", "publish-workflow", "Publish Workflow")


# --------------------------------------------------------------------------- a step that asks


async def test_step_confirmation_streamed_keeps_the_step_tree(agentos: AgentOSPeer) -> None:
    wf = workflow(agentos, "publish-workflow")
    events, paused = await drain(wf.arun("write a note", stream=True, session_id=sid()))
    assert isinstance(events[0], WorkflowStartedEvent) and isinstance(events[-1], WorkflowPausedEvent)
    # the writer's events carry their step and their own run; its RunCompleted did not end the stream
    writer = [e for e in events if e.run_id != paused.run_id]
    assert {(e.agent_id, e.step_name, e.workflow_run_id) for e in writer} == {
        ("writer", "draft", paused.run_id)
    }
    assert any(type(e) is RunCompleted for e in writer)
    assert "".join(e.content for e in writer if type(e) is RunContent) == draft_of("write a note")
    started = [e.step_name for e in events if isinstance(e, StepStartedEvent)]
    assert started == ["draft"] and any(
        isinstance(e, StepPausedEvent) and e.step_name == "publish" for e in events
    )
    assert [(s.step_name, s.status) for s in paused.step_results] == [
        ("draft", "done"),
        ("publish", "paused"),
    ]
    draft = paused.step("draft")
    assert draft is not None and draft.content == draft_of("write a note")
    assert draft.executor_run is not None and draft.executor_run.agent_id == "writer"
    (step,) = paused.active_step_requirements
    assert (step.step_name, step.requires_confirmation, step.confirmation_message) == (
        "publish",
        True,
        "Publish the draft?",
    )
    # the step's question is also an ordinary requirement, so agent-shaped views can decide it
    (req,) = paused.active_requirements
    assert req.tool_execution.tool_name == "publish" and req.needs_confirmation
    req.confirm()
    assert step.is_resolved()
    events, done = await drain(wf.acontinue_run(paused, stream=True))
    assert isinstance(events[-1], WorkflowCompletedEvent) and isinstance(events[-1], RunCompleted)
    assert done.status is RunStatus.completed and done.content == PUBLISHED


async def test_step_confirmation_not_streamed(agentos: AgentOSPeer) -> None:
    wf = workflow(agentos, "publish-workflow")
    paused = await wf.arun("write a memo", session_id=sid())
    assert isinstance(paused, WorkflowRunOutput) and paused.is_paused
    assert paused.paused_step_name == "publish"
    assert [s.step_name for s in paused.step_results] == ["draft"]
    paused.step_requirements[0].confirm()  # type: ignore[index]
    done = await wf.acontinue_run(paused)
    assert done.status is RunStatus.completed and done.content == PUBLISHED


@pytest.mark.parametrize("stream", [False, True])
async def test_step_rejection_skips_the_step(agentos: AgentOSPeer, stream: bool) -> None:
    wf = workflow(agentos, "publish-workflow")
    paused = await wf.arun("write a poem", session_id=sid())
    paused.step_requirements[0].reject()  # type: ignore[index]
    if stream:
        events, done = await drain(
            wf.acontinue_run(
                run_id=paused.run_id,
                session_id=paused.session_id,
                step_requirements=paused.step_requirements,
                stream=True,
            )
        )
        assert isinstance(events[-1], WorkflowCompletedEvent)
    else:
        done = wf.continue_run(
            run_id=paused.run_id, session_id=paused.session_id, step_requirements=paused.step_requirements
        )
    # on_reject="skip": publishing never ran, the draft is the answer
    assert done.status is RunStatus.completed and done.content == draft_of("write a poem")
    assert isinstance(done, WorkflowRunOutput)
    if not stream:  # the JSON answer still lists the rejected step: it shows as skipped
        assert [(s.step_name, s.status) for s in done.step_results] == [
            ("draft", "done"),
            ("publish", "skipped"),
        ]
    else:  # the stream's end lists the whole run's steps, not only those after the pause
        assert [(s.step_name, s.status) for s in done.step_results] == [("draft", "done")]


# --------------------------------------------------------------------------- a step's agent that asks


@pytest.mark.parametrize("stream", [False, True])
async def test_step_agent_tool_confirmation(agentos: AgentOSPeer, stream: bool) -> None:
    wf = workflow(agentos, "cleanup-workflow")
    if stream:
        events, paused = await drain(wf.arun("delete the file", stream=True, session_id=sid()))
        assert isinstance(events[-1], WorkflowPausedEvent)
        assert any(type(e) is RunPaused and e.step_name == "cleanup" for e in events)
        assert any(
            isinstance(e, StepExecutorPausedEvent) and e.executor_id == "cleanup-agent" for e in events
        )
    else:
        paused = await wf.arun("delete the file", session_id=sid())
    (step,) = paused.step_requirements or []
    assert step.requires_executor_input and step.executor_name == "Cleanup Agent"
    (req,) = paused.active_requirements
    assert (req.member_agent_id, req.tool_execution.tool_name) == ("cleanup-agent", "delete_file")
    req.confirm()
    if stream:
        events, done = await drain(wf.acontinue_run(paused, stream=True))
        assert [e.step_name for e in events if isinstance(e, StepCompletedEvent)] == ["cleanup"]
        cleanup = done.step("cleanup")
        assert cleanup is not None and cleanup.executor_run is not None
        assert cleanup.executor_run.content == DELETED
    else:
        done = await wf.acontinue_run(paused)
    assert done.status is RunStatus.completed and done.content == DELETED


async def test_step_agent_tool_rejection(agentos: AgentOSPeer) -> None:
    wf = workflow(agentos, "cleanup-workflow")
    paused = await wf.arun("delete the file", session_id=sid())
    paused.requirements[0].reject("keep it")  # type: ignore[index]
    done = await wf.acontinue_run(paused)
    assert done.status is RunStatus.completed
    assert done.content == "Tool said: delete_file error: keep it. Done."


async def test_refusals_undecided_and_second_continue(agentos: AgentOSPeer) -> None:
    wf = workflow(agentos, "publish-workflow")
    paused = await wf.arun("write a list", session_id=sid())
    with pytest.raises(UnresolvedToolsError, match="publish"):
        await wf.acontinue_run(paused)
    agent_wf = workflow(agentos, "cleanup-workflow")
    agent_paused = await agent_wf.arun("delete the file", session_id=sid())
    with pytest.raises(UnresolvedToolsError, match="delete_file"):
        await agent_wf.acontinue_run(agent_paused)
    paused.step_requirements[0].confirm()  # type: ignore[index]
    assert (await wf.acontinue_run(paused)).is_completed
    with pytest.raises(RunAlreadyContinuedError):
        await wf.acontinue_run(paused)


# --------------------------------------------------------------------------- input, cancel, sessions


class Brief(BaseModel):
    topic: str


async def test_input_as_agno_takes_it(agentos: AgentOSPeer) -> None:
    wf = workflow(agentos, "cleanup-workflow")
    out = await wf.arun(Brief(topic="tidy"), session_id=sid())
    assert out.status is RunStatus.completed and '"topic"' in out.content and "tidy" in out.content
    out = await wf.arun({"topic": "sweep"}, session_id=sid())
    assert out.status is RunStatus.completed and "sweep" in out.content


async def test_cancel_mid_stream(agentos: AgentOSPeer) -> None:
    wf = workflow(agentos, "publish-workflow")
    stream = wf.arun("go slow please", stream=True, session_id=sid())
    events = []
    async with stream:
        async for event in stream:
            events.append(event)
            if isinstance(event, RunContent) and event.content == "tick2 ":
                assert event.step_name == "draft"
                assert await wf.cancel_run(stream.run_id) is True  # type: ignore[arg-type]
    assert isinstance(events[-1], WorkflowCancelledEvent) and isinstance(events[-1], RunCancelled)
    assert stream.output.is_cancelled
    assert await wf.cancel_run(stream.run_id) is False  # type: ignore[arg-type]


def test_sessions_after_runs_sync(agentos: AgentOSPeer) -> None:
    wf = workflow(agentos, "cleanup-workflow")
    session = sid()
    out = wf.run("sweep the floor", session_id=session)
    assert out.is_completed
    assert session in [s.session_id for s in wf.list_sessions().data]
    stored = wf.get_run(out.run_id, session)  # type: ignore[arg-type]
    assert isinstance(stored, WorkflowRunOutput) and stored.content == out.content
    assert stored.step("cleanup") is not None


@pytest.mark.parametrize(
    ("workflow_id", "text", "answer"),
    [
        ("cleanup-workflow", "delete the file", DELETED),
        ("publish-workflow", "write a card", PUBLISHED),
    ],
)
async def test_continue_of_a_run_paused_elsewhere_fetches_it(
    agentos: AgentOSPeer, workflow_id: str, text: str, answer: str
) -> None:
    session = sid()
    paused = await workflow(agentos, workflow_id).arun(text, session_id=session)
    decision = paused.requirements[0].model_copy(deep=True)  # type: ignore[index]
    decision.confirm()
    fresh = workflow(agentos, workflow_id)  # knows nothing of the run: it asks the server for it
    stream = fresh.acontinue_run(
        run_id=paused.run_id, session_id=session, step_requirements=[decision], stream=True
    )
    events = [e async for e in stream]
    assert isinstance(events[-1], WorkflowCompletedEvent) and stream.output.content == answer
