"""The layout of a vault: any folder of Markdown notes, where only marked blocks are
cards (see core/vault_text). Each card links back to its block, and only a card's own
characters are ever written; prose is never touched."""

from __future__ import annotations

import os
import re
import stat
import time
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from ..core.deck_text import Note
from ..core.decks import DeckNameError, deck_from_name
from ..core.note_keys import fingerprint_bytes, new_key
from ..core.note_type_defs import NoteTypeDef
from ..core.paths import read_inside
from ..core.vault_note_types import CLOZE, CONTEXT_FIELDS, DEFINITIONS
from ..core.vault_text import (
    BLOCK_ID,
    DECK_TAG,
    KEY_PREFIX,
    CardBlock,
    VaultCard,
    VaultText,
    anki_tag,
    card_hints,
    new_card,
    parse_vault_text,
    rewrite,
    unmark,
    with_key,
)
from ..store.sync_state import FileMark
from .folder import DeckFile, FolderContent, Listed, listed
from .layout import AnyBlock, Text
from .media import FieldConverter, MediaStore
from .vault_media import VaultMedia

SUFFIX = ".md"
# Cards made in Anki with a vault note type land here, at the vault's top.
INBOX = "Cards from Anki.md"
INBOX_HEADER = "#flashcards\n\nCards made in Anki. Move them into your notes as you like.\n"
# Folders that hold an editor's or a tool's own files, not notes.
BLOCK_ID_AT_END = re.compile(r"\^([A-Za-z0-9-]+)[ \t]*$", re.MULTILINE)
SKIPPED = {".obsidian", ".trash", ".git", ".context-connect", "node_modules", ".logseq"}


@dataclass
class VaultFile(DeckFile):
    relative: str = ""

    @property
    def name(self) -> str:
        return self.relative


def note_paths(vault: Path) -> list[Listed]:
    """Every note in the vault, in a stable order. Folder links are not followed (a
    file link is checked when it is read)."""
    found: list[Listed] = []
    now_ns = time.time_ns()
    pending = [(str(vault), "")]
    while pending:
        directory, inside = pending.pop()
        with os.scandir(directory) as entries:
            listed_here = sorted(entries, key=lambda e: e.name)
        folders = []
        for entry in listed_here:
            name = entry.name
            if entry.is_dir():  # a link to a folder is left out, as os.walk leaves it
                if not entry.is_symlink() and name not in SKIPPED and not name.startswith("."):
                    folders.append((entry.path, f"{inside}{name}/"))
            elif name.endswith(SUFFIX):
                found.append(listed(entry.path, inside + name, now_ns))
        pending += reversed(folders)
    return found


def note_files(vault: Path) -> list[Path]:
    """The files a watcher of the vault looks at."""
    return [Path(entry.path) for entry in note_paths(vault)]


@dataclass
class Vault:
    folder: Path
    default_deck: str
    deck_rule: str = "tags"  # "folder": a note's folders name the deck of its cards
    undo_label: str = "Sync vault"
    one_way_fields: frozenset[str] = frozenset({*CONTEXT_FIELDS, "Reverse"})
    decks_from_files: bool = True
    renames_files: bool = False
    _titles: dict[str, str] = field(default_factory=dict)
    _link_cache: dict[str, tuple[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        root = self.folder.resolve()
        self._uri = root.as_uri()
        self._vault_name = quote(root.name, safe="")

    def definitions(self, warnings: list[str], write: bool = True) -> list[NoteTypeDef]:
        return list(DEFINITIONS)

    def list_files(self) -> list[Listed]:
        return note_paths(self.folder)

    def load(
        self, files: list[Listed], known: Container[str], definitions: list[NoteTypeDef],
        previous: Mapping[str, FileMark], skip: Mapping[str, FileMark],
    ) -> FolderContent:  # fmt: skip
        """Every note; a note the last sync left as it is stays unparsed until asked."""
        content = FolderContent(definitions, skipped=dict(skip))
        taken: set[str] = set()
        changed: list[tuple[Listed, bytes, str, str]] = []
        for entry in files:
            relative = entry.name
            if relative in skip:
                continue
            read = content.read(relative, partial(_read, self.folder, Path(entry.path), relative))
            if read is None:
                continue
            data, raw = read
            fingerprint = fingerprint_bytes(data)
            same = previous.get(relative)
            if same is not None and same.fingerprint == fingerprint:
                # Block ids are unique across the vault: an unchanged note's ids count
                # against the notes that changed.
                taken.update(BLOCK_ID_AT_END.findall(raw))
                content.files.append(
                    _file(entry, data, fingerprint, None, self._parser(raw, relative))
                )
            else:
                changed.append((entry, data, raw, fingerprint))
        for entry, data, raw, fingerprint in changed:
            relative = entry.name
            text = self._parse(raw, relative, taken)
            content.errors += [f"{relative}:{p.line}: {p.reason}" for p in text.problems]
            content.hints += [
                f"{relative}:{card.line}: {hint}"
                for card in text.cards
                for hint in card_hints(card)
            ]
            content.files.append(_file(entry, data, fingerprint, text, _parsed(text)))
        content.files.sort(key=lambda f: f.name)
        return content

    def _parser(self, raw: str, relative: str) -> Callable[[], VaultText]:
        return lambda: self._parse(raw, relative, set())

    def _parse(self, raw: str, relative: str, taken: set[str]) -> VaultText:
        stem = PurePosixPath(relative).stem
        text = parse_vault_text(raw, stem, taken)
        self._titles[relative] = text.title
        for block in text.blocks:
            if block.card is not None:
                block.note = self._note(block.card, text, relative)
        return text

    def _note(self, card: VaultCard, text: VaultText, relative: str) -> Note:
        definition = DEFINITIONS[1] if card.kind == "cloze" else DEFINITIONS[0]
        fields = {"Text": card.front} if card.kind == "cloze" else {
            "Front": card.front, "Back": card.back, "Reverse": "y" if card.reverse else "",
        }  # fmt: skip
        fields |= self._context(relative, text.title, card.headings, card.key)
        deck = card.deck or text.deck or self._deck_by_rule(relative)
        tags = [anki_tag(t) for t in card.tags]
        return Note(card.line, card.key, tags, definition, fields, deck)

    def _deck_by_rule(self, relative: str) -> str:
        if self.deck_rule != "folder" or "/" not in relative:
            return self.default_deck
        try:
            return deck_from_name("/".join(PurePosixPath(relative).parent.parts))
        except DeckNameError:  # folders nested deeper than a deck may be
            return self.default_deck

    def _context(
        self, relative: str, title: str, headings: Sequence[str], key: str | None
    ) -> dict[str, str]:
        """The way back: the link to the block, the note's title and the headings. A
        new card's link is made once it has its key (`key_fields`)."""
        heading = " › ".join(headings)
        return {
            "Source": self._source(relative, key) if key else "",
            "Note": _html_text(title),
            "Heading": heading,
        }

    def _source(self, relative: str, key: str | None) -> str:
        """A link that opens the note at the card's block in Obsidian, and a plain link
        to the file for other editors."""
        note, file_link = self._links(relative)
        block = f"%23%5E{quote(key, safe='')}" if key else ""  # #^key, as Obsidian wants it
        return (
            f'<a href="obsidian://open?vault={self._vault_name}&file={note}{block}">'
            f'Open in Obsidian</a> · <a href="{file_link}">{_html_text(relative)}</a>'
        )

    def _links(self, relative: str) -> tuple[str, str]:
        """The note's name in an Obsidian URI and its file URI, once per note."""
        if relative not in self._link_cache:
            self._link_cache[relative] = (
                quote(relative[: -len(SUFFIX)], safe=""),
                f"{self._uri}/{quote(relative)}",
            )
        return self._link_cache[relative]

    def converter(
        self, anki: MediaStore, written: set[Path], definitions: list[NoteTypeDef]
    ) -> FieldConverter:
        return VaultMedia(self.folder, anki, written, SKIPPED)

    def new_key(self) -> str:
        return KEY_PREFIX + new_key()

    def key_fields(self, file_name: str, key: str) -> dict[str, str]:
        """Of the card's context, only its link names the block."""
        return {"Source": self._source(file_name, key)}

    def own_fields(self, file_name: str, key: str) -> dict[str, str]:
        title = self._titles.get(file_name, PurePosixPath(file_name).stem)
        return self._context(file_name, title, [], key)

    def keys_in(self, text: str) -> list[str]:
        return [m.group(1) for m in BLOCK_ID.finditer(text)]

    def with_key(self, block: AnyBlock, key: str) -> str:
        assert isinstance(block, CardBlock)
        return with_key(block, key)

    def format(
        self, block: AnyBlock | None, key: str, tags: Sequence[str], note_type: NoteTypeDef,
        fields: dict[str, str], deck: str,
    ) -> str:  # fmt: skip
        cloze = note_type.name == CLOZE
        front = fields.get("Text" if cloze else "Front", "")
        back = "" if cloze else fields.get("Back", "")
        if block is None:  # made in Anki: its deck goes with it, as a tag
            in_deck = [] if deck == self.default_deck else [DECK_TAG + deck.replace("::", "/")]
            kind = "cloze" if cloze else "basic"
            return new_card(key, kind, front, back, [*in_deck, *tags])
        assert isinstance(block, CardBlock)
        return rewrite(block, front, back, tags)

    def replace(self, text: Text, index: int, block_text: str) -> None:
        text.blocks[index].text = block_text

    def remove(self, text: Text, index: int) -> None:
        """A card deleted in Anki: its block loses the markers, keeps the prose."""
        block = text.blocks[index]
        assert isinstance(block, CardBlock) and block.card is not None
        block.text = unmark(block, block.card.front, block.card.back)

    def append(self, text: Text, block_text: str) -> None:
        assert isinstance(text, VaultText)
        body = text.text()[len(text.front_matter) :]
        if body and not body.endswith("\n\n"):  # a blank line before the new card
            text.pieces.append("\n" if body.endswith("\n") else "\n\n")
        text.pieces.append(len(text.blocks))
        text.blocks.append(CardBlock(block_text, 0))
        text.pieces.append("\n")

    def empty(self) -> Text:
        return VaultText("", [INBOX_HEADER])

    def file_for_deck(self, deck: str) -> str:
        return INBOX


def _read(vault: Path, path: Path, relative: str) -> bytes:
    """A note's bytes. A link is followed only inside the vault, and only to a regular
    file: a named pipe or a device would never end."""
    if os.path.islink(path):
        return read_inside(vault, relative)
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError(f"{relative} is not a regular file")
    return path.read_bytes()


def _file(
    entry: Listed, data: bytes, fingerprint: str, text: VaultText | None,
    parse: Callable[[], VaultText],
) -> VaultFile:  # fmt: skip
    return VaultFile(
        Path(entry.path), deck="", parsed=text, raw=data, parse=parse, fingerprint=fingerprint,
        stat=entry.stat, relative=entry.name,
    )  # fmt: skip


def _parsed(text: VaultText) -> Callable[[], VaultText]:
    return lambda: text


def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
