"""task_rows: artifact rows read straight from ListTasks JSON equal the rows of the decoded tasks."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from pydantic import ValidationError

from agentnb.a2a.task_rows import artifact_rows, wire_artifact_rows
from agentnb.a2a.v10_objects import decode_task
from agentnb.errors import ProtocolError

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
    ],
)
def test_shapes_the_fast_reader_passes_on_read_as_decoded(odd: dict[str, Any]) -> None:
    assert list(wire_artifact_rows([odd])) == list(artifact_rows([decode_task(odd, v03=False)]))


@pytest.mark.parametrize(
    ("odd", "error"),
    [
        ({"id": "t", "artifacts": [{"artifactId": "a", "name": 5, "parts": []}]}, ValidationError),
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
