"""The layout of a folder of deck files: one file per deck, every block a note."""

from __future__ import annotations

import tempfile
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.deck_files import file_name_for_deck
from ..core.deck_text import (
    KEY_COMMENT,
    DeckText,
    append_block,
    format_note,
    remove_block,
    replace_block,
)
from ..core.note_keys import new_key
from ..core.note_type_defs import NoteTypeDef
from ..store.sync_state import FileMark
from .folder import (
    NOTE_TYPES_DIR,
    FolderContent,
    Listed,
    list_deck_files,
    load_folder,
    load_note_types,
    write_starter_note_types,
)
from .layout import AnyBlock, Text
from .media import FieldConverter, MediaStore


@dataclass
class DeckFolder:
    folder: Path
    undo_label: str = "Sync Markdown folder"
    one_way_fields: frozenset[str] = frozenset()
    decks_from_files: bool = False
    renames_files: bool = True

    def definitions(self, warnings: list[str], write: bool = True) -> list[NoteTypeDef]:
        if write and write_starter_note_types(self.folder):
            warnings.append(
                "note_types/ was missing: wrote the starter note types (MarkdownQA, "
                "MarkdownCloze, MarkdownChoice)"
            )
        elif not write and not (self.folder / NOTE_TYPES_DIR).exists():
            warnings.append(
                "note_types/ is missing: a sync writes the starter note types (MarkdownQA, "
                "MarkdownCloze, MarkdownChoice)"
            )
            with tempfile.TemporaryDirectory() as scratch:
                write_starter_note_types(Path(scratch))
                return load_note_types(Path(scratch))
        return load_note_types(self.folder)

    def list_files(self) -> list[Listed]:
        return list_deck_files(self.folder)

    def load(
        self, files: list[Listed], known: Container[str], definitions: list[NoteTypeDef],
        previous: Mapping[str, FileMark], skip: Mapping[str, FileMark],
    ) -> FolderContent:  # fmt: skip
        return load_folder(self.folder, known, definitions, previous, files, skip)

    def converter(
        self, anki: MediaStore, written: set[Path], definitions: list[NoteTypeDef]
    ) -> FieldConverter:
        return FieldConverter.for_types(self.folder, anki, written, definitions)

    def new_key(self) -> str:
        return new_key()

    def key_fields(self, file_name: str, key: str) -> dict[str, str]:
        return {}

    def keys_in(self, text: str) -> list[str]:
        return [m.group(1) for line in text.splitlines() if (m := KEY_COMMENT.match(line.strip()))]

    def with_key(self, block: AnyBlock, key: str) -> str:
        """The block with a key line before its first line of content."""
        lines = block.text.splitlines(keepends=True)
        at = next((i for i, line in enumerate(lines) if line.strip()), 0)
        lines.insert(at, f"<!-- note_key: {key} -->\n")
        return "".join(lines)

    def format(
        self, block: AnyBlock | None, key: str, tags: Sequence[str], note_type: NoteTypeDef,
        fields: dict[str, str], deck: str,
    ) -> str:  # fmt: skip
        return format_note(key, tags, note_type, fields)  # the file names the deck

    def own_fields(self, file_name: str, key: str) -> dict[str, str]:
        return {}

    def replace(self, text: Text, index: int, block_text: str) -> None:
        assert isinstance(text, DeckText)
        replace_block(text, index, block_text)

    def remove(self, text: Text, index: int) -> None:
        assert isinstance(text, DeckText)
        remove_block(text, index)

    def append(self, text: Text, block_text: str) -> None:
        assert isinstance(text, DeckText)
        append_block(text, block_text)

    def empty(self) -> Text:
        return DeckText("", None)

    def file_for_deck(self, deck: str) -> str:
        return file_name_for_deck(deck)
