"""How big the add-on's windows open. Never below their layout's minimum, which holds
every label and button whole in whatever font Anki uses: a fixed minimum width would
override it and cut them off. At first at least WIDTH wide, where a folder path fits."""

from __future__ import annotations

from aqt.qt import QWidget

WIDTH = 560


def open_wide(window: QWidget, width: int = WIDTH) -> None:
    """Size `window` to its content, and at least `width` wide."""
    window.adjustSize()
    if window.width() < width:
        window.resize(width, window.height())
