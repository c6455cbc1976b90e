"""Decks as the API lists them."""

from __future__ import annotations

from typing import Any

from anki.collection import Collection
from anki.decks import DeckId


def deck_list(col: Collection) -> list[dict[str, Any]]:
    decks = sorted(col.decks.all_names_and_ids(), key=lambda deck: deck.name.lower())
    return [
        {"id": deck.id, "name": deck.name, "filtered": col.decks.is_filtered(DeckId(deck.id))}
        for deck in decks
    ]
