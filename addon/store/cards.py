"""Writing annotators' cards: create, update in place, or leave alone — in one step.

Notes are looked up by the external id kept in their key field; one query over our
note types builds the index, so resending a whole library costs one read.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from anki.collection import AddNoteRequest, Collection
from anki.decks import DeckId
from anki.models import NotetypeDict
from anki.notes import Note, NoteId
from anki.utils import ids2str

from ..core.cards import IncomingCard, ValidationError
from ..core.notetypes import CONTEXT_FIELDS, KEY_FIELD, REVISION_FIELD, SPECS
from ..core.tags import ANKI_MARKERS
from .collection import database
from .decks import create_deck
from .notetypes import existing_note_types, note_types

FIELD_SEPARATOR = "\x1f"
DEFAULT_DECK_ID = DeckId(1)  # Anki's default deck, whatever it is called in this language


class KindChangeError(ValidationError):
    """A card would change type (basic ↔ cloze), which would lose its note's cards."""


@dataclass(frozen=True)
class StoredCard:
    note_id: NoteId
    kind: str
    revision: str


def _positions(col: Collection, notetype: NotetypeDict) -> dict[str, int]:
    return {name: at for name, (at, _) in col.models.field_map(notetype).items()}


def card_index(col: Collection, types: dict[str, NotetypeDict]) -> dict[str, StoredCard]:
    """External id (as stored, HTML-escaped) → our note carrying it.

    SQLite picks the fields out (Anki's field_at_index), so Python sees only the two
    short values it needs from each note."""
    index: dict[str, StoredCard] = {}
    for kind, notetype in types.items():
        positions = _positions(col, notetype)
        key_at, revision_at = positions[KEY_FIELD], positions[REVISION_FIELD]
        sql = "select id, field_at_index(flds, ?), field_at_index(flds, ?) from notes where mid = ?"
        rows = database(col).execute(sql, key_at, revision_at, notetype["id"])
        for note_id, key, revision in rows:
            if key:
                index[key] = StoredCard(NoteId(note_id), kind, revision)
    return index


def find_by_source(col: Collection, url: str) -> list[tuple[NoteId, str]]:
    """Our notes whose context URL is `url` (the cards of one document)."""
    found = []
    for kind, notetype in existing_note_types(col).items():
        positions = _positions(col, notetype)
        found += [
            (NoteId(note_id), kind)
            for note_id in database(col).list(
                "select id from notes where mid = ? and field_at_index(flds, ?) = ?"
                " and field_at_index(flds, ?) != ''",
                notetype["id"],
                positions["URL"],
                html.escape(url.strip()),
                positions[KEY_FIELD],
            )
        ]
    return found


def find_by_id(col: Collection, card_id: str) -> StoredCard | None:
    key = html.escape(card_id)
    return lookup(col, [key]).get(key)


def describe(col: Collection, note_id: NoteId, kind: str) -> dict[str, Any]:
    """A stored card as the API shows it."""
    note = col.get_note(note_id)
    cards = note.cards()
    decks = sorted({col.decks.name(card.current_deck_id()) for card in cards})
    spec = SPECS[kind]
    return {
        "id": html.unescape(note[KEY_FIELD]),
        "note_id": note.id,
        "type": kind,
        "deck": decks[0] if len(decks) == 1 else decks,
        "tags": note.tags,
        "fields": {name.lower(): note[name] for name in spec.content_fields},
        "context": {
            name.lower(): note[name] if name == "Image" else _plain_text(note[name])
            for name in CONTEXT_FIELDS
        },
        "card_ids": [card.id for card in cards],
        "modified": note.mod,
    }


def _plain_text(field: str) -> str:
    """Context text is stored escaped, with <br> for line breaks; clients sent plain text."""
    return html.unescape(field.replace("<br>", "\n"))


def delete(col: Collection, note_id: NoteId) -> None:
    col.remove_notes([note_id])


@dataclass
class UpsertPlan:
    new: list[IncomingCard]
    changed: list[tuple[IncomingCard, StoredCard]]
    stored: dict[str, StoredCard]


def kind_changes(cards: list[IncomingCard], stored: dict[str, StoredCard]) -> list[str]:
    """Cards whose type differs from their note's: changing it would lose the cards."""
    return [
        f"card {card.id!r} is a {stored[card.key].kind} card in Anki and cannot become "
        f"{card.kind}: DELETE /v1/cards/{card.id} first, or use a new id"
        for card in cards
        if card.key in stored and stored[card.key].kind != card.kind
    ]


def plan_upsert(cards: list[IncomingCard], index: dict[str, StoredCard]) -> UpsertPlan:
    if problems := kind_changes(cards, index):
        raise KindChangeError(problems)
    plan = UpsertPlan([], [], {})
    for card in cards:
        stored = index.get(card.key)
        if stored is None:
            plan.new.append(card)
            continue
        plan.stored[card.id] = stored
        if stored.revision != card.revision:
            plan.changed.append((card, stored))
    return plan


# The key index of each open collection, with the collection's modification time it
# was read at. Our own writes update it in place; any other change to the collection
# (an edit, an undo, a sync) moves `col.mod`, and the index is read afresh.
_INDEXES: WeakKeyDictionary[Collection, tuple[int, dict[str, StoredCard]]] = WeakKeyDictionary()


def _index(col: Collection, types: dict[str, NotetypeDict]) -> dict[str, StoredCard]:
    modified = col.mod
    cached = _INDEXES.get(col)
    if cached is not None and cached[0] == modified:
        return cached[1]
    index = card_index(col, types)
    _INDEXES[col] = (modified, index)
    return index


def lookup(col: Collection, keys: list[str]) -> dict[str, StoredCard]:
    """Read-only: our notes carrying these keys (creates no note type)."""
    index = _index(col, existing_note_types(col))
    return {key: index[key] for key in keys if key in index}


def _deck_ids(col: Collection, cards: list[IncomingCard]) -> dict[str | None, DeckId]:
    ids: dict[str | None, DeckId] = {None: DEFAULT_DECK_ID}
    for name in {card.deck for card in cards if card.deck is not None}:
        ids[name] = DeckId(create_deck(col, name))
    return ids


def _store_media(col: Collection, cards: list[IncomingCard]) -> None:
    written: set[str] = set()
    for card in cards:
        for item in card.media:
            if item.name not in written and not col.media.have(item.name):
                col.media.write_data(item.name, item.data)
            written.add(item.name)


def _move_cards(col: Collection, note_ids: list[NoteId], deck_id: DeckId) -> None:
    """Cards in a filtered deck stay there; their home deck is what counts."""
    card_ids = database(col).list(
        f"select id from cards where nid in {ids2str(note_ids)}"
        " and (case when odid != 0 then odid else did end) != ?",
        deck_id,
    )
    if card_ids:
        col.set_deck(card_ids, deck_id)


def _fill(note: Note, card: IncomingCard) -> None:
    for name in SPECS[card.kind].fields:
        note[name] = card.fields.get(name, "")
    markers = [tag for tag in note.tags if tag.lower() in ANKI_MARKERS]
    note.tags = card.tags + [tag for tag in markers if tag not in card.tags]


def upsert(col: Collection, cards: list[IncomingCard]) -> list[dict[str, Any]]:
    """Create new cards, update changed ones in place, leave the rest untouched: in one
    database transaction, so a batch killed or failing half-way leaves nothing."""
    types = note_types(col)
    index = dict(_index(col, types))
    plan = plan_upsert(cards, index)
    writing = plan.new + [card for card, _ in plan.changed]
    _store_media(col, writing)  # content-named files: harmless if the batch fails
    results: dict[str, dict[str, Any]] = {}
    assert col.db is not None
    try:
        col.db.transact(lambda: _write(col, plan, types, index, results))
    except BaseException:
        _forget_undo(col)
        raise
    _INDEXES[col] = (col.mod, index)
    return [
        results.get(card.id)
        or {"id": card.id, "note_id": plan.stored[card.id].note_id, "status": "unchanged"}
        for card in cards
    ]


def _write(
    col: Collection, plan: UpsertPlan, types: dict[str, NotetypeDict],
    index: dict[str, StoredCard], results: dict[str, dict[str, Any]],
) -> None:  # fmt: skip
    deck_ids = _deck_ids(col, plan.new + [card for card, _ in plan.changed])
    if plan.new:
        requests = []
        for card in plan.new:
            note = col.new_note(types[card.kind])
            _fill(note, card)
            requests.append(AddNoteRequest(note, deck_ids[card.deck]))
        col.add_notes(requests)
        for request, card in zip(requests, plan.new):
            results[card.id] = {"id": card.id, "note_id": request.note.id, "status": "created"}
            index[card.key] = StoredCard(request.note.id, card.kind, card.revision)

    if plan.changed:
        notes = []
        moves: dict[DeckId, list[Any]] = defaultdict(list)
        for card, stored in plan.changed:
            note = col.get_note(stored.note_id)
            _fill(note, card)
            notes.append(note)
            moves[deck_ids[card.deck]].append(note.id)
            results[card.id] = {"id": card.id, "note_id": note.id, "status": "updated"}
            index[card.key] = StoredCard(note.id, card.kind, card.revision)
        col.update_notes(notes)
        for deck_id, note_ids in moves.items():
            _move_cards(col, note_ids, deck_id)


def _forget_undo(col: Collection) -> None:
    """The rolled-back steps must not stay undoable: Anki drops its undo queue when
    the database is changed outside its operations, as a no-op write does here."""
    assert col.db is not None
    col.db.execute("update col set mod = mod where 0")
