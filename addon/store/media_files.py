"""Anki's media folder, as the folder sync reads and adds to it."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection

from ..core.paths import contained


class AnkiMedia:
    def __init__(self, col: Collection) -> None:
        self._col = col
        self._dir = Path(col.media.dir())

    def read(self, name: str) -> bytes | None:
        """None also for a name that leads out of the media folder (a link included)."""
        try:
            return contained(self._dir, name).read_bytes()
        except OSError:
            return None

    def add(self, name: str, data: bytes) -> str:
        """The name the file has in Anki: `name`, or a new one if another file has it."""
        return str(self._col.media.write_data(name, data))
