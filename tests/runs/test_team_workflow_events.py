"""Team and workflow frames decoded and folded: agno's names, odd frames kept, trees assembled.

The frames are shaped like the scripted peer's (see tests/remote/test_team.py for the real
thing); here each case isolates one rule the real peer cannot be made to break on demand.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from agno.run import team as agno_team
from agno.run import workflow as agno_workflow

from agentnb import (
    RunCompleted,
    RunContent,
    RunPaused,
    RunStatus,
    StepRequirement,
    TeamRunContentEvent,
    TeamRunOutput,
    UnknownEvent,
    WorkflowRunOutput,
)
from agentnb._sse import SSEFrame
from agentnb.agentos.components import decode_component_event
from agentnb.runs.team import TeamRunAssembler
from agentnb.runs.team_events import TEAM_EVENT_CLASSES
from agentnb.runs.workflow import WorkflowRunAssembler
from agentnb.runs.workflow_events import WORKFLOW_EVENT_CLASSES

TEAM_RUN, MEMBER_RUN, WF_RUN = "team-run", "member-run", "wf-run"


def frame(payload: dict[str, Any], sse_event: str | None = None) -> SSEFrame:
    name = sse_event if sse_event is not None else payload.get("event", "message")
    return SSEFrame(str(name), json.dumps(payload))


def team_event(name: str, **fields: Any) -> Any:
    return decode_component_event(frame({"event": name, "team_id": "t", "run_id": TEAM_RUN, **fields}))


def member_event(name: str, **fields: Any) -> Any:
    payload = {"event": name, "agent_id": "janitor", "run_id": MEMBER_RUN, "parent_run_id": TEAM_RUN}
    return decode_component_event(frame({**payload, **fields}))


def test_every_agno_team_and_workflow_event_name_has_a_class() -> None:
    team_names = {e.value for e in agno_team.TeamRunEvent} - {"CustomEvent"}
    assert team_names <= set(TEAM_EVENT_CLASSES)
    assert {e.value for e in agno_workflow.WorkflowRunEvent} - {"CustomEvent"} <= set(WORKFLOW_EVENT_CLASSES)


def test_team_frames_decode_to_subclasses_of_the_agent_events() -> None:
    event = team_event("TeamRunContent", content="hi", team_name="Ops")
    assert type(event) is TeamRunContentEvent and isinstance(event, RunContent)
    assert (event.team_id, event.team_name, event.content, event.raw["team_name"]) == (
        "t",
        "Ops",
        "hi",
        "Ops",
    )
    usage = team_event("TeamModelRequestCompleted", input_tokens=3)
    assert type(usage).__name__ == "TeamModelRequestCompletedEvent" and usage.input_tokens == 3


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (SSEFrame("TeamRunContent", "{not json"), "invalid JSON"),
        (SSEFrame("TeamRunBrandNew", '{"event": "TeamRunBrandNew"}'), "unknown event"),
        (SSEFrame("TeamRunContent", '{"event": "TeamRunCompleted"}'), "disagrees"),
        # after WorkflowPaused AgentOS sends the whole run as a frame with no "event" key
        (SSEFrame("WorkflowRunOutput", '{"run_id": "wf-run", "status": "PAUSED"}'), "unknown event"),
    ],
)
def test_odd_frames_are_kept_as_unknown_events(raw: SSEFrame, error: str) -> None:
    event = decode_component_event(raw)
    assert isinstance(event, UnknownEvent) and error in (event.error or "")
    assert event.raw_text == raw.data


def test_a_member_pause_or_end_never_ends_the_team_run() -> None:
    assembler = TeamRunAssembler(TeamRunOutput())
    stream = [
        team_event("TeamRunStarted"),
        member_event("RunStarted"),
        member_event("RunContent", content="Deleting "),
        member_event("RunContent", content="now."),
        member_event("RunCompleted", content="Deleting now."),
        team_event("TeamRunContent", content="Done."),
    ]
    assert [assembler.absorb(e) for e in stream] == [False] * len(stream)
    assert assembler.absorb(team_event("TeamRunCompleted", content="Done.")) is True
    out = assembler.finish()
    assert out.status is RunStatus.completed and out.content == "Done." and out.team_id == "t"
    (member,) = out.member_responses
    assert (member.agent_id, member.run_id, member.parent_run_id, member.content) == (
        "janitor",
        MEMBER_RUN,
        TEAM_RUN,
        "Deleting now.",
    )


def test_a_team_pause_names_the_member_and_a_json_answer_rebuilds_the_tree() -> None:
    tool = {"tool_call_id": "c1", "tool_name": "delete_file", "requires_confirmation": True}
    requirement = {"member_agent_id": "janitor", "member_agent_name": "Janitor", "tool_execution": tool}
    assembler = TeamRunAssembler(TeamRunOutput())
    assembler.absorb(team_event("TeamRunStarted"))
    assert assembler.absorb(member_event("RunPaused", tools=[tool])) is False
    assert assembler.absorb(team_event("TeamRunPaused", requirements=[requirement])) is True
    out = assembler.finish()
    assert isinstance(out, TeamRunOutput)
    assert [r.member_agent_id for r in out.active_requirements] == ["janitor"]
    assert out.member_responses[0].status is RunStatus.paused
    answer = TeamRunOutput.from_wire(
        {"team_id": "t", "member_responses": [{"agent_id": "a", "content": "x"}, {"team_id": "sub"}]}
    )
    assert [type(m).__name__ for m in answer.member_responses] == ["RunOutput", "TeamRunOutput"]


def wf_event(name: str, **fields: Any) -> Any:
    return decode_component_event(frame({"event": name, "workflow_id": "w", "run_id": WF_RUN, **fields}))


def step_agent_event(name: str, **fields: Any) -> Any:
    payload = {"event": name, "agent_id": "writer", "run_id": "agent-run", "workflow_run_id": WF_RUN}
    return decode_component_event(frame({**payload, "step_name": "draft", "step_id": "s1", **fields}))


def test_workflow_steps_and_their_agents_are_a_tree() -> None:
    assembler = WorkflowRunAssembler(WorkflowRunOutput())
    stream = [
        wf_event("WorkflowStarted", workflow_name="Publish"),
        wf_event("StepStarted", step_name="draft", step_id="s1", step_index=0),
        step_agent_event("RunStarted"),
        step_agent_event("RunContent", content="A draft."),
        step_agent_event("RunCompleted", content="A draft."),
        wf_event("StepCompleted", step_name="draft", step_id="s1", content="A draft."),
        wf_event("StepPaused", step_name="publish", step_id="s2", step_index=1, requires_confirmation=True),
    ]
    assert not any(assembler.absorb(e) for e in stream)
    step_requirement = {
        "step_id": "s2",
        "step_name": "publish",
        "requires_confirmation": True,
        "on_reject": "skip",
    }
    paused = wf_event("WorkflowPaused", paused_step_name="publish", step_requirements=[step_requirement])
    assert assembler.absorb(paused) is True
    out = assembler.finish()
    assert isinstance(out, WorkflowRunOutput) and out.workflow_name == "Publish"
    assert [(s.step_name, s.status) for s in out.step_results] == [("draft", "done"), ("publish", "paused")]
    draft = out.step("draft")
    assert draft is not None and draft.executor_run is not None and draft.executor_run.content == "A draft."
    assert isinstance(stream[4], RunCompleted) and stream[4].step_name == "draft"
    # the step's question, decided through the plain requirement, goes back in the step's own form
    (req,) = out.active_requirements
    req.reject("later")
    (step,) = out.step_requirements or []
    assert isinstance(step, StepRequirement) and step.is_resolved()
    sent = step.to_dict()
    assert (sent["confirmed"], sent["on_reject"], sent["step_id"]) == (False, "skip", "s2")


def test_a_step_agents_pause_lists_its_tools_as_requirements() -> None:
    tool = {"tool_call_id": "c9", "tool_name": "delete_file", "requires_confirmation": True}
    step_requirement = {
        "step_id": "s1",
        "step_name": "cleanup",
        "requires_executor_input": True,
        "executor_id": "cleanup-agent",
        "executor_name": "Cleanup Agent",
        "executor_requirements": [{"tool_execution": tool}],
    }
    assembler = WorkflowRunAssembler(WorkflowRunOutput())
    assembler.absorb(wf_event("WorkflowStarted"))
    assert assembler.absorb(step_agent_event("RunPaused", tools=[tool])) is False
    assert isinstance(assembler.executors["agent-run"].terminal, RunPaused)
    assembler.absorb(wf_event("WorkflowPaused", step_requirements=[step_requirement]))
    out = assembler.finish()
    (req,) = out.active_requirements
    assert (req.member_agent_id, req.tool_execution.tool_name) == ("cleanup-agent", "delete_file")
    req.confirm()
    sent = out.step_requirements[0].to_dict()  # type: ignore[index]
    assert sent["executor_requirements"][0]["tool_execution"]["confirmed"] is True
