"""Every AnkiConnect action, and the native card API, over real HTTP against the
headless server on a real collection, with wrong types and hostile strings: each
answer is an envelope or a 4xx (never a 5xx, a dropped connection or a traceback)
and the collection stays intact.

The default run sends a few requests per action; `pytest -m fuzz` sends many more."""

from __future__ import annotations

import http.client
import inspect
import json
import random
from collections.abc import Callable
from typing import Any

import pytest

from addon.api.anki_connect.registry import ACTIONS
from tests.conftest import Served

Serve = Callable[..., Served]
EXTENSION = "chrome-extension://abcdefghijklmnop"
# Read or write files named by the request: fuzzed only as a browser, which may not.
FILE_ACTIONS = {"exportPackage", "importPackage", "storeMediaFile", "guiImportFile"}
PARAM_NAMES = ["note", "notes", "cards", "deck", "path", "url", "filename", "query", "actions"]


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


HOSTILE: list[Any] = [
    None, True, 0, -1, 2**70, 1.5, "", [], {}, [None], [""], {"a": None}, [[1]],
    "\ud800", "a\udfffb", ["\ud800"], {"\ud800": 1},
    "x" * 200_000, ["x"] * 5_000, list(range(5_000)),
    "../../../../etc/passwd", "..", ".", "/", "C:\\Windows\\win.ini", "a/../../b", "\x00",
    "%2E%2E%2Fcollection.anki2", "CON", "*", "../**", "{{c1::", "<img src=../x>",
    "deck:*", "Default::" * 200, "http://127.0.0.1:1/", "file:///etc/passwd",
    _nested(60), _nested(200),
    # Plausible values, so that hostile ones also reach deeper than the type checks.
    "Default", "Basic", "Front", "Card 1", "deck:Default", 1, [1], ["Default"], ["Front"],
    {"deckName": "Default", "modelName": "Basic", "fields": {"Front": "\ud800"}},
    {"deckName": "../x", "modelName": "Basic", "fields": {"Front": "f", "Back": "b"},
     "tags": ["a" * 10_000]},
]  # fmt: skip


def _params(name: str, rng: random.Random) -> dict[str, Any]:
    """Values for the action's own parameters (and sometimes one it does not take)."""
    signature = inspect.signature(ACTIONS[name]) if name in ACTIONS else None
    names = [p for p in (signature.parameters if signature else ()) if p not in ("ctx",)]
    names = [n for n in names if signature and signature.parameters[n].kind.value <= 3]
    if not names or rng.random() < 0.15:
        names = [*names, rng.choice(PARAM_NAMES)]
    return {param: rng.choice(HOSTILE) for param in names if rng.random() < 0.9}


def _post(conn: http.client.HTTPConnection, payload: bytes, origin: str | None) -> Any:
    headers = {"Content-Type": "application/json"}
    if origin:
        headers["Origin"] = origin
    conn.request("POST", "/", body=payload, headers=headers)
    response = conn.getresponse()
    body = response.read()
    assert response.status == 200, (response.status, body[:300])
    text = body.decode("utf-8")
    assert "Traceback" not in text and "internal error" not in text, text[:300]
    return json.loads(text)


def _fuzz(served: Served, per_action: int, seed: int) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
    reflected = _post(conn, b'{"action": "apiReflect", "version": 6, '
                            b'"params": {"scopes": ["actions"]}}', None)  # fmt: skip
    names: list[str] = reflected["result"]["actions"]
    assert len(names) > 100
    rng = random.Random(seed)
    sent = 0
    for name in names:
        for _ in range(per_action):
            origin = EXTENSION if name in FILE_ACTIONS or rng.random() < 0.5 else None
            version = rng.choice([6] * 8 + [4, "6"])
            payload = {"action": name, "version": version, "params": _params(name, rng)}
            raw = json.dumps(payload).encode()  # lone surrogates go as \ud800 escapes
            answer = _post(conn, raw, origin)
            if isinstance(answer, dict) and isinstance(answer.get("error"), str):
                assert "Traceback" not in answer["error"]
            sent += 1
    conn.close()
    return sent


def _intact(served: Served) -> None:
    problems, ok = served.runner.read(lambda col: col.fix_integrity())
    assert ok, problems
    assert problems in ("", "Database rebuilt and optimized."), problems


def test_every_action_survives_hostile_params(serve: Serve) -> None:
    served = serve()
    assert _fuzz(served, per_action=10, seed=13) > 1000
    _intact(served)


@pytest.mark.fuzz
@pytest.mark.parametrize("seed", range(5))
def test_every_action_survives_many_hostile_params(serve: Serve, seed: int) -> None:
    served = serve()
    _fuzz(served, per_action=150, seed=seed)
    _intact(served)


CARD_KEYS = ["type", "front", "back", "text", "extra", "deck", "format"]
CONTEXT_KEYS = ["title", "url", "highlight", "page", "location", "image", "created"]
CARD_VALUES: list[Any] = [
    *HOSTILE, "basic", "cloze", "markdown", "html", "::", "a::", "a::::b", "deck:", "deck:a/",
    "deck:" + "/".join(["d"] * 30), "a\nb", "\u200b", "{{c1::a}}", "<div>" * 400,
    "data:image/png;base64,AAAA", "data:image/png;base64,!!", "data:,",
]  # fmt: skip


def _card(rng: random.Random, number: int) -> dict[str, Any]:
    card: dict[str, Any] = {"id": rng.choice([f"id{number}", f"id{number % 5}", *CARD_VALUES])}
    for key in CARD_KEYS:
        if rng.random() < 0.5:
            card[key] = rng.choice(CARD_VALUES)
    if rng.random() < 0.5:
        card["tags"] = [rng.choice(CARD_VALUES) for _ in range(rng.randint(0, 3))]
    if rng.random() < 0.5:
        context = {k: rng.choice(CARD_VALUES) for k in CONTEXT_KEYS if rng.random() < 0.5}
        if rng.random() < 0.3:
            context["image"] = {
                "data": rng.choice(CARD_VALUES),
                "filename": rng.choice(CARD_VALUES),
            }
        card["context"] = context
    return card


def _fuzz_cards(served: Served, count: int, seed: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
    rng = random.Random(seed)
    for number in range(count):
        cards = [_card(rng, number) for _ in range(rng.choice([1, 1, 1, 3]))]
        conn.request("POST", "/v1/cards", body=json.dumps({"cards": cards}).encode())
        response = conn.getresponse()
        body = response.read().decode("utf-8")
        assert response.status in (200, 400, 409, 422), (response.status, body[:300], cards)
        assert "Traceback" not in body and "internal error" not in body, body[:300]
    conn.close()


def test_hostile_cards_never_crash(serve: Serve) -> None:
    served = serve()
    _fuzz_cards(served, count=300, seed=13)
    _intact(served)


@pytest.mark.fuzz
@pytest.mark.parametrize("seed", range(3))
def test_many_hostile_cards_never_crash(serve: Serve, seed: int) -> None:
    served = serve()
    _fuzz_cards(served, count=3000, seed=seed)
    _intact(served)
