"""AnkiConnect's card, deck, model, statistics, media and misc actions, from the
requests and results its README documents, over real HTTP on real collections."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection

from tests.conftest import Served
from tests.http_client import request
from tests.test_anki_connect import Serve, call, note, ok


def add_basic(served: Served, count: int, deck: str = "Default") -> list[int]:
    notes = [note(deck, Front=f"front {i}", Back=f"back {i}") for i in range(count)]
    ids: list[int] = ok(served, "addNotes", notes=notes)
    return ids


def cards_of(served: Served, note_ids: list[int]) -> list[int]:
    return [ok(served, "notesInfo", notes=[n])[0]["cards"][0] for n in note_ids]


def test_card_actions(serve: Serve) -> None:
    served = serve()
    first, second = cards_of(served, add_basic(served, 2))
    missing = 1234567891234
    assert ok(served, "getEaseFactors", cards=[first, second]) == [0, 0]
    assert ok(served, "setEaseFactors", cards=[first, missing], easeFactors=[4100, 3900]) == [
        True,
        False,
    ]
    assert ok(served, "getEaseFactors", cards=[first]) == [4100]
    assert ok(served, "suspend", cards=[first, second]) is True
    assert ok(served, "suspend", cards=[first]) is False  # already suspended
    assert ok(served, "suspended", card=first) is True
    assert ok(served, "areSuspended", cards=[first, second, missing]) == [True, True, None]
    assert ok(served, "areDue", cards=[first]) == [False]  # suspended cards are not due
    assert ok(served, "unsuspend", cards=[first]) is True
    assert ok(served, "areDue", cards=[first, missing]) == [True, None]  # new cards are due
    assert ok(served, "getIntervals", cards=[first]) == [0]
    assert ok(served, "answerCards", answers=[{"cardId": first, "ease": 4}]) == [True]
    assert ok(served, "answerCards", cards=[missing], answers=[3]) == [False]  # older form
    uneven = call(served, "answerCards", cards=[first, second], answers=[3])
    assert uneven["error"] == "cards and answers must be lists of the same length"
    assert ok(served, "getIntervals", cards=[second]) == [0]  # nothing was answered
    info = ok(served, "cardsInfo", cards=[first, missing])
    assert len(info) == 2 and info[0]["cardId"] == first and info[1] == {}
    assert len(info[0]["nextReviews"]) == 4
    assert info[0]["fields"]["Front"] == {"value": "front 0", "order": 0}
    assert info[0]["deckName"] == "Default" and info[0]["modelName"] == "Basic"
    assert info[0]["reps"] == 1 and info[0]["type"] == 2 and info[0]["interval"] > 0
    assert "front 0" in info[0]["question"] and "back 0" in info[0]["answer"]
    assert ok(served, "getIntervals", cards=[first], complete=True) == [[info[0]["interval"]]]
    assert ok(served, "areDue", cards=[first]) == [False]  # next review is days away
    assert ok(served, "cardsModTime", cards=[first]) == [{"cardId": first, "mod": info[0]["mod"]}]
    note_ids = ok(served, "cardsToNotes", cards=[first, first, second])
    assert sorted(note_ids) == sorted(
        i["note"] for i in ok(served, "cardsInfo", cards=[first, second])
    )
    ok(served, "relearnCards", cards=[first])
    relearning = ok(served, "cardsInfo", cards=[first])[0]
    assert (relearning["type"], relearning["queue"]) == (3, 1)
    assert ok(served, "areDue", cards=[first]) == [True]
    ok(served, "forgetCards", cards=[first])
    assert ok(served, "cardsInfo", cards=[first])[0]["type"] == 0
    assert ok(
        served,
        "setSpecificValueOfCard",
        card=second,
        keys=["flags", "odue"],
        newValues=["1", "-100"],
    ) == [True, True]
    assert ok(served, "cardsInfo", cards=[second])[0]["flags"] == 1
    guarded = call(served, "setSpecificValueOfCard", card=second, keys=["nid"], newValues=[1])
    assert "warning_check" in guarded["error"]
    assert ok(served, "setDueDate", cards=[second], days="3") is True
    assert ok(served, "cardsInfo", cards=[second])[0]["queue"] == 2


def test_deck_actions(serve: Serve) -> None:
    served = serve()
    cards = cards_of(served, add_basic(served, 3))
    ok(served, "changeDeck", cards=cards[:2], deck="Japanese::JLPT N3")  # created on the way
    assert ok(served, "getDecks", cards=cards) == {
        "Default": [cards[2]],
        "Japanese::JLPT N3": cards[:2],
    }
    stats = ok(served, "getDeckStats", decks=["Japanese::JLPT N3"])
    (entry,) = stats.values()
    assert entry["name"] == "Japanese::JLPT N3" and entry["total_in_deck"] == 2
    assert entry["new_count"] == 2 and str(entry["deck_id"]) in stats
    config = ok(served, "getDeckConfig", deck="Default")
    assert config["id"] == 1 and "new" in config and "rev" in config
    assert ok(served, "getDeckConfig", deck="Nope") is False
    config["new"]["perDay"] = 33
    assert ok(served, "saveDeckConfig", config=config) is True
    assert ok(served, "getDeckConfig", deck="Default")["new"]["perDay"] == 33
    assert ok(served, "saveDeckConfig", config={**config, "id": 999}) is False
    clone = ok(served, "cloneDeckConfigId", name="Copy of Default", cloneFrom=1)
    assert isinstance(clone, int) and clone != 1
    assert ok(served, "cloneDeckConfigId", name="x", cloneFrom=424242) is False
    assert ok(served, "setDeckConfigId", decks=["Japanese::JLPT N3"], configId=clone) is True
    assert ok(served, "getDeckConfig", deck="Japanese::JLPT N3")["name"] == "Copy of Default"
    assert ok(served, "setDeckConfigId", decks=["Nope"], configId=clone) is False
    assert ok(served, "removeDeckConfigId", configId=1) is False
    assert ok(served, "removeDeckConfigId", configId=clone) is True
    refused = call(served, "deleteDecks", decks=["Japanese::JLPT N3"], cardsToo=False)
    assert "without deleting cards" in refused["error"]
    assert served.col.card_count() == 3
    ok(served, "deleteDecks", decks=["Japanese::JLPT N3"], cardsToo=True)
    assert served.col.card_count() == 1
    assert "Japanese::JLPT N3" not in ok(served, "deckNames")


def test_model_reading_actions(serve: Serve) -> None:
    served = serve()
    ids = ok(served, "modelNamesAndIds")
    found = ok(served, "findModelsById", modelIds=[ids["Basic"]])
    assert found[0]["name"] == "Basic" and [f["name"] for f in found[0]["flds"]] == [
        "Front",
        "Back",
    ]
    assert ok(served, "findModelsByName", modelNames=["Cloze"])[0]["type"] == 1
    assert (
        call(served, "findModelsByName", modelNames=["Nope"])["error"]
        == "model was not found: Nope"
    )
    assert ok(served, "modelFieldDescriptions", modelName="Basic") == ["", ""]
    fonts = ok(served, "modelFieldFonts", modelName="Basic")
    assert set(fonts) == {"Front", "Back"} and {"font", "size"} <= set(fonts["Front"])
    assert ok(served, "modelFieldsOnTemplates", modelName="Basic (and reversed card)") == {
        "Card 1": [["Front"], ["Back"]],
        "Card 2": [["Back"], ["Front"]],
    }
    assert ok(served, "modelFieldsOnTemplates", modelName="Cloze") == {
        "Cloze": [["Text"], ["Back Extra"]]
    }
    templates = ok(served, "modelTemplates", modelName="Basic (and reversed card)")
    assert templates["Card 1"]["Front"] == "{{Front}}"
    assert "{{FrontSide}}" in templates["Card 2"]["Back"]
    assert ".card" in ok(served, "modelStyling", modelName="Basic")["css"]


def test_model_editing_as_a_markdown_sync_tool_does_it(serve: Serve) -> None:
    """Create a model, change templates and styling, edit fields, keep the notes' content."""
    served = serve()
    created = ok(
        served,
        "createModel",
        modelName="Vocab",
        inOrderFields=["Word", "Meaning", "Notes"],
        css=".card { color: navy; }",
        cardTemplates=[
            {"Name": "Recall", "Front": "{{Word}}", "Back": "{{FrontSide}}<hr>{{Meaning}}"}
        ],
    )
    assert created["name"] == "Vocab" and [t["name"] for t in created["tmpls"]] == ["Recall"]
    assert (
        call(served, "createModel", modelName="Vocab", inOrderFields=["a"], cardTemplates=[{}])[
            "error"
        ]
        == "Model name already exists"
    )
    note_id = ok(served, "addNote", note=note(model="Vocab", Word="猫", Meaning="cat", Notes="n"))
    ok(
        served,
        "updateModelTemplates",
        model={"name": "Vocab", "templates": {"Recall": {"Front": "{{Word}}?"}}},
    )
    assert ok(served, "modelTemplates", modelName="Vocab")["Recall"] == {
        "Front": "{{Word}}?",
        "Back": "{{FrontSide}}<hr>{{Meaning}}",
    }
    ok(served, "updateModelStyling", model={"name": "Vocab", "css": "p { color: blue; }"})
    assert ok(served, "modelStyling", modelName="Vocab") == {"css": "p { color: blue; }"}
    replaced = {
        "modelName": "Vocab", "findText": "blue", "replaceText": "red",
        "front": False, "back": False, "css": True,
    }  # fmt: skip
    assert ok(served, "findAndReplaceInModels", model=replaced) == 1
    ok(
        served,
        "modelTemplateAdd",
        modelName="Vocab",
        template={"Name": "Reverse", "Front": "{{Meaning}}", "Back": "{{Word}}"},
    )
    ok(
        served,
        "modelTemplateRename",
        modelName="Vocab",
        oldTemplateName="Reverse",
        newTemplateName="Produce",
    )
    ok(served, "modelTemplateReposition", modelName="Vocab", templateName="Produce", index=0)
    assert list(ok(served, "modelTemplates", modelName="Vocab")) == ["Produce", "Recall"]
    assert len(ok(served, "notesInfo", notes=[note_id])[0]["cards"]) == 2  # a card per template
    ok(served, "modelTemplateRemove", modelName="Vocab", templateName="Produce")
    ok(
        served,
        "modelFieldRename",
        modelName="Vocab",
        oldFieldName="Meaning",
        newFieldName="English",
    )
    ok(served, "modelFieldAdd", modelName="Vocab", fieldName="Reading", index=1)
    ok(served, "modelFieldReposition", modelName="Vocab", fieldName="Notes", index=0)
    ok(served, "modelFieldRemove", modelName="Vocab", fieldName="Reading")
    ok(served, "modelFieldSetFont", modelName="Vocab", fieldName="Word", font="Courier")
    ok(served, "modelFieldSetFontSize", modelName="Vocab", fieldName="Word", fontSize=10)
    assert (
        ok(
            served,
            "modelFieldSetDescription",
            modelName="Vocab",
            fieldName="Word",
            description="kanji",
        )
        is True
    )
    assert ok(served, "modelFieldNames", modelName="Vocab") == ["Notes", "Word", "English"]
    assert ok(served, "modelFieldFonts", modelName="Vocab")["Word"] == {
        "font": "Courier",
        "size": 10,
    }
    assert ok(served, "modelFieldDescriptions", modelName="Vocab") == ["", "kanji", ""]
    fields = ok(served, "notesInfo", notes=[note_id])[0]["fields"]
    assert {k: v["value"] for k, v in fields.items()} == {
        "Notes": "n",
        "Word": "猫",
        "English": "cat",
    }
    bad = call(served, "modelFieldRename", modelName="Vocab", oldFieldName="Nope", newFieldName="x")
    assert bad["error"] == "field was not found in Vocab: Nope"
    bad_index = call(served, "modelFieldReposition", modelName="Vocab", fieldName="Word", index=7)
    assert "index must be" in bad_index["error"]


def test_note_actions(serve: Serve) -> None:
    served = serve()
    first, second = add_basic(served, 2)
    ok(
        served,
        "updateNote",
        note={"id": first, "fields": {"Front": "new"}, "tags": ["new", "tags"]},
    )
    assert ok(served, "getNoteTags", note=first) == ["new", "tags"]
    assert ok(served, "notesInfo", notes=[first])[0]["fields"]["Front"]["value"] == "new"
    assert "fields" in call(served, "updateNote", note={"id": first})["error"]
    ok(served, "updateNoteTags", note=second, tags=["european-languages", "idioms"])
    ok(
        served,
        "replaceTags",
        notes=[first, second],
        tag_to_replace="european-languages",
        replace_with_tag="french-languages",
    )
    assert ok(served, "getNoteTags", note=second) == ["french-languages", "idioms"]
    assert ok(served, "getNoteTags", note=first) == ["new", "tags"]  # did not have the tag
    ok(served, "replaceTagsInAllNotes", tag_to_replace="idioms", replace_with_tag="sayings")
    assert ok(served, "getNoteTags", note=second) == ["french-languages", "sayings"]
    mod_times = ok(served, "notesModTime", notes=[first, 42])
    assert mod_times[0]["noteId"] == first and mod_times[1] == {}
    assert call(served, "getNoteTags", note=42)["error"] == "Note was not found: 42"
    ok(served, "removeTags", notes=[first], tags="tags new")
    ok(served, "clearUnusedTags")
    assert "tags" not in ok(served, "getTags")
    served.col.get_note(served.col.find_notes("")[0])  # sanity: notes are real
    empty = served.col.new_note(served.col.models.by_name("Basic"))  # type: ignore[arg-type]
    served.col.add_note(empty, 1)  # type: ignore[arg-type]
    ok(served, "removeEmptyNotes")
    assert served.col.note_count() == 2


def test_note_media_attachments(serve: Serve) -> None:
    served = serve()
    picture = base64.b64encode(b"\x89PNG cat").decode()
    spec = note(Front="cat", Back="a cat")
    spec["picture"] = [{"data": picture, "filename": "black_cat.png", "fields": ["Back"]}]
    spec["audio"] = {
        "data": base64.b64encode(b"ID3").decode(),
        "filename": "cat.mp3",
        "fields": ["Front"],
    }
    note_id = ok(served, "addNote", note=spec)
    fields = ok(served, "notesInfo", notes=[note_id])[0]["fields"]
    assert fields["Back"]["value"] == 'a cat<img src="black_cat.png">'
    assert fields["Front"]["value"] == "cat[sound:cat.mp3]"
    assert ok(served, "retrieveMediaFile", filename="black_cat.png") == picture
    skipped = note(Front="dog", Back="b")
    skipped["audio"] = [{
        "data": base64.b64encode(b"placeholder").decode(), "filename": "dog.mp3",
        "skipHash": "0ef8a4e3c4c8e4a7d4f5f6d4a7e0e1c2", "fields": ["Front"],
    }]  # fmt: skip
    import hashlib

    skipped["audio"][0]["skipHash"] = hashlib.md5(b"placeholder").hexdigest()
    dog = ok(served, "addNote", note=skipped)
    assert ok(served, "notesInfo", notes=[dog])[0]["fields"]["Front"]["value"] == "dog"
    broken = note(Front="x", Back="y")
    broken["picture"] = [{"filename": "x.png", "fields": ["Back"]}]
    assert "You must provide" in call(served, "addNote", note=broken)["error"]
    assert ok(served, "addNotes", notes=[broken, note(Front="z", Back="y")])[0] is None
    url = call(served, "storeMediaFile", filename="x.txt", url="file:///etc/passwd")
    assert "only http and https" in url["error"]


def test_media_and_misc_actions(serve: Serve, tmp_path: Path) -> None:
    served = serve()
    media_dir = ok(served, "getMediaDirPath")
    assert Path(media_dir).is_dir()
    ok(served, "storeMediaFile", filename="_hello.txt", data="SGVsbG8sIHdvcmxkIQ==")
    assert ok(served, "getMediaFilesNames", pattern="_hell*.txt") == ["_hello.txt"]
    ok(served, "deleteMediaFile", filename="_hello.txt")
    assert ok(served, "retrieveMediaFile", filename="_hello.txt") is False
    assert "not a file name" in call(served, "deleteMediaFile", filename="../x")["error"]
    add_basic(served, 2)
    package = tmp_path / "Deck.apkg"
    assert ok(served, "exportPackage", deck="Default", path=str(package), includeSched=True) is True
    assert package.stat().st_size > 0
    ok(served, "deleteNotes", notes=list(served.col.find_notes("")))
    (Path(media_dir) / "Deck.apkg").write_bytes(package.read_bytes())
    assert ok(served, "importPackage", path="Deck.apkg") is True
    assert served.col.note_count() == 2
    assert "no package" in call(served, "importPackage", path="missing.apkg")["error"]
    assert ok(served, "reloadCollection") is None
    assert ok(served, "loadProfile", name="test") is True
    assert "is not open" in call(served, "loadProfile", name="other")["error"]
    reflect = ok(
        served,
        "apiReflect",
        scopes=["actions", "invalidType"],
        actions=["apiReflect", "invalidMethod"],
    )
    assert reflect == {"scopes": ["actions"], "actions": ["apiReflect"]}


def test_statistics_actions(serve: Serve) -> None:
    served = serve()
    first, second = cards_of(served, add_basic(served, 2))
    assert ok(served, "getNumCardsReviewedToday") == 0
    ok(served, "answerCards", answers=[{"cardId": first, "ease": 3}, {"cardId": second, "ease": 1}])
    assert ok(served, "getNumCardsReviewedToday") == 2
    by_day = ok(served, "getNumCardsReviewedByDay")
    assert len(by_day) == 1 and by_day[0][1] == 2 and len(by_day[0][0]) == 10
    reviews = ok(served, "cardReviews", deck="Default", startID=0)
    assert [r[1] for r in reviews] == [first, second] and all(len(r) == 9 for r in reviews)
    latest = ok(served, "getLatestReviewID", deck="Default")
    assert latest == reviews[-1][0]
    assert ok(served, "cardReviews", deck="Default", startID=latest) == []
    of_cards = ok(served, "getReviewsOfCards", cards=[str(first)])
    assert list(of_cards) == [str(first)] and of_cards[str(first)][0]["ease"] == 3
    assert set(of_cards[str(first)][0]) == {
        "id",
        "usn",
        "ease",
        "ivl",
        "lastIvl",
        "factor",
        "time",
        "type",
    }
    ok(served, "insertReviews", reviews=[[latest + 10, first, -1, 3, 4, -60, 2500, 6157, 0]])
    assert len(ok(served, "getReviewsOfCards", cards=[first])[str(first)]) == 2
    bad = call(served, "insertReviews", reviews=[[1, 2, 3]])
    assert "reviews[0] must be 9 integers" in bad["error"]
    assert "<" in ok(served, "getCollectionStatsHTML", wholeCollection=True)
    assert "deck was not found" in call(served, "cardReviews", deck="Nope", startID=0)["error"]


def test_graphical_actions_say_they_need_the_window_when_headless(serve: Serve) -> None:
    served = serve()
    for action in ("guiBrowse", "guiDeckReview", "guiCurrentCard", "sync"):
        answer = call(served, action, query="deck:current")
        assert answer["result"] is None
        assert answer["error"].startswith(f"{action} needs Anki's window")
    assert "guiBrowse" in ok(served, "apiReflect", scopes=["actions"], actions=None)["actions"]


class FakeWindow:
    """Stands in for Anki's window only to record what the API asks of it; the real
    window is exercised in test_e2e_anki."""

    def __init__(self, allow: bool) -> None:
        self.allow = allow
        self.asked: list[str] = []
        self.performed: list[tuple[str, dict[str, Any]]] = []

    def perform(self, action: str, params: dict[str, Any]) -> Any:
        self.performed.append((action, params))
        return [1, 2]

    def ask_origin(self, origin: str) -> bool:
        self.asked.append(origin)
        return self.allow


@pytest.mark.parametrize("allow", [True, False])
def test_request_permission_from_an_unknown_origin(serve: Serve, allow: bool) -> None:
    window = FakeWindow(allow)
    served = serve(window=window, api_key="secret")
    origin = {"Origin": "https://reader.example"}
    payload = json.dumps({"action": "requestPermission", "version": 6}).encode()
    code, headers, body = request(served.port, "POST", "/", payload, origin)
    assert code == 200 and headers["Access-Control-Allow-Origin"] == "https://reader.example"
    if allow:
        assert json.loads(body)["result"]["permission"] == "granted"
        assert json.loads(body)["result"]["requireApiKey"] is True
    else:
        assert json.loads(body) == {"result": {"permission": "denied"}, "error": None}
    assert window.asked == ["https://reader.example"]
    other = json.dumps({"action": "deckNames", "version": 6, "key": "secret"}).encode()
    code, _, _ = request(served.port, "POST", "/", other, origin)
    assert code == (200 if allow else 403)
    code, headers, _ = request(served.port, "OPTIONS", "/", b"", origin)
    assert code == 204 and headers["Access-Control-Allow-Origin"] == "https://reader.example"


def test_request_permission_headless_is_denied_for_unknown_origins(serve: Serve) -> None:
    served = serve()
    payload = json.dumps({"action": "requestPermission", "version": 6}).encode()
    _, _, body = request(served.port, "POST", "/", payload, {"Origin": "https://x.example"})
    assert json.loads(body)["result"] == {"permission": "denied"}
    _, _, body = request(served.port, "POST", "/", payload)
    assert json.loads(body)["result"]["permission"] == "granted"


def test_graphical_actions_go_to_the_window(serve: Serve) -> None:
    window = FakeWindow(True)
    served = serve(window=window)
    assert ok(served, "guiBrowse", query="deck:current") == [1, 2]
    assert window.performed == [("guiBrowse", {"query": "deck:current"})]


def test_german_collection_model_and_card_actions(serve: Serve, german_col: Collection) -> None:
    served = serve(on=german_col)
    note_id = ok(served, "addNote", note=note(deck="Standard", Front="Hund", Back="dog"))
    # The template's name as this Anki's German spells it: "Karte 1", with a plain or a
    # no-break space, depending on the version.
    basic = german_col.models.by_name("Einfach")
    assert basic is not None
    card_1 = basic["tmpls"][0]["name"]
    assert card_1.replace("\xa0", " ") == "Karte 1"
    assert ok(served, "modelFieldsOnTemplates", modelName="Basic") == {
        card_1: [["Vorderseite"], ["Rückseite"]]
    }
    card = ok(served, "notesInfo", notes=[note_id])[0]["cards"][0]
    ok(served, "changeDeck", cards=[card], deck="Sprachen::Deutsch")
    assert ok(served, "cardsInfo", cards=[card])[0]["deckName"] == "Sprachen::Deutsch"
    ok(served, "modelFieldRename", modelName="Basic", oldFieldName="Rückseite", newFieldName="Back")
    assert ok(served, "modelFieldNames", modelName="Einfach") == ["Vorderseite", "Back"]
