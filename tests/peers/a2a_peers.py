"""Start the real A2A test peers (a2a-sdk 0.3.x and 1.x servers) as subprocesses for pytest.

* ``start_a2a_v03(workdir)``: ``a2a_server_v03.py`` with the current interpreter (a2a-sdk 0.3.x is
  installed next to agno, which pins ``a2a-sdk<1.0``).
* ``start_a2a_v1(workdir, compat=...)``: ``a2a_server_v1.py`` inside a private virtualenv with
  a2a-sdk 1.x, built on first use by ``ensure_a2a_v1_venv()`` under ``<repo>/.peers/`` (git-ignored).

Each returns an ``A2APeer`` once ``/.well-known/agent-card.json`` answers 200; call ``stop()``.
Wire shapes of the peers: ``A2A_PEERS.md`` next to this file.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

PEERS_DIR = Path(__file__).resolve().parent
REPO_ROOT = PEERS_DIR.parent.parent
V1_VENV_DIR = REPO_ROOT / ".peers" / "a2a-v1-venv"
V1_REQUIREMENTS: tuple[str, ...] = ("a2a-sdk[http-server]==1.3.0", "uvicorn==0.54.0")
#: What the features peer adds to that venv: a2a-sdk's ``signing`` extra (PyJWT + cryptography) and
#: its ``grpc`` extra (grpcio + googleapis-common-protos, for the gRPC server).
#: Installed on top by ``ensure_a2a_v1_features_venv`` rather than folded into V1_REQUIREMENTS,
#: so the base venv's marker (shared by every checkout that links ``.peers``) stays the same.
V1_FEATURE_REQUIREMENTS: tuple[str, ...] = ("a2a-sdk[http-server,signing,grpc]==1.3.0",)
_FEATURES_MARKER_NAME = "agentnb-peer-features.json"
CARD_PATH = "/.well-known/agent-card.json"
STARTUP_TIMEOUT_S = 60.0
VENV_BUILD_TIMEOUT_S = 900.0
_MARKER_NAME = "agentnb-peer-requirements.json"

# The features peer (a2a_server_v1_features.py) and the tests that talk to it share these.
FEATURES_TOKEN = "features-peer-token-7c1e"
FEATURES_TENANT = "acme"
FEATURES_KID = "features-key-1"
FEATURES_CACHE_CONTROL = "public, max-age=60"
EXT_ECHO = "https://agentnb.test/extensions/echo/v1"
EXT_REQUIRED = "https://agentnb.test/extensions/required/v1"
EXTENDED_SKILL = "Admin report"


@dataclass
class A2APeer:
    """A running A2A peer process."""

    base_url: str
    pid: int
    process: subprocess.Popen[bytes]
    log_path: Path
    #: ``host:port`` of the peer's gRPC server, for peers that serve one.
    grpc_target: str | None = None

    @property
    def card_url(self) -> str:
        return self.base_url + CARD_PATH

    def log_tail(self, lines: int = 40) -> str:
        return _tail(self.log_path, lines)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, wait, then SIGKILL if needed. Safe to call twice."""
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            self.process.wait(timeout=timeout)


def free_port(host: str = "127.0.0.1") -> int:
    """A port that was free a moment ago on ``host``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "<no log>"
    return "\n".join(text.splitlines()[-lines:])


def _start_peer(
    name: str,
    python: Path | str,
    script: Path,
    extra_args: Sequence[str],
    workdir: Path,
    env: dict[str, str],
    timeout: float = STARTUP_TIMEOUT_S,
) -> A2APeer:
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = workdir / f"{name}-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(python), str(script), "--host", "127.0.0.1", "--port", str(port), *extra_args],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=str(REPO_ROOT),
            env=env,
        )
    peer = A2APeer(base_url=base_url, pid=process.pid, process=process, log_path=log_path)
    try:
        _wait_ready(name, peer, timeout)
    except BaseException:
        peer.stop()
        raise
    return peer


def _wait_ready(name: str, peer: A2APeer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last_error = ""
    with httpx.Client(timeout=2.0, trust_env=False) as client:
        while True:
            code = peer.process.poll()
            if code is not None:
                raise RuntimeError(
                    f"{name} peer exited early with code {code}; log {peer.log_path}:\n{peer.log_tail()}"
                )
            try:
                response = client.get(peer.card_url)
                if response.status_code == 200:
                    return
                last_error = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                last_error = repr(exc)
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{name} peer not ready after {timeout:.0f}s ({last_error}); "
                    f"log {peer.log_path}:\n{peer.log_tail()}"
                )
            time.sleep(0.1)


def start_a2a_v03(workdir: Path, *, timeout: float = STARTUP_TIMEOUT_S) -> A2APeer:
    """Start the a2a-sdk 0.3.x peer (v0.3 JSON-RPC at ``/`` + REST under ``/v1``)."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return _start_peer(
        "a2a-v03", sys.executable, PEERS_DIR / "a2a_server_v03.py", [], Path(workdir), env, timeout
    )


def start_a2a_v1(workdir: Path, *, compat: bool, timeout: float = STARTUP_TIMEOUT_S) -> A2APeer:
    """Start the a2a-sdk 1.x peer (v1.0 JSON-RPC + REST; ``compat`` adds the SDK's v0.3 layer)."""
    python = ensure_a2a_v1_venv() / "bin" / "python"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"}
    }
    env["PYTHONUNBUFFERED"] = "1"
    return _start_peer(
        "a2a-v1-compat" if compat else "a2a-v1",
        python,
        PEERS_DIR / "a2a_server_v1.py",
        ["--compat"] if compat else [],
        Path(workdir),
        env,
        timeout,
    )


def start_a2a_v1_features(workdir: Path, *, timeout: float = STARTUP_TIMEOUT_S) -> A2APeer:
    """Start the a2a-sdk 1.x peer with tenants, extended/signed cards, extensions and push on."""
    python = ensure_a2a_v1_features_venv() / "bin" / "python"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"}
    }
    env["PYTHONUNBUFFERED"] = "1"
    grpc_port = free_port()
    peer = _start_peer(
        "a2a-v1-features",
        python,
        PEERS_DIR / "a2a_server_v1_features.py",
        ["--grpc-port", str(grpc_port)],
        Path(workdir),
        env,
        timeout,
    )
    peer.grpc_target = f"127.0.0.1:{grpc_port}"
    return peer


def _expected_marker() -> dict[str, object]:
    return {
        "requirements": list(V1_REQUIREMENTS),
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
    }


def _venv_is_current(venv: Path) -> bool:
    marker = venv / _MARKER_NAME
    if not (venv / "bin" / "python").exists() or not marker.exists():
        return False
    try:
        return bool(json.loads(marker.read_text()) == _expected_marker())
    except (OSError, ValueError):
        return False


@contextlib.contextmanager
def _file_lock(path: Path, timeout: float) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"could not lock {path} within {timeout:.0f}s") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def ensure_a2a_v1_venv(venv: Path = V1_VENV_DIR) -> Path:
    """Return a virtualenv with a2a-sdk 1.x (``V1_REQUIREMENTS``), building it if needed.

    Reused when its marker file matches the pinned requirements; a lock file next to it keeps two
    pytest processes from building it at the same time.
    """
    if _venv_is_current(venv):
        return venv
    with _file_lock(venv.with_name(venv.name + ".lock"), VENV_BUILD_TIMEOUT_S):
        if _venv_is_current(venv):
            return venv
        if venv.exists():
            shutil.rmtree(venv)
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [
                str(venv / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--quiet",
                *V1_REQUIREMENTS,
            ],
        ]
        env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
        for argv in steps:
            result = subprocess.run(
                argv,
                capture_output=True,
                text=True,
                timeout=VENV_BUILD_TIMEOUT_S,
                env=env,
                check=False,
            )
            if result.returncode != 0:
                shutil.rmtree(venv, ignore_errors=True)
                output = (result.stdout + result.stderr).strip().splitlines()
                raise RuntimeError(
                    f"building the a2a-sdk 1.x venv failed: {' '.join(argv)} -> "
                    f"{result.returncode}\n" + "\n".join(output[-30:])
                )
        (venv / _MARKER_NAME).write_text(json.dumps(_expected_marker()))
    return venv


def ensure_a2a_v1_features_venv(venv: Path = V1_VENV_DIR) -> Path:
    """The a2a-sdk 1.x venv with ``V1_FEATURE_REQUIREMENTS`` installed on top (once)."""
    ensure_a2a_v1_venv(venv)
    marker = venv / _FEATURES_MARKER_NAME
    wanted = json.dumps(list(V1_FEATURE_REQUIREMENTS))
    if marker.exists() and marker.read_text() == wanted:
        return venv
    with _file_lock(venv.with_name(venv.name + ".lock"), VENV_BUILD_TIMEOUT_S):
        if marker.exists() and marker.read_text() == wanted:
            return venv
        argv = [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--quiet",
        ]
        env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
        result = subprocess.run(
            [*argv, *V1_FEATURE_REQUIREMENTS],
            capture_output=True,
            text=True,
            timeout=VENV_BUILD_TIMEOUT_S,
            env=env,
            check=False,
        )
        if result.returncode != 0:
            output = (result.stdout + result.stderr).strip().splitlines()
            raise RuntimeError(
                f"installing {V1_FEATURE_REQUIREMENTS} into {venv} failed:\n" + "\n".join(output[-30:])
            )
        marker.write_text(wanted)
    return venv
