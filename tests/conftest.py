"""Shared fixtures: real collections, copied from one empty collection per test run."""

from __future__ import annotations

import itertools
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from anki._backend import RustBackend
from anki.collection import Collection

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from addon.api.app import Application  # noqa: E402
from addon.api.context import ApiContext  # noqa: E402
from addon.api.window import Window  # noqa: E402
from addon.core.config import Config  # noqa: E402
from addon.server import ContextServer  # noqa: E402
from addon.store import sync_state  # noqa: E402
from addon.store.runner import LockedCollection  # noqa: E402

# Slow tests (third-party installs, long fuzz runs); they run only when asked for by name.
OPT_IN_MARKERS = ("ankiops", "install", "fuzz", "schemathesis")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    selected = config.getoption("-m") or ""
    for item in items:
        for marker in OPT_IN_MARKERS:
            if item.get_closest_marker(marker) and marker not in selected:
                item.add_marker(pytest.mark.skip(reason=f"runs only with pytest -m {marker}"))


def example_decks(target: Path) -> Path:
    """A copy of the example deck folder, without the sync state `make run` leaves in it
    (a test of a first sync would otherwise start from that run's bases)."""
    source = ROOT / "examples" / "decks"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(sync_state.STATE_DIR))
    return target


@pytest.fixture(scope="session")
def qt_app() -> Any:
    """The one QApplication of the test session, kept for all of it: Qt allows one per
    process, and a test module's own one, collected after its last test, left the next
    module's `QApplication.instance()` pointing at freed memory (a crash on Qt 6.6)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from aqt.qt import QApplication

    return QApplication.instance() or QApplication([])


@pytest.fixture(scope="session")
def empty_collection_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Creating a collection takes a while; copying the file is instant."""
    path = tmp_path_factory.mktemp("template") / "empty.anki2"
    Collection(str(path)).close()
    return path


@pytest.fixture(scope="session")
def empty_german_collection_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A collection created by a German Anki: stock names are "Standard", "Einfach"..."""
    path = tmp_path_factory.mktemp("template-de") / "leer.anki2"
    Collection(str(path), backend=RustBackend(langs=["de_DE"])).close()
    return path


@pytest.fixture
def german_col(empty_german_collection_file: Path, tmp_path: Path) -> Iterator[Collection]:
    path = tmp_path / "sammlung.anki2"
    shutil.copy(empty_german_collection_file, path)
    collection = Collection(str(path), backend=RustBackend(langs=["de_DE"]))
    yield collection
    collection.close()


@pytest.fixture
def collection_path(empty_collection_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "collection.anki2"
    shutil.copy(empty_collection_file, path)
    return path


@pytest.fixture
def col(collection_path: Path) -> Iterator[Collection]:
    collection = Collection(str(collection_path))
    yield collection
    collection.close()


@dataclass
class Served:
    """A headless server on a free loopback port, over a real collection."""

    port: int
    col: Collection
    runner: LockedCollection
    anki_connect_port: int | None = None  # the extra AnkiConnect listener, if asked for


@pytest.fixture
def serve(col: Collection) -> Iterator[Callable[..., Served]]:
    """Start a server on `col` (or on the collection given as `on=`)."""
    servers: list[ContextServer] = []

    def start(
        on: Collection | None = None, window: Window | None = None, **settings: Any
    ) -> Served:
        # Tests never take AnkiConnect's real port; the ones about it ask for one.
        config = replace(Config(port=0, anki_connect_port=None), **settings)
        target = on or col
        runner = LockedCollection(target, profile="test")
        server = ContextServer(config, Application(ApiContext(config, runner, window)))
        server.start()
        servers.append(server)
        return Served(server.port, target, runner, server.anki_connect_port)

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def file_times(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Files' times trusted at once, and `stamp(path)`, which gives a file a time of its
    own, as a user's edit a moment later would: a sync then leaves the files it knows
    unchanged unread, as it does between a user's edits, and tests need not wait out
    the clock's tick."""
    monkeypatch.setattr(sync_state, "FINE_TICK_NS", 0)
    monkeypatch.setattr(sync_state, "COARSE_TICK_NS", 0)
    times = itertools.count(1_000_000_000_000_000_123, 1_000_000)

    def stamp(path: Path) -> None:
        moment = next(times)
        os.utime(path, ns=(moment, moment))

    return stamp
