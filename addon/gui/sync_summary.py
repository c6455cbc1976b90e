"""The summary at the end of a sync: counts per side, the folder, then every problem
in a list that wraps. A problem opens its file at its line, or its note in the browser;
the buttons are enabled only for a line they can act on.

One window serves every sync: a later sync replaces its content (watch mode saves
often), it never stacks a second window.
"""

from __future__ import annotations

from pathlib import Path

import aqt
from aqt.main import AnkiQt
from aqt.qt import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    Qt,
    QVBoxLayout,
    qconnect,
)

from ..core.note_type_defs import ANKIOPS_KEY_FIELD, KEY_FIELD
from ..sync.report import Entry, entries, headline, plural
from ..sync.summary import SyncSummary
from .editor import open_file, open_folder
from .notify import TITLE

WIDTH = 560
LIST_HEIGHT = 320
ENTRY = Qt.ItemDataRole.UserRole


class SummaryDialog(QDialog):
    def __init__(self, mw: AnkiQt) -> None:
        super().__init__(mw)
        self._mw = mw
        self._folder: Path | None = None
        self.setObjectName("context_connect_sync_summary")
        layout = QVBoxLayout(self)
        self._headline = QLabel()
        self._headline.setWordWrap(True)
        self._headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self._headline)
        self._folder_label = QLabel()
        self._folder_label.setWordWrap(True)
        qconnect(self._folder_label.linkActivated, self._open_folder)
        layout.addWidget(self._folder_label)
        self._hint = QLabel("Double-click a line to open its file at that line.")
        layout.addWidget(self._hint)
        self._items = QListWidget()
        self._items.setWordWrap(True)
        self._items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        qconnect(self._items.itemDoubleClicked, lambda _item: self._open_file())
        qconnect(self._items.currentItemChanged, lambda *_: self._enable_buttons())
        layout.addWidget(self._items)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self._open = QPushButton("Open file at line")
        self._browse = QPushButton("Show note in browser")
        for button, act in ((self._open, self._open_file), (self._browse, self._show_note)):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            qconnect(button.clicked, act)
        qconnect(buttons.rejected, self.close)
        layout.addWidget(buttons)

    def show_summary(
        self, summary: SyncSummary, folder: Path, automatic: bool, what: str = "Markdown folder"
    ) -> None:
        """`what` was synced: the Markdown folder, or a vault."""
        self._folder = folder
        listed = entries(summary)
        problems = len(summary.errors) + len(summary.conflicts)
        title = f"{what} synced" if not automatic else "automatic sync"
        if problems:
            title += f": {plural(problems, 'problem')}"
        self.setWindowTitle(f"{TITLE}: {title}")
        self._headline.setText("\n".join(headline(summary)))
        self._folder_label.setText(
            f'{what}: {folder} — <a href="open">open in file manager</a>'
        )
        self._items.clear()
        for item in listed:
            widget_item = QListWidgetItem(f"{item.kind}: {item.text}")
            widget_item.setData(ENTRY, item)
            self._items.addItem(widget_item)
        self._items.setVisible(bool(listed))
        self._hint.setVisible(any(item.file for item in listed))
        self._open.setVisible(bool(listed))
        self._browse.setVisible(bool(listed))
        self._enable_buttons()
        self.setMinimumWidth(WIDTH)
        # Compact: a clean sync is a few lines; a list gets room for its wrapped lines.
        self._items.setMinimumHeight(min(LIST_HEIGHT, 30 + 40 * len(listed)))
        self.adjustSize()
        self.show()
        self.raise_()

    def _current(self) -> Entry | None:
        item = self._items.currentItem()
        found = item.data(ENTRY) if item is not None else None
        return found if isinstance(found, Entry) else None

    def _enable_buttons(self) -> None:
        current = self._current()
        self._open.setEnabled(current is not None and current.file is not None)
        self._browse.setEnabled(current is not None and current.note_key is not None)

    def _open_file(self) -> None:
        current = self._current()
        if current is not None and current.file is not None and self._folder is not None:
            open_file(self._folder / current.file, current.line)

    def _show_note(self) -> None:
        current = self._current()
        if current is not None and current.note_key is not None:
            key = current.note_key
            search = f'"{KEY_FIELD}:{key}" OR "{ANKIOPS_KEY_FIELD}:{key}"'
            aqt.dialogs.open("Browser", self._mw, search=(search,))

    def _open_folder(self, _link: str) -> None:
        if self._folder is not None:
            open_folder(self._folder)
