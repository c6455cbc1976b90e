"""Behaviours AnkiConnect clients rely on, from a reading of AnkiConnect's current
plugin code (`plugin/__init__.py`, `plugin/web.py`), over real HTTP on real
collections. Each test names the behaviour it pins down."""

from __future__ import annotations

from typing import Any

from tests.http_client import request
from tests.test_anki_connect import Serve, call, note, ok


def test_add_notes_stores_a_note_repeated_in_the_batch_once(serve: Serve) -> None:
    served = serve()
    same = note(Front="猫", Back="cat")
    other = note(Front="犬", Back="dog")
    ids = ok(served, "addNotes", notes=[same, other, same])
    assert ids[0] and ids[1] and ids[2] is None
    assert served.col.note_count() == 2
    # The repeat is judged by the rule the note asks for, within the batch too.
    allowed = {**same, "options": {"allowDuplicate": True}}
    assert None not in ok(served, "addNotes", notes=[allowed, allowed])
    assert served.col.note_count() == 4


def test_duplicate_scope_deck_within_the_batch_and_the_collection(serve: Serve) -> None:
    served = serve()
    ok(served, "createDeck", deck="A")
    ok(served, "createDeck", deck="A::Child")
    ok(served, "createDeck", deck="B")
    scoped = {"duplicateScope": "deck"}
    in_a = {**note("A", Front="x"), "options": scoped}
    in_b = {**note("B", Front="x"), "options": scoped}
    ids = ok(served, "addNotes", notes=[in_a, in_b, in_a])
    assert ids[0] and ids[1] and ids[2] is None
    child = {**note("A::Child", Front="x"), "options": scoped}
    assert ok(served, "canAddNotes", notes=[child]) == [True]
    with_children = {
        **child,
        "options": {
            "duplicateScope": "deck",
            "duplicateScopeOptions": {"deckName": "A", "checkChildren": True},
        },
    }
    assert ok(served, "canAddNotes", notes=[with_children]) == [False]
    bad = {**child, "options": {"allowDuplicate": "yes"}}
    assert ok(served, "canAddNotesWithErrorDetail", notes=[bad]) == [
        {"canAdd": False, "error": 'option parameter "allowDuplicate" must be boolean'}
    ]


def test_duplicates_ignore_html_and_other_note_types_unless_asked(serve: Serve) -> None:
    served = serve()
    ok(served, "addNote", note=note(Front="<b>猫</b>", Back="cat"))
    assert ok(served, "canAddNote", note=note(Front="猫")) is False
    reversed_type = note(model="Basic (and reversed card)", Front="猫")
    assert ok(served, "canAddNote", note=reversed_type) is True
    all_models = {**reversed_type, "options": {"duplicateScopeOptions": {"checkAllModels": True}}}
    assert ok(served, "canAddNoteWithErrorDetail", note=all_models) == {
        "canAdd": False,
        "error": "cannot create note because it is a duplicate",
    }
    assert ok(served, "canAddNoteWithErrorDetail", note=note(Front="猫猫")) == {"canAdd": True}


def test_error_texts_are_ankiconnects(serve: Serve) -> None:
    served = serve()
    texts = {
        "deck was not found: Nope": note(deck="Nope"),
        "model was not found: Nope": note(model="Nope"),
        "cannot create note because it is empty": note(Front="", Back="x"),
        "cannot create note for unknown reason": note(model="Cloze", Text="no cloze here"),
    }
    for text, spec in texts.items():
        assert call(served, "addNote", note=spec)["error"] == text


def post(served: Any, body: bytes, headers: dict[str, str] | None = None) -> Any:
    code, _, answer = request(served.port, "POST", "/", body, headers)
    assert code == 200
    return answer
