"""Run every benchmark, one subprocess each, and put the tables into benchmarks/README.md.

    python -m benchmarks                 # everything, full sizes (about ten minutes), README updated
    python -m benchmarks --quick         # tiny sizes, one repeat (what the smoke test runs)
    python -m benchmarks sse_decode tables --repeats 3   # some of them: the README is left alone
    python -m benchmarks tables          # the group: sessions/artifacts tables and the db tables

Each script also runs alone (``python benchmarks/bench_<name>.py --help``) and writes
``benchmarks/results/<name>.json``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import RESULTS, ROOT, machine

NAMES = ("sse_decode", "latency", "a2a_decode", "widgets", "tables", "db_tables", "memory", "batch", "scale")
README = ROOT / "benchmarks" / "README.md"
#: A name that runs several scripts: ``tables`` covers every table, the AgentOS db's included.
GROUPS: dict[str, tuple[str, ...]] = {"tables": ("tables", "db_tables")}

#: Issue 15's table: (what, target, benchmark, issue_row tag, words that find an untagged target).
#: A script tags each target it measures for a row with ``"issue_row"`` in its JSON.
ISSUE_ROWS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    (
        "A2A stream decode, v0.3 and v1.0 JSON-RPC, 10,000 artifact chunks",
        ">= 0.90x raw httpx on both versions (and >= agno on v0.3)",
        "a2a_decode",
        "a2a_decode",
        (),
    ),
    (
        "A2A stream decode over REST (v0.3) and gRPC (v1.0), same stream",
        "measured too; held to the same >= 0.90x, against raw httpx / the raw grpc.aio stub",
        "a2a_decode",
        "a2a_decode_other",
        (),
    ),
    (
        "StreamView / ChatPane widget CPU, 10,000-chunk answer at 1,000 chunks/s",
        "<= 40 us per chunk, and flat (40,000 chunks within 1.5x of 10,000)",
        "widgets",
        "widget_cpu",
        ("us per chunk", "µs per chunk", "us/chunk", "µs/chunk"),
    ),
    (
        "bytes sent to the browser for that answer",
        "<= 3x the final HTML's size",
        "widgets",
        "widget_bytes",
        ("final HTML",),
    ),
    (
        "artifacts_table, 10,000 artifacts over ListTasks",
        "<= 2x raw + pandas",
        "tables",
        "artifacts_table",
        (),
    ),
    ("sessions_table, 10,000 sessions", "<= 1.5x raw + pandas", "tables", "sessions_table", ()),
    ("memories_table, 10,000 memories", "<= 1.5x raw httpx + pandas", "db_tables", "memories_table", ()),
    ("traces_table, 10,000 traces", "<= 1.5x raw httpx + pandas", "db_tables", "traces_table", ()),
    ("AgentOS SSE decode", ">= 0.95x / >= 1.0x raw httpx (frame / 64 KiB)", "sse_decode", "agentos_sse", ()),
    (
        "scale on one client: 1,000 concurrent streams of 200 events",
        ">= 0.85x raw httpx events/s, memory per open stream <= 1.5x raw httpx's, p99 first event <= 3x p50",
        "scale",
        "scale",
        (),
    ),
)
START, END = "<!-- results:start -->", "<!-- results:end -->"


def run(name: str, extra: list[str]) -> float:
    started = time.perf_counter()
    cmd = [sys.executable, "-m", f"benchmarks.bench_{name}", *extra]
    print(f"\n$ {' '.join(cmd)}", flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)
    return time.perf_counter() - started


def results_markdown(
    out: Path, names: tuple[str, ...], seconds: dict[str, float], total: float, issue: str
) -> str:
    info = machine()
    packages = ", ".join(f"{k} {v}" for k, v in info["packages"].items() if v)
    lines = [
        START,
        "",
        f"Run: `python -m benchmarks` on {time.strftime('%Y-%m-%d')}, {total:.0f} s in all "
        f"({', '.join(f'{n} {s:.0f} s' for n, s in seconds.items())}).",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['platform']}, Python {info['python']}; "
        f"load average at the end {', '.join(f'{x:.1f}' for x in info['load_average'] or [])}.",
        "",
        f"Packages: {packages}.",
        "",
        issue,
    ]
    verdicts: list[str] = []
    for name in names:
        path = out / f"{name}.json"
        if not path.exists():
            continue
        data = json.loads(path.read_text())
        lines += [table.rstrip() + "\n" for table in data["tables"]]
        for what, verdict in data.get("targets", {}).items():
            shown = {
                k: (round(v, 3) if isinstance(v, float) else v)
                for k, v in verdict.items()
                if k not in ("met", "issue_row")
            }
            verdicts.append(f"| {what} | {shown} | {'met' if verdict['met'] else '**missed**'} |")
    if verdicts:
        lines += ["### Targets", "", "| target | measured | verdict |", "|---|---|---|", *verdicts, ""]
    lines.append(END)
    return "\n".join(lines)


def _shown(verdict: dict[str, Any]) -> str:
    return ", ".join(
        f"{k} {round(v, 3) if isinstance(v, float) else v}"
        for k, v in verdict.items()
        if k not in ("met", "issue_row")
    )


def issue_table(out: Path, names: tuple[str, ...]) -> str:
    """Issue 15's rows, each with its target, what this run measured, and the verdict."""
    lines = [
        "### Issue 15: targets of this run",
        "",
        "| what | target | measured | verdict |",
        "|---|---|---|---|",
    ]
    for what, target, name, tag, words in ISSUE_ROWS:
        path = out / f"{name}.json"
        found: list[tuple[str, dict[str, Any]]] = []
        if name in names and path.exists():
            targets = json.loads(path.read_text()).get("targets", {})
            found = [(k, v) for k, v in targets.items() if v.get("issue_row") == tag]
            if not found and words:
                found = [(k, v) for k, v in targets.items() if any(w in k for w in words)]
        if not found:
            lines.append(f"| {what} | {target} | not measured in this run | - |")
            continue
        measured = "; ".join(f"{k}: {_shown(v)}" for k, v in found)
        verdict = "met" if all(v["met"] for _, v in found) else "**missed**"
        lines.append(f"| {what} | {target} | {measured} | {verdict} |")
    text = "\n".join(lines) + "\n"
    print("\n" + text, flush=True)
    return text


def update_readme(block: str) -> None:
    text = README.read_text() if README.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else text + "\n" + block + "\n"
    README.write_text(text)
    print(f"updated {README}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", choices=[*NAMES, []], help="which benchmarks (default: all)")
    p.add_argument("--quick", action="store_true", help="tiny sizes, one repeat; the README is left alone")
    p.add_argument("--repeats", type=int, help="passed to every script")
    p.add_argument("--out", type=Path, default=RESULTS, help="folder for the JSON files")
    p.add_argument(
        "--no-readme", action="store_true", help="do not update benchmarks/README.md (only a full run does)"
    )
    args = p.parse_args()
    # Expand groups, keeping order and running each script once.
    names = tuple(dict.fromkeys(n for name in args.names or NAMES for n in GROUPS.get(name, (name,))))
    extra = ["--out", str(args.out)]
    if args.quick:
        extra.append("--quick")
    if args.repeats:
        extra += ["--repeats", str(args.repeats)]
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    for name in names:
        seconds[name] = run(name, extra)
    total = time.perf_counter() - started
    print(f"\nall benchmarks: {total:.0f} s ({', '.join(f'{n} {s:.0f} s' for n, s in seconds.items())})")
    issue = issue_table(args.out, names)
    if args.quick or args.no_readme or args.out.resolve() != RESULTS.resolve():
        return
    if set(names) != set(NAMES):
        # The README's block is one whole run: a partial run would replace every other script's
        # tables with nothing, and its issue table would read "not measured" for their rows.
        print(f"{README} left alone: only a run of every benchmark updates it")
        return
    update_readme(results_markdown(args.out, names, seconds, total, issue))


if __name__ == "__main__":
    main()
