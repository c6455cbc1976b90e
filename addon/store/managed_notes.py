"""The notes of the folder's note types in Anki: read in bulk, written in batches.

Reading goes straight to the notes and cards tables (one query each), because a
no-op sync of 20,000 notes must cost less than adding them did.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Collection as Collection_
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from anki.collection import AddNoteRequest, Collection
from anki.decks import DeckId
from anki.models import NotetypeDict
from anki.notes import Note, NoteId
from anki.utils import ids2str

from ..core.note_type_defs import key_field_of
from ..core.sync_plan import AnkiNote, fields_fingerprint, row_fingerprint
from .collection import database
from .new_notes import BlankNotes
from .sync_decks import create_sync_decks

# A card in a filtered deck belongs to its home deck (odid) as far as files go.
HOME_DECK = "(case when odid != 0 then odid else did end)"


@dataclass(frozen=True)
class NewNote:
    key: str
    note_type: str
    deck: str
    fields: Mapping[str, str]
    tags: tuple[str, ...]


@dataclass(frozen=True)
class NoteUpdate:
    note_id: int
    fields: Mapping[str, str]  # only the fields that change
    tags: tuple[str, ...] | None = None
    key: str | None = None


@dataclass(frozen=True)
class CardMove:
    note_id: int
    from_deck: str  # only the note's cards in this deck move: others stay where they are
    to_deck: str


def change_mark(col: Collection, types: Mapping[str, NotetypeDict]) -> str | None:
    """A mark of the notes and cards of the sync's note types, as they are now, that
    `unchanged_mark` compares with; None without note types.

    It holds the collection's modification time (in milliseconds; any change made
    through Anki moves it, Undo moves it back with what it undoes), and the counts
    and sums of modification times, sync numbers and decks of those notes and cards,
    which any edit, addition, deletion, deck move or AnkiWeb sync of them changes.
    Those times are in seconds: while one of them is of this very second, an edit a
    moment later could leave the sums as they are, so the mark keeps no sums."""
    if not types:
        return None
    sums, recent = _sums(col, types)
    return f"{'' if recent else sums}@{col.mod}"


def unchanged_mark(
    col: Collection, types: Mapping[str, NotetypeDict], stored: str | None
) -> str | None:
    """The mark for now, if those notes and cards are as they were when `stored` was
    taken; None if they may have changed."""
    if stored is None or not types:
        return None
    sums, _, modified = stored.rpartition("@")
    if modified == str(col.mod):  # nothing in the collection changed: no need to look
        return stored
    now, recent = _sums(col, types)
    return f"{now}@{col.mod}" if sums and now == sums and not recent else None


def _sums(col: Collection, types: Mapping[str, NotetypeDict]) -> tuple[str, bool]:
    """The counts and sums, and whether a note or card was changed in this second."""
    mids = ids2str(int(nt["id"]) for nt in types.values())
    notes = database(col).first(
        f"select count(), total(mod), total(usn), max(mod) from notes where mid in {mids}"
    )
    cards = database(col).first(
        "select count(), total(c.mod), total(c.usn), max(c.mod), total(c.did), total(c.odid) "
        f"from cards c join notes n on n.id = c.nid where n.mid in {mids}"
    )
    assert notes is not None and cards is not None
    recent = max(notes[3] or 0, cards[3] or 0) >= int(time.time())
    return repr((tuple(notes), tuple(cards))), recent


def read_notes(
    col: Collection, types: Mapping[str, NotetypeDict], only: Collection_[int] | None = None
) -> tuple[list[AnkiNote], list[AnkiNote]]:
    """Every note of the given types (or those of them in `only`): those with a key,
    and those made in Anki (editor, browser, a phone) that have none yet (key ""). A
    key held by two notes (a note duplicated in Anki copies its key) stays with the
    older one; the copy counts as new."""
    by_id = {int(nt["id"]): (name, col.models.field_names(nt)) for name, nt in types.items()}
    among = f" and n.id in {ids2str(only)}" if only is not None else ""
    # With the key as the last field (as the sync makes it), the fingerprint of a note
    # is taken from the stored fields as they are. (Adopted types keep it in the guid.)
    names_of = {
        mid: "\x1f".join(names[:-1]) if key_field_of(names) else None
        for mid, (_, names) in by_id.items()
    }
    if not by_id:
        return [], []
    decks = {int(d.id): d.name for d in col.decks.all_names_and_ids()}
    home: dict[int, str] = {}
    for note_id, deck_id in database(col).all(
        f"select c.nid, {HOME_DECK} from cards c join notes n on n.id = c.nid "
        f"where n.mid in {ids2str(by_id)}{among} order by c.nid, c.ord"
    ):
        home.setdefault(note_id, decks.get(deck_id, ""))
    keyed: list[AnkiNote] = []
    unkeyed: list[AnkiNote] = []
    seen: set[str] = set()
    for note_id, mid, flds, tags, guid in database(col).all(
        f"select id, mid, flds, tags, guid from notes n where mid in {ids2str(by_id)}{among} "
        "order by id"
    ):
        name, field_names = by_id[mid]
        values = dict(zip(field_names, flds.split("\x1f")))
        key_field = key_field_of(field_names)
        key = values.pop(key_field, "").strip() if key_field else guid
        deck = home.get(note_id, "")
        tag_tuple = tuple(tags.split())
        if key and key not in seen:
            seen.add(key)
            names = names_of[mid]
            row = (
                row_fingerprint(name, names, flds.rpartition("\x1f")[0], tag_tuple, deck)
                if names is not None
                else fields_fingerprint(name, values, tag_tuple, deck)
            )
            keyed.append(AnkiNote(key, note_id, name, deck, values, tag_tuple, row))
        else:
            unkeyed.append(AnkiNote("", note_id, name, deck, values, tag_tuple))
    return keyed, unkeyed


def _set_key(note: Note, key: str) -> None:
    field = key_field_of(note.keys())
    if field:
        note[field] = key
    else:
        note.guid = key


def _field_layout(note: Note) -> tuple[list[str], frozenset[str]]:
    names = list(note.keys())
    return names, frozenset(names)


def _deck_ids(col: Collection, names: set[str]) -> dict[str, DeckId]:
    return create_sync_decks(col, names)


def add(
    col: Collection, notes: Sequence[NewNote], types: Mapping[str, NotetypeDict]
) -> dict[str, int]:
    """One batch; returns the new note ids by key."""
    decks = _deck_ids(col, {n.deck for n in notes})
    blanks = BlankNotes(col)
    # Each type's fields, in order and as a set.
    layouts = {
        name: _field_layout(blanks.new(types[name])) for name in {n.note_type for n in notes}
    }
    requests: list[AddNoteRequest] = []
    for spec in notes:
        note = blanks.new(types[spec.note_type])
        names, known = layouts[spec.note_type]
        if not known.issuperset(spec.fields):  # as note[name] would: a mistake
            raise KeyError(sorted(set(spec.fields) - known)[0])
        note.fields = [spec.fields.get(name, "") for name in names]
        _set_key(note, spec.key)
        note.tags = list(spec.tags)
        requests.append(AddNoteRequest(note, decks[spec.deck]))
    if requests:
        col.add_notes(requests)
    return {spec.key: int(r.note.id) for spec, r in zip(notes, requests)}


def update(col: Collection, updates: Sequence[NoteUpdate]) -> None:
    """One batch, in place: review history stays with the note."""
    # Several changes to one note (its fields, and its key given back) make one write.
    notes: dict[int, Note] = {}
    for change in updates:
        note = notes.get(change.note_id) or col.get_note(NoteId(change.note_id))
        notes[change.note_id] = note
        for name, value in change.fields.items():
            note[name] = value
        if change.tags is not None:
            note.tags = list(change.tags)
        if change.key is not None:
            _set_key(note, change.key)
    if notes:
        col.update_notes(list(notes.values()))


def move_cards(col: Collection, moves: Sequence[CardMove]) -> None:
    decks = _deck_ids(col, {m.to_deck for m in moves})
    by_target: dict[tuple[str, str], list[int]] = defaultdict(list)
    for move in moves:
        by_target[(move.from_deck, move.to_deck)].append(move.note_id)
    names = {d.name: int(d.id) for d in col.decks.all_names_and_ids()}
    for (from_deck, to_deck), note_ids in by_target.items():
        card_ids = database(col).list(
            f"select id from cards where nid in {ids2str(note_ids)} and {HOME_DECK} = ?",
            names.get(from_deck, -1),
        )
        if card_ids:
            col.set_deck(card_ids, decks[to_deck])


def remove(col: Collection, note_ids: Sequence[int]) -> None:
    if note_ids:
        col.remove_notes([NoteId(i) for i in note_ids])


def deck_exists(col: Collection, name: str) -> bool:
    return col.decks.id_for_name(name) is not None


def collection_id(col: Collection) -> int:
    """Stable for a collection (it travels with AnkiWeb syncs), different between profiles."""
    return int(database(col).scalar("select crt from col"))
