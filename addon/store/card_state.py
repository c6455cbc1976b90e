"""Per-card scheduling state as AnkiConnect clients read and change it.

Reads go through SQL over the whole id list (one query, not one `get_card` per id);
changes go through `Card` objects and `update_cards`, so they are undoable.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, Literal, cast

from anki.cards import Card, CardId
from anki.collection import Collection
from anki.consts import (
    CARD_TYPE_NEW,
    CARD_TYPE_RELEARNING,
    QUEUE_TYPE_DAY_LEARN_RELEARN,
    QUEUE_TYPE_LRN,
    QUEUE_TYPE_NEW,
    QUEUE_TYPE_PREVIEW,
    QUEUE_TYPE_REV,
    QUEUE_TYPE_SUSPENDED,
)
from anki.utils import ids2str

# Columns a client may set with setSpecificValueOfCard. The identity columns can break
# the collection, so they need the client's explicit warning_check.
SETTABLE_COLUMNS = {
    "did", "odid", "type", "queue", "due", "odue", "ivl", "factor",
    "reps", "lapses", "left", "flags", "data",
}  # fmt: skip
GUARDED_COLUMNS = {"id", "nid", "ord", "mod", "usn"}


def _ids(values: Sequence[Any]) -> list[int]:
    if not isinstance(values, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in values
    ):
        raise ValueError("cards must be a list of card ids (integers)")
    return values


def columns_by_card(
    col: Collection, cards: Sequence[Any], columns: str
) -> dict[int, Sequence[Any]]:
    """`columns` ("queue, due") of each existing card in one query; missing cards are absent."""
    ids = _ids(cards)
    assert col.db is not None
    if not ids:
        return {}
    rows = col.db.all(f"select id, {columns} from cards where id in {ids2str(ids)}")
    return {int(row[0]): row[1:] for row in rows}


def column_by_card(col: Collection, cards: Sequence[Any], column: str) -> dict[int, Any]:
    return {cid: values[0] for cid, values in columns_by_card(col, cards, column).items()}


def existing_cards(col: Collection, cards: Sequence[Any]) -> list[Card]:
    return [col.get_card(CardId(cid)) for cid in column_by_card(col, cards, "id")]


def missing_card(card_id: Any) -> ValueError:
    return ValueError(f"Card was not found: {card_id}")


def require_cards(col: Collection, cards: Sequence[Any]) -> list[CardId]:
    """Every card of a change must exist, or nothing is changed (AnkiConnect's text)."""
    present = column_by_card(col, cards, "id")
    for cid in cards:
        if cid not in present:
            raise missing_card(cid)
    return [CardId(cid) for cid in dict.fromkeys(cards)]


def set_ease_factors(col: Collection, cards: Sequence[Any], factors: Sequence[Any]) -> list[bool]:
    ids = _ids(cards)
    if not isinstance(factors, list) or len(factors) != len(ids):
        raise ValueError("easeFactors must be a list as long as cards")
    present = column_by_card(col, ids, "id")
    changed = []
    for cid, factor in zip(ids, factors):
        if cid in present:
            card = col.get_card(CardId(cid))
            card.factor = int(factor)
            changed.append(card)
    col.update_cards(changed)
    return [cid in present for cid in ids]


def suspend(col: Collection, cards: Sequence[Any], on: bool) -> bool:
    """True when at least one card changed state (AnkiConnect's meaning)."""
    require_cards(col, cards)
    queues = column_by_card(col, cards, "queue")
    targets = [
        CardId(cid) for cid, queue in queues.items() if (queue == QUEUE_TYPE_SUSPENDED) != on
    ]
    if not targets:
        return False
    if on:
        col.sched.suspend_cards(targets)
    else:
        col.sched.unsuspend_cards(targets)
    return True


def are_suspended(col: Collection, cards: Sequence[Any]) -> list[bool | None]:
    queues = column_by_card(col, cards, "queue")
    return [queues[cid] == QUEUE_TYPE_SUSPENDED if cid in queues else None for cid in cards]


def _is_due(queue: int, due: int, today: int, learn_ahead_until: int) -> bool:
    if queue == QUEUE_TYPE_NEW:
        return True
    if queue in (QUEUE_TYPE_LRN, QUEUE_TYPE_PREVIEW):
        return due <= learn_ahead_until
    if queue in (QUEUE_TYPE_REV, QUEUE_TYPE_DAY_LEARN_RELEARN):
        return due <= today
    return False  # suspended or buried


def are_due(col: Collection, cards: Sequence[Any]) -> list[bool | None]:
    """Learning steps shorter than the learn-ahead limit count as due, as in the reviewer;
    longer ones only once their time has come."""
    states = columns_by_card(col, cards, "queue, due")
    today = col.sched.today
    learn_ahead_until = int(time.time()) + int(col.get_config("collapseTime", 1200))
    return [
        _is_due(states[cid][0], states[cid][1], today, learn_ahead_until) if cid in states else None
        for cid in cards
    ]


def intervals(col: Collection, cards: Sequence[Any], complete: bool) -> list[Any]:
    """As AnkiConnect: 0 for a new card; else the review log's intervals (negative:
    seconds, positive: days), all of them or the last. A card with no review logged
    answers its current interval rather than failing the whole request."""
    ids = _ids(cards)
    assert col.db is not None
    logged: dict[int, list[int]] = {cid: [] for cid in ids}
    if ids:
        for cid, ivl in col.db.all(
            f"select cid, ivl from revlog where cid in {ids2str(ids)} order by id"
        ):
            logged[int(cid)].append(int(ivl))
    current = columns_by_card(col, ids, "type, ivl")
    result: list[Any] = []
    for cid in ids:
        if cid in current and current[cid][0] == CARD_TYPE_NEW:
            result.append(0)
            continue
        history = logged[cid] or ([int(current[cid][1])] if cid in current else [])
        if complete:
            result.append(history)
        else:
            result.append(history[-1] if history else None)
    return result


def cards_to_notes(col: Collection, cards: Sequence[Any]) -> list[int]:
    return sorted(set(column_by_card(col, cards, "nid").values()))


def cards_mod_time(col: Collection, cards: Sequence[Any]) -> list[dict[str, int]]:
    """In the order asked, `{}` for a card that does not exist (as AnkiConnect)."""
    mods = column_by_card(col, cards, "mod")
    return [{"cardId": cid, "mod": int(mods[cid])} if cid in mods else {} for cid in cards]


def forget(col: Collection, cards: Sequence[Any]) -> None:
    col.sched.schedule_cards_as_new(
        require_cards(col, cards), restore_position=True, reset_counts=False
    )


def set_due_date(col: Collection, cards: Sequence[Any], days: str) -> bool:
    col.sched.set_due_date(require_cards(col, cards), days)
    return True


def move_to_deck(col: Collection, cards: Sequence[Any], deck: Callable[[], int]) -> None:
    """`deck` gives the target's id once every card is known to exist."""
    ids = require_cards(col, cards)
    col.set_deck(ids, deck())


def relearn(col: Collection, cards: Sequence[Any]) -> None:
    """Into relearning, due now, with one step to go."""
    now = int(time.time())
    changed = [col.get_card(cid) for cid in require_cards(col, cards)]
    for card in changed:
        card.type = CARD_TYPE_RELEARNING
        card.queue = QUEUE_TYPE_LRN
        card.due = now
        card.left = 1
    col.update_cards(changed)


def answer(col: Collection, card_id: int, ease: int) -> bool:
    if ease not in (1, 2, 3, 4):
        raise ValueError(f"ease must be 1 (Again) to 4 (Easy), got {ease!r}")
    if not column_by_card(col, [card_id], "id"):
        return False
    card = col.get_card(CardId(card_id))
    card.start_timer()
    col.sched.answerCard(card, cast(Literal[1, 2, 3, 4], ease))
    return True


def set_values(
    col: Collection, card_id: int, keys: Sequence[Any], values: Sequence[Any], guarded_ok: bool
) -> list[bool]:
    if not isinstance(keys, list) or not isinstance(values, list) or len(keys) != len(values):
        raise ValueError("keys and newValues must be lists of the same length")
    for key in keys:
        if key in GUARDED_COLUMNS and not guarded_ok:
            raise ValueError(
                f"changing '{key}' can corrupt the collection: send warning_check: true to do it"
            )
        if key not in SETTABLE_COLUMNS and key not in GUARDED_COLUMNS:
            raise ValueError(f"'{key}' is not a card column that can be set")
    if not column_by_card(col, [card_id], "id"):
        raise missing_card(card_id)
    card = col.get_card(CardId(card_id))
    for key, value in zip(keys, values):
        setattr(card, key, str(value) if key == "data" else int(value))
    col.update_card(card)
    return [True for _ in keys]
