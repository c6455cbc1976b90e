"""A sync while Anki's side is as the last sync left it reads only the files whose
size and times changed, and of the state only their notes' bases; whatever it finds,
the outcome is the one a sync reading everything would reach."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection

from addon.core.paths import read_inside as read_inside_folder
from addon.store import sync_state
from addon.sync import folder as folder_module
from addon.sync import vault as vault_module
from addon.sync.engine import sync_folder, sync_vault
from addon.sync.options import SyncOptions
from addon.sync.summary import SyncSummary

Stamp = Callable[[Path], None]


def _vault(root: Path, notes: int = 5) -> Path:
    root.mkdir()
    for i in range(notes):
        (root / f"Note {i}.md").write_text(
            f"---\ntags: [flashcards]\n---\n# Note {i}\n\nProse {i}.\n\n"
            f"Question {i}a :: answer {i}a\nQuestion {i}b :: answer {i}b\n"
        )
    return root


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The notes the vault's loader reads, by name (the real reads, recorded)."""
    seen: list[str] = []
    real = vault_module._read

    def read(vault: Path, path: Path, relative: str) -> bytes:
        seen.append(relative)
        return real(vault, path, relative)

    monkeypatch.setattr(vault_module, "_read", read)
    return seen


def _sync(col: Collection, root: Path, **options: Any) -> SyncSummary:
    summary = sync_vault(col, root, SyncOptions(**options)).summary
    return summary


def _backs(col: Collection) -> dict[str, str]:
    return {col.get_note(nid)["Front"]: col.get_note(nid)["Back"] for nid in col.find_notes("")}


@pytest.fixture
def settled(col: Collection, tmp_path: Path, file_times: Stamp) -> Path:
    """A vault synced twice: the first sync wrote block ids, the second saw the files
    as they are now and noted their size and times."""
    root = _vault(tmp_path / "vault")
    assert _sync(col, root).anki.created == 10
    assert _sync(col, root).ok
    return root


def test_a_quiet_sync_reads_only_the_note_that_changed(
    col: Collection, settled: Path, file_times: Stamp, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = _reads(monkeypatch)
    nothing = _sync(col, settled)
    assert reads == [] and nothing.ok
    assert nothing.anki.unchanged == nothing.markdown.unchanged == 10
    path = settled / "Note 3.md"
    path.write_text(path.read_text().replace("answer 3b", "answer 3b, edited"))
    file_times(path)
    summary = _sync(col, settled)
    assert reads == ["Note 3.md"]
    assert summary.ok and summary.anki.updated == 1 and summary.anki.unchanged == 9
    assert _backs(col)["Question 3b"] == "answer 3b, edited"


def test_a_card_copied_from_an_unread_note_is_reported_as_a_full_sync_reports_it(
    col: Collection, settled: Path, file_times: Stamp, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = (settled / "Note 1.md").read_text()
    copied = next(line for line in source.splitlines() if line.startswith("Question 1a"))
    target = settled / "Note 2.md"
    target.write_text(target.read_text() + copied + "\n")
    file_times(target)
    reads = _reads(monkeypatch)
    before = _backs(col)
    summary = _sync(col, settled)
    # The copy names a note whose base belongs to a file left unread: all are read.
    assert sorted(set(reads)) == [f"Note {i}.md" for i in range(5)]
    assert any("Note 2.md" in error and "used twice" in error for error in summary.errors), (
        summary.errors
    )
    assert _backs(col) == before and (settled / "Note 1.md").read_text() == source


def test_a_deleted_note_deletes_its_cards_without_reading_the_others(
    col: Collection, settled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = _reads(monkeypatch)
    (settled / "Note 4.md").unlink()
    summary = _sync(col, settled, confirmed=True)
    assert reads == []
    assert summary.anki.deleted == 2 and summary.anki.unchanged == 8
    assert "Question 4a" not in _backs(col) and len(_backs(col)) == 8


def test_an_edit_that_keeps_the_size_and_the_modification_time_is_seen(
    col: Collection, settled: Path
) -> None:
    path = settled / "Note 0.md"
    status = path.stat()
    path.write_text(path.read_text().replace("answer 0a", "answer 0z"))
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))  # as rsync -t or a copy keeps it
    assert path.stat().st_size == status.st_size
    assert _sync(col, settled).anki.updated == 1
    assert _backs(col)["Question 0a"] == "answer 0z"


def test_an_edit_in_anki_makes_the_sync_read_every_note(
    col: Collection, settled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = col.get_note(col.find_notes('"Front:Question 2a"')[0])
    note["Back"] = "changed in Anki"
    col.update_note(note)
    reads = _reads(monkeypatch)
    summary = _sync(col, settled)
    assert sorted(reads) == [f"Note {i}.md" for i in range(5)]
    assert summary.markdown.updated == 1
    assert "Question 2a :: changed in Anki" in (settled / "Note 2.md").read_text()


def test_files_written_in_the_clocks_tick_are_read_again(
    col: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Times within a tick of the clock may stay the same through another write: such
    a file is read at the next sync, whatever its times say."""
    monkeypatch.setattr(sync_state, "FINE_TICK_NS", 3600 * 10**9)
    monkeypatch.setattr(sync_state, "COARSE_TICK_NS", 3600 * 10**9)
    root = _vault(tmp_path / "vault", notes=2)
    _sync(col, root)
    _sync(col, root)
    reads = _reads(monkeypatch)
    _sync(col, root)
    assert sorted(reads) == ["Note 0.md", "Note 1.md"]


def test_a_quiet_deck_folder_sync_reads_only_the_file_that_changed(
    col: Collection, tmp_path: Path, file_times: Stamp, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    for deck in ("Alpha", "Beta", "Gamma"):
        (folder / f"{deck}.md").write_text(f"Q: {deck} one?\nA: 1\n\n---\n\nQ: {deck} two?\nA: 2\n")
    sync_folder(col, folder)
    sync_folder(col, folder)
    seen: list[str] = []

    def read_inside(root: Path, *parts: str) -> bytes:
        seen.append("/".join(parts))
        return read_inside_folder(root, *parts)

    monkeypatch.setattr(folder_module, "read_inside", read_inside)
    path = folder / "Beta.md"
    path.write_text(path.read_text().replace("A: 2", "A: two"))
    file_times(path)
    summary = sync_folder(col, folder).summary
    assert [name for name in seen if name.endswith(".md")] == ["Beta.md"]
    assert summary.ok and summary.anki.updated == 1 and summary.anki.unchanged == 5


def test_a_state_of_the_previous_schema_is_taken_over(
    col: Collection, tmp_path: Path, file_times: Stamp
) -> None:
    root = _vault(tmp_path / "vault", notes=2)
    _sync(col, root)
    path = next((root / ".context-connect").glob("state-*.sqlite3"))
    with sqlite3.connect(path) as db:  # as schema 3 left it: files without their times
        db.execute("drop table files")
        db.execute("create table files (name text primary key, fingerprint text, deck text)")
        db.execute("update meta set value = '3' where name = 'schema'")
    again = _sync(col, root)
    assert again.ok and again.anki.unchanged == 4 and again.anki.created == 0
    with sqlite3.connect(path) as db:
        assert db.execute("select value from meta where name = 'schema'").fetchone() == ("4",)
        assert db.execute("select count() from files where stat != ''").fetchone()[0] == 2


def test_an_anki_edit_in_the_second_of_the_syncs_own_writes_is_seen(
    col: Collection, tmp_path: Path
) -> None:
    """Anki's times are in seconds: an edit right after a sync that wrote the same note
    keeps its time, and the collection's own time (in milliseconds) shows it."""
    root = _vault(tmp_path / "vault", notes=1)
    _sync(col, root)
    note = col.get_note(col.find_notes('"Front:Question 0a"')[0])
    note["Back"] = "edited at once"
    col.update_note(note)
    assert _sync(col, root).markdown.updated == 1
    assert "Question 0a :: edited at once" in (root / "Note 0.md").read_text()
    note["Back"] = "edited at once, again"
    col.update_note(note)
    assert _sync(col, root).markdown.updated == 1
    assert "Question 0a :: edited at once, again" in (root / "Note 0.md").read_text()
