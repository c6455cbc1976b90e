"""The real `ankiops` 0.6 command line, unchanged, against our server, and folders
passed between it and our sync. Slow and needs the package index: run with
`pytest -m ankiops` (set ANKIOPS_BIN to an installed `ankiops` to skip installing)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.notes import NoteId

from addon.store.collection import database
from addon.sync.engine import sync_folder, sync_through
from addon.sync.options import SyncOptions
from tests.conftest import Served

pytestmark = pytest.mark.ankiops
ANKIOPS_VERSION = "0.6.6"
TUTORIAL = "AnkiOps Tutorial.md"


@pytest.fixture(scope="module")
def ankiops(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("ANKIOPS_BIN")
    if given:
        return Path(given)
    venv = tmp_path_factory.mktemp("ankiops") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    installed = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", f"ankiops=={ANKIOPS_VERSION}"],
        capture_output=True,
        text=True,
    )
    if installed.returncode:
        pytest.skip(f"cannot install ankiops: {installed.stderr[-500:]}")
    return venv / "bin" / "ankiops"


def run(ankiops: Path, port: int, folder: Path, *args: str) -> str:
    env = {
        **os.environ,
        "ANKIOPS_CONNECT_URL": f"http://127.0.0.1:{port}",
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
        "COLUMNS": "200",
    }  # fmt: skip
    done = subprocess.run(
        [str(ankiops), *args], cwd=folder, env=env, capture_output=True, text=True, timeout=120
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "ERROR" not in output, output
    return output


def note_with(col: Collection, search: str) -> NoteId:
    found = col.find_notes(search)
    assert len(found) == 1, (search, found)
    return found[0]


def test_ankiops_runs_unchanged_and_folders_pass_both_ways(
    ankiops: Path, serve: Callable[..., Served], tmp_path: Path, empty_collection_file: Path
) -> None:
    served = serve()
    folder = tmp_path / "ankiops"
    folder.mkdir()
    run(ankiops, served.port, folder, "init", "--tutorial")
    assert "5 created" in run(ankiops, served.port, folder, "fa")
    col = served.col
    assert len(col.find_notes('"note:AnkiOpsQA"')) == 3

    # Edited in Anki, written to the file by ankiops (anki-to-files).
    welcome = col.get_note(note_with(col, '"Question:Welcome to AnkiOps!"'))
    welcome["Extra"] = "Edited in Anki."
    col.update_note(welcome)
    run(ankiops, served.port, folder, "af")
    assert "E: Edited in Anki." in (folder / TUTORIAL).read_text()

    # Its folder, synced by ours into another collection.
    ours = tmp_path / "ours"
    shutil.copytree(folder, ours)
    other_path = tmp_path / "other.anki2"
    shutil.copy(empty_collection_file, other_path)
    other = Collection(str(other_path))
    try:
        summary = sync_folder(other, ours, SyncOptions()).summary
        assert summary.ok and not summary.errors, summary.text()
        assert summary.anki.created == 5
        copy = other.get_note(note_with(other, '"Question:Welcome to AnkiOps!"'))
        assert copy["Extra"] == "Edited in Anki."
        copy["Answer"] = "Markdown files and Anki, kept in sync"
        other.update_note(copy)
        assert sync_folder(other, ours, SyncOptions()).summary.markdown.updated == 1
    finally:
        other.close()

    # The folder our sync wrote, read by ankiops (files-to-anki) into the first one.
    assert "1 updated" in run(ankiops, served.port, ours, "fa")
    welcome = col.get_note(welcome.id)
    assert welcome["Answer"] == "Markdown files and Anki, kept in sync"


def test_an_ankiops_collection_switches_to_our_sync_in_place(
    ankiops: Path, serve: Callable[..., Served], tmp_path: Path
) -> None:
    """The user's collection already has AnkiOps' note types and notes: our sync takes
    them over as they are (same fields, keys in `AnkiOps Key`), and ankiops keeps working."""
    served = serve()
    folder = tmp_path / "cards"
    folder.mkdir()
    run(ankiops, served.port, folder, "init", "--tutorial")
    run(ankiops, served.port, folder, "fa")
    col = served.col
    fields_before = {
        name: col.models.field_names(col.models.by_name(name) or {})
        for name in (entry.name for entry in col.models.all_names_and_ids())
    }
    ids_before = set(col.find_notes(""))
    schema = database(col).scalar("select scm from col")

    summary = sync_through(served.runner, folder, SyncOptions())
    assert summary.summary.ok, summary.summary.text()
    assert summary.summary.anki.created == summary.summary.markdown.created == 0
    assert set(col.find_notes("")) == ids_before
    assert database(col).scalar("select scm from col") == schema  # no full upload
    assert not summary.summary.conflicts and summary.summary.anki.updated == 0
    assert {
        name: col.models.field_names(col.models.by_name(name) or {})
        for name in (entry.name for entry in col.models.all_names_and_ids())
    } == fields_before

    # Edits both ways, each tool seeing the other's.
    edit = folder / TUTORIAL
    edit.write_text(edit.read_text().replace("Neat!", "Neat, in both tools!"))
    assert sync_through(served.runner, folder, SyncOptions()).summary.anki.updated == 1
    welcome = col.get_note(note_with(col, '"Question:Welcome to AnkiOps!"'))
    assert "Neat, in both tools!" in welcome["More"]
    welcome["Extra"] = "Changed in Anki."
    col.update_note(welcome)
    run(ankiops, served.port, folder, "af")
    assert "E: Changed in Anki." in edit.read_text()
    assert sync_through(served.runner, folder, SyncOptions()).summary.ok
