"""Deck actions."""

from __future__ import annotations

from typing import Any

from anki.collection import Collection

from ...store import card_state, deck_options
from ...store.decks import (
    create_deck,
    deck_name,
    deck_names_and_ids,
    deck_stats,
    decks_of_cards,
    delete_decks,
)
from ..context import ApiContext
from .registry import action


@action
def deckNames(ctx: ApiContext) -> list[str]:
    return list(ctx.runner.read(deck_names_and_ids))


@action
def deckNamesAndIds(ctx: ApiContext) -> dict[str, int]:
    return ctx.runner.read(deck_names_and_ids)


@action
def deckNameFromId(ctx: ApiContext, deckId: int) -> str:
    return ctx.runner.read(lambda col: deck_name(col, deckId))


@action
def createDeck(ctx: ApiContext, deck: str) -> int:
    def write(col: Collection) -> int:
        return create_deck(col, deck)

    return ctx.runner.write("AnkiConnect: createDeck", write)


@action
def getDecks(ctx: ApiContext, cards: list[int]) -> dict[str, list[int]]:
    return ctx.runner.read(lambda col: decks_of_cards(col, cards))


@action
def changeDeck(ctx: ApiContext, cards: list[int], deck: str) -> None:
    def write(col: Collection) -> None:
        card_state.move_to_deck(col, cards, lambda: create_deck(col, deck))

    ctx.runner.write("AnkiConnect: changeDeck", write)


@action
def deleteDecks(ctx: ApiContext, decks: list[str], cardsToo: bool = False) -> None:
    ctx.runner.write("AnkiConnect: deleteDecks", lambda col: delete_decks(col, decks, cardsToo))


@action
def getDeckConfig(ctx: ApiContext, deck: str) -> dict[str, Any] | bool:
    return ctx.runner.read(lambda col: deck_options.preset_of_deck(col, deck))


@action
def saveDeckConfig(ctx: ApiContext, config: dict[str, Any]) -> bool:
    return ctx.runner.write(
        "AnkiConnect: saveDeckConfig", lambda col: deck_options.save_preset(col, config)
    )


@action
def setDeckConfigId(ctx: ApiContext, decks: list[str], configId: int) -> bool:
    return ctx.runner.write(
        "AnkiConnect: setDeckConfigId",
        lambda col: deck_options.use_preset(col, decks, int(configId)),
    )


@action
def cloneDeckConfigId(
    ctx: ApiContext, name: str, cloneFrom: int = deck_options.DEFAULT_PRESET
) -> int | bool:
    return ctx.runner.write(
        "AnkiConnect: cloneDeckConfigId",
        lambda col: deck_options.clone_preset(col, name, int(cloneFrom)),
    )


@action
def removeDeckConfigId(ctx: ApiContext, configId: int) -> bool:
    return ctx.runner.write(
        "AnkiConnect: removeDeckConfigId",
        lambda col: deck_options.remove_preset(col, int(configId)),
    )


@action
def getDeckStats(ctx: ApiContext, decks: list[str]) -> dict[str, dict[str, Any]]:
    return ctx.runner.read(lambda col: deck_stats(col, decks))
