"""The command line's way into a running Anki: `POST /v1/sync` to the add-on's server,
so the sync happens inside Anki's collection (one writer, one undo entry) instead of
beside it."""

from __future__ import annotations

import http.client
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.config import Config
from .summary import SyncSummary

# A sync of a large folder inside Anki can take a while; a dead server is refused at once.
TIMEOUT_SECONDS = 900


class RemoteSyncError(RuntimeError):
    """The add-on's server answered, and refused or failed the sync."""


def _address(config: Config) -> str:
    return config.host if config.is_loopback and config.host != "localhost" else "127.0.0.1"


def sync_through_server(
    config: Config, folder: Path, confirmed: bool, collection: Path | None,
    adopt: Sequence[str] = (), vault: bool = False, dry_run: bool = False,
) -> SyncSummary | None:  # fmt: skip
    """The summary of a sync (of a deck folder, or a vault) run by the server on
    `config.port`; None when no Context Connect server answers there, or it has another
    collection open than `collection`."""
    body = {
        "vault" if vault else "folder": str(folder.resolve()),
        "yes": confirmed,
        "collection": str(collection.expanduser().resolve()) if collection else None,
        "adopt": list(adopt),
        "dry_run": dry_run,
    }
    headers = {"Content-Type": "application/json"}
    if config.api_key:
        headers["Authorization"] = f"Bearer {config.api_key}"
    connection = http.client.HTTPConnection(
        _address(config), config.port, timeout=TIMEOUT_SECONDS
    )
    try:
        connection.request("POST", "/v1/sync", json.dumps(body).encode("utf-8"), headers)
        response = connection.getresponse()
        status, data = response.status, response.read()
    except ConnectionRefusedError:
        return None
    except (OSError, http.client.HTTPException) as exc:
        raise RemoteSyncError(
            f"the server on port {config.port} broke off the sync: {exc}"
        ) from exc
    finally:
        connection.close()
    try:
        answer: Any = json.loads(data)
    except ValueError:
        return None  # another program holds the port
    if not isinstance(answer, dict):
        return None
    if status == 200 and {"anki", "markdown"} <= set(answer):
        return SyncSummary.from_json(answer)
    # 409: it has another collection open. 404, or an AnkiConnect-style {result, error}:
    # another program (or an add-on without /v1/sync) holds the port.
    if status in (404, 409) or status < 400 or "error" not in answer or "result" in answer:
        return None
    raise RemoteSyncError(f"the add-on's server refused the sync: {answer['error']}")
