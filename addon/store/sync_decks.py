"""Decks the folder sync makes for its files, marked as such in the deck itself, so
that one left empty when its file is deleted or renamed can go again. A deck the user
made, or one holding any card, is never removed."""

from __future__ import annotations

from collections.abc import Iterable, Set

from anki.collection import Collection
from anki.decks import DeckId

from .decks import create_deck

MARK = "contextConnectMadeBySync"
DEFAULT_DECK = 1


def create_sync_decks(col: Collection, names: Iterable[str]) -> dict[str, DeckId]:
    """Each deck by name, created (with its parents) and marked when missing."""
    return {name: DeckId(create_deck(col, name, {MARK: True})) for name in sorted(set(names))}


def remove_empty_sync_decks(col: Collection, in_use: Set[str]) -> list[str]:
    """Marked decks no file names any more, with no card and no remaining subdeck;
    deepest first, so an emptied parent goes too. Returns their names."""
    assert col.db is not None
    used = {name.lower() for name in in_use}
    decks = sorted(col.decks.all_names_and_ids(), key=lambda d: -d.name.count("::"))
    names = {d.name.lower() for d in decks}
    removed: list[str] = []
    for entry in decks:
        deck = col.decks.get(DeckId(entry.id))
        lower = entry.name.lower()
        if deck is None or not deck.get(MARK) or deck.get("dyn") or entry.id == DEFAULT_DECK:
            continue
        if lower in used or any(u.startswith(lower + "::") for u in used):
            continue
        if any(n.startswith(lower + "::") for n in names):
            continue  # a subdeck is still there
        holds = "select 1 from cards where did = ? or odid = ? limit 1"
        if col.db.scalar(holds, entry.id, entry.id):
            continue
        col.decks.remove([DeckId(entry.id)])
        names.discard(lower)
        removed.append(entry.name)
    return removed
