"""`POST /v1/sync`: the sync of a deck folder (`folder`) or a vault (`vault`), run
inside the server's collection (in Anki: one undo entry, the window refreshed),
answered with the summary `sync --json` prints.

It reads and writes files, so only a program on this machine may ask, never a web
page: callers with an `Origin` or from another address are refused."""

from __future__ import annotations

import os
from pathlib import Path

from ..sync.adopt import AdoptError, adopt_note_types
from ..sync.engine import sync_through
from ..sync.folder import NoteTypesInvalid, folder_problem
from ..sync.options import sync_options
from .context import ApiContext
from .http import ApiError, Request, Response, parse_json
from .service_status import FOLDER, VAULT, LastSync


def _text(body: dict[str, object], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise ApiError(400, f"{key}: must be a path (a string), got {type(value).__name__}")
    return value or None


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def post_sync(request: Request, ctx: ApiContext) -> Response:
    if request.origin is not None:
        raise ApiError(403, "POST /v1/sync reads and writes files: web pages may not call it")
    if not request.loopback_peer:
        raise ApiError(403, "POST /v1/sync is only for programs on this computer")
    body = parse_json(request.body) if request.body.strip() else {}
    if not isinstance(body, dict):
        raise ApiError(400, 'send {"folder": "/path/to/folder", "yes": false}')
    vault_text = _text(body, "vault")
    folder_text = vault_text or _text(body, "folder") or ctx.config.markdown_folder
    if folder_text is None:
        raise ApiError(400, "folder: missing, and no markdown_folder is set in the config")
    folder = Path(folder_text).expanduser()
    if not folder.is_absolute():
        raise ApiError(400, f"folder: {folder_text!r} must be an absolute path")
    if problem := folder_problem(folder):
        raise ApiError(400, problem)
    yes, dry_run = body.get("yes", False), body.get("dry_run", False)
    for name, flag in (("yes", yes), ("dry_run", dry_run)):
        if not isinstance(flag, bool):
            raise ApiError(400, f"{name}: must be true or false, got {flag!r}")
    expected = _text(body, "collection")
    if expected is not None:
        open_path = ctx.runner.read(lambda col: str(col.path))
        if not _same_file(expected, open_path):
            raise ApiError(409, f"this server has another collection open, not {expected}")
    adopt = body.get("adopt") or []
    if not isinstance(adopt, list) or not all(isinstance(n, str) for n in adopt):
        raise ApiError(400, f"adopt: must be a list of note type names, got {adopt!r}")
    if adopt and dry_run:
        raise ApiError(400, "adopt: writes note types into the folder, not in a dry run")
    if vault_text is not None and adopt:
        raise ApiError(400, "adopt: note types are adopted into a deck folder, not a vault")
    try:
        adopted = ctx.runner.read(lambda col: adopt_note_types(col, folder, adopt)) if adopt else []
    except (AdoptError, NoteTypesInvalid) as exc:
        raise ApiError(400, f"adopt: {exc}") from exc
    options = sync_options(ctx.config, yes, dry_run)
    vault = vault_text is not None
    summary = sync_through(ctx.runner, folder, options, vault=vault).summary
    summary.note_types += [f"{name}: adopted" for name in adopted]
    if not dry_run:  # a plan, not a sync
        ctx.status.record(VAULT if vault else FOLDER, folder, LastSync.of(summary))
    return Response(200, summary.to_json())
