"""Writing the folder's files so that a crash, a full disk or a kill leaves each file
either as it was or as it should be, never half written."""

from __future__ import annotations

import os
from pathlib import Path


class ChangedMeanwhile(RuntimeError):
    """The file changed on disk after the sync read it; it was not overwritten."""


def write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    """The rename itself must reach the disk too."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform (Windows); the rename is still atomic
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def replace_text(path: Path, expected: bytes | None, text: str) -> None:
    """Write `text` unless the file no longer holds `expected` (None: must not exist):
    an edit saved while the sync ran is never overwritten."""
    try:
        current: bytes | None = path.read_bytes()
    except FileNotFoundError:
        current = None
    if current != expected:
        raise ChangedMeanwhile(f"{path.name} changed while syncing: sync again")
    write_atomic(path, text.encode("utf-8"))
