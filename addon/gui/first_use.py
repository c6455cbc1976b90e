"""Choosing the Markdown folder, and the question before its first sync."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from aqt.main import AnkiQt
from aqt.qt import QFileDialog, QMessageBox
from aqt.utils import showWarning

from ..store.status import markdown_note_count, notes_of_types
from ..sync.first_use import first_use_plan
from ..sync.folder import folder_problem
from .notify import TITLE
from .questions import question_box, yes_no


def choose_folder(
    mw: AnkiQt, start: Path | None = None, what: str = "your Markdown folder"
) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(
        mw, f"{TITLE}: choose {what}", str(start or Path.home())
    )
    return Path(chosen) if chosen else None


def first_use_box(mw: AnkiQt, folder: Path, adopting: Sequence[str] = ()) -> QMessageBox:
    col = mw.col
    notes = markdown_note_count(col) if col is not None else 0
    adopted = notes_of_types(col, adopting) if col is not None else 0
    lines = first_use_plan(folder, notes, adopting, adopted)
    plan = "\n".join(f"• {line[:1].upper()}{line[1:]}." for line in lines)
    box = question_box(
        mw,
        "context_connect_first_use",
        QMessageBox.Icon.Question,
        "sync this folder?",
        f"Keep {folder} in sync with this profile's notes?",
        f"The first sync will:\n{plan}\n\nIt deletes nothing. From then on, edits on "
        "either side reach the other at each sync.",
    )
    yes_no(box, QMessageBox.StandardButton.Yes)
    yes = box.button(QMessageBox.StandardButton.Yes)
    if yes is not None:
        yes.setText("Sync this folder")
    return box


def ask_first_use(
    mw: AnkiQt, folder: Path | None, accepted: Callable[[Path], None],
    adopting: Sequence[str] = (),
) -> None:  # fmt: skip
    """Choose a folder when none is set, then ask; `accepted` runs on a yes."""
    folder = folder or choose_folder(mw)
    if folder is None:
        return
    if problem := folder_problem(folder):
        showWarning(f"{problem}.", parent=mw, title=TITLE)
        return
    box = first_use_box(mw, folder, adopting)

    def answered(_result: int) -> None:
        if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
            accepted(folder)

    box.finished.connect(answered)
    box.open()
