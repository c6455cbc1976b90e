"""Tools ▸ Sync Markdown folder, Tools ▸ Sync vaults, Tools ▸ Bring note types into
the Markdown folder and Tools ▸ Context Connect…"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aqt.main import AnkiQt
from aqt.qt import QAction, qconnect

from ..sync.adopt import adoptable_names
from .adopt_dialog import AdoptDialog
from .folder_sync import FolderSync

if TYPE_CHECKING:
    from .controller import ContextConnect

ACTION_TEXT = "Sync Markdown folder"
ACTION_NAME = "context_connect_sync_markdown_folder"
VAULTS_TEXT = "Sync vaults"
VAULTS_NAME = "context_connect_sync_vaults"
ADOPT_TEXT = "Bring note types into the Markdown folder…"
ADOPT_NAME = "context_connect_adopt_note_types"
SETTINGS_TEXT = "Context Connect…"
SETTINGS_NAME = "context_connect_settings"


def add_tools_actions(mw: AnkiQt, addon: ContextConnect) -> None:
    # Add-ons load once per run, but guard anyway: a second action would sync twice.
    if any(a.objectName() == ACTION_NAME for a in mw.form.menuTools.actions()):
        return
    # Anki 23.10's menu ends in Preferences without one: the entries would read as Anki's.
    # Where Anki's last item has a separator already, Qt shows the two as one.
    mw.form.menuTools.addSeparator()
    for text, name, act in (
        (ACTION_TEXT, ACTION_NAME, lambda: addon.folder_sync.sync(interactive=True)),
        (VAULTS_TEXT, VAULTS_NAME, lambda: addon.vault_sync.sync(interactive=True)),
        (ADOPT_TEXT, ADOPT_NAME, lambda: _choose_note_types(mw, addon.folder_sync)),
        (SETTINGS_TEXT, SETTINGS_NAME, addon.open_settings),
    ):
        action = QAction(text, mw)
        action.setObjectName(name)
        qconnect(action.triggered, act)
        mw.form.menuTools.addAction(action)


def _choose_note_types(mw: AnkiQt, folder_sync: FolderSync) -> None:
    if mw.col is None:
        return
    names = adoptable_names(mw.col)
    AdoptDialog(mw, names, lambda chosen: folder_sync.sync(interactive=True, adopt=chosen)).show()
