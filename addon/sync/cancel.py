"""A sync the user may cancel until it starts writing notes.

The engine reports its stages through `progress`; a cancel is honoured at the stages
before the notes are written, by raising from there. Anything it already set up in
Anki by then (the folder's note types) is in the sync's one undo entry, which is
undone, so a cancelled sync leaves Anki as it found it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from anki.collection import Collection

from .engine import UNDO_LABEL, Progress, SyncResult, sync_folder
from .options import SyncOptions

# The engine's progress messages, in order; the last cancellable one comes before
# anything is written to the notes or the files.
STAGES = ("Reading", "Comparing", "Writing to Anki", "Writing the Markdown")
LAST_CANCELLABLE = 1


class SyncCancelled(Exception):
    """The user cancelled before the sync changed the notes."""


def stage_of(text: str) -> int:
    return next((i for i, stage in enumerate(STAGES) if text.startswith(stage)), 0)


def cancellable_sync(
    col: Collection, folder: Path, options: SyncOptions, progress: Progress,
    cancelled: Callable[[], bool],
) -> SyncResult:  # fmt: skip
    def checked(text: str) -> None:
        if stage_of(text) <= LAST_CANCELLABLE and cancelled():
            raise SyncCancelled
        progress(text)

    before = col.undo_status().last_step
    try:
        return sync_folder(col, folder, options, checked)
    except SyncCancelled:
        status = col.undo_status()
        if status.undo == UNDO_LABEL and status.last_step != before:
            col.undo()
        raise
