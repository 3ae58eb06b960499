"""Memory: peak RSS while consuming a 100,000-chunk AgentOS stream, one process per client.

Each client runs in its own subprocess (``--worker``): it imports, reads a small stream to warm
up, and for each size (a quarter of ``--size``, then ``--size``) notes its resident set size, reads
the stream (bulk chunking, RunStarted +
chunks + RunCompleted carrying the full text, as AgentOS sends it), and reports the peak RSS
(``resource.getrusage().ru_maxrss``) minus the RSS before, and the same growth seen by
tracemalloc (Python and numpy allocations only, in a second, traced run). The text itself is
the UTF-8 size of the answer. A client that keeps the text can't grow by less than the text;
one that keeps nothing should grow by a constant. Two sizes (a quarter and the full size) show
whether growth follows the text (slope) or the number of chunks.

Clients:
  raw httpx (discard)      ``aiter_lines`` + ``json.loads``, keeps nothing: the constant
  raw httpx (join text)    the same, keeping the deltas in a list and joining them at the end
  agentnb                  ``RemoteAgent.arun(stream=True)``: typed events, ``output.content``
  agno (discard)           agno's ``RemoteAgent.arun(stream=True)``: it keeps nothing itself
"""

from __future__ import annotations

import asyncio
import json
import resource
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import ROOT, local_server, median, parser, sizes, table, write_results
from benchmarks._server import full_text

NAME = "memory"
CLIENTS = ("raw httpx (discard)", "raw httpx (join text)", "agentnb", "agno (discard)")


def rss_now() -> int:
    """Resident set size now, bytes (Linux /proc)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def max_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


async def consume(client: str, base: str, n: int) -> int:
    """Read one stream of ``n`` chunks; return the length of the text the client kept."""
    agent_id = f"bulk-{n}"
    if client.startswith("raw httpx"):
        import httpx

        keep = client.endswith("(join text)")
        chunks: list[str] = []
        async with (
            httpx.AsyncClient(timeout=120) as http,
            http.stream(
                "POST", f"{base}/agents/{agent_id}/runs", data={"message": "go", "stream": "true"}
            ) as response,
        ):
            async for line in response.aiter_lines():
                if line.startswith("data:"):
                    payload = json.loads(line[5:])
                    if keep and payload.get("event") == "RunContent":
                        chunks.append(payload["content"])
        return len("".join(chunks))
    if client == "agentnb":
        from agentnb import RemoteAgent

        agent = RemoteAgent(base, agent_id=agent_id, prefetch_config=False)
        async with agent.arun("go", stream=True) as stream:
            async for _event in stream:
                pass
        return len(stream.output.content)
    from agno.agent import RemoteAgent as AgnoRemoteAgent

    theirs = AgnoRemoteAgent(base, agent_id=agent_id)
    async for _event in theirs.arun("go", stream=True):
        pass
    return 0


def worker(client: str, base: str, counts: list[int]) -> dict[str, Any]:
    """Measure each size in turn (smallest first) in this one process."""

    async def one(n: int) -> dict[str, Any]:
        before, peak_before = rss_now(), max_rss()
        kept = await consume(client, base, n)
        peak_after = max_rss()
        tracemalloc.start()
        start = tracemalloc.get_traced_memory()[0]
        await consume(client, base, n)
        traced_peak = tracemalloc.get_traced_memory()[1] - start
        tracemalloc.stop()
        return {
            "rss_before": before,
            "peak_rss_growth": max(0, peak_after - before),
            "new_peak": peak_after > peak_before,
            "traced_peak_growth": traced_peak,
            "kept_chars": kept,
        }

    async def run() -> dict[str, Any]:
        await consume(client, base, 1000)  # imports, pools, code paths
        return {str(n): await one(n) for n in sorted(counts)}

    return asyncio.run(run())


def run_worker(client: str, base: str, counts: list[int]) -> dict[str, Any]:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.bench_memory",
            "--worker",
            client,
            "--url",
            base,
            "--counts",
            ",".join(map(str, counts)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{client} worker failed: {proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    p = parser(NAME, __doc__, size=100_000, repeats=1)
    p.add_argument("--worker", help=argparse_hidden())
    p.add_argument("--url", help=argparse_hidden())
    p.add_argument("--counts", help=argparse_hidden())
    args = p.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.url, [int(c) for c in args.counts.split(",")])))
        return
    n, repeats = sizes(args, quick_size=2000)
    small = max(1, n // 4)
    text_bytes = {size: len(full_text(size).encode()) for size in (small, n)}
    results: dict[str, Any] = {"text_bytes": {str(k): v for k, v in text_bytes.items()}, "clients": {}}
    rows = []
    with local_server() as base:
        for client in CLIENTS:
            per: dict[int, list[dict[str, Any]]] = {small: [], n: []}
            for _ in range(repeats):
                measured = run_worker(client, base, [small, n])
                for size in (small, n):
                    per[size].append(measured[str(size)])
            summary: dict[str, Any] = {}
            for size, runs in per.items():
                summary[str(size)] = {
                    "peak_rss_growth": median([r["peak_rss_growth"] for r in runs]),
                    "traced_peak_growth": median([r["traced_peak_growth"] for r in runs]),
                    "runs": runs,
                }
            grow_small = summary[str(small)]["peak_rss_growth"]
            grow_full = summary[str(n)]["peak_rss_growth"]
            traced_small = summary[str(small)]["traced_peak_growth"]
            traced_full = summary[str(n)]["traced_peak_growth"]
            # Growth per byte of text between the two sizes: what a longer stream costs.
            slope = (traced_full - traced_small) / (text_bytes[n] - text_bytes[small])
            summary["traced_growth_per_text_byte"] = slope
            results["clients"][client] = summary
            rows.append(
                [
                    client,
                    grow_full / 1e6,
                    grow_full / text_bytes[n],
                    traced_full / 1e6,
                    slope,
                    grow_small / 1e6,
                ]
            )
    text = table(
        f"Memory: {n:,}-chunk stream ({text_bytes[n] / 1e6:.2f} MB of text; "
        f"{small:,} chunks: {text_bytes[small] / 1e6:.2f} MB), median of {repeats}",
        [
            "client",
            "peak RSS growth MB",
            "x text",
            "traced peak MB",
            "traced bytes per text byte",
            f"RSS growth at {small:,} MB",
        ],
        rows,
    )
    agentnb = results["clients"]["agentnb"]
    slope = agentnb["traced_growth_per_text_byte"]
    targets = {
        "agentnb memory bounded by the text plus a constant (traced growth per text byte <= 4)": {
            "bytes_per_text_byte": slope,
            "met": slope <= 4,
        }
    }
    print(f"target agentnb growth per text byte: {slope:.2f} -> {'met' if slope <= 4 else 'MISSED'}")
    write_results(
        NAME,
        args.out,
        params={"sizes": [small, n], "repeats": repeats},
        results=results,
        tables=[text],
        targets=targets,
    )


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    main()
