"""What a browser caller may do: requests that carry an Origin never reach local
files or the local network through `path`, `url` or package actions; programs
(no Origin) keep AnkiConnect's behaviour."""

from __future__ import annotations

import base64
import json
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from addon.api.anki_connect.media_sources import BROWSER_PATH_REFUSAL
from addon.core.addresses import address_problem
from tests.conftest import Served
from tests.http_client import request

Serve = Callable[..., Served]
EXTENSION = "chrome-extension://abcdefghijklmnop"


def call(served: Served, name: str, origin: str | None, **params: Any) -> dict[str, Any]:
    headers = {"Origin": origin} if origin else {}
    payload = json.dumps({"action": name, "version": 6, "params": params}).encode()
    status, _, body = request(served.port, "POST", "/", payload, headers)
    assert status == 200, body
    answer: dict[str, Any] = json.loads(body)
    return answer


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_bytes(b"secret")
    return path


def test_a_browser_may_not_read_a_local_file(serve: Serve, secret: Path) -> None:
    served = serve()
    answer = call(served, "storeMediaFile", EXTENSION, filename="s.txt", path=str(secret))
    assert answer == {"result": None, "error": BROWSER_PATH_REFUSAL}
    assert not served.col.media.have("s.txt")
    picture = {"filename": "s.png", "path": str(secret), "fields": ["Back"]}
    note = {"deckName": "Default", "modelName": "Basic", "fields": {"Front": "f", "Back": "b"},
            "picture": [picture]}  # fmt: skip
    answer = call(served, "addNote", EXTENSION, note=note)
    assert answer["error"] is not None and BROWSER_PATH_REFUSAL in answer["error"]
    assert served.col.note_count() == 0
    # A program keeps AnkiConnect's behaviour.
    answer = call(served, "storeMediaFile", None, filename="s.txt", path=str(secret))
    assert answer == {"result": "s.txt", "error": None}
    assert call(served, "addNote", None, note=note)["error"] is None


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "2130706433", "[::ffff:127.0.0.1]", "169.254.169.254",
     "10.0.0.1", "192.168.1.1", "0.0.0.0"],
)  # fmt: skip
def test_a_browser_may_not_make_the_server_fetch_a_local_address(serve: Serve, host: str) -> None:
    served = serve()
    url = f"http://{host}:{served.port}/"
    answer = call(served, "storeMediaFile", EXTENSION, filename="x.txt", url=url)
    assert answer["result"] is None
    assert answer["error"].startswith(f"url: {host.strip('[]')} resolves to ")
    assert "may only download from public addresses" in answer["error"]
    assert not served.col.media.have("x.txt")


def test_a_program_may_still_fetch_from_this_machine(serve: Serve) -> None:
    served = serve()
    url = f"http://127.0.0.1:{served.port}/"
    answer = call(served, "storeMediaFile", None, filename="banner.txt", url=url)
    assert answer == {"result": "banner.txt", "error": None}
    saved = Path(served.col.media.dir()) / "banner.txt"
    assert saved.read_text() == "AnkiConnect v.6"


def test_a_browser_exports_and_imports_only_inside_the_profile_folder(
    serve: Serve, tmp_path_factory: pytest.TempPathFactory
) -> None:
    served = serve()
    profile = Path(served.col.path).parent
    outside = tmp_path_factory.mktemp("elsewhere")
    for path in (str(outside / "d.apkg"), "../d.apkg", str(profile / "collection.anki2")):
        answer = call(served, "exportPackage", EXTENSION, deck="Default", path=path)
        assert answer["result"] is None, path
        assert answer["error"] in (
            "path: a browser's export must be an .apkg file",
            "path: a request from a browser (it sends an Origin) may only export "
            f"inside Anki's profile folder {profile}",
        )
    assert list(outside.iterdir()) == []
    answer = call(served, "exportPackage", EXTENSION, deck="Default", path="d.apkg")
    assert answer == {"result": True, "error": None}
    assert (profile / "d.apkg").is_file()
    # A program exports where it likes.
    answer = call(served, "exportPackage", None, deck="Default", path=str(outside / "d.apkg"))
    assert answer == {"result": True, "error": None}

    answer = call(served, "importPackage", EXTENSION, path=str(outside / "d.apkg"))
    assert answer["error"] == (
        "path: a request from a browser (it sends an Origin) may only import "
        f"inside Anki's profile folder {profile}"
    )
    assert call(served, "importPackage", EXTENSION, path="../d.apkg")["error"] is None


class RecordingWindow:
    """Anki's window as the server sees it; records what it was asked to do."""

    def __init__(self) -> None:
        self.performed: list[tuple[str, dict[str, Any]]] = []

    def perform(self, action: str, params: dict[str, Any]) -> Any:
        self.performed.append((action, params))
        return 1

    def ask_origin(self, origin: str) -> bool:
        return False


def test_a_browser_reaches_no_file_through_the_window(serve: Serve, secret: Path) -> None:
    window = RecordingWindow()
    served = serve(window=window)
    audio = {"filename": "a.mp3", "path": str(secret), "fields": ["Back"]}
    note: dict[str, Any] = {"deckName": "Default", "modelName": "Basic", "audio": audio,
                            "fields": {"Front": "f", "Back": "b"}}  # fmt: skip
    answer = call(served, "guiAddCards", EXTENSION, note=note)
    assert answer == {"result": None, "error": BROWSER_PATH_REFUSAL}
    answer = call(served, "guiImportFile", EXTENSION, path=str(secret))
    assert answer == {"result": None, "error": BROWSER_PATH_REFUSAL}
    assert window.performed == []
    data = base64.b64encode(b"sound").decode()
    note["audio"] = [{"filename": "a.mp3", "data": data, "fields": ["Back"]}]
    assert call(served, "guiAddCards", EXTENSION, note=note)["error"] is None
    # A program's paths go on to the window unchanged.
    assert call(served, "guiImportFile", None, path=str(secret))["error"] is None
    assert [name for name, _ in window.performed] == ["guiAddCards", "guiImportFile"]


def test_every_address_a_name_resolves_to_is_checked(
    serve: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name with a public and a loopback address is refused before any connection:
    the server must not pick the loopback one."""
    real = socket.getaddrinfo

    def resolve(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "mixed.example":
            return real(host, port, *args, **kwargs)
        stream = socket.SOCK_STREAM
        return [
            (socket.AF_INET, stream, 6, "", ("8.8.8.8", port)),
            (socket.AF_INET, stream, 6, "", ("127.0.0.1", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    served = serve()
    url = f"http://mixed.example:{served.port}/"
    answer = call(served, "storeMediaFile", EXTENSION, filename="m.txt", url=url)
    assert answer["error"] == (
        "url: mixed.example resolves to 127.0.0.1, a loopback address; a request from a "
        "browser (it sends an Origin) may only download from public addresses"
    )


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "a loopback address"), ("::1", "a loopback address"),
        ("::ffff:127.0.0.1", "a loopback address"), ("169.254.169.254", "a link-local address"),
        ("fe80::1%eth0", "a link-local address"), ("10.1.2.3", "a private address"),
        ("172.16.0.1", "a private address"), ("192.168.0.1", "a private address"),
        ("fd00::1", "a private address"), ("100.64.0.1", "not a public address"),
        ("224.0.0.1", "a multicast address"), ("8.8.8.8", None), ("2606:4700::1111", None),
    ],
)  # fmt: skip
def test_only_public_addresses_pass(address: str, problem: str | None) -> None:
    assert address_problem(address) == problem


def test_a_redirect_to_a_local_address_is_refused(
    serve: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A public page that redirects to this machine: the redirect is a new connection
    and is checked too. 127.0.0.2 stands in for the public page (treated as public
    here); 127.0.0.1, where the redirect leads, stays loopback."""
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from addon.api.anki_connect import media_sources

    served = serve()
    target = f"http://127.0.0.1:{served.port}/"

    class Redirect(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    stand_in = HTTPServer(("127.0.0.2", 0), Redirect)
    thread = threading.Thread(target=stand_in.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setattr(
            media_sources,
            "address_problem",
            lambda address: None if address == "127.0.0.2" else address_problem(address),
        )
        url = f"http://127.0.0.2:{stand_in.server_address[1]}/page"
        answer = call(served, "storeMediaFile", EXTENSION, filename="r.txt", url=url)
        assert answer["error"] == (
            "url: 127.0.0.1 resolves to 127.0.0.1, a loopback address; a request from a "
            "browser (it sends an Origin) may only download from public addresses"
        )
        assert not served.col.media.have("r.txt")
        # The same page, fetched for a program, follows the redirect.
        answer = call(served, "storeMediaFile", None, filename="r.txt", url=url)
        assert answer == {"result": "r.txt", "error": None}
    finally:
        stand_in.shutdown()
        stand_in.server_close()
        thread.join()
