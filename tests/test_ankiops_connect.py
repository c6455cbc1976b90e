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
