"""Shared pieces of the benchmarks: the local server, timing helpers, the table and the JSON file.

The machine these run on is shared and noisy, so every figure is taken side by side in the same
run (contenders interleaved, round-robin, inside each repeat), summarised by the median over the
repeats, and compared as ratios.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"

PACKAGES = (
    "agentnb",
    "agno",
    "a2a-sdk",
    "httpx",
    "httpcore",
    "h11",
    "httpx-sse",
    "pydantic",
    "pydantic-core",
    "ipywidgets",
    "markdown-it-py",
    "pandas",
    "uvicorn",
    "starlette",
)


# --------------------------------------------------------------------------- command line


def parser(name: str, doc: str | None, *, size: int, repeats: int) -> argparse.ArgumentParser:
    """The options every benchmark script takes."""
    p = argparse.ArgumentParser(prog=f"benchmarks/{name}.py", description=(doc or "").splitlines()[0])
    p.add_argument("--size", type=int, default=None, help=f"problem size (default {size})")
    p.add_argument(
        "--repeats", type=int, default=None, help=f"repeats; medians are reported (default {repeats})"
    )
    p.add_argument("--quick", action="store_true", help="tiny sizes and one repeat (the smoke test)")
    p.add_argument(
        "--out", type=Path, default=RESULTS, help="folder for <name>.json (default benchmarks/results)"
    )
    p.set_defaults(_default_size=size, _default_repeats=repeats)
    return p


def sizes(args: argparse.Namespace, quick_size: int) -> tuple[int, int]:
    """(size, repeats) from the options: ``--quick`` means a tiny size and one repeat."""
    size = args.size or (quick_size if args.quick else args._default_size)
    repeats = args.repeats or (1 if args.quick else args._default_repeats)
    return size, repeats


# --------------------------------------------------------------------------- the local server


@contextlib.contextmanager
def local_server() -> Iterator[str]:
    """Start ``benchmarks._server`` as a subprocess on a free port; yield its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks._server", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"the benchmark server did not start (said {line!r})")
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --------------------------------------------------------------------------- timing


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: Sequence[float]) -> float:
    """Relative half-range of the middle half (interquartile / 2 / median): the noise we saw."""
    if len(values) < 3:
        return float("nan")
    q = statistics.quantiles(values, n=4)
    mid = statistics.median(values)
    return (q[2] - q[0]) / 2 / mid if mid else float("nan")


def round_robin(
    names: Sequence[str], repeats: int, run: Callable[[str, int], float]
) -> dict[str, list[float]]:
    """Call ``run(name, repeat)`` for every name in every repeat, rotating the order each repeat."""
    samples: dict[str, list[float]] = {n: [] for n in names}
    for r in range(repeats):
        k = r % len(names)
        for name in [*names[k:], *names[:k]]:
            samples[name].append(run(name, r))
    return samples


class Timer:
    """``with Timer() as t: ...`` then ``t.seconds`` (perf_counter) and ``t.cpu`` (process time)."""

    def __enter__(self) -> Timer:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu


# --------------------------------------------------------------------------- output


def fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        if value != value:  # nan
            return "n/a"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.{digits}g}" if abs(value) < 1 else f"{value:,.{max(0, digits - 2)}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """An aligned plain-text table (also valid Markdown), printed and returned."""
    cells = [[fmt(c) if not isinstance(c, str) else c for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return (
            "| "
            + " | ".join(
                v.ljust(w) if i == 0 else v.rjust(w)
                for i, (v, w) in enumerate(zip(values, widths, strict=True))
            )
            + " |"
        )

    out = [f"### {title}", "", line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in cells]
    text = "\n".join(out) + "\n"
    print(text, flush=True)
    return text


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "packages": versions,
    }


def write_results(
    name: str,
    out: Path,
    *,
    params: dict[str, Any],
    results: Any,
    tables: Sequence[str],
    targets: dict[str, Any] | None = None,
) -> Path:
    """Write ``<out>/<name>.json``: the parameters, machine, results, targets and printed tables."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.json"
    payload = {
        "benchmark": name,
        "when": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "params": params,
        "machine": machine(),
        "results": results,
        "targets": targets or {},
        "tables": list(tables),
    }
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    tmp.replace(path)
    print(f"wrote {path}", flush=True)
    return path
