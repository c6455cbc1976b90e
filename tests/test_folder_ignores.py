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
