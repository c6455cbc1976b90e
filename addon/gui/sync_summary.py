"""The summary at the end of a sync: counts per side, the folder, then every problem
in a list that wraps. A problem opens its file at its line, or its note in the browser;
the buttons are enabled only for a line they can act on.

Several vaults synced together share the window: each one's name, folder and counts,
and all problems in the one list, under the name of the vault they are in.

One window serves every sync: a later sync replaces its content (watch mode saves
often), it never stacks a second window.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    QWidget,
    qconnect,
)

from ..core.note_type_defs import ANKIOPS_KEY_FIELD, KEY_FIELD
from ..sync.report import Row, Section, overview
from ..sync.summary import SyncSummary
from .editor import open_file, open_folder
from .notify import TITLE, as_html
from .window_size import open_wide

LIST_HEIGHT = 320
ROW = Qt.ItemDataRole.UserRole
INDENT = 16  # a vault's counts under its name, when several vaults are shown


class SummaryDialog(QDialog):
    def __init__(self, mw: AnkiQt) -> None:
        super().__init__(mw)
        self._mw = mw
        self.setObjectName("context_connect_sync_summary")
        layout = QVBoxLayout(self)
        self._sections = QWidget()  # per synced folder: its counts and where it is
        self._sections_layout = QVBoxLayout(self._sections)
        self._sections_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._sections)
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
        self, synced: Sequence[tuple[Path, SyncSummary]], automatic: bool,
        what: str = "Markdown folder",
    ) -> None:  # fmt: skip
        """What one action synced: the Markdown folder, or one or more vaults."""
        shown = overview(synced)
        self.setWindowTitle(f"{TITLE}: {shown.title(what, automatic)}")
        self._show_sections(shown.sections, what)
        self._items.clear()
        for row in shown.rows:
            item = QListWidgetItem(row.text)
            item.setData(ROW, row)
            if row.entry is None:  # a vault's name above its problems: not an action
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            elif (path := row.file) is not None:
                item.setToolTip(str(path))
            self._items.addItem(item)
        listed = bool(shown.rows)
        self._items.setVisible(listed)
        self._hint.setVisible(any(row.file for row in shown.rows))
        self._open.setVisible(listed)
        self._browse.setVisible(listed)
        self._enable_buttons()
        # Compact: a clean sync is a few lines; a list gets room for its wrapped lines.
        self._items.setMinimumHeight(min(LIST_HEIGHT, 30 + 40 * len(shown.rows)))
        open_wide(self)
        self.show()
        self.raise_()

    def _show_sections(self, sections: Sequence[Section], what: str) -> None:
        """One folder: its counts, then where it is. Several: each one's name and
        place, with its counts under it."""
        while (old := self._sections_layout.takeAt(0)) is not None:
            if (widget := old.widget()) is not None:
                widget.hide()
                widget.deleteLater()
        several = len(sections) > 1
        for section in sections:
            counts = QLabel("\n".join(section.headline))
            counts.setWordWrap(True)
            counts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            where = as_html(str(section.folder))
            if several:  # a path standing for a name is not said twice
                named = as_html(section.name)
                where = f"<b>{named}</b>" if named == where else f"<b>{named}</b> — {where}"
            else:
                where = f"{what}: {where}"
            place = QLabel(f'{where} — <a href="open">open in file manager</a>')
            place.setWordWrap(True)
            qconnect(place.linkActivated, lambda _link, folder=section.folder: open_folder(folder))
            if several:
                counts.setContentsMargins(INDENT, 0, 0, 0)
            for label in (place, counts) if several else (counts, place):
                self._sections_layout.addWidget(label)
                label.show()  # now, not when Qt's event loop gets to it: the size needs it

    def current_file(self) -> tuple[Path, int | None] | None:
        """The file, and line, that "Open file at line" opens for the selected line."""
        row = self._current()
        if row is None or row.file is None or row.entry is None:
            return None
        return row.file, row.entry.line

    def _current(self) -> Row | None:
        item = self._items.currentItem()
        found = item.data(ROW) if item is not None else None
        return found if isinstance(found, Row) else None

    def _enable_buttons(self) -> None:
        self._open.setEnabled(self.current_file() is not None)
        self._browse.setEnabled(self._note_key() is not None)

    def _note_key(self) -> str | None:
        row = self._current()
        return row.entry.note_key if row is not None and row.entry is not None else None

    def _open_file(self) -> None:
        if (target := self.current_file()) is not None:
            open_file(*target)

    def _show_note(self) -> None:
        if (key := self._note_key()) is not None:
            search = f'"{KEY_FIELD}:{key}" OR "{ANKIOPS_KEY_FIELD}:{key}"'
            aqt.dialogs.open("Browser", self._mw, search=(search,))
