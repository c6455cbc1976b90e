"""Deck actions."""

from __future__ import annotations

from anki.collection import Collection

from ...store.decks import create_deck, deck_names_and_ids
from ..context import ApiContext
from .registry import action


@action
def deckNames(ctx: ApiContext) -> list[str]:
    return list(ctx.runner.read(deck_names_and_ids))


@action
def deckNamesAndIds(ctx: ApiContext) -> dict[str, int]:
    return ctx.runner.read(deck_names_and_ids)


@action
def createDeck(ctx: ApiContext, deck: str) -> int:
    def write(col: Collection) -> int:
        return create_deck(col, deck)

    return ctx.runner.write("AnkiConnect: createDeck", write)
