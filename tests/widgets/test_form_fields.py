"""ApprovalForm field generation and validation, from a synthetic paused run (no server)."""

from __future__ import annotations

import ipywidgets as widgets

from agentnb import RunOutput
from agentnb.widgets import ApprovalForm


def paused_with(schema: list[dict[str, object]]) -> RunOutput:
    return RunOutput.from_wire(
        {
            "run_id": "r1",
            "session_id": "s1",
            "status": "PAUSED",
            "tools": [
                {
                    "tool_call_id": "c1",
                    "tool_name": "book",
                    "requires_user_input": True,
                    "user_input_schema": schema,
                }
            ],
        }
    )


def test_field_widgets_follow_the_schema_types_and_validate() -> None:
    schema = [
        {"name": "city", "field_type": "str", "description": "where", "value": None},
        {"name": "nights", "field_type": "int", "description": None, "value": None},
        {"name": "budget", "field_type": "float", "description": None, "value": "99.5"},
        {"name": "breakfast", "field_type": "bool", "description": None, "value": None},
        {"name": "room", "field_type": "Literal['single', 'double']", "description": None, "value": "double"},
    ]
    form = ApprovalForm(agent=None, paused=paused_with(schema))
    card = form.cards[0]
    fields = card.fields
    assert isinstance(fields["breakfast"], widgets.Checkbox) and isinstance(fields["room"], widgets.Dropdown)
    assert list(fields["room"].options) == ["single", "double"] and fields["room"].value == "double"
    assert form.submit_button.disabled and form.message.value == ""  # nothing touched: no problems yet
    fields["city"].value = "Lyon"
    fields["nights"].value = "two"
    assert form.submit_button.disabled and "nights must be a whole number" in form.message.value
    fields["nights"].value = ""
    assert "nights is required" in form.message.value and "city" not in form.message.value
    fields["nights"].value = "2"
    assert not form.submit_button.disabled
    card.apply()
    tool = form.paused.tools[0]  # type: ignore[index]
    assert tool.answered and tool.tool_args == {
        "city": "Lyon",
        "nights": 2,
        "budget": 99.5,
        "breakfast": False,
        "room": "double",
    }
    assert [f.value for f in tool.user_input_schema or []] == ["Lyon", 2, 99.5, False, "double"]


def test_problems_of_untouched_fields_show_after_submit_is_pressed() -> None:
    schema = [
        {"name": "city", "field_type": "str", "description": None, "value": None},
        {"name": "nights", "field_type": "int", "description": None, "value": None},
    ]
    form = ApprovalForm(agent=None, paused=paused_with(schema))
    assert form.message.value == ""
    form.cards[0].fields["city"].value = "Lyon"
    assert form.message.value == ""  # city is fine, nights untouched
    form.submit_button.click()
    assert "nights is required" in form.message.value and not form.submitted
