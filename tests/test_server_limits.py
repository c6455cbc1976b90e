"""The server under hostile or heavy traffic: a stranger's body is refused before it
is read, and a burst of clients is served without a single connection reset."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Callable

from anki.collection import Collection

from addon.api.app import Application
from addon.api.context import ApiContext
from addon.core.config import Config
from addon.server import ContextServer
from addon.store.runner import LockedCollection
from tests.conftest import Served
from tests.http_client import request

Serve = Callable[..., Served]


def _raw(port: int, head: str, body: bytes = b"") -> bytes:
    """Send a request's head as written (and `body`), then read until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"{head}Host: 127.0.0.1:{port}\r\n\r\n".encode() + body)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except TimeoutError:
            pass  # a server still waiting for the body
        return answer


def _headers_only(port: int, path: str, length: int, extra: str) -> bytes:
    """Send a request's headers announcing `length` bytes of body, and none of it:
    the answer can only come from a server that refuses without reading."""
    head = f"POST {path} HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: {length}\r\n"
    return _raw(port, head + extra)


def test_a_strangers_large_body_is_refused_unread(serve: Serve) -> None:
    served = serve()
    length = 60 * 2**20  # under max_body_mb: only the origin can refuse it
    answer = _headers_only(served.port, "/", length, "Origin: https://evil.example\r\n")
    assert answer.startswith(b"HTTP/1.1 403"), answer[:200]
    assert b"cors_origins" in answer
    # A stranger may still ask for permission (a small body).
    payload = json.dumps({"action": "requestPermission", "version": 6}).encode()
    code, _, body = request(served.port, "POST", "/", payload, {"Origin": "https://evil.example"})
    assert code == 200 and json.loads(body)["result"] == {"permission": "denied"}


def test_a_wrong_key_is_refused_before_the_body(serve: Serve) -> None:
    served = serve(api_key="s3cret")
    answer = _headers_only(served.port, "/v1/cards", 2**20, "X-Api-Key: wrong\r\n")
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]


def test_a_burst_of_fifty_clients_is_queued_not_dropped(col: Collection) -> None:
    """Fifty clients connect in the instant before the server accepts any (as a
    burst does while its accept loop is busy); every one is then served."""
    config = Config(port=0)
    server = ContextServer(config, Application(ApiContext(config, LockedCollection(col))))
    connections: list[http.client.HTTPConnection] = []
    failures: list[str] = []
    try:
        for _ in range(50):  # listening, not yet accepting
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=2)
            try:
                connection.connect()
                connections.append(connection)
            except OSError as exc:  # a dropped or reset handshake
                failures.append(type(exc).__name__)
        server.start()
        for connection in connections:
            connection.request("GET", "/v1/status")
        codes = [connection.getresponse().status for connection in connections]
    finally:
        for connection in connections:
            connection.close()
        server.stop()
    assert failures == []
    assert codes == [200] * 50


def test_any_transfer_coding_is_refused_before_the_body(serve: Serve) -> None:
    """Its length is not known until the whole body is read, so no coding is read: the
    answer comes with none of the body sent, and the connection closes."""
    served = serve()
    for coding in ("chunked", "Chunked", "gzip, chunked", "gzip", "identity"):
        for request_line in ("POST / HTTP/1.1", "POST /v1/cards HTTP/1.1",
                             "DELETE /v1/cards/x HTTP/1.1"):  # fmt: skip
            head = f"{request_line}\r\nTransfer-Encoding: {coding}\r\n"
            answer = _raw(served.port, head)
            assert answer.startswith(b"HTTP/1.1 411"), (coding, request_line, answer[:200])
            assert f"Transfer-Encoding '{coding}' is not supported".encode() in answer
    # With a Content-Length beside it and the body sent: still refused, and the body's
    # bytes are not taken for a next request.
    body = b'5\r\n{"a":\r\n0\r\n\r\n'
    head = f"POST / HTTP/1.1\r\nContent-Length: {len(body)}\r\nTransfer-Encoding: gzip, chunked\r\n"
    answer = _raw(served.port, head, body)
    assert answer.startswith(b"HTTP/1.1 411") and answer.count(b"HTTP/1.1 ") == 1, answer
    assert served.col.note_count() == 0
