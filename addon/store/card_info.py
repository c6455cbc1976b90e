"""Cards described the way AnkiConnect's cardsInfo answers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from anki.cards import Card
from anki.collection import Collection

from .card_state import columns_by_card, existing_cards


def card_info(col: Collection, card: Card, decks: dict[int, str] | None = None) -> dict[str, Any]:
    """`decks`: deck names already looked up, by id (each is a trip to the backend)."""
    note = card.note()
    notetype = card.note_type()
    names = col.models.field_names(notetype)
    decks = {} if decks is None else decks
    if card.did not in decks:
        deck = col.decks.get(card.did)
        decks[card.did] = deck["name"] if deck else ""
    return {
        "cardId": card.id,
        "note": card.nid,
        "deckName": decks[card.did],
        "modelName": notetype["name"],
        "fieldOrder": card.ord,
        "fields": {name: {"value": note.fields[i], "order": i} for i, name in enumerate(names)},
        "question": card.question(),
        "answer": card.answer(),
        "css": notetype["css"],
        "template": card.template()["name"],
        "ord": card.ord,
        "type": card.type,
        "queue": card.queue,
        "due": card.due,
        "interval": card.ivl,
        "factor": card.factor,
        "reps": card.reps,
        "lapses": card.lapses,
        "left": card.left,
        "flags": card.flags,
        "odue": card.odue,
        "odid": card.odid,
        "mod": card.mod,
        "nextReviews": next_reviews(col, card),
    }


def next_reviews(col: Collection, card: Card) -> list[str]:
    """What each answer button would schedule ("<10m", "4d", ...), as the reviewer shows."""
    backend = col._backend
    return list(backend.describe_next_states(backend.get_scheduling_states(card.id)))


def cards_info(col: Collection, cards: Sequence[Any]) -> list[dict[str, Any]]:
    """In the order asked; a card that does not exist is `{}` in its place, as in
    AnkiConnect, so the answers line up with the ids."""
    found = {int(card.id): card for card in existing_cards(col, cards)}
    decks: dict[int, str] = {}
    return [card_info(col, found[cid], decks) if cid in found else {} for cid in cards]


def cards_placement(col: Collection, cards: Sequence[Any]) -> list[dict[str, Any]]:
    """cardsInfo as AnkiOps' connector answers it: each card's id, note, deck and note
    type, in the order asked, cards that do not exist left out. Nothing is rendered:
    AnkiOps asks for every card of a folder at once (20,000 renderings outlast its
    10-second wait) and reads only where each note's cards are."""
    found = columns_by_card(col, cards, "nid, did, (select mid from notes where id = cards.nid)")
    decks = {did: col.decks.name(did) for did in {row[1] for row in found.values()}}
    types = {mid: col.models.get(mid) for mid in {row[2] for row in found.values()}}
    return [
        {
            "cardId": card_id,
            "note": found[card_id][0],
            "deckName": decks[found[card_id][1]],
            "modelName": (types[found[card_id][2]] or {}).get("name", ""),
        }
        for card_id in map(int, cards)
        if card_id in found
    ]
