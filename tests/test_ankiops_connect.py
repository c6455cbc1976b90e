"""AnkiOps' connector dialect on our port, and AnkiConnect's exact protocol on its own.

AnkiOps 0.6 posts `{"action", "params"}` without `version` to 127.0.0.1:8766 and
expects `{"result", "error"}`; it falls back to AnkiConnect on 8765 when the answer is
`Unknown AnkiOpsConnect action: ...`. AnkiConnect clients without `version` expect the
bare result, which they get on AnkiConnect's port."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from typing import Any

from anki.notes import NoteId

from addon.server import is_ankiops_port
from tests.conftest import Served
from tests.http_client import request

Serve = Callable[..., Served]


def post(port: int, payload: Any) -> Any:
    code, _, body = request(
        port, "POST", "/", json.dumps(payload).encode(), {"Content-Type": "application/json"}
    )
    assert code == 200, body
    return json.loads(body)


def test_versionless_request_on_our_port_gets_the_connector_envelope(serve: Serve) -> None:
    served = serve()
    assert post(served.port, {"action": "version", "params": {}}) == {"result": 6, "error": None}
    decks = post(served.port, {"action": "deckNamesAndIds", "params": {}})
    assert decks["error"] is None and "Default" in decks["result"]
    # Clients that send a version are answered as AnkiConnect answers them.
    assert post(served.port, {"action": "version", "version": 4}) == 6
    assert post(served.port, {"action": "version", "version": 6}) == {"result": 6, "error": None}


def test_unknown_action_lets_ankiops_fall_back(serve: Serve) -> None:
    served = serve()
    answer = post(served.port, {"action": "convertNotesToNoteType", "params": {}})
    assert answer == {
        "result": None,
        "error": "Unknown AnkiOpsConnect action: convertNotesToNoteType",
    }
    failed = post(served.port, {"action": "modelFieldNames", "params": {"modelName": "Nope"}})
    assert failed["result"] is None and "Nope" in failed["error"]


def test_multi_in_the_connector_dialect_gives_failures_as_strings(serve: Serve) -> None:
    served = serve()
    answer = post(
        served.port,
        {
            "action": "multi",
            "params": {
                "actions": [
                    {"action": "findNotes", "params": {"query": "deck:Default"}},
                    {"action": "modelFieldNames", "params": {"modelName": "Basic"}},
                    {"action": "modelFieldNames", "params": {"modelName": "Nope"}},
                    {"action": "frobnicate", "params": {}},
                ]
            },
        },
    )
    assert answer["error"] is None
    found, fields, missing, unknown = answer["result"]
    assert found == [] and fields == ["Front", "Back"]
    assert isinstance(missing, str) and "Nope" in missing
    assert unknown == "Unknown AnkiOpsConnect action: frobnicate"


def test_anki_connect_port_answers_exactly_as_anki_connect(serve: Serve) -> None:
    served = serve(anki_connect_port=0)
    extra = served.anki_connect_port
    assert extra is not None and extra != served.port
    assert post(extra, {"action": "version"}) == 6
    assert post(extra, {"action": "deckNames", "params": {}}) == ["Default"]
    assert post(extra, {"action": "frobnicate"}) == {"result": None, "error": "unsupported action"}
    inner = post(extra, {"action": "multi", "version": 6, "params": {"actions": [
        {"action": "frobnicate"}, {"action": "version"}]}})  # fmt: skip
    assert inner == {"result": [{"result": None, "error": "unsupported action"}, 6], "error": None}
    # Its Host check names its own port.
    code, _, _ = request(
        extra, "POST", "/", b'{"action": "version"}', {"Host": f"127.0.0.1:{served.port}"}
    )
    assert code == 403


def test_a_held_anki_connect_port_is_left_alone(serve: Serve) -> None:
    with socket.socket() as holder:  # AnkiConnect, installed too, holds its port
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        held = holder.getsockname()[1]
        served = serve(anki_connect_port=held)
        assert served.anki_connect_port is None
        assert post(served.port, {"action": "version", "version": 6})["result"] == 6


def test_our_port_set_to_anki_connect_s_answers_as_anki_connect() -> None:
    """A user who replaces AnkiConnect (`port: 8765`) gets AnkiConnect's answers there."""
    assert not is_ankiops_port(8765)
    assert is_ankiops_port(8766) and is_ankiops_port(0)


def test_malformed_requests_get_anki_connect_s_words_on_every_port(serve: Serve) -> None:
    """AnkiConnect checks a request's shape before anything else, and answers every
    version alike: `{"result": null, "error": <the check's words>}`. Only a request that
    names an action can be AnkiOps'."""
    served = serve(anki_connect_port=0)
    cases: dict[str, tuple[dict[str, Any], str]] = {
        "empty": ({}, "'action' is a required property"),
        "params only": ({"params": {}}, "'action' is a required property"),
        "number": ({"action": 1}, "1 is not of type 'string'"),
        "empty name": ({"action": ""}, "'' should be non-empty"),
        "params list": ({"action": "deckNames", "params": []}, "[] is not of type 'object'"),
    }
    for port in (served.port, served.anki_connect_port):
        assert port is not None
        for name, (payload, error) in cases.items():
            for version in ({}, {"version": 4}, {"version": 6}):
                answer = post(port, {**payload, **version})
                assert answer == {"result": None, "error": error}, (port, name, version)


def _keyed_notes(served: Served, keys: list[str]) -> list[int]:
    """Notes of a note type with AnkiOps' key field, one per key."""
    col = served.col
    notetype = col.models.copy(col.models.by_name("Basic"))  # type: ignore[arg-type]
    notetype["name"] = "Keyed"
    col.models.add_field(notetype, col.models.new_field("AnkiOps Key"))
    col.models.update_dict(notetype)
    keyed = col.models.by_name("Keyed")
    ids = []
    for key in keys:
        added = col.new_note(keyed)  # type: ignore[arg-type]
        added["Front"], added["AnkiOps Key"] = f"front of {key}", key
        col.add_note(added, col.decks.id("Default"))  # type: ignore[arg-type]
        ids.append(int(added.id))
    return ids


def test_a_multi_of_key_searches_answers_each_as_it_would_alone(serve: Serve) -> None:
    """AnkiOps looks its notes up with one findNotes per key in a multi; answered in one
    read, each answer is still the one the search gets alone, in both dialects."""
    served = serve()
    first, second = _keyed_notes(served, ["a1b2c3", "d4e5f6"])
    queries: list[Any] = [
        '"AnkiOps Key:a1b2c3"', '"AnkiOps Key:A1B2C3"', '"AnkiOps Key:nothere"',
        "deck:Default", '"(', '"AnkiOps Key:d4e5f6"', 123, '"AnkiOps Key:*"',
    ]  # fmt: skip
    for version in ({}, {"version": 6}):
        subs = [{"action": "findNotes", "params": {"query": q}, **version} for q in queries]
        alone = [post(served.port, {"action": "multi", "params": {"actions": [sub]}, **version})
                 for sub in subs]  # fmt: skip
        together = post(served.port, {"action": "multi", "params": {"actions": subs}, **version})
        assert together["result"] == [answer["result"][0] for answer in alone]
    answers = together["result"]
    assert answers[:3] == [{"result": [first], "error": None}] * 2 + [{"result": [], "error": None}]
    assert answers[3]["result"] == [first, second] and answers[5]["result"] == [second]
    assert answers[4]["error"] and answers[6]["error"] and answers[7]["result"] == [first, second]


def test_searches_after_adds_in_one_multi_see_the_new_notes(serve: Serve) -> None:
    served = serve()
    _keyed_notes(served, [])
    adds = [
        {"action": "addNote", "params": {"note": {
            "deckName": "Default", "modelName": "Keyed",
            "fields": {"Front": f"new {key}", "AnkiOps Key": key}}}}
        for key in ("k1", "k2")
    ]  # fmt: skip
    finds = [
        {"action": "findNotes", "params": {"query": f'"AnkiOps Key:{key}"'}} for key in ("k1", "k2")
    ]
    answer = post(served.port, {"action": "multi", "params": {"actions": adds + finds}})
    added = answer["result"][:2]
    assert answer["result"][2:] == [[added[0]], [added[1]]]
    assert served.col.undo_status().undo == "AnkiConnect: multi"


def test_cards_info_in_the_connector_dialect_says_where_each_card_is(serve: Serve) -> None:
    """AnkiOps' connector answers cardsInfo with each card's note, deck and note type
    and leaves out cards that do not exist; AnkiOps asks for every card of a folder at
    once. With a version, the answer is AnkiConnect's, rendered sides and all."""
    served = serve()
    first, second = _keyed_notes(served, ["a1b2c3", "d4e5f6"])
    french = served.col.decks.id("Lang::French")
    assert french is not None
    cards = [
        *served.col.card_ids_of_note(NoteId(second)),
        *served.col.card_ids_of_note(NoteId(first)),
    ]
    served.col.set_deck([cards[0]], french)
    asked = {"cards": [cards[0], 1, cards[1]]}
    answer = post(served.port, {"action": "cardsInfo", "params": asked})
    assert answer == {
        "result": [
            {"cardId": cards[0], "note": second, "deckName": "Lang::French", "modelName": "Keyed"},
            {"cardId": cards[1], "note": first, "deckName": "Default", "modelName": "Keyed"},
        ],
        "error": None,
    }
    full = post(served.port, {"action": "cardsInfo", "version": 6, "params": asked})
    assert full["result"][1] == {} and full["result"][0]["deckName"] == "Lang::French"
    assert "question" in full["result"][0] and full["result"][0]["note"] == second
    refused = post(served.port, {"action": "cardsInfo", "params": {"cards": ["x"]}})
    assert refused["result"] is None and refused["error"]
