"""Tools ▸ Sync Markdown folder."""

from __future__ import annotations

from aqt.main import AnkiQt
from aqt.qt import QAction, qconnect

from .folder_sync import FolderSync

ACTION_TEXT = "Sync Markdown folder"
ACTION_NAME = "context_connect_sync_markdown_folder"


def add_tools_action(mw: AnkiQt, folder_sync: FolderSync) -> None:
    # Add-ons load once per run, but guard anyway: a second action would sync twice.
    if any(a.objectName() == ACTION_NAME for a in mw.form.menuTools.actions()):
        return
    action = QAction(ACTION_TEXT, mw)
    action.setObjectName(ACTION_NAME)
    qconnect(action.triggered, lambda: folder_sync.sync(interactive=True))
    mw.form.menuTools.addAction(action)
