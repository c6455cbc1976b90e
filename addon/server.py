"""The local HTTP server: parsing, security checks, hand-off to the API.

Requests are read and checked on the server's own threads; collection work happens
in the API handlers through a CollectionRunner, so the GUI thread never waits on I/O.
"""

from __future__ import annotations

import errno
import ipaddress
import json
import mimetypes
import socket
import sys
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

import orjson

from . import WEB_DIR
from .api.app import KEY_REFUSAL
from .api.http import ApiError, Request, Response
from .api.security import host_allowed, key_from_headers, key_matches, origin_refusal
from .api.service_status import Listening
from .core.config import Config

# A page whose origin is not allowed may only ask for permission, a request of a few
# dozen bytes: a larger body from it is refused unread.
STRANGER_BODY_BYTES = 4096
# Connections the kernel queues while the server is busy accepting: a burst of
# clients beyond the default 5 would see dropped or reset connections.
LISTEN_BACKLOG = 128


class Handler(Protocol):
    def __call__(self, request: Request) -> Response: ...

    def origin_allowed(self, origin: str | None) -> bool: ...

    def listening(self, where: Listening | None) -> None:
        """Told where the server listens once it does, and None when it stops."""
        ...


class ServerStartError(RuntimeError):
    pass


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


def _json_bytes(body: Any) -> bytes:
    # orjson, which Anki itself depends on, writes large answers ten times faster (a
    # cardsInfo of 20,000 cards is a gigabyte: each card carries its note type's CSS).
    # It gives up on integers beyond 64 bits and on lone surrogates, which json writes.
    try:
        return orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        pass
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (from data that got into the collection some other way)
        # has no UTF-8 form; escaped, it is still valid JSON and the answer goes out.
        return json.dumps(body, separators=(",", ":")).encode("ascii")


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    # Headers and body go out in separate writes; with Nagle on, each small response
    # waits for the client's delayed ACK (~40 ms) before its body leaves.
    disable_nagle_algorithm = True
    server: _Server
    server_version = "ContextConnect"

    def log_message(self, format: str, *args: Any) -> None:
        # The default writes every request to stderr, which Anki shows as an error.
        return

    # --- responses ---

    def _send(self, status: int, payload: bytes, content_type: str, extra: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        origin = self.headers.get("Origin")
        if (
            origin is not None
            and "Access-Control-Allow-Origin" not in extra
            and self.server.handler.origin_allowed(origin)
        ):
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _send_json(self, status: int, body: Any, extra: dict[str, str] | None = None) -> None:
        self._send(status, _json_bytes(body), "application/json; charset=utf-8", extra or {})

    def _refuse(self, status: int, message: str) -> None:
        self._send_json(status, {"error": message})

    # --- checks shared by every method ---

    def _checked(self) -> bool:
        config = self.server.config
        if not host_allowed(self.headers.get("Host"), config):
            self._refuse(
                403,
                f"Host header {self.headers.get('Host')!r} is not allowed: "
                f"use http://127.0.0.1:{config.port}",
            )
            return False
        origin = self.headers.get("Origin")
        # AnkiConnect's endpoint decides itself: requestPermission is open to any origin.
        anki_connect = urlsplit(self.path).path == "/" and self.command in ("POST", "OPTIONS")
        allowed = self.server.handler.origin_allowed(origin)
        if not anki_connect and not allowed:
            self._refuse(403, origin_refusal(origin))
            return False
        return self._sender_checked(anki_connect, allowed)

    def _sender_checked(self, anki_connect: bool, origin_allowed: bool) -> bool:
        """Who may send a body is known from the headers alone, so a stranger's or an
        unkeyed request is refused before any of its body is read."""
        if self.command not in ("POST", "DELETE"):
            return True
        if anki_connect and not origin_allowed and self._announced_length() > STRANGER_BODY_BYTES:
            self.close_connection = True  # the body stays unread
            self._refuse(403, origin_refusal(self.headers.get("Origin")))
            return False
        header_key = key_from_headers(
            self.headers.get("Authorization"), self.headers.get("X-Api-Key")
        )
        if not anki_connect and not key_matches(header_key, self.server.config):
            self.close_connection = True
            self._refuse(401, KEY_REFUSAL)
            return False
        return True

    def _transfer_coded(self) -> bool:
        """The body comes in a transfer coding (`chunked`, `gzip, chunked`, ...): its
        length is not known before it is read, so it is refused unread."""
        return "Transfer-Encoding" in self.headers

    def _announced_length(self) -> int:
        """The body's announced length; a transfer-coded body counts as unbounded."""
        if self._transfer_coded():
            return 2**63
        try:
            return int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return 0  # refused as a bad Content-Length when the body is read

    def _read_body(self) -> bytes | None:
        """The request body, or None once an error has been answered."""
        length_header = self.headers.get("Content-Length")
        if self._transfer_coded():
            self.close_connection = True
            self._refuse(
                411,
                f"Transfer-Encoding {self.headers['Transfer-Encoding']!r} is not supported: "
                "send the body as it is, with Content-Length",
            )
            return None
        if length_header is None:
            return b""
        try:
            length = int(length_header)
            if length < 0:
                raise ValueError
        except ValueError:
            self.close_connection = True
            self._refuse(400, f"bad Content-Length {length_header!r}")
            return None
        if length > self.server.config.max_body_bytes:
            # The body stays unread, so the connection cannot be reused.
            self.close_connection = True
            self._refuse(
                413,
                f"request body of {length} bytes is over the limit of "
                f"{self.server.config.max_body_mb} MB (max_body_mb in the add-on's config)",
            )
            return None
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True  # the client went away mid-request
            return None
        return body

    # --- methods ---

    def do_OPTIONS(self) -> None:
        if not self._checked():
            return
        headers = {
            "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type, Authorization, X-Api-Key",
            "Access-Control-Max-Age": "600",
        }
        origin = self.headers.get("Origin")
        if origin is not None and not self.server.handler.origin_allowed(origin):
            # Any page may ask for permission; its other actions are still refused.
            headers["Access-Control-Allow-Origin"] = origin
        if self.headers.get("Access-Control-Request-Private-Network", "").lower() == "true":
            # Chrome asks before a page reaches a loopback server. Saying yes here lets
            # nothing through: each request's own Origin check decides what it may do.
            headers["Access-Control-Allow-Private-Network"] = "true"
        self._send(204, b"", "text/plain", headers)

    def do_GET(self) -> None:
        if not self._checked():
            return
        path = urlsplit(self.path).path
        browser = "text/html" in self.headers.get("Accept", "")
        if (path == "/" and browser) or path.startswith("/web/"):
            self._serve_static("index.html" if path == "/" else path[len("/web/") :])
            return
        self._dispatch(b"")

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        if not self._checked():
            return
        body = self._read_body()
        if body is not None:
            self._dispatch(body)

    def do_DELETE(self) -> None:
        if not self._checked():
            return
        body = self._read_body()
        if body is not None:
            self._dispatch(body)

    def _serve_static(self, name: str) -> None:
        root = WEB_DIR.resolve()
        target = (root / name).resolve()
        if root not in target.parents or not target.is_file():
            self._refuse(404, f"no such file: /web/{name}")
            return
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith("javascript"):
            content_type += "; charset=utf-8"
        self._send(200, target.read_bytes(), content_type, {"Cache-Control": "no-cache"})

    def _dispatch(self, body: bytes) -> None:
        parts = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query),
            body=body,
            headers={k.lower(): v for k, v in self.headers.items()},
            origin=self.headers.get("Origin"),
            header_key=key_from_headers(
                self.headers.get("Authorization"), self.headers.get("X-Api-Key")
            ),
            ankiops_port=self.server.ankiops_port,
            loopback_peer=_is_loopback(self.client_address[0]),
        )
        try:
            response = self.server.handler(request)
        except ApiError as exc:
            response = exc.response()
        except Exception as exc:  # a bug must not kill the connection silently
            response = Response(500, {"error": f"internal error: {type(exc).__name__}: {exc}"})
        if response.text is not None:
            payload = response.text.encode("utf-8")
            self._send(
                response.status, payload, "text/plain; charset=utf-8", dict(response.headers)
            )
            return
        self._send_json(response.status, response.body, dict(response.headers))

    def handle(self) -> None:
        self.server.track(self.connection, True)
        try:
            super().handle()
        except (ConnectionError, TimeoutError, OSError):
            pass  # the client disconnected; nothing to answer
        finally:
            self.server.track(self.connection, False)


ANKI_CONNECT_PORT = 8765


def is_ankiops_port(port: int) -> bool:
    """Whether a request without `version` on this port is AnkiOps' (its connector
    uses 8766, our default): on AnkiConnect's own port it is an AnkiConnect client's."""
    return port != ANKI_CONNECT_PORT


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    # On Windows SO_REUSEADDR lets a second socket bind a port in use, which would
    # silently share AnkiConnect's port; elsewhere it only skips TIME_WAIT.
    allow_reuse_address = sys.platform != "win32"
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, config: Config, handler: Handler, ankiops_port: bool) -> None:
        self.config = config
        self.handler = handler
        self.ankiops_port = ankiops_port
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        if ":" in config.host:
            self.address_family = socket.AF_INET6
        super().__init__((config.host, config.port), _RequestHandler)
        # Port 0 asks the OS for a free port; the Host check needs the real one.
        self.config = replace(config, port=int(self.server_address[1]))

    def track(self, conn: socket.socket, alive: bool) -> None:
        with self._connections_lock:
            if alive:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def close_connections(self) -> None:
        """Keep-alive clients would otherwise hold their handler threads forever."""
        with self._connections_lock:
            for conn in self._connections:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self._connections.clear()


def _anki_connect_listener(config: Config, handler: Handler) -> _Server | None:
    """AnkiConnect's port, answered exactly as AnkiConnect, when nothing holds it
    (AnkiConnect itself, when installed, binds it first and keeps it)."""
    port = config.anki_connect_port
    if port is None or port == config.port != 0:  # 0: any free port (tests)
        return None
    try:
        return _Server(replace(config, port=port), handler, ankiops_port=False)
    except OSError:
        return None


class ContextServer:
    """The server running on background threads, one per port; `stop()` releases them."""

    def __init__(self, config: Config, handler: Handler) -> None:
        self._handler = handler
        try:
            self._server = _Server(config, handler, ankiops_port=is_ankiops_port(config.port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServerStartError(
                    f"port {config.port} on {config.host} is already in use by another "
                    "program (another Anki, AnkiConnect, or a second server?): stop it "
                    "or change `port` in the add-on's config"
                ) from exc
            raise ServerStartError(
                f"cannot listen on {config.host}:{config.port}: {exc.strerror or exc} "
                "(check `host` and `port` in the add-on's config)"
            ) from exc
        extra = _anki_connect_listener(config, handler)
        self._servers = [self._server] + ([extra] if extra is not None else [])
        self._threads = [
            threading.Thread(target=s.serve_forever, name="context-connect-http", daemon=True)
            for s in self._servers
        ]

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def anki_connect_port(self) -> int | None:
        """The extra AnkiConnect port, when this server holds it."""
        return int(self._servers[1].server_address[1]) if len(self._servers) > 1 else None

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    @property
    def listening(self) -> Listening:
        return Listening(self.host, self.port, self.anki_connect_port)

    def start(self) -> None:
        self._handler.listening(self.listening)
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._handler.listening(None)
        for server, thread in zip(self._servers, self._threads):
            if thread.is_alive():
                server.shutdown()
            server.server_close()
            server.close_connections()
            thread.join(timeout=5)
