"""The last phase: the bases the next sync compares against, and the marks that let it
leave unchanged files unread and skip Anki's notes while Anki is unchanged."""

from __future__ import annotations

from collections.abc import Mapping

from anki.collection import Collection
from anki.models import NotetypeDict

from ..store import managed_notes
from ..store.sync_state import FileMark, SyncState
from .folder import DeckFile
from .plan import Plan
from .summary import SyncSummary


def save_state(
    col: Collection, state: SyncState, plan: Plan, files: Mapping[str, DeckFile],
    skipped: Mapping[str, FileMark], generation: str | None, quiet_mark: str | None,
    types: Mapping[str, NotetypeDict], summary: SyncSummary,
) -> None:  # fmt: skip
    # Files the next sync may leave unparsed if their bytes are still these, or
    # unread if their size and times are.
    settled = {
        name: FileMark(deck_file.fingerprint, deck_file.deck, deck_file.stat)
        for name, deck_file in files.items()
        if name not in plan.unsettled
    }
    state.save(plan.bases, {**settled, **skipped}, generation)
    # Anki's side counts as settled only when every note's base is what Anki has:
    # after an error (a note left out, a file not written) the next sync reads all.
    clean = not summary.errors and not plan.unsettled
    mark = quiet_mark
    if clean and (generation is not None or mark is None):  # Anki may have changed
        mark = managed_notes.change_mark(col, types)
    state.anki_mark = mark if clean else None
