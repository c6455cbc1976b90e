"""A /v1/cards batch that mixes new and changed cards is all or nothing: killed or
failing between its adds and its updates, it leaves the collection as it was."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection

from addon.api.app import Application
from addon.api.context import ApiContext
from addon.api.http import Request
from addon.core.config import Config
from addon.store.runner import LockedCollection

ROOT = Path(__file__).resolve().parent.parent


def post_cards(col: Collection, cards: list[dict[str, Any]]) -> Any:
    config = Config(port=0)
    app = Application(ApiContext(config, LockedCollection(col)))
    response = app(Request("POST", "/v1/cards", body=json.dumps({"cards": cards}).encode()))
    assert response.status == 200, response.body
    return response.body


def batch(version: str) -> list[dict[str, Any]]:
    """Twenty cards sent before (changed in `version`) and twenty new ones."""
    old = [{"id": f"old:{i}", "front": f"q{i}", "back": f"a{i} {version}"} for i in range(20)]
    new = [{"id": f"new:{i}", "front": f"n{i}", "back": "b"} for i in range(20)]
    return old + new


def contents(col: Collection) -> list[tuple[str, str]]:
    return sorted((col.get_note(n)["Front"], col.get_note(n)["Back"]) for n in col.find_notes(""))


@pytest.fixture
def sent_before(collection_path: Path) -> list[tuple[str, str]]:
    col = Collection(str(collection_path))
    post_cards(col, batch("v1")[:20])
    before = contents(col)
    col.close()
    return before


# Runs the batch in a process that dies (SIGKILL, no cleanup) just after the new notes
# are added, before the changed ones are written.
KILLED_BETWEEN = """
import os, signal, sys
sys.path.insert(0, {root!r})
from anki.collection import Collection
from tests.test_card_batches import batch, post_cards

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

col = Collection({path!r})
Collection.update_notes = die
post_cards(col, batch("v2"))
"""


def test_a_batch_killed_between_adds_and_updates_leaves_nothing(
    collection_path: Path, sent_before: list[tuple[str, str]]
) -> None:
    script = KILLED_BETWEEN.format(root=str(ROOT), path=str(collection_path))
    process = subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=120)
    assert process.returncode == -9
    col = Collection(str(collection_path))
    try:
        assert contents(col) == sent_before
        assert col.db is not None and col.db.scalar("pragma integrity_check") == "ok"
    finally:
        col.close()


def test_a_batch_failing_between_adds_and_updates_leaves_nothing(
    collection_path: Path, sent_before: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    col = Collection(str(collection_path))
    try:

        def fail(*args: Any, **kwargs: Any) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(Collection, "update_notes", fail)
        with pytest.raises(OSError, match="disk full"):
            post_cards(col, batch("v2"))
        monkeypatch.undo()
        assert contents(col) == sent_before
        assert not col.undo_status().undo  # no undo step for a batch that did not happen
        result = post_cards(col, batch("v2"))  # and the same batch goes through after
        assert (result["created"], result["updated"]) == (20, 20)
    finally:
        col.close()
