"""The layering rules of DESIGN.md ("Layers"), written out here and checked on every import.

    magics/                           %agent / %%agent (uses widgets and tables)
    widgets/  tables/                 the notebook face                     (may use the layers below)
    batch/                            many runs as a DataFrame (pandas, tqdm); the facade's abatch
                                      methods load it on first call, never by an import
    remote/                           the agno-shaped facade: knows both protocols
    agentos/  a2a/                    protocol clients: never import each other
    runs/                             the neutral model of a run
    _stream                           one stream engine
    _http  _sse  _sync  errors ...    plumbing

Imports point down only; the core (everything below the notebook face) never imports the widget
or dataframe libraries; the notebook face sees runs/, remote/ and the public A2A/AgentOS models and
clients, never a protocol's internals, and never branches on the protocol.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "agentnb"

#: Layer of each top-level part of the package (higher may import lower, never the reverse).
LAYER = {
    "errors": 0,
    "_model": 1,
    "_repr": 1,
    "media": 1,
    "_sse": 1,
    "_literal": 1,
    "_http": 2,
    "_sync": 3,
    "_stream": 4,
    "runs": 5,
    "agentos": 6,
    "a2a": 6,
    "events": 7,  # agno's event names in one module: re-exports runs/
    "remote": 7,
    "batch": 8,  # DataFrames of many runs; RemoteAgent/A2AClient.abatch load it on first call
    "widgets": 9,
    "tables": 9,  # compare_table runs its prompts through batch
    "magics": 10,
}
NOTEBOOK_FACE = {"batch", "widgets", "tables", "magics"}
NOTEBOOK_LIBRARIES = {
    "ipywidgets", "IPython", "pandas", "anywidget", "markdown_it", "pygments", "matplotlib", "tqdm",
}  # fmt: skip
#: What the notebook face may import from the layers below it.
FACE_MAY_USE = (
    "agentnb.runs",
    "agentnb.remote",
    "agentnb.a2a",  # only the public modules: see FACE_MAY_NOT_USE
    "agentnb.agentos.models",
    "agentnb.agentos.db_models",  # memories, traces, evals, metrics: public models like models.py
    "agentnb.agentos.knowledge_models",
    "agentnb.errors",
    "agentnb.media",
    "agentnb._repr",
    "agentnb._sync",
)
FACE_MAY_NOT_USE = (
    "agentnb.remote._",
    "agentnb.a2a.dialects",
    "agentnb.a2a.v03_objects",
    "agentnb.a2a.v10_objects",
    "agentnb.a2a._wire",
    "agentnb.a2a.tasks",
)
#: Words that mean the notebook face is branching on the protocol.
PROTOCOL_BRANCHES = ("agentos_client", "a2a_client", "protocol ==", "protocol !=", '.protocol in ("')
MAX_LINES = 400


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "demo" not in p.relative_to(PACKAGE).parts)


def part_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def imported_modules(path: Path) -> list[str]:
    """Every module ``path`` imports, at any depth (function-level imports count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            # ``from agentnb import _sync`` imports the module agentnb._sync
            names += [f"{node.module}.{alias.name}" for alias in node.names if node.module == "agentnb"]
    return names


def agentnb_part(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "agentnb" or len(parts) < 2:
        return None
    return parts[1]


CASES = [
    pytest.param(p, id=str(p.relative_to(PACKAGE)))
    for p in modules()
    if p.name != "__init__.py" or p.parent != PACKAGE
]


@pytest.mark.parametrize("path", CASES)
def test_imports_point_down_and_protocols_stay_apart(path: Path) -> None:
    here = part_of(path)
    assert here in LAYER, f"{path.name}: add its part {here!r} to LAYER (and to DESIGN.md)"
    for module in imported_modules(path):
        top = module.split(".")[0]
        if here not in NOTEBOOK_FACE:
            assert top not in NOTEBOOK_LIBRARIES, f"core module {path.name} imports {module}"
        there = agentnb_part(module)
        if there is None or there == here or there not in LAYER:
            continue
        assert LAYER[there] < LAYER[here], f"{path.relative_to(PACKAGE)} imports {module}: upward or sideways"


@pytest.mark.parametrize("path", [c for c in CASES if part_of(c.values[0]) in NOTEBOOK_FACE])  # type: ignore[union-attr]
def test_the_notebook_face_sees_no_protocol_internals(path: Path) -> None:
    here = part_of(path)
    for module in imported_modules(path):
        there = agentnb_part(module)
        if there is None or there == here or there in NOTEBOOK_FACE:
            continue
        assert module.startswith(FACE_MAY_USE), f"{path.name} imports {module}"
        assert not module.startswith(FACE_MAY_NOT_USE), f"{path.name} imports the internals {module}"
    source = path.read_text(encoding="utf-8")
    for words in PROTOCOL_BRANCHES:
        assert words not in source, f"{path.name} branches on the protocol ({words!r})"


def test_agentos_and_a2a_never_import_each_other() -> None:
    # Also covered by the layer numbers (both are 6); spelled out because it is the rule most at risk.
    for path in modules():
        here = part_of(path)
        if here in ("agentos", "a2a"):
            other = "a2a" if here == "agentos" else "agentos"
            bad = [m for m in imported_modules(path) if agentnb_part(m) == other]
            assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines (split them by idea): {long}"


def test_the_rules_catch_a_forbidden_import(tmp_path: Path) -> None:
    # The checks above must be able to fail: an a2a module importing agentos is seen.
    fake = tmp_path / "agentnb" / "a2a" / "bad.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("from agentnb.agentos.client import AgentOSClient\nimport pandas\n")
    assert "agentnb.agentos.client" in imported_modules(fake) and "pandas" in imported_modules(fake)
    assert agentnb_part("agentnb.agentos.client") == "agentos"
