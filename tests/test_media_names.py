"""Media actions check the file name before touching anything: a bad name is an
error and Anki's media folder stays exactly as it was."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from tests.test_anki_connect import Serve, call, ok

DATA = base64.b64encode(b"hello").decode()
BAD_NAMES = ["", ".", "..", "../x.txt", "a/b.txt", "a\\b.txt", "x\x00.txt", "CON", "nul.txt"]


def _media(media_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(media_dir.iterdir())}


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_names_touch_nothing(serve: Serve, name: str) -> None:
    served = serve()
    media_dir = Path(served.col.media.dir())
    ok(served, "storeMediaFile", filename="keep.txt", data=DATA)
    ok(served, "storeMediaFile", filename="also.png", data=DATA)
    before = _media(media_dir)
    calls: list[tuple[str, dict[str, Any]]] = [
        ("storeMediaFile", {"filename": name, "data": DATA}),
        ("storeMediaFile", {"filename": name, "data": DATA, "deleteExisting": False}),
        ("retrieveMediaFile", {"filename": name}),
        ("deleteMediaFile", {"filename": name}),
    ]
    for action, params in calls:
        answer = call(served, action, **params)
        assert _media(media_dir) == before, action
        assert answer["result"] is None and "file name" in answer["error"], (action, answer)
    assert ok(served, "getMediaFilesNames") == ["also.png", "keep.txt"]


def test_patterns_stay_in_the_media_folder(serve: Serve, tmp_path: Path) -> None:
    served = serve()
    ok(served, "storeMediaFile", filename="a.txt", data=DATA)
    assert ok(served, "getMediaFilesNames", pattern="*.txt") == ["a.txt"]
    assert ok(served, "getMediaFilesNames", pattern="**") == ["a.txt"]
    for pattern in ["../*", "../../**", "/etc/*", "..\\*"]:
        answer = call(served, "getMediaFilesNames", pattern=pattern)
        assert answer["result"] is None and "pattern" in answer["error"], (pattern, answer)


def test_a_link_out_of_the_media_folder_is_not_followed(serve: Serve, tmp_path: Path) -> None:
    served = serve()
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    (Path(served.col.media.dir()) / "link.txt").symlink_to(secret)
    answer = call(served, "retrieveMediaFile", filename="link.txt")
    assert answer["result"] is None and "outside" in answer["error"]


def test_attachments_of_new_notes_are_checked_too(serve: Serve) -> None:
    served = serve()
    media_dir = Path(served.col.media.dir())
    before = _media(media_dir)
    spec = {
        "deckName": "Default", "modelName": "Basic", "fields": {"Front": "f", "Back": "b"},
        "picture": [{"data": DATA, "filename": "../escape.png", "fields": ["Back"]}],
    }  # fmt: skip
    answer = call(served, "addNote", note=spec)
    assert "path separator" in answer["error"]
    assert _media(media_dir) == before and served.col.note_count() == 0
