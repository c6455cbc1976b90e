"""POST /v1/cards and friends, over real HTTP, against real collections."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from anki.collection import Collection
from anki.decks import DeckId
from anki.notes import Note, NoteId

from tests.conftest import Served
from tests.http_client import get_json, post_json, request

Serve = Callable[..., Served]

PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
        "0000000d4944415478da63f8cfc0f01f0005000201e221bc330000000049454e44ae426082"
    )
).decode()


def post(served: Served, payload: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    code, _, body = request(
        served.port, "POST", "/v1/cards", json.dumps(payload).encode(), headers or {}
    )
    return code, json.loads(body)


def basic(card_id: str, **extra: Any) -> dict[str, Any]:
    return {"id": card_id, "front": f"front of {card_id}", "back": "back", **extra}


def note_of(col: Collection, result: dict[str, Any]) -> Note:
    return col.get_note(NoteId(result["note_id"]))


def review_count(col: Collection, card_id: int) -> int:
    assert col.db is not None
    return int(col.db.scalar("select count() from revlog where cid = ?", card_id))


def deck_of(col: Collection, note: Note) -> str:
    return col.decks.name(note.cards()[0].did)


def test_card_with_context_lands_with_deck_tags_fields_and_media(serve: Serve) -> None:
    served = serve()
    col = served.col
    code, body = post(
        served,
        {
            "cards": [
                {
                    "id": "polar:1",
                    "front": "What does <b>ls</b> do?",
                    "back": "Lists a directory<sub>1</sub>",
                    "extra": "see man ls",
                    "tags": ["deck: compsci / linux ", "shell basics", "unix"],
                    "context": {
                        "title": "The Linux Command Line",
                        "url": "https://example.org/tlcl.pdf?page=3&x=1",
                        "highlight": "ls lists <files>\nin a directory",
                        "page": 3,
                        "image": f"data:image/png;base64,{PNG}",
                        "created": "2026-11-01T10:00:00Z",
                    },
                }
            ]
        },
    )
    assert code == 200, body
    assert body["created"] == 1 and body["cards"][0]["status"] == "created"
    note = note_of(col, body["cards"][0])
    assert deck_of(col, note) == "compsci::linux"
    assert note.tags == ["shell_basics", "unix"]  # deck: tag not stored, spaces made safe
    assert note["Front"] == "What does <b>ls</b> do?"
    assert note["Back"] == "Lists a directory<sub>1</sub>"
    assert note["Highlight"] == "ls lists &lt;files&gt;<br>in a directory"
    assert note["Location"] == "p. 3"
    image_name = note["Image"].split('"')[1]
    assert image_name.startswith("cc-") and image_name.endswith(".png")
    assert (Path(col.media.dir()) / image_name).read_bytes() == base64.b64decode(PNG)

    # The back of the card shows the source as a link, the highlight and the image.
    answer = note.cards()[0].answer()
    # A PDF's link opens its page; the domain is shown beside the title.
    link = 'href="https://example.org/tlcl.pdf?page=3&x=1#page=3">The Linux Command Line</a>'
    assert link in answer and 'class="cc-domain"' in answer
    assert "</a>\\" not in answer and "www\\." in answer  # no stray backslash; JS regex
    assert "ls lists &lt;files&gt;<br>in a directory" in answer
    assert f'<img src="{image_name}">' in answer


def test_cloze_card_and_markdown_format(serve: Serve) -> None:
    served = serve()
    code, body = post(
        served,
        {
            "id": "c-1",
            "type": "cloze",
            "format": "markdown",
            "text": "**{{c1::Paris}}** is the capital of {{c2::France::country}}",
        },
    )
    assert code == 200, body
    note = note_of(served.col, body["cards"][0])
    assert (
        note["Text"] == "<strong>{{c1::Paris}}</strong> is the capital of {{c2::France::country}}"
    )
    assert len(note.cards()) == 2


def test_resend_is_unchanged_and_writes_nothing(serve: Serve) -> None:
    served = serve()
    col = served.col
    cards = [basic(f"id-{i}", tags=["deck:inbox"]) for i in range(5)]
    assert post(served, cards)[1]["created"] == 5
    modified = col.mod
    undo = col.undo_status().undo
    code, body = post(served, cards)
    assert code == 200
    assert body["unchanged"] == 5 and body["created"] == body["updated"] == 0
    assert [r["status"] for r in body["cards"]] == ["unchanged"] * 5
    assert col.mod == modified
    assert col.undo_status().undo == undo


def test_changed_card_updates_same_note_and_keeps_review_history(serve: Serve) -> None:
    served = serve()
    col = served.col
    first = post(served, basic("k", tags=["deck:a"]))[1]["cards"][0]
    card = note_of(col, first).cards()[0]
    card.start_timer()
    col.sched.answerCard(card, 3)
    assert review_count(col, card.id) == 1

    code, body = post(served, basic("k", back="a better back", tags=["deck:b", "new"]))
    assert code == 200 and body["cards"][0]["status"] == "updated"
    assert body["cards"][0]["note_id"] == first["note_id"]
    note = note_of(col, first)
    assert note["Back"] == "a better back" and note.tags == ["new"]
    assert deck_of(col, note) == "b"
    assert review_count(col, card.id) == 1
    assert note.cards()[0].id == card.id


def test_edit_in_anki_survives_a_resend_of_the_unchanged_card(serve: Serve) -> None:
    served = serve()
    col = served.col
    card = basic("typo")
    note = note_of(col, post(served, card)[1]["cards"][0])
    note["Back"] = "fixed by the user in Anki"
    note.tags.append("marked")
    col.update_note(note)
    assert post(served, card)[1]["cards"][0]["status"] == "unchanged"
    assert col.get_note(note.id)["Back"] == "fixed by the user in Anki"
    # A real change from the client wins, but Anki's own markers stay.
    post(served, basic("typo", back="new back"))
    after = col.get_note(note.id)
    assert after["Back"] == "new back" and "marked" in after.tags


def test_batch_is_one_undo_entry(serve: Serve) -> None:
    served = serve()
    col = served.col
    post(served, [basic(f"u{i}", tags=["deck:undo::me"]) for i in range(3)])
    assert col.undo_status().undo == "Context Connect: 3 cards"
    col.undo()
    assert col.note_count() == 0


def test_one_invalid_card_means_nothing_is_written(serve: Serve) -> None:
    served = serve()
    cards = [
        basic("fine"),
        basic("bad", context={"url": 5, "page": [1]}),
        {"type": "cloze", "id": "z", "text": "no cloze here"},
    ]
    code, body = post(served, {"cards": cards})
    assert code == 422
    assert "nothing was written" in body["error"]
    assert "cards[1].context.url: not a string (int)" in body["problems"]
    assert "cards[1].context.page: not a number or string" in body["problems"]
    assert any(p.startswith("cards[2].text: has no cloze") for p in body["problems"])
    assert served.col.note_count() == 0
    assert served.col.decks.id_for_name("inbox") is None


def test_malformed_json_and_schema_errors_are_reported(serve: Serve) -> None:
    served = serve()
    code, _, raw = request(served.port, "POST", "/v1/cards", b'{"cards": [', {})
    assert code == 400 and "malformed JSON at line 1" in json.loads(raw)["error"]
    cases = [
        ([], "cards: the list is empty"),
        ({"cards": {}}, "cards: not a list"),
        ({"cards": [basic("x", fronts="y")]}, "cards[0].fronts: unknown field"),
        ({"cards": [basic("d"), basic("d")]}, "cards[1].id: 'd' is already used by cards[0]"),
        (
            {"cards": [basic("e", tags=["deck:a//b"])]},
            "cards[0].tags: deck 'deck:a//b' has an empty part",
        ),
        (
            {"cards": [basic("f", tags=["deck:a", "deck:b"])]},
            "cards[0].tags: more than one deck: tag",
        ),
        (
            {"cards": [basic("g", context={"image": "data:text/html;base64,PGI+"})]},
            "cards[0].context.image: unsupported image type",
        ),
        (
            {"cards": [basic("h", context={"url": "java script:x"})]},
            "cards[0].context.url: not an absolute URL",
        ),
        ({"cards": [{"id": "i", "type": "note"}]}, "cards[0].type: must be 'basic' or 'cloze'"),
    ]
    for payload, expected in cases:
        code, body = post(served, payload)
        assert code == 422, payload
        assert any(p.startswith(expected) for p in body["problems"]), (expected, body)
    assert served.col.note_count() == 0


def test_deck_precedence_and_default_deck(serve: Serve) -> None:
    served = serve(default_deck="Reading::Inbox")
    col = served.col
    body = post(
        served,
        [
            basic("explicit", deck="Chosen::Deck", tags=["deck:tagged"]),
            basic("tagged", tags=["deck:tagged/sub"]),
            basic("default"),
        ],
    )[1]
    decks = [deck_of(col, note_of(col, r)) for r in body["cards"]]
    assert decks == ["Chosen::Deck", "tagged::sub", "Reading::Inbox"]


def test_per_document_strategy(serve: Serve) -> None:
    served = serve(deck_strategy="per_document")
    body = post(served, [basic("p", context={"title": "Deep Learning :: Ch. 1"}), basic("q")])[1]
    decks = [deck_of(served.col, note_of(served.col, r)) for r in body["cards"]]
    assert decks == ["Deep Learning : Ch. 1", "Default"]


def test_german_collection_uses_default_deck_by_id(serve: Serve, german_col: Collection) -> None:
    served = serve(on=german_col)
    body = post(served, [basic("de"), {"id": "lt", "type": "cloze", "text": "{{c1::Berlin}}"}])[1]
    assert body["created"] == 2
    note = note_of(german_col, body["cards"][0])
    assert note.cards()[0].did == DeckId(1)
    assert deck_of(german_col, note) == "Standard"
    cloze_type = note_of(german_col, body["cards"][1]).note_type()
    assert cloze_type is not None and cloze_type["type"] == 1


def test_note_types_are_found_by_id_after_rename(serve: Serve) -> None:
    served = serve()
    col = served.col
    first = note_of(col, post(served, basic("r1"))[1]["cards"][0])
    notetype = first.note_type()
    assert notetype is not None
    notetype["name"] = "Meine Karten"
    col.models.update_dict(notetype)
    second = note_of(col, post(served, basic("r2"))[1]["cards"][0])
    assert second.mid == first.mid
    names = sorted(n.name for n in col.models.all_names_and_ids())
    assert "Meine Karten" in names
    assert [n for n in names if n.startswith("Context Connect")] == ["Context Connect — Cloze"]


def test_images_are_stored_once_by_content(serve: Serve) -> None:
    served = serve()
    col = served.col
    inline = f'<img src="data:image/png;base64,{PNG}" alt="x">'
    body = post(
        served,
        [
            basic("i1", front=f"look {inline}"),
            basic("i2", context={"image": {"data": PNG, "filename": "fig.png"}}),
        ],
    )[1]
    front = note_of(col, body["cards"][0])["Front"]
    image = note_of(col, body["cards"][1])["Image"]
    name = image.split('"')[1]
    assert front == f'look <img src="{name}" alt="x">'
    assert [p.name for p in Path(col.media.dir()).iterdir()] == [name]


def test_kind_change_is_refused(serve: Serve) -> None:
    served = serve()
    post(served, basic("k1"))
    code, body = post(served, {"id": "k1", "type": "cloze", "text": "{{c1::x}}"})
    assert code == 409 and "cannot become cloze" in body["problems"][0]


def test_get_by_id_by_source_delete_and_decks(serve: Serve) -> None:
    served = serve()
    url = "https://example.org/paper?id=1&v=2"
    post(
        served,
        [basic("s1", context={"url": url}), basic("s2", context={"url": url}), basic("other")],
    )
    card = get_json(served.port, "/v1/cards/s1")
    assert card["id"] == "s1" and card["type"] == "basic" and card["context"]["url"] == url
    assert card["fields"]["front"] == "front of s1" and card["deck"] == "Default"
    listed = get_json(
        served.port, "/v1/cards?source=https%3A%2F%2Fexample.org%2Fpaper%3Fid%3D1%26v%3D2"
    )
    assert sorted(c["id"] for c in listed["cards"]) == ["s1", "s2"]
    code, _, raw = request(served.port, "DELETE", "/v1/cards/s1")
    assert code == 200 and json.loads(raw)["status"] == "deleted"
    assert request(served.port, "GET", "/v1/cards/s1")[0] == 404
    assert request(served.port, "DELETE", "/v1/cards/s1")[0] == 404
    assert served.col.note_count() == 2
    names = [d["name"] for d in get_json(served.port, "/v1/decks")["decks"]]
    assert "Default" in names


def test_foreign_origin_writes_nothing(serve: Serve) -> None:
    served = serve()
    code, _ = post(served, basic("o"), {"Origin": "https://evil.example"})
    assert code == 403
    assert served.col.note_count() == 0


def test_api_key_guards_cards(serve: Serve) -> None:
    served = serve(api_key="k3y")
    assert post(served, basic("a"))[0] == 401
    assert post(served, basic("a"), {"X-Api-Key": "k3y"})[0] == 200


def test_openapi_document_lists_the_endpoints(serve: Serve) -> None:
    served = serve()
    doc = get_json(served.port, "/v1/openapi.json")
    assert doc["openapi"].startswith("3.")
    assert {"/v1/cards", "/v1/cards/{id}", "/v1/decks", "/v1/status"} <= set(doc["paths"])
    card_schema = doc["components"]["schemas"]["Card"]["properties"]
    assert {"id", "type", "front", "back", "text", "context", "tags", "deck", "format"} <= set(
        card_schema
    )
    # Every operation can be refused for its Host header, and says so.
    operations = [op for ops in doc["paths"].values() for op in ops.values()]
    assert all("403" in op["responses"] for op in operations)
    code, _, _ = request(served.port, "GET", "/v1/decks", headers={"Host": "evil.example"})
    assert code == 403


def test_status_counts_after_cards(serve: Serve) -> None:
    served = serve()
    post_json(served.port, "/v1/cards", [basic("n1"), basic("n2")])
    assert get_json(served.port, "/v1/status")["counts"]["notes"] == 2


def test_changes_made_in_anki_are_seen_by_the_next_request(serve: Serve) -> None:
    """The key index is kept between requests; a change in Anki must invalidate it."""
    served = serve()
    col = served.col
    first = post(served, basic("gone"))[1]["cards"][0]
    col.remove_notes([NoteId(first["note_id"])])
    again = post(served, basic("gone"))[1]["cards"][0]
    assert again["status"] == "created" and again["note_id"] != first["note_id"]
    post(served, basic("gone", back="v2"))
    col.undo()  # the user undoes the update in Anki
    assert post(served, basic("gone", back="v2"))[1]["cards"][0]["status"] == "updated"
