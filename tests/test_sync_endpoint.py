"""`POST /v1/sync` runs the folder sync inside the server's collection, and the command
line's `sync` goes through it when the add-on's server answers (Anki is running: it must
stay the only writer), opening the collection file only when none does."""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection

from addon.api.context import ApiContext
from addon.api.folder_sync import post_sync
from addon.api.http import ApiError, Request
from addon.core.config import Config
from addon.store.runner import LockedCollection
from addon.sync.engine import UNDO_LABEL
from addon.sync.summary import PendingDeletion, SyncSummary
from tests.conftest import Served, example_decks
from tests.http_client import request
from tests.test_cli import cli

Serve = Callable[..., Served]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return example_decks(tmp_path / "decks")


@pytest.fixture
def dead_port() -> Iterator[int]:
    """A port bound but not listening: a connection is refused, as with no server."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]


def sync_request(
    port: int, body: object, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    status, _, raw = request(port, "POST", "/v1/sync", json.dumps(body).encode(), headers)
    return status, json.loads(raw)


def test_sync_runs_inside_the_server_as_one_undo_step(serve: Serve, folder: Path) -> None:
    served = serve()
    status, summary = sync_request(served.port, {"folder": str(folder)})
    assert status == 200, summary
    assert summary["ok"] is True and summary["anki"]["created"] > 0
    assert summary["anki"]["created"] == len(served.col.find_notes(""))
    assert served.col.undo_status().undo == UNDO_LABEL
    status, again = sync_request(served.port, {"folder": str(folder)})
    assert status == 200 and again["anki"]["unchanged"] == summary["anki"]["created"]


def test_the_configured_folder_is_the_default(serve: Serve, folder: Path) -> None:
    served = serve(markdown_folder=str(folder))
    status, summary = sync_request(served.port, {})
    assert status == 200 and summary["anki"]["created"] > 0


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({}, 400, "folder: missing"),
        ({"folder": "decks"}, 400, "must be an absolute path"),
        ({"folder": "/no/such/folder"}, 400, "does not exist"),
        ({"folder": 3}, 400, "folder: must be a path"),
        ({"folder": "FOLDER", "yes": "yes"}, 400, "yes: must be true or false"),
        ({"folder": "FOLDER", "collection": "/elsewhere.anki2"}, 409, "another collection"),
    ],
)
def test_bad_requests_change_nothing(
    serve: Serve, folder: Path, body: dict[str, object], status: int, message: str
) -> None:
    served = serve()
    if body.get("folder") == "FOLDER":
        body["folder"] = str(folder)
    got, answer = sync_request(served.port, body)
    assert got == status and message in answer["error"], answer
    assert served.col.find_notes("") == []
    assert not (folder / ".context-connect").exists()


def test_web_pages_may_not_sync_even_from_an_allowed_origin(serve: Serve, folder: Path) -> None:
    served = serve(cors_origins=("https://allowed.example",))
    page = {"Origin": "https://allowed.example"}
    status, answer = sync_request(served.port, {"folder": str(folder)}, page)
    assert status == 403 and "web pages" in answer["error"]
    assert served.col.find_notes("") == []


def test_only_programs_on_this_computer_may_sync(col: Collection, folder: Path) -> None:
    config = Config()
    ctx = ApiContext(config, LockedCollection(col))
    body = json.dumps({"folder": str(folder)}).encode()
    with pytest.raises(ApiError, match="only for programs on this computer"):
        post_sync(Request("POST", "/v1/sync", body=body, loopback_peer=False), ctx)
    assert post_sync(Request("POST", "/v1/sync", body=body, loopback_peer=True), ctx).status == 200


def test_command_line_syncs_through_a_running_server(
    serve: Serve, folder: Path, collection_path: Path
) -> None:
    served = serve()
    result = cli("sync", "--folder", str(folder), "--port", str(served.port), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["anki"]["created"] == len(served.col.find_notes("")) > 0
    # Naming the file the server has open (Anki holds it) goes through the server too.
    edited = folder / "Biology.md"
    edited.write_text(edited.read_text().replace("mitochondrion", "mitochondrion (plural -ia)"))
    result = cli(
        "sync", "--folder", str(folder), "--collection", str(collection_path),
        "--port", str(served.port),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Synced through the server" in result.stderr and "1 updated" in result.stdout


def test_command_line_without_server_or_collection_says_so(folder: Path, dead_port: int) -> None:
    result = cli("sync", "--folder", str(folder), "--port", str(dead_port))
    assert result.returncode == 1
    assert f"no Context Connect server answers on port {dead_port}" in result.stderr


def test_a_collection_open_elsewhere_is_never_opened_twice(
    col: Collection, collection_path: Path, folder: Path, dead_port: int
) -> None:
    """`col` is held open, as Anki holds it, and no server answers."""
    result = cli(
        "sync", "--folder", str(folder), "--collection", str(collection_path),
        "--port", str(dead_port),
    )  # fmt: skip
    assert result.returncode == 1
    assert "Anki has it open" in result.stderr, result.stderr
    assert col.find_notes("") == []
    assert not (folder / ".context-connect").exists()


def test_command_line_opens_the_file_when_no_server_answers(
    empty_collection_file: Path, tmp_path: Path, folder: Path, dead_port: int
) -> None:
    path = tmp_path / "own.anki2"
    shutil.copy(empty_collection_file, path)
    result = cli(
        "sync", "--folder", str(folder), "--collection", str(path), "--port", str(dead_port),
        "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["anki"]["created"] > 0


def test_a_summary_sent_as_json_reads_back_the_same() -> None:
    summary = SyncSummary(errors=["a.md:3: bad"], needs_confirmation="too many deletions")
    summary.anki.created = 2
    summary.pending_deletions.append(PendingDeletion("anki", "a.md", "A", 5))
    again = SyncSummary.from_json(json.loads(json.dumps(summary.to_json())))
    assert again == summary and again.text() == summary.text()


def test_a_sync_asked_for_is_the_status_last_sync(serve: Serve, folder: Path) -> None:
    served = serve()
    status, summary = sync_request(served.port, {"folder": str(folder)})
    assert status == 200, summary
    answer = json.loads(request(served.port, "GET", "/v1/status")[2])
    assert answer["last_sync"]["path"] == str(folder)
    assert answer["last_sync"]["counts"]["anki"] == summary["anki"]
    assert answer["syncs"][0]["watching"] is False  # synced on request, not watched
