"""A small HTTP client for tests: real sockets, real requests, nothing mocked."""

from __future__ import annotations

import http.client
import json
import socket
from typing import Any


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    conn: http.client.HTTPConnection | None = None,
) -> tuple[int, dict[str, str], bytes]:
    own = conn is None
    connection = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        if own:
            connection.close()


def get_json(port: int, path: str, headers: dict[str, str] | None = None) -> Any:
    status, _, body = request(port, "GET", path, headers=headers)
    assert status == 200, (status, body)
    return json.loads(body)


def post_json(port: int, path: str, payload: Any, headers: dict[str, str] | None = None) -> Any:
    status, _, body = request(
        port,
        "POST",
        path,
        json.dumps(payload).encode(),
        {"Content-Type": "application/json", **(headers or {})},
    )
    assert status == 200, (status, body)
    return json.loads(body)


def free_port() -> int:
    """A loopback port nobody listens on now (bound and released by the system)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    """No one listens on the port: a new server (with SO_REUSEADDR, as ours) could bind.

    Connections the old server closed may linger in TIME_WAIT; that is not holding
    the port, so the check allows it, as every server restart does."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            sock.listen()
        except OSError:
            return False
    return True
