"""The two-way sync of a Markdown folder and a collection, in one run.

Order matters for crashes. Keys for new Markdown notes are written to their files
first, then Anki is changed (one undo entry), then the files, then the state. A run
killed anywhere leaves notes that carry their keys on both sides, and the next run,
comparing both sides with the base and treating equal content as agreement, picks
up where this one stopped: nothing is created twice and nothing is lost.

Bases are trusted only for the collection they describe. A sync that changes
anything leaves a generation marker in the collection inside its undo entry; when the
next sync finds the collection at an earlier generation (Undo, an AnkiWeb download, a
restored backup), it compares against that generation's bases, and while the
collection is moved back it deletes nothing on either side: a note missing on one
side is restored there, and a note Undo took its key from gets it back.

A sync reads only what may have changed. When Anki's change mark is the one the last
clean sync left, Anki's notes are as their bases say, and a file whose size, times and
inode are those the last sync saw holds what it held: it is not read, nor are its
notes' bases, nor its notes in Anki. A file's times are trusted only once a tick of
the clock has passed since they changed (a write within the tick may keep them), and
a file the sync writes is read again next time. When a file that was read names a
note whose base belongs to a file left unread (a card copied from there), the sync
starts over reading everything, before anything is written: the outcome is always the
one a sync reading everything reaches.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from anki.collection import Collection, OpChanges

from ..core.conflicts import has_record
from ..core.deck_text import Block, DeckTextError, Note, parse_block
from ..core.gc_pause import gc_paused
from ..core.note_keys import fingerprint_bytes
from ..core.note_type_defs import definitions_fingerprint
from ..core.paths import Inside, OutsideFolder
from ..core.sync_plan import (
    AnkiNote,
    BaseNote,
    MdNote,
    anki_changed_since,
    md_changed_since,
    new_base,
    reconcile,
)
from ..store import managed_notes, managed_types
from ..store.decks import default_deck_name
from ..store.managed_notes import CardMove, NewNote, NoteUpdate
from ..store.media_files import AnkiMedia
from ..store.runner import CollectionRunner, UndoStep
from ..store.sync_decks import remove_empty_sync_decks
from ..store.sync_marker import read_marker, write_marker
from ..store.sync_state import FileMark, SyncState, Trust
from .deck_folder import DeckFolder
from .files import replace_texts
from .folder import (
    DeckFile,
    FolderContent,
    NoteTypesInvalid,
    NotRead,
    folder_problem,
    ignored_notices,
    unchanged_files,
)
from .git_snapshot import snapshot
from .layout import AnyBlock, Layout
from .media import FieldNotConverted
from .options import SyncOptions
from .summary import PendingDeletion, SyncSummary
from .vault import Vault

UNDO_LABEL = DeckFolder.undo_label
# Below this many deletions the share is not checked: deleting two notes of a
# five-note folder is an edit, not an accident.
MIN_GUARDED_DELETIONS = 3

Progress = Callable[[str], None]


@dataclass
class SyncResult:
    summary: SyncSummary
    changes: OpChanges
    written: set[Path]  # files the sync wrote, which a watcher must not take for edits


@dataclass
class _FileEdit:
    replace: dict[int, str] = field(default_factory=dict)
    remove: set[int] = field(default_factory=set)
    append: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)  # notes whose base depends on this write


def sync_folder(
    col: Collection, folder: Path, options: SyncOptions | None = None,
    progress: Progress | None = None,
) -> SyncResult:  # fmt: skip
    """Run one sync of a folder of deck files."""
    return sync_layout(col, DeckFolder(folder), options, progress)


def sync_vault(
    col: Collection, vault: Path, options: SyncOptions | None = None,
    progress: Progress | None = None,
) -> SyncResult:  # fmt: skip
    """Run one sync of a vault, whose marked blocks are cards."""
    options = options or SyncOptions()
    deck = options.default_deck or default_deck_name(col)
    return sync_layout(col, Vault(vault, deck, options.vault_deck_rule), options, progress)


VAULTS_UNDO_LABEL = "Sync vaults"


def sync_vaults(
    col: Collection, vaults: Sequence[Path], options: SyncOptions | None = None,
    progress: Progress | None = None,
) -> list[SyncResult]:  # fmt: skip
    """Sync each vault, in order; together one undo entry, as one user action."""
    step = UndoStep(col, VAULTS_UNDO_LABEL)
    if len(vaults) > 1:
        step.open()
    try:
        return [sync_vault(col, vault, options, progress) for vault in vaults]
    finally:
        step.close()


def sync_layout(
    col: Collection, layout: Layout, options: SyncOptions | None = None,
    progress: Progress | None = None,
) -> SyncResult:  # fmt: skip
    """Run one sync; the Anki side of it is one undo entry (none if it changes nothing)."""
    step = UndoStep(col, layout.undo_label)

    def attempt(lazy: bool) -> _Run:
        run = _Run(
            col, layout, options or SyncOptions(), SyncSummary(),
            progress or (lambda _text: None), lazy,
        )  # fmt: skip
        run.run(step)
        return run

    try:
        with gc_paused():
            try:
                run = attempt(lazy=True)
            except NotRead:
                run = attempt(lazy=False)
    finally:
        changes = step.close()
    return SyncResult(run.summary, changes, run.written)


def sync_through(
    runner: CollectionRunner, folder: Path, options: SyncOptions | None = None,
    progress: Progress | None = None, vault: bool = False,
) -> SyncResult:  # fmt: skip
    """Run one sync (of a deck folder, or a vault) in the runner's turn: never alongside
    another sync or an API batch."""
    sync = sync_vault if vault else sync_folder

    def run(col: Collection) -> tuple[SyncResult, OpChanges]:
        result = sync(col, folder, options, progress)
        return result, result.changes

    return runner.run(run)


class _Run:
    def __init__(
        self, col: Collection, layout: Layout, options: SyncOptions, summary: SyncSummary,
        progress: Progress, lazy: bool,
    ) -> None:  # fmt: skip
        self.col = col
        self.layout = layout
        self.folder = layout.folder
        self.options = options
        self.summary = summary
        self.progress = progress
        self.files: dict[str, DeckFile] = {}
        self.deck_files: dict[str, str] = {}  # deck → file name (first file wins)
        self.edits: dict[str, _FileEdit] = {}
        self.new_files: dict[str, str] = {}  # file name → deck, files to create
        self.adds: list[NewNote] = []
        self.updates: list[NoteUpdate] = []
        self.moves: list[CardMove] = []
        self.removals: list[int] = []
        self.bases: dict[str, BaseNote] = {}
        self.deletions = 0
        self.written: set[Path] = set()
        self.unsettled: set[str] = set()  # files to read in full next time (errors, records)
        self.deck_moves: dict[str, list[tuple[int, str, str]]] = {}  # file → block, deck, text
        self.renames: dict[str, str] = {}
        # Notes each side would lose: (side, file, deck) → count, for the guard's question.
        self.losses: dict[tuple[str, str, str], int] = {}
        self.moved_back = False  # the collection is not the one the head bases describe
        # Files known unchanged by their size and times may be left unread.
        self.lazy = lazy

    # -- reading ---------------------------------------------------------------

    def run(self, step: UndoStep) -> None:
        self.step = step
        if problem := folder_problem(self.folder):
            self.summary.errors.append(problem)
            return
        self.progress("Reading the Markdown folder")
        try:
            definitions = self.layout.definitions(self.summary.warnings)
            planned = managed_types.planned_changes(self.col, definitions)
        except (NoteTypesInvalid, managed_types.ForeignNoteType) as exc:
            problems = exc.problems if isinstance(exc, NoteTypesInvalid) else [str(exc)]
            self.summary.errors += problems
            self.summary.markdown.errors += len(problems)
            return
        if planned.full_upload and not self.options.confirmed:
            self.summary.note_types = planned.full_upload
            self.summary.needs_confirmation = (
                "these note type changes make AnkiWeb ask for a one-way upload of the "
                "whole collection on the next sync: " + "; ".join(planned.full_upload)
            )
            return
        if self.options.git_snapshot and (warning := snapshot(self.folder)):
            self.summary.warnings.append(warning)
        if planned:
            step.open()
        try:
            self.types = managed_types.apply(self.col, definitions)
        except managed_types.NoteTypeRefused as exc:
            self._error(str(exc))
            return
        self.summary.note_types = [f"{name}: created" for name in planned.created]
        self.summary.note_types += planned.full_upload + planned.other
        state = SyncState(self.folder, managed_notes.collection_id(self.col))
        self.state = state
        try:
            if state.reset_reason:
                self.summary.warnings.append(state.reset_reason)
            self.moved_back = state.trust(read_marker(self.col, state.state_id)) != Trust.CURRENT
            self.summary.moved_back = self.moved_back
            # Unchanged blocks skip parsing only while every label means what it meant,
            # and while the bases are the head's (their fingerprints are the head's).
            shape = definitions_fingerprint(definitions)
            same = not planned and state.definitions == shape and not self.moved_back
            # Anki's side unchanged since the last sync (and the bases the head's): only
            # the notes of files that changed are read, from the files and from Anki.
            mark = (
                managed_notes.unchanged_mark(self.col, self.types, state.anki_mark)
                if same
                else None
            )
            quiet = mark is not None
            files = self.layout.list_files()
            previous = state.files() if same else {}
            skip = unchanged_files(files, previous) if quiet and self.lazy else {}
            bases = state.scope(skip) if skip else state.bases
            known = {b.block: b.key for b in bases.values()} if same else {}
            content = self.layout.load(files, known, definitions, previous, skip)
            self.summary.errors += content.errors
            self.summary.markdown.errors += len(content.errors)
            self.summary.hints += content.hints
            self._sync(content, known, state, mark)
            self.summary.warnings += ignored_notices(self.folder, content.ignored)
            state.definitions = shape
        finally:
            state.close()

    def _sync(
        self, content: FolderContent, known: dict[str, str], state: SyncState,
        quiet_mark: str | None,
    ) -> None:  # fmt: skip
        """`quiet_mark`: Anki's change mark, when it says nothing changed in Anki.

        Files left unread (`content.skipped`) hold only notes as the last sync left
        them, on both sides: their bases are not even read (`state.scope`)."""
        quiet = quiet_mark is not None
        files, unreadable = content.files, content.unreadable
        self.definitions = {d.name: d for d in content.note_types}
        self.labels = {label for d in content.note_types for label in d.labels}
        for deck_file in files:
            self.files[deck_file.name] = deck_file
            self.deck_files.setdefault(deck_file.deck, deck_file.name)
        for name, file_mark in sorted(content.skipped.items()):
            self.deck_files.setdefault(file_mark.deck, name)
        old = state.bases
        md_notes, new_md, protected = self._markdown_notes(files, known, old)
        if content.skipped and state.holds_any(key for key in md_notes if key not in old):
            raise NotRead  # a note copied or moved here from a file left unread
        synced = state.count()
        resting_elsewhere = synced - len(old)
        self.summary.anki.unchanged += resting_elsewhere
        self.summary.markdown.unchanged += resting_elsewhere
        resting = {
            key for key, md in md_notes.items() if isinstance(md, _Unparsed) and _in_place(md)
        } if quiet else set()  # fmt: skip
        wanted = {b.note_id for key, b in old.items() if key not in resting} if quiet else None
        anki_notes, unkeyed = managed_notes.read_notes(self.col, self.types, wanted)
        anki = {n.key: n for n in anki_notes}
        if self.moved_back:
            unkeyed = self._give_keys_back(unkeyed, anki)
        self.convert = self.layout.converter(AnkiMedia(self.col), self.written, content.note_types)
        keys = list(dict.fromkeys([*md_notes, *anki, *old]))
        self.progress(f"Comparing {len(keys) + len(new_md) + len(unkeyed)} notes")
        for key in keys:
            base = old.get(key)
            if key in protected or (base is not None and base.file in unreadable):
                if base is not None:
                    self.bases[key] = base
                continue
            md = md_notes.get(key)
            if isinstance(md, _Unparsed):
                if key in resting or _unchanged(md, anki.get(key)):
                    self.bases[key] = md.base
                    self.summary.anki.unchanged += 1
                    self.summary.markdown.unchanged += 1
                    continue
                md = self._parse(md)
                if md is None:
                    if base is not None:
                        self.bases[key] = base
                    continue
            try:
                self._note(key, md, anki.get(key), base)
            except FieldNotConverted as exc:
                self._error(str(exc))
                if base is not None:
                    self.bases[key] = base
        new_notes = [(self.layout.new_key(), name, index, note) for name, index, note in new_md]
        keyed = [self.layout.with_key(self.files[n].text.blocks[i], k) for k, n, i, _ in new_notes]
        for (key, file_name, _, note), text in zip(new_notes, keyed):
            deck = note.deck or self.files[file_name].deck
            own = self.layout.key_fields(file_name, key)
            self._create_in_anki(key, file_name, deck, note, text, own)
        for unkeyed_note in unkeyed:
            key = self.layout.new_key()
            try:
                self._append_to_markdown(replace(unkeyed_note, key=key), created=True)
            except FieldNotConverted as exc:
                self._error(str(exc))
                continue
            self.updates.append(NoteUpdate(unkeyed_note.note_id, {}, key=key))
        self.summary.media_imported = self.convert.imported
        self.summary.media_exported = self.convert.exported
        for name in sorted(self.convert.missing):
            self.summary.warnings.append(f"image {name} is missing: the field refers to it")
        for refusal in self.convert.refused:
            self._error(refusal)
        if self._too_many_deletions(synced):
            return
        if any(name in content.skipped for name in self._files_to_write()):
            raise NotRead
        self._keys_written(new_notes, self._write(self._with_keys(new_notes, keyed)))
        generation = state.begin() if self._changes_anything(old) else None
        self.progress("Writing to Anki")
        if generation is not None:
            self.step.open()
            write_marker(self.col, state.state_id, generation)
        self._apply_to_anki()
        if generation is not None:  # inside the sync's undo step
            for deck in remove_empty_sync_decks(self.col, set(self.deck_files)):
                self.summary.warnings.append(f"deck {deck}: removed (made by the sync, now empty)")
        self.progress("Writing the Markdown files")
        self._find_deck_renames()
        self._write_files(old)
        state.save(self.bases, self._settled_files() | content.skipped, generation)
        # Anki's side counts as settled only when every note's base is what Anki has:
        # after an error (a note left out, a file not written) the next sync reads all.
        clean = not self.summary.errors and not self.unsettled
        mark = quiet_mark
        if clean and (generation is not None or mark is None):  # Anki may have changed
            mark = managed_notes.change_mark(self.col, self.types)
        state.anki_mark = mark if clean else None

    def _give_keys_back(self, unkeyed: list[AnkiNote], anki: dict[str, AnkiNote]) -> list[AnkiNote]:
        """Undoing a sync takes back the keys it gave notes made in Anki, whose blocks
        stay in the files: the head's bases know which note had which key."""
        keys = {base.note_id: key for key, base in self.state.head_bases.items()}
        rest: list[AnkiNote] = []
        for note in unkeyed:
            key = keys.get(note.note_id)
            if key and key not in anki:
                anki[key] = replace(note, key=key)
                self.updates.append(NoteUpdate(note.note_id, {}, key=key))
            else:
                rest.append(note)
        return rest

    def _changes_anything(self, old: dict[str, BaseNote]) -> bool:
        """A sync that changes nothing on either side makes no generation (and so no
        undo entry); one that finds the collection moved back always does."""
        return (
            self.moved_back
            or bool(self.adds or self.updates or self.moves or self.removals)
            or any(e.replace or e.remove or e.append for e in self.edits.values())
            or len(self.bases) != len(old)
            or any(b is not old.get(k) and b != old.get(k) for k, b in self.bases.items())
        )

    def _markdown_notes(
        self, files: list[DeckFile], known: dict[str, str], old: dict[str, BaseNote]
    ) -> tuple[dict[str, MdNote | _Unparsed], list[tuple[str, int, Note]], set[str]]:
        notes: dict[str, MdNote | _Unparsed] = {}
        new: list[tuple[str, int, Note]] = []
        protected: set[str] = set()
        by_file: dict[str, list[BaseNote]] = {}
        for base in old.values():
            by_file.setdefault(base.file, []).append(base)
        for deck_file in files:
            name = deck_file.name
            if deck_file.unchanged:  # the notes the last sync left in it, unread
                for base in by_file.get(name, []):
                    notes[base.key] = _Unparsed(base.key, name, deck_file.deck or base.deck, base)
                continue
            if deck_file.text.problems:
                self.unsettled.add(name)
            for index, block in enumerate(_blocks(deck_file)):
                if block.known is not None and known[block.known] not in notes:
                    key = known[block.known]
                    unparsed = _Unparsed(key, name, deck_file.deck, old[key])
                    unparsed.index, unparsed.block = index, block
                    notes[key] = unparsed
                    continue
                if block.known is not None:  # an exact copy of a synced note
                    self._parse_block(block)
                note = block.note
                if note is None:
                    # A block that failed to parse keeps its note safe from deletion.
                    protected.update(self.layout.keys_in(block.text))
                    continue
                if note.key is None:
                    new.append((name, index, note))
                    continue
                if note.key in notes:
                    first = notes[note.key]
                    self._error(
                        f"{name}:{note.line}: note_key {note.key} is also used at "
                        f"{first.file}:{first.line}: delete this copy's key line to make it a "
                        "new note"
                    )
                    protected.add(note.key)
                    continue
                open_records = [f for f, v in note.fields.items() if has_record(v)]
                if open_records:
                    self.unsettled.add(name)
                    protected.add(note.key)
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
        return notes, new, protected

    def _parse_block(self, block: AnyBlock) -> None:
        """A deck file's block left unparsed; a vault's card blocks are always parsed."""
        if isinstance(block, Block):
            try:
                block.note = parse_block(
                    block.text, block.line, list(self.definitions.values()), self.labels
                )
            except DeckTextError as exc:
                block.problem = exc
        block.known = None

    def _parse(self, unparsed: _Unparsed) -> MdNote | None:
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
                self._error(f"{unparsed.file}:1: note {unparsed.key} not found: sync again")
                return None
            unparsed.index, unparsed.block = found[0], blocks[found[0]]
        block = unparsed.block
        self._parse_block(block)
        note = block.note
        if note is None or note.key != unparsed.key:
            reason = block.problem.reason if block.problem else "the note's key changed"
            self._error(f"{unparsed.file}:{block.line}: {reason}")
            return None
        return MdNote(
            note.key, unparsed.file, note.line, unparsed.index, note.note_type.name,
            note.deck or unparsed.deck, note.fields, tuple(note.tags), block.text,
        )  # fmt: skip

    def _settled_files(self) -> dict[str, FileMark]:
        """Files the next sync may leave unparsed if their bytes are still these, or
        unread if their size and times are."""
        return {
            name: FileMark(deck_file.fingerprint, deck_file.deck, deck_file.stat)
            for name, deck_file in self.files.items()
            if name not in self.unsettled
        }

    def _error(self, message: str) -> None:
        self.summary.errors.append(message)
        self.summary.markdown.errors += 1

    # -- planning --------------------------------------------------------------

    def _note(
        self, key: str, md: MdNote | None, anki: AnkiNote | None, base: BaseNote | None
    ) -> None:
        if md is not None and anki is not None:
            self._both(key, md, anki, base if base and base.note_id == anki.note_id else None)
        elif md is not None:
            definition = self.definitions[md.note_type]
            names = [f.name for f in definition.fields]
            if base is not None and not self.moved_back and not md_changed_since(md, base, names):
                self._edit(md.file).remove.add(md.block)
                self.summary.markdown.deleted += 1
                self._lose("markdown", md.file, md.deck)
                return
            if base is not None and not self.moved_back:
                self.summary.warnings.append(
                    f"{md.file}:{md.line}: deleted in Anki but edited in Markdown since: "
                    "created again in Anki"
                )
            self._create_in_anki(key, md.file, md.deck, md, md.text)
        elif anki is not None:
            if base is not None and not self.moved_back and not anki_changed_since(anki, base):
                self.removals.append(anki.note_id)
                self.summary.anki.deleted += 1
                self._lose("anki", base.file, anki.deck)
                return
            if base is not None and not self.moved_back:
                self.summary.warnings.append(
                    f"{base.file}: note {key} was deleted from the file but edited in Anki "
                    "since: written back to the file"
                )
            self._append_to_markdown(anki, created=True)

    def _both(self, key: str, md: MdNote, anki: AnkiNote, base: BaseNote | None) -> None:
        if md.note_type != anki.note_type:
            self._error(
                f"{md.file}:{md.line}: this note is a {anki.note_type} in Anki but its labels "
                f"make it a {md.note_type}; Anki cannot change a note's type in place: put the "
                "labels back, or delete the note_key line to make it a new note"
            )
            if base is not None:
                self.bases[key] = base
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
            self.updates.append(
                NoteUpdate(
                    anki.note_id,
                    outcome.anki_changes,
                    outcome.tags if outcome.anki_tags_changed else None,
                )
            )
            self.summary.anki.updated += 1
        if outcome.anki_deck is not None:
            self.moves.append(CardMove(anki.note_id, anki.deck, outcome.anki_deck))
            self.summary.anki.moved += 1
        if not outcome.anki_changed and outcome.anki_deck is None:
            self.summary.anki.unchanged += 1
        if outcome.records:
            self.unsettled.add(md.file)  # the next sync must read and report the record
            self.summary.anki.conflicts += 1
            winner = "Markdown" if self.options.winner == "markdown" else "Anki"
            self.summary.conflicts.append(
                f"{md.file}:{md.line}: {', '.join(outcome.records)}: changed on both sides "
                f"(note {key}); {winner}'s version applied, both kept in the file"
            )
        definition = self.definitions[md.note_type]
        deck = outcome.md_deck or md.deck
        file_name = md.file
        text = md.text
        if outcome.md_deck is not None or outcome.md_changed:
            block = self.files[md.file].text.blocks[md.block]
            fields = outcome.md_fields | outcome.records
            text = self.layout.format(block, key, outcome.tags, definition, fields, deck)
        if outcome.md_deck is not None:
            self._edit(md.file).remove.add(md.block)
            file_name = self._file_for(outcome.md_deck)
            self._edit(file_name).append.append(text)
            self.deck_moves.setdefault(md.file, []).append((md.block, outcome.md_deck, text))
            self.summary.markdown.moved += 1
        elif outcome.md_changed:
            self._edit(md.file).replace[md.block] = text
            self.summary.markdown.updated += 1
        else:
            self.summary.markdown.unchanged += 1
        self._edit(file_name).keys.add(key)
        self.bases[key] = new_base(
            key, anki.note_id, md.note_type, file_name, deck, outcome.md_fields,
            outcome.anki_fields, outcome.tags, "" if outcome.records else text,
        )  # fmt: skip

    def _create_in_anki(
        self, key: str, file_name: str, deck: str, md: MdNote | Note, text: str,
        own: Mapping[str, str] | None = None,
    ) -> None:  # fmt: skip
        """`own`: fields the layout gives a new note once it has its key."""
        note_type = md.note_type if isinstance(md, MdNote) else md.note_type.name
        definition = self.definitions[note_type]
        values = {**md.fields, **own} if own else md.fields
        md_fields = {f.name: values.get(f.name, "") for f in definition.fields}
        self.convert.at(file_name, str(md.line))
        html = {name: self._to_anki(name, value) for name, value in md_fields.items()}
        tags = tuple(md.tags)
        self.adds.append(NewNote(key, note_type, deck, html, tags))
        # The note id is known once the note is added.
        self.bases[key] = new_base(key, 0, note_type, file_name, deck, md_fields, html, tags, text)
        self._edit(file_name).keys.add(key)
        self.summary.anki.created += 1
        if self.moved_back and key in self.state.head_bases:
            self.summary.restored += 1

    def _to_anki(self, name: str, value: str) -> str:
        """A field's HTML; the layout's own fields are HTML already."""
        return value if name in self.layout.one_way_fields else self.convert.to_anki(value)

    def _append_to_markdown(self, anki: AnkiNote, created: bool) -> None:
        definition = self.definitions[anki.note_type]
        file_name = self._file_for(anki.deck)
        self.convert.at(file_name, f" note nid:{anki.note_id} in Anki")
        md_fields = {
            f.name: self.convert.to_markdown(anki.fields.get(f.name, "")) for f in definition.fields
        }
        edit = self._edit(file_name)
        # Fields the layout decides (a vault card's link back) are given to Anki now.
        own = self.layout.own_fields(file_name, anki.key)
        md_fields |= own
        anki_fields = dict(anki.fields) | own
        if anki_fields != anki.fields:
            self.updates.append(NoteUpdate(anki.note_id, own))
        text = self.layout.format(None, anki.key, anki.tags, definition, md_fields, anki.deck)
        edit.append.append(text)
        edit.keys.add(anki.key)
        if created:
            self.summary.markdown.created += 1
        self.bases[anki.key] = new_base(
            anki.key, anki.note_id, anki.note_type, file_name, anki.deck, md_fields,
            anki_fields, anki.tags, text,
        )  # fmt: skip

    def _file_for(self, deck: str) -> str:
        if deck not in self.deck_files:
            name = self.layout.file_for_deck(deck)
            self.deck_files[deck] = name
            if name not in self.files:
                self.new_files[name] = deck
        return self.deck_files[deck]

    def _edit(self, file_name: str) -> _FileEdit:
        return self.edits.setdefault(file_name, _FileEdit())

    def _lose(self, side: str, file_name: str, deck: str) -> None:
        self.deletions += 1
        where = (side, file_name, deck)
        self.losses[where] = self.losses.get(where, 0) + 1

    def _too_many_deletions(self, synced: int) -> bool:
        limit = self.options.max_delete_share * synced
        if self.deletions < MIN_GUARDED_DELETIONS or self.deletions <= limit:
            return False
        if self.options.confirmed:
            self.summary.warnings.append(f"{self.deletions} notes deleted, as confirmed")
            return False
        self.summary.pending_deletions = [
            PendingDeletion(side, file_name, deck, count)
            for (side, file_name, deck), count in sorted(self.losses.items())
        ]
        causes = []
        if self.summary.anki.deleted:
            causes.append(
                f"{self.summary.anki.deleted} from Anki, because they are gone from the files"
            )
        if self.summary.markdown.deleted:
            causes.append(
                f"{self.summary.markdown.deleted} from the Markdown files, because they were "
                "deleted in Anki"
            )
        self.summary.needs_confirmation = (
            f"this sync would delete {self.deletions} of {synced} synced notes, more than "
            f"{self.options.max_delete_share:.0%}: {' and '.join(causes)}. If that was not "
            "meant (a file emptied or moved, notes deleted in Anki by mistake), put them "
            "back before syncing; if the deletions are intended, confirm"
        )
        return True

    # -- writing ---------------------------------------------------------------

    def _with_keys(
        self, new_notes: list[tuple[str, str, int, Note]], keyed: list[str]
    ) -> dict[str, str]:
        """The files of new notes, each note's block given its key."""
        for (_, file_name, index, _), text in zip(new_notes, keyed):
            self.layout.replace(self.files[file_name].text, index, text)
        names = dict.fromkeys(file_name for _, file_name, _, _ in new_notes)
        return {file_name: self.files[file_name].text.text() for file_name in names}

    def _keys_written(
        self, new_notes: list[tuple[str, str, int, Note]], failures: dict[str, Exception]
    ) -> None:
        """Before Anki learns of a new note, its file learns its key (`_with_keys`,
        written before Anki is touched): a run killed in between finds the key on the
        next run and never creates the note twice."""
        for file_name, exc in failures.items():
            self._error(f"{file_name}:1: not written: {exc}")
        self._forget_new({key for key, file_name, _, _ in new_notes if file_name in failures})

    def _forget_new(self, keys: set[str]) -> None:
        """New notes whose keys could not be written are not created: the next sync
        reads their file again and creates them once."""
        self.adds = [add for add in self.adds if add.key not in keys]
        for key in keys:
            del self.bases[key]
        self.summary.anki.created -= len(keys)

    def _apply_to_anki(self) -> None:
        managed_notes.update(self.col, self.updates)
        for key, note_id in managed_notes.add(self.col, self.adds, self.types).items():
            self.bases[key] = replace(self.bases[key], note_id=note_id)
        managed_notes.move_cards(self.col, self.moves)
        managed_notes.remove(self.col, self.removals)

    def _find_deck_renames(self) -> None:
        """A deck renamed in Anki sends every note of its file to one new deck: the
        file is renamed instead, keeping its order, comments and blank lines."""
        if not self.layout.renames_files:
            return
        for file_name, moves in self.deck_moves.items():
            deck_file = self.files[file_name]
            text = deck_file.text
            notes = [b for b in text.blocks if b.note is not None or b.known is not None]
            decks = {deck for _, deck, _ in moves}
            if len(decks) != 1 or len(moves) != len(notes) or text.problems:
                continue
            (deck,) = decks
            new_name = self.layout.file_for_deck(deck)
            new_edit = self.edits.get(new_name)
            if (
                text.front_matter  # the deck is named inside the file: not a rename
                or self.new_files.get(new_name) != deck
                or new_edit is None
                or len(new_edit.append) != len(moves)
                or managed_notes.deck_exists(self.col, deck_file.deck)
            ):
                continue
            edit = self._edit(file_name)
            for index, _, block_text in moves:
                edit.remove.discard(index)
                edit.replace[index] = block_text
            edit.keys |= new_edit.keys
            del self.edits[new_name], self.new_files[new_name]
            self.renames[file_name] = new_name
            self.summary.files_renamed.append(f"{file_name} → {new_name}")

    def _files_to_write(self) -> list[str]:
        return [
            name for name, edit in sorted(self.edits.items())
            if edit.replace or edit.remove or edit.append
        ]  # fmt: skip

    def _write_files(self, old: dict[str, BaseNote]) -> None:
        texts: dict[str, str] = {}
        for file_name in self._files_to_write():
            edit = self.edits[file_name]
            known = self.files.get(file_name)
            text = known.text if known is not None else self.layout.empty()
            for index, block_text in edit.replace.items():
                self.layout.replace(text, index, block_text)
            for index in sorted(edit.remove, reverse=True):
                self.layout.remove(text, index)
            for block_text in edit.append:
                self.layout.append(text, block_text)
            texts[file_name] = text.text()
        failures = self._write(texts)
        for file_name in texts.keys() & self.renames.keys() - failures.keys():
            target = self.folder / self.renames[file_name]
            self.written.add(target)
            try:
                os.replace(self.folder / file_name, target)
            except OSError as error:
                failures[file_name] = error
        for file_name, reason in failures.items():
            self._error(f"{file_name}:1: not written: {reason}")
            for key in self.edits[file_name].keys:  # the next run compares this note again
                if key in old:
                    self.bases[key] = old[key]
                else:
                    self.bases.pop(key, None)

    def _write(self, texts: dict[str, str]) -> dict[str, Exception]:
        """Write the files (by name in the folder), all made durable together; returns
        those not written, with the reason (changed meanwhile, or out of the folder)."""
        writes: list[tuple[Path, bytes | None, str]] = []
        names: dict[Path, str] = {}
        failures: dict[str, Exception] = {}
        inside = Inside(self.folder)
        for file_name, text in texts.items():
            deck_file = self.files.get(file_name)
            expected = deck_file.raw if deck_file is not None else None
            if expected is not None and b"\r\n" in expected:
                text = text.replace("\n", "\r\n")
            try:
                path = inside(file_name)
            except OutsideFolder as exc:
                failures[file_name] = exc
                continue
            self.written.add(self.folder / file_name)
            writes.append((path, expected, text))
            names[path] = file_name
        failed = replace_texts(writes)
        failures |= {names[path]: exc for path, exc in failed.items()}
        for path, _, text in writes:
            deck_file = self.files.get(names[path])
            if deck_file is not None and path not in failed:
                deck_file.raw = text.encode("utf-8")
                deck_file.fingerprint = fingerprint_bytes(deck_file.raw)
                deck_file.stat = ""  # written just now: its times say nothing yet
        return failures


@dataclass
class _Unparsed:
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


def _in_place(md: _Unparsed) -> bool:
    """A note exactly as the last sync left it, in the file and deck it had."""
    return md.base.file == md.file and md.base.deck == md.deck


def _unchanged(md: _Unparsed, anki: AnkiNote | None) -> bool:
    """In place, and Anki's note as the last sync left it."""
    return (
        anki is not None
        and _in_place(md)
        and md.base.note_id == anki.note_id
        and md.base.row == anki.row
    )


def _blocks(deck_file: DeckFile) -> Sequence[AnyBlock]:
    return deck_file.text.blocks
