"""Browser extensions, loopback pages and Obsidian reach the server with the default
config, with the headers their engines really send; web pages still do not."""

from __future__ import annotations

import json

import pytest

from tests.http_client import request
from tests.test_anki_connect import Serve

VERSION = json.dumps({"action": "version", "version": 6}).encode()
DECKS = json.dumps({"action": "deckNames", "version": 6}).encode()

# What a Manifest V3 background page (Yomitan's kind) sends with fetch(): Chrome sets
# Origin to the extension's origin and Sec-Fetch-Site to "none".
CHROME = {
    "Origin": "chrome-extension://likgccmbimhjbgkjambclfkhldnlhbnn",
    "Content-Type": "application/json",
    "Sec-Fetch-Site": "none",
    "Sec-Fetch-Mode": "cors",
    "Sec-Fetch-Dest": "empty",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
}
FIREFOX = {
    "Origin": "moz-extension://3c6ad6a4-0f34-4a7e-9bd8-8b3f9c0e3e7a",
    "Content-Type": "application/json",
    "Sec-Fetch-Site": "same-origin",
    "Sec-Fetch-Mode": "cors",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
}
SAFARI = {
    "Origin": "safari-web-extension://8B2D2A1E-5C3F-4E0A-9F7B-1D2C3B4A5E6F",
    "Content-Type": "application/json",
}
# An Obsidian plugin calling fetch() from the Electron renderer.
OBSIDIAN = {
    "Origin": "app://obsidian.md",
    "Content-Type": "application/json",
    "Sec-Fetch-Site": "cross-site",
    "Sec-Fetch-Mode": "cors",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "obsidian/1.7.7 Chrome/128.0.6613.186 Electron/32.2.5 Safari/537.36",
}
CLIENTS = {
    "chrome": CHROME,
    "firefox": FIREFOX,
    "safari": SAFARI,
    "obsidian": OBSIDIAN,
    "loopback page": {"Origin": "http://localhost:5173", "Content-Type": "application/json"},
    "loopback ip page": {"Origin": "http://127.0.0.1:3000", "Content-Type": "application/json"},
}


@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_local_clients_work_with_the_default_config(serve: Serve, client: str) -> None:
    served = serve()
    headers = CLIENTS[client]
    preflight = {
        "Origin": headers["Origin"],
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
        "Access-Control-Request-Private-Network": "true",
    }
    code, answer, _ = request(served.port, "OPTIONS", "/", headers=preflight)
    assert code == 204
    assert answer["Access-Control-Allow-Origin"] == headers["Origin"]
    assert "Content-Type" in answer["Access-Control-Allow-Headers"]
    assert answer["Access-Control-Allow-Private-Network"] == "true"
    code, answer, body = request(served.port, "POST", "/", DECKS, headers)
    assert code == 200 and json.loads(body) == {"result": ["Default"], "error": None}
    assert answer["Access-Control-Allow-Origin"] == headers["Origin"]


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "null",  # sandboxed frames and file pages
        "http://127.0.0.1.evil.example",
        "http://localhost.evil.example:8080",
        "https://obsidian.md",
        "app://obsidian.md.evil.example",
        "chrome-extension://abc/../evil",
        "http://192.168.1.5:8000",
    ],
)
def test_web_pages_are_still_refused(serve: Serve, origin: str) -> None:
    served = serve()
    code, _, body = request(served.port, "POST", "/", DECKS, {"Origin": origin})
    assert code == 403 and "cors_origins" in json.loads(body)["error"]
    assert request(served.port, "GET", "/v1/status", headers={"Origin": origin})[0] == 403


def test_allow_extensions_false_turns_the_default_off(serve: Serve) -> None:
    served = serve(allow_extensions=False, cors_origins=(CHROME["Origin"],))
    assert request(served.port, "POST", "/", VERSION, CHROME)[0] == 200  # listed by hand
    for headers in (FIREFOX, OBSIDIAN, CLIENTS["loopback page"]):
        assert request(served.port, "POST", "/", VERSION, headers)[0] == 403


def test_the_host_check_still_applies_to_extensions(serve: Serve) -> None:
    served = serve()
    code, _, body = request(
        served.port, "POST", "/", VERSION, {**CHROME, "Host": f"evil.example:{served.port}"}
    )
    assert code == 403 and "Host header" in json.loads(body)["error"]
