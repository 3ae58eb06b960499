"""AgentOS answers 4xx/5xx as ``{"detail": ...}`` with a string, a list of pydantic errors or (from
other servers and versions) an object: each maps to its typed error with the detail kept as sent
and quoted in the message as one safe line.

The string and list shapes come from the real AgentOS; the object shape and hostile text (line
breaks, terminal escapes, bidirectional overrides) from httpx.MockTransport, as AgentOS does not
send them on demand.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from agentnb import NotFoundError, RequestValidationError, ServerError
from agentnb.agentos.client import AgentOSClient
from agentnb.errors import RemoteHTTPError
from tests.peers.agentos import AgentOSPeer


@pytest.mark.peer
async def test_a_string_detail_from_agentos(agentos: AgentOSPeer) -> None:
    client = AgentOSClient(agentos.base_url)
    with pytest.raises(NotFoundError) as err:
        await client.aget_agent("no-such-agent")
    assert isinstance(err.value.detail, str) and err.value.detail in str(err.value)
    assert "agent 'no-such-agent'" in str(err.value) and err.value.status_code == 404
    with pytest.raises(RequestValidationError) as bad:
        await client.aget_session("s", table="t")  # AgentOS wants a db_id with a table: its 400
    assert bad.value.detail == "The db_id query parameter is required when passing a table"
    assert str(bad.value).endswith(bad.value.detail)


@pytest.mark.peer
async def test_a_list_of_pydantic_errors_from_agentos(agentos: AgentOSPeer) -> None:
    client = AgentOSClient(agentos.base_url)
    with pytest.raises(RequestValidationError) as err:
        # No "message" field: FastAPI's own 422 with a list of pydantic errors.
        await client.http.request_json("POST", "/agents/assistant/runs", data={"stream": "false"})
    detail = err.value.detail
    assert isinstance(detail, list) and detail and detail[0]["loc"] == ["body", "message"]
    assert err.value.status_code == 422
    assert f"body.message: {detail[0]['msg']}" in str(err.value)


def _client(status: int, body: Any, content_type: str = "application/json") -> AgentOSClient:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers={"content-type": content_type}, content=raw)

    return AgentOSClient("http://agentos.test", transport=httpx.MockTransport(answer), max_retries=0)


@pytest.mark.parametrize(
    ("body", "quoted"),
    [
        ({"detail": {"message": "Session is busy", "code": 7}}, "Session is busy"),
        ({"detail": {"code": 7, "why": "busy"}}, '{"code": 7, "why": "busy"}'),
        ({"detail": "plain words", "error_id": "E1", "error_type": "SessionBusyError"}, "plain words"),
        ({"error": "from another server"}, "from another server"),
        ({"message": "from yet another"}, "from yet another"),
        (
            {"detail": [{"loc": ["query", "limit"], "msg": "too big"}, "odd item"]},
            "query.limit: too big; odd item",
        ),
    ],
)
async def test_every_detail_shape_is_kept_and_quoted(body: dict[str, Any], quoted: str) -> None:
    with pytest.raises(RequestValidationError) as err:
        await _client(400, body).alist_agents()
    key = next(k for k in ("detail", "error", "message") if k in body)
    assert err.value.detail == body[key]  # kept as the server sent it
    assert str(err.value).endswith(": " + quoted)


async def test_hostile_detail_text_is_one_line_with_visible_escapes() -> None:
    detail = "first line\r\nHTTP 200 OK: all fine\x1b[2J\x1b]0;owned\x07 \u202eevil\u202c\ttab"
    with pytest.raises(ServerError) as err:
        await _client(500, {"detail": detail}).alist_agents()
    message = str(err.value)
    assert err.value.detail == detail  # the raw detail is data, kept whole
    assert "\n" not in message and "\r" not in message and "\x1b" not in message and "\u202e" not in message
    assert (
        "first line HTTP 200 OK: all fine\\u001b[2J\\u001b]0;owned\\u0007 \\u202eevil\\u202c tab" in message
    )


async def test_a_long_detail_is_capped_in_the_message_only() -> None:
    detail = "x" * 5000
    with pytest.raises(RemoteHTTPError) as err:
        await _client(409, {"detail": detail}).alist_agents()
    assert type(err.value) is RemoteHTTPError and err.value.status_code == 409
    assert err.value.detail == detail and str(err.value).endswith("x" * 500 + "…")
