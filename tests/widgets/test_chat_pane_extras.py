"""ChatPane, issue 16: Enter's message, one error with one Retry, download link, labels, saved text."""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentnb import RemoteAgent
from agentnb.widgets import ChatPane
from agentnb.widgets.chat_bubbles import AgentBubble
from agentnb.widgets.chat_export import redactor, transcript_html, transcript_plain
from tests.conftest import SECURITY_KEY
from tests.peers.agentos import AgentOSPeer
from tests.widgets.conftest import updates

REFUSED = "http://127.0.0.1:9"  # the discard port: nobody listens, the connection is refused


def refused_pane(**kwargs: Any) -> ChatPane:
    return ChatPane(RemoteAgent(REFUSED, agent_id="a", prefetch_config=False), **kwargs)


def custom(widget: Any) -> list[Any]:
    return [m["content"] for m in widget.comm.messages if isinstance(m, dict) and m.get("method") == "custom"]


async def test_enter_sends_the_text_of_its_message_and_empties_the_box() -> None:
    pane = refused_pane()
    # The trait may lag behind the browser (keystrokes still queued): the message's text wins.
    pane.input.value = "hel"
    pane.input._on_message(pane.input, {"type": "submit", "text": "hello"}, [])
    assert pane.busy and pane.input.value == ""
    assert updates(pane.input, "value")[-1]["state"]["value"] == ""
    await pane.running
    assert pane.transcript[0]["text"] == "hello" and pane.last_prompt == "hello"


async def test_a_refused_connection_is_shown_once_with_the_one_retry() -> None:
    pane = refused_pane()
    await pane.send("hello?")
    asked, answer = pane.history.children
    assert isinstance(answer, AgentBubble)
    view = answer.content
    assert view.state == "error" and view.html.value.count("Cannot connect to") == 1
    assert "Traceback" not in view.html.value
    assert pane.retry_button.button_style == "warning" and not pane.retry_button.disabled
    await pane.retry()
    assert len(pane.history.children) == 2 and pane.history.children[0] is not asked
    assert [m["role"] for m in pane.transcript] == ["user", "error", "user", "error"]


async def test_an_error_without_an_answer_view_gets_one_message_row() -> None:
    pane = refused_pane()
    pane._show_error(ValueError("Bearer abc.def went wrong"))
    (row,) = pane.history.children
    assert "went wrong" in row.value and "abc.def" not in row.value


def test_user_id_is_labelled_and_edit_last_refills_and_focuses_the_box() -> None:
    pane = refused_pane(user_id="ada")
    assert pane.user_id.description == "user_id" and pane.user_id.value == "ada"
    assert pane.edit_button.disabled
    pane.last_prompt = "what I asked"
    pane._set_busy(False)
    pane.edit_button.click()
    assert pane.input.value == "what I asked" and {"type": "focus"} in custom(pane.input)


def test_the_history_is_bounded_and_scrolls_inside() -> None:
    pane = refused_pane(height="300px")
    assert pane.history.layout.max_height == "300px" and pane.history.layout.overflow == "auto"
    assert "agentnb-chat-history" in pane.history._dom_classes


async def test_export_is_a_download_link_and_writes_no_file_unless_asked(
    agentos_secured: AgentOSPeer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    agent = RemoteAgent(agentos_secured.base_url, agent_id="assistant", auth_token=SECURITY_KEY)
    pane = ChatPane(agent)
    await pane.send(f"my key is {SECURITY_KEY}")
    pane.export_json_button.click()
    match = re.search(
        r'download="(chat-assistant-\d{8}-\d{6}\.json)" href="data:application/json;[^,]*,([^"]+)"',
        pane.status.value,
    )
    assert match is not None, pane.status.value
    exported = json.loads(base64.b64decode(match.group(2)).decode())
    assert exported["messages"][0]["text"] == "my key is [redacted]"
    assert SECURITY_KEY not in pane.status.value and list(tmp_path.iterdir()) == []
    # The server names the session after its first message: the picker must not show the token.
    await pane.refresh_sessions()
    labels = [label for label, _value in pane.sessions.options]
    assert any("my key is [redacted]" in label for label in labels) and SECURITY_KEY not in str(labels)


def test_the_saved_transcript_escapes_and_redacts() -> None:
    messages = [
        {"role": "user", "text": "<script>x()</script> key Bearer abc.def", "time": "2026-01-01T10:11:12"},
        {"role": "agent", "text": "**bold** <img src=x onerror=y>", "time": "2026-01-01T10:11:13"},
    ]
    out = transcript_html("Chat with <b>", messages, redactor(None))
    assert "<script>" not in out and "<img" not in out and "<strong>bold</strong>" in out
    assert "abc.def" not in out and "Chat with &lt;b&gt;" in out and "10:11:12" in out
    plain = transcript_plain("Chat", messages, redactor(None))
    assert "You · 10:11:12" in plain and "abc.def" not in plain


async def test_the_displayed_pane_keeps_its_saved_transcript_up_to_date(
    agentos: AgentOSPeer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import IPython.display

    shown: list[tuple[dict[str, str], str | None]] = []
    monkeypatch.setattr(
        IPython.display, "display", lambda obj, raw=False, display_id=None: shown.append((obj, display_id))
    )
    monkeypatch.setattr(
        IPython.display,
        "update_display",
        lambda obj, raw=False, display_id=None: shown.append((obj, display_id)),
    )
    pane = ChatPane(RemoteAgent(agentos.base_url, agent_id="assistant"))
    pane._ipython_display_()
    (widget_view, _), (fallback, fallback_id) = shown
    assert "application/vnd.jupyter.widget-view+json" in widget_view and fallback_id
    assert "Chat with assistant" in fallback["text/plain"]
    await pane.send("saved please")
    latest, display_id = shown[-1]
    assert display_id == fallback_id
    assert "Hello! You said: saved please" in html.unescape(latest["text/html"])
    assert "Hello! You said: saved please" in latest["text/plain"]


# The redactor skips its regular expression when "bearer" is nowhere in the text (a live answer
# is redacted at every flush): the shortcut must hide exactly what the full substitution hides.
_FULL_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")


@given(
    st.lists(
        st.sampled_from(
            ["Bearer ", "bEaReR\t", "BEARER\n", "bearer", "Bear", "er ", "tok.en-1", "sk-abc", " ", "K", "ß"]
        )
        | st.text(max_size=8),
        max_size=12,
    ).map("".join)
)
def test_redactor_shortcut_hides_what_the_full_substitution_hides(text: str) -> None:
    expected = _FULL_BEARER.sub(r"\1[redacted]", text.replace("sk-abc", "[redacted]"))
    assert redactor("sk-abc")(text) == expected
    assert redactor(None)(text) == _FULL_BEARER.sub(r"\1[redacted]", text)


def test_redactor_hides_a_bearer_value_in_any_case() -> None:
    redact = redactor(None)
    assert redact("auth: BeArEr abc.DEF-123 then") == "auth: BeArEr [redacted] then"
    assert redact("no credentials here") == "no credentials here"
