"""Tools ▸ Bring note types into the Markdown folder: tick the collection's note types
whose notes should become deck files (stock, your own), then they are adopted and
synced. Non-modal, like the sync summary."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from aqt.main import AnkiQt
from aqt.qt import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    Qt,
    QVBoxLayout,
    qconnect,
)

from .notify import TITLE
from .window_size import open_wide

OBJECT_NAME = "context_connect_adopt"


class AdoptDialog(QDialog):
    def __init__(
        self, mw: AnkiQt, names: Sequence[str], adopt: Callable[[list[str]], None]
    ) -> None:
        super().__init__(mw)
        self._adopt = adopt
        self.setObjectName(OBJECT_NAME)
        # Window managers cut a title longer than its window: the title stays short.
        self.setWindowTitle(f"{TITLE}: bring in note types")
        layout = QVBoxLayout(self)
        explanation = QLabel(
            "Tick the note types to bring into the Markdown folder. Their notes are "
            "written into the folder, one file per deck, and kept in sync both ways. "
            "Fields, cards and reviews stay as they are (no full AnkiWeb upload)."
        )
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        self._items = QListWidget()
        for name in names:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self._items.addItem(item)
        layout.addWidget(self._items)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        qconnect(buttons.accepted, self.accept)
        qconnect(buttons.rejected, self.reject)
        layout.addWidget(buttons)
        open_wide(self)

    def accept(self) -> None:
        chosen = [
            item.text()
            for item in (self._items.item(i) for i in range(self._items.count()))
            if item is not None and item.checkState() == Qt.CheckState.Checked
        ]
        super().accept()
        if chosen:
            self._adopt(chosen)
