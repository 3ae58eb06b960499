"""Every event class agno's agent, team and workflow streams can emit, serialised by agno's own
``to_json`` (what AgentOS writes into each SSE frame) and decoded by agentnb: a named event, never
an UnknownEvent, with every field agno wrote kept (as a field or in ``model_extra``).

The field values are filled in per annotated type (str, int, float, bool, dict), so the frames
carry more than the defaults agno's ``to_dict`` drops as None.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest
from agno.run import agent as agno_agent
from agno.run import team as agno_team
from agno.run import workflow as agno_workflow

from agentnb._sse import SSEFrame
from agentnb.agentos.components import decode_component_event
from agentnb.agentos.decode import decode_event
from agentnb.events import CustomEvent
from agentnb.runs.events import RunEvent, UnknownEvent

#: Which decoder reads each module's streams: an agent's route, or a team's / workflow's.
MODULES: dict[str, tuple[ModuleType, Callable[[SSEFrame], RunEvent]]] = {
    "agent": (agno_agent, decode_event),
    "team": (agno_team, decode_component_event),
    "workflow": (agno_workflow, decode_component_event),
}

_SAMPLES: list[tuple[str, Any]] = [
    ("bool", True),
    ("float", 1.5),
    ("int", 7),
    ("str", "x<b>"),
]


def _rich_samples() -> dict[str, Any]:
    """Values of agno's own classes for the fields that carry them (built fresh for each frame)."""
    from agno.metrics import RunMetrics as AgnoRunMetrics
    from agno.models.message import Message as AgnoMessage
    from agno.models.response import ToolExecution as AgnoToolExecution
    from agno.reasoning.step import ReasoningStep
    from agno.session.summary import SessionSummary

    tool = AgnoToolExecution(tool_call_id="c1", tool_name="rm", tool_args={"path": "/tmp/<x>"}, result="ok")
    return {
        "Optional[agno.models.response.ToolExecution]": tool,
        "Optional[List[agno.models.response.ToolExecution]]": [tool],
        "Optional[List[agno.reasoning.step.ReasoningStep]]": [ReasoningStep(title="t", reasoning="why")],
        "Optional[List[agno.models.message.Message]]": [AgnoMessage(role="user", content="hi")],
        "Optional[ForwardRef('SessionSummary')]": SessionSummary(summary="talked", topics=["a"]),
        "Optional[agno.metrics.RunMetrics]": AgnoRunMetrics(input_tokens=3, output_tokens=4, total_tokens=7),
        "Optional[List[str]]": ["a", "b"],
        "List[str]": ["a", "b"],
    }


def sample(annotation: Any) -> Any:
    """A value for a field of this (string) annotation, or None to leave the default."""
    text = str(annotation).replace("typing.", "")
    rich = _rich_samples()
    if text in rich:
        return rich[text]
    if text.startswith(("Dict[", "Optional[Dict[")) and "List" not in text:
        return {"k": "v"}
    for name, value in _SAMPLES:
        if text in (name, f"Optional[{name}]", f"<class '{name}'>"):
            return value
    return None


def event_classes(module: ModuleType) -> dict[str, type]:
    found = {}
    for name, obj in vars(module).items():
        if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == module.__name__:
            default = {f.name: f.default for f in dataclasses.fields(obj)}.get("event")
            if isinstance(default, str) and default and name != "CustomEvent":
                found[name] = obj
    return found


CASES = [
    pytest.param(kind, name, cls, id=f"{kind}.{name}")
    for kind, (module, _) in MODULES.items()
    for name, cls in sorted(event_classes(module).items())
]


def test_every_name_agnos_enums_list_decodes_to_a_named_event() -> None:
    # agno 3.1.10's WorkflowRunEvent lists "ConditionPaused" with no class behind it: such a name
    # is decoded from a minimal frame here; the classes are decoded from their own frames below.
    unbacked = []
    for kind, enum in (
        ("agent", agno_agent.RunEvent),
        ("team", agno_team.TeamRunEvent),
        ("workflow", agno_workflow.WorkflowRunEvent),
    ):
        module, decode = MODULES[kind]
        names = {
            {f.name: f.default for f in dataclasses.fields(c)}["event"]
            for c in event_classes(module).values()
        }
        for value in sorted({e.value for e in enum} - names - {"CustomEvent"}):
            unbacked.append(value)
            data = json.dumps({"event": value, "run_id": "r1"})
            decoded = decode(SSEFrame(event=value, data=data))
            assert not isinstance(decoded, UnknownEvent) and decoded.event == value, value
    assert unbacked == ["ConditionPaused"]  # a new one is worth a look at what agno sends in it
    assert len(CASES) >= 100


def agno_frame(cls: type) -> tuple[str, dict[str, Any]]:
    event = cls()
    for field in dataclasses.fields(cls):
        value = sample(field.type)
        if field.name == "content":
            value = "some <i>text</i>"  # typed Any in agno; a model's text on the wire
        if field.name in ("step_response", "step_output"):  # typed Any; agno's StepOutput on the wire
            from agno.workflow.types import StepOutput

            value = StepOutput(step_name="draft", content="hello <b>", success=True)
        if field.name != "event" and value is not None:
            setattr(event, field.name, value)
    data = event.to_json()
    return data, json.loads(data)


def plain(value: Any) -> Any:
    """A decoded value as JSON-like data: our models dumped, enums by value."""
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return plain(dump(mode="json"))
    return getattr(value, "value", value)


def holds(expected: Any, got: Any) -> bool:
    """``got`` carries everything ``expected`` (agno's JSON) does; our models may add fields."""
    if isinstance(expected, dict):
        return isinstance(got, dict) and all(holds(v, got.get(k)) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(got, list) and len(got) == len(expected) and all(map(holds, expected, got))
    return bool(expected == got)


def kept(event: RunEvent, key: str) -> Any:
    if key in type(event).model_fields or hasattr(type(event), key):
        return plain(getattr(event, key))
    return plain((event.model_extra or {}).get(key, "<missing>"))


@pytest.mark.parametrize(("kind", "name", "cls"), CASES)
def test_agnos_own_frame_decodes_into_a_named_event_keeping_its_fields(
    kind: str, name: str, cls: type
) -> None:
    data, payload = agno_frame(cls)
    decode = MODULES[kind][1]
    decoded = decode(SSEFrame(event=payload["event"], data=data))
    assert not isinstance(decoded, UnknownEvent), (name, payload["event"])
    # Agent and workflow classes carry agno's names; team classes agno names like the agent's
    # (agno.run.team.RunContentEvent) are ours prefixed by their event (TeamRunContentEvent).
    assert type(decoded).__name__ in (name, payload["event"] + "Event")
    assert decoded.event == payload["event"] and decoded.raw == payload
    lost = {k: (v, kept(decoded, k)) for k, v in payload.items() if not holds(v, kept(decoded, k))}
    assert not lost, lost
    # The same frame sent as a plain "message" (the name only in the data) decodes the same.
    again = decode(SSEFrame(event="message", data=data))
    assert type(again) is type(decoded)


@pytest.mark.parametrize("kind", sorted(MODULES))
def test_a_custom_event_subclass_keeps_its_own_fields(kind: str) -> None:
    module, decode = MODULES[kind]

    @dataclass
    class Score(module.CustomEvent):  # type: ignore[name-defined,misc]
        score: int = 0
        note: str = ""

    data = Score(score=3, note="<b>unsafe</b>").to_json()
    decoded = decode(SSEFrame(event="CustomEvent", data=data))
    assert isinstance(decoded, CustomEvent)
    assert decoded.model_extra is not None
    assert decoded.model_extra["score"] == 3 and decoded.model_extra["note"] == "<b>unsafe</b>"
