"""Tools ▸ Context Connect… (also the add-on's Config button): the settings a user
changes, the server's state and any open problem. Saving writes the add-on's config,
the one place settings live, and applies it at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Protocol

from aqt.addons import ConfigEditor
from aqt.main import AnkiQt
from aqt.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
    qconnect,
)

from ..api.service_status import FOLDER, ServiceStatus
from ..core.config import CONFLICT_WINNERS
from .editor import open_folder
from .first_use import choose_folder
from .lifecycle import ServerLifecycle
from .notify import TITLE, Notices, as_html
from .window_size import open_wide

SETTINGS_WIDTH = 640  # the folder row's three parts and a long path
WINNER_LABELS = {
    "markdown": "the Markdown file's version goes to Anki",
    "anki": "Anki's version stays",
}


class OriginList(QWidget):
    """A list (of origins, or of vaults) with a Remove button."""

    def __init__(self, origins: list[str], empty: str) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.items = QListWidget()
        self.items.addItems(origins)
        self.items.setMaximumHeight(64)
        self.items.setToolTip(empty)
        remove = QPushButton("Remove")
        remove.setEnabled(False)
        qconnect(self.items.currentRowChanged, lambda row: remove.setEnabled(row >= 0))
        qconnect(remove.clicked, lambda: self.items.takeItem(self.items.currentRow()))
        layout.addWidget(self.items)
        layout.addWidget(remove, alignment=Qt.AlignmentFlag.AlignTop)

    def origins(self) -> list[str]:
        items = (self.items.item(i) for i in range(self.items.count()))
        return [item.text() for item in items if item is not None]


class Settings(Protocol):
    """What the dialog shows and changes, handed in by the add-on (its controller): the
    config, the server's state, the folder's last sync and the open problems."""

    mw: AnkiQt
    module: str
    notices: Notices
    server: ServerLifecycle
    status: ServiceStatus

    def raw_config(self) -> dict[str, Any]: ...

    def write_config(self, raw: dict[str, Any]) -> None: ...


class SettingsDialog(QDialog):
    _open: ClassVar[SettingsDialog | None] = None

    @classmethod
    def show_for(cls, addon: Settings) -> SettingsDialog:
        """One settings window: asking again raises the open one."""
        if cls._open is None or not cls._open.isVisible():
            cls._open = SettingsDialog(addon)
        cls._open.show()
        cls._open.raise_()
        cls._open.activateWindow()
        return cls._open

    def __init__(self, addon: Settings) -> None:
        super().__init__(addon.mw)
        self._addon = addon
        self.mgr = addon.mw.addonManager  # Anki's JSON editor expects this of its parent
        raw = addon.raw_config()
        self.setObjectName("context_connect_settings")
        self.setWindowTitle(f"{TITLE} settings")
        layout = QVBoxLayout(self)

        self._problems = QLabel()
        self._problems.setWordWrap(True)
        self._problems.setTextFormat(Qt.TextFormat.RichText)
        self._problems.setStyleSheet(
            "QLabel { border: 1px solid #d9a400; border-radius: 4px; padding: 6px; }"
        )
        layout.addWidget(self._problems)

        folder_box = QGroupBox("Markdown folder")
        folder_form = QFormLayout(folder_box)
        self._folder = QLineEdit(raw.get("markdown_folder") or "")
        self._folder.setPlaceholderText("none: you are asked at the first sync")
        self._folder.setMinimumWidth(self._folder.fontMetrics().horizontalAdvance("x" * 24))
        choose = QPushButton("Choose…")
        self._open_folder = QPushButton("Open in file manager")
        qconnect(choose.clicked, self._choose)
        qconnect(self._open_folder.clicked, self._show_folder)
        qconnect(self._folder.textChanged, lambda _text: self._enable())
        row = QHBoxLayout()
        row.addWidget(self._folder)
        row.addWidget(choose)
        row.addWidget(self._open_folder)
        folder_form.addRow("Folder:", row)
        self._watch = QCheckBox("Sync when a file in the folder is saved")
        self._on_open = QCheckBox("Sync when the profile opens")
        self._on_close = QCheckBox("Sync when the profile closes")
        for box, key in ((self._watch, "watch"), (self._on_open, "sync_on_open"),
                         (self._on_close, "sync_on_close")):  # fmt: skip
            box.setChecked(bool(raw.get(key)))
            folder_form.addRow("", box)
        self._winner = QComboBox()
        for winner in CONFLICT_WINNERS:
            self._winner.addItem(WINNER_LABELS[winner], winner)
        self._winner.setCurrentIndex(max(0, self._winner.findData(raw.get("conflict_winner"))))
        self._winner.setToolTip("A field changed on both sides: both versions stay in the file")
        folder_form.addRow("On a conflict:", self._winner)
        last = addon.status.last_sync(FOLDER)
        self._last_sync = QLabel(last.line() if last else "no sync since Anki started")
        self._last_sync.setWordWrap(True)
        folder_form.addRow("Last sync:", self._last_sync)
        layout.addWidget(folder_box)

        vault_box = QGroupBox("Vaults (notes whose marked blocks are cards)")
        vault_form = QFormLayout(vault_box)
        self._vaults = OriginList(list(raw.get("vaults") or []), "no vault")
        add_vault = QPushButton("Add vault…")
        qconnect(add_vault.clicked, self._add_vault)
        vault_form.addRow("Vaults:", self._vaults)
        vault_form.addRow("", add_vault)
        layout.addWidget(vault_box)

        server_box = QGroupBox("Local server")
        server_form = QFormLayout(server_box)
        self._state = QLabel()
        self._state.setWordWrap(True)
        self._state.setTextFormat(Qt.TextFormat.RichText)
        self._state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        server_form.addRow("State:", self._state)
        self._port = QSpinBox()
        self._port.setRange(1, 65535)
        port = raw.get("port")
        self._port.setValue(port if isinstance(port, int) and not isinstance(port, bool) else 8766)
        server_form.addRow("Port:", self._port)
        self._key = QLineEdit(raw.get("api_key") or "")
        self._key.setPlaceholderText("none: no key needed (loopback only)")
        server_form.addRow("API key:", self._key)
        # A checkbox's text never wraps: it stays short, and what it covers wraps below.
        self._extensions = QCheckBox("Local callers need no permission")
        self._extensions.setChecked(raw.get("allow_extensions") is not False)
        server_form.addRow("", self._extensions)
        callers = QLabel("Browser extensions, pages on this computer and Obsidian.")
        callers.setWordWrap(True)
        server_form.addRow("", callers)
        self._allowed = OriginList(list(raw.get("cors_origins") or []), "no web page allowed")
        server_form.addRow("Web pages allowed:", self._allowed)
        self._ignored = OriginList(list(raw.get("ignored_origins") or []), "none")
        server_form.addRow("Never ask again for:", self._ignored)
        layout.addWidget(server_box)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        json_button = QPushButton("Edit as JSON…")
        buttons.addButton(json_button, QDialogButtonBox.ButtonRole.ResetRole)
        qconnect(json_button.clicked, self._edit_json)
        qconnect(buttons.accepted, self._save)
        qconnect(buttons.rejected, self.close)
        layout.addWidget(buttons)
        self._refresh_problems()
        self._enable()
        open_wide(self, SETTINGS_WIDTH)

    def _refresh_problems(self) -> None:
        problems = self._addon.notices.current()
        text = "<br>".join(
            f"<b>{as_html(head[:1].upper() + head[1:])}</b><br>{as_html(detail)}"
            for head, detail in problems
        )
        self._problems.setText(text)
        self._problems.setVisible(bool(problems))
        self._state.setText(as_html(self._addon.server.state))

    def _enable(self) -> None:
        folder = self._folder.text().strip()
        self._open_folder.setEnabled(bool(folder) and Path(folder).is_dir())

    def _choose(self) -> None:
        current = self._folder.text().strip()
        chosen = choose_folder(self._addon.mw, Path(current) if current else None)
        if chosen is not None:
            self._folder.setText(str(chosen))

    def _add_vault(self) -> None:
        chosen = choose_folder(self._addon.mw, None, "a vault (a folder of notes)")
        if chosen is not None and str(chosen) not in self._vaults.origins():
            self._vaults.items.addItem(str(chosen))

    def _show_folder(self) -> None:
        open_folder(Path(self._folder.text().strip()))

    def values(self) -> dict[str, Any]:
        """The raw config with this dialog's fields applied (other keys kept)."""
        return {
            **self._addon.raw_config(),
            "markdown_folder": self._folder.text().strip() or None,
            "watch": self._watch.isChecked(),
            "sync_on_open": self._on_open.isChecked(),
            "sync_on_close": self._on_close.isChecked(),
            "conflict_winner": self._winner.currentData(),
            "port": self._port.value(),
            "api_key": self._key.text().strip() or None,
            "allow_extensions": self._extensions.isChecked(),
            "cors_origins": self._allowed.origins(),
            "ignored_origins": self._ignored.origins(),
            "vaults": self._vaults.origins(),
        }

    def _save(self) -> None:
        self._addon.write_config(self.values())
        self._refresh_problems()
        if not self._addon.notices.current():
            self.close()

    def _edit_json(self) -> None:
        self.hide()
        ConfigEditor(self, self._addon.module, self._addon.raw_config())  # type: ignore[arg-type]
