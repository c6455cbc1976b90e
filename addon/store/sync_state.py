"""The sync state: per note key, the Anki note id and the base both sides had at the
last sync. It lives in the folder (`.context-connect/`, which ignores itself in git),
one file per collection, so two profiles syncing one folder never mix their bases.

The state is only a cache of agreement: lost or corrupt, it is set aside and the next
sync rebuilds it from the keys stored in the notes themselves.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..core.sync_plan import BaseNote

STATE_DIR = ".context-connect"
SCHEMA = 2
_TABLES = """
create table if not exists meta (name text primary key, value text not null);
create table if not exists notes (
    key text primary key, note_id integer not null, note_type text not null,
    file text not null, deck text not null, md text not null, anki text not null,
    tags text not null, block text not null, row text not null
);
create table if not exists files (
    name text primary key, fingerprint text not null, deck text not null
);
"""


class _Fingerprints(Mapping[str, str]):
    """Field fingerprints, decoded only when a note needs a field-by-field look."""

    def __init__(self, stored: str) -> None:
        self.stored = stored
        self._decoded: dict[str, str] | None = None

    def _values(self) -> dict[str, str]:
        if self._decoded is None:
            self._decoded = json.loads(self.stored)
        return self._decoded

    def __getitem__(self, name: str) -> str:
        return self._values()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values())

    def __len__(self) -> int:
        return len(self._values())


def _stored(values: Mapping[str, str]) -> str:
    return values.stored if isinstance(values, _Fingerprints) else json.dumps(dict(values))


def state_path(folder: Path, collection_id: int) -> Path:
    return folder / STATE_DIR / f"state-{collection_id}.sqlite3"


def _prepare_dir(folder: Path) -> None:
    directory = folder / STATE_DIR
    directory.mkdir(exist_ok=True)
    ignore = directory / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Context Connect's sync state: local to this machine\n*\n")


def _open(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.executescript(_TABLES)
    row = connection.execute("select value from meta where name = 'schema'").fetchone()
    if row is None:
        connection.execute("insert into meta values ('schema', ?)", (str(SCHEMA),))
    elif int(row[0]) != SCHEMA:
        raise sqlite3.DatabaseError(f"schema {row[0]}, expected {SCHEMA}")
    return connection


class SyncState:
    def __init__(self, folder: Path, collection_id: int) -> None:
        _prepare_dir(folder)
        self.path = state_path(folder, collection_id)
        self.reset_reason: str | None = None
        try:
            self._db = _open(self.path)
            self.bases = self._read()
        except sqlite3.DatabaseError as exc:
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            self.path.replace(aside)
            self.reset_reason = (
                f"the sync state was unreadable ({exc}); it was moved to {aside.name} "
                "and rebuilt from the note keys"
            )
            self._db = _open(self.path)
            self.bases = {}

    def _read(self) -> dict[str, BaseNote]:
        rows = self._db.execute(
            "select key, note_id, note_type, file, deck, md, anki, tags, block, row from notes"
        )
        return {
            key: BaseNote(
                key, note_id, note_type, file, deck, _Fingerprints(md), _Fingerprints(anki),
                tuple(tags.split()), block, row,
            )
            for key, note_id, note_type, file, deck, md, anki, tags, block, row in rows
        }  # fmt: skip

    def save(self, bases: dict[str, BaseNote], files: Mapping[str, tuple[str, str]]) -> None:
        """Write the bases (what changed since `self.bases`) and the settled files in
        one transaction: a crash keeps the old state whole. Unchanged notes carry the
        very object that was read."""
        changed = [b for key, b in bases.items() if self.bases.get(key) is not b]
        gone = [(key,) for key in self.bases if key not in bases]
        rows = [
            (b.key, b.note_id, b.note_type, b.file, b.deck, _stored(b.md), _stored(b.anki),
             " ".join(b.tags), b.block, b.row)
            for b in changed
        ]  # fmt: skip
        with self._db:
            self._db.execute("begin")
            self._db.executemany("delete from notes where key = ?", gone)
            self._db.executemany(
                "insert or replace into notes values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
            )
            self._db.execute("delete from files")
            self._db.executemany(
                "insert into files values (?, ?, ?)",
                [(name, fp, deck) for name, (fp, deck) in files.items()],
            )
        self.bases = dict(bases)

    def files(self) -> dict[str, tuple[str, str]]:
        """Deck files as the last sync left them: name → (fingerprint of the bytes, deck)."""
        rows = self._db.execute("select name, fingerprint, deck from files")
        return {name: (fp, deck) for name, fp, deck in rows}

    @property
    def definitions(self) -> str | None:
        """Fingerprint of the note type definitions the bases were made with."""
        row = self._db.execute("select value from meta where name = 'definitions'").fetchone()
        return str(row[0]) if row else None

    @definitions.setter
    def definitions(self, value: str) -> None:
        self._db.execute("insert or replace into meta values ('definitions', ?)", (value,))

    def close(self) -> None:
        self._db.close()
