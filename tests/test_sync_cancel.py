"""Cancelling a sync before it writes notes leaves Anki and the folder's notes as found."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection

from addon.sync.cancel import SyncCancelled, cancellable_sync
from addon.sync.options import SyncOptions
from tests.test_folder_sync import HEART, managed


def _type_names(col: Collection) -> list[str]:
    return sorted(entry.name for entry in col.models.all_names_and_ids())


def test_cancel_while_reading_undoes_what_the_sync_set_up(col: Collection, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "Heart.md").write_text(HEART)
    types_before = _type_names(col)
    seen: list[str] = []
    with pytest.raises(SyncCancelled):
        cancellable_sync(
            col, folder, SyncOptions(), seen.append, cancelled=lambda: bool(seen)
        )
    assert seen == ["Reading the Markdown folder"]
    assert _type_names(col) == types_before  # the note types were undone
    assert managed(col) == {} and col.note_count() == 0
    assert "note_key" not in (folder / "Heart.md").read_text().split("k-heart-1")[1]


def test_a_sync_not_cancelled_runs_through(col: Collection, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "Heart.md").write_text(HEART)
    seen: list[str] = []
    result = cancellable_sync(col, folder, SyncOptions(), seen.append, cancelled=lambda: False)
    assert result.summary.anki.created == 2
    assert seen[0] == "Reading the Markdown folder" and seen[-1] == "Writing the Markdown files"
