"""Anki's views refreshed once per burst of API writes, not once per write.

After each operation Anki re-renders the screen it shows; with the deck list open
that costs more than the write itself (a single addNote went from 3 to 20 ms, and a
client adding notes one request at a time waits for every render). The server's
operations report no changes to Anki; their real changes are merged here and handed
to Anki's views once the burst pauses, or at the latest after MAX_DELAY_MS, so the
browser, editor and deck list still show the new content moments later.
"""

from __future__ import annotations

import time

from anki.collection import OpChanges
from aqt.main import AnkiQt
from aqt.operations import on_op_finished
from aqt.qt import QTimer

QUIET_MS = 150
MAX_DELAY_MS = 1000


def merged(first: OpChanges, second: OpChanges) -> OpChanges:
    return OpChanges(
        **{
            name: bool(getattr(first, name) or getattr(second, name))
            for name in OpChanges.DESCRIPTOR.fields_by_name
        }
    )


class ViewRefresh:
    """Lives on the main thread: `add` is called from operations' success callbacks."""

    def __init__(self, mw: AnkiQt) -> None:
        self._mw = mw
        self._pending: OpChanges | None = None
        self._since = 0.0
        self._timer = QTimer(mw)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    def add(self, changes: OpChanges) -> None:
        if self._pending is None:
            self._pending, self._since = changes, time.monotonic()
        else:
            self._pending = merged(self._pending, changes)
        waited_ms = (time.monotonic() - self._since) * 1000
        self._timer.start(int(max(0.0, min(QUIET_MS, MAX_DELAY_MS - waited_ms))))

    def flush(self) -> None:
        changes, self._pending = self._pending, None
        self._timer.stop()
        if changes is not None and self._mw.col is not None:
            on_op_finished(self._mw, changes, None)
