"""Run every benchmark, one subprocess each, and put the tables into benchmarks/README.md.

    python -m benchmarks                 # everything, full sizes (under five minutes), README updated
    python -m benchmarks --quick         # tiny sizes, one repeat (what the smoke test runs)
    python -m benchmarks sse_decode tables --repeats 3

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

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import RESULTS, ROOT, machine

NAMES = ("sse_decode", "latency", "a2a_decode", "widgets", "tables", "db_tables", "memory")
README = ROOT / "benchmarks" / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"


def run(name: str, extra: list[str]) -> float:
    started = time.perf_counter()
    cmd = [sys.executable, "-m", f"benchmarks.bench_{name}", *extra]
    print(f"\n$ {' '.join(cmd)}", flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)
    return time.perf_counter() - started


def results_markdown(out: Path, names: tuple[str, ...], seconds: dict[str, float], total: float) -> str:
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
                k: (round(v, 3) if isinstance(v, float) else v) for k, v in verdict.items() if k != "met"
            }
            verdicts.append(f"| {what} | {shown} | {'met' if verdict['met'] else '**missed**'} |")
    if verdicts:
        lines += ["### Targets", "", "| target | measured | verdict |", "|---|---|---|", *verdicts, ""]
    lines.append(END)
    return "\n".join(lines)


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
    p.add_argument("--no-readme", action="store_true", help="do not update benchmarks/README.md")
    args = p.parse_args()
    names = tuple(args.names) or NAMES
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
    if not args.quick and not args.no_readme and args.out.resolve() == RESULTS.resolve():
        update_readme(results_markdown(args.out, names, seconds, total))


if __name__ == "__main__":
    main()
