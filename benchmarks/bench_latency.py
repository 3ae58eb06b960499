"""Latency: time to the first streamed event, and the cost of one non-streamed run.

Both against the local server (AgentOS paths: ``POST /agents/{id}/runs``), per request:
  time to first event   from the call to the first event in hand (a short run: RunStarted,
                        8 RunContent, RunCompleted, one HTTP chunk per frame); the rest of the
                        stream is read but not timed
  non-streamed run      ``stream=false``: the call until the RunOutput (a ~1.5 KB JSON) is decoded

"warm" reuses the client and its keep-alive connection (the notebook case after the first call);
"cold" starts from a new HTTP client, so a new TCP connection and a new SSL context (~30 ms:
httpx builds one per client, even for http://): agentnb's per-loop client and agno's global
client are closed before the request, raw httpx makes an ``httpx.AsyncClient`` inside the timing.
The agent objects are built once, outside the timing. Contenders alternate request by request; the
overhead is each request's time minus the raw httpx request next to it, median over all pairs.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from benchmarks._common import local_server, median, parser, sizes, table, write_results

NAME = "latency"
TARGET_MS = 0.3
STREAM_AGENT = "frame-8"
FORM = {"message": "hi", "stream": "true"}

Probe = Callable[[], Awaitable[float]]


async def close_agno_client() -> None:
    from agno.utils import http as agno_http

    client = agno_http._global_async_client
    if client is not None:
        await client.aclose()


async def close_agentnb_clients() -> None:
    from agentnb._http import close_clients_of_running_loop

    await close_clients_of_running_loop()


def contenders(
    base: str, cold: bool
) -> dict[str, dict[str, tuple[Probe, Callable[[], Awaitable[None]] | None]]]:
    """For each measure, name -> (timed probe returning seconds, untimed reset before it)."""
    from agno.agent import RemoteAgent as AgnoRemoteAgent

    from agentnb import RemoteAgent

    ours = RemoteAgent(base, agent_id=STREAM_AGENT, prefetch_config=False)
    theirs = AgnoRemoteAgent(base, agent_id=STREAM_AGENT)
    url = f"{base}/agents/{STREAM_AGENT}/runs"
    shared = httpx.AsyncClient(timeout=30)

    async def raw_first() -> float:
        started = time.perf_counter()
        client = httpx.AsyncClient(timeout=30) if cold else shared
        first = 0.0
        try:
            async with client.stream("POST", url, data=FORM) as response:
                async for line in response.aiter_lines():
                    if line.startswith("data:"):
                        json.loads(line[5:])
                        first = first or time.perf_counter() - started
        finally:
            if cold:
                await client.aclose()
        return first

    async def agentnb_first() -> float:
        started = time.perf_counter()
        first = 0.0
        async with ours.arun("hi", stream=True) as stream:
            async for _event in stream:
                first = first or time.perf_counter() - started
        return first

    async def agno_first() -> float:
        started = time.perf_counter()
        first = 0.0
        async for _event in theirs.arun("hi", stream=True):
            first = first or time.perf_counter() - started
        return first

    async def raw_run() -> float:
        started = time.perf_counter()
        client = httpx.AsyncClient(timeout=30) if cold else shared
        try:
            response = await client.post(url, data={"message": "hi", "stream": "false"})
            response.raise_for_status()
            response.json()
        finally:
            if cold:
                await client.aclose()
        return time.perf_counter() - started

    async def agentnb_run() -> float:
        started = time.perf_counter()
        output = await ours.arun("hi")
        assert output.content, "agentnb got no content"
        return time.perf_counter() - started

    async def agno_run() -> float:
        started = time.perf_counter()
        output = await theirs.arun("hi")
        assert output.content, "agno got no content"  # type: ignore[union-attr]
        return time.perf_counter() - started

    reset_ours = close_agentnb_clients if cold else None
    reset_theirs = close_agno_client if cold else None
    return {
        "time to first event": {
            "raw httpx": (raw_first, None),
            "agentnb": (agentnb_first, reset_ours),
            "agno": (agno_first, reset_theirs),
        },
        "non-streamed run": {
            "raw httpx": (raw_run, None),
            "agentnb": (agentnb_run, reset_ours),
            "agno": (agno_run, reset_theirs),
        },
    }


async def measure(base: str, requests: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for cold in (False, True):
        temperature = "cold" if cold else "warm"
        for measure_name, probes in contenders(base, cold).items():
            for probe, reset in probes.values():  # warm up imports, pools and the server's cache
                if reset is not None:
                    await reset()
                await probe()
            samples: dict[str, list[float]] = {name: [] for name in probes}
            names = list(probes)
            n = requests if not cold else max(2, requests // 10)
            for r in range(n):
                k = r % len(names)
                for name in [*names[k:], *names[:k]]:
                    probe, reset = probes[name]
                    if reset is not None:
                        await reset()
                    samples[name].append(await probe())
            out[f"{measure_name} ({temperature})"] = samples
    return out


def main() -> None:
    args = parser(NAME, __doc__, size=300, repeats=1).parse_args()
    requests, _ = sizes(args, quick_size=8)
    if args.repeats:
        requests = max(requests, args.repeats)
    with local_server() as base:
        samples = asyncio.run(measure(base, requests))
    rows = []
    results: dict[str, Any] = {}
    targets: dict[str, Any] = {}
    for label, per in samples.items():
        raw = per["raw httpx"]
        results[label] = {}
        for name, values in per.items():
            overhead = median([(v - r) * 1000 for v, r in zip(values, raw, strict=True)])
            results[label][name] = {
                "seconds": values,
                "median_ms": median(values) * 1000,
                "overhead_vs_raw_ms": overhead,
            }
            rows.append(
                [
                    f"{label}: {name}",
                    median(values) * 1000,
                    "" if name == "raw httpx" else f"{overhead:+.3f}",
                    median(raw) / median(values),
                ]
            )
        if label == "time to first event (warm)":  # cold: ~40 ms of client setup, noise of a few ms
            overhead = results[label]["agentnb"]["overhead_vs_raw_ms"]
            targets[f"agentnb {label} within {TARGET_MS} ms of raw httpx"] = {
                "overhead_ms": overhead,
                "met": overhead <= TARGET_MS,
            }
    text = table(
        f"Latency: median of {requests} warm / {max(2, requests // 10)} cold requests per contender",
        ["measure: client", "median ms", "overhead ms", "x raw speed"],
        rows,
    )
    for what, verdict in targets.items():
        print(f"target {what}: {verdict['overhead_ms']:+.3f} ms -> {'met' if verdict['met'] else 'MISSED'}")
    write_results(
        NAME,
        args.out,
        params={
            "requests_warm": requests,
            "requests_cold": max(2, requests // 10),
            "stream_agent": STREAM_AGENT,
        },
        results=results,
        tables=[text],
        targets=targets,
    )


if __name__ == "__main__":
    main()
