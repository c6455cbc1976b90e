"""Files in the Markdown folder that are not deck files: prose is ignored and listed
once, `.ccignore` leaves out more."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection

from addon.sync.folder import is_ignored
from tests.test_folder_sync import HEART, sync


def test_prose_files_are_ignored_and_listed_once(col: Collection, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "Heart.md").write_text(HEART)
    readme = "# My decks\n\nThese are my notes. Key: value lines are fine.\n"
    (folder / "About.md").write_text(readme)
    first = sync(col, folder)  # no error for the README
    assert first.anki.created == 2
    assert [w for w in first.warnings if w.startswith("About.md: ignored")]
    second = sync(col, folder)
    assert not [w for w in second.warnings if "About.md" in w]
    assert (folder / "About.md").read_text() == readme  # never written to


def test_ccignore_leaves_out_files_with_notes(col: Collection, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "Heart.md").write_text(HEART)
    (folder / "Drafts.md").write_text("Q: draft?\nA: not yet\n")
    (folder / ".ccignore").write_text("# drafts stay out\nDraft*.md\n")
    summary = sync(col, folder)
    assert summary.anki.created == 2
    assert "note_key" not in (folder / "Drafts.md").read_text()


def test_ignore_patterns_follow_gitignore_negation() -> None:
    patterns = ["*.md", "!Keep.md"]
    assert is_ignored("Other.md", patterns)
    assert not is_ignored("Keep.md", patterns)
    assert not is_ignored("x.md", [])


def _deck_names(col: Collection) -> set[str]:
    return {deck.name for deck in col.decks.all_names_and_ids()}


def test_empty_decks_the_sync_made_go_with_their_file(col: Collection, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "Heart.md").write_text(HEART)
    (folder / "Reading__Papers.md").write_text("Q: What is a B-tree?\nA: A tree\n")
    col.decks.id("Mine", create=True)  # the user's own, empty: never touched
    sync(col, folder)
    assert {"Reading", "Reading::Papers", "Heart"} <= _deck_names(col)
    (folder / "Reading__Papers.md").rename(folder / "Reading__Books.md")
    renamed = sync(col, folder)
    names = _deck_names(col)
    assert "Reading::Papers" not in names and {"Reading", "Reading::Books", "Mine"} <= names
    assert "deck Reading::Papers: removed (made by the sync, now empty)" in renamed.warnings
    (folder / "Reading__Books.md").unlink()
    sync(col, folder)
    names = _deck_names(col)
    assert "Reading" not in names and "Reading::Books" not in names
    assert {"Heart", "Mine", "Default"} <= names


def test_a_deck_the_sync_made_stays_while_it_holds_cards(col: Collection, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "Heart.md").write_text(HEART)
    sync(col, folder)
    heart = col.decks.id_for_name("Heart")
    assert heart is not None
    default = col.decks.id_for_name("Default")
    note = col.new_note(col.models.by_name("Basic"))  # type: ignore[arg-type]
    note["Front"] = "not the sync's"
    col.add_note(note, heart)
    (folder / "Heart.md").write_text("")
    sync(col, folder, confirmed=True)
    assert col.decks.id_for_name("Heart") == heart and default is not None


def test_an_emptied_deck_file_is_still_a_deck_file(col: Collection, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "Heart.md").write_text(HEART)
    sync(col, folder)
    (folder / "Heart.md").write_text("\n")
    summary = sync(col, folder, confirmed=True)
    assert summary.anki.deleted == 2
    assert not [w for w in summary.warnings if "ignored" in w]
