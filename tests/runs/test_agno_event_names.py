"""agentnb's run events carry agno's class names, event values and fields (issue: code written for
agno's RemoteAgent runs after switching the import). agno's classes are read from agno at test time."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from agno.run import agent as agno_agent

import agentnb
import agentnb.events
from agentnb._sse import SSEFrame
from agentnb.agentos.decode import decode_event
from agentnb.runs import events as run_events
from agentnb.runs.events import _SentOnly
from agentnb.runs.models import RunRequirement, ToolExecution


def agno_event_classes() -> dict[str, type]:
    """Every event class agno's agno/run/agent.py defines: BaseAgentRunEvent subclasses naming an event."""
    found = {}
    for name, obj in vars(agno_agent).items():
        if (
            isinstance(obj, type)
            and issubclass(obj, agno_agent.BaseAgentRunEvent)
            and obj.__module__ == agno_agent.__name__
        ):
            default = {f.name: f.default for f in dataclasses.fields(obj)}.get("event")
            if isinstance(default, str) and default:
                found[name] = obj
    return found


AGNO = agno_event_classes()


def agno_event_name(cls: type) -> str:
    return str({f.name: f.default for f in dataclasses.fields(cls)}["event"])


def test_agno_defines_what_we_expect_to_enumerate() -> None:
    # Guards the enumeration itself: an empty or truncated list would make the tests below vacuous.
    assert len(AGNO) >= 37
    assert {"RunContentEvent", "ModelRequestCompletedEvent", "CustomEvent"} <= set(AGNO)
    assert {agno_event_name(c) for c in AGNO.values()} == {e.value for e in agno_agent.RunEvent}


@pytest.mark.parametrize("name", sorted(AGNO))
def test_same_class_name_event_value_and_fields(name: str) -> None:
    ours = getattr(agentnb.events, name)
    assert getattr(agentnb, name) is ours
    assert ours.__name__ == name
    assert issubclass(ours, agentnb.RunEvent) and issubclass(ours, agentnb.BaseAgentRunEvent)
    event = agno_event_name(AGNO[name])
    assert ours.model_fields["event"].default == event
    assert ours().event == event  # agno's classes default their event name too
    # A field frames almost never carry is a property over the frame's extra keys (cheaper per token).
    properties = {n for n in dir(ours) if isinstance(getattr(ours, n, None), (property, _SentOnly))}
    missing = {f.name for f in dataclasses.fields(AGNO[name])} - set(ours.model_fields) - properties
    assert not missing, f"{name} lacks agno's fields {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(AGNO))
def test_a_frame_decodes_into_its_own_class(name: str) -> None:
    event = agno_event_name(AGNO[name])
    payload: dict[str, Any] = {"event": event, "run_id": "r1", "created_at": 1}
    for data in (json.dumps(payload), json.dumps({k: v for k, v in payload.items() if k != "event"})):
        decoded = decode_event(SSEFrame(event=event, data=data))
        assert type(decoded) is getattr(agentnb.events, name), data
        assert decoded.event == event and decoded.run_id == "r1"
        assert decoded.raw == payload
    # The same frame as a plain "message" (name only in the data) takes the careful path.
    decoded = decode_event(SSEFrame(event="message", data=json.dumps(payload)))
    assert type(decoded) is getattr(agentnb.events, name)


def test_fields_of_events_agno_defines_beyond_the_run_life() -> None:
    done = decode_event(
        SSEFrame(
            event="ModelRequestCompleted",
            data=json.dumps({"event": "ModelRequestCompleted", "input_tokens": 10, "model": "gpt", "x": 1}),
        )
    )
    assert isinstance(done, agentnb.ModelRequestCompletedEvent)
    assert done.input_tokens == 10 and done.model == "gpt" and done.model_extra == {"x": 1}
    delta = decode_event(
        SSEFrame(
            event="ReasoningContentDelta", data='{"event":"ReasoningContentDelta","reasoning_content":"hm"}'
        )
    )
    assert isinstance(delta, agentnb.ReasoningContentDeltaEvent) and delta.reasoning_content == "hm"
    custom = decode_event(SSEFrame(event="CustomEvent", data='{"event":"CustomEvent","score":3}'))
    assert isinstance(custom, agentnb.CustomEvent) and custom.model_extra == {"score": 3}


def test_isinstance_works_as_with_agno() -> None:
    content = decode_event(SSEFrame(event="RunContent", data='{"event":"RunContent","content":"hi"}'))
    assert isinstance(content, agentnb.RunContentEvent) and isinstance(content, agentnb.RunContent)
    assert type(content).__name__ == "RunContentEvent" and content.content == "hi"
    assert not isinstance(content, agentnb.RunCompletedEvent)
    assert repr(content) == "RunContentEvent(run_id=None, content='hi')"


ALIASES = {
    "RunStarted": "RunStartedEvent",
    "RunContent": "RunContentEvent",
    "RunContentCompleted": "RunContentCompletedEvent",
    "RunIntermediateContent": "IntermediateRunContentEvent",
    "ToolCallStarted": "ToolCallStartedEvent",
    "ToolCallCompleted": "ToolCallCompletedEvent",
    "ToolCallError": "ToolCallErrorEvent",
    "RunPaused": "RunPausedEvent",
    "RunContinued": "RunContinuedEvent",
    "RunCompleted": "RunCompletedEvent",
    "RunError": "RunErrorEvent",
    "RunCancelled": "RunCancelledEvent",
    "RunEvent": "BaseAgentRunEvent",
}


@pytest.mark.parametrize(("short", "agno_name"), sorted(ALIASES.items()))
def test_short_names_are_the_same_class_objects(short: str, agno_name: str) -> None:
    for module in (agentnb, agentnb.events, run_events):
        assert getattr(module, short) is getattr(module, agno_name)
    assert agno_name in AGNO or agno_name == "BaseAgentRunEvent"


def test_an_event_built_without_a_name_takes_its_class_default() -> None:
    # As with agno: RunContentEvent(content="x").event == "RunContent"; the base needs a name.
    assert agentnb.ToolCallStarted().event == "ToolCallStarted"
    assert agentnb.RunContentEvent(content="x").event == "RunContent"
    assert agentnb.RunEvent(event="A2AStatus").event == "A2AStatus"


def test_unknown_names_stay_unknown_events_with_their_frame() -> None:
    data = '{"event":"BrandNewEvent","run_id":"r9"}'
    for sse in ("BrandNewEvent", "message"):
        event = decode_event(SSEFrame(event=sse, data=data))
        assert type(event) is agentnb.UnknownEvent and event.raw_text == data and event.run_id == "r9"
    # agno's class name is not an event name.
    event = decode_event(SSEFrame(event="RunContentEvent", data='{"event":"RunContentEvent"}'))
    assert type(event) is agentnb.UnknownEvent


def tool(call_id: str, **flags: Any) -> ToolExecution:
    return ToolExecution(tool_call_id=call_id, tool_name="rm", **flags)


def test_paused_event_has_agnos_requirement_api() -> None:
    payload = {
        "event": "RunPaused",
        "tools": [
            {"tool_call_id": "a", "tool_name": "rm", "requires_confirmation": True},
            {"tool_call_id": "b", "tool_name": "ls", "requires_confirmation": True},
        ],
    }
    paused = decode_event(SSEFrame(event="RunPaused", data=json.dumps(payload)))
    assert isinstance(paused, agentnb.RunPausedEvent) and paused.is_paused and paused.is_terminal
    assert paused.tools is not None and [t.tool_call_id for t in paused.tools] == ["a", "b"]
    assert paused.requirements is not None and len(paused.requirements) == 2
    assert [r.tool_execution.tool_call_id for r in paused.active_requirements] == ["a", "b"]
    assert [t.tool_call_id for t in paused.tools_requiring_confirmation] == ["a", "b"]
    paused.requirements[0].confirm()
    assert [r.tool_execution.tool_call_id for r in paused.active_requirements] == ["b"]
    assert agentnb.RunPausedEvent().active_requirements == []
    built = agentnb.RunPaused(tools=[tool("c", requires_confirmation=True)])
    assert built.requirements is not None and isinstance(built.requirements[0], RunRequirement)


def test_completed_event_has_tools() -> None:
    data = {"event": "RunCompleted", "content": "ok", "tools": [{"tool_call_id": "a", "tool_name": "rm"}]}
    done = decode_event(SSEFrame(event="RunCompleted", data=json.dumps(data)))
    assert isinstance(done, agentnb.RunCompletedEvent)
    assert done.tools is not None and isinstance(done.tools[0], ToolExecution)
    assert done.tools[0].tool_name == "rm"
