"""Behaviours AnkiConnect clients rely on, from a reading of AnkiConnect's current
plugin code (`plugin/__init__.py`, `plugin/web.py`), over real HTTP on real
collections. Each test names the behaviour it pins down."""

from __future__ import annotations

import json
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


def test_a_note_that_cannot_be_added_leaves_no_undo_step(serve: Serve) -> None:
    served = serve()
    ok(served, "addNote", note=note(Front="猫"))
    ok(served, "createDeck", deck="Later")
    assert call(served, "addNote", note=note(Front="猫"))["error"]
    assert ok(served, "addNotes", notes=[note(Front="猫"), note(deck="Nope")]) == [None, None]
    assert served.col.undo_status().undo == "AnkiConnect: createDeck"


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


def test_an_empty_request_and_a_program_s_get_answer_the_version_banner(serve: Serve) -> None:
    served = serve()
    for method in ("POST", "GET"):
        code, headers, body = request(served.port, method, "/", b"" if method == "POST" else None)
        assert code == 200 and body == b"AnkiConnect v.6", method
        assert headers["Content-Type"].startswith("text/plain")
    extension = {"Origin": "chrome-extension://likgccmbimhjbgkjambclfkhldnlhbnn", "Accept": "*/*"}
    assert request(served.port, "GET", "/", headers=extension)[2] == b"AnkiConnect v.6"
    page = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    code, headers, body = request(served.port, "GET", "/", headers=page)
    assert headers["Content-Type"].startswith("text/html") and b"Context Connect" in body
    # A web page gets neither.
    assert request(served.port, "POST", "/", b"", {"Origin": "https://evil.example"})[0] == 403


def test_request_validation_errors_are_ankiconnects(serve: Serve) -> None:
    served = serve()
    cases = {
        b"[1, 2]": "[1, 2] is not of type 'object'",
        b'"version"': "'version' is not of type 'object'",
        b'{"version": 6}': "'action' is a required property",
        b'{"action": 5, "version": 6}': "5 is not of type 'string'",
        b'{"action": "", "version": 6}': "'' should be non-empty",
        b'{"action": "version", "version": "6"}': "'6' is not of type 'integer'",
        b'{"action": "deckNames", "version": 6, "params": []}': "[] is not of type 'object'",
    }
    for body, error in cases.items():
        code, _, answer = request(served.port, "POST", "/", body)
        assert code == 200 and json.loads(answer) == {"result": None, "error": error}, body


def test_card_and_note_changes_check_every_id_first(serve: Serve) -> None:
    served = serve()
    nid = ok(served, "addNote", note=note(Front="q", Back="a"))
    (cid,) = ok(served, "notesInfo", notes=[nid])[0]["cards"]
    missing = 1234
    card_changes: dict[str, dict[str, Any]] = {
        "suspend": {"cards": [cid, missing]},
        "unsuspend": {"cards": [cid, missing]},
        "forgetCards": {"cards": [cid, missing]},
        "relearnCards": {"cards": [cid, missing]},
        "setDueDate": {"cards": [cid, missing], "days": "1"},
        "changeDeck": {"cards": [cid, missing], "deck": "Elsewhere"},
    }
    for action, params in card_changes.items():
        assert call(served, action, **params)["error"] == "Card was not found: 1234", action
    card = served.col.get_card(cid)
    assert (card.queue, card.type, card.did) == (0, 0, 1)  # nothing changed
    assert "Elsewhere" not in ok(served, "deckNames")
    note_changes: dict[str, dict[str, Any]] = {
        "addTags": {"notes": [nid, missing], "tags": "t"},
        "removeTags": {"notes": [nid, missing], "tags": "yomitan"},
        "updateNoteFields": {"note": {"id": missing, "fields": {"Front": "x"}}},
    }
    for action, params in note_changes.items():
        assert call(served, action, **params)["error"] == "Note was not found: 1234", action
    assert served.col.get_note(nid).tags == ["yomitan"]
    # As in AnkiConnect, replaceTags skips unknown notes and deleting what is gone is
    # no error.
    ok(served, "replaceTags", notes=[nid, missing], tag_to_replace="yomitan", replace_with_tag="x")
    assert served.col.get_note(nid).tags == ["x"]
    ok(served, "deleteNotes", notes=[missing])


def test_card_results_line_up_with_the_ids_asked(serve: Serve) -> None:
    served = serve()
    nid = ok(served, "addNote", note=note(Front="q", Back="a"))
    (cid,) = ok(served, "notesInfo", notes=[nid])[0]["cards"]
    info = ok(served, "cardsInfo", cards=[4321, cid])
    assert info[0] == {} and info[1]["cardId"] == cid
    # Anki's own texts, bidi isolation marks included (AnkiConnect passes them on too).
    shown = [text.replace("\u2068", "").replace("\u2069", "") for text in info[1]["nextReviews"]]
    assert len(shown) == 4 and shown[0].startswith("<") and shown[3].endswith("d")
    assert ok(served, "cardsModTime", cards=[4321, cid])[0] == {}
    assert ok(served, "getIntervals", cards=[cid], complete=True) == [0]
    assert ok(served, "notesInfo", notes=[nid])[0]["profile"] == "test"
    assert call(served, "notesInfo")["error"] == 'Must provide either "notes" or a "query"'


def test_tags_fields_and_model_edits_as_the_plugin_takes_them(serve: Serve) -> None:
    served = serve()
    nid = ok(served, "addNote", note=note(Front="q", Back="a"))
    ok(served, "updateNoteTags", note=nid, tags="single")
    assert ok(served, "getNoteTags", note=nid) == ["single"]
    ok(served, "updateNoteFields", note={"id": nid, "fields": {"front": "Q", "Nope": "x"}})
    assert served.col.get_note(nid).fields == ["Q", "a"]
    changed = ok(
        served, "findAndReplaceInModels", modelName="Basic", findText="{{Front}}",
        replaceText="{{Front}}!", front=True, back=False, css=False,
    )  # fmt: skip
    assert changed == 1
    assert ok(served, "modelTemplates", modelName="Basic")["Card 1"]["Front"] == "{{Front}}!"
    nested = {"model": {"modelName": "Basic", "findText": "!", "replaceText": "?"}}
    assert ok(served, "findAndReplaceInModels", **nested) == 1
    ok(served, "modelFieldReposition", modelName="Basic", fieldName="Front", index=2)
    assert ok(served, "modelFieldNames", modelName="Basic") == ["Back", "Front"]
    ok(served, "modelFieldAdd", modelName="Basic", fieldName="Front", index=0)
    assert ok(served, "modelFieldNames", modelName="Basic") == ["Front", "Back"]


def test_export_of_an_unknown_deck_is_false(serve: Serve, tmp_path: Any) -> None:
    served = serve()
    target = str(tmp_path / "out.apkg")
    assert ok(served, "exportPackage", deck="Nope", path=target) is False


def test_names_from_ids(serve: Serve) -> None:
    served = serve()
    basic = ok(served, "modelNamesAndIds")["Basic"]
    assert ok(served, "modelNameFromId", modelId=basic) == "Basic"
    assert call(served, "modelNameFromId", modelId=5)["error"] == "model was not found: 5"
    assert ok(served, "deckNameFromId", deckId=1) == "Default"
    assert call(served, "deckNameFromId", deckId=5)["error"] == "deck was not found: 5"


def test_update_note_model_keeps_the_note_and_its_reviews(serve: Serve) -> None:
    served = serve()
    nid = ok(served, "addNote", note=note(Front="q", Back="a"))
    (cid,) = ok(served, "notesInfo", notes=[nid])[0]["cards"]
    ok(served, "answerCards", answers=[{"cardId": cid, "ease": 3}])
    ok(
        served,
        "updateNoteModel",
        note={
            "id": nid,
            "modelName": "Basic (and reversed card)",
            "fields": {"front": "new q", "Back": "new a"},
            "tags": ["moved"],
        },
    )
    info = ok(served, "notesInfo", notes=[nid])[0]
    assert info["modelName"] == "Basic (and reversed card)" and info["tags"] == ["moved"]
    assert info["fields"]["Front"]["value"] == "new q" and cid in info["cards"]
    assert ok(served, "getReviewsOfCards", cards=[cid])[str(cid)]  # the review is kept
    errors = {
        "Note ID is required": {"modelName": "Basic", "fields": {"Front": "x"}},
        "Model name is required": {"id": nid, "fields": {"Front": "x"}},
        "Fields must be provided as a dictionary": {"id": nid, "modelName": "Basic"},
        "Model 'Nope' not found": {"id": nid, "modelName": "Nope", "fields": {"Front": "x"}},
        "Note was not found: 7": {"id": 7, "modelName": "Basic", "fields": {"Front": "x"}},
    }
    for error, spec in errors.items():
        assert call(served, "updateNoteModel", note=spec)["error"] == error


def test_multi_is_one_undo_step(serve: Serve) -> None:
    served = serve()

    def add(spec: dict[str, Any], version: int = 6) -> dict[str, Any]:
        return {"action": "addNote", "version": version, "params": {"note": spec}}

    actions = [add(note(Front=f"q{i}")) for i in range(4)]
    actions += [
        add(note(Front="q0")),  # repeats the first: answered as addNote alone would
        add(note(deck="Nope")),
        add(note(Front="bare"), version=4),
        {"action": "deckNames", "version": 6},
        add(note(Front="last")),
    ]
    answers = ok(served, "multi", actions=actions)
    ids = served.col.find_notes("")
    assert answers[:4] == [{"result": nid, "error": None} for nid in sorted(ids)[:4]]
    assert answers[4:] == [
        {"result": None, "error": "cannot create note because it is a duplicate"},
        {"result": None, "error": "deck was not found: Nope"},
        sorted(ids)[4],
        {"result": ["Default"], "error": None},
        {"result": sorted(ids)[5], "error": None},
    ]
    assert served.col.note_count() == 6
    assert served.col.undo_status().undo == "AnkiConnect: multi"
    reads = [{"action": "findNotes", "params": {"query": ""}}, {"action": "deckNames"}]
    found, decks = ok(served, "multi", actions=reads)
    assert sorted(found) == sorted(ids)  # no version: version 4, bare results
    assert decks == ["Default"]
    # A multi that only reads leaves no empty undo step: one undo takes the notes back.
    served.col.undo()
    assert served.col.note_count() == 0
