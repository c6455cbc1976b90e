"""Adding the sync's new notes in one batch: each note gets its own fields, tags, key,
deck and guid, whatever note type it has, in one undo step."""

from __future__ import annotations

import random

from anki.collection import Collection

from addon.core.note_type_defs import KEY_FIELD
from addon.core.vault_note_types import BASIC, CLOZE, DEFINITIONS
from addon.store import managed_notes, managed_types
from addon.store.managed_notes import NewNote


def test_a_batch_of_new_notes_gets_fields_tags_keys_decks_and_guids_of_their_own(
    col: Collection,
) -> None:
    types = managed_types.apply(col, DEFINITIONS)
    stock = col.models.by_name("Basic")
    assert stock is not None
    types = {**types, "Basic": stock}  # no key field: the key is the guid
    specs = [
        NewNote("k1", BASIC, "a::b", {"Front": "Q1", "Back": "A1"}, ("t1",)),
        NewNote("k2", BASIC, "Default", {"Front": "Q2", "Back": "A2"}, ()),
        NewNote("k3", CLOZE, "a::b", {"Text": "{{c1::x}}"}, ("t2", "t3")),
        NewNote("k4", "Basic", "c", {"Front": "Q4", "Back": "A4"}, ("t4",)),
        NewNote("k5", "Basic", "c", {"Front": "Q5"}, ()),
    ]
    state = random.getstate()
    try:
        random.seed(7)  # another add-on seeding `random` must not make guids repeat
        first = managed_notes.add(col, specs[:2], types)
        random.seed(7)
        ids = first | managed_notes.add(col, specs[2:], types)
    finally:
        random.setstate(state)
    notes = {key: col.get_note(note_id) for key, note_id in ids.items()}  # type: ignore[arg-type]
    for spec in specs:
        note = notes[spec.key]
        assert note.note_type()["name"] == spec.note_type  # type: ignore[index]
        assert dict(note.items()) == {
            **dict.fromkeys(note.keys(), ""),
            **spec.fields,
            **({KEY_FIELD: spec.key} if KEY_FIELD in note else {}),
        }
        assert note.tags == list(spec.tags)
        decks = {col.decks.name(card.did) for card in note.cards()}
        assert decks == {spec.deck}
    assert notes["k4"].guid == "k4" and notes["k5"].guid == "k5"
    guids = [note.guid for note in notes.values()]
    assert len(set(guids)) == len(guids)
    assert len(col.find_notes("")) == len(specs)
