"""The summary at the end of a sync: counts per side, then every conflict, warning
and error; double-click one to open its file, or its note in the browser."""

from __future__ import annotations

import re
from pathlib import Path

import aqt
from aqt.main import AnkiQt
from aqt.qt import (
    QDesktopServices,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QUrl,
    QVBoxLayout,
    qconnect,
)

from ..core.note_type_defs import ANKIOPS_KEY_FIELD, KEY_FIELD
from ..sync.summary import SyncSummary
from .notify import TITLE

LOCATION = re.compile(r"^([^:\n]+\.md):\d+:")
NOTE_KEY = re.compile(r"\(note (\S+)\)")


class SummaryDialog(QDialog):
    def __init__(self, mw: AnkiQt, summary: SyncSummary, folder: Path | None) -> None:
        super().__init__(mw)
        self._mw = mw
        self._folder = folder
        self.setObjectName("context_connect_sync_summary")
        self.setWindowTitle(f"{TITLE}: Markdown folder synced")
        layout = QVBoxLayout(self)
        counts = summary.text().split("\n")
        headline = [line for line in counts if not line.startswith(" ") and ":" in line][:3]
        layout.addWidget(QLabel("\n".join(headline)))
        self._items = QListWidget()
        for title, entries in (
            ("Conflict", summary.conflicts),
            ("Error", summary.errors),
            ("Warning", summary.warnings),
            ("Note type", summary.note_types),
        ):
            for entry in entries:
                self._items.addItem(QListWidgetItem(f"{title}: {entry}"))
        if self._items.count():
            layout.addWidget(QLabel("Double-click a line to open its file."))
            layout.addWidget(self._items)
            qconnect(self._items.itemDoubleClicked, self._open_file)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        browse = QPushButton("Show note in browser")
        buttons.addButton(browse, QDialogButtonBox.ButtonRole.ActionRole)
        qconnect(browse.clicked, self._browse)
        qconnect(buttons.rejected, self.close)
        layout.addWidget(buttons)
        self.resize(720, 420)

    def _open_file(self, item: QListWidgetItem) -> None:
        found = LOCATION.search(item.text().split(": ", 1)[-1])
        if found and self._folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._folder / found.group(1))))

    def _browse(self) -> None:
        item = self._items.currentItem()
        found = NOTE_KEY.search(item.text()) if item is not None else None
        if found:
            key = found.group(1)
            search = f'"{KEY_FIELD}:{key}" OR "{ANKIOPS_KEY_FIELD}:{key}"'
            aqt.dialogs.open("Browser", self._mw, search=(search,))
