"""The add-on's windows at the smallest size they allow, in Anki's font and in a much
larger one: every label, checkbox, button and choice still shows its whole text."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from aqt.qt import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QFont,
    QLabel,
    QWidget,
)

from addon.api.service_status import ServiceStatus
from addon.gui.adopt_dialog import AdoptDialog
from addon.gui.notify import Notices
from addon.gui.settings_dialog import SettingsDialog
from addon.gui.sync_summary import SummaryDialog
from addon.sync.summary import SyncSummary

CONFIG = {
    "markdown_folder": "/home/someone/Documents/Notes/Markdown decks",
    "vaults": ["/home/someone/Documents/Obsidian vault"],
    "cors_origins": ["https://example.org"],
}


class Window(QWidget):
    """The main window as the settings dialog uses it: a parent with an add-on manager."""

    addonManager = None  # noqa: N815  # Anki's name


class Server:
    state = "running at http://127.0.0.1:8766/"


class Addon:
    """What the settings dialog is handed: the add-on's config, notices and states."""

    module = "context_connect"

    def __init__(self, mw: Window) -> None:
        self.mw = mw
        self.notices = Notices(mw, lambda: None)  # type: ignore[arg-type]
        self.notices.report("config", "the settings need fixing", "• port: must be a number")
        self.server = Server()
        self.status = ServiceStatus()

    def raw_config(self) -> dict[str, Any]:
        return dict(CONFIG)

    def write_config(self, raw: dict[str, Any]) -> None:
        raise AssertionError("not saved here")


@pytest.fixture(params=[1.0, 1.8], ids=["anki-font", "large-font"])
def parent(request: pytest.FixtureRequest, qt_app: QApplication) -> Iterator[Window]:
    app = qt_app
    font = app.font()
    larger = QFont(font)
    larger.setPointSizeF(font.pointSizeF() * request.param)
    app.setFont(larger)
    window = Window()
    yield window
    window.deleteLater()
    app.setFont(font)


def cut_off(window: QDialog) -> list[tuple[str, int, int]]:
    """Texts narrower than they need, at the smallest size `window` allows."""
    window.show()
    window.resize(1, 1)
    QApplication.processEvents()
    widgets = [w for w in window.findChildren(QWidget) if w.isVisible()]
    texts: list[tuple[str, QWidget]] = []
    for widget in widgets:
        if isinstance(widget, QComboBox):
            texts.append((widget.currentText(), widget))
        elif isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and not widget.wordWrap()  # a wrapped one always fits
        ):
            texts.append((widget.text(), widget))
    found = [(text, w.width(), w.sizeHint().width()) for text, w in texts]
    window.close()
    return [(text, width, needed) for text, width, needed in found if width < needed]


def test_settings_show_every_text_whole(parent: Window) -> None:
    dialog = SettingsDialog(Addon(parent))  # type: ignore[arg-type]
    assert cut_off(dialog) == []


def test_note_type_choice_shows_every_text_whole(parent: Window) -> None:
    names = ["Basic", "Basic (and reversed card)", "Cloze", "Image Occlusion"]
    dialog = AdoptDialog(parent, names, lambda _chosen: None)  # type: ignore[arg-type]
    assert cut_off(dialog) == []


def test_sync_summary_shows_every_text_whole(parent: Window, tmp_path: Path) -> None:
    dialog = SummaryDialog(parent)  # type: ignore[arg-type]
    problems = SyncSummary(errors=["A.md:4: unknown label"], warnings=["image x.png is missing"])
    dialog.show_summary([(tmp_path, problems)], automatic=False)
    assert cut_off(dialog) == []
