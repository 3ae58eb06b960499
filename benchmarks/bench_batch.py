"""Batch throughput: ``RemoteAgent.abatch`` against a raw httpx loop with the same concurrency.

Both send the same non-streamed runs (``POST /agents/{id}/runs`` with ``stream=false``) to the
local benchmark server and keep every answer in input order: the raw loop is an
``asyncio.Semaphore`` around one shared ``httpx.AsyncClient`` that parses each JSON body; agentnb
decodes each into a RunOutput, folds it into a row and builds the DataFrame at the end. The
progress bar is off (it measures the terminal, not the client). Throughput is prompts per second;
the target is agentnb at 0.9x the raw loop or better. Memory: the tracemalloc peak of one agentnb
batch, per prompt (answers are kept, runs and events are not).
"""

from __future__ import annotations

import asyncio
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from benchmarks._common import local_server, median, parser, sizes, table, write_results

NAME = "batch"
TARGET_RATIO = 0.9
AGENT = "frame-8"
CONCURRENCY = (8, 32)


async def raw_loop(base: str, prompts: list[str], concurrency: int) -> list[Any]:
    url = f"{base}/agents/{AGENT}/runs"
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=30) as client:

        async def one(prompt: str) -> Any:
            async with gate:
                response = await client.post(url, data={"message": prompt, "stream": "false"})
                response.raise_for_status()
                return response.json().get("content")

        return await asyncio.gather(*(one(p) for p in prompts))


async def agentnb_batch(base: str, prompts: list[str], concurrency: int) -> Any:
    from agentnb import RemoteAgent

    agent = RemoteAgent(base, agent_id=AGENT, prefetch_config=False)
    return await agent.abatch(prompts, concurrency=concurrency, progress=False)


async def measure(base: str, size: int, repeats: int) -> dict[str, dict[str, list[float]]]:
    prompts = [f"prompt {i}" for i in range(size)]
    await raw_loop(base, prompts[:8], 4)  # warm both paths (imports, connections)
    await agentnb_batch(base, prompts[:8], 4)
    out: dict[str, dict[str, list[float]]] = {}
    for concurrency in CONCURRENCY:
        samples: dict[str, list[float]] = {"raw httpx": [], "agentnb": []}
        for r in range(repeats):
            order = ["raw httpx", "agentnb"] if r % 2 == 0 else ["agentnb", "raw httpx"]
            for name in order:
                started = time.perf_counter()
                if name == "raw httpx":
                    answers = await raw_loop(base, prompts, concurrency)
                    assert len(answers) == size
                else:
                    frame = await agentnb_batch(base, prompts, concurrency)
                    assert len(frame) == size and (frame["status"] == "completed").all()
                samples[name].append(size / (time.perf_counter() - started))
        out[f"concurrency {concurrency}"] = samples
    return out


async def memory_per_prompt(base: str, size: int) -> float:
    prompts = [f"prompt {i}" for i in range(size)]
    tracemalloc.start()
    try:
        await agentnb_batch(base, prompts, 8)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / size


def main() -> None:
    args = parser(NAME, __doc__, size=300, repeats=3).parse_args()
    size, repeats = sizes(args, quick_size=40)
    with local_server() as base:
        samples = asyncio.run(measure(base, size, repeats))
        per_prompt = asyncio.run(memory_per_prompt(base, size))
    rows, results, targets = [], {}, {}
    for label, per in samples.items():
        raw, ours = median(per["raw httpx"]), median(per["agentnb"])
        results[label] = {
            name: {"prompts_per_s": values, "median": median(values)} for name, values in per.items()
        }
        rows.append([f"{label}: raw httpx", raw, 1.0])
        rows.append([f"{label}: agentnb abatch", ours, ours / raw])
        targets[f"agentnb at {label} >= {TARGET_RATIO}x raw httpx"] = {
            "ratio": ours / raw,
            "met": ours / raw >= TARGET_RATIO,
        }
    results["tracemalloc_peak_bytes_per_prompt"] = per_prompt
    text = table(
        f"Batch throughput: {size} non-streamed runs, median of {repeats} (prompts per second)",
        ["contender", "prompts/s", "x raw"],
        rows,
    )
    memory = table(
        f"Batch memory: tracemalloc peak of one {size}-prompt batch",
        ["measure", "value"],
        [["peak KB per prompt", per_prompt / 1024]],
    )
    for what, verdict in targets.items():
        print(f"target {what}: {verdict['ratio']:.2f}x -> {'met' if verdict['met'] else 'MISSED'}")
    write_results(
        NAME,
        args.out,
        params={"prompts": size, "repeats": repeats, "concurrency": list(CONCURRENCY), "agent": AGENT},
        results=results,
        tables=[text, memory],
        targets=targets,
    )


if __name__ == "__main__":
    main()
