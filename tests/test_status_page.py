"""What the status page reads: the public server facts without a key, the rest with it,
and the last requests with their clients and results."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from anki.collection import Collection

from addon.api.app import Application
from addon.api.context import ApiContext
from addon.api.service_status import FOLDER, VAULT, LastSync, ServiceStatus
from addon.core.config import Config
from addon.server import ContextServer
from addon.store.runner import LockedCollection
from addon.sync.summary import SyncSummary
from tests.conftest import Served
from tests.http_client import get_json, post_json, request

Serve = Callable[..., Served]


def test_server_facts_and_api_description_need_no_key(serve: Serve) -> None:
    served = serve(api_key="s3cret")
    code, _, body = request(served.port, "GET", "/v1/server")
    assert code == 200 and json.loads(body)["key_required"] is True
    assert request(served.port, "GET", "/v1/openapi.json")[0] == 200
    assert request(served.port, "GET", "/v1/status")[0] == 401
    assert request(served.port, "GET", "/v1/decks")[0] == 401


def test_status_lists_recent_requests_with_client_and_result(serve: Serve) -> None:
    served = serve(cors_origins=("https://app.example",))
    post_json(served.port, "/", {"action": "version", "version": 6})
    post_json(served.port, "/", {"action": "nope", "version": 6}, {"User-Agent": "Reader/2.1"})
    request(served.port, "GET", "/v1/nothing")
    code, _, body = request(served.port, "GET", "/v1/status")
    assert code == 200
    status = json.loads(body)
    assert status["allowed_origins"] == ["https://app.example"]
    newest, failed, first = status["recent_requests"][:3]
    assert newest["request"] == "GET /v1/nothing" and newest["result"].startswith("404")
    assert failed["client"] == "Reader/2.1" and failed["result"] == "200 unsupported action"
    assert first["request"] == "POST /" and first["result"] == "200"


def test_status_tells_where_it_listens_and_what_the_syncs_did(
    col: Collection, tmp_path: Path
) -> None:
    """What the syncs wrote into the status (inside Anki: the folder sync and the vault
    sync; headless: `serve`) is what /v1/status answers, with the server's real port."""
    config = Config(port=0, anki_connect_port=None, markdown_folder="/elsewhere")
    status = ServiceStatus()
    context = ApiContext(config, LockedCollection(col), status=status)
    server = ContextServer(config, Application(context))
    folder, vault = tmp_path / "decks", tmp_path / "notes"
    status.track(FOLDER, [folder], watched=[folder])
    status.track(VAULT, [vault])
    failed = SyncSummary(errors=["Biology.md:3: no answer"])
    failed.anki.created = 2
    status.record(FOLDER, folder, LastSync.of(failed))
    server.start()
    try:
        answer = get_json(server.port, "/v1/status")
        public = get_json(server.port, "/v1/server")
    finally:
        server.stop()
    assert answer["port"] == public["port"] == server.port != 0
    assert public["address"] == f"http://127.0.0.1:{server.port}/"
    assert answer["markdown_folder"] == str(folder)  # the one synced, not the config's
    assert answer["vaults"] == [str(vault)]
    decks, notes = answer["syncs"]
    assert decks["watching"] is True and notes["watching"] is False
    assert notes["last_sync"] is None
    last = answer["last_sync"]
    assert last == {"kind": "folder", "path": str(folder), **decks["last_sync"]}
    assert last["ok"] is False and last["errors"] == ["Biology.md:3: no answer"]
    assert last["counts"]["anki"]["created"] == 2
    assert last["outcome"] == "Anki: 2 created (0 unchanged) — 1 error"
    assert status.server_json()["port"] is None  # stopped


def test_a_folder_kept_in_sync_keeps_its_last_sync_and_one_dropped_loses_it(
    tmp_path: Path,
) -> None:
    status = ServiceStatus()
    kept, dropped = tmp_path / "a", tmp_path / "b"
    status.track(VAULT, [kept, dropped])
    for vault in (kept, dropped):
        status.record(VAULT, vault, LastSync.failed("failed: disk full"))
    status.track(VAULT, [kept, dropped], watched=[kept])  # the watchers started
    status.track(VAULT, [kept])
    (source,) = status.sources()
    assert source.path == kept and source.last_sync is not None
    assert source.watched is False  # re-armed without a watcher
    status.track(VAULT, [dropped])
    assert [s.last_sync for s in status.sources()] == [None]
