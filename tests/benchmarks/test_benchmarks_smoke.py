"""Each benchmark script runs end to end on tiny sizes, so the benchmarks don't rot.

Only that they run and write their JSON is checked here; their figures are never asserted
(benchmarks/README.md has those, from a full run).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ("sse_decode", "latency", "a2a_decode", "widgets", "tables", "db_tables", "memory", "batch", "scale")


@pytest.mark.parametrize("name", SCRIPTS)
def test_benchmark_runs_quick_and_writes_its_json(name: str, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / f"bench_{name}.py"), "--quick", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads((tmp_path / f"{name}.json").read_text())
    assert {"benchmark", "when", "params", "machine", "results", "targets", "tables"} <= set(data)
    assert data["benchmark"] == name and data["results"] and data["tables"]
    assert data["machine"]["cores"] and data["machine"]["packages"]["agentnb"]
    assert "| " in data["tables"][0]  # the printed, aligned table
