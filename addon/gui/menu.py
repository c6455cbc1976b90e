"""Tools ▸ Sync Markdown folder, and Tools ▸ Bring note types into the Markdown folder."""

from __future__ import annotations

from aqt.main import AnkiQt
from aqt.qt import QAction, qconnect

from ..sync.adopt import adoptable_names
from .adopt_dialog import AdoptDialog
from .folder_sync import FolderSync

ACTION_TEXT = "Sync Markdown folder"
ACTION_NAME = "context_connect_sync_markdown_folder"
ADOPT_TEXT = "Bring note types into the Markdown folder…"
ADOPT_NAME = "context_connect_adopt_note_types"


def add_tools_action(mw: AnkiQt, folder_sync: FolderSync) -> None:
    # Add-ons load once per run, but guard anyway: a second action would sync twice.
    if any(a.objectName() == ACTION_NAME for a in mw.form.menuTools.actions()):
        return
    action = QAction(ACTION_TEXT, mw)
    action.setObjectName(ACTION_NAME)
    qconnect(action.triggered, lambda: folder_sync.sync(interactive=True))
    mw.form.menuTools.addAction(action)
    adopt = QAction(ADOPT_TEXT, mw)
    adopt.setObjectName(ADOPT_NAME)
    qconnect(adopt.triggered, lambda: _choose_note_types(mw, folder_sync))
    mw.form.menuTools.addAction(adopt)


def _choose_note_types(mw: AnkiQt, folder_sync: FolderSync) -> None:
    if mw.col is None:
        return
    names = adoptable_names(mw.col)
    AdoptDialog(mw, names, lambda chosen: folder_sync.sync(interactive=True, adopt=chosen)).show()
