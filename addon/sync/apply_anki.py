"""The apply phase: the Anki half of a plan, inside the sync's one undo step."""

from __future__ import annotations

from collections.abc import Mapping

from anki.collection import Collection
from anki.models import NotetypeDict

from ..store import managed_notes
from ..store.sync_decks import remove_empty_sync_decks
from ..store.sync_marker import write_marker
from ..store.sync_state import SyncState
from .plan import Plan
from .summary import SyncSummary


def apply_to_anki(
    col: Collection, plan: Plan, types: Mapping[str, NotetypeDict], state: SyncState,
    generation: str | None, summary: SyncSummary,
) -> None:  # fmt: skip
    """`generation`: the state's new generation, whose marker goes into the collection
    with the changes (None: the sync changes nothing, and leaves no undo entry). New
    notes' bases get the ids Anki gave them."""
    if generation is not None:
        write_marker(col, state.state_id, generation)
    managed_notes.update(col, plan.updates)
    for key, note_id in managed_notes.add(col, plan.adds, types).items():
        plan.bases[key] = plan.bases[key].with_note_id(note_id)
    managed_notes.move_cards(col, plan.moves)
    managed_notes.remove(col, plan.removals)
    if generation is not None:
        for deck in remove_empty_sync_decks(col, set(plan.deck_files)):
            summary.warnings.append(f"deck {deck}: removed (made by the sync, now empty)")
