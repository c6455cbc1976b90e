"""Anki's entry point for the Context Connect add-on.

Inert unless Anki's GUI is loading add-ons: importing this package from pytest, the
headless command line or a plain `python -c` starts nothing and imports no `aqt`.
"""

from __future__ import annotations

import sys


def _inside_anki_gui() -> bool:
    if "pytest" in sys.modules:
        return False
    aqt = sys.modules.get("aqt")
    return aqt is not None and getattr(aqt, "mw", None) is not None


if _inside_anki_gui():
    from .addon.gui import setup

    setup(__name__)
