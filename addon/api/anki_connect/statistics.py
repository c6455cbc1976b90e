"""Statistics actions."""

from __future__ import annotations

from typing import Any

from anki.collection import Collection

from ...store import reviews as review_log
from ..context import ApiContext
from .registry import action


@action
def getNumCardsReviewedToday(ctx: ApiContext) -> int:
    return ctx.runner.read(review_log.reviewed_today)


@action
def getNumCardsReviewedByDay(ctx: ApiContext) -> list[list[Any]]:
    return ctx.runner.read(review_log.reviewed_by_day)


@action
def getCollectionStatsHTML(ctx: ApiContext, wholeCollection: bool = True) -> str:
    def read(col: Collection) -> str:
        stats = col.stats()
        stats.wholeCollection = wholeCollection
        return str(stats.report())

    return ctx.runner.read(read)


@action
def cardReviews(ctx: ApiContext, deck: str, startID: int) -> list[list[int]]:
    return ctx.runner.read(lambda col: review_log.deck_reviews(col, deck, startID))


@action
def getReviewsOfCards(ctx: ApiContext, cards: list[int | str]) -> dict[str, list[dict[str, int]]]:
    return ctx.runner.read(lambda col: review_log.reviews_of_cards(col, cards))


@action
def getLatestReviewID(ctx: ApiContext, deck: str) -> int:
    return ctx.runner.read(lambda col: review_log.latest_review_id(col, deck))


@action
def insertReviews(ctx: ApiContext, reviews: list[list[int]]) -> None:
    ctx.runner.write(
        "AnkiConnect: insertReviews", lambda col: review_log.insert_reviews(col, reviews)
    )
