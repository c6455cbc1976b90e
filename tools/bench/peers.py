"""The servers and tools the bench measures side by side: ours headless (in this
process), an add-on inside real Anki (ours, or a peer's such as AnkiConnect, from a
folder as AnkiWeb installs it), and AnkiOps' own command line from PyPI."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from anki.collection import Collection

from addon.api.app import Application
from addon.api.context import ApiContext
from addon.core.config import Config
from addon.server import ContextServer
from addon.store.runner import LockedCollection
from tools.bench.measure import ROOT, Process, python, run_process, unused_port, wait_for_port
from tools.launch_anki import ADDON_FOLDER, anki_command, anki_environment, seed_profile

Call = Callable[..., Any]
ANKIOPS_VERSION = "0.6.6"
# AnkiConnect's AnkiWeb code, the folder name Anki installs it under.
ANKI_CONNECT_FOLDER = "2055492159"


@contextmanager
def client(port: int) -> Iterator[Call]:
    """Each call one request on a connection of its own: AnkiConnect's server closes
    the connection after each answer, so every server is measured the same way. The
    JSON is orjson's, so that the client's own work (json takes 1.2 ms to read
    10,000 note ids) is as small a part of every server's time as it can be."""

    def call(action: str, **params: Any) -> Any:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
        try:
            body = orjson.dumps({"action": action, "version": 6, "params": params})
            conn.request("POST", "/", body, {"Content-Type": "application/json"})
            answer: dict[str, Any] = orjson.loads(conn.getresponse().read())
        finally:
            conn.close()
        assert answer["error"] is None, answer
        return answer["result"]

    yield call


@contextmanager
def server_on(col: Collection) -> Iterator[int]:
    """Our server in this process, on both protocols, with a large body limit."""
    config = Config(port=0, anki_connect_port=None, max_body_mb=512)
    server = ContextServer(config, Application(ApiContext(config, LockedCollection(col))))
    server.start()
    try:
        yield server.port
    finally:
        server.stop()


def our_addon(base: Path, port: int) -> None:
    target = base / "addons21" / ADDON_FOLDER
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(".*", "dist", "__pycache__"))
    config = {"port": port, "anki_connect_port": None, "max_body_mb": 512}
    (target / "meta.json").write_text(json.dumps({"config": config}))


def anki_connect_addon(source: Path, base: Path, port: int) -> None:
    """AnkiConnect as installed from AnkiWeb, on `port` (its own config keys)."""
    target = base / "addons21" / ANKI_CONNECT_FOLDER
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "meta.json"))
    defaults: dict[str, Any] = json.loads((source / "config.json").read_text())
    config = {**defaults, "webBindAddress": "127.0.0.1", "webBindPort": port}
    (target / "meta.json").write_text(json.dumps({"config": config}))


@contextmanager
def real_anki(base: Path, port: int) -> Iterator[None]:
    """Real Anki, offscreen, on a seeded profile whose addons21/ is already filled; quit
    through the protocol's guiExitAnki so the collection is saved and closed."""
    seed_profile(base)
    anki = subprocess.Popen(
        anki_command(base), env=anki_environment(offscreen=True),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port, lambda: anki.poll() is None)
        with client(port) as call:
            call("version")
        yield
        with client(port) as call:
            call("guiExitAnki")
        try:
            anki.wait(timeout=60)
        except subprocess.TimeoutExpired:
            # Some AnkiConnect releases answer guiExitAnki and stay open; Anki saves
            # and closes the collection on SIGTERM too.
            anki.terminate()
            anki.wait(timeout=60)
    finally:
        if anki.poll() is None:
            anki.kill()
            anki.wait()


def ankiops_cli(work: Path) -> Path:
    """AnkiOps' command line, unchanged, in a venv of its own."""
    venv = work / "ankiops-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check",
         f"ankiops=={ANKIOPS_VERSION}"],
        check=True,
    )  # fmt: skip
    return venv / "bin" / "ankiops"


def ankiops(cli: Path, port: int, folder: Path, *arguments: str) -> Process:
    env = {
        **os.environ,
        "ANKIOPS_CONNECT_URL": f"http://127.0.0.1:{port}",
        "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org",
    }  # fmt: skip
    return run_process([str(cli), *arguments], cwd=folder, env=env)


@contextmanager
def headless_serve(collection: Path) -> Iterator[int]:
    """`python -m addon serve` on a collection file: the server AnkiOps talks to. Its
    output goes to serve.log beside the collection."""
    port = unused_port()
    log = (collection.parent / "serve.log").open("wb")
    serve = subprocess.Popen(
        python("-m", "addon", "serve", "--collection", str(collection), "--port", str(port),
               "--anki-connect-port", "off"),
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for_port(port, lambda: serve.poll() is None)
        yield port
    finally:
        serve.terminate()
        serve.wait(timeout=60)
        log.close()
