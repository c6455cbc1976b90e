"""Serialised access to the collection, with one undo entry per user action.

The server and the sync hand their collection work to a runner. Headless, the runner
is a lock around an open collection; inside Anki it is Anki's collection executor
(see `gui/runner.py`). Either way the collection is touched on one thread at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol, TypeVar

from anki.collection import Collection, OpChanges
from anki.errors import InvalidInput

T = TypeVar("T")


class CollectionUnavailable(RuntimeError):
    """No collection is open (no profile loaded in Anki, or the server is shutting down)."""


class CollectionRunner(Protocol):
    def read(self, fn: Callable[[Collection], T]) -> T:
        """Run a read-only `fn` on the collection and return its result."""
        ...

    def write(self, label: str, fn: Callable[[Collection], T]) -> T:
        """Run `fn`, whose changes become one undo entry named `label`."""
        ...

    def run(self, fn: Callable[[Collection], tuple[T, OpChanges]]) -> T:
        """Run `fn`, which makes its own undo entry and returns what it changed."""
        ...

    def profile_name(self) -> str | None: ...


def run_as_one_undo_step(
    col: Collection, label: str, fn: Callable[[Collection], T]
) -> tuple[T, OpChanges]:
    """Anki keeps only 30 undo steps, so a whole batch must fold into one.

    Returns fn's result and the merged changes (which the GUI uses to refresh)."""
    step = UndoStep(col, label)
    step.open()
    try:
        result = fn(col)
    finally:
        changes = step.close()
    return result, changes


class UndoStep:
    """One undo entry for a user action, opened just before its first write: an action
    that turns out to write nothing (a sync with nothing to do) leaves no entry that
    Edit ▸ Undo would take back for nothing."""

    def __init__(self, col: Collection, label: str) -> None:
        self._col = col
        self._label = label
        self._position: int | None = None

    def open(self) -> None:
        if self._position is None:
            self._position = self._col.add_custom_undo_entry(self._label)

    def close(self) -> OpChanges:
        """Fold every change since `open` into the one entry."""
        if self._position is None:
            return OpChanges()
        try:
            return self._col.merge_undo_entries(self._position)
        except InvalidInput:
            # The work made a change Anki cannot undo (deck options, an imported
            # package), which emptied the undo queue: nothing is left to merge, and every
            # view of the collection may be stale.
            return OpChanges(**dict.fromkeys(OpChanges.DESCRIPTOR.fields_by_name, True))


def merged_changes(changes: list[OpChanges]) -> OpChanges:
    """What several operations changed, for one redraw of Anki's views."""
    names = OpChanges.DESCRIPTOR.fields_by_name
    return OpChanges(**{name: any(getattr(c, name) for c in changes) for name in names})


class LockedCollection:
    """Headless runner: the collection behind one lock."""

    def __init__(self, col: Collection, profile: str | None = None) -> None:
        self._col: Collection | None = col
        self._profile = profile
        self._lock = threading.Lock()

    def _open(self) -> Collection:
        if self._col is None:
            raise CollectionUnavailable("the collection is closed")
        return self._col

    def read(self, fn: Callable[[Collection], T]) -> T:
        with self._lock:
            return fn(self._open())

    def write(self, label: str, fn: Callable[[Collection], T]) -> T:
        with self._lock:
            return run_as_one_undo_step(self._open(), label, fn)[0]

    def run(self, fn: Callable[[Collection], tuple[T, OpChanges]]) -> T:
        with self._lock:
            return fn(self._open())[0]

    def profile_name(self) -> str | None:
        return self._profile

    def close(self) -> None:
        with self._lock:
            if self._col is not None:
                self._col.close()
                self._col = None


class InsideOperation:
    """A runner for work already inside one collection operation (a `multi`): every
    read and write runs at once on that collection, and all of them together are the
    one undo entry of the operation."""

    def __init__(self, col: Collection, profile: str | None) -> None:
        self._col = col
        self._profile = profile

    def read(self, fn: Callable[[Collection], T]) -> T:
        return fn(self._col)

    def write(self, label: str, fn: Callable[[Collection], T]) -> T:
        return fn(self._col)

    def run(self, fn: Callable[[Collection], tuple[T, OpChanges]]) -> T:
        return fn(self._col)[0]

    def profile_name(self) -> str | None:
        return self._profile
