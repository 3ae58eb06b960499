"""Widget cost: a 10,000-chunk answer at 1,000 and 10,000 chunks/s into StreamView and ChatPane.

Method (no browser, no kernel):
* Every widget gets a recording comm (``comm.create_comm`` is replaced, as in
  tests/widgets/conftest.py); a message is one ``comm.send``, its size the length of its JSON.
* The chunks are paced on an asyncio loop with a simulated clock: ``asyncio.sleep(1 / rate)``
  moves the clock instead of waiting, so a 10 s stream takes only as long as the work it causes.
  The widgets' own ``time.monotonic`` reads that clock too, so the coalescing interval, the
  "updates per second" and the footer are in stream time; CPU and the time from the last chunk
  to the final render (``time.perf_counter``) are real.
* Widget CPU is metered (benchmarks/_meter.py): the thread's CPU clock is read around every
  outermost call into the widget's code (each event handled, each coalesced flush, the view's
  set-up and end; for ChatPane also its bubbles, transcript and fallback), net of the meter's own
  reads. The run's whole CPU minus its baseline's (below), paired per repeat, is printed beside
  it as a cross-check: being a difference of two whole-loop runs, it swings far more.
* StreamView: pre-built typed events go straight into ``StreamView.handle`` (RunStarted, the
  chunks, RunCompleted with the full text); its baseline is the same loop with a handler that
  does nothing. The view is the integrated one (issue 15): head and foot HTML
  widgets around a LiveMarkdown answer, so its bytes are every message of every widget it opens
  (open messages included), its "final HTML" is ``view.render_html()``, its exact text is checked
  both there and in what the widgets show, and a "view update" is one flush: a moment at which any
  of its widgets sent an update. StreamView and ChatPane run at 10,000 chunks and, at 1,000/s, at
  40,000 too (flatness), both sizes inside each repeat; a short warm-up run comes first.
* ChatPane: a ``RemoteAgent`` on an httpx ``MockTransport`` whose body yields one SSE frame per
  chunk at the rate, so the chunks go through agentnb's decoder, RunStream and the pane's
  StreamView; its baseline is the same stream decoded with no widget.
* naive: ``HTML.value = render_markdown(text_so_far)`` on every chunk. It re-renders the whole
  text each time (quadratic), so it is sampled: every ``n/40``-th chunk is rendered and sent for
  real, its cost and size interpolated over the chunks in between; messages are one per chunk.
* live_markdown (issue 15): ``LiveMarkdown`` fed the answer's chunks at 1,000/s through the same
  ``Coalescer`` StreamView uses, at the main size and at 4x it, to see that the cost per chunk
  stays flat. Its bytes include every widget it opens and closes (a sealed block travels in its
  widget's open message), and are compared with the size of ``render_markdown(answer)``. Its
  baseline is the same loop with no-op handlers.
* Every comm's open message (the widget's whole initial state) is counted, not only ``send``.
* Every run (widget or baseline) starts after ``gc.collect()``, so no run pays for a full
  collection of the garbage and heap growth of the runs before it.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import AsyncIterator
from itertools import pairwise
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import median, parser, sizes, table, write_results
from benchmarks._meter import meter_overhead_ns
from benchmarks._server import token
from benchmarks._widget_rig import (
    Metering,
    RecordingComm,
    chat_pane_meter_targets,
    live_markdown_meter_targets,
    max_per_second,
    message_bytes,
    run_on_virtual_loop,
    stream_view_meter_targets,
    updates_of,
)

NAME = "widgets"
RATES = (1_000, 10_000)
MAX_UPDATES_PER_S = 20
#: Issue 15's targets for incremental rendering, at 1,000 chunks/s.
MAX_US_PER_CHUNK = 40
MAX_FLATNESS = 1.5
MAX_BYTES_RATIO = 3


# --------------------------------------------------------------------------- the runs


def expected_text(n: int) -> str:
    return "".join(token(i) for i in range(n))


def build_events(n: int) -> list[Any]:
    from agentnb.runs.events import RunCompleted, RunContent, RunStarted

    base = {"run_id": "7e34cd6d-102e-4c00-91ba-223bd32391f0", "session_id": "sess-1", "agent_id": "assistant"}
    events: list[Any] = [RunStarted(event="RunStarted", **base)]
    events += [RunContent(event="RunContent", content=token(i), **base) for i in range(n)]
    events.append(RunCompleted(event="RunCompleted", content=expected_text(n), **base))
    return events


def view_widgets(widget: Any) -> list[Any]:
    """``widget`` and every widget under it (what the browser draws for a view)."""
    return [widget, *(w for child in getattr(widget, "children", ()) for w in view_widgets(child))]


def flush_times(view: Any) -> list[tuple[float, float]]:
    """(stream time, real time) of each flush of a view: the distinct moments its widgets sent
    updates (one flush touches the tail, maybe a new sealed block and the footer)."""
    stamps: dict[float, float] = {}
    for widget in view_widgets(view):
        comm = getattr(widget, "comm", None)
        for s in comm.sent if comm is not None else ():
            if isinstance(s[2], dict) and s[2].get("method") == "update":
                stamps[s[0]] = max(stamps.get(s[0], 0.0), s[1])
    return sorted(stamps.items())


def summary(view: Any, n: int, rate: int, cpu: float, latency: float, sent_all: list[Any]) -> dict[str, Any]:
    from agentnb.widgets.render import render_markdown

    flushes = flush_times(view)
    final = view.render_html()
    answer = render_markdown(expected_text(n))
    return {
        "messages": len(sent_all),
        "bytes": sum(message_bytes(s[2]) for s in sent_all),
        "view_updates": len(flushes),
        "max_updates_per_s": max_per_second([t for t, _ in flushes]),
        "mean_updates_per_s": len(flushes) / (n / rate),
        "cpu_us_per_chunk": cpu / n * 1e6,
        "last_chunk_to_final_render_ms": latency * 1000,
        # what the browser shows (every HTML widget of the answer, in order) and the saved HTML
        "exact_final_text": shown_html(view.answer) == answer and answer in final,
        "final_html_bytes": len(final),
    }


async def stream_view_run(n: int, rate: int, events: list[Any], handler: bool) -> dict[str, Any]:
    from agentnb.widgets.stream_view import StreamView

    Metering.start()  # the view's set-up is part of its cost (one per answer)
    view = StreamView()
    handle = view.handle if handler else (lambda event: None)
    gap = 1 / rate
    view._set_state("running")
    cpu = time.process_time()
    handle(events[0])
    for event in events[1:-2]:
        handle(event)
        await asyncio.sleep(gap)
    last = time.perf_counter()
    handle(events[-2])
    handle(events[-1])  # RunCompleted: the final render happens here
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    metered = Metering.seconds()
    await asyncio.sleep(0.2)  # let a pending coalesced flush fire (it must not, after the end)
    if not handler:
        return {"cpu": cpu}
    result = summary(view, n, rate, cpu, done - last, [s for c in RecordingComm.all for s in c.sent])
    result["cpu"] = cpu
    result["metered_cpu"] = metered
    result["text_ok"] = view.text == expected_text(n)
    return result


def sse_frame(payload: dict[str, Any]) -> bytes:
    return f"event: {payload['event']}\ndata: {json.dumps(payload)}\n\n".encode()


def mock_agent(n: int, rate: int, marks: dict[str, float]) -> Any:
    import httpx

    from agentnb import RemoteAgent

    base = {"run_id": "7e34cd6d-102e-4c00-91ba-223bd32391f0", "session_id": "sess-1", "agent_id": "assistant"}
    frames = [sse_frame({"event": "RunContent", "content": token(i), **base}) for i in range(n)]
    started = sse_frame({"event": "RunStarted", **base})
    completed = sse_frame({"event": "RunCompleted", "content": expected_text(n), **base})
    gap = 1 / rate

    async def body() -> AsyncIterator[bytes]:
        yield started
        for frame in frames[:-1]:
            yield frame
            await asyncio.sleep(gap)
        marks["last_chunk"] = time.perf_counter()
        yield frames[-1]
        yield completed

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/sessions":
            meta = {"page": 1, "limit": 50, "total_pages": 1, "total_count": 0}
            return httpx.Response(200, json={"data": [], "meta": meta})
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())

    return RemoteAgent(
        "http://agentos.bench",
        agent_id="assistant",
        prefetch_config=False,
        transport=httpx.MockTransport(handler),
    )


async def chat_pane_run(n: int, rate: int, widgets_on: bool) -> dict[str, Any]:
    from agentnb.widgets import ChatPane

    marks: dict[str, float] = {}
    agent = mock_agent(n, rate, marks)
    if not widgets_on:  # the same stream, consumed without any widget: decoding alone
        cpu = time.process_time()
        async with agent.arun("hi", stream=True) as stream:
            async for _event in stream:
                pass
        return {"cpu": time.process_time() - cpu}
    pane = ChatPane(agent)
    await asyncio.sleep(0.1)  # the session list loads
    before = {id(c): len(c.sent) for c in RecordingComm.all}
    Metering.start()
    cpu = time.process_time()
    task = pane.send("hi")
    assert task is not None
    await task
    cpu = time.process_time() - cpu
    metered = Metering.seconds()
    # the answer's StreamView sits inside its AgentBubble (``.content``)
    shown = [getattr(c, "content", c) for c in pane.history.children]
    view = next(c for c in shown if type(c).__name__ == "StreamView")
    final_at = flush_times(view)[-1][1]
    sent = [s for c in RecordingComm.all for s in c.sent[before.get(id(c), 0) :]]
    result = summary(view, n, rate, cpu, final_at - marks["last_chunk"], sent)
    result["cpu"] = cpu
    result["metered_cpu"] = metered
    result["text_ok"] = view.text == expected_text(n) and pane.transcript[-1]["text"] == expected_text(n)
    return result


async def naive_run(n: int, rate: int, samples: int = 40) -> dict[str, Any]:
    """Per-chunk ``HTML.value = render_markdown(text)``, measured at sampled chunks."""
    import ipywidgets as widgets

    from agentnb.widgets.render import render_markdown

    text = expected_text(n)
    offsets = [0]
    for i in range(n):
        offsets.append(offsets[-1] + len(token(i)))
    html = widgets.HTML(value="")
    points = sorted({max(1, round(n * k / samples)) for k in range(1, samples + 1)} | {1, n})
    cpu_at: list[tuple[int, float, int]] = []
    latency = 0.0
    for i in points:
        before = len(html.comm.sent)
        t_cpu, t_wall = time.process_time(), time.perf_counter()
        html.value = render_markdown(text[: offsets[i]])
        cpu = time.process_time() - t_cpu
        if i == n:
            latency = time.perf_counter() - t_wall
        sent = html.comm.sent[before:]
        cpu_at.append((i, cpu, sum(message_bytes(s[2]) for s in sent)))

    def integrate(column: int) -> float:
        total = 0.0
        for (i0, *a), (i1, *b) in pairwise(cpu_at):
            total += (a[column] + b[column]) / 2 * (i1 - i0)
        return total + cpu_at[0][column + 1]

    cpu_total = integrate(0)
    return {
        "messages": n,
        "bytes": integrate(1),
        "view_updates": n,
        "max_updates_per_s": min(n, rate),
        "mean_updates_per_s": float(rate),
        "cpu_us_per_chunk": cpu_total / n * 1e6,
        "last_chunk_to_final_render_ms": latency * 1000,
        "exact_final_text": True,
        "text_ok": True,
        "sampled_chunks": len(points),
    }


def shown_html(widget: Any) -> str:
    """Every HTML widget's value under ``widget``, in order: what the browser shows."""
    if hasattr(widget, "children"):
        return "".join(shown_html(child) for child in widget.children)
    return str(widget.value)


async def live_markdown_run(n: int, rate: int, handler: bool) -> dict[str, Any]:
    from agentnb.widgets.live_markdown import LiveMarkdown
    from agentnb.widgets.render import render_markdown
    from agentnb.widgets.throttle import Coalescer

    tokens = [token(i) for i in range(n)]
    text = "".join(tokens)
    live = LiveMarkdown()
    coalescer = Coalescer(live.flush)
    append = live.append if handler else (lambda delta: None)
    touch = coalescer.touch if handler else (lambda: None)
    gap = 1 / rate
    Metering.start()
    cpu = time.process_time()
    for delta in tokens[:-1]:
        append(delta)
        touch()
        await asyncio.sleep(gap)
    last = time.perf_counter()
    append(tokens[-1])
    if handler:  # the end: what StreamView does at RunCompleted
        coalescer.close()
        live.close(text)
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    metered = Metering.seconds()
    await asyncio.sleep(0.2)  # a pending coalesced flush must not fire after the end
    if not handler:
        return {"cpu": cpu}
    sent = [s for c in RecordingComm.all for s in c.sent]
    final = render_markdown(text)
    tail_updates = updates_of(live.tail)
    return {
        "cpu": cpu,
        "metered_cpu": metered,
        "messages": len(sent),
        "bytes": sum(message_bytes(s[2]) for s in sent),
        "final_html_bytes": len(final),
        "view_updates": len(tail_updates),
        "max_updates_per_s": max_per_second([s[0] for s in tail_updates]),
        "last_chunk_to_final_render_ms": (done - last) * 1000,
        "sealed_widgets": live.sealed,
        "children": len(live.children),
        "exact_final_text": shown_html(live) == final and live.text == text,
        "renders": live.blocks.renders,
    }


def live_markdown_rows(n: int, repeats: int) -> tuple[dict[str, Any], list[list[Any]]]:
    """LiveMarkdown at n and 4n chunks, 1,000/s, interleaved with its no-op baseline."""
    rate = 1_000
    results: dict[str, Any] = {}
    for size in (n, 4 * n):
        runs: list[dict[str, Any]] = []
        base: list[float] = []
        for _ in range(repeats):
            base.append(run_on_virtual_loop(live_markdown_run, size, rate, False)["cpu"])
            metered = live_markdown_meter_targets
            runs.append(run_on_virtual_loop(live_markdown_run, size, rate, True, metered=metered))
        merged = {k: median([r[k] for r in runs]) for k in runs[0] if not isinstance(runs[0][k], bool)}
        merged["exact_final_text"] = all(r["exact_final_text"] for r in runs)
        merged["widget_cpu_us_per_chunk"] = merged["metered_cpu"] / size * 1e6
        paired = [r["cpu"] - b for r, b in zip(runs, base, strict=True)]
        merged["difference_us_per_chunk"] = median(paired) / size * 1e6
        merged["bytes_per_final_html"] = merged["bytes"] / merged["final_html_bytes"]
        results[str(size)] = merged
    rows = [
        [
            f"{rate:,}/s: LiveMarkdown, {int(size):,} chunks",
            r["messages"],
            r["bytes"] / 1e6,
            r["max_updates_per_s"],
            r["widget_cpu_us_per_chunk"],
            r["difference_us_per_chunk"],
            r["last_chunk_to_final_render_ms"],
            r["exact_final_text"],
        ]
        for size, r in results.items()
    ]
    return results, rows


def live_markdown_targets(n: int, live: dict[str, Any]) -> dict[str, Any]:
    """The same targets for LiveMarkdown alone (the component; the issue's rows are the views')."""
    small, big = live[str(n)], live[str(4 * n)]
    flat = big["widget_cpu_us_per_chunk"] / small["widget_cpu_us_per_chunk"]
    targets: dict[str, Any] = {
        f"LiveMarkdown alone <= {MAX_US_PER_CHUNK} us per chunk ({n:,} chunks, 1,000/s)": {
            "us_per_chunk": small["widget_cpu_us_per_chunk"],
            "met": small["widget_cpu_us_per_chunk"] <= MAX_US_PER_CHUNK,
        },
        f"LiveMarkdown alone flat: us per chunk at {4 * n:,} within {MAX_FLATNESS}x of {n:,}": {
            "ratio": flat,
            "met": flat <= MAX_FLATNESS,
        },
    }
    for size, r in ((n, small), (4 * n, big)):
        targets[f"LiveMarkdown alone bytes <= {MAX_BYTES_RATIO}x the final HTML ({size:,} chunks), exact"] = {
            "ratio": r["bytes_per_final_html"],
            "exact_final_text": r["exact_final_text"],
            "met": r["bytes_per_final_html"] <= MAX_BYTES_RATIO and r["exact_final_text"],
        }
    return targets


def view_targets(n: int, small: dict[str, Any], big: dict[str, Any]) -> dict[str, Any]:
    """Issue 15's rows for StreamView and ChatPane at 1,000 chunks/s (n and 4n chunks)."""
    targets: dict[str, Any] = {}
    for name in ("StreamView", "ChatPane"):
        us, us_big = small[name]["widget_cpu_us_per_chunk"], big[name]["widget_cpu_us_per_chunk"]
        targets[f"{name} <= {MAX_US_PER_CHUNK} us per chunk ({n:,} chunks, 1,000/s)"] = {
            "us_per_chunk": us,
            "met": us <= MAX_US_PER_CHUNK,
            "issue_row": "widget_cpu",
        }
        targets[f"{name} flat: us per chunk at {4 * n:,} within {MAX_FLATNESS}x of {n:,}"] = {
            "ratio": us_big / us,
            "us_per_chunk_at_4x": us_big,
            "met": us_big / us <= MAX_FLATNESS,
            "issue_row": "widget_cpu",
        }
        for size, r in ((n, small[name]), (4 * n, big[name])):
            ratio = r["bytes"] / r["final_html_bytes"]
            targets[f"{name} bytes <= {MAX_BYTES_RATIO}x the final HTML ({size:,} chunks), exact"] = {
                "ratio": ratio,
                "MB_sent": r["bytes"] / 1e6,
                "exact_final_text": r["exact_final_text"],
                "met": ratio <= MAX_BYTES_RATIO and r["exact_final_text"],
                "issue_row": "widget_bytes",
            }
    return targets


def view_runs(sizes: tuple[int, ...], rate: int, repeats: int) -> list[dict[str, Any]]:
    """StreamView and ChatPane at ``rate``, for each answer size, each with its baseline; medians.

    Inside each repeat every size runs once, so a slower or faster spell of the shared machine
    falls on all of them alike (the flatness row is a ratio of two sizes).
    ``widget_cpu_us_per_chunk`` is the metered CPU inside the widget code; the old measure, the
    run's CPU minus its baseline's (paired per repeat, then the median), is kept beside it as
    ``difference_us_per_chunk``."""
    events = {n: build_events(n) for n in sizes}
    names = ("StreamView", "ChatPane", "baseline", "decode")
    runs: dict[int, dict[str, list[dict[str, Any]]]] = {n: {name: [] for name in names} for n in sizes}
    for _ in range(repeats):
        for n in sizes:
            per_size = runs[n]
            per_size["baseline"].append(run_on_virtual_loop(stream_view_run, n, rate, events[n], False))
            metered = stream_view_meter_targets
            per_size["StreamView"].append(
                run_on_virtual_loop(stream_view_run, n, rate, events[n], True, metered=metered)
            )
            per_size["decode"].append(run_on_virtual_loop(chat_pane_run, n, rate, False))
            per_size["ChatPane"].append(
                run_on_virtual_loop(chat_pane_run, n, rate, True, metered=chat_pane_meter_targets)
            )
    return [merged_views(n, runs[n]) for n in sizes]


def merged_views(n: int, runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    per_size: dict[str, Any] = {}
    for name, base in (("StreamView", runs["baseline"]), ("ChatPane", runs["decode"])):
        rs = runs[name]
        merged = {key: median([r[key] for r in rs]) for key in rs[0] if isinstance(rs[0][key], (int, float))}
        merged["exact_final_text"] = all(r["exact_final_text"] and r["text_ok"] for r in rs)
        merged["widget_cpu_us_per_chunk"] = merged["metered_cpu"] / n * 1e6
        paired = [r["cpu"] - b["cpu"] for r, b in zip(rs, base, strict=True)]
        merged["difference_us_per_chunk"] = median(paired) / n * 1e6
        per_size[name] = merged
    return per_size


def row(label: str, r: dict[str, Any]) -> list[Any]:
    return [
        label,
        r["messages"],
        r["bytes"] / 1e6,
        r["max_updates_per_s"],
        r["widget_cpu_us_per_chunk"],
        r.get("difference_us_per_chunk", r["widget_cpu_us_per_chunk"]),
        r["last_chunk_to_final_render_ms"],
        r["exact_final_text"],
    ]


def main() -> None:
    args = parser(NAME, __doc__, size=10_000, repeats=5).parse_args()
    n, repeats = sizes(args, quick_size=300)
    Metering.overhead_ns = meter_overhead_ns()
    results: dict[str, Any] = {}
    rows = []
    view_runs((min(n, 1_000),), RATES[0], 1)  # warm-up: imports, Pygments' lexer, first widgets
    # at 1,000/s the main size and 4x it (is the cost per chunk flat in the answer's length?)
    main_size, big = view_runs((n, 4 * n), RATES[0], repeats)
    for rate in RATES:
        per_rate = main_size if rate == RATES[0] else view_runs((n,), rate, repeats)[0]
        naive = run_on_virtual_loop(naive_run, n, rate)
        naive["widget_cpu_us_per_chunk"] = naive["cpu_us_per_chunk"]
        per_rate["naive (sampled)"] = naive
        results[str(rate)] = per_rate
        rows += [row(f"{rate:,}/s: {name}", r) for name, r in per_rate.items()]
    results[f"{RATES[0]}_x4"] = big
    rows += [row(f"{RATES[0]:,}/s: {name}, {4 * n:,} chunks", r) for name, r in big.items()]
    live, live_rows = live_markdown_rows(n, repeats)
    results["live_markdown"] = live
    rows += live_rows
    text = table(
        f"Widgets: {n:,} chunks (also {4 * n:,} at 1,000/s), median of {repeats}"
        " (naive: sampled, see method)",
        [
            "rate: widget",
            "messages",
            "MB sent",
            "max upd/s",
            "widget CPU us/chunk (metered)",
            "run - baseline us/chunk",
            "last chunk->final ms",
            "exact text",
        ],
        rows,
    )
    targets = {
        f"at most {MAX_UPDATES_PER_S} updates/s per view, exact final text ({name}, {rate:,}/s)": {
            "max_updates_per_s": results[str(rate)][name]["max_updates_per_s"],
            "exact_final_text": results[str(rate)][name]["exact_final_text"],
            "met": results[str(rate)][name]["max_updates_per_s"] <= MAX_UPDATES_PER_S
            and results[str(rate)][name]["exact_final_text"],
        }
        for rate in RATES
        for name in ("StreamView", "ChatPane")
    }
    issue = view_targets(n, results[str(RATES[0])], big)
    issue.update(live_markdown_targets(n, live))
    targets.update(issue)
    for what, verdict in targets.items():
        shown = ", ".join(
            f"{k} {round(v, 2) if isinstance(v, float) else v}"
            for k, v in verdict.items()
            if k not in ("met", "issue_row")
        )
        print(f"target {what}: {shown} -> {'met' if verdict['met'] else 'MISSED'}")
    verdicts = table(
        f"Incremental rendering (issue 15), 1,000 chunks/s, {n:,} and {4 * n:,} chunks",
        ["target", "measured", "verdict"],
        [
            [what, v.get("us_per_chunk", v.get("ratio")), "met" if v["met"] else "MISSED"]
            for what, v in issue.items()
        ],
    )
    write_results(
        NAME,
        args.out,
        params={"size": n, "repeats": repeats, "rates": list(RATES), "meter_ns": Metering.overhead_ns},
        results=results,
        tables=[text, verdicts],
        targets=targets,
    )


if __name__ == "__main__":
    main()
