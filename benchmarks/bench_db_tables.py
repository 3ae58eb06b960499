"""Tables of what an AgentOS knows: ``memories_table`` and ``traces_table`` over 10,000 rows.

A local server (this script with ``--serve``, a subprocess) pages ``GET /memories`` and
``GET /traces`` as AgentOS does (``{"data": [...], "meta": {...}}``, 100 per page). Contenders,
interleaved in every repeat:
  raw + pandas      raw httpx over every page, ``json.loads``, ``pandas.DataFrame(records)``
  agentnb (await)   ``await amemories_table(db)`` / ``await atraces_table(db)``
Target: agentnb at most 1.5x the raw + pandas time (typed columns and UTC times included).
``python -m benchmarks tables`` runs this script with the other tables (``run_all.GROUPS``).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from benchmarks._common import median, parser, sizes, table, write_results

NAME = "db_tables"
TARGET_RATIO = 1.5
PAGE = 100
Run = Callable[[], Awaitable[Any]]


def memory(i: int) -> dict[str, Any]:
    return {
        "memory_id": f"m-{i:06d}",
        "memory": f"The user mentioned fact number {i} about tea and trains.",
        "topics": ["facts", f"t{i % 7}"],
        "agent_id": "memory-agent",
        "team_id": None,
        "user_id": f"user-{i % 50}",
        "updated_at": f"2026-01-{1 + i % 28:02d}T10:{i % 60:02d}:00Z",
    }


def trace(i: int) -> dict[str, Any]:
    return {
        "trace_id": f"t-{i:06d}",
        "name": "Memory_Agent.arun",
        "status": "OK",
        "duration": f"{100 + i % 900}.5ms",
        "start_time": f"2026-01-{1 + i % 28:02d}T10:00:00Z",
        "end_time": f"2026-01-{1 + i % 28:02d}T10:00:01Z",
        "total_spans": 3,
        "error_count": 0,
        "input": f"question {i}",
        "run_id": f"r-{i}",
        "session_id": f"s-{i % 300}",
        "user_id": f"user-{i % 50}",
        "agent_id": "memory-agent",
        "team_id": None,
        "workflow_id": None,
        "created_at": f"2026-01-{1 + i % 28:02d}T10:00:00Z",
    }


def serve(n: int) -> None:
    rows = {"/memories": [memory(i) for i in range(n)], "/traces": [trace(i) for i in range(n)]}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            target = head.split(b" ", 2)[1].decode()
            url = urlsplit(target)
            query = parse_qs(url.query)
            page, limit = int(query.get("page", ["1"])[0]), int(query.get("limit", ["20"])[0])
            data = rows.get(url.path, [])
            body = json.dumps(
                {
                    "data": data[(page - 1) * limit : page * limit],
                    "meta": {"page": page, "limit": limit, "total_count": len(data),
                             "total_pages": -(-len(data) // limit), "search_time_ms": 0.1},
                }
            ).encode()  # fmt: skip
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n")
            writer.write(f"content-length: {len(body)}\r\n\r\n".encode() + body)
            await writer.drain()

    async def main() -> None:
        server = await asyncio.start_server(lambda r, w: _quiet(handle(r, w)), "127.0.0.1", 0)
        print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
        await server.serve_forever()

    asyncio.run(main())


async def _quiet(coro: Awaitable[None]) -> None:
    with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
        await coro  # ends when the client closes the connection


def runs(base: str, path: str) -> dict[str, Run]:
    import pandas as pd

    from agentnb import AgentOSClient, RemoteDb
    from agentnb.tables import amemories_table, atraces_table

    db = RemoteDb("bench", AgentOSClient(base))

    async def raw() -> Any:
        records: list[dict[str, Any]] = []
        async with httpx.AsyncClient(base_url=base) as client:
            page = 1
            while True:
                payload = json.loads((await client.get(path, params={"page": page, "limit": PAGE})).content)
                records.extend(payload["data"])
                if page >= payload["meta"]["total_pages"]:
                    break
                page += 1
        return pd.DataFrame(records)

    async def ours() -> Any:
        if path == "/memories":
            return await amemories_table(db, page_size=PAGE)
        return await atraces_table(db, page_size=PAGE)

    return {"raw + pandas": raw, "agentnb (await)": ours}


async def measure(base: str, repeats: int) -> dict[str, dict[str, list[float]]]:
    out: dict[str, dict[str, list[float]]] = {}
    for label, path in (("memories_table", "/memories"), ("traces_table", "/traces")):
        contenders = runs(base, path)
        for run in contenders.values():
            await run()  # warm-up
        samples: dict[str, list[float]] = {name: [] for name in contenders}
        names = list(contenders)
        for r in range(repeats):
            for name in names[r % 2 :] + names[: r % 2]:
                gc.collect()  # no run pays for the garbage of the runs before it
                started = time.perf_counter()
                await contenders[name]()
                samples[name].append(time.perf_counter() - started)
        out[label] = samples
    return out


def main() -> None:
    if "--serve" in sys.argv:
        serve(int(sys.argv[sys.argv.index("--serve") + 1]))
        return
    import subprocess

    args = parser(NAME, __doc__, size=10_000, repeats=7).parse_args()
    n, repeats = sizes(args, quick_size=300)
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(n)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        base = f"http://127.0.0.1:{int(proc.stdout.readline().split()[1])}"
        measured = asyncio.run(measure(base, repeats))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    rows, targets, results = [], {}, {}
    for label, samples in measured.items():
        raw, ours = median(samples["raw + pandas"]), median(samples["agentnb (await)"])
        results[label] = {name: {"seconds": v, "median_s": median(v)} for name, v in samples.items()}
        rows.append([f"{label}: raw httpx + pandas", raw, ""])
        rows.append([f"{label}: agentnb (await)", ours, ours / raw])
        targets[f"{label}: {n:,} rows <= {TARGET_RATIO}x raw httpx + pandas"] = {
            "ratio": ours / raw,
            "met": ours / raw <= TARGET_RATIO,
            "issue_row": label,
        }
    text = table(
        f"DB tables: {n:,} rows, {PAGE} per page, median of {repeats}", ["what", "seconds", "x raw"], rows
    )
    print(text)
    params = {"size": n, "repeats": repeats}
    write_results(NAME, args.out, params=params, results=results, tables=[text], targets=targets)


if __name__ == "__main__":
    main()
