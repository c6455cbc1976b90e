"""The HTTP server over real loopback sockets: security checks, limits, keep-alive."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Callable

import pytest

from tests.conftest import Served
from tests.http_client import get_json, port_is_free, request

Serve = Callable[..., Served]


def test_status_reports_collection_and_counts(serve: Serve) -> None:
    served = serve()
    status = get_json(served.port, "/v1/status")
    assert status["collection_open"] is True
    assert status["profile"] == "test"
    assert status["counts"] == {"notes": 0, "cards": 0, "decks": 1}


def test_status_page_and_static_files(serve: Serve) -> None:
    served = serve()
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    code, headers, body = request(served.port, "GET", "/", headers=browser)
    assert code == 200 and headers["Content-Type"].startswith("text/html")
    assert b"Context Connect" in body
    assert request(served.port, "GET", "/web/status.js")[0] == 200
    assert request(served.port, "GET", "/web/../addon/server.py")[0] == 404


def test_forged_host_is_refused(serve: Serve) -> None:
    served = serve()
    for host in ("evil.example", f"evil.example:{served.port}", "127.0.0.1:1", "localhost"):
        code, _, body = request(served.port, "GET", "/v1/status", headers={"Host": host})
        assert code == 403, host
        assert "Host header" in json.loads(body)["error"]
    for host in (f"localhost:{served.port}", f"127.0.0.1:{served.port}"):
        assert request(served.port, "GET", "/v1/status", headers={"Host": host})[0] == 200


def test_foreign_origin_is_refused_before_any_work(serve: Serve) -> None:
    served = serve(cors_origins=("https://reader.example",))
    payload = json.dumps({"action": "version", "version": 6}).encode()
    code, _, body = request(served.port, "POST", "/", payload, {"Origin": "https://evil.example"})
    assert code == 403 and "cors_origins" in json.loads(body)["error"]
    code, headers, _ = request(
        served.port, "POST", "/", payload, {"Origin": "https://reader.example"}
    )
    assert code == 200
    assert headers["Access-Control-Allow-Origin"] == "https://reader.example"


def test_preflight_for_allowed_origin_only(serve: Serve) -> None:
    served = serve(cors_origins=("https://reader.example",))
    preflight = {
        "Origin": "https://reader.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    code, headers, _ = request(served.port, "OPTIONS", "/v1/cards", headers=preflight)
    assert code == 204
    assert headers["Access-Control-Allow-Origin"] == "https://reader.example"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in headers["Access-Control-Allow-Headers"]
    preflight["Origin"] = "https://evil.example"
    assert request(served.port, "OPTIONS", "/v1/cards", headers=preflight)[0] == 403


def test_api_key_is_required_when_set(serve: Serve) -> None:
    served = serve(api_key="s3cret")
    assert request(served.port, "GET", "/v1/status")[0] == 401
    wrong = {"Authorization": "Bearer nope"}
    assert request(served.port, "GET", "/v1/status", headers=wrong)[0] == 401
    for headers in ({"Authorization": "Bearer s3cret"}, {"X-Api-Key": "s3cret"}):
        assert request(served.port, "GET", "/v1/status", headers=headers)[0] == 200


def test_oversized_body_gets_413_without_being_read(serve: Serve) -> None:
    served = serve(max_body_mb=1)
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
        # Announce 2 MB but send none of it: the answer must come anyway.
        sock.sendall(
            f"POST /v1/cards HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {2 * 1024 * 1024}\r\n\r\n".encode()
        )
        # The server answers, then closes: the unread body makes the connection unusable.
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        reply = b"".join(chunks).decode()
    assert reply.startswith("HTTP/1.1 413")
    assert "max_body_mb" in reply


def test_keep_alive_and_client_that_disconnects_mid_request(serve: Serve) -> None:
    served = serve()
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
        sock.sendall(
            f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n"
            'Content-Length: 1000\r\n\r\n{"action"'.encode()
        )
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    for _ in range(3):  # one connection, three requests
        code, headers, _ = request(served.port, "GET", "/v1/status", conn=connection)
        assert code == 200 and headers.get("Connection") != "close"
    connection.close()


def test_unknown_endpoint_is_json_404(serve: Serve) -> None:
    served = serve()
    code, headers, body = request(served.port, "GET", "/v1/nothing")
    assert code == 404 and headers["Content-Type"].startswith("application/json")
    assert "/v1/nothing" in json.loads(body)["error"]


def test_stop_releases_the_port(serve: Serve) -> None:
    from addon.api.app import Application
    from addon.api.context import ApiContext
    from addon.core.config import Config
    from addon.server import ContextServer

    served = serve()  # only for its runner over a real collection
    config = Config(port=0, anki_connect_port=None)
    server = ContextServer(config, Application(ApiContext(config, served.runner)))
    server.start()
    port = server.port
    keep_alive = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    assert request(port, "GET", "/v1/status", conn=keep_alive)[0] == 200
    assert not port_is_free(port)
    server.stop()
    assert port_is_free(port)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5)
    keep_alive.close()
