"""What a folder's first sync is said to do, before it runs."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection

from addon.store.status import markdown_note_count, notes_of_types
from addon.sync.first_use import first_use_plan
from tests.test_folder_sync import HEART, sync


def test_plan_names_what_is_added_read_written_and_adopted(tmp_path: Path) -> None:
    (tmp_path / "Heart.md").write_text(HEART)
    (tmp_path / "README.md").write_text("# not a deck")
    plan = first_use_plan(tmp_path, 3, ["Basic"], 12)
    assert plan == [
        "bring the note type Basic into note_types/ and write its 12 notes into deck files",
        "add note_types/ with the starter note types (MarkdownQA, MarkdownCloze, MarkdownChoice)",
        "add .context-connect/, where it remembers the last sync (git ignores it)",
        "read the 1 Markdown file there into Anki, and add a note_key comment to each note in them",
        "write the 3 notes of the Markdown note types already in Anki into deck files (one "
        "file per deck)",
    ]
    (tmp_path / "note_types").mkdir()
    assert not [line for line in first_use_plan(tmp_path, 0) if "note_types" in line]


def test_counts_of_notes_a_first_sync_would_write(col: Collection, tmp_path: Path) -> None:
    basic = col.models.by_name("Basic")
    assert basic is not None
    for text in ("a", "b"):
        note = col.new_note(basic)
        note["Front"] = text
        col.add_note(note, col.decks.id_for_name("Default") or 1)  # type: ignore[arg-type]
    assert notes_of_types(col, ["Basic"]) == 2 and notes_of_types(col, ["Nope"]) == 0
    assert markdown_note_count(col) == 0
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "Heart.md").write_text(HEART)
    sync(col, folder)
    assert markdown_note_count(col) == 2
