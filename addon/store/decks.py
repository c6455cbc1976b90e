"""Decks as the API lists them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from anki.collection import Collection
from anki.decks import DeckId
from anki.utils import ids2str

from ..core.decks import deck_and_parents


def deck_list(col: Collection) -> list[dict[str, Any]]:
    decks = sorted(col.decks.all_names_and_ids(), key=lambda deck: deck.name.lower())
    return [
        {"id": deck.id, "name": deck.name, "filtered": col.decks.is_filtered(DeckId(deck.id))}
        for deck in decks
    ]


def deck_names_and_ids(col: Collection) -> dict[str, int]:
    return {deck.name: deck.id for deck in col.decks.all_names_and_ids()}


def create_deck(col: Collection, name: str, marks: Mapping[str, Any] | None = None) -> int:
    """Creates the deck and its parents, each deck it makes given the keys of `marks`
    as it is made; an existing deck's id is returned as is."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError("deck name must be a non-empty string")
    deck_id = None
    for level in deck_and_parents(name):
        deck_id = col.decks.id_for_name(level)
        if deck_id is None:
            deck = col.decks.new_deck_legacy(False)
            deck["name"] = level
            deck.update(marks or {})
            deck_id = DeckId(col.decks.add_deck_legacy(deck).id)
    assert deck_id is not None
    return int(deck_id)


def default_deck_name(col: Collection) -> str:
    """Anki's default deck, whatever it is called in the user's language."""
    return col.decks.name(DeckId(1))


def existing_deck_id(col: Collection, name: str) -> DeckId:
    deck_id = col.decks.id_for_name(name)
    if deck_id is None:
        raise ValueError(f"deck was not found: {name}")
    return deck_id


def deck_name(col: Collection, deck_id: Any) -> str:
    deck = col.decks.get(DeckId(int(deck_id)), default=False)
    if deck is None:
        raise ValueError(f"deck was not found: {deck_id}")
    return str(deck["name"])


def decks_of_cards(col: Collection, card_ids: list[int]) -> dict[str, list[int]]:
    assert col.db is not None
    names = {deck.id: deck.name for deck in col.decks.all_names_and_ids()}
    result: dict[str, list[int]] = {}
    if card_ids:
        rows = col.db.all(f"select id, did from cards where id in {ids2str(map(int, card_ids))}")
        for cid, did in rows:
            result.setdefault(names.get(did, str(did)), []).append(int(cid))
    return result


def delete_decks(col: Collection, names: list[str], cards_too: bool) -> None:
    if not cards_too:
        # Anki itself has had no way to keep the cards of a deleted deck since 2.1.28.
        raise ValueError(
            "Since Anki 2.1.28 it's not possible to delete decks without deleting cards as well"
        )
    ids = [deck_id for name in names if (deck_id := col.decks.id_for_name(name)) is not None]
    col.decks.remove(ids)


def deck_stats(col: Collection, names: list[str]) -> dict[str, dict[str, Any]]:
    tree = col.sched.deck_due_tree()
    result: dict[str, dict[str, Any]] = {}
    for name in names:
        deck_id = col.decks.id_for_name(name)
        node = col.decks.find_deck_in_tree(tree, deck_id) if deck_id and tree else None
        if deck_id is None or node is None:
            continue
        result[str(deck_id)] = {
            "deck_id": int(deck_id),
            "name": col.decks.name(deck_id),
            "new_count": node.new_count,
            "learn_count": node.learn_count,
            "review_count": node.review_count,
            "total_in_deck": col.decks.card_count(deck_id, include_subdecks=True),
        }
    return result
