"""Telling the user something went wrong, without stopping Anki."""

from __future__ import annotations

import sys

from aqt.main import AnkiQt
from aqt.utils import tooltip

TITLE = "Context Connect"


def warn(mw: AnkiQt, message: str) -> None:
    """A long tooltip: a modal dialog at profile open would block Anki's start-up."""
    print(f"{TITLE}: {message}", file=sys.stderr)
    html = message.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br>")
    tooltip(f"<b>{TITLE}</b><br>{html}", period=15000, parent=mw)
