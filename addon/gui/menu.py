"""Tools ▸ Sync Markdown folder."""

from __future__ import annotations

from pathlib import Path

from aqt.main import AnkiQt
from aqt.qt import QAction, QFileDialog, qconnect
from aqt.utils import showWarning

from ..core.config import ConfigError
from ..sync.folder import folder_problem
from . import settings
from .notify import TITLE

ACTION_TEXT = "Sync Markdown folder"
ACTION_NAME = "context_connect_sync_markdown_folder"


def add_tools_action(mw: AnkiQt, module: str) -> None:
    # Add-ons load once per run, but guard anyway: a second action would sync twice.
    if any(a.objectName() == ACTION_NAME for a in mw.form.menuTools.actions()):
        return
    action = QAction(ACTION_TEXT, mw)
    action.setObjectName(ACTION_NAME)
    qconnect(action.triggered, lambda: sync_markdown_folder(mw, module))
    mw.form.menuTools.addAction(action)


def _choose_folder(mw: AnkiQt, module: str) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(mw, f"{TITLE}: choose your Markdown folder")
    if not chosen:
        return None
    raw = mw.addonManager.getConfig(module) or {}
    raw["markdown_folder"] = chosen
    mw.addonManager.writeConfig(module, raw)
    return Path(chosen)


def sync_markdown_folder(mw: AnkiQt, module: str) -> None:
    if mw.col is None:
        return
    try:
        config = settings.load(mw, module)
    except ConfigError as exc:
        showWarning(str(exc), parent=mw, title=TITLE)
        return
    folder = Path(config.markdown_folder) if config.markdown_folder else _choose_folder(mw, module)
    if folder is None:
        return
    if problem := folder_problem(folder):
        showWarning(
            f"{problem}.\n\nChange markdown_folder in Tools ▸ Add-ons ▸ Context Connect ▸ Config.",
            parent=mw,
            title=TITLE,
        )
        return
    showWarning(
        f"{folder} is ready, but the folder sync engine is not part of this version yet.",
        parent=mw,
        title=TITLE,
    )
