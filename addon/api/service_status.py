"""What the add-on is doing now: the address its server listens on, the deck folder and
vaults it keeps in sync, whether a watcher watches each, and each one's last sync.

Inside Anki and headless alike, whoever starts the server and runs the syncs writes it
here, and `GET /v1/status`, the status page and the settings dialog read it from here:
no mode keeps a copy of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ..sync.report import outcome_line
from ..sync.summary import SyncSummary

FOLDER = "folder"
VAULT = "vault"


@dataclass(frozen=True)
class Listening:
    host: str
    port: int
    anki_connect_port: int | None = None  # the extra AnkiConnect listener, when held

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"


@dataclass(frozen=True)
class LastSync:
    time: datetime
    outcome: str  # one line: what changed, and the problems
    ok: bool
    counts: dict[str, dict[str, int]] | None = None  # per side; None: no summary
    errors: tuple[str, ...] = ()  # "file:line: reason"

    @classmethod
    def of(cls, summary: SyncSummary) -> LastSync:
        counts = {"anki": asdict(summary.anki), "markdown": asdict(summary.markdown)}
        outcome = outcome_line(summary)
        return cls(_now(), outcome, summary.ok, counts, tuple(summary.errors))

    @classmethod
    def failed(cls, outcome: str) -> LastSync:
        """A sync that ended without a summary (it failed, or was cancelled)."""
        return cls(_now(), outcome, False)

    def line(self) -> str:
        return f"{self.time:%H:%M} {self.outcome}"

    def to_json(self) -> dict[str, Any]:
        return {
            "time": self.time.isoformat(timespec="seconds"),
            "outcome": self.outcome,
            "ok": self.ok,
            "counts": self.counts,
            "errors": list(self.errors),
        }


def _now() -> datetime:
    return datetime.now().astimezone()


@dataclass(frozen=True)
class Source:
    """A deck folder or a vault the add-on keeps in sync."""

    kind: str  # FOLDER or VAULT
    path: Path
    watched: bool = False
    last_sync: LastSync | None = None

    def to_json(self) -> dict[str, Any]:
        last = self.last_sync.to_json() if self.last_sync is not None else None
        return {"kind": self.kind, "path": str(self.path), "watching": self.watched,
                "last_sync": last}  # fmt: skip


def _key(path: Path) -> Path:
    # The same folder, however it was named (relative, `~`, a symlink).
    return path.expanduser().resolve()


class ServiceStatus:
    """Written from the GUI thread, watcher threads and server threads alike."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listening: Listening | None = None
        self._sources: dict[Path, Source] = {}

    def listening(self, where: Listening | None) -> None:
        """The server started there (None: it stopped)."""
        self._listening = where

    def track(self, kind: str, paths: Iterable[Path], watched: Iterable[Path] = ()) -> None:
        """The folders of this kind now kept in sync, and those a watcher watches; one
        no longer named is dropped. A folder kept keeps its last sync."""
        watched_keys = {_key(path) for path in watched}
        with self._lock:
            sources = {key: s for key, s in self._sources.items() if s.kind != kind}
            for path in paths:
                key = _key(path)
                known = self._sources.get(key)
                last = known.last_sync if known is not None and known.kind == kind else None
                sources[key] = Source(kind, path.expanduser().absolute(), key in watched_keys, last)
            self._sources = sources

    def record(self, kind: str, path: Path, last: LastSync) -> None:
        """A sync of `path` ended; a folder synced on request is listed from then on."""
        key = _key(path)
        with self._lock:
            known = self._sources.get(key) or Source(kind, path.expanduser().absolute())
            self._sources[key] = replace(known, last_sync=last)

    def sources(self) -> list[Source]:
        """The deck folder first, then the vaults."""
        with self._lock:
            sources = list(self._sources.values())
        return sorted(sources, key=lambda source: source.kind != FOLDER)

    def last_sync(self, kind: str) -> LastSync | None:
        """The newest sync of a folder of this kind."""
        done = [s.last_sync for s in self.sources() if s.kind == kind and s.last_sync]
        return max(done, key=lambda last: last.time) if done else None

    def server_json(self) -> dict[str, Any]:
        where = self._listening
        return {
            "address": where.address if where is not None else None,
            "port": where.port if where is not None else None,
            "anki_connect_port": where.anki_connect_port if where is not None else None,
        }

    def to_json(self) -> dict[str, Any]:
        sources = self.sources()
        folders = [str(s.path) for s in sources if s.kind == FOLDER]
        synced = [(s, s.last_sync) for s in sources if s.last_sync is not None]
        newest = max(synced, key=lambda pair: pair[1].time, default=None)
        return {
            **self.server_json(),
            "markdown_folder": folders[0] if folders else None,
            "vaults": [str(s.path) for s in sources if s.kind == VAULT],
            "syncs": [source.to_json() for source in sources],
            # The newest of the syncs', named.
            "last_sync": None if newest is None else {
                "kind": newest[0].kind, "path": str(newest[0].path), **newest[1].to_json()
            },
        }  # fmt: skip
