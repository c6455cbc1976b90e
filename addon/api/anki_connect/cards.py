"""Card actions."""

from __future__ import annotations

from typing import Any

from anki.collection import Collection

from ...store import card_info, card_state
from ..context import ApiContext
from .registry import action


def _label(name: str) -> str:
    return f"AnkiConnect: {name}"


@action
def getEaseFactors(ctx: ApiContext, cards: list[int]) -> list[int | None]:
    def read(col: Collection) -> list[int | None]:
        factors = card_state.column_by_card(col, cards, "factor")
        return [factors.get(cid) for cid in cards]

    return ctx.runner.read(read)


@action
def setEaseFactors(ctx: ApiContext, cards: list[int], easeFactors: list[int]) -> list[bool]:
    return ctx.runner.write(
        _label("setEaseFactors"),
        lambda col: card_state.set_ease_factors(col, cards, easeFactors),
    )


@action
def setSpecificValueOfCard(
    ctx: ApiContext,
    card: int,
    keys: list[str],
    newValues: list[Any],
    warning_check: bool = False,
) -> list[bool]:
    return ctx.runner.write(
        _label("setSpecificValueOfCard"),
        lambda col: card_state.set_values(col, card, keys, newValues, warning_check),
    )


@action
def suspend(ctx: ApiContext, cards: list[int]) -> bool:
    return ctx.runner.write(_label("suspend"), lambda col: card_state.suspend(col, cards, True))


@action
def unsuspend(ctx: ApiContext, cards: list[int]) -> bool:
    return ctx.runner.write(_label("unsuspend"), lambda col: card_state.suspend(col, cards, False))


@action
def suspended(ctx: ApiContext, card: int) -> bool:
    state = ctx.runner.read(lambda col: card_state.are_suspended(col, [card]))[0]
    if state is None:
        raise card_state.missing_card(card)
    return state


@action
def areSuspended(ctx: ApiContext, cards: list[int]) -> list[bool | None]:
    return ctx.runner.read(lambda col: card_state.are_suspended(col, cards))


@action
def areDue(ctx: ApiContext, cards: list[int]) -> list[bool | None]:
    return ctx.runner.read(lambda col: card_state.are_due(col, cards))


@action
def getIntervals(ctx: ApiContext, cards: list[int], complete: bool = False) -> list[Any]:
    return ctx.runner.read(lambda col: card_state.intervals(col, cards, complete))


@action
def cardsToNotes(ctx: ApiContext, cards: list[int]) -> list[int]:
    return ctx.runner.read(lambda col: card_state.cards_to_notes(col, cards))


@action
def cardsModTime(ctx: ApiContext, cards: list[int]) -> list[dict[str, int]]:
    return ctx.runner.read(lambda col: card_state.cards_mod_time(col, cards))


@action
def cardsInfo(ctx: ApiContext, cards: list[int]) -> list[dict[str, Any]]:
    return ctx.runner.read(lambda col: card_info.cards_info(col, cards))


def ankiops_cards_info(ctx: ApiContext, cards: list[int]) -> list[dict[str, Any]]:
    """cardsInfo in AnkiOps' connector dialect (see card_info.cards_placement)."""
    return ctx.runner.read(lambda col: card_info.cards_placement(col, cards))


@action
def forgetCards(ctx: ApiContext, cards: list[int]) -> None:
    ctx.runner.write(_label("forgetCards"), lambda col: card_state.forget(col, cards))


@action
def relearnCards(ctx: ApiContext, cards: list[int]) -> None:
    ctx.runner.write(_label("relearnCards"), lambda col: card_state.relearn(col, cards))


@action
def setDueDate(ctx: ApiContext, cards: list[int], days: str) -> bool:
    return ctx.runner.write(
        _label("setDueDate"), lambda col: card_state.set_due_date(col, cards, str(days))
    )


@action
def answerCards(ctx: ApiContext, answers: list[Any], cards: list[int] | None = None) -> list[bool]:
    """Takes `answers: [{cardId, ease}]`, or the older `cards` + `answers: [ease]`."""
    if cards is not None:
        if not isinstance(cards, list) or len(cards) != len(answers):
            raise ValueError("cards and answers must be lists of the same length")
        pairs = list(zip(cards, answers))
    else:
        pairs = [(a["cardId"], a["ease"]) for a in answers]
    return ctx.runner.write(
        _label("answerCards"),
        lambda col: [card_state.answer(col, card, ease) for card, ease in pairs],
    )
