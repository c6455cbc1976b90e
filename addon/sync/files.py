"""Writing the folder's files so that a crash, a full disk or a kill leaves each file
either as it was or as it should be, never half written."""

from __future__ import annotations

import ctypes
import os
import platform
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
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
    _check(path, expected)
    write_atomic(path, text.encode("utf-8"))


# Many files at once: their temporary files reach the disk in parallel (a journal
# commits concurrent syncs together), which for a vault of thousands of notes is the
# difference between seconds and a moment.
PARALLEL_SYNCS = 16
# From this many files on, Linux flushes their whole file system once (syncfs)
# instead of each file: one wait for the disk instead of one per file.
MANY_FILES = 64


def replace_texts(writes: list[tuple[Path, bytes | None, str]]) -> dict[Path, Exception]:
    """`replace_text` for many files, made durable together: every file is written to
    a temporary file, all of them are synced to disk, then each is renamed over its
    target (if it still holds what it held) and each folder is synced once. Returns the
    files not written, with the reason; the others are written."""
    failures: dict[Path, Exception] = {}
    staged: list[tuple[Path, Path, bytes | None]] = []
    for path, expected, text in writes:
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            _check(path, expected)
            temporary.write_bytes(text.encode("utf-8"))
            staged.append((temporary, path, expected))
        except (ChangedMeanwhile, OSError) as exc:
            temporary.unlink(missing_ok=True)
            failures[path] = exc
    flush = _file_system_flush() if len(staged) >= MANY_FILES else None
    directories = {path.parent for _, path, _ in staged}
    try:
        if flush is not None:
            flush(directories)
        else:
            with ThreadPoolExecutor(PARALLEL_SYNCS) as pool:
                list(pool.map(_sync_file, [temporary for temporary, _, _ in staged]))
        for temporary, path, expected in staged:
            try:
                _check(path, expected)  # saved by an editor while the others synced
                os.replace(temporary, path)
            except (ChangedMeanwhile, OSError) as exc:
                failures[path] = exc
    finally:
        for temporary, _, _ in staged:
            temporary.unlink(missing_ok=True)
    if flush is not None:
        flush(directories)
    else:
        for directory in directories:
            _sync_directory(directory)
    return failures


@cache
def _file_system_flush() -> Callable[[Iterable[Path]], None] | None:
    """Linux's syncfs, which flushes the file system holding a folder; None where it
    is missing, or where it does not report write errors (before Linux 5.8): there
    each file is flushed by itself."""
    if sys.platform != "linux":
        return None
    try:
        major, minor = (int(part) for part in platform.release().split(".")[:2])
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (ValueError, OSError, AttributeError):
        return None
    if (major, minor) < (5, 8):
        return None

    def flush(directories: Iterable[Path]) -> None:
        devices: dict[int, Path] = {}
        for directory in directories:
            devices.setdefault(os.stat(directory).st_dev, directory)
        for directory in devices.values():
            descriptor = os.open(directory, os.O_RDONLY)
            try:
                if syncfs(descriptor) != 0:
                    error = ctypes.get_errno()
                    raise OSError(error, f"{directory}: {os.strerror(error)}")
            finally:
                os.close(descriptor)

    return flush


def _check(path: Path, expected: bytes | None) -> None:
    try:
        current: bytes | None = path.read_bytes()
    except FileNotFoundError:
        current = None
    if current != expected:
        raise ChangedMeanwhile(f"{path.name} changed while syncing: sync again")


def _sync_file(path: Path) -> None:
    with open(path, "rb") as file:
        os.fsync(file.fileno())
