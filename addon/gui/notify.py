"""Telling the user something needs fixing, without stopping Anki.

Never through `sys.stderr`: Anki takes anything written there for an add-on crash and
shows its "Anki encountered a problem" window. A problem is shown once in a window of
our own that names Context Connect, and kept so the settings dialog can show it again.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from aqt.main import AnkiQt
from aqt.qt import QMessageBox, QPushButton, Qt

TITLE = "Context Connect"
CODE = re.compile(r"`([^`]+)`")


def as_html(text: str) -> str:
    """Plain text with `code` spans, as rich text that wraps."""
    escaped = html.escape(text, quote=False)
    return CODE.sub(r"<code>\1</code>", escaped).replace("\n", "<br>")


class Notices:
    """Open problems by topic ("server", "config"); one window shows the latest."""

    def __init__(self, mw: AnkiQt, open_settings: Callable[[], object]) -> None:
        self._mw = mw
        self._open_settings = open_settings
        self._problems: dict[str, tuple[str, str]] = {}
        self._box: QMessageBox | None = None

    def current(self) -> list[tuple[str, str]]:
        """(headline, detail) of every open problem."""
        return list(self._problems.values())

    def clear(self, topic: str) -> None:
        """The problem is fixed; the window goes when nothing is left to show."""
        if self._problems.pop(topic, None) is None:
            return
        if self._box is not None:
            if self._problems:
                self.show(*list(self._problems.values())[-1])
            else:
                self._box.close()

    def report(self, topic: str, headline: str, detail: str) -> None:
        self._problems[topic] = (headline, detail)
        self.show(headline, detail)

    def show(self, headline: str, detail: str) -> None:
        """Non-modal, so it never blocks a profile opening; a second problem replaces
        the first window's text instead of stacking a new window."""
        box = self._box
        if box is None:
            box = QMessageBox(self._mw)
            box.setObjectName("context_connect_notice")
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(TITLE)
            box.setTextFormat(Qt.TextFormat.RichText)
            settings = QPushButton("Settings…")
            box.addButton(settings, QMessageBox.ButtonRole.ActionRole)
            box.addButton(QMessageBox.StandardButton.Close)
            settings.clicked.connect(lambda: self._open_settings())
            box.finished.connect(self._forget_box)
            box.setWindowModality(Qt.WindowModality.NonModal)
            self._box = box
        box.setText(f"<b>{TITLE}: {html.escape(headline)}</b>")
        box.setInformativeText(as_html(detail))
        box.show()
        box.raise_()

    def _forget_box(self) -> None:
        self._box = None
