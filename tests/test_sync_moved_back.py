"""The collection moved back behind the sync's back (Edit ▸ Undo, an AnkiWeb download,
a restored backup, Check Database, an import): the next sync loses nothing."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.decks import DeckId
from anki.notes import Note

from addon.store import anki_compat
from addon.sync.engine import UNDO_LABEL, sync_folder
from addon.sync.options import SyncOptions
from addon.sync.summary import PendingDeletion
from tests.test_folder_sync import HEART, edit_file, edit_in_anki, keys_in, managed, sync

Files = dict[str, bytes]


def files(folder: Path) -> Files:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.md"))}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "notes"
    path.mkdir()
    (path / "Anatomy__Heart.md").write_text(HEART)
    return path


class Reopen:
    """The collection file, closed and reopened as Anki does around a download."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.col = Collection(str(path))

    def snapshot(self, name: str) -> Path:
        self.col.close()
        copy = self.path.with_name(name)
        shutil.copy(self.path, copy)
        self.col = Collection(str(self.path))
        return copy

    def restore(self, snapshot: Path) -> Collection:
        self.col.close()
        shutil.copy(snapshot, self.path)
        self.col = Collection(str(self.path))
        return self.col


@pytest.fixture
def collection(collection_path: Path) -> Iterator[Reopen]:
    reopen = Reopen(collection_path)
    yield reopen
    reopen.col.close()


def test_undo_of_a_sync_that_created_notes_gives_them_back(col: Collection, folder: Path) -> None:
    sync(col, folder)
    before = files(folder)
    assert col.undo_status().undo == UNDO_LABEL
    col.undo()
    assert managed(col) == {}
    summary = sync(col, folder)
    assert files(folder) == before
    assert summary.markdown.deleted == summary.anki.deleted == 0
    assert summary.moved_back and summary.restored == 2 and summary.anki.created == 2
    assert set(managed(col)) == set(keys_in(folder / "Anatomy__Heart.md"))
    assert "restored or undone since the last sync: nothing was deleted; 2 notes" in (
        summary.text()
    )
    again = sync(col, folder)
    assert again.anki.unchanged == 2 and not again.moved_back
    assert files(folder) == before


def test_undo_of_an_applied_file_edit_is_redone_not_reverted_in_the_file(
    col: Collection, folder: Path
) -> None:
    sync(col, folder)
    edit_file(folder / "Anatomy__Heart.md", "**Four**", "**Four**: two atria")
    sync(col, folder)
    before = files(folder)
    col.undo()
    assert managed(col)["k-heart-1"]["Answer"] == "<strong>Four</strong>"
    summary = sync(col, folder)
    assert files(folder) == before
    assert managed(col)["k-heart-1"]["Answer"] == "<strong>Four</strong>: two atria"
    assert summary.anki.updated == 1 and not summary.conflicts


def test_undo_of_a_sync_that_deleted_notes_deletes_nothing_more(
    col: Collection, folder: Path
) -> None:
    """Undo is what a user reaches for after a surprising deletion: the note stays in
    Anki and comes back into its file."""
    sync(col, folder)
    path = folder / "Anatomy__Heart.md"
    (other,) = [k for k in keys_in(path) if k != "k-heart-1"]
    text = path.read_text()
    path.write_text(text[: text.index("\n---\n\n<!-- note_key: " + other)] + "\n")
    assert sync(col, folder).anki.deleted == 1
    col.undo()
    assert other in managed(col)
    summary = sync(col, folder)
    assert summary.anki.deleted == summary.markdown.deleted == 0 and summary.moved_back
    assert other in managed(col) and other in keys_in(path)
    assert sync(col, folder).markdown.unchanged == 2


def test_undo_of_a_key_given_to_an_anki_note_makes_no_duplicate(
    col: Collection, folder: Path
) -> None:
    sync(col, folder)
    model = col.models.by_name("MarkdownQA")
    assert model is not None
    note = col.new_note(model)
    note["Question"], note["Answer"] = "Made in Anki", "here"
    col.add_note(note, DeckId(col.decks.id("Anatomy::Heart") or 1))
    sync(col, folder)
    before = files(folder)
    assert len(keys_in(folder / "Anatomy__Heart.md")) == 3
    col.undo()  # the key the sync gave the note is gone again
    summary = sync(col, folder)
    assert files(folder) == before
    assert len(managed(col)) == 3 and summary.anki.created == 0
    assert sorted(managed(col)) == sorted(keys_in(folder / "Anatomy__Heart.md"))


def test_undo_then_redo_is_the_collection_the_sync_left(col: Collection, folder: Path) -> None:
    sync(col, folder)
    edit_file(folder / "Anatomy__Heart.md", "The aorta", "The aorta, to the body")
    sync(col, folder)
    col.undo()
    col.redo()
    summary = sync(col, folder)
    assert not summary.moved_back and summary.anki.updated == 0 and summary.anki.unchanged == 2


def test_a_sync_that_changes_nothing_makes_no_undo_entry(col: Collection, folder: Path) -> None:
    sync(col, folder)
    basic = col.models.by_name("Basic")
    assert basic is not None
    note = col.new_note(basic)
    note["Front"] = "not the folder's"
    col.add_note(note, DeckId(1))
    label = col.undo_status().undo
    assert label and label != UNDO_LABEL
    summary = sync(col, folder)
    assert summary.anki.unchanged == 2 and col.undo_status().undo == label


def test_undo_of_the_sync_of_an_anki_edit_keeps_the_edit(col: Collection, folder: Path) -> None:
    sync(col, folder)
    edit_in_anki(col, "k-heart-1", Answer="Four, said in Anki")
    sync(col, folder)
    before = files(folder)
    col.undo()
    summary = sync(col, folder)
    assert files(folder) == before and not summary.conflicts
    assert managed(col)["k-heart-1"]["Answer"] == "Four, said in Anki"
    assert sync(col, folder).anki.unchanged == 2


def test_undo_of_an_anki_edit_after_its_sync_brings_the_edit_back(
    col: Collection, folder: Path
) -> None:
    """An API batch (or any edit) synced to the file, then both undone: the file keeps
    the edit and Anki gets it again, as if redone."""
    sync(col, folder)
    edit_in_anki(col, "k-heart-1", Answer="Four chambers")
    sync(col, folder)
    before = files(folder)
    col.undo()  # the sync
    col.undo()  # the edit
    assert managed(col)["k-heart-1"]["Answer"] == "<strong>Four</strong>"
    sync(col, folder)
    assert files(folder) == before
    assert managed(col)["k-heart-1"]["Answer"] == "Four chambers"


def test_a_collection_replaced_by_an_older_copy_loses_nothing_in_the_files(
    collection: Reopen, folder: Path
) -> None:
    """The AnkiWeb "Download" and restored-backup case: the collection file is replaced
    by a copy taken before the last sync."""
    sync(collection.col, folder)
    older = collection.snapshot("backup.anki2")
    path = folder / "Anatomy__Heart.md"
    edit_file(path, "**Four**", "**Four**, two and two")
    path.write_text(path.read_text() + "\n---\n\nQ: What closes the valves?\nA: Pressure\n")
    edit_in_anki(collection.col, "k-heart-1", Question="How many chambers has a heart?")
    sync(collection.col, folder)
    before = files(folder)
    col = collection.restore(older)
    summary = sync(col, folder)
    assert files(folder) == before
    assert summary.moved_back and summary.restored == 1 and summary.anki.created == 1
    notes = managed(col)
    assert notes["k-heart-1"]["Answer"] == "<strong>Four</strong>, two and two"
    assert notes["k-heart-1"]["Question"] == "How many chambers has a heart?"
    assert {n["Question"] for n in notes.values()} >= {"What closes the valves?"}
    assert sync(col, folder).anki.unchanged == 3


def test_a_copy_from_before_the_first_sync_restores_every_note(
    collection: Reopen, folder: Path
) -> None:
    older = collection.snapshot("empty.anki2")
    sync(collection.col, folder)
    before = files(folder)
    col = collection.restore(older)
    summary = sync(col, folder)
    assert files(folder) == before and summary.restored == 2 and len(managed(col)) == 2


def test_a_copy_no_kept_generation_describes_keeps_both_versions(
    collection: Reopen, folder: Path
) -> None:
    """Where the sync cannot tell which side changed, both versions stay."""
    older = collection.snapshot("empty.anki2")
    sync(collection.col, folder)
    col = collection.restore(older)
    # A note with the same key edited in the old collection (as on another device).
    sync_folder(col, folder, SyncOptions())  # restores the notes; now at a new generation
    edit_in_anki(col, "k-heart-1", Answer="Four, edited in the restored copy")
    older_than_that = collection.snapshot("edited.anki2")
    edit_file(folder / "Anatomy__Heart.md", "**Four**", "**Four**, edited in the file")
    sync(collection.col, folder)
    state = next((folder / ".context-connect").glob("state-*.sqlite3"))
    with sqlite3.connect(state) as db:  # the generations that describe the copy are gone
        db.execute("delete from generations")
    col = collection.restore(older_than_that)
    summary = sync(col, folder)
    text = (folder / "Anatomy__Heart.md").read_text()
    assert summary.moved_back and len(summary.conflicts) == 1
    assert "edited in the restored copy" in text and "edited in the file" in text
    assert summary.markdown.deleted == summary.anki.deleted == 0


def test_check_database_changes_nothing_for_the_sync(col: Collection, folder: Path) -> None:
    sync(col, folder)
    before = files(folder)
    col.fix_integrity()
    summary = sync(col, folder)
    assert files(folder) == before and summary.anki.unchanged == 2 and not summary.moved_back


def test_an_import_that_changes_managed_notes_is_an_edit_in_anki(
    col: Collection, folder: Path, tmp_path: Path
) -> None:
    sync(col, folder)
    package = tmp_path / "deck.apkg"
    anki_compat.export_package(col, str(package), None, with_scheduling=False)
    other = Collection(str(tmp_path / "other.anki2"))  # the same deck, shared elsewhere
    try:
        anki_compat.import_package(other, str(package))
        edit_in_anki(other, "k-heart-1", Answer="Four, from a shared deck")
        # Anki imports an edit only if it is newer, to the second: make it so.
        assert other.db is not None
        other.db.execute("update notes set mod = mod + 60")
        anki_compat.export_package(other, str(package), None, with_scheduling=False)
    finally:
        other.close()
    anki_compat.import_package(col, str(package))
    summary = sync(col, folder)
    assert summary.markdown.updated == 1 and summary.markdown.deleted == 0
    assert "Four, from a shared deck" in (folder / "Anatomy__Heart.md").read_text()


def test_the_deletion_question_names_files_decks_and_the_side(
    col: Collection, folder: Path
) -> None:
    (folder / "Many.md").write_text("\n---\n\n".join(f"Q: q{i}\nA: a{i}\n" for i in range(6)))
    sync(col, folder)
    (folder / "Many.md").write_text("")
    doomed: list[Note] = [n for n in managed(col).values() if n["Question"] != "q0"]
    col.remove_notes([n.id for n in doomed if n["Question"].startswith("What")])
    stopped = sync_folder(col, folder, SyncOptions()).summary
    assert stopped.stopped
    assert stopped.pending_deletions == [
        PendingDeletion("anki", "Many.md", "Many", 6),
        PendingDeletion("markdown", "Anatomy__Heart.md", "Anatomy::Heart", 1),
    ]
    question = stopped.needs_confirmation or ""
    assert "6 from Anki, because they are gone from the files" in question
    assert "1 from the Markdown files, because they were deleted in Anki" in question
    assert "6 notes of deck Many (Many.md) removed from the file: delete from Anki" in (
        stopped.text()
    )
    assert stopped.to_json()["pending_deletions"][0] == {
        "side": "anki", "file": "Many.md", "deck": "Many", "notes": 6
    }  # fmt: skip
