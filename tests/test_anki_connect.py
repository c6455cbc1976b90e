"""The AnkiConnect protocol on POST /, from its documented requests and results."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from anki.collection import Collection

from tests.conftest import Served
from tests.http_client import request

Serve = Callable[..., Served]


def call(served: Served, action: str, version: int = 6, **params: Any) -> Any:
    payload = {"action": action, "version": version, "params": params}
    code, _, body = request(served.port, "POST", "/", json.dumps(payload).encode())
    assert code == 200
    return json.loads(body)


def ok(served: Served, action: str, **params: Any) -> Any:
    answer = call(served, action, **params)
    assert answer["error"] is None, answer
    return answer["result"]


def note(deck: str = "Default", model: str = "Basic", **fields: str) -> dict[str, Any]:
    return {
        "deckName": deck,
        "modelName": model,
        "fields": fields or {"Front": "f", "Back": "b"},
        "tags": ["yomitan"],
    }


def test_envelopes_by_version(serve: Serve) -> None:
    served = serve(anki_connect_port=0)
    assert served.anki_connect_port is not None
    assert call(served, "version") == {"result": 6, "error": None}
    assert call(served, "version", version=4) == 6
    # On AnkiConnect's port, version defaults to 4: the bare result.
    _, _, body = request(served.anki_connect_port, "POST", "/", b'{"action": "version"}')
    assert json.loads(body) == 6
    assert call(served, "frobnicate") == {"result": None, "error": "unsupported action"}
    assert call(served, "frobnicate", version=4) == {"result": None, "error": "unsupported action"}


def test_wrong_parameters_and_bad_json_give_error_envelopes(serve: Serve) -> None:
    served = serve()
    answer = call(served, "deckNames", foobar=1)
    assert answer["result"] is None
    assert answer["error"] == "deckNames() got an unexpected keyword argument 'foobar'"
    assert "missing 1 required" in call(served, "createDeck")["error"]
    code, _, body = request(served.port, "POST", "/", b"{not json")
    assert code == 200 and json.loads(body)["result"] is None
    # Python's own JSON message, as AnkiConnect answers it.
    assert json.loads(body)["error"] == (
        "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
    )


def test_multi_and_api_key(serve: Serve) -> None:
    served = serve(api_key="k")
    assert call(served, "version") == {"result": None, "error": "valid api key must be provided"}
    payload = {
        "action": "multi",
        "version": 6,
        "key": "k",
        "params": {
            "actions": [
                {"action": "version", "version": 6, "key": "k"},
                {"action": "version", "key": "k"},
                {"action": "version", "version": 6, "key": "wrong"},
            ]
        },
    }
    _, _, body = request(served.port, "POST", "/", json.dumps(payload).encode())
    assert json.loads(body) == {
        "result": [
            {"result": 6, "error": None},
            6,
            {"result": None, "error": "valid api key must be provided"},
        ],
        "error": None,
    }
    headers = {"Authorization": "Bearer k"}
    _, _, body = request(served.port, "POST", "/", b'{"action":"version","version":6}', headers)
    assert json.loads(body)["result"] == 6


def test_annotator_call_sequence(serve: Serve) -> None:
    """Look up decks and models, create a deck, check, store media, add, find by tag."""
    served = serve()
    assert "Default" in ok(served, "deckNames")
    assert "Basic" in ok(served, "modelNames")
    assert ok(served, "modelFieldNames", modelName="Basic") == ["Front", "Back"]
    missing = call(served, "addNote", note=note(deck="Japanese::Vocab"))
    # Exactly AnkiConnect's text: Yanki creates the deck only when it sees this.
    assert missing["error"] == "deck was not found: Japanese::Vocab"
    deck_id = ok(served, "createDeck", deck="Japanese::Vocab")
    assert ok(served, "deckNamesAndIds")["Japanese::Vocab"] == deck_id
    assert ok(served, "canAddNotes", notes=[note("Japanese::Vocab"), note(model="Nope")]) == [
        True,
        False,
    ]
    stored = ok(
        served,
        "storeMediaFile",
        filename="word.png",
        data=base64.b64encode(b"\x89PNG fake").decode(),
    )
    assert stored == "word.png"
    assert (
        ok(served, "retrieveMediaFile", filename="word.png")
        == base64.b64encode(b"\x89PNG fake").decode()
    )
    note_id = ok(
        served, "addNote", note=note("Japanese::Vocab", Front="猫", Back='<img src="word.png">')
    )
    duplicate = call(served, "addNote", note=note("Japanese::Vocab", Front="猫", Back="x"))
    assert duplicate["error"] == "cannot create note because it is a duplicate"
    empty = call(served, "addNote", note=note(Front="", Back=""))
    assert empty["error"] == "cannot create note because it is empty"
    assert ok(served, "findNotes", query="tag:yomitan") == [note_id]
    info = ok(served, "notesInfo", notes=[note_id])[0]
    assert info["modelName"] == "Basic" and info["fields"]["Front"] == {"value": "猫", "order": 0}
    ok(served, "updateNoteFields", note={"id": note_id, "fields": {"Back": "cat"}})
    assert ok(served, "notesInfo", notes=[note_id])[0]["fields"]["Back"]["value"] == "cat"


def test_add_notes_is_one_batch_and_one_undo_step(serve: Serve) -> None:
    served = serve()
    notes = [note(Front=f"q{i}", Back="a") for i in range(50)] + [note(model="Missing")]
    ids = ok(served, "addNotes", notes=notes)
    assert len(ids) == 51 and ids[-1] is None and all(isinstance(i, int) for i in ids[:-1])
    assert served.col.note_count() == 50
    assert served.col.undo_status().undo == "AnkiConnect: addNotes"
    served.col.undo()
    assert served.col.note_count() == 0


def test_english_names_work_in_a_german_collection(serve: Serve, german_col: Collection) -> None:
    served = serve(on=german_col)
    note_id = ok(served, "addNote", note=note(deck="Standard", Front="Hund", Back="dog"))
    info = ok(served, "notesInfo", notes=[note_id])[0]
    assert info["modelName"] == "Einfach"
    assert info["fields"]["Vorderseite"]["value"] == "Hund"
    cloze = note(deck="Standard", model="Cloze", Text="{{c1::Berlin}} ist die Hauptstadt")
    cloze["fields"]["Back Extra"] = "Deutschland"
    cloze_id = ok(served, "addNote", note=cloze)
    fields = ok(served, "notesInfo", notes=[cloze_id])[0]["fields"]
    assert [f["value"] for f in sorted(fields.values(), key=lambda f: f["order"])] == [
        "{{c1::Berlin}} ist die Hauptstadt",
        "Deutschland",
    ]
    assert ok(served, "modelFieldNames", modelName="Basic") == ["Vorderseite", "Rückseite"]
