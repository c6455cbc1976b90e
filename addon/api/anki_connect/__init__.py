"""The AnkiConnect protocol (version 6) on `POST /`, so existing clients work unchanged.

Actions keep AnkiConnect's names and parameter names: a call with a wrong parameter
fails with the same Python-style message AnkiConnect gives ("addNote() got an
unexpected keyword argument ...").
"""

from . import decks, media, misc, models, notes  # noqa: F401  (they register actions)
from .protocol import handle

__all__ = ["handle"]
