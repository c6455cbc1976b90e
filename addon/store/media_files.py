"""Anki's media folder, as the folder sync reads and adds to it."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection

from ..core.paths import read_inside


class AnkiMedia:
    def __init__(self, col: Collection) -> None:
        self._col = col
        self._dir = Path(col.media.dir())

    def read(self, name: str) -> bytes | None:
        """None also for a name that leads out of the media folder (a link included)."""
        try:
            return read_inside(self._dir, name)
        except OSError:
            return None

    def add(self, name: str, data: bytes) -> str:
        """The name the file has in Anki: `name`, or a new one if another file has it."""
        return str(self._col.media.write_data(name, data))


class MediaPreview(AnkiMedia):
    """Anki's media folder for a dry run: read as it is, never added to."""

    def add(self, name: str, data: bytes) -> str:
        return name
