"""``scripts/demo`` and ``agentnb demo``'s command line: --help, JupyterLab's argv, exports, long answers."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from agno.models.message import Message

from agentnb.demo import cli, lab
from agentnb.demo.paths import DemoPaths
from agentnb.demo.scripted import chat_markdown, plan_for

REPO = Path(__file__).resolve().parents[2]


def _copy_script(tmp_path: Path) -> Path:
    """``scripts/demo`` in an empty checkout (no .venv), so running it cannot touch the real one."""
    (tmp_path / "scripts").mkdir()
    script = tmp_path / "scripts" / "demo"
    shutil.copy2(REPO / "scripts" / "demo", script)
    return script


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_script_help_installs_nothing(tmp_path: Path, flag: str) -> None:
    script = _copy_script(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'not-installable'\n")
    done = subprocess.run(
        ["bash", str(script), "--port", "8000", flag], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "usage: scripts/demo" in done.stdout and "--port" in done.stdout
    assert not (tmp_path / ".venv").exists()


def test_script_passes_jupyterlab_options_through(tmp_path: Path) -> None:
    script = _copy_script(tmp_path)
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name, body in (("python", "exit 1"), ("agentnb", 'printf "%s\\n" "$@"')):
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    (tmp_path / ".venv" / ".agentnb-lab-stamp").touch()  # "installed": no pyproject.toml is newer
    done = subprocess.run(
        ["bash", str(script), "--port", "8000", "--", "--port=8899", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["demo", "--lab", "--port", "8000", "--", "--port=8899", "--help"]


def _as_root(monkeypatch: pytest.MonkeyPatch, root: bool) -> None:
    monkeypatch.setattr(lab.os, "geteuid", lambda: 0 if root else 1000, raising=False)


@pytest.mark.parametrize("extra", [[], ["--port=8899", "--IdentityProvider.token=x"]])
def test_lab_command_keeps_allow_root_with_extra_options(
    monkeypatch: pytest.MonkeyPatch, extra: list[str]
) -> None:
    _as_root(monkeypatch, True)
    cmd = lab.lab_command(Path("/nb"), no_browser=True, extra=extra)
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"]
    assert cmd.count("--allow-root") == 1 and "--no-browser" in cmd and "--notebook-dir=/nb" in cmd
    assert cmd[len(cmd) - len(extra) :] == extra  # appended after ours, never replacing them


def test_lab_command_adds_allow_root_once_and_only_as_root(monkeypatch: pytest.MonkeyPatch) -> None:
    _as_root(monkeypatch, True)
    assert lab.lab_command(None, no_browser=False, extra=["--allow-root"]).count("--allow-root") == 1
    _as_root(monkeypatch, False)
    assert "--allow-root" not in lab.lab_command(None, no_browser=False, extra=["--port=1"])


def test_cli_builds_the_lab_argv_with_extra_options(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pytest.importorskip("jupyterlab")
    _as_root(monkeypatch, True)
    argv = ["demo", "--lab", "--no-browser", "--no-a2a", "--data-dir", str(tmp_path)]
    args = cli.build_parser().parse_args(argv)
    monkeypatch.setattr(cli, "bind", lambda host, port: _Closable())  # nothing is bound or served
    prepared = cli._prepare(args, ["--port=8899"])
    assert isinstance(prepared, cli.Demo) and prepared.lab_cmd is not None
    assert "--allow-root" in prepared.lab_cmd and prepared.lab_cmd[-1] == "--port=8899"


class _Closable:
    def close(self) -> None:
        pass


def _demo(tmp_path: Path, *argv: str) -> cli.Demo:
    args: argparse.Namespace = cli.build_parser().parse_args(["demo", *argv])
    return cli.Demo(args, DemoPaths.create(str(tmp_path), None), [], None, None)


def test_banner_prints_export_lines(tmp_path: Path) -> None:
    text = cli.banner(_demo(tmp_path, "--port", "8100"))
    lines = [line.strip() for line in text.splitlines()]
    assert "export AGENTNB_DEMO_URL=http://127.0.0.1:8100" in lines
    assert "export AGENTNB_DEMO_A2A_URL=http://127.0.0.1:8101" in lines
    assert lines[-1].startswith("ready: ")
    no_a2a = cli.banner(_demo(tmp_path, "--port", "8100", "--no-a2a"))
    assert "export AGENTNB_DEMO_URL=http://127.0.0.1:8100" in no_a2a
    assert "AGENTNB_DEMO_A2A_URL" not in no_a2a


def test_export_lines_match_the_lab_environment(tmp_path: Path) -> None:
    demo = _demo(tmp_path, "--port", "8100")
    assert cli.export_lines(demo) == [f"export {k}={v}" for k, v in cli.env_vars(demo).items()]
    assert cli.env_vars(demo) == {
        "AGENTNB_DEMO_URL": "http://127.0.0.1:8100",
        "AGENTNB_DEMO_A2A_URL": "http://127.0.0.1:8101",
    }


@pytest.mark.parametrize(
    "ask", ["Please write a long answer.", "Give me a LONG report on agents", "a lengthy reply"]
)
def test_chat_writes_a_long_markdown_answer_on_request(ask: str) -> None:
    plan = plan_for("chat", [Message(role="user", content=ask)])
    text = plan.text
    assert plan.kind == "text" and len(plan.chunks) > 20
    assert len(text.split()) >= 3000
    assert re.search(r"^# ", text, re.M) and re.search(r"^## ", text, re.M)
    assert re.search(r"^- ", text, re.M)
    assert text.count("```python") >= 1 and text.count("```") % 2 == 0
    assert re.search(r"^\|-+\|", text, re.M) and re.search(r"^\| 1 \|", text, re.M)
    assert plan_for("chat", [Message(role="user", content=ask)]).text == text  # deterministic


@pytest.mark.parametrize("ask", ["hello", "how long is the answer?", "answer briefly"])
def test_chat_keeps_its_short_answer_otherwise(ask: str) -> None:
    assert plan_for("chat", [Message(role="user", content=ask)]).text == chat_markdown(ask, 1)


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX only")
def test_demo_help_mentions_allow_root() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "agentnb.demo", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and "--allow-root" in done.stdout
