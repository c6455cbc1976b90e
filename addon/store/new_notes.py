"""New notes for a batch, copied from one blank note per note type.

Asking the backend for each new note (`col.new_note`), and building its field map
again, took a good part of a whole batch add: a copy of one blank note is the same
note with fields, tags and a guid of its own.
"""

from __future__ import annotations

from anki.collection import Collection
from anki.models import NotetypeDict
from anki.notes import Note
from anki.utils import base91

from ..core.note_keys import random_bits


class BlankNotes:
    """One blank note per note type, asked of the backend once per batch."""

    def __init__(self, col: Collection) -> None:
        self._col = col
        self._blanks: dict[int, Note] = {}

    def new(self, notetype: NotetypeDict) -> Note:
        mid = int(notetype["id"])
        if mid not in self._blanks:
            self._blanks[mid] = self._col.new_note(notetype)
        return copy_of(self._blanks[mid])


def copy_of(blank: Note) -> Note:
    """A new note like `blank`, with fields and tags of its own and a random guid of
    its own, as the backend gives one (from the system's generator: the `random`
    module can be seeded by anyone, and two notes must never share a guid)."""
    note = Note.__new__(Note)  # copy.copy asks Anki's deprecation shim for every hook
    note.__dict__.update(blank.__dict__)
    note.fields = list(blank.fields)
    note.tags = []
    note.guid = base91(random_bits())
    return note
