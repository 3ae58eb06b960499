"""Where the demo keeps its files: a per-user data folder, like platformdirs, without the dependency."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "agentnb"

# Files the File Agent's sandbox starts with (restored on every start when missing).
SANDBOX_SEED: dict[str, str] = {
    "notes.txt": "Buy milk.\nCall Ada about the demo.\n",
    "draft.md": "# Draft\n\nA first draft of the agentnb blog post.\n",
    "old.log": "2024-01-01 12:00:00 INFO nothing to see here\n",
}


def default_data_dir() -> Path:
    """The per-user data folder: ``$XDG_DATA_HOME/agentnb`` or ``~/.local/share/agentnb``.

    Windows: ``%LOCALAPPDATA%\\agentnb``; macOS: ``~/Library/Application Support/agentnb``.
    """
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    xdg = os.environ.get("XDG_DATA_HOME")
    base_path = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base_path / APP_NAME


@dataclass(frozen=True)
class DemoPaths:
    """The demo's files, all under one data folder unless ``--db`` says otherwise."""

    data_dir: Path
    db_file: Path

    @classmethod
    def create(cls, data_dir: str | os.PathLike[str] | None, db: str | os.PathLike[str] | None) -> DemoPaths:
        """Resolve the folders (creating them) from the ``--data-dir`` and ``--db`` options."""
        root = Path(data_dir).expanduser() if data_dir else default_data_dir()
        root = root.resolve()
        db_file = Path(db).expanduser().resolve() if db else root / "demo.db"
        root.mkdir(parents=True, exist_ok=True)
        db_file.parent.mkdir(parents=True, exist_ok=True)
        return cls(data_dir=root, db_file=db_file)

    @property
    def sandbox(self) -> Path:
        """The only folder the File Agent may delete in."""
        return self.data_dir / "sandbox"

    @property
    def outbox(self) -> Path:
        """Where the Email Agent "sends" mail: one JSON object per line."""
        return self.data_dir / "outbox.jsonl"

    def seed_sandbox(self) -> list[str]:
        """Create the sandbox and put back any missing seed file; returns the names restored."""
        self.sandbox.mkdir(parents=True, exist_ok=True)
        restored = []
        for name, text in SANDBOX_SEED.items():
            path = self.sandbox / name
            if not path.exists():
                path.write_text(text, encoding="utf-8")
                restored.append(name)
        return restored
