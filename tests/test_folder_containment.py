"""A shared Markdown folder is hostile input: the sync reads nothing outside it and
writes nothing outside it, and every refusal names `file:line` and the reason."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from anki.collection import Collection

from addon.core.paths import Inside, OutsideFolder, contained
from addon.sync.engine import sync_folder
from addon.sync.options import SyncOptions
from addon.sync.summary import SyncSummary
from tests.test_folder_sync import PNG, managed, sync

SECRET = b"secret bytes that must never reach Anki"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A private file next to the Markdown folder (as ~/.ssh/id_rsa would be)."""
    path = tmp_path / "secret.png"
    path.write_bytes(SECRET)
    return path


@pytest.fixture
def folder(col: Collection, tmp_path: Path) -> Path:
    path = tmp_path / "notes"
    path.mkdir()
    (path / "Deck.md").write_text("Q: ok\nA: fine\n")
    sync(col, path)  # writes the starter note types
    return path


def run(col: Collection, folder: Path) -> SyncSummary:
    return sync_folder(col, folder, SyncOptions()).summary


def anki_media(col: Collection) -> list[bytes]:
    return [p.read_bytes() for p in Path(col.media.dir()).iterdir() if p.is_file()]


@pytest.mark.parametrize(
    "reference",
    [
        "media/{absolute}",  # media//tmp/.../secret.png
        "media/../../secret.png",
        "media/%2E%2E/%2E%2E/secret.png",
        "media/..%2F..%2Fsecret.png",
        "media/link.png",  # a symbolic link in media/ pointing outside
        "media/out/secret.png",  # a linked folder in media/
    ],
)
def test_images_outside_the_folder_are_refused(
    col: Collection, folder: Path, outside: Path, reference: str
) -> None:
    (folder / "media").mkdir()
    (folder / "media" / "fine.png").write_bytes(PNG)
    (folder / "media" / "link.png").symlink_to(outside)
    (folder / "media" / "out").symlink_to(outside.parent, target_is_directory=True)
    src = reference.format(absolute=outside)
    (folder / "Evil.md").write_text(f"Q: look\nA: ![x]({src}) ![y](media/fine.png)\n")
    summary = run(col, folder)
    assert SECRET not in anki_media(col)
    assert PNG in anki_media(col)  # the rest of the note still syncs
    (error,) = summary.errors
    assert re.match(r"Evil\.md:1: image .* outside notes/", error), error
    answer = next(n["Answer"] for n in managed(col).values() if n["Question"] == "look")
    assert 'src="fine.png"' in answer and f'src="{src}"' in answer  # kept as written


def test_a_deck_file_linked_from_outside_is_not_read(
    col: Collection, folder: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "private.md"
    elsewhere.write_text("Q: private question\nA: private answer\n")
    (folder / "Linked.md").symlink_to(elsewhere)
    summary = run(col, folder)
    assert summary.errors == ["Linked.md:1: not read: Linked.md leads through a symbolic "
                              "link outside notes/"]  # fmt: skip
    assert all(n["Question"] != "private question" for n in managed(col).values())
    assert elsewhere.read_text() == "Q: private question\nA: private answer\n"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("styling", "../../../secret.png"),
        ("styling", "{absolute}"),
        ("front", "../../../secret.png"),
        ("back", "linked.anki"),  # a link next to the YAML that points outside
    ],
)
def test_note_type_files_outside_the_folder_are_refused(
    col: Collection, folder: Path, outside: Path, key: str, value: str
) -> None:
    yaml_path = folder / "note_types" / "MarkdownQA" / "note_type.yaml"
    (yaml_path.parent / "linked.anki").symlink_to(outside)
    text = yaml_path.read_text()
    if key == "styling":
        text = re.sub(r"styling: .*", f"styling: {value.format(absolute=outside)}", text)
    else:
        text = re.sub(rf"{key}: .*", f"{key}: {value}", text, count=1)
    yaml_path.write_text(text)
    summary = run(col, folder)
    (error,) = summary.errors
    assert error.startswith("note_types/MarkdownQA/note_type.yaml: ") and "outside notes/" in error
    for model in col.models.all():
        assert SECRET.decode() not in str(model)


def test_exported_image_names_stay_in_media(col: Collection, folder: Path) -> None:
    """Names in Anki fields are decoded once and checked; one that names something
    outside Anki's media folder stays text and no file is copied."""
    (Path(col.media.dir()) / "ok.png").write_bytes(PNG)
    (folder.parent / "x").write_bytes(b"old")
    note = next(iter(managed(col).values()))
    note["Answer"] = (
        '<img src="..%2Fcollection.anki2"> <img src="..%2F..%2Fx"> '
        '<img src="%252E%252E%252Fx"> <img src="ok.png">'
    )
    col.update_note(note)
    summary = run(col, folder)
    assert not summary.errors, summary.text()
    assert sorted(p.name for p in folder.rglob("*") if p.is_file() and "note_types" not in
                  p.parts and ".context-connect" not in str(p)) == [
        "Deck.md", "ok.png"]  # fmt: skip
    assert (folder.parent / "x").read_bytes() == b"old"
    text = (folder / "Deck.md").read_text()
    assert "media/ok.png" in text and "..%2Fcollection.anki2" in text and "..%2F..%2Fx" in text


def test_a_media_folder_linked_outside_is_not_written(
    col: Collection, folder: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folder / "media").symlink_to(elsewhere, target_is_directory=True)
    (Path(col.media.dir()) / "pasted.png").write_bytes(PNG)
    note = next(iter(managed(col).values()))
    note["Answer"] = '<img src="pasted.png">'
    col.update_note(note)
    summary = run(col, folder)
    assert list(elsewhere.iterdir()) == []
    (error,) = summary.errors
    assert re.match(r"Deck\.md:\d+: image media/pasted.png .*outside notes/", error), error


def test_a_deck_file_linked_outside_is_not_written_through(
    col: Collection, folder: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "private.md"
    elsewhere.write_text("private\n")
    (folder / "Linked.md").symlink_to(elsewhere)
    note = col.new_note(col.models.by_name("MarkdownQA"))  # type: ignore[arg-type]
    note["Question"], note["Answer"] = "made in Anki", "for the linked deck"
    col.add_note(note, col.decks.id("Linked") or 1)  # type: ignore[arg-type]
    summary = run(col, folder)
    assert "Linked.md:1: not written: Linked.md leads through a symbolic link outside notes/" in (
        summary.errors
    )
    assert elsewhere.read_text() == "private\n"


def test_a_link_in_ankis_media_folder_is_not_exported(
    col: Collection, folder: Path, outside: Path
) -> None:
    (Path(col.media.dir()) / "link.png").symlink_to(outside)
    note = next(iter(managed(col).values()))
    note["Answer"] = '<img src="link.png">'
    col.update_note(note)
    summary = run(col, folder)
    assert not (folder / "media").exists()
    assert summary.warnings == ["image link.png is missing: the field refers to it"]


def test_special_files_in_the_folder_do_not_stop_the_sync(col: Collection, folder: Path) -> None:
    """A named pipe would block its reader forever; `media` as a file cannot take
    images. Each is reported, and the sync finishes."""
    (folder / "media").mkdir()
    os.mkfifo(folder / "media" / "pipe.png")
    (folder / "Evil.md").write_text("Q: pipe\nA: ![x](media/pipe.png)\n")
    done = threading.Event()
    result: list[SyncSummary] = []

    def sync_once() -> None:
        result.append(run(col, folder))
        done.set()

    worker = threading.Thread(target=sync_once)
    worker.start()
    if not done.wait(30):
        with open(folder / "media" / "pipe.png", "wb"):
            pass  # let the blocked reader go, then fail
        worker.join()
        pytest.fail("the sync blocked on a named pipe")
    assert result[0].warnings == ["image media/pipe.png is missing: the field refers to it"]
    (folder / "media" / "pipe.png").unlink()
    (folder / "media").rmdir()
    (folder / "media").write_text("not a folder")
    (Path(col.media.dir()) / "pasted.png").write_bytes(PNG)
    note = next(n for n in managed(col).values() if n["Question"] == "ok")
    note["Answer"] = '<img src="pasted.png">'
    col.update_note(note)
    summary = run(col, folder)
    (error,) = summary.errors
    assert error.startswith("Deck.md:1: image media/pasted.png not written: "), error


def test_many_paths_resolved_at_once_are_judged_as_one_at_a_time(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    (root / "notes" / "deep").mkdir(parents=True)
    (root / "notes" / "a.md").write_text("a")
    secret = tmp_path / "secret.md"
    secret.write_text("s")
    (root / "linked.md").symlink_to(secret)
    (root / "inner.md").symlink_to(root / "notes" / "a.md")
    (root / "away").symlink_to(tmp_path)
    names = [
        "notes/a.md", "notes/deep/new.md", "new.md", "linked.md", "inner.md", "away/secret.md",
        "away/vault/notes/a.md", "../secret.md", "notes/../../secret.md", str(secret),
        "notes/..", ".", "nul\x00.md", "notes/missing/x.md", "notes/./a.md",
    ]  # fmt: skip
    inside = Inside(root)

    def judged(resolve: Callable[[], Path]) -> Path | str:
        try:
            return resolve()
        except OutsideFolder as exc:
            return f"refused: {exc}"

    for name in names:
        expected = judged(lambda name=name: contained(root, name))  # type: ignore[misc]
        assert judged(lambda name=name: inside(name)) == expected, name  # type: ignore[misc]
    assert isinstance(judged(lambda: inside("linked.md")), str)
    assert judged(lambda: inside("notes/deep/new.md")) == root.resolve() / "notes/deep/new.md"
