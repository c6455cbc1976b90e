"""The review log, as AnkiConnect's statistics actions read and write it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from anki.collection import Collection
from anki.utils import ids2str

from .decks import existing_deck_id

# The review-log columns of a review tuple, in AnkiConnect's order.
REVIEW_COLUMNS = ("id", "cid", "usn", "ease", "ivl", "lastIvl", "factor", "time", "type")
_SELECT = ", ".join(f"r.{c}" for c in REVIEW_COLUMNS)


def reviewed_today(col: Collection) -> int:
    assert col.db is not None
    start = (col.sched.day_cutoff - 86400) * 1000
    return int(col.db.scalar("select count() from revlog where id >= ?", start) or 0)


def reviewed_by_day(col: Collection) -> list[list[Any]]:
    """[["YYYY-MM-DD", count], ...], newest first; days begin at the user's
    "next day starts at" hour, as in Anki's statistics."""
    assert col.db is not None
    offset = col.sched.day_cutoff % 86400
    rows = col.db.all(
        "select strftime('%Y-%m-%d', (id / 1000 - ?) , 'unixepoch') as day, count()"
        " from revlog group by day order by day desc",
        offset,
    )
    return [[day, int(count)] for day, count in rows]


def _deck_ids(col: Collection, deck: str) -> str:
    top = existing_deck_id(col, deck)
    return ",".join(str(int(d)) for d in col.decks.deck_and_child_ids(top))


def deck_reviews(col: Collection, deck: str, start_id: int) -> list[list[int]]:
    assert col.db is not None
    return [
        list(row)
        for row in col.db.all(
            f"select {_SELECT} from revlog r join cards c on c.id = r.cid"
            f" where c.did in ({_deck_ids(col, deck)}) and r.id > ? order by r.id",
            int(start_id),
        )
    ]


def latest_review_id(col: Collection, deck: str) -> int:
    assert col.db is not None
    return int(
        col.db.scalar(
            f"select max(r.id) from revlog r join cards c on c.id = r.cid"
            f" where c.did in ({_deck_ids(col, deck)})"
        )
        or 0
    )


def reviews_of_cards(col: Collection, cards: Sequence[Any]) -> dict[str, list[dict[str, int]]]:
    assert col.db is not None
    ids = [int(c) for c in cards]
    result: dict[str, list[dict[str, int]]] = {str(c): [] for c in ids}
    if ids:
        rows = col.db.all(
            f"select r.cid, {_SELECT} from revlog r where r.cid in {ids2str(ids)} order by r.id"
        )
        for row in rows:
            entry = dict(zip(REVIEW_COLUMNS, row[1:]))
            del entry["cid"]
            result[str(row[0])].append(entry)
    return result


def insert_reviews(col: Collection, reviews: Sequence[Any]) -> None:
    """All or nothing: every tuple is checked before one is written."""
    rows: list[tuple[int, ...]] = []
    for index, review in enumerate(reviews):
        if (
            not isinstance(review, (list, tuple))
            or len(review) != len(REVIEW_COLUMNS)
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in review)
        ):
            raise ValueError(f"reviews[{index}] must be 9 integers: " + ", ".join(REVIEW_COLUMNS))
        rows.append(tuple(review))
    assert col.db is not None
    col.db.executemany(
        f"insert or replace into revlog ({', '.join(REVIEW_COLUMNS)}) values (?,?,?,?,?,?,?,?,?)",
        rows,
    )
