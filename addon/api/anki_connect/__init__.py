"""The AnkiConnect protocol (version 6) on `POST /`, so existing clients work unchanged.

Actions keep AnkiConnect's names and parameter names: a call with a wrong parameter
fails with the same Python-style message AnkiConnect gives ("addNote() got an
unexpected keyword argument ...").
"""

from . import (  # noqa: F401  (they register actions)
    cards,
    decks,
    graphical,
    media,
    misc,
    models,
    notes,
    statistics,
)
from .protocol import handle

__all__ = ["handle"]
