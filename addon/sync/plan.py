"""The plan phase: from the three sides of every note (its Markdown, its Anki note, the
base the last sync left) to what the sync will do on each side, and why.

`make_plan` reads neither the disk nor the collection: everything it needs is in its
`Sides`, and its only effect goes through the converter it is given (a field's images
are handed to Anki's media store as the field is converted). Its `Plan` is a plain
value: the changes for Anki, the edits for the files, the bases to save, and one
`Decision` with its reason for every note that changes. The rules are written down in
docs/sync-contract.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from ..core.deck_text import Note
from ..core.note_type_defs import NoteTypeDef
from ..core.sync_plan import (
    AnkiNote,
    BaseNote,
    MdNote,
    anki_changed_since,
    md_changed_since,
    new_base,
    reconcile,
)
from ..store.managed_notes import CardMove, NewNote, NoteUpdate
from ..store.sync_state import FileMark
from .folder import DeckFile, NotRead
from .layout import Layout
from .markdown_side import MarkdownReader, MarkdownSide, Unparsed
from .media import FieldConverter, FieldNotConverted
from .options import SyncOptions
from .plan_files import FileEdit, deletion_guard, find_deck_renames
from .summary import SyncSummary


@dataclass
class Sides:
    """Everything the plan is made from, as the load phase read it."""

    files: dict[str, DeckFile]  # the files read (or known unchanged by their bytes)
    skipped: Mapping[str, FileMark]  # files left unread, by name
    unreadable: set[str]  # files that could not be read: their notes are kept
    deck_files: dict[str, str]  # deck → file name (first file wins)
    definitions: dict[str, NoteTypeDef]
    markdown: MarkdownSide
    anki: dict[str, AnkiNote]  # keyed notes in Anki
    unkeyed: list[AnkiNote]  # notes made in Anki, with no key yet
    bases: dict[str, BaseNote]  # the bases this sync compares against
    synced: int  # how many notes the bases hold, read or not
    moved_back: bool  # the collection is not the one the head bases describe
    head_keys: frozenset[str] = frozenset()  # keys of the head's bases, when moved back
    # Notes Anki's change mark vouches for, left as the last sync left them.
    resting: frozenset[str] = frozenset()
    anki_decks: frozenset[str] = frozenset()  # the decks of the files, that Anki has
    key_updates: list[NoteUpdate] = field(default_factory=list)  # keys given back

    def all_keys(self) -> list[str]:
        """Every key either side or the bases know, in a stable order."""
        return list(dict.fromkeys([*self.markdown.notes, *self.anki, *self.bases]))

    def count(self) -> int:
        return len(self.all_keys()) + len(self.markdown.new) + len(self.unkeyed)


@dataclass(frozen=True)
class Decision:
    side: str  # "anki" or "markdown": where the change is made
    action: str  # create, update, delete, move, rename, conflict
    key: str
    where: str  # file:line, or how Anki knows the note
    reason: str


@dataclass
class Plan:
    adds: list[NewNote] = field(default_factory=list)
    updates: list[NoteUpdate] = field(default_factory=list)
    moves: list[CardMove] = field(default_factory=list)
    removals: list[int] = field(default_factory=list)
    # New Markdown notes: key, file, block index, and the block with the key in.
    new_notes: list[tuple[str, str, int, str]] = field(default_factory=list)
    edits: dict[str, FileEdit] = field(default_factory=dict)
    new_files: dict[str, str] = field(default_factory=dict)  # file name → deck
    renames: dict[str, str] = field(default_factory=dict)  # old file name → new
    deck_files: dict[str, str] = field(default_factory=dict)
    bases: dict[str, BaseNote] = field(default_factory=dict)  # after the sync
    unsettled: set[str] = field(default_factory=set)  # files to read in full next time
    decisions: list[Decision] = field(default_factory=list)
    stopped: bool = False  # the deletion guard waits for a yes: nothing is applied

    def files_to_write(self) -> list[str]:
        return [name for name, edit in sorted(self.edits.items()) if edit.changes_text]

    def changes_anything(self, old: Mapping[str, BaseNote], moved_back: bool) -> bool:
        """A sync that changes nothing on either side makes no generation (and so no
        undo entry); one that finds the collection moved back always does."""
        return (
            moved_back
            or bool(self.adds or self.updates or self.moves or self.removals)
            or bool(self.files_to_write())
            or len(self.bases) != len(old)
            or any(b is not old.get(k) and b != old.get(k) for k, b in self.bases.items())
        )


def make_plan(
    sides: Sides, layout: Layout, options: SyncOptions, convert: FieldConverter,
    summary: SyncSummary,
) -> Plan:  # fmt: skip
    """Raises NotRead when the plan needs a file the load phase left unread."""
    return _Planner(sides, layout, options, convert, summary).plan()


class _Planner:
    def __init__(
        self, sides: Sides, layout: Layout, options: SyncOptions, convert: FieldConverter,
        summary: SyncSummary,
    ) -> None:  # fmt: skip
        self.sides = sides
        self.layout = layout
        self.options = options
        self.convert = convert
        self.summary = summary
        self.definitions = sides.definitions
        self.reader = MarkdownReader(layout, list(sides.definitions.values()), sides.files, summary)
        self.out = Plan(
            updates=list(sides.key_updates),
            deck_files=dict(sides.deck_files),
            unsettled=set(sides.markdown.unsettled),
        )
        self.deletions = 0
        # Notes each side would lose: (side, file, deck) → count, for the guard's question.
        self.losses: dict[tuple[str, str, str], int] = {}
        self.deck_moves: dict[str, list[tuple[int, str, str]]] = {}  # file → block, deck, text

    def plan(self) -> Plan:
        sides, out = self.sides, self.out
        old, md_notes, anki = sides.bases, sides.markdown.notes, sides.anki
        protected = sides.markdown.protected
        resting_elsewhere = sides.synced - len(old)  # bases of files left unread
        self.summary.anki.unchanged += resting_elsewhere
        self.summary.markdown.unchanged += resting_elsewhere
        for key in sides.all_keys():
            base = old.get(key)
            if key in protected or (base is not None and base.file in sides.unreadable):
                if base is not None:
                    out.bases[key] = base
                continue
            md = md_notes.get(key)
            if isinstance(md, Unparsed):
                if key in sides.resting or md.unchanged(anki.get(key)):
                    out.bases[key] = md.base
                    self.summary.anki.unchanged += 1
                    self.summary.markdown.unchanged += 1
                    continue
                md = self.reader.parse(md)
                if md is None:
                    if base is not None:
                        out.bases[key] = base
                    continue
            try:
                self._note(key, md, anki.get(key), base)
            except FieldNotConverted as exc:
                self.reader.error(str(exc))
                if base is not None:
                    out.bases[key] = base
        self._new_markdown_notes(sides.markdown.new)
        for unkeyed_note in sides.unkeyed:
            key = self.layout.new_key()
            try:
                self._append_to_markdown(replace(unkeyed_note, key=key), "new in Anki")
            except FieldNotConverted as exc:
                self.reader.error(str(exc))
                continue
            out.updates.append(NoteUpdate(unkeyed_note.note_id, {}, key=key))
        self._report_media()
        if deletion_guard(self.summary, self.options, self.deletions, sides.synced, self.losses):
            out.stopped = True
            return out
        if any(name in sides.skipped for name in out.files_to_write()):
            raise NotRead
        if self.layout.renames_files:
            for old_name, new_name in find_deck_renames(
                self.layout, sides.files, self.deck_moves, out.edits, out.new_files,
                sides.anki_decks,
            ).items():  # fmt: skip
                out.renames[old_name] = new_name
                self.summary.files_renamed.append(f"{old_name} → {new_name}")
                reason = f"its deck was renamed in Anki: renamed {new_name}"
                self._decide("markdown", "rename", "", old_name, reason)
        return out

    def _new_markdown_notes(self, new: list[tuple[str, int, Note]]) -> None:
        files, out = self.sides.files, self.out
        for file_name, index, note in new:
            key = self.layout.new_key()
            text = self.layout.with_key(files[file_name].text.blocks[index], key)
            out.new_notes.append((key, file_name, index, text))
            deck = note.deck or files[file_name].deck
            own = self.layout.key_fields(file_name, key)
            self._create_in_anki(key, file_name, deck, note, text, "new in Markdown", own)

    def _report_media(self) -> None:
        convert = self.convert
        self.summary.media_imported = convert.imported
        self.summary.media_exported = convert.exported
        for name in sorted(convert.missing):
            self.summary.warnings.append(f"image {name} is missing: the field refers to it")
        for refusal in convert.refused:
            self.reader.error(refusal)

    def _decide(self, side: str, action: str, key: str, where: str, reason: str) -> None:
        self.out.decisions.append(Decision(side, action, key, where, reason))

    def _note(
        self, key: str, md: MdNote | None, anki: AnkiNote | None, base: BaseNote | None
    ) -> None:
        moved_back = self.sides.moved_back
        if md is not None and anki is not None:
            self._both(key, md, anki, base if base and base.note_id == anki.note_id else None)
        elif md is not None:
            definition = self.definitions[md.note_type]
            names = [f.name for f in definition.fields]
            where = f"{md.file}:{md.line}"
            if base is not None and not moved_back and not md_changed_since(md, base, names):
                self._edit(md.file).remove.add(md.block)
                self._delete("markdown", key, md.file, md.deck, where, "deleted in Anki")
                return
            if base is None:
                reason = "not in Anki"
            elif moved_back:
                reason = "missing from a collection moved back (Undo, download, backup)"
            else:
                reason = "deleted in Anki but edited in Markdown since"
                self.summary.warnings.append(f"{where}: {reason}: created again in Anki")
            self._create_in_anki(key, md.file, md.deck, md, md.text, reason)
        elif anki is not None:
            where = f"note nid:{anki.note_id} in Anki"
            if base is not None and not moved_back and not anki_changed_since(anki, base):
                self.out.removals.append(anki.note_id)
                self._delete("anki", key, base.file, anki.deck, where, "deleted from the files")
                return
            if base is None:
                reason = "not in the files"
            elif moved_back:
                reason = "missing from the files while the collection is moved back"
            else:
                reason = "deleted from the file but edited in Anki since"
                self.summary.warnings.append(
                    f"{base.file}: note {key} was {reason}: written back to the file"
                )
            self._append_to_markdown(anki, reason)

    def _both(self, key: str, md: MdNote, anki: AnkiNote, base: BaseNote | None) -> None:
        out, summary = self.out, self.summary
        where = f"{md.file}:{md.line}"
        if md.note_type != anki.note_type:
            self.reader.error(
                f"{where}: this note is a {anki.note_type} in Anki but its labels "
                f"make it a {md.note_type}; Anki cannot change a note's type in place: put the "
                "labels back, or delete the note_key line to make it a new note"
            )
            if base is not None:
                out.bases[key] = base
            return
        self.convert.at(md.file, str(md.line))
        outcome = reconcile(
            md,
            anki,
            base,
            self.convert,
            self.options.winner,
            self.layout.one_way_fields,
            self.layout.decks_from_files,
        )
        if outcome.anki_changed:
            out.updates.append(
                NoteUpdate(
                    anki.note_id,
                    outcome.anki_changes,
                    outcome.tags if outcome.anki_tags_changed else None,
                )
            )
            summary.anki.updated += 1
            changed = [*outcome.anki_changes, *(["tags"] if outcome.anki_tags_changed else [])]
            self._decide("anki", "update", key, where, f"changed in Markdown: {', '.join(changed)}")
        if outcome.anki_deck is not None:
            out.moves.append(CardMove(anki.note_id, anki.deck, outcome.anki_deck))
            summary.anki.moved += 1
            self._decide("anki", "move", key, where, f"moved to deck {outcome.anki_deck}")
        if not outcome.anki_changed and outcome.anki_deck is None:
            summary.anki.unchanged += 1
        if outcome.records:
            out.unsettled.add(md.file)  # the next sync must read and report the record
            summary.anki.conflicts += 1
            winner = "Markdown" if self.options.winner == "markdown" else "Anki"
            conflict = (
                f"{', '.join(outcome.records)}: changed on both sides "
                f"(note {key}); {winner}'s version applied, both kept in the file"
            )
            summary.conflicts.append(f"{where}: {conflict}")
            self._decide("markdown", "conflict", key, where, conflict)
        definition = self.definitions[md.note_type]
        deck = outcome.md_deck or md.deck
        file_name = md.file
        text = md.text
        if outcome.md_deck is not None or outcome.md_changed:
            block = self.sides.files[md.file].text.blocks[md.block]
            fields = {**outcome.md_fields, **outcome.records}
            text = self.layout.format(block, key, outcome.tags, definition, fields, deck)
        if outcome.md_deck is not None:
            self._edit(md.file).remove.add(md.block)
            file_name = self._file_for(outcome.md_deck)
            self._edit(file_name).append.append(text)
            self.deck_moves.setdefault(md.file, []).append((md.block, outcome.md_deck, text))
            summary.markdown.moved += 1
            self._decide("markdown", "move", key, where, f"moved to deck {outcome.md_deck} in Anki")
        elif outcome.md_changed:
            self._edit(md.file).replace[md.block] = text
            summary.markdown.updated += 1
            self._decide("markdown", "update", key, where, "changed in Anki")
        else:
            summary.markdown.unchanged += 1
        self._edit(file_name).keys.add(key)
        out.bases[key] = new_base(
            key, anki.note_id, md.note_type, file_name, deck, outcome.md_fields,
            outcome.anki_fields, outcome.tags, "" if outcome.records else text,
        )  # fmt: skip

    def _create_in_anki(
        self, key: str, file_name: str, deck: str, md: MdNote | Note, text: str, reason: str,
        own: Mapping[str, str] | None = None,
    ) -> None:  # fmt: skip
        """`own`: fields the layout gives a new note once it has its key."""
        note_type = md.note_type if isinstance(md, MdNote) else md.note_type.name
        definition = self.definitions[note_type]
        values = {**md.fields, **own} if own else md.fields
        md_fields = {f.name: values.get(f.name, "") for f in definition.fields}
        self.convert.at(file_name, str(md.line))
        one_way = self.layout.one_way_fields
        html = {
            name: value if name in one_way else self.convert.to_anki(value)
            for name, value in md_fields.items()
        }  # the layout's own fields are HTML already
        tags = tuple(md.tags)
        self.out.adds.append(NewNote(key, note_type, deck, html, tags))
        # The note id is known once the note is added.
        self.out.bases[key] = new_base(
            key, 0, note_type, file_name, deck, md_fields, html, tags, text
        )
        self._edit(file_name).keys.add(key)
        self.summary.anki.created += 1
        if self.sides.moved_back and key in self.sides.head_keys:
            self.summary.restored += 1
        self._decide("anki", "create", key, f"{file_name}:{md.line}", reason)

    def _append_to_markdown(self, anki: AnkiNote, reason: str) -> None:
        definition = self.definitions[anki.note_type]
        file_name = self._file_for(anki.deck)
        self.convert.at(file_name, f" note nid:{anki.note_id} in Anki")
        md_fields = {
            f.name: self.convert.to_markdown(anki.fields.get(f.name, "")) for f in definition.fields
        }
        edit = self._edit(file_name)
        # Fields the layout decides (a vault card's link back) are given to Anki now.
        own = self.layout.own_fields(file_name, anki.key)
        md_fields.update(own)
        anki_fields = {**anki.fields, **own}
        if anki_fields != anki.fields:
            self.out.updates.append(NoteUpdate(anki.note_id, own))
        text = self.layout.format(None, anki.key, anki.tags, definition, md_fields, anki.deck)
        edit.append.append(text)
        edit.keys.add(anki.key)
        self.summary.markdown.created += 1
        self._decide("markdown", "create", anki.key, file_name, reason)
        self.out.bases[anki.key] = new_base(
            anki.key, anki.note_id, anki.note_type, file_name, anki.deck, md_fields,
            anki_fields, anki.tags, text,
        )  # fmt: skip

    def _file_for(self, deck: str) -> str:
        deck_files = self.out.deck_files
        if deck not in deck_files:
            name = self.layout.file_for_deck(deck)
            deck_files[deck] = name
            if name not in self.sides.files:
                self.out.new_files[name] = deck
        return deck_files[deck]

    def _edit(self, file_name: str) -> FileEdit:
        return self.out.edits.setdefault(file_name, FileEdit())

    def _delete(
        self, side: str, key: str, file_name: str, deck: str, where: str, cause: str
    ) -> None:
        """Counts a deletion from `side`, for the summary and the guard's question."""
        counts = self.summary.anki if side == "anki" else self.summary.markdown
        counts.deleted += 1
        self.deletions += 1
        loss = (side, file_name, deck)
        self.losses[loss] = self.losses.get(loss, 0) + 1
        self._decide(side, "delete", key, where, f"{cause}, unchanged on the other side since")
