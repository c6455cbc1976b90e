"""What the status page reads: the public server facts without a key, the rest with it,
and the last requests with their clients and results."""

from __future__ import annotations

import json
from collections.abc import Callable

from anki.collection import Collection

from addon.api.app import Application
from addon.api.context import ApiContext
from addon.core.config import Config
from addon.server import ContextServer
from addon.store.runner import LockedCollection
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
    served = serve(cors_origins=("https://app.example",), markdown_folder="/notes")
    post_json(served.port, "/", {"action": "version", "version": 6})
    post_json(served.port, "/", {"action": "nope", "version": 6}, {"User-Agent": "Reader/2.1"})
    request(served.port, "GET", "/v1/nothing")
    code, _, body = request(served.port, "GET", "/v1/status")
    assert code == 200
    status = json.loads(body)
    assert status["markdown_folder"] == "/notes"
    assert status["allowed_origins"] == ["https://app.example"]
    newest, failed, first = status["recent_requests"][:3]
    assert newest["request"] == "GET /v1/nothing" and newest["result"].startswith("404")
    assert failed["client"] == "Reader/2.1" and failed["result"] == "200 unsupported action"
    assert first["request"] == "POST /" and first["result"] == "200"


def test_status_tells_the_last_folder_sync_given_by_anki(col: Collection) -> None:
    config = Config(port=0)
    context = ApiContext(config, LockedCollection(col), last_sync=lambda: "12:00 No changes.")
    server = ContextServer(config, Application(context))
    server.start()
    try:
        assert get_json(server.port, "/v1/status")["last_sync"] == "12:00 No changes."
    finally:
        server.stop()
