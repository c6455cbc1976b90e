"""What the first sync of a folder will do there, told before it runs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..store.sync_state import STATE_DIR
from .folder import NOTE_TYPES_DIR, deck_file_paths
from .report import plural


def first_use_plan(
    folder: Path, notes_in_anki: int, adopting: Sequence[str] = (), adopted_notes: int = 0
) -> list[str]:
    """One line per thing the first sync adds or writes; nothing is deleted by it."""
    plan = []
    if adopting:
        plan.append(
            f"bring the note {'type' if len(adopting) == 1 else 'types'} "
            f"{', '.join(adopting)} into {NOTE_TYPES_DIR}/ and write "
            f"{'its' if len(adopting) == 1 else 'their'} {plural(adopted_notes, 'note')} "
            "into deck files"
        )
    if not (folder / NOTE_TYPES_DIR).exists():
        plan.append(
            f"add {NOTE_TYPES_DIR}/ with the starter note types (MarkdownQA, MarkdownCloze, "
            "MarkdownChoice)"
        )
    plan.append(f"add {STATE_DIR}/, where it remembers the last sync (git ignores it)")
    files = len(deck_file_paths(folder))
    if files:
        plan.append(
            f"read the {plural(files, 'Markdown file')} there into Anki, and add a "
            "note_key comment to each note in them"
        )
    if notes_in_anki:
        plan.append(
            f"write the {plural(notes_in_anki, 'note')} of the Markdown note types already "
            "in Anki into deck files (one file per deck)"
        )
    return plan
