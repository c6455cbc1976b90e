"""An optional commit of the folder before each sync, when the folder is a git
repository: one `git checkout` away from the files as they were."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

MESSAGE = "Context Connect: snapshot before syncing with Anki"


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=folder, capture_output=True, text=True, timeout=60, check=False
    )


def snapshot(folder: Path) -> str | None:
    """Commit every change in the folder; a warning when that was not possible."""
    if not (folder / ".git").exists():
        return None
    if shutil.which("git") is None:
        return "git snapshot skipped: git is not installed"
    status = _git(folder, "status", "--porcelain", "--", ".")
    if status.returncode != 0:
        return f"git snapshot skipped: {status.stderr.strip()}"
    if not status.stdout.strip():
        return None
    identity: list[str] = []
    if not _git(folder, "config", "user.email").stdout.strip():
        identity = ["-c", "user.name=Context Connect", "-c", "user.email=context-connect@localhost"]
    _git(folder, "add", "-A", "--", ".")
    done = _git(folder, *identity, "commit", "-q", "-m", MESSAGE, "--", ".")
    if done.returncode != 0:
        return f"git snapshot failed: {(done.stderr or done.stdout).strip()}"
    return None
