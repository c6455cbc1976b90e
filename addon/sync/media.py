"""Field conversion for the sync, with the images that go along: Markdown's
`media/name.png` becomes Anki's `name.png` (the file added to Anki's media once), and
an image in an Anki field is exported to `media/`. Two different images never share
a name: a clash gets the content's hash in the new name."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Protocol

from ..core.ankiops_render import render_ankiops
from ..core.field_media import FOLDER, anki_name, folder_name, replace_sources
from ..core.html_markdown import HtmlTooDeep, to_markdown
from ..core.markdown import render
from ..core.note_type_defs import ANKIOPS_KEY_FIELD, NoteTypeDef
from ..core.paths import OutsideFolder, contained, read_inside
from .files import write_atomic


class MediaStore(Protocol):
    def read(self, name: str) -> bytes | None: ...

    def add(self, name: str, data: bytes) -> str: ...


def hashed_name(name: str, data: bytes) -> str:
    path = PurePosixPath(name)
    return f"{path.stem}-{hashlib.sha256(data).hexdigest()[:12]}{path.suffix}"


class FieldNotConverted(ValueError):
    """A field that cannot be written on the other side; its note is not synced."""


class FieldConverter:
    """`to_anki` and `to_markdown` for sync_plan, moving image files as a side effect.

    With `ankiops`, Markdown renders as AnkiOps 0.6 renders it, and an image named
    without `media/` (AnkiOps' way) is the file of that name in `media/` too."""

    def __init__(
        self, folder: Path, anki: MediaStore, written: set[Path], ankiops: bool = False
    ) -> None:
        self._folder = folder
        self._ankiops = ankiops
        self._render = render_ankiops if ankiops else render
        self._written = written
        self._anki = anki
        self._in_anki: dict[str, str] = {}  # media/ name → Anki name
        self._in_folder: dict[str, str] = {}  # Anki name → media/ name
        self.missing: set[str] = set()
        self.where = ""  # the note being converted, as `file:line`, for refusals
        self.file = ""  # the file that holds it
        self.refused: list[str] = []  # `file:line: reason`, images left as written
        self.imported = 0
        self.exported = 0

    @classmethod
    def for_types(
        cls, folder: Path, anki: MediaStore, written: set[Path], types: Iterable[NoteTypeDef]
    ) -> FieldConverter:
        """A folder with note types in AnkiOps 0.6's format is rendered as AnkiOps does."""
        return cls(folder, anki, written, any(t.key_field == ANKIOPS_KEY_FIELD for t in types))

    def at(self, file_name: str, place: str) -> None:
        """The note converted next: in `file_name`, at `place` (its line, or how Anki
        knows it)."""
        self.file = file_name
        self.where = f"{file_name}:{place}"

    def to_anki(self, markdown: str) -> str:
        return replace_sources(self._render(markdown), self._import)

    def to_markdown(self, html: str) -> str:
        try:
            return to_markdown(replace_sources(html, self._export))
        except HtmlTooDeep as exc:
            raise FieldNotConverted(f"{self.where}: {exc}: this note is not synced") from None

    def _import(self, src: str) -> str:
        name = folder_name(src)
        if name is None and self._ankiops:
            name = anki_name(src)
        if name is None:
            return src
        if name not in self._in_anki:
            try:
                data = read_inside(self._folder, FOLDER, name)
            except OutsideFolder as exc:
                self.refused.append(f"{self.where}: image {src} not read: {exc}")
                return src
            except OSError:
                self.missing.add(f"{FOLDER}{name}")
                self._in_anki[name] = name
            else:
                self._in_anki[name] = self._anki.add(name, data)
                self.imported += 1
        return self._in_anki[name]

    def _export(self, src: str) -> str:
        name = anki_name(src)
        if name is None:
            return src
        if name not in self._in_folder:
            self._in_folder[name] = self._export_file(name, FOLDER) or name
        return FOLDER + self._in_folder[name]

    def _export_file(self, name: str, into: str) -> str | None:
        """Anki's media file `name`, written to the folder `into` (`media/`, or a vault's
        `attachments/`) unless the same bytes are there already, under a hashed name if
        other bytes have its name. The name it has there; None when it is not in Anki's
        media, or cannot be written inside the folder (the reason is reported)."""
        data = self._anki.read(name)
        if data is None:
            self.missing.add(name)
            return None
        try:
            target = contained(self._folder, into, name)
            if target.exists():
                if read_inside(self._folder, into, name) == data:
                    return name
                name = hashed_name(name, data)
                target = contained(self._folder, into, name)
                if target.exists():
                    return name
            target.parent.mkdir(exist_ok=True)
            self._written.add(target)
            write_atomic(target, data)
        except OSError as exc:  # OutsideFolder too; the folder `into` may even be a file
            self.refused.append(f"{self.where}: image {into}{name} not written: {exc}")
            return None
        self.exported += 1
        return name
