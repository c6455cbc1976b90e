"""Collection work from server threads, run on Anki's collection executor.

Anki serialises every collection operation on one background thread; going through
QueryOp/CollectionOp keeps our work in that queue, so it never races a review or a
sync, and the window stays responsive while a large batch is written.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from anki.collection import Collection, OpChanges
from aqt.main import AnkiQt
from aqt.operations import CollectionOp, QueryOp

from ..store.runner import CollectionUnavailable, run_as_one_undo_step
from .view_refresh import ViewRefresh

T = TypeVar("T")

# A 10,000-card batch takes seconds; anything past this is a stuck queue.
WAIT_SECONDS = 600


class AnkiCollectionRunner:
    def __init__(self, mw: AnkiQt) -> None:
        self._mw = mw
        self._refresh = ViewRefresh(mw)

    def profile_name(self) -> str | None:
        return self._mw.pm.name if self._mw.col is not None else None

    def _wait(self, start: Callable[[Future[T]], None]) -> T:
        if self._mw.col is None:
            raise CollectionUnavailable("no profile is open in Anki")
        future: Future[T] = Future()
        if threading.current_thread() is threading.main_thread():
            raise RuntimeError("collection work must be handed over from a server thread")
        self._mw.taskman.run_on_main(lambda: start(future))
        return future.result(timeout=WAIT_SECONDS)

    @staticmethod
    def _require(col: Collection | None) -> Collection:
        if col is None:
            raise CollectionUnavailable("the profile was closed")
        return col

    def read(self, fn: Callable[[Collection], T]) -> T:
        def start(future: Future[T]) -> None:
            QueryOp(
                parent=self._mw,
                op=lambda col: fn(self._require(col)),
                success=future.set_result,
            ).failure(future.set_exception).run_in_background()

        return self._wait(start)

    def write(self, label: str, fn: Callable[[Collection], T]) -> T:
        return self.run(lambda col: run_as_one_undo_step(col, label, fn))

    def run(self, fn: Callable[[Collection], tuple[T, OpChanges]]) -> T:
        results: list[tuple[T, OpChanges]] = []

        def op(col: Collection) -> OpChanges:
            results.append(fn(self._require(col)))
            # Anki's views hear of the changes once per burst (ViewRefresh), not here.
            return OpChanges()

        def start(future: Future[T]) -> None:
            def done(_nothing: OpChanges) -> None:
                result, changes = results[0]
                future.set_result(result)
                self._refresh.add(changes)

            CollectionOp(parent=self._mw, op=op).success(done).failure(
                future.set_exception
            ).run_in_background()

        return self._wait(start)
