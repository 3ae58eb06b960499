"""session_row_columns(): sessions read column by column from JSON equal the validated models' table."""

from __future__ import annotations

from typing import Any

import httpx
import pandas as pd
import pytest
from pydantic import ValidationError

from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.models import SessionPage
from agentnb.errors import ProtocolError
from agentnb.tables._frame import _frame
from agentnb.tables.sessions import _SESSION_SCHEMA, _session_columns, session_row_columns
from tests.tables._counting import assert_reads_as_validated, count_validations


def plain(i: int, **changes: Any) -> dict[str, Any]:
    row = {
        "session_id": f"s-{i}",
        "session_name": f"chat {i}",
        "session_state": {"step": i},
        "session_type": "agent",
        "agent_id": "assistant",
        "user_id": "ada",
        "created_at": f"2026-01-0{1 + i % 9}T10:00:{i % 60:02d}Z",  # as AgentOS writes them
        "updated_at": 1767229200 + i,
        "metrics": {"input_tokens": 10 * i, "output_tokens": i, "total_tokens": 11 * i},
        "total_tokens": None,
    }
    return {**row, **changes}


def validated(rows: list[Any]) -> pd.DataFrame:
    return _frame(_SESSION_SCHEMA, _session_columns(SessionPage.from_wire({"data": rows}).data))


def from_json(rows: list[Any]) -> pd.DataFrame:
    return _frame(_SESSION_SCHEMA, session_row_columns(rows))


ODD_ROWS = [
    [plain(1)],
    [],
    [{"session_id": "only-an-id"}],  # every optional field missing
    [plain(2, session_name=None, agent_id=None, user_id=None, created_at=None, metrics=None)],
    [plain(3, agent_id=None, team_id="the-team"), plain(4, agent_id=None, workflow_id="flow")],
    [plain(5, session_name="é" * 500)],  # clipped
    [plain(6, total_tokens=99), plain(7, metrics={"total_tokens": [1, 2], "input_tokens": 2.0})],
    [plain(8, metrics={"input_tokens": True, "output_tokens": 1.5})],  # not counts: NA
    [plain(9, created_at="2026-03-01T12:30:00.123456+02:00")],  # an offset, microseconds
    [plain(10, updated_at="2026-03-01T12:30:00")],  # naive counts as UTC
    [plain(11, created_at=1767225600.5)],  # fractional seconds
    [plain(12, created_at=1767225600123)],  # milliseconds, as pydantic reads a large number
    [plain(13, created_at=-1), plain(14, created_at=0)],
    [plain(15, updated_at="1767225600")],  # a numeric string, as pydantic reads it
    [plain(26, created_at="2026-02-30T10:00:00Z")],  # no such day
    [plain(27, created_at="2026-01-01T10:00:00.1234567Z")],  # more digits than microseconds
    [plain(28, created_at="2026-01-01 10:00:00"), plain(29, created_at="2026-01-01")],  # other forms
    [plain(30, created_at="2026-01-01T23:59:60Z")],  # a leap second
    [plain(33), plain(34, created_at="2026-01-01T10:00:00Z\n2026-01-01T10:00:00Z")],  # two in one
    [plain(31, created_at="2026-01-01T10:00:00-05:30"), plain(32, created_at="1677-09-22T00:12:43Z")],
    [plain(16, total_tokens="12")],  # a string count: the model coerces it
    [plain(17, total_tokens=True)],  # a bool: as the model reads it
    [plain(18, extra_key={"kept": True}, raw={"a": 1})],  # raw: a key the model owns
    [plain(19), plain(20, session_id=20)],  # a number for an id: the models' error
    [plain(21, session_state="not a dict")],
    [plain(22, metrics=[1, 2])],
    [plain(23, created_at="yesterday")],
    [plain(24), {"session_name": "no id"}],
    [plain(25), "not an object"],
]


def test_a_time_pandas_cannot_hold_fails_as_the_models_table_does() -> None:
    rows = [plain(1, created_at="0001-01-01T00:00:00Z")]
    with pytest.raises(pd.errors.OutOfBoundsDatetime):
        validated(rows)
    with pytest.raises(pd.errors.OutOfBoundsDatetime):
        from_json(rows)


@pytest.mark.parametrize("rows", ODD_ROWS)
def test_json_rows_read_as_the_validated_models(rows: list[Any]) -> None:
    assert_reads_as_validated(from_json, validated, rows)


def test_plain_rows_are_read_without_models(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_validations(monkeypatch, SessionPage)
    rows = [plain(i) for i in range(50)]
    df = from_json(rows)
    assert calls == [] and len(df) == 50
    assert df["input_tokens"].iloc[3] == 30 and str(df["created_at"].dtype) == "datetime64[ns, UTC]"
    assert df["created_at"].iloc[0] == pd.Timestamp("2026-01-01T10:00:00Z")
    assert df["updated_at"].iloc[0] == pd.Timestamp(1767229200, unit="s", tz="UTC")
    with pytest.raises(ValidationError):
        from_json([*rows, plain(99, session_id=99)])
    assert len(calls) == 1  # one odd row: the page went through the models


def _client(pages: list[Any], seen: list[httpx.Request]) -> AgentOSClient:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=pages[int(request.url.params["page"]) - 1])

    return AgentOSClient("http://os.test", transport=httpx.MockTransport(answer))


async def test_rows_follow_pages_whose_meta_only_the_models_read() -> None:
    # A server's odd page (a page count as a string: pydantic coerces it; a real AgentOS sends an
    # int) is read as alist_sessions reads it; the query is alist_sessions' own.
    seen: list[httpx.Request] = []
    pages = [
        {"data": [plain(1)], "meta": {"total_pages": "2"}},
        {"data": [plain(2)], "meta": {"total_pages": 2}},
    ]
    client = _client(pages, seen)
    rows = [r async for page in client.aiter_session_rows(page_size=1, user_id="ada") for r in page]
    assert [r["session_id"] for r in rows] == ["s-1", "s-2"]
    typed = [s async for s in client.aiter_sessions(page_size=1, user_id="ada")]
    assert [s.session_id for s in typed] == ["s-1", "s-2"]
    assert seen[0].url.params == seen[2].url.params  # the same query as the typed listing's
    assert dict(seen[0].url.params) == {
        "type": "agent",
        "user_id": "ada",
        "limit": "1",
        "page": "1",
        "sort_by": "created_at",
        "sort_order": "desc",
    }


async def test_a_page_the_models_refuse_fails_as_the_typed_listing_does() -> None:
    client = _client([["not", "a", "page"]], [])
    with pytest.raises(ProtocolError) as typed:
        [s async for s in client.aiter_sessions()]
    with pytest.raises(ProtocolError) as rows:
        [r async for r in client.aiter_session_rows()]
    assert str(rows.value) == str(typed.value)
    with pytest.raises(TypeError, match="colour"):
        [r async for r in client.aiter_session_rows(colour="red")]
