"""One row per artifact, read from models or straight from a v1.0 ListTasks page's JSON.

A table of every task a peer lists reads thousands of artifacts. Decoding each task into models
first (parts, messages, status, the task assembler) cost about ten times the JSON parse itself
(benchmarks/bench_tables.py); the table needs only a few facts per part. So a listing is read
twice as cheaply here: each artifact's parts are summarised straight from the JSON, and a task
whose JSON does not have the plain shape (a name that is not a string, a part that is not an
object, ...) goes through the full decoder instead, so it fails or reads exactly as a decoded
task does. File bytes are measured, never kept: a listing holds no artifact content.

Both paths read each part into the same ``_PartFacts`` (``_facts_of()`` from a decoded Part,
``_wire_facts()`` from its JSON) and end in one ``summarize()``, so a row reads the same whichever
way it was made; the facts cost the wire path about 12 ms per 10,000 artifacts over an inlined
reading, well inside the table's target.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable, Iterator, Mapping
from contextlib import aclosing
from typing import TYPE_CHECKING, Any, NamedTuple

from agentnb.a2a._wire import b64decode
from agentnb.a2a.listing import aiter_pages
from agentnb.a2a.models import Artifact, Part, Task, TaskResult
from agentnb.a2a.v10_objects import decode_task
from agentnb.errors import ProtocolError

if TYPE_CHECKING:
    from agentnb.a2a.client import A2AClient

__all__ = [
    "ArtifactRow",
    "aiter_artifact_row_pages",
    "alist_artifact_rows",
    "artifact_rows",
    "wire_artifact_rows",
]


class _PartFacts(NamedTuple):
    kind: str
    text: str | None
    size: int | None  # file bytes, or UTF-8 bytes of text; None when unknown
    data: Any
    mime_type: str | None
    filename: str | None
    uri: str | None


class ArtifactRow(NamedTuple):
    """What a table shows of one artifact (text and data whole: the table clips them)."""

    task_id: str | None
    context_id: str | None
    artifact_id: str | None
    name: str | None
    mime_type: str | None
    kind: str | None
    size_bytes: int | None
    uri: str | None
    text: str  # the text parts joined ("" when none)
    data: list[Any]  # the data parts' values


def summarize(
    ids: tuple[str | None, str | None, str | None],
    name: str | None,
    declared_mime: str | None,
    parts: Iterable[_PartFacts],
) -> ArtifactRow:
    """One row from an artifact's parts, with Artifact's own readings.

    The name falls back to the first file part's filename; uri and MIME type are the first file
    part's (else the declared type, or text/plain for text); a data artifact without a type is
    application/json; the size counts file bytes and UTF-8 text bytes (None when no part has either).
    """
    kinds: set[str] = set()
    first_file: _PartFacts | None = None
    filename: str | None = None
    first_mime: str | None = None
    size: int | None = None
    texts: list[str] = []
    data: list[Any] = []
    for part in parts:
        # Unpacked once: a listing summarises 10,000s of parts, and attribute reads add up.
        kind, text, part_size, value, part_mime, part_filename, _ = part
        kinds.add(kind)
        if kind == "file":
            if first_file is None:
                first_file = part
            if filename is None and part_filename:
                filename = part_filename
        elif kind == "text":
            if text:
                texts.append(text)
        else:
            data.append(value)
        if part_size is not None:
            size = (size or 0) + part_size
        if first_mime is None and part_mime:
            first_mime = part_mime
    kind_of = (kinds.pop() if len(kinds) == 1 else "mixed") if kinds else None
    joined = "".join(texts)
    if first_file is not None:
        mime, uri = first_file.mime_type, first_file.uri
    else:
        mime, uri = declared_mime or ("text/plain" if joined else None), None
    if mime is None and kind_of == "data":
        mime = first_mime or "application/json"
    return ArtifactRow(*ids, name or filename, mime, kind_of, size, uri, joined, data)


def _facts_of(part: Part) -> _PartFacts:
    if part.kind == "file":
        size = len(part.content) if part.content is not None else None
    elif part.kind == "text":
        size = len(part.text.encode("utf-8")) if part.text is not None else None
    else:
        size = None
    return _PartFacts(part.kind, part.text, size, part.data, part.mime_type, part.filename, part.uri)


def artifact_rows(results: Iterable[TaskResult | Task]) -> Iterator[ArtifactRow]:
    """The rows of A2A results (or Tasks) already decoded."""
    for result in results:
        if isinstance(result, Task):
            task_id, context_id, artifacts = result.id, result.context_id, result.artifacts
        else:
            task_id, context_id = result.task_id, result.context_id
            artifacts = result.artifacts or (result.task.artifacts if result.task is not None else [])
        for artifact in artifacts:
            yield _model_row(task_id, context_id, artifact)


def _model_row(task_id: str | None, context_id: str | None, artifact: Artifact) -> ArtifactRow:
    ids = (task_id or None, context_id or None, artifact.artifact_id or None)
    facts = (_facts_of(p) for p in artifact.parts)
    return summarize(ids, artifact.name, artifact.declared_mime_type, facts)


class _NotPlain(Exception):
    """This task's JSON needs the full decoder."""


def _plain(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value or None
    raise _NotPlain


def _wire_facts(part: Any) -> _PartFacts:
    """The facts of one v1.0 part's JSON, as _facts_of() reads the decoded Part."""
    if not isinstance(part, dict):
        raise _NotPlain
    if "raw" in part or "url" in part:
        content = b64decode(part["raw"]) if "raw" in part else None
        size = len(content) if content is not None else None
        mime, filename, uri = (
            _plain(part.get("mediaType")),
            _plain(part.get("filename")),
            _plain(part.get("url")),
        )
        return _PartFacts("file", None, size, None, mime, filename, uri)
    if "data" in part:
        return _PartFacts("data", None, None, part["data"], _plain(part.get("mediaType")), None, None)
    text = part.get("text") or ""
    if not isinstance(text, str):
        raise _NotPlain
    return _PartFacts(
        "text", text, len(text) if text.isascii() else len(text.encode("utf-8")), None, None, None, None
    )


def _wire_row(task_id: str, context_id: str | None, artifact: Any) -> ArtifactRow:
    """summarize() of one artifact's JSON: the same reading as a decoded artifact's."""
    if not isinstance(artifact, dict):
        raise _NotPlain
    artifact_id = artifact.get("artifactId")
    parts = artifact.get("parts") or []
    if not isinstance(parts, list) or not isinstance(artifact_id, (str, type(None))):
        raise _NotPlain
    _plain(artifact.get("description"))  # the decoder refuses a description of another type
    ids = (task_id, context_id, artifact_id or None)
    if len(parts) == 1:
        return _one_part_row(ids, _plain(artifact.get("name")), parts[0])
    return summarize(ids, _plain(artifact.get("name")), None, [_wire_facts(p) for p in parts])


def _one_part_row(ids: tuple[str, str | None, str | None], name: str | None, part: Any) -> ArtifactRow:
    """summarize() of an artifact of one part (most are), without its bookkeeping for many:
    a listing's table spent a third of its time there (tests/a2a/test_task_rows.py compares)."""
    if not isinstance(part, dict):
        raise _NotPlain
    if "raw" in part or "url" in part:
        content = b64decode(part["raw"]) if "raw" in part else None
        mime, filename = _plain(part.get("mediaType")), _plain(part.get("filename"))
        uri, size = _plain(part.get("url")), len(content) if content is not None else None
        return ArtifactRow(*ids, name or filename, mime, "file", size, uri, "", [])
    if "data" in part:
        mime = _plain(part.get("mediaType"))
        return ArtifactRow(*ids, name, mime or "application/json", "data", None, None, "", [part["data"]])
    text = part.get("text") or ""
    if not isinstance(text, str):
        raise _NotPlain
    size = len(text) if text.isascii() else len(text.encode("utf-8"))
    return ArtifactRow(*ids, name, "text/plain" if text else None, "text", size, None, text, [])


def _wire_task_rows(raw: Mapping[str, Any]) -> list[ArtifactRow]:
    task_id = raw.get("id")
    context_id = _plain(raw.get("contextId"))
    artifacts = raw.get("artifacts") or []
    if not task_id or not isinstance(task_id, str) or not isinstance(artifacts, list):
        raise _NotPlain
    return [_wire_row(task_id, context_id, artifact) for artifact in artifacts]


def wire_artifact_rows(raw_tasks: Iterable[Any]) -> Iterator[ArtifactRow]:
    """The rows of v1.0 (proto-JSON) tasks as a ListTasks page holds them."""
    for raw in raw_tasks:
        try:
            if not isinstance(raw, dict):
                raise _NotPlain
            yield from _wire_task_rows(raw)
        except _NotPlain:
            # The full decoder: the same row a decoded task gives, or its ProtocolError.
            yield from artifact_rows([decode_task(raw, v03=False)])


async def aiter_artifact_row_pages(
    client: A2AClient, *, context_id: str | None = None, page_size: int | None = None
) -> AsyncGenerator[list[ArtifactRow], None]:
    """The artifact rows of every task a v1.0 peer lists, a page of tasks at a time.

    A table turns each page into cells before the next arrives, so no page's rows outlive it.
    """

    async def fetch(token: str | None) -> tuple[list[Any], str | None]:
        dialect = await client.anegotiate()
        filters = {"context_id": context_id, "page_size": page_size, "page_token": token}
        call = dialect.list_tasks({**filters, "include_artifacts": True})
        return dialect.list_page(await client._call(dialect, call))

    async with aclosing(aiter_pages(fetch, where=client.base_url)) as pages:  # closed on a raise too
        async for raw_tasks in pages:
            try:
                rows = list(wire_artifact_rows(raw_tasks))
            except (TypeError, ValueError, AttributeError) as exc:
                raise ProtocolError(
                    f"A2A: a listed task does not fit the protocol ({type(exc).__name__}: {str(exc)[:200]})",
                    url=client.base_url,
                ) from exc
            yield rows


async def alist_artifact_rows(
    client: A2AClient, *, context_id: str | None = None, page_size: int | None = None
) -> list[ArtifactRow]:
    """The artifact rows of every task a v1.0 peer lists, following its page tokens."""
    pages = aiter_artifact_row_pages(client, context_id=context_id, page_size=page_size)
    async with aclosing(pages):
        return [row async for rows in pages for row in rows]
