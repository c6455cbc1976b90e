"""The parts of a plan that look at whole files and at the sync as a whole: the edits
each file gets, decks renamed in Anki (a file renamed, not rewritten), and the guard
that stops a mass deletion until the user says yes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .folder import DeckFile
from .layout import Layout
from .options import SyncOptions
from .summary import PendingDeletion, SyncSummary

# Below this many deletions the share is not checked: deleting two notes of a
# five-note folder is an edit, not an accident.
MIN_GUARDED_DELETIONS = 3


@dataclass
class FileEdit:
    replace: dict[int, str] = field(default_factory=dict)  # block index → its new text
    remove: set[int] = field(default_factory=set)
    append: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)  # notes whose base depends on this write

    @property
    def changes_text(self) -> bool:
        return bool(self.replace or self.remove or self.append)


def find_deck_renames(
    layout: Layout, files: Mapping[str, DeckFile],
    deck_moves: Mapping[str, list[tuple[int, str, str]]], edits: dict[str, FileEdit],
    new_files: dict[str, str], anki_decks: frozenset[str],
) -> dict[str, str]:  # fmt: skip
    """A deck renamed in Anki sends every note of its file to one new deck: the file is
    renamed instead, keeping its order, comments and blank lines. `deck_moves`: per
    file, the blocks moved (index, deck, text); `anki_decks`: the files' decks that
    Anki still has (then it is a move, not a rename). Rewrites `edits` and `new_files`
    for each rename; returns old name → new name."""
    renames: dict[str, str] = {}
    for file_name, moves in deck_moves.items():
        deck_file = files[file_name]
        text = deck_file.text
        notes = [b for b in text.blocks if b.note is not None or b.known is not None]
        decks = {deck for _, deck, _ in moves}
        if len(decks) != 1 or len(moves) != len(notes) or text.problems:
            continue
        (deck,) = decks
        new_name = layout.file_for_deck(deck)
        new_edit = edits.get(new_name)
        if (
            text.front_matter  # the deck is named inside the file: not a rename
            or new_files.get(new_name) != deck
            or new_edit is None
            or len(new_edit.append) != len(moves)
            or deck_file.deck in anki_decks
        ):
            continue
        edit = edits.setdefault(file_name, FileEdit())
        for index, _, block_text in moves:
            edit.remove.discard(index)
            edit.replace[index] = block_text
        edit.keys |= new_edit.keys
        del edits[new_name], new_files[new_name]
        renames[file_name] = new_name
    return renames


def deletion_guard(
    summary: SyncSummary, options: SyncOptions, deletions: int, synced: int,
    losses: Mapping[tuple[str, str, str], int],
) -> bool:  # fmt: skip
    """Whether the sync must stop and ask: it would delete more than the allowed share
    of the `synced` notes. `losses`: per (side, file, deck), the notes it would delete."""
    limit = options.max_delete_share * synced
    if deletions < MIN_GUARDED_DELETIONS or deletions <= limit:
        return False
    if options.confirmed:
        summary.warnings.append(f"{deletions} notes deleted, as confirmed")
        return False
    summary.pending_deletions = [
        PendingDeletion(side, file_name, deck, count)
        for (side, file_name, deck), count in sorted(losses.items())
    ]
    causes = []
    if summary.anki.deleted:
        causes.append(f"{summary.anki.deleted} from Anki, because they are gone from the files")
    if summary.markdown.deleted:
        causes.append(
            f"{summary.markdown.deleted} from the Markdown files, because they were "
            "deleted in Anki"
        )
    summary.needs_confirmation = (
        f"this sync would delete {deletions} of {synced} synced notes, more than "
        f"{options.max_delete_share:.0%}: {' and '.join(causes)}. If that was not "
        "meant (a file emptied or moved, notes deleted in Anki by mistake), put them "
        "back before syncing; if the deletions are intended, confirm"
    )
    return True
