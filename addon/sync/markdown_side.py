"""The Markdown side of a sync: the notes the loaded files hold, by key.

Blocks the last sync left exactly as they are stay unparsed (`Unparsed`) until the plan
needs them, which is only when Anki's side of the note changed. Nothing here touches
the collection or the disk: it reads the files the load phase already has.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..core.conflicts import has_record
from ..core.deck_text import Block, DeckTextError, Note, parse_block
from ..core.note_type_defs import NoteTypeDef
from ..core.sync_plan import AnkiNote, BaseNote, MdNote
from .folder import DeckFile
from .layout import AnyBlock, Layout
from .summary import SyncSummary


@dataclass
class Unparsed:
    """A note exactly as the last sync left it, parsed only if Anki's side changed.
    Its block is found when needed (the whole file may be unread)."""

    key: str
    file: str
    deck: str
    base: BaseNote
    index: int = -1
    block: AnyBlock | None = None

    @property
    def line(self) -> int:
        return self.block.line if self.block is not None else 1

    @property
    def in_place(self) -> bool:
        """In the file and deck the last sync left it in."""
        return self.base.file == self.file and self.base.deck == self.deck

    def unchanged(self, anki: AnkiNote | None) -> bool:
        """In place, and Anki's note as the last sync left it."""
        return (
            anki is not None
            and self.in_place
            and self.base.note_id == anki.note_id
            and self.base.row == anki.row
        )


@dataclass
class MarkdownSide:
    notes: dict[str, MdNote | Unparsed] = field(default_factory=dict)
    new: list[tuple[str, int, Note]] = field(default_factory=list)  # file, block, note
    # Keys whose notes must not be deleted or changed: a block that failed to parse, a
    # key used twice, a conflict record not yet resolved.
    protected: set[str] = field(default_factory=set)
    # Files to read in full next time (errors, records).
    unsettled: set[str] = field(default_factory=set)


class MarkdownReader:
    """Reads notes out of loaded files, reporting what is wrong with them in `summary`."""

    def __init__(
        self, layout: Layout, definitions: Sequence[NoteTypeDef], files: Mapping[str, DeckFile],
        summary: SyncSummary,
    ) -> None:  # fmt: skip
        self.layout = layout
        self.definitions = list(definitions)
        self.labels = {label for d in definitions for label in d.labels}
        self.files = files
        self.summary = summary

    def error(self, message: str) -> None:
        self.summary.errors.append(message)
        self.summary.markdown.errors += 1

    def notes(self, known: Mapping[str, str], old: Mapping[str, BaseNote]) -> MarkdownSide:
        side = MarkdownSide()
        notes = side.notes
        by_file: dict[str, list[BaseNote]] = {}
        for base in old.values():
            by_file.setdefault(base.file, []).append(base)
        for deck_file in self.files.values():
            name = deck_file.name
            if deck_file.unchanged:  # the notes the last sync left in it, unread
                for base in by_file.get(name, []):
                    notes[base.key] = Unparsed(base.key, name, deck_file.deck or base.deck, base)
                continue
            if deck_file.text.problems:
                side.unsettled.add(name)
            for index, block in enumerate(_blocks(deck_file)):
                if block.known is not None and known[block.known] not in notes:
                    key = known[block.known]
                    unparsed = Unparsed(key, name, deck_file.deck, old[key])
                    unparsed.index, unparsed.block = index, block
                    notes[key] = unparsed
                    continue
                if block.known is not None:  # an exact copy of a synced note
                    self._parse_block(block)
                note = block.note
                if note is None:
                    # A block that failed to parse keeps its note safe from deletion.
                    side.protected.update(self.layout.keys_in(block.text))
                    continue
                if note.key is None:
                    side.new.append((name, index, note))
                    continue
                if note.key in notes:
                    first = notes[note.key]
                    self.error(
                        f"{name}:{note.line}: note_key {note.key} is also used at "
                        f"{first.file}:{first.line}: delete this copy's key line to make it a "
                        "new note"
                    )
                    side.protected.add(note.key)
                    continue
                open_records = [f for f, v in note.fields.items() if has_record(v)]
                if open_records:
                    side.unsettled.add(name)
                    side.protected.add(note.key)
                    self.summary.markdown.conflicts += 1
                    self.summary.conflicts.append(
                        f"{name}:{note.line}: {', '.join(open_records)}: conflict not resolved "
                        f"yet (note {note.key}): keep one side, delete the other and the "
                        "marker lines; this note is not synced until then"
                    )
                notes[note.key] = MdNote(
                    note.key, name, note.line, index, note.note_type.name,
                    note.deck or deck_file.deck,
                    note.fields, tuple(note.tags), "" if open_records else block.text,
                )  # fmt: skip
        return side

    def _parse_block(self, block: AnyBlock) -> None:
        """A deck file's block left unparsed; a vault's card blocks are always parsed."""
        if isinstance(block, Block):
            try:
                block.note = parse_block(block.text, block.line, self.definitions, self.labels)
            except DeckTextError as exc:
                block.problem = exc
        block.known = None

    def parse(self, unparsed: Unparsed) -> MdNote | None:
        """A block the last sync left as it is, read now because Anki's side changed."""
        if unparsed.block is None:
            blocks = _blocks(self.files[unparsed.file])
            found = [i for i, b in enumerate(blocks) if b.known == unparsed.base.block]
            if not found:  # a block the state has no fingerprint for: find it by its key
                found = [
                    i for i, b in enumerate(blocks)
                    if unparsed.key in self.layout.keys_in(b.text)
                ]  # fmt: skip
            if len(found) != 1:
                self.error(f"{unparsed.file}:1: note {unparsed.key} not found: sync again")
                return None
            unparsed.index, unparsed.block = found[0], blocks[found[0]]
        block = unparsed.block
        self._parse_block(block)
        note = block.note
        if note is None or note.key != unparsed.key:
            reason = block.problem.reason if block.problem else "the note's key changed"
            self.error(f"{unparsed.file}:{block.line}: {reason}")
            return None
        return MdNote(
            note.key, unparsed.file, note.line, unparsed.index, note.note_type.name,
            note.deck or unparsed.deck, note.fields, tuple(note.tags), block.text,
        )  # fmt: skip


def _blocks(deck_file: DeckFile) -> Sequence[AnyBlock]:
    return deck_file.text.blocks
