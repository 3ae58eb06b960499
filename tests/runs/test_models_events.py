"""Decoding AgentOS payloads: typed events, paused tools, agent config."""

from __future__ import annotations

import json
from typing import Any

from agentnb import (
    AgentConfig,
    ModelRequestCompletedEvent,
    RunCompleted,
    RunContent,
    RunError,
    RunEvent,
    RunOutput,
    RunPaused,
    RunStatus,
    ToolCallCompleted,
    ToolExecution,
    UnknownEvent,
)
from agentnb._sse import SSEFrame
from agentnb.agentos.decode import decode_event

CONFIRM_TOOL: dict[str, Any] = {
    "tool_call_id": "call_1",
    "tool_name": "delete_file",
    "tool_args": {"path": "/tmp/x"},
    "tool_call_error": None,
    "result": None,
    "metrics": None,
    "child_run_id": None,
    "stop_after_tool_call": False,
    "created_at": 1795261331,
    "requires_confirmation": True,
    "confirmed": None,
    "confirmation_note": None,
    "requires_user_input": None,
    "user_input_schema": None,
    "user_feedback_schema": None,
    "answered": None,
    "external_execution_required": None,
    "external_execution_silent": None,
    "approval_type": None,
    "approval_id": None,
    "parent_tool_call_id": None,
}


def frame(payload: dict[str, Any] | str, event: str | None = None) -> SSEFrame:
    data = payload if isinstance(payload, str) else json.dumps(payload)
    name = event or (payload.get("event") if isinstance(payload, dict) else None) or "message"
    return SSEFrame(event=name, data=data)


def paused_payload() -> dict[str, Any]:
    return {
        "event": "RunPaused",
        "run_id": "r1",
        "session_id": "s1",
        "content": "I have tools to execute, but I need confirmation.",
        "tools": [dict(CONFIRM_TOOL)],
        "requirements": [
            {"id": "q1", "created_at": "2026-11-21T11:42:11+00:00", "tool_execution": dict(CONFIRM_TOOL)}
        ],
    }


def test_known_events_decode_to_their_types_and_keep_raw() -> None:
    content = decode_event(
        frame({"event": "RunContent", "run_id": "r1", "content": "Hel", "content_type": "str"})
    )
    assert isinstance(content, RunContent) and content.content == "Hel"
    assert content.raw == {"event": "RunContent", "run_id": "r1", "content": "Hel", "content_type": "str"}
    done = decode_event(frame({"event": "RunCompleted", "content": "Hello", "metrics": {"total_tokens": 3}}))
    assert isinstance(done, RunCompleted) and done.metrics == {"total_tokens": 3} and done.is_terminal
    tool = decode_event(frame({"event": "ToolCallCompleted", "tool": {**CONFIRM_TOOL, "result": "ok"}}))
    assert isinstance(tool, ToolCallCompleted) and tool.tool is not None and tool.tool.result == "ok"


def test_other_agno_events_decode_to_their_own_classes() -> None:
    event = decode_event(frame({"event": "ModelRequestCompleted", "input_tokens": 10}))
    assert type(event) is ModelRequestCompletedEvent and event.event == "ModelRequestCompleted"
    assert isinstance(event, RunEvent) and event.input_tokens == 10 and not event.model_extra


def test_unknown_name_bad_json_and_non_object_become_unknown_events_with_raw_text() -> None:
    unknown = decode_event(frame({"event": "BrandNewEvent", "run_id": "r9", "x": 1}))
    assert (
        isinstance(unknown, UnknownEvent)
        and unknown.run_id == "r9"
        and "BrandNewEvent" in (unknown.error or "")
    )
    assert json.loads(unknown.raw_text) == {"event": "BrandNewEvent", "run_id": "r9", "x": 1}
    bad = decode_event(SSEFrame(event="RunContent", data="{not json"))
    assert (
        isinstance(bad, UnknownEvent)
        and bad.raw_text == "{not json"
        and bad.error
        and "invalid JSON" in bad.error
    )
    array = decode_event(SSEFrame(event="message", data="[1, 2]"))
    assert isinstance(array, UnknownEvent) and array.raw_text == "[1, 2]"


def test_event_line_disagreeing_with_payload_is_not_trusted() -> None:
    event = decode_event(
        SSEFrame(event="RunCompleted", data=json.dumps({"event": "RunContent", "content": "x"}))
    )
    assert isinstance(event, UnknownEvent) and "disagrees" in (event.error or "")


def test_payload_without_event_key_uses_the_sse_event_name() -> None:
    event = decode_event(SSEFrame(event="RunContent", data=json.dumps({"content": "x"})))
    assert isinstance(event, RunContent) and event.content == "x"


def test_agno_error_frames_become_run_errors() -> None:
    event = decode_event(SSEFrame(event="error", data=json.dumps({"event": "error", "error": "boom"})))
    assert isinstance(event, RunError) and event.content == "boom" and event.is_terminal


def test_invalid_field_types_become_unknown_events() -> None:
    event = decode_event(frame({"event": "RunCompleted", "metrics": "not a dict"}))
    assert isinstance(event, UnknownEvent) and "did not validate" in (event.error or "")


def test_paused_requirements_share_the_tools_objects() -> None:
    event = decode_event(frame(paused_payload()))
    assert isinstance(event, RunPaused)
    assert event.requirements is not None and event.tools is not None
    assert event.requirements[0].tool_execution is event.tools[0]
    event.requirements[0].confirm()
    assert event.tools[0].confirmed is True


def test_requirement_fields_write_through_to_the_tool_that_is_sent() -> None:
    # agno's RunRequirement.confirmation = True is lost on the wire (rough edge 11); ours is not.
    output = RunOutput.from_wire({**paused_payload(), "status": "PAUSED"})
    requirement = output.active_requirements[0]
    requirement.confirmation = True
    assert requirement.is_resolved() and output.active_requirements == []
    assert requirement.tool_execution.to_wire()["confirmed"] is True


def test_tool_to_wire_keeps_every_key_and_full_user_input_fields() -> None:
    tool = ToolExecution.from_wire(
        {
            **CONFIRM_TOOL,
            "requires_confirmation": None,
            "requires_user_input": True,
            "user_input_schema": [{"name": "to", "field_type": "str"}],
        }
    )
    assert tool.pause_kind == "user_input" and tool.is_pending
    tool.provide_user_input({"to": "a@b.c"})
    wire = tool.to_wire()
    assert set(CONFIRM_TOOL) <= set(wire)
    assert wire["user_input_schema"] == [
        {"name": "to", "field_type": "str", "description": None, "value": "a@b.c"}
    ]
    assert wire["answered"] is True and wire["tool_args"]["to"] == "a@b.c"


def test_user_input_refuses_unknown_fields() -> None:
    tool = ToolExecution(tool_name="send", requires_user_input=True, user_input_schema=[{"name": "to"}])  # type: ignore[list-item]
    try:
        tool.provide_user_input({"cc": "x"})
    except ValueError as exc:
        assert "cc" in str(exc)
    else:
        raise AssertionError("unknown field accepted")


def test_pending_rules_for_each_pause_kind() -> None:
    external = ToolExecution(tool_name="sh", external_execution_required=True)
    assert external.is_pending and external.pause_kind == "external_execution"
    external.set_external_execution_result({"files": ["a"]})
    assert not external.is_pending and external.result == '{"files": ["a"]}'
    confirm = ToolExecution(tool_name="rm", requires_confirmation=True)
    confirm.reject("no")
    assert not confirm.is_pending and confirm.confirmed is False and confirm.confirmation_note == "no"


def test_status_parsing_and_flags() -> None:
    assert RunOutput.from_wire({"status": "COMPLETED"}).is_completed
    assert RunOutput.from_wire({"status": "cancelled"}).status is RunStatus.cancelled
    assert RunOutput.from_wire({"status": "ERROR", "content": "x"}).is_error
    assert RunOutput.from_wire({}).status is RunStatus.running


def test_agent_config_tools_from_list_dict_or_json_string() -> None:
    listed = [{"name": "get_weather"}]
    assert AgentConfig.from_wire({"tools": {"tools": listed}}).tool_list == listed
    assert AgentConfig.from_wire({"tools": {"tools": json.dumps(listed)}}).tool_list == listed
    assert AgentConfig.from_wire({"tools": json.dumps(listed)}).tool_list == listed
    assert AgentConfig.from_wire({"tools": listed}).tool_list == listed
    assert AgentConfig.from_wire({"tools": None}).tool_list is None


def test_a_streamed_run_keeps_the_media_its_completed_event_carries() -> None:
    # AgentOS sends the images an agent made on RunCompleted only; a streamed output must keep them.
    from agentnb.runs.assembler import RunAssembler
    from agentnb.runs.events import RunCompletedEvent
    from agentnb.runs.models import RunOutput

    image = {"id": "img-1", "mime_type": "image/png", "content": "iVBORw0KGgo="}
    assembler = RunAssembler(RunOutput(run_id="r1"))
    assembler.absorb(RunCompletedEvent(run_id="r1", content="Here is your picture.", images=[image]))
    out = assembler.finish()
    assert out.images is not None and len(out.images) == 1
    assert out.files is None and out.videos is None
