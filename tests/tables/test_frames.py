"""tables.py with in-memory models and fake agents/clients: columns, dtypes, clipping, paging."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pandas as pd
import pytest

from agentnb.a2a.client import TaskList
from agentnb.a2a.models import AgentCard, AgentInterface, Artifact, Part, Task, TaskResult
from agentnb.agentos.models import RunRecord, SessionSummary
from agentnb.errors import A2AError, RemoteServerUnavailableError
from agentnb.runs.models import RunOutput, ToolExecution
from agentnb.tables import (
    AGENT_CARD_COLUMNS,
    ARTIFACT_COLUMNS,
    RUN_COLUMNS,
    SESSION_COLUMNS,
    aagent_cards_table,
    aartifacts_table,
    agent_cards_table,
    artifact_frame,
    artifacts_table,
    aruns_table,
    asessions_table,
    run_frame,
    runs_table,
    session_frame,
    sessions_table,
)

SESSION_DTYPES = {
    "session_id": "string",
    "session_name": "string",
    "agent_id": "string",
    "user_id": "string",
    "created_at": "datetime64[ns, UTC]",
    "updated_at": "datetime64[ns, UTC]",
    "total_tokens": "Int64",
    "input_tokens": "Int64",
    "output_tokens": "Int64",
    "session_type": "string",
}
RUN_DTYPES = {
    "run_id": "string",
    "status": "string",
    "created_at": "datetime64[ns, UTC]",
    "content": "string",
    "input_tokens": "Int64",
    "output_tokens": "Int64",
    "total_tokens": "Int64",
    "duration_s": "float64",
    "time_to_first_token_s": "float64",
    "model": "string",
    "tool_calls": "Int64",
}
ARTIFACT_DTYPES = {
    "task_id": "string",
    "context_id": "string",
    "artifact_id": "string",
    "name": "string",
    "mime_type": "string",
    "kind": "string",
    "size_bytes": "Int64",
    "uri": "string",
    "preview": "string",
}
CARD_DTYPES = {
    "url": "string",
    "name": "string",
    "description": "string",
    "version": "string",
    "protocol_version": "string",
    "dialect": "string",
    "streaming": "boolean",
    "skills": "Int64",
    "interfaces": "string",
    "error": "string",
    "push": "boolean",
    "extended_card": "boolean",
    "extra_skills": "string",
    "signature": "string",
    "extensions": "string",
}

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


def dtypes_of(df: pd.DataFrame) -> dict[str, str]:
    return {name: str(dtype) for name, dtype in df.dtypes.items()}


# --------------------------------------------------------------------------- fakes


class FakeAgent:
    """Just enough of RemoteAgent: sessions in pages, runs per session."""

    def __init__(
        self, sessions: list[SessionSummary], runs: dict[str, list[RunRecord]] | None = None
    ) -> None:
        self.sessions = sessions
        self.runs = runs or {}
        self.calls: list[dict[str, Any]] = []

    async def aiter_sessions(
        self, *, user_id: str | None = None, page_size: int = 100, max_items: int | None = None
    ) -> AsyncIterator[SessionSummary]:
        self.calls.append({"user_id": user_id, "page_size": page_size, "max_items": max_items})
        chosen = [s for s in self.sessions if user_id is None or s.user_id == user_id]
        for n, session in enumerate(chosen):
            if max_items is not None and n >= max_items:
                return
            yield session

    async def aget_session_runs(self, session_id: str, *, user_id: str | None = None) -> list[RunRecord]:
        return self.runs.get(session_id, [])


class FakeTaskClient:
    """An A2A v1.0 peer's list_tasks, in pages linked by tokens."""

    base_url = "http://fake.invalid"

    def __init__(self, pages: list[list[TaskResult]], error: A2AError | None = None) -> None:
        self.pages = pages
        self.error = error
        self.calls: list[dict[str, Any]] = []

    async def alist_tasks(
        self,
        *,
        context_id: str | None = None,
        status: str | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        history_length: int | None = None,
        include_artifacts: bool | None = None,
    ) -> TaskList:
        self.calls.append({"page_token": page_token, "include_artifacts": include_artifacts})
        if self.error is not None:
            raise self.error
        index = int(page_token) if page_token else 0
        token = str(index + 1) if index + 1 < len(self.pages) else None
        return TaskList(tasks=self.pages[index], next_page_token=token)


class FakeCardClient:
    """The part of A2AClient that agent_cards_table() uses."""

    def __init__(
        self, base_url: str, card: AgentCard | None = None, fail: BaseException | None = None
    ) -> None:
        self.base_url = base_url
        self.card = card
        self.fail = fail
        self._dialect: str | None = None
        self.started: list[float] = []
        #: The shared order of every fetch's start and end ("start a", "end a", ...).
        self.order: list[str] = []

    async def aget_agent_card(self, *, refresh: bool = False) -> AgentCard | None:
        self.started.append(asyncio.get_running_loop().time())
        self.order.append(f"start {self.base_url}")
        await asyncio.sleep(0.05)
        self.order.append(f"end {self.base_url}")
        if self.fail is not None:
            raise self.fail
        return self.card

    async def anegotiate(self) -> object:
        self._dialect = "A2A v1.0 JSON-RPC"
        return object()

    @property
    def dialect(self) -> str | None:
        return self._dialect


def session(n: int, **overrides: Any) -> SessionSummary:
    fields: dict[str, Any] = {
        "session_id": f"s{n}",
        "session_name": f"Session {n}",
        "agent_id": "assistant",
        "user_id": "u1",
        "created_at": T0 + timedelta(seconds=n),
        "updated_at": T0 + timedelta(seconds=n, minutes=1),
        "metrics": {"input_tokens": 10 * n, "output_tokens": n, "total_tokens": 11 * n},
        "total_tokens": 11 * n,
    }
    fields.update(overrides)
    return SessionSummary(**fields)


def result_with(*artifacts: Artifact, task_id: str = "t1", context_id: str = "c1") -> TaskResult:
    return TaskResult(task_id=task_id, context_id=context_id, status="completed", artifacts=list(artifacts))


FILE = Artifact(
    artifact_id="a-file",
    name="report.txt",
    parts=[Part.of_file(content=b"hello file", mime_type="text/plain", filename="report.txt")],
)
URI = Artifact(
    artifact_id="a-uri",
    parts=[
        Part.of_file(uri="https://example.invalid/big.pdf", mime_type="application/pdf", filename="big.pdf")
    ],
)
DATA = Artifact(artifact_id="a-data", name="data", parts=[Part.of_data({"answer": 42, "ratio": 0.5})])
TEXT = Artifact(artifact_id="a-text", name="answer", parts=[Part.of_text("héllo "), Part.of_text("world")])
MIXED = Artifact(
    artifact_id="a-mixed",
    name="mixed",
    parts=[
        Part.of_text("see file"),
        Part.of_file(content=b"\x00\x01\x02", mime_type="application/octet-stream"),
    ],
)


# --------------------------------------------------------------------------- sessions


async def test_sessions_table_columns_dtypes_and_values() -> None:
    naive = session(2, created_at=datetime(2025, 3, 1, 9, 30), session_name=None)
    agent = FakeAgent([session(1), naive])
    df = await asessions_table(agent, user_id="u1", limit=5, page_size=7)
    assert agent.calls == [{"user_id": "u1", "page_size": 7, "max_items": 5}]
    assert tuple(df.columns) == SESSION_COLUMNS
    assert dtypes_of(df) == SESSION_DTYPES
    assert list(df["session_id"]) == ["s1", "s2"]
    assert df.loc[0, "created_at"] == pd.Timestamp(T0 + timedelta(seconds=1))
    # A naive datetime is read as UTC.
    assert df.loc[1, "created_at"] == pd.Timestamp("2025-03-01 09:30", tz="UTC")
    assert df.loc[1, "session_name"] is pd.NA
    assert list(df["input_tokens"]) == [10, 20] and list(df["total_tokens"]) == [11, 22]


async def test_sessions_read_page_by_page_equal_the_frame_of_all_sessions() -> None:
    # 25 sessions in pages of 10: two full batches and a short one, odd fields included.
    odd = {3: {"metrics": None}, 7: {"created_at": None}, 12: {"team_id": "team-1", "agent_id": None}}
    sessions = [session(n, **odd.get(n, {})) for n in range(25)]
    df = await asessions_table(FakeAgent(sessions), page_size=10)
    pd.testing.assert_frame_equal(df, session_frame(sessions))
    assert df.loc[12, "agent_id"] == "team-1" and len(df) == 25


def test_sessions_table_sync_twin_and_other_timezones() -> None:
    plus_two = timezone(timedelta(hours=2))
    s = session(1, created_at=datetime(2025, 3, 1, 14, 0, tzinfo=plus_two), total_tokens=None)
    df = sessions_table(FakeAgent([s]))
    assert df.loc[0, "created_at"] == pd.Timestamp("2025-03-01 12:00", tz="UTC")
    assert df.loc[0, "total_tokens"] == 11  # from the metrics when the field is missing


def test_sessions_table_missing_metrics_are_na() -> None:
    df = session_frame([session(1, metrics=None, total_tokens=None, created_at=None)])
    assert df.loc[0, "input_tokens"] is pd.NA and df.loc[0, "total_tokens"] is pd.NA
    assert pd.isna(df.loc[0, "created_at"])
    assert dtypes_of(df) == SESSION_DTYPES


async def test_sessions_table_inside_a_running_loop_uses_the_io_thread() -> None:
    df = sessions_table(FakeAgent([session(1)]))
    assert list(df["session_id"]) == ["s1"]


def test_empty_sessions_table_keeps_columns_and_dtypes() -> None:
    df = sessions_table(FakeAgent([]))
    assert df.shape == (0, len(SESSION_COLUMNS))
    assert tuple(df.columns) == SESSION_COLUMNS and dtypes_of(df) == SESSION_DTYPES


def test_ten_thousand_sessions_build_in_one_go() -> None:
    sessions = [session(n) for n in range(10_000)]
    df = sessions_table(FakeAgent(sessions))
    assert df.shape == (10_000, len(SESSION_COLUMNS))
    assert dtypes_of(df) == SESSION_DTYPES
    assert df["created_at"].is_monotonic_increasing and df["total_tokens"].sum() == 11 * sum(range(10_000))


def test_long_session_names_are_clipped_plain_text() -> None:
    df = session_frame([session(1, session_name="<b>" + "x" * 500)])
    name = df.loc[0, "session_name"]
    assert len(name) == 200 and name.endswith("…") and name.startswith("<b>")


# --------------------------------------------------------------------------- runs

AGNO3_METRICS = {
    "input_tokens": 20,
    "output_tokens": 11,
    "total_tokens": 31,
    "time_to_first_token": 0.0007,
    "duration": 0.0074,
    "details": {
        "model": [
            {
                "input_tokens": 20,
                "output_tokens": 11,
                "total_tokens": 31,
                "id": "scripted-v1",
                "provider": "Offline",
            }
        ]
    },
}


def test_runs_table_reads_agno_metrics_tools_and_status() -> None:
    tool = ToolExecution(tool_call_id="c1", tool_name="get_weather", tool_args={"city": "Berlin"})
    runs = [
        RunRecord(
            run_id="r1",
            status="COMPLETED",
            content="Tool said: sunny. Done.",
            metrics=AGNO3_METRICS,
            tools=[tool],
            created_at=1_740_830_400,
        ),
        RunRecord(run_id="r2", status="paused", content={"a": 1}, metrics=None, created_at=T0),
    ]
    df = runs_table(FakeAgent([], {"s1": runs}), "s1")
    assert tuple(df.columns) == RUN_COLUMNS and dtypes_of(df) == RUN_DTYPES
    first = df.iloc[0]
    assert first["status"] == "COMPLETED" and first["model"] == "scripted-v1"
    assert (first["input_tokens"], first["output_tokens"], first["total_tokens"]) == (20, 11, 31)
    assert first["duration_s"] == pytest.approx(0.0074)
    assert first["time_to_first_token_s"] == pytest.approx(0.0007)
    assert first["tool_calls"] == 1
    assert first["created_at"] == pd.Timestamp(1_740_830_400, unit="s", tz="UTC")
    second = df.iloc[1]
    assert second["status"] == "PAUSED" and second["content"] == '{"a": 1}'
    assert second["tool_calls"] == 0 and second["input_tokens"] is pd.NA
    assert pd.isna(second["duration_s"]) and second["model"] is pd.NA


def test_runs_table_older_agno_list_metrics_and_top_level_model() -> None:
    record = RunRecord.model_validate(
        {
            "run_id": "r1",
            "model": "gpt-old",
            "metrics": {
                "input_tokens": [3, 4],
                "output_tokens": [1, 2],
                "time": [0.5, 0.25],
                "time_to_first_token": [0.1, 0.2],
            },
        }
    )
    row = run_frame([record]).iloc[0]
    assert (row["input_tokens"], row["output_tokens"], row["total_tokens"] is pd.NA) == (7, 3, True)
    assert row["duration_s"] == pytest.approx(0.75) and row["time_to_first_token_s"] == pytest.approx(0.1)
    assert row["model"] == "gpt-old" and row["status"] is pd.NA


def test_runs_table_clips_content_to_200_chars() -> None:
    df = run_frame([RunRecord(run_id="r1", content="word " * 100), RunRecord(run_id="r2", content="x" * 200)])
    assert len(df.loc[0, "content"]) == 200 and df.loc[0, "content"].endswith("…")
    assert df.loc[1, "content"] == "x" * 200


async def test_empty_runs_table_keeps_columns_and_dtypes() -> None:
    df = await aruns_table(FakeAgent([]), "nothing")
    assert df.shape == (0, len(RUN_COLUMNS)) and dtypes_of(df) == RUN_DTYPES


# --------------------------------------------------------------------------- artifacts


def test_artifact_kinds_sizes_and_previews() -> None:
    df = artifacts_table(result_with(FILE, URI, DATA, TEXT, MIXED))
    assert tuple(df.columns) == ARTIFACT_COLUMNS and dtypes_of(df) == ARTIFACT_DTYPES
    rows = {r["artifact_id"]: r for r in df.to_dict("records")}
    assert rows["a-file"]["kind"] == "file" and rows["a-file"]["size_bytes"] == 10
    assert rows["a-file"]["mime_type"] == "text/plain" and rows["a-file"]["name"] == "report.txt"
    assert pd.isna(rows["a-file"]["preview"]) and pd.isna(rows["a-file"]["uri"])
    assert rows["a-uri"]["kind"] == "file" and pd.isna(rows["a-uri"]["size_bytes"])
    assert rows["a-uri"]["uri"] == "https://example.invalid/big.pdf" and rows["a-uri"]["name"] == "big.pdf"
    assert rows["a-data"]["kind"] == "data" and pd.isna(rows["a-data"]["size_bytes"])
    assert rows["a-data"]["preview"] == json.dumps({"answer": 42, "ratio": 0.5})
    assert rows["a-data"]["mime_type"] == "application/json"
    assert rows["a-text"]["kind"] == "text" and rows["a-text"]["size_bytes"] == len("héllo world".encode())
    assert rows["a-text"]["preview"] == "héllo world" and rows["a-text"]["mime_type"] == "text/plain"
    assert rows["a-mixed"]["kind"] == "mixed" and rows["a-mixed"]["size_bytes"] == len(b"see file") + 3
    assert set(df["task_id"]) == {"t1"} and set(df["context_id"]) == {"c1"}


def test_artifact_preview_is_clipped_to_80_and_stays_plain() -> None:
    long = Artifact(artifact_id="a", parts=[Part.of_text("<script>alert(1)</script>" + "y" * 200)])
    big_data = Artifact(artifact_id="b", parts=[Part.of_data({"k": "v" * 200})])
    df = artifact_frame([result_with(long, big_data)])
    assert len(df.loc[0, "preview"]) == 80 and df.loc[0, "preview"].startswith("<script>")
    assert df.loc[0, "preview"].endswith("…") and len(df.loc[1, "preview"]) == 80


def test_artifacts_from_run_outputs_lists_and_tasks() -> None:
    a2a_run = RunOutput(run_id="t1", a2a=result_with(FILE))
    agentos_run = RunOutput(run_id="x")  # no A2A result: nothing to list
    task = Task(id="t9", context_id="c9", artifacts=[DATA])
    in_task_only = TaskResult(task_id="t8", context_id="c8", task=Task(id="t8", artifacts=[TEXT]))
    df = artifacts_table([a2a_run, agentos_run, result_with(URI, task_id="t2"), task, in_task_only])
    assert list(df["task_id"]) == ["t1", "t2", "t9", "t8"]
    assert list(df["artifact_id"]) == ["a-file", "a-uri", "a-data", "a-text"]


def test_empty_artifact_sources_keep_columns_and_dtypes() -> None:
    for source in ([], result_with(), RunOutput(run_id="x")):
        df = artifacts_table(source)
        assert df.shape == (0, len(ARTIFACT_COLUMNS)) and dtypes_of(df) == ARTIFACT_DTYPES


def test_artifacts_table_refuses_other_things() -> None:
    with pytest.raises(TypeError, match="TaskResult"):
        artifacts_table("not a result")  # type: ignore[arg-type]


async def test_artifacts_table_pages_through_list_tasks() -> None:
    pages = [
        [result_with(FILE, task_id="t1")],
        [result_with(DATA, task_id="t2"), result_with(task_id="t3")],
        [result_with(TEXT, task_id="t4")],
    ]
    client = FakeTaskClient(pages)
    df = await aartifacts_table(client)  # type: ignore[arg-type]
    assert [c["page_token"] for c in client.calls] == [None, "1", "2"]
    assert all(c["include_artifacts"] is True for c in client.calls)
    assert list(df["task_id"]) == ["t1", "t2", "t4"] and dtypes_of(df) == ARTIFACT_DTYPES


def test_artifacts_table_sync_twin_pages_too() -> None:
    client = FakeTaskClient([[result_with(FILE)], [result_with(DATA, task_id="t2")]])
    df = artifacts_table(client)  # type: ignore[arg-type]
    assert list(df["artifact_id"]) == ["a-file", "a-data"]


async def test_artifacts_table_on_a_v03_peer_says_to_pass_results() -> None:
    error = A2AError("A2A v0.3 JSON-RPC does not support listing tasks", code=-32004)
    with pytest.raises(ValueError, match=r"A2A v1\.0.*artifacts_table\(result\)") as info:
        await aartifacts_table(FakeTaskClient([], error=error))  # type: ignore[arg-type]
    assert info.value.__cause__ is error


async def test_artifacts_table_other_a2a_errors_propagate() -> None:
    error = A2AError("boom", code=-32603)
    with pytest.raises(A2AError, match="boom"):
        await aartifacts_table(FakeTaskClient([], error=error))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- agent cards


def card(name: str, **overrides: Any) -> AgentCard:
    fields: dict[str, Any] = {
        "name": name,
        "url": "http://a.invalid",
        "description": "An agent.",
        "version": "1.2.3",
        "capabilities": {"streaming": True},
        "skills": [{"id": "s1"}, {"id": "s2"}],
        "protocol_version": "1.0",
        "interfaces": [
            AgentInterface(url="http://a.invalid", binding="JSONRPC", protocol_version="1.0"),
            AgentInterface(url="http://a.invalid/rest", binding="HTTP+JSON", protocol_version="1.0"),
            AgentInterface(url="http://a.invalid/other", binding="JSONRPC", protocol_version="1.0"),
        ],
    }
    fields.update(overrides)
    return AgentCard(**fields)


async def test_agent_cards_table_with_a_failing_source_row() -> None:
    good = FakeCardClient("http://a.invalid", card("Alpha"))
    plain = FakeCardClient(
        "http://b.invalid",
        card(
            "<i>Beta</i>",
            capabilities={},
            skills=[],
            interfaces=[],
            description="d" * 1000,
            protocol_version=None,
        ),
    )
    down = FakeCardClient(
        "http://c.invalid", fail=RemoteServerUnavailableError("could not connect to http://c.invalid")
    )
    no_card = FakeCardClient("http://d.invalid", None)
    df = await aagent_cards_table([good, plain, down, no_card])  # type: ignore[list-item]
    assert tuple(df.columns) == AGENT_CARD_COLUMNS and dtypes_of(df) == CARD_DTYPES
    assert list(df["url"]) == ["http://a.invalid", "http://b.invalid", "http://c.invalid", "http://d.invalid"]
    a, b, c, d = df.to_dict("records")
    assert a["name"] == "Alpha" and a["version"] == "1.2.3" and a["protocol_version"] == "1.0"
    assert a["streaming"] is True and a["skills"] == 2 and pd.isna(a["error"])
    assert a["interfaces"] == "JSONRPC 1.0, HTTP+JSON 1.0" and a["dialect"] == "A2A v1.0 JSON-RPC"
    assert b["name"] == "<i>Beta</i>" and pd.isna(b["streaming"]) and b["skills"] == 0
    assert len(b["description"]) == 300 and b["description"].endswith("…") and pd.isna(b["interfaces"])
    assert c["error"] == "RemoteServerUnavailableError: could not connect to http://c.invalid"
    assert all(pd.isna(c[k]) for k in AGENT_CARD_COLUMNS if k not in ("url", "error"))
    assert d["error"].startswith("LookupError: no agent card")


async def test_agent_cards_are_fetched_concurrently() -> None:
    clients = [FakeCardClient(f"http://{n}.invalid", card(str(n))) for n in range(5)]
    order: list[str] = []
    for client in clients:
        client.order = order  # one log for all five
    await aagent_cards_table(clients)  # type: ignore[arg-type]
    # Concurrent: every fetch starts before any ends (one after the other would alternate).
    assert [entry.split()[0] for entry in order] == ["start"] * 5 + ["end"] * 5


def test_agent_cards_table_sync_twin_single_source_and_empty() -> None:
    df = agent_cards_table(FakeCardClient("http://a.invalid", card("Alpha")))  # type: ignore[arg-type]
    assert df.shape == (1, len(AGENT_CARD_COLUMNS)) and df.loc[0, "name"] == "Alpha"
    empty = agent_cards_table([])
    assert empty.shape == (0, len(AGENT_CARD_COLUMNS)) and dtypes_of(empty) == CARD_DTYPES


def test_agent_cards_table_bad_source_type_is_an_error_row() -> None:
    df = agent_cards_table([42])  # type: ignore[list-item]
    assert df.loc[0, "error"].startswith("TypeError:") and df.loc[0, "url"] is pd.NA


def test_trace_frame_reads_each_column_of_odd_summaries() -> None:
    from agentnb.agentos.db_models import TraceSummary
    from agentnb.tables.traces import trace_frame

    traces = [
        TraceSummary(trace_id="a", duration="1.5s", start_time=T0, input="x" * 500, team_id="t"),
        TraceSummary(trace_id="b", duration="soon", total_spans=3),
        TraceSummary(trace_id="c", duration="1.5s", end_time=T0 + timedelta(seconds=2)),
    ]
    df = trace_frame(traces)
    assert list(df["duration_ms"].iloc[[0, 2]]) == [1500.0, 1500.0] and pd.isna(df["duration_ms"].iloc[1])
    assert df["start_time"].iloc[0] == pd.Timestamp(T0) and pd.isna(df["start_time"].iloc[1])
    assert df["end_time"].iloc[2] == pd.Timestamp(T0 + timedelta(seconds=2))
    assert len(df["input"].iloc[0]) == 80 and df["input"].iloc[0].endswith("…")
    assert df["team_id"].iloc[0] == "t" and df["total_spans"].iloc[1] == 3 and pd.isna(df["input"].iloc[1])
    assert str(df["total_spans"].dtype) == "Int64" and str(df["end_time"].dtype) == "datetime64[ns, UTC]"
