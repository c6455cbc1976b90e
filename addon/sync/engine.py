"""The two-way sync of a Markdown folder (or a vault) and a collection, in one run,
as phases: load, plan, write keys, apply to Anki, write files, save state.

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

The load phase may leave unchanged files unread (see `load`); the plan is the one a
sync reading everything makes, or the run starts over reading everything. Every rule
is written down in docs/sync-contract.md, with the test that enforces it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from anki.collection import Collection, OpChanges

from ..core.gc_pause import gc_paused
from ..store import managed_notes
from ..store.decks import default_deck_name
from ..store.media_files import AnkiMedia, MediaPreview
from ..store.runner import CollectionRunner, UndoStep
from ..store.sync_state import SyncState
from .apply_anki import apply_to_anki
from .deck_folder import DeckFolder
from .folder import NotRead, ignored_notices
from .layout import Layout
from .load import load_sides, note_types
from .options import SyncOptions
from .plan import make_plan
from .save_state import save_state
from .summary import SyncSummary
from .vault import Vault
from .write_files import FileWriter

UNDO_LABEL = DeckFolder.undo_label

Progress = Callable[[str], None]


@dataclass
class SyncResult:
    summary: SyncSummary
    changes: OpChanges
    written: set[Path]  # files the sync wrote, which a watcher must not take for edits


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
    options = options or SyncOptions()
    report = progress or (lambda _text: None)

    def attempt(lazy: bool) -> tuple[SyncSummary, set[Path]]:
        summary, written = SyncSummary(), set[Path]()
        _run(col, layout, options, summary, report, lazy, step, written)
        return summary, written

    try:
        with gc_paused():
            try:
                summary, written = attempt(lazy=True)
            except NotRead:
                summary, written = attempt(lazy=False)
    finally:
        changes = step.close()
    return SyncResult(summary, changes, written)


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


def _run(
    col: Collection, layout: Layout, options: SyncOptions, summary: SyncSummary,
    progress: Progress, lazy: bool, step: UndoStep, written: set[Path],
) -> None:  # fmt: skip
    """The phases, in the order the crash rule (see the module's docstring) needs. A dry
    run stops after the plan, on a copy of the state, and adds no media to Anki."""
    progress("Reading the Markdown folder")
    dry = options.dry_run
    summary.dry_run = dry
    types = note_types(col, layout, options, summary, step)
    if types is None:
        return
    open_state = SyncState.scratch_copy if dry else SyncState
    state = open_state(layout.folder, managed_notes.collection_id(col))
    try:
        loaded = load_sides(col, layout, state, types, lazy, summary)
        sides = loaded.sides
        media = (MediaPreview if dry else AnkiMedia)(col)
        convert = layout.converter(media, written, loaded.content.note_types)
        progress(f"Comparing {sides.count()} notes")
        plan = make_plan(sides, layout, options, convert, summary)
        if dry:
            summary.planned = [asdict(decision) for decision in plan.decisions]
            return
        if not plan.stopped:
            writer = FileWriter(layout, sides.files, summary, written)
            writer.write_keys(plan)
            changes = plan.changes_anything(sides.bases, sides.moved_back)
            generation = state.begin() if changes else None
            progress("Writing to Anki")
            if generation is not None:
                step.open()
            apply_to_anki(col, plan, types.types, state, generation, summary)
            progress("Writing the Markdown files")
            writer.write_edits(plan, sides.bases)
            save_state(
                col, state, plan, sides.files, loaded.content.skipped, generation,
                loaded.quiet_mark, types.types, summary,
            )  # fmt: skip
        summary.warnings += ignored_notices(layout.folder, loaded.content.ignored)
        state.definitions = loaded.shape
    finally:
        state.close()
