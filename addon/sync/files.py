"""Writing the folder's files so that a crash, a full disk or a kill leaves each file
either as it was or as it should be, never half written."""

from __future__ import annotations

import ctypes
import os
import platform
import sys
import threading
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
    staged: list[tuple[str, Path, bytes | None]] = []
    suffix = f".{os.getpid()}.tmp"
    for path, expected, text in writes:
        folder, name = os.path.split(path)
        temporary = os.path.join(folder, f".{name}{suffix}")
        try:
            with open(temporary, "wb") as out:
                out.write(text.encode("utf-8"))
            staged.append((temporary, path, expected))
        except OSError as exc:
            _remove(temporary)
            failures[path] = exc
    flush = _file_system_flush() if len(staged) >= MANY_FILES else None
    directories = {path.parent for _, path, _ in staged}
    held: list[int] = []
    placed = 0
    try:
        if flush is not None:
            flush(directories)
        else:
            with ThreadPoolExecutor(PARALLEL_SYNCS) as pool:
                list(pool.map(_sync_file, [temporary for temporary, _, _ in staged]))
        room = _spare_descriptors() if flush is not None else 0
        for temporary, path, expected in staged:
            try:
                # An edit saved since the sync read the file is never overwritten.
                descriptor = _check(path, expected, hold=len(held) < room)
                if descriptor is not None:
                    held.append(descriptor)
                os.replace(temporary, path)
            except (ChangedMeanwhile, OSError) as exc:
                failures[path] = exc
                _remove(temporary)
            placed += 1
    finally:
        for temporary, _, _ in staged[placed:]:
            _remove(temporary)
        if held:
            _release(held)
    if flush is not None:
        flush(directories)
    else:
        for directory in directories:
            _sync_directory(directory)
    return failures


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


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


def _check(path: Path, expected: bytes | None, hold: bool = False) -> int | None:
    """Whether the file still holds `expected` (None: it must not exist); with `hold`,
    the file stays open (its descriptor returned), so that replacing it does not wait
    for the system to free it: see `_release`."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        if expected is not None:
            raise ChangedMeanwhile(f"{path.name} changed while syncing: sync again") from None
        return None
    try:
        with os.fdopen(os.dup(descriptor), "rb") as file:
            if file.read() != expected:
                raise ChangedMeanwhile(f"{path.name} changed while syncing: sync again")
    except BaseException:
        os.close(descriptor)
        raise
    if hold:
        return descriptor
    os.close(descriptor)
    return None


def _spare_descriptors() -> int:
    """How many replaced files may stay open until `_release`: well within the
    process's limit, whatever else is open."""
    import resource  # Unix only: this runs only where syncfs does

    try:
        limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        used = len(os.listdir("/proc/self/fd"))
    except (OSError, ValueError):
        return 0
    return max(0, min(limit, 1 << 16) // 2 - used)


def _release(descriptors: list[int]) -> None:
    """A file replaced while open is freed when it is closed, which on some file
    systems takes ten times as long as the rename: a thread closes them while the sync
    goes on (the new files are on disk already)."""

    def close_all() -> None:
        for descriptor in descriptors:
            os.close(descriptor)

    threading.Thread(target=close_all, name="context-connect-release", daemon=True).start()


def _sync_file(path: str) -> None:
    with open(path, "rb") as file:
        os.fsync(file.fileno())
