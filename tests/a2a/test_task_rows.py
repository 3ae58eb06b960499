"""task_rows: artifact rows read straight from ListTasks JSON equal the rows of the decoded tasks."""

from __future__ import annotations

import base64
import json
import warnings
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from agentnb.a2a import A2AClient
from agentnb.a2a.listing import ListingStopped, aiter_pages
from agentnb.a2a.task_rows import (
    aiter_artifact_row_pages,
    alist_artifact_rows,
    artifact_rows,
    wire_artifact_rows,
)
from agentnb.a2a.v10_objects import decode_task
from agentnb.errors import ProtocolError
from agentnb.tables import aartifacts_table, atasks_table
from tests.a2a.test_wire import V10_CARD, peer, rpc

B64 = base64.b64encode(b"0123456789").decode()

TASKS: list[dict[str, Any]] = [
    {
        "id": "t1",
        "contextId": "c1",
        "status": {"state": "TASK_STATE_COMPLETED"},
        "artifacts": [
            {"artifactId": "file", "parts": [{"raw": B64, "filename": "r.txt", "mediaType": "text/plain"}]},
            {"artifactId": "url", "name": "Big", "parts": [{"url": "https://x.invalid/a.pdf"}]},
            {"artifactId": "data", "parts": [{"data": {"answer": 42}}]},
            {"artifactId": "typed", "parts": [{"data": [1, 2], "mediaType": "application/x-list"}]},
            {"artifactId": "text", "parts": [{"text": "héllo"}, {"text": ""}]},
            {"artifactId": "mixed", "parts": [{"text": "see"}, {"raw": B64}, {"data": None}]},
            {"artifactId": "empty", "parts": []},
            {"parts": [{"text": "no id"}]},
        ],
    },
    {"id": "t2", "status": {"state": "TASK_STATE_WORKING"}},
    {"id": "t3", "artifacts": [{"artifactId": "bad-b64", "parts": [{"raw": "%%%", "filename": "x"}]}]},
]


def test_wire_rows_equal_the_decoded_tasks_rows() -> None:
    decoded = [decode_task(t, v03=False) for t in TASKS]
    assert list(wire_artifact_rows(TASKS)) == list(artifact_rows(decoded))
    rows = {row.artifact_id: row for row in wire_artifact_rows(TASKS)}
    assert rows["file"].size_bytes == 10 and rows["file"].name == "r.txt" and rows["file"].kind == "file"
    assert rows["text"].size_bytes == len("héllo".encode()) and rows["text"].mime_type == "text/plain"
    assert rows["mixed"].kind == "mixed" and rows["mixed"].size_bytes == 13
    assert rows["typed"].mime_type == "application/x-list" and rows["data"].mime_type == "application/json"
    assert rows["empty"].kind is None and rows[None].text == "no id"


@pytest.mark.parametrize(
    "odd",
    [
        {
            "id": "t",
            "artifacts": [{"artifactId": "a", "name": "n", "parts": [{"text": "x"}], "metadata": {}}],
        },
        {"id": "t", "contextId": "", "artifacts": [{"artifactId": "", "parts": [{"text": None}]}]},
        {
            "id": "t",
            "artifacts": [
                {
                    "artifactId": "two-files",
                    "parts": [
                        {"text": "a", "mediaType": "text/markdown"},
                        {"url": "https://x.invalid/1", "mediaType": ""},
                        {"raw": B64, "filename": "second.bin", "mediaType": "application/octet-stream"},
                    ],
                },
                {"artifactId": "data-types", "parts": [{"data": 1}, {"data": [2], "mediaType": "x/y"}]},
            ],
        },
        {  # one part each (the reader's shortcut), with the odd values a part may hold
            "id": "t",
            "artifacts": [
                {"artifactId": f"a{a}", "name": n, "parts": [p]}
                for a, (n, p) in enumerate(
                    [
                        (None, {"text": ""}),
                        ("", {"text": None}),
                        ("named", {"text": "ünï"}),
                        (None, {"url": "https://x.invalid/1", "mediaType": "", "filename": ""}),
                        (None, {"url": "https://x.invalid/2", "filename": "f.pdf", "mediaType": "application/pdf"}),
                        ("kept", {"raw": B64, "filename": "ignored.bin"}),
                        (None, {"raw": "%%%"}),
                        (None, {"raw": B64, "url": "https://x.invalid/3"}),
                        (None, {"data": None, "mediaType": ""}),
                        (None, {"data": {"k": [1]}, "mediaType": "application/x"}),
                        (None, {"data": 1, "text": "both"}),
                    ]
                )
            ],
        },
    ],
)
def test_shapes_the_fast_reader_passes_on_read_as_decoded(odd: dict[str, Any]) -> None:
    assert list(wire_artifact_rows([odd])) == list(artifact_rows([decode_task(odd, v03=False)]))


@pytest.mark.parametrize(
    ("odd", "error"),
    [
        ({"id": "t", "artifacts": [{"artifactId": "a", "name": 5, "parts": []}]}, ValidationError),
        # A later file part's odd field (the inlined reader looked only at the first file part).
        (
            {"id": "t", "artifacts": [{"artifactId": "a", "parts": [{"url": "u"}, {"url": 5}]}]},
            ValidationError,
        ),
        (
            {
                "id": "t",
                "artifacts": [{"artifactId": "a", "parts": [{"raw": B64}, {"raw": B64, "filename": 7}]}],
            },
            ValidationError,
        ),
        ({"id": "t", "artifacts": ["not an object"]}, ProtocolError),
        ({"id": "t", "artifacts": [{"artifactId": "a", "parts": ["text"]}]}, ProtocolError),
        ({"artifacts": []}, ProtocolError),
        ("a string", ProtocolError),
    ],
)
def test_malformed_tasks_fail_as_the_decoder_does(odd: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        list(wire_artifact_rows([odd]))
    with pytest.raises(error):
        decode_task(odd, v03=False)


# --------------------------------------------------------------------------- the page walker


def fake_fetch(pages: list[tuple[list[int], str | None]]) -> tuple[Any, list[str | None]]:
    """fetch(token) answering page i for token None (i=0) or str(i); records the tokens asked for."""
    asked: list[str | None] = []

    async def fetch(token: str | None) -> tuple[list[int], str | None]:
        asked.append(token)
        return pages[int(token) if token else 0]

    return fetch, asked


async def walk(fetch: Any, **kwargs: Any) -> list[list[int]]:
    return [list(page) async for page in aiter_pages(fetch, where="http://peer.test", **kwargs)]


async def test_the_walker_follows_tokens_until_the_peer_gives_none() -> None:
    fetch, asked = fake_fetch([([1, 2], "1"), ([3, 4], "2"), ([5], None)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a listing that ends by itself warns of nothing
        assert await walk(fetch) == [[1, 2], [3, 4], [5]]
    assert asked == [None, "1", "2"]
    empty, _ = fake_fetch([([], None)])
    assert await walk(empty) == [[]]


@pytest.mark.parametrize(
    ("pages", "read", "why"),
    [
        ([([1], "1"), ([2], "1")], [[1], [2]], "gave page token '1' again"),
        ([([1], "1"), ([], "2"), ([3], None)], [[1], []], "empty page still named a next page"),
        ([([1], "1"), ([2], "2"), ([3], "3"), ([4], None)], [[1], [2], [3]], "more than 3 pages"),
    ],
)
async def test_the_walker_stops_a_listing_that_would_not_end(
    pages: list[tuple[list[int], str | None]], read: list[list[int]], why: str
) -> None:
    fetch, asked = fake_fetch(pages)
    with pytest.warns(ListingStopped, match=why) as caught:
        assert await walk(fetch, max_pages=3) == read
    assert len(asked) == len(read) and "http://peer.test" in str(caught[0].message)


def list_tasks_peer(pages: dict[str | None, tuple[list[Any], str | None]]) -> tuple[A2AClient, list[Any]]:
    """A v1.0 JSON-RPC peer (MockTransport) whose ListTasks answers ``pages[pageToken]``."""

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        assert body["method"] == "ListTasks" and body["params"]["includeArtifacts"] is True
        tasks, token = pages[body["params"].get("pageToken")]
        result: dict[str, Any] = {"tasks": tasks, "pageSize": 2, "totalSize": 9}
        if token is not None:
            result["nextPageToken"] = token
        return httpx.Response(200, json=rpc(result, body["id"]))

    return peer(V10_CARD, handler)


async def test_a_peer_repeating_its_token_ends_every_listing_with_a_warning() -> None:
    # Page "again" hands back the token that led to it: without the guard every reader loops forever.
    pages = {None: (TASKS[:1], "again"), "again": (TASKS[1:], "again")}
    client, seen = list_tasks_peer(pages)
    with pytest.warns(ListingStopped, match="again"):
        rows = await alist_artifact_rows(client)
    assert [r.task_id for r in rows] == ["t1"] * 8 + ["t3"] and len(seen) == 2
    with pytest.warns(ListingStopped):
        tasks = await atasks_table(client)
    assert list(tasks["task_id"]) == ["t1", "t2", "t3"] and len(seen) == 4
    with pytest.warns(ListingStopped):
        assert len(await aartifacts_table(client)) == 9


async def test_an_empty_page_that_names_a_next_page_ends_the_listing() -> None:
    client, seen = list_tasks_peer({None: (TASKS[:1], "1"), "1": ([], "2"), "2": (TASKS[1:], None)})
    with pytest.warns(ListingStopped, match="empty page"):
        rows = await alist_artifact_rows(client)
    assert {r.task_id for r in rows} == {"t1"} and len(seen) == 2


async def test_artifact_rows_come_a_page_of_tasks_at_a_time() -> None:
    client, seen = list_tasks_peer({None: (TASKS[:1], "1"), "1": (TASKS[1:], None)})
    sizes = [len(rows) async for rows in aiter_artifact_row_pages(client, page_size=2)]
    assert sizes == [8, 1] and len(seen) == 2
    assert json.loads(seen[0].content)["params"]["pageSize"] == 2
