"""Hostile request bodies: lone surrogates, deep nesting and sizes that would hold
the collection get a clean 400 or AnkiConnect error envelope, checked before the
collection is touched."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addon.core.decks import MAX_DECK_DEPTH
from addon.core.json_input import MAX_DEPTH, JsonInputError, decode_json, value_problem
from addon.core.request_limits import MAX_FIELDS, MAX_TEMPLATE_CHARS, MAX_TEMPLATES
from tests.conftest import Served
from tests.http_client import request

Serve = Callable[..., Served]
DEEP = b"[" * 100_000 + b"]" * 100_000


def anki_connect(served: Served, raw: bytes) -> dict[str, Any]:
    status, _, body = request(served.port, "POST", "/", raw)
    assert status == 200, body
    answer: dict[str, Any] = json.loads(body)
    return answer


def action(name: str, **params: Any) -> bytes:
    # ensure_ascii keeps a lone surrogate as the escape a client would send.
    return json.dumps({"action": name, "version": 6, "params": params}).encode()


def test_a_lone_surrogate_is_a_400_on_the_native_api(serve: Serve) -> None:
    served = serve()
    card = {"id": "x1", "front": "\ud800", "back": "b", "tags": ["deck:d"]}
    status, _, body = request(
        served.port, "POST", "/v1/cards", json.dumps({"cards": [card]}).encode()
    )
    assert status == 400
    assert json.loads(body)["error"] == (
        "$.cards[0].front: a string holds a lone surrogate (not valid Unicode)"
    )
    assert served.col.note_count() == 0


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("createDeck", {"deck": "\udfff"}),
        ("findNotes", {"query": "a\ud800"}),
        ("addNote", {"note": {"deckName": "Default", "modelName": "Basic",
                              "fields": {"Front": "\ud800", "Back": "b"}}}),
        ("storeMediaFile", {"filename": "\ud800.png", "data": ""}),
        ("multi", {"actions": [{"action": "createDeck", "params": {"deck": "\ud800"}}]}),
    ],
)  # fmt: skip
def test_a_lone_surrogate_is_an_error_envelope(serve: Serve, name: str, params: Any) -> None:
    served = serve()
    answer = anki_connect(served, action(name, **params))
    assert answer["result"] is None
    assert "lone surrogate" in answer["error"]
    assert served.col.decks.count() == 1 and served.col.note_count() == 0


def test_a_surrogate_key_is_refused_too(serve: Serve) -> None:
    answer = anki_connect(serve(), b'{"action": "version", "params": {"\\udc00": 1}}')
    assert answer["error"] == "$.params: a key holds a lone surrogate (not valid Unicode)"


def test_a_surrogate_pair_is_a_character_not_an_error(serve: Serve) -> None:
    served = serve()
    answer = anki_connect(served, action("createDeck", deck="\U0001f600"))
    assert answer["error"] is None
    assert served.col.decks.id_for_name("\U0001f600") == answer["result"]


# Text with lone surrogates, a pair, and what looks like an escape once written;
# numbers past 64 bits, past a double and not numbers at all.
_TEXT = st.text(st.sampled_from(["a", "é", "\\", "u", "d", "8", "\ud800", "\udfff", "\U0001f600"]))
_NUMBERS = st.one_of(st.integers(), st.integers(2**62, 2**66), st.floats(), st.just(1e300))
_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), _NUMBERS, _TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_TEXT, inner, max_size=3)),
    max_leaves=20,
)


def _read_by_json(body: bytes) -> tuple[str, str]:
    """What json alone makes of a body: the value or the refusal."""
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return "refused", ""
    problem = value_problem(value)
    return ("refused", problem) if problem else ("read", repr(value))


# Wrapped in lists to either side of the nesting limit.
_WRAPPERS = st.one_of(st.integers(0, 2), st.integers(MAX_DEPTH - 3, MAX_DEPTH + 1))


@given(_VALUES, _WRAPPERS, st.booleans(), st.sampled_from(["", "1e400", "x"]))
def test_a_body_reads_as_json_alone_would_read_it(
    value: Any, wrappers: int, ascii_only: bool, tail: str
) -> None:
    """orjson reads most bodies; what it reads and what it refuses come out as json
    would have them (repr: an integer stays one; the same refusal, saying where)."""
    for _ in range(wrappers):
        value = [value]
    text = json.dumps(value, ensure_ascii=ascii_only)
    body = (f"[{text},{tail}]" if tail else text).encode("utf-8", "surrogatepass")
    expected = _read_by_json(body)
    try:
        found = ("read", repr(decode_json(body)))
    except JsonInputError as exc:
        found = ("refused", str(exc) if expected[1] else "")
    assert found == expected


def test_deep_nesting_is_a_400_and_an_envelope(serve: Serve) -> None:
    served = serve()
    status, _, body = request(served.port, "POST", "/v1/cards", DEEP)
    assert status == 400
    assert json.loads(body) == {"error": f"JSON is nested deeper than {MAX_DEPTH} levels"}
    answer = anki_connect(served, DEEP)
    assert answer == {"result": None, "error": f"JSON is nested deeper than {MAX_DEPTH} levels"}
    # Deep enough to pass the decoder, too deep for the walk: the path says where.
    shallow = b'{"action": "version", "params": {"x": ' + b"[" * 200 + b"]" * 200 + b"}}"
    answer = anki_connect(served, shallow)
    assert answer["error"].startswith("$.params.x[0][0]")
    assert answer["error"].endswith(f"JSON is nested deeper than {MAX_DEPTH} levels")


def _model(fields: Any, templates: int = 1) -> bytes:
    cards = [{"Name": f"t{i}", "Front": f"{{{{f0}}}}{i}", "Back": "b"} for i in range(templates)]
    return action("createModel", modelName="m", inOrderFields=fields, cardTemplates=cards)


def test_model_sizes_are_bounded_before_the_collection_is_touched(serve: Serve) -> None:
    served = serve()
    before = served.col.models.all_names_and_ids()
    fields = [f"f{i}" for i in range(20_000)]
    assert anki_connect(served, _model(fields))["error"] == (
        f"createModel: inOrderFields has 20000 items; the limit is {MAX_FIELDS}"
    )
    assert anki_connect(served, _model("ab" * 100_000))["error"] == (
        "createModel: inOrderFields must be a list, not a string"
    )
    assert anki_connect(served, _model(["f0"], MAX_TEMPLATES + 1))["error"] == (
        f"createModel: cardTemplates has {MAX_TEMPLATES + 1} items; the limit is {MAX_TEMPLATES}"
    )
    assert served.col.models.all_names_and_ids() == before
    # At the limit, it works.
    created = anki_connect(served, _model([f"f{i}" for i in range(MAX_FIELDS)]))
    assert created["error"] is None and len(created["result"]["flds"]) == MAX_FIELDS


def test_strings_where_lists_belong_are_refused(serve: Serve) -> None:
    served = serve()
    cases: list[tuple[str, str, dict[str, Any]]] = [
        ("notesInfo", "notes", {"notes": "1" * 200_000}),
        ("deleteDecks", "decks", {"decks": "Default", "cardsToo": True}),
        ("findModelsByName", "modelNames", {"modelNames": "Basic"}),
    ]
    for name, key, params in cases:
        answer = anki_connect(served, action(name, **params))
        assert answer == {"result": None, "error": f"{name}: {key} must be a list, not a string"}
    # AnkiConnect takes updateNoteTags' tags as a string or a list: still allowed.
    answer = anki_connect(served, action("updateNoteTags", note=1, tags="a"))
    assert "must be a list" not in answer["error"]


def test_an_empty_find_text_is_refused(serve: Serve) -> None:
    """ "" would be replaced between every character of every template and style."""
    served = serve()
    before = served.col.models.all()
    for params in (
        {"model": {"modelName": "", "findText": "", "replaceText": "x" * 1000}},
        {"modelName": "", "findText": "", "replaceText": "x"},
    ):
        answer = anki_connect(served, action("findAndReplaceInModels", **params))
        assert answer["error"] == "findAndReplaceInModels: findText must not be empty"
    assert served.col.models.all() == before


@pytest.mark.parametrize(
    ("card", "problem"),
    [
        ({"id": "a", "front": "f", "tags": ["deck:" + "/".join(["a"] * 2000)]},
         "cards[0].tags: deck is nested 2000 levels deep; the limit is 100"),
        ({"id": "a", "front": "f", "deck": "::".join(["a"] * 101)},
         "cards[0].deck: deck is nested 101 levels deep; the limit is 100"),
        ({"id": "a", "front": "f", "type": []},
         "cards[0].type: must be 'basic' or 'cloze', got []"),
        ({"id": "a", "front": "f", "type": {"a": 1}},
         "cards[0].type: must be 'basic' or 'cloze', got {\"a\": 1}"),
    ],
)  # fmt: skip
def test_cards_anki_would_refuse_are_a_422_not_a_500(
    serve: Serve, card: dict[str, Any], problem: str
) -> None:
    served = serve()
    status, _, body = request(
        served.port, "POST", "/v1/cards", json.dumps({"cards": [card]}).encode()
    )
    assert status == 422, body
    assert json.loads(body)["problems"] == [problem]
    assert served.col.note_count() == 0


def test_deep_decks_up_to_the_limit_are_created(serve: Serve) -> None:
    """Anki creates at most about ten missing parents at once; more was a 500."""
    served = serve()
    deep = "/".join(f"l{i}" for i in range(MAX_DECK_DEPTH))
    card = {"id": "a", "front": "f", "tags": [f"deck:{deep}"]}
    status, _, body = request(
        served.port, "POST", "/v1/cards", json.dumps({"cards": [card]}).encode()
    )
    assert status == 200, body
    assert served.col.decks.id_for_name(deep.replace("/", "::")) is not None
    answer = anki_connect(served, action("createDeck", deck="::".join(["b"] * 30)))
    assert answer["error"] is None
    answer = anki_connect(served, action("createDeck", deck="::".join(["c"] * 10_000)))
    assert answer["error"] == f"deck is nested 10000 levels deep; the limit is {MAX_DECK_DEPTH}"
    assert served.col.decks.id_for_name("c") is None


def test_a_replacement_that_would_grow_templates_without_bound_is_refused(serve: Serve) -> None:
    served = serve()
    before = json.dumps(served.col.models.all())
    spec = {"modelName": "", "findText": "{", "replaceText": "x" * 100_000}
    answer = anki_connect(served, action("findAndReplaceInModels", model=spec))
    assert answer["result"] is None
    assert answer["error"].startswith("replaceText: the result would be ")
    assert answer["error"].endswith(f"may have at most {MAX_TEMPLATE_CHARS}")
    assert json.dumps(served.col.models.all()) == before
    # An ordinary replacement in every note type still works.
    spec = {"modelName": "", "findText": "{{Front}}", "replaceText": "{{Front}}<br>"}
    answer = anki_connect(served, action("findAndReplaceInModels", model=spec))
    assert answer["error"] is None and answer["result"] >= 1


def test_an_answer_holding_a_lone_surrogate_still_goes_out_as_json() -> None:
    """Requests cannot bring one in any more; an answer that holds one anyway (from
    data put into the collection by other means) must not drop the connection."""
    from addon.server import _json_bytes

    encoded = _json_bytes({"result": "a\ud800b", "error": None})
    assert encoded == b'{"result":"a\\ud800b","error":null}'
    assert _json_bytes({"result": "é"}) == '{"result":"é"}'.encode()
