"""Auth tokens never appear in reprs, logs, exception messages, transcripts or widget state."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from ipywidgets.widgets.widget import _instances as all_widgets

from agentnb import A2AClient, AuthenticationError, RemoteAgent
from agentnb.widgets import ChatPane
from tests.conftest import SECURITY_KEY
from tests.peers.agentos import AgentOSPeer
from tests.reliability_report import record

pytestmark = pytest.mark.peer

WRONG = "wrong-token-0123456789"

#: Per place searched: (characters searched, times a token was found there); the "secrets" figure.
SEARCHED: dict[str, tuple[int, int]] = {}


def searched(place: str, text: str) -> None:
    SEARCHED[place] = (len(text), text.count(SECURITY_KEY) + text.count(WRONG))
    found = sum(hits for _, hits in SEARCHED.values())
    places = ", ".join(f"{name} {chars} chars" for name, (chars, _) in SEARCHED.items())
    record("secrets", f"{found} token occurrences in {places}")


def everything_said(*texts: Any) -> str:
    return "\n".join(str(t) for t in texts)


async def test_tokens_stay_out_of_reprs_errors_and_logs(
    agentos_secured: AgentOSPeer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # httpx, httpcore, agentnb: everything
    good = RemoteAgent(agentos_secured.base_url, agent_id="assistant", auth_token=SECURITY_KEY)
    out = await good.arun("hello")
    bad = RemoteAgent(agentos_secured.base_url, agent_id="assistant", auth_token=WRONG, prefetch_config=False)
    with pytest.raises(AuthenticationError) as info:
        await bad.arun("hello")
    stream_error = None
    try:
        async with bad.arun("hello", stream=True) as stream:
            async for _ in stream:
                pass
    except AuthenticationError as exc:
        stream_error = exc
    bad_a2a = A2AClient(f"{agentos_secured.base_url}/a2a/agents/assistant", auth_token=WRONG)
    with pytest.raises(Exception) as a2a_info:
        await bad_a2a.send_message("hi")
    said = everything_said(
        repr(good),
        repr(good.agentos_client),
        repr(good.agentos_client.http),  # type: ignore[union-attr]
        repr(bad_a2a),
        repr(out),
        out._repr_html_(),
        str(info.value),
        repr(info.value),
        info.value.args,
        str(stream_error),
        str(a2a_info.value),
        caplog.text,
    )
    searched("reprs, errors and logs", said)
    assert stream_error is not None and "value hidden" in str(info.value)
    assert SECURITY_KEY not in said and WRONG not in said


async def test_transcripts_and_widget_state_hold_no_token(agentos_secured: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos_secured.base_url, agent_id="assistant", auth_token=SECURITY_KEY)
    pane = ChatPane(agent, user_id="secret-test")
    await pane.send("hello, secured agent")
    await pane.send(f"my token is {SECURITY_KEY}, please repeat it")
    exports = pane.export_json() + pane.export_markdown()
    searched("transcript exports", exports)
    assert SECURITY_KEY not in exports and "[redacted]" in exports
    # What a saved notebook stores for widgets is every widget model's state.
    states = json.dumps([w.get_state() for w in list(all_widgets.values())], default=str)
    searched("widget state", states)
    assert SECURITY_KEY not in states
