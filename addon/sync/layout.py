"""How a kind of Markdown source holds its notes: the sync engine is one, the layouts
are two. A folder of deck files holds one note per block, every block a note; a vault
holds cards marked inside prose, and writes back only their characters."""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from pathlib import Path
from typing import Protocol, Union

from ..core.deck_text import Block, DeckText
from ..core.note_type_defs import NoteTypeDef
from ..core.vault_text import CardBlock, VaultText
from ..store.sync_state import FileMark
from .folder import FolderContent, Listed
from .media import FieldConverter, MediaStore

Text = Union[DeckText, VaultText]
AnyBlock = Union[Block, CardBlock]


class Layout(Protocol):
    folder: Path
    undo_label: str
    # Fields and decks only the files decide: an edit of them in Anki is put back.
    one_way_fields: frozenset[str]
    decks_from_files: bool
    # A deck renamed in Anki renames the file that holds it.
    renames_files: bool

    def definitions(self, warnings: list[str], write: bool = True) -> list[NoteTypeDef]:
        """The note types; raises NoteTypesInvalid when nothing can be synced. Without
        `write`, files a first sync adds (starter note types) are only described."""
        ...

    def list_files(self) -> list[Listed]:
        """The files that hold notes, with their size and times, unread."""
        ...

    def load(
        self,
        files: list[Listed],
        known: Container[str],
        definitions: list[NoteTypeDef],
        previous: Mapping[str, FileMark],
        skip: Mapping[str, FileMark],
    ) -> FolderContent:
        """The `files`, except those in `skip` (unchanged since `previous`, the files as
        the last sync left them): unread, they are only listed as skipped. Blocks and
        files the last sync left as they are stay unparsed until asked for."""
        ...

    def converter(
        self, anki: MediaStore, written: set[Path], definitions: list[NoteTypeDef]
    ) -> FieldConverter:
        """Fields both ways, with the images that go along."""
        ...

    def new_key(self) -> str: ...

    def key_fields(self, file_name: str, key: str) -> dict[str, str]:
        """The fields of a new note that name its key (a vault card's link back)."""
        ...

    def keys_in(self, text: str) -> list[str]: ...

    def with_key(self, block: AnyBlock, key: str) -> str: ...

    def format(
        self, block: AnyBlock | None, key: str, tags: Sequence[str], note_type: NoteTypeDef,
        fields: dict[str, str], deck: str,
    ) -> str:  # fmt: skip
        """A note's text: `block` rewritten, or (None) a new block to append."""
        ...

    def own_fields(self, file_name: str, key: str) -> dict[str, str]:
        """The one-way fields of a note appended to `file_name` (made in Anki)."""
        ...

    def replace(self, text: Text, index: int, block_text: str) -> None: ...

    def remove(self, text: Text, index: int) -> None: ...

    def append(self, text: Text, block_text: str) -> None: ...

    def empty(self) -> Text: ...

    def file_for_deck(self, deck: str) -> str: ...
