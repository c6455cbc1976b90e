"""Sync on save: a thread that polls the folder's Markdown and note type files and,
after a quiet period, runs the sync.

Polling (a stat per file every half second) needs no dependency and sees every way
an editor saves, including writing a new file and renaming it over the old one. The
sync's own writes are not taken for edits: after a sync, the files it wrote are
known in their new state, while any other change made during the sync still counts.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from pathlib import Path

from ..core.deck_files import SUFFIX
from .folder import NOTE_TYPES_DIR

Signature = dict[Path, tuple[int, int, int]]


Listing = Callable[[Path], list[Path]]


def deck_folder_files(folder: Path) -> list[Path]:
    return list(folder.glob(f"*{SUFFIX}")) + list((folder / NOTE_TYPES_DIR).rglob("*"))


def scan(folder: Path, listing: Listing = deck_folder_files) -> Signature:
    paths = listing(folder)
    signature: Signature = {}
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue  # deleted between listing and stat
        if path.is_file():
            signature[path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    return signature


def _take(known: Signature, paths: set[Path], current: Signature) -> Signature:
    """`known`, with `paths` as they are in `current`: seen, not edits."""
    taken = dict(known)
    for path in paths:
        if path in current:
            taken[path] = current[path]
        else:
            taken.pop(path, None)
    return taken


class FolderWatcher:
    def __init__(
        self, folder: Path, on_change: Callable[[], set[Path]], quiet: float = 1.0,
        interval: float = 0.5, listing: Listing = deck_folder_files,
    ) -> None:  # fmt: skip
        """`on_change` runs the sync and returns the files it wrote; `listing` names the
        files to watch (a deck folder's, or a vault's notes)."""
        self._folder = folder
        self._listing = listing
        self._on_change = on_change
        self._quiet = quiet
        self._interval = interval
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._ignored: set[Path] = set()
        self._thread = threading.Thread(target=self._run, name="markdown-watcher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)

    def ignore(self, written: set[Path]) -> None:
        """Files a sync started elsewhere (the Tools menu) wrote: not edits."""
        with self._lock:
            self._ignored |= written

    def _absorb(self, known: Signature, current: Signature) -> Signature:
        with self._lock:
            ignored, self._ignored = self._ignored, set()
        return _take(known, ignored, current)

    def _run(self) -> None:
        known = scan(self._folder, self._listing)
        while not self._stop.wait(self._interval):
            current = scan(self._folder, self._listing)
            known = self._absorb(known, current)
            if current == known:
                continue
            while not self._stop.wait(self._quiet):  # until the editor is done saving
                later = scan(self._folder, self._listing)
                if later == current:
                    break
                current = later
            if self._stop.is_set():
                return
            known = self._absorb(known, current)
            if current == known:
                continue
            try:
                written = self._on_change()
            except Exception:
                # A failure of one sync must not end the watching: report and go on.
                traceback.print_exc()
                written = set()
            known = _take(current, written, scan(self._folder, self._listing))
