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


def deck_names_and_ids(col: Collection) -> dict[str, int]:
    return {deck.name: deck.id for deck in col.decks.all_names_and_ids()}


def create_deck(col: Collection, name: str) -> int:
    """Creates the deck and its parents; an existing deck's id is returned as is."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError("deck name must be a non-empty string")
    deck_id = col.decks.id(name, create=True)
    assert deck_id is not None
    return int(deck_id)


def existing_deck_id(col: Collection, name: str) -> DeckId:
    deck_id = col.decks.id_for_name(name)
    if deck_id is None:
        raise ValueError(f"deck was not found: {name} (create it first with the createDeck action)")
    return deck_id
