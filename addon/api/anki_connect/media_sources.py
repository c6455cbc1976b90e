"""File contents as AnkiConnect clients send them: base64 `data`, a local `path`, or a
`url` to download (in that order of preference). Fetched before the collection is
touched, so a slow download never holds up other requests."""

from __future__ import annotations

import base64
import binascii
import hashlib
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from ...core.paths import file_name_problem
from ...store.foreign_notes import Attachment

DOWNLOAD_TIMEOUT_SECONDS = 30
MEDIA_KINDS = ("audio", "video", "picture")


def content(spec: dict[str, Any], limit_bytes: int) -> bytes:
    data, path, url = spec.get("data"), spec.get("path"), spec.get("url")
    if data is not None:
        try:
            return base64.b64decode(str(data), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"data is not valid base64: {exc}") from None
    if path is not None:
        try:
            return Path(str(path)).expanduser().read_bytes()
        except OSError as exc:
            raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from None
    if url is not None:
        return _download(str(url), limit_bytes)
    raise ValueError("You must provide a 'data', 'path', or 'url' field.")


def _download(url: str, limit_bytes: int) -> bytes:
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"only http and https URLs can be downloaded: {url}")
    request = urllib.request.Request(url, headers={"User-Agent": "ContextConnect"})
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:
            body: bytes = response.read(limit_bytes + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ValueError(f"cannot download {url}: {exc}") from None
    if len(body) > limit_bytes:
        raise ValueError(f"{url} is larger than the {limit_bytes // 2**20} MB limit (max_body_mb)")
    return body


def skipped(spec: dict[str, Any], body: bytes) -> bool:
    """Clients name the MD5 of placeholder files (a dictionary's "no audio" clip)."""
    skip = spec.get("skipHash")
    return bool(skip) and hashlib.md5(body).hexdigest() == skip


def attachments(note: Any, limit_bytes: int) -> list[Attachment]:
    """The audio/video/picture entries of an AnkiConnect note, fetched."""
    if not isinstance(note, dict):
        return []
    found: list[Attachment] = []
    for kind in MEDIA_KINDS:
        entries = note.get(kind) or []
        for entry in entries if isinstance(entries, list) else [entries]:
            if not isinstance(entry, dict) or not entry.get("filename"):
                raise ValueError(f"each {kind} entry needs a filename")
            if problem := file_name_problem(entry["filename"]):
                raise ValueError(f"{kind}: not a file name in the media folder: {problem}")
            body = content(entry, limit_bytes)
            if skipped(entry, body):
                continue
            found.append(
                Attachment(
                    str(entry["filename"]),
                    body,
                    tuple(str(f) for f in entry.get("fields") or []),
                    picture=kind == "picture",
                )
            )
    return found
