"""`sync --dry-run`: the plan of a sync, with nothing changed — not the files, not the
state, not the collection (no note, note type, media file or undo entry) — and the
counts the real sync then reaches."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from anki.collection import Collection

from addon.sync.engine import UNDO_LABEL, sync_folder
from addon.sync.options import SyncOptions
from tests.conftest import example_decks
from tests.test_cli import cli
from tests.test_sync_endpoint import Serve, sync_request

DRY = SyncOptions(dry_run=True)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _new_folder(tmp_path: Path, note_types: bool = True) -> Path:
    folder = tmp_path / "decks"
    example_decks(folder)
    if not note_types:
        shutil.rmtree(folder / "note_types")
    (folder / "media").mkdir(exist_ok=True)
    (folder / "media" / "cell.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    biology = folder / "Biology.md"
    biology.write_text(
        biology.read_text() + "\n---\n\nQ: What does a cell look like?\nA: ![](media/cell.png)\n"
    )
    return folder


def test_a_first_dry_run_changes_nothing_and_plans_what_the_sync_does(
    col: Collection, tmp_path: Path
) -> None:
    folder = _new_folder(tmp_path, note_types=False)
    before, mod, models = _snapshot(folder), col.mod, len(col.models.all_names_and_ids())
    media = sorted(Path(col.media.dir()).iterdir())
    plan = sync_folder(col, folder, DRY).summary
    assert _snapshot(folder) == before  # no key written, no note types, no state
    assert not (folder / "note_types").exists() and not (folder / ".context-connect").exists()
    assert col.mod == mod and len(col.models.all_names_and_ids()) == models
    assert col.find_notes("") == [] and sorted(Path(col.media.dir()).iterdir()) == media
    assert col.undo_status().undo == ""
    assert plan.dry_run and plan.ok
    assert [(p["side"], p["action"]) for p in plan.planned] == [("anki", "create")] * 5
    reasons = [p["reason"] for p in plan.planned]
    assert reasons.count("not in Anki") == 4 and reasons.count("new in Markdown") == 1
    assert any("note_types/ is missing" in w for w in plan.warnings)
    done = sync_folder(col, folder).summary
    assert done.anki == plan.anki and done.markdown == plan.markdown
    assert not done.dry_run and done.planned == []


def test_a_dry_run_shows_deletions_and_the_guard_without_touching_the_state(
    col: Collection, tmp_path: Path
) -> None:
    folder = _new_folder(tmp_path)
    sync_folder(col, folder)
    col.remove_notes(col.find_notes("")[:4])
    files, undo = _snapshot(folder), col.undo_status().undo
    plan = sync_folder(col, folder, DRY).summary
    assert _snapshot(folder) == files  # the state file included
    assert col.undo_status().undo == undo
    assert plan.stopped and plan.markdown.deleted == 4  # the guard would ask
    deletes = [p for p in plan.planned if p["action"] == "delete"]
    assert len(deletes) == 4 and all(p["side"] == "markdown" for p in deletes)
    assert all("deleted in Anki" in p["reason"] for p in deletes)
    confirmed = sync_folder(col, folder, SyncOptions(confirmed=True, dry_run=True)).summary
    assert not confirmed.stopped and _snapshot(folder) == files
    done = sync_folder(col, folder, SyncOptions(confirmed=True)).summary
    assert done.markdown == confirmed.markdown and done.anki == confirmed.anki


def test_dry_run_on_the_command_line_prints_the_plan(tmp_path: Path) -> None:
    folder = _new_folder(tmp_path)
    collection = tmp_path / "c.anki2"
    before = _snapshot(folder)
    run = cli("sync", "--collection", str(collection), "--folder", str(folder), "--port", "1",
              "--dry-run", "--json")  # fmt: skip
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["dry_run"] is True and summary["anki"]["created"] == 5
    assert {p["where"] for p in summary["planned"]} >= {"Biology.md:1", "Linux__Shell.md:1"}
    assert _snapshot(folder) == before
    text = cli("sync", "--collection", str(collection), "--folder", str(folder), "--port", "1",
               "--dry-run")  # fmt: skip
    assert text.stdout.startswith("Dry run: nothing was changed.")
    assert "Anki: create" in text.stdout
    refused = cli("sync", "--folder", str(folder), "--dry-run", "--adopt", "Basic")
    assert refused.returncode == 2 and "not with --dry-run" in refused.stderr


def test_dry_run_through_the_server(serve: Serve, tmp_path: Path) -> None:
    folder = _new_folder(tmp_path)
    served = serve()
    before = _snapshot(folder)
    status, summary = sync_request(served.port, {"folder": str(folder), "dry_run": True})
    assert status == 200, summary
    assert summary["dry_run"] and summary["anki"]["created"] == 5
    assert _snapshot(folder) == before and served.col.find_notes("") == []
    status, summary = sync_request(served.port, {"folder": str(folder), "dry_run": "yes"})
    assert status == 400 and "dry_run: must be true or false" in summary["error"]
    status, summary = sync_request(served.port, {"folder": str(folder)})
    assert status == 200 and served.col.undo_status().undo == UNDO_LABEL
