"""`serve --folder/--vault` answers `/v1/status` as Anki does: what it syncs and
watches, each last sync's time, counts and errors, and the port it listens on."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.http_client import free_port, get_json

ROOT = Path(__file__).resolve().parent.parent
# A first sync of a fresh collection takes seconds; a loaded machine may take many more.
STARTUP_SECONDS = 180

DECK = "Q: What is 2+2?\nA: 4\n\n---\n\nX: not a label\n"
NOTE = "---\ntags: [flashcards]\n---\n\n# Learning\n\nWhat does spacing beat? :: Cramming\n"


def _status_after_first_syncs(port: int, process: subprocess.Popen[str]) -> Any:
    """Polls until every source has a last sync: the server starts only after them."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        assert process.poll() is None, process.communicate()
        try:
            status = get_json(port, "/v1/status")
            if status["last_sync"] and all(s["last_sync"] for s in status["syncs"]):
                return status
        except ConnectionRefusedError:
            pass
        assert time.monotonic() < deadline, "serve answered no status with its first syncs"
        time.sleep(0.2)


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[Callable[..., tuple[int, Any]]]:
    processes: list[subprocess.Popen[str]] = []

    def start(*sources: str) -> tuple[int, Any]:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "addon", "serve", "--collection",
             str(tmp_path / "c.anki2"), "--port", str(port), "--anki-connect-port", "off",
             *sources],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        processes.append(process)
        return port, _status_after_first_syncs(port, process)

    yield start
    for process in processes:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=30)
        finally:
            process.kill()


def test_serve_status_names_the_watched_folder_its_last_sync_and_port(
    tmp_path: Path, serving: Callable[..., tuple[int, Any]]
) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "Maths.md").write_text(DECK, encoding="utf-8")
    before = datetime.now().astimezone().replace(microsecond=0)
    port, status = serving("--folder", str(folder))
    assert status["port"] == port
    assert status["address"] == f"http://127.0.0.1:{port}/"
    assert status["anki_connect_port"] is None
    assert status["markdown_folder"] == str(folder)
    assert status["vaults"] == []
    (synced,) = status["syncs"]
    assert synced["kind"] == "folder" and synced["path"] == str(folder)
    assert synced["watching"] is True
    last = status["last_sync"]
    assert last == {"kind": "folder", "path": str(folder), **synced["last_sync"]}
    assert datetime.fromisoformat(last["time"]) >= before
    assert last["counts"]["anki"]["created"] == 1  # the well-formed card
    assert last["ok"] is False and len(last["errors"]) == 1
    assert last["errors"][0].startswith("Maths.md:6: unknown label X:")
    assert "1 created" in last["outcome"] and "1 error" in last["outcome"]
    # The watcher's syncs are told too: the fixed file's sync leaves no error.
    deck = folder / "Maths.md"
    deck.write_text(deck.read_text(encoding="utf-8").replace("X:", "Q:") + "A: fixed\n")
    deadline = time.monotonic() + STARTUP_SECONDS
    while not get_json(port, "/v1/status")["last_sync"]["ok"]:
        assert time.monotonic() < deadline, "the watcher's sync did not reach the status"
        time.sleep(0.2)
    fixed = get_json(port, "/v1/status")["last_sync"]
    assert fixed["errors"] == [] and fixed["counts"]["anki"]["created"] == 1


def test_serve_status_lists_the_vaults_beside_the_folder(
    tmp_path: Path, serving: Callable[..., tuple[int, Any]]
) -> None:
    folder, vault = tmp_path / "decks", tmp_path / "notes"
    folder.mkdir()
    vault.mkdir()
    (vault / "Learning.md").write_text(NOTE, encoding="utf-8")
    port, status = serving("--folder", str(folder), "--vault", str(vault))
    assert status["port"] == port
    assert status["markdown_folder"] == str(folder)
    assert status["vaults"] == [str(vault)]
    decks, notes = status["syncs"]
    assert (decks["kind"], notes["kind"]) == ("folder", "vault")
    assert decks["watching"] is True and notes["watching"] is True
    assert notes["path"] == str(vault)
    assert notes["last_sync"]["ok"] is True and notes["last_sync"]["errors"] == []
    assert notes["last_sync"]["counts"]["anki"]["created"] == 1
    # The vault synced after the folder: it is the newest.
    assert status["last_sync"]["kind"] == "vault"
