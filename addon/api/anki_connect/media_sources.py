"""File contents as AnkiConnect clients send them: base64 `data`, a local `path`, or a
`url` to download (in that order of preference). Fetched before the collection is
touched, so a slow download never holds up other requests.

A request from a browser (it carries an Origin) may send `data` and public `url`s
only: reading a local file, or fetching from this machine or the local network,
would let a web page read what it cannot reach itself."""

from __future__ import annotations

import base64
import binascii
import hashlib
import http.client
import socket
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from ...core.addresses import address_problem
from ...core.paths import file_name_problem
from ...store.foreign_notes import Attachment

DOWNLOAD_TIMEOUT_SECONDS = 30
MEDIA_KINDS = ("audio", "video", "picture")
BROWSER_PATH_REFUSAL = (
    "path: a request from a browser (it sends an Origin) may not read local files; "
    "send the file's content as base64 data"
)


class LocalNetworkRefused(OSError):
    """A browser's download that would reach this machine or the local network."""


def content(spec: dict[str, Any], limit_bytes: int, browser: bool) -> bytes:
    data, path, url = spec.get("data"), spec.get("path"), spec.get("url")
    if data is not None:
        try:
            return base64.b64decode(str(data), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"data is not valid base64: {exc}") from None
    if path is not None:
        if browser:
            raise ValueError(BROWSER_PATH_REFUSAL)
        try:
            return Path(str(path)).expanduser().read_bytes()
        except OSError as exc:
            raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from None
    if url is not None:
        return _download(str(url), limit_bytes, browser)
    raise ValueError("You must provide a 'data', 'path', or 'url' field.")


def _public_connection(
    address: tuple[str, int], timeout: Any = None, source_address: Any = None
) -> socket.socket:
    """A connection to `address` whose host name resolves to public addresses only.
    Every address is checked (a name may resolve to a public and a loopback one),
    and the connection goes to a checked address, not to a second resolution."""
    host, port = address
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OSError(f"cannot resolve {host}: {exc.strerror}") from None
    for *_, sockaddr in infos:
        if problem := address_problem(str(sockaddr[0])):
            raise LocalNetworkRefused(
                f"url: {host} resolves to {sockaddr[0]}, {problem}; a request from a browser "
                "(it sends an Origin) may only download from public addresses"
            )
    last: OSError = OSError(f"cannot connect to {host}")
    for *_, sockaddr in infos:
        try:
            return socket.create_connection((str(sockaddr[0]), port), timeout, source_address)
        except OSError as exc:
            last = exc
    raise last


class _PublicHTTP(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _public_connection


class _PublicHTTPS(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _public_connection


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_PublicHTTP, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_PublicHTTPS, req)


def _browser_opener() -> urllib.request.OpenerDirector:
    """http and https only, no proxy (it would resolve the name itself), and each
    redirect is a new connection, checked again."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        _PublicHTTPHandler(),
        _PublicHTTPSHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _download(url: str, limit_bytes: int, browser: bool) -> bytes:
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"only http and https URLs can be downloaded: {url}")
    request = urllib.request.Request(url, headers={"User-Agent": "ContextConnect"})
    opener = _browser_opener() if browser else urllib.request.build_opener()
    try:
        with opener.open(request, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:
            body: bytes = response.read(limit_bytes + 1)
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, LocalNetworkRefused):
            raise ValueError(str(exc.reason)) from None
        raise ValueError(f"cannot download {url}: {exc}") from None
    except (TimeoutError, OSError) as exc:
        raise ValueError(f"cannot download {url}: {exc}") from None
    if len(body) > limit_bytes:
        raise ValueError(f"{url} is larger than the {limit_bytes // 2**20} MB limit (max_body_mb)")
    return body


def skipped(spec: dict[str, Any], body: bytes) -> bool:
    """Clients name the MD5 of placeholder files (a dictionary's "no audio" clip)."""
    skip = spec.get("skipHash")
    return bool(skip) and hashlib.md5(body).hexdigest() == skip


def attachments(note: Any, limit_bytes: int, browser: bool) -> list[Attachment]:
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
            body = content(entry, limit_bytes, browser)
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


def inline(note: dict[str, Any], limit_bytes: int) -> dict[str, Any]:
    """`note` with each attachment's `path` or `url` replaced by its `data`, fetched
    under a browser's rules."""
    inlined = dict(note)
    for kind in MEDIA_KINDS:
        entries = note.get(kind)
        if not entries:
            continue
        listed = entries if isinstance(entries, list) else [entries]
        inlined[kind] = [
            {**entry, "data": base64.b64encode(content(entry, limit_bytes, True)).decode()}
            if isinstance(entry, dict) and entry.get("data") is None
            else entry
            for entry in listed
        ]
    return inlined
