"""Scale on one client: 10, 100 and 1,000 concurrent streams of 200 events from one process.

All streams of a batch start together on one event loop (``asyncio.gather``) against the local
server's ``POST /agents/frame-<n>/runs`` (one HTTP chunk per AgentOS frame). Every contender gets
the same connection pool: as many connections as streams (``httpx.Limits(max_connections=N,
max_keepalive_connections=N)``), so no stream waits for a connection and the loop is what is
measured.

Contenders, each batch in a fresh subprocess (peak RSS is per process), interleaved round-robin:
  raw httpx   one ``httpx.AsyncClient``: ``aiter_lines`` + ``json.loads`` of each ``data:`` line
  agentnb     one ``RemoteAgent(..., max_connections=N)``: ``arun(stream=True)``, typed events
  agno        one agno ``RemoteAgent``; agno's shared async client replaced by one with the
              same limits (``agno.utils.http.set_default_async_client``)

Per batch: total events/s (all events / wall time from start to the last stream's end), client
CPU per event (``time.process_time``; the server is another process), peak RSS growth per open
stream (RSS sampled every 5 ms and when the last stream got its first event, minus RSS before
the batch, over N), and time to first event per stream (from the common start) at p50 and p99.
"""

from __future__ import annotations

import asyncio
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import ROOT, local_server, median, parser, sizes, spread, table, write_results

NAME = "scale"
CONTENDERS = ("raw httpx", "agentnb", "agno")


def rss_now() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


async def _batch(contender: str, base: str, streams: int, events: int) -> dict[str, Any]:
    import httpx

    limits = httpx.Limits(max_connections=streams, max_keepalive_connections=streams)
    agent_id = f"frame-{events}"
    url = f"{base}/agents/{agent_id}/runs"
    form = {"message": "go", "stream": "true"}

    if contender == "raw httpx":
        http = httpx.AsyncClient(timeout=300, limits=limits)

        async def one(first: list[float]) -> int:
            count = 0
            async with http.stream("POST", url, data=form) as response:
                async for line in response.aiter_lines():
                    if line.startswith("data:"):
                        json.loads(line[5:])
                        if not count:
                            first.append(time.perf_counter())
                        count += 1
            return count

    elif contender == "agentnb":
        from agentnb import RemoteAgent

        agent = RemoteAgent(
            base, agent_id=agent_id, prefetch_config=False, max_connections=streams, timeout=300
        )

        async def one(first: list[float]) -> int:
            count = 0
            async with agent.arun("go", stream=True) as stream:
                async for _event in stream:
                    if not count:
                        first.append(time.perf_counter())
                    count += 1
            return count

    else:
        from agno.agent import RemoteAgent as AgnoRemoteAgent
        from agno.utils.http import set_default_async_client

        set_default_async_client(
            httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(300.0), http2=True, follow_redirects=True)
        )
        theirs = AgnoRemoteAgent(base, agent_id=agent_id)

        async def one(first: list[float]) -> int:
            count = 0
            async for _event in theirs.arun("go", stream=True):
                if not count:
                    first.append(time.perf_counter())
                count += 1
            return count

    # Warm-up: imports, code paths, and the pool's first connections (the same for everyone).
    await asyncio.gather(*(one([]) for _ in range(min(streams, 10))))
    peak = before = rss_now()
    firsts: list[float] = []
    done = False

    async def sample() -> None:
        nonlocal peak
        while not done:
            peak = max(peak, rss_now())
            if len(firsts) == streams:  # every stream is open: the moment memory is highest
                peak = max(peak, rss_now())
            await asyncio.sleep(0.005)

    sampler = asyncio.ensure_future(sample())
    cpu, started = time.process_time(), time.perf_counter()
    counts = await asyncio.gather(*(one(firsts) for _ in range(streams)))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    done = True
    await sampler
    ttfe = [(t - started) * 1000 for t in firsts]
    total = sum(counts)
    return {
        "streams": streams,
        "events": total,
        "events_per_s": total / wall,
        "cpu_us_per_event": 1e6 * cpu / total,
        "cpu_share": cpu / wall,
        "rss_per_stream_kb": max(0, peak - before) / streams / 1024,
        "ttfe_p50_ms": percentile(ttfe, 0.5),
        "ttfe_p99_ms": percentile(ttfe, 0.99),
        "wall_s": wall,
    }


def run_worker(contender: str, base: str, streams: int, events: int) -> dict[str, Any]:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.bench_scale",
            "--worker",
            contender,
            base,
            str(streams),
            str(events),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{contender} x{streams} failed: {proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        contender, base, streams, events = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
        print(json.dumps(asyncio.run(_batch(contender, base, streams, events))))
        return
    p = parser(NAME, __doc__, size=1000, repeats=3)
    p.add_argument("--events", type=int, default=None, help="events per stream (default 200)")
    args = p.parse_args()
    most, repeats = sizes(args, quick_size=10)
    events = args.events or (20 if args.quick else 200)
    counts = sorted({max(1, most // 100), max(1, most // 10), most})
    samples: dict[str, dict[str, list[dict[str, Any]]]] = {}
    with local_server() as base:
        for streams in counts:
            per: dict[str, list[dict[str, Any]]] = {c: [] for c in CONTENDERS}
            for r in range(repeats):
                k = r % len(CONTENDERS)
                for contender in [*CONTENDERS[k:], *CONTENDERS[:k]]:
                    per[contender].append(run_worker(contender, base, streams, events))
            samples[str(streams)] = per
    rows: list[list[Any]] = []
    results: dict[str, Any] = {"events_per_stream": events, "streams": {}}
    for streams, per in samples.items():
        raw = per["raw httpx"]
        results["streams"][streams] = {}
        for contender, runs in per.items():

            def med(key: str, runs: list[dict[str, Any]] = runs) -> float:
                return median([run[key] for run in runs])

            def paired(key: str, runs: list[dict[str, Any]] = runs, raw: list[dict[str, Any]] = raw) -> float:
                return median([run[key] / ref[key] for run, ref in zip(runs, raw, strict=True) if ref[key]])

            summary = {
                "runs": runs,
                "events_per_s": med("events_per_s"),
                "vs_raw_httpx": paired("events_per_s"),
                "cpu_us_per_event": med("cpu_us_per_event"),
                "cpu_share": med("cpu_share"),
                "rss_per_stream_kb": med("rss_per_stream_kb"),
                "rss_vs_raw_httpx": med("rss_per_stream_kb")
                / (median([x["rss_per_stream_kb"] for x in raw]) or 1),
                "ttfe_p50_ms": med("ttfe_p50_ms"),
                "ttfe_p99_ms": med("ttfe_p99_ms"),
            }
            summary["p99_over_p50"] = (
                summary["ttfe_p99_ms"] / summary["ttfe_p50_ms"] if summary["ttfe_p50_ms"] else None
            )
            results["streams"][streams][contender] = summary
            rows.append(
                [
                    f"{int(streams):,} streams: {contender}",
                    summary["events_per_s"],
                    summary["vs_raw_httpx"],
                    summary["cpu_us_per_event"],
                    f"{100 * summary['cpu_share']:.0f}%",
                    summary["rss_per_stream_kb"],
                    summary["ttfe_p50_ms"],
                    summary["ttfe_p99_ms"],
                    f"{100 * spread([x['events_per_s'] for x in runs]):.0f}%",
                ]
            )
    top = results["streams"][str(most)]
    ours, raw_top = top["agentnb"], top["raw httpx"]
    targets = {
        f"agentnb >= 0.85x raw httpx events/s at {most:,} streams": {
            "ratio": round(ours["vs_raw_httpx"], 3),
            "met": ours["vs_raw_httpx"] >= 0.85,
            "issue_row": "scale",
        },
        f"agentnb memory per open stream <= 1.5x raw httpx's at {most:,} streams": {
            "kb_per_stream": round(ours["rss_per_stream_kb"], 1),
            "raw_kb_per_stream": round(raw_top["rss_per_stream_kb"], 1),
            "met": ours["rss_per_stream_kb"] <= 1.5 * raw_top["rss_per_stream_kb"],
            "issue_row": "scale",
        },
        f"no stream starved: agentnb p99 first event <= 3x p50 at {most:,} streams": {
            "p50_ms": round(ours["ttfe_p50_ms"], 1),
            "p99_ms": round(ours["ttfe_p99_ms"], 1),
            "met": ours["ttfe_p99_ms"] <= 3 * ours["ttfe_p50_ms"],
            "issue_row": "scale",
        },
    }
    text = table(
        f"Scale on one client: {events} events per stream, pool = streams, median of {repeats}",
        [
            "streams: client",
            "events/s",
            "x raw httpx",
            "CPU us/event",
            "CPU/wall",
            "peak RSS KB/stream",
            "first event p50 ms",
            "p99 ms",
            "noise",
        ],
        rows,
    )
    write_results(
        NAME,
        args.out,
        params={"streams": counts, "events": events, "repeats": repeats},
        results=results,
        tables=[text],
        targets=targets,
    )


if __name__ == "__main__":
    main()
