"""The load phase: the note types, then the three sides of every note that may have
changed — the files, the bases in the sync state, the notes in Anki.

A sync reads only what may have changed. When Anki's change mark is the one the last
clean sync left, Anki's notes are as their bases say, and a file whose size, times and
inode are those the last sync saw holds what it held: it is not read, nor are its
notes' bases, nor its notes in Anki. A file's times are trusted only once a tick of
the clock has passed since they changed (a write within the tick may keep them), and
a file the sync writes is read again next time. When a file that was read names a
note whose base belongs to a file left unread (a card copied from there), the load
raises NotRead and the sync starts over reading everything, before anything is
written: the outcome is always the one a sync reading everything reaches.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from anki.collection import Collection
from anki.models import NotetypeDict

from ..core.note_type_defs import NoteTypeDef, definitions_fingerprint
from ..core.sync_plan import AnkiNote
from ..store import managed_notes, managed_types
from ..store.managed_notes import NoteUpdate
from ..store.runner import UndoStep
from ..store.sync_marker import read_marker
from ..store.sync_state import SyncState, Trust
from .folder import FolderContent, NoteTypesInvalid, NotRead, folder_problem, unchanged_files
from .git_snapshot import snapshot
from .layout import Layout
from .markdown_side import MarkdownReader, Unparsed
from .options import SyncOptions
from .plan import Sides
from .summary import SyncSummary


@dataclass
class NoteTypes:
    definitions: list[NoteTypeDef]
    types: dict[str, NotetypeDict]  # the note types in Anki, by name
    changed: bool  # the sync created or changed some


@dataclass
class Loaded:
    content: FolderContent
    sides: Sides
    shape: str  # the note types' fingerprint, saved with the state
    quiet_mark: str | None  # Anki's change mark, when it says nothing changed in Anki


def note_types(
    col: Collection, layout: Layout, options: SyncOptions, summary: SyncSummary,
    step: UndoStep,
) -> NoteTypes | None:  # fmt: skip
    """The layout's note types, made so in Anki (inside the sync's undo step); None,
    with the reason in `summary`, when the sync cannot or must not go on. A dry run
    changes no note type: it says what a sync would change, and plans with the note
    types Anki has."""
    if problem := folder_problem(layout.folder):
        summary.errors.append(problem)
        return None
    dry = options.dry_run
    try:
        definitions = layout.definitions(summary.warnings, write=not dry)
        planned = managed_types.planned_changes(col, definitions)
    except (NoteTypesInvalid, managed_types.ForeignNoteType) as exc:
        problems = exc.problems if isinstance(exc, NoteTypesInvalid) else [str(exc)]
        summary.errors += problems
        summary.markdown.errors += len(problems)
        return None
    if planned.full_upload and not options.confirmed and not dry:
        summary.note_types = planned.full_upload
        summary.needs_confirmation = (
            "these note type changes make AnkiWeb ask for a one-way upload of the "
            "whole collection on the next sync: " + "; ".join(planned.full_upload)
        )
        return None
    if options.git_snapshot and not dry and (warning := snapshot(layout.folder)):
        summary.warnings.append(warning)
    if planned and not dry:
        step.open()
    try:
        types = (managed_types.existing if dry else managed_types.apply)(col, definitions)
    except managed_types.NoteTypeRefused as exc:
        summary.errors.append(str(exc))
        summary.markdown.errors += 1
        return None
    summary.note_types = [f"{name}: created" for name in planned.created]
    summary.note_types += planned.full_upload + planned.other
    return NoteTypes(definitions, types, bool(planned))


def load_sides(
    col: Collection, layout: Layout, state: SyncState, note_types: NoteTypes, lazy: bool,
    summary: SyncSummary,
) -> Loaded:  # fmt: skip
    """`lazy`: files known unchanged by their size and times may be left unread."""
    if state.reset_reason:
        summary.warnings.append(state.reset_reason)
    moved_back = state.trust(read_marker(col, state.state_id)) != Trust.CURRENT
    summary.moved_back = moved_back
    definitions, types = note_types.definitions, note_types.types
    # Unchanged blocks skip parsing only while every label means what it meant, and
    # while the bases are the head's (their fingerprints are the head's).
    shape = definitions_fingerprint(definitions)
    same = not note_types.changed and state.definitions == shape and not moved_back
    # Anki's side unchanged since the last sync (and the bases the head's): only the
    # notes of files that changed are read, from the files and from Anki.
    quiet_mark = managed_notes.unchanged_mark(col, types, state.anki_mark) if same else None
    files = layout.list_files()
    previous = state.files() if same else {}
    skip = unchanged_files(files, previous) if quiet_mark is not None and lazy else {}
    bases = state.scope(skip) if skip else state.bases
    known = {b.block: b.key for b in bases.values()} if same else {}
    content = layout.load(files, known, definitions, previous, skip)
    summary.errors += content.errors
    summary.markdown.errors += len(content.errors)
    summary.hints += content.hints

    deck_files: dict[str, str] = {}
    loaded_files = {}
    for deck_file in content.files:
        loaded_files[deck_file.name] = deck_file
        deck_files.setdefault(deck_file.deck, deck_file.name)
    for name, file_mark in sorted(content.skipped.items()):
        deck_files.setdefault(file_mark.deck, name)
    old = state.bases
    reader = MarkdownReader(layout, content.note_types, loaded_files, summary)
    markdown = reader.notes(known, old)
    if content.skipped and state.holds_any(key for key in markdown.notes if key not in old):
        raise NotRead  # a note copied or moved here from a file left unread
    resting = frozenset(
        key for key, md in markdown.notes.items() if isinstance(md, Unparsed) and md.in_place
    ) if quiet_mark is not None else frozenset()  # fmt: skip
    wanted = (
        {b.note_id for key, b in old.items() if key not in resting}
        if quiet_mark is not None
        else None
    )
    anki_notes, unkeyed = managed_notes.read_notes(col, types, wanted)
    anki = {n.key: n for n in anki_notes}
    key_updates: list[NoteUpdate] = []
    head_keys: frozenset[str] = frozenset()
    if moved_back:
        unkeyed = _give_keys_back(state, unkeyed, anki, key_updates)
        head_keys = frozenset(state.head_bases)
    # A deck is renamed in Anki only where Anki changed.
    anki_decks = frozenset(
        f.deck for f in content.files if managed_notes.deck_exists(col, f.deck)
    ) if layout.renames_files and quiet_mark is None else frozenset()  # fmt: skip
    sides = Sides(
        files=loaded_files,
        skipped=content.skipped,
        unreadable=content.unreadable,
        deck_files=deck_files,
        definitions={d.name: d for d in content.note_types},
        markdown=markdown,
        anki=anki,
        unkeyed=unkeyed,
        bases=old,
        synced=state.count(),
        moved_back=moved_back,
        head_keys=head_keys,
        resting=resting,
        anki_decks=anki_decks,
        key_updates=key_updates,
    )
    return Loaded(content, sides, shape, quiet_mark)


def _give_keys_back(
    state: SyncState, unkeyed: list[AnkiNote], anki: dict[str, AnkiNote],
    updates: list[NoteUpdate],
) -> list[AnkiNote]:  # fmt: skip
    """Undoing a sync takes back the keys it gave notes made in Anki, whose blocks stay
    in the files: the head's bases know which note had which key."""
    keys = {base.note_id: key for key, base in state.head_bases.items()}
    rest: list[AnkiNote] = []
    for note in unkeyed:
        key = keys.get(note.note_id)
        if key and key not in anki:
            anki[key] = replace(note, key=key)
            updates.append(NoteUpdate(note.note_id, {}, key=key))
        else:
            rest.append(note)
    return rest
