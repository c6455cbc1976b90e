"""The sync state: per note key, the Anki note id and the base both sides had at the
last sync. It lives in the folder (`.context-connect/`, which ignores itself in git),
one file per collection, so two profiles syncing one folder never mix their bases.

The state is only a cache of agreement: lost or corrupt, it is set aside and the next
sync rebuilds it from the keys stored in the notes themselves.

Bases are trusted only for the collection they were taken from. Every sync that
changes anything is a generation: a token left in the collection (see
`sync_marker`) and, here, an undo log of the bases it replaced. When the collection
turns out to be at an earlier generation (Undo, an AnkiWeb download, a restored
backup), the bases of that generation are rebuilt from the logs; when it is at a
generation the state cannot rebuild, no base is trusted at all.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Iterator, Mapping
from enum import Enum
from pathlib import Path

from ..core.sync_plan import BaseNote

STATE_DIR = ".context-connect"
SCHEMA = 3
# Generations kept for going back: the newest ones, and any younger than the age.
KEEP_GENERATIONS = 100
KEEP_SECONDS = 60 * 86400
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
create table if not exists generations (
    token text primary key, parent text, created real not null
);
create table if not exists undo_log (token text not null, key text not null, base text);
create index if not exists undo_log_token on undo_log (token);
"""
_COLUMNS = "key, note_id, note_type, file, deck, md, anki, tags, block, row"


class Trust(Enum):
    """What the collection is, measured against the state's bases."""

    CURRENT = "current"  # the collection the last sync left (edits since are real edits)
    EARLIER = "earlier"  # moved back to an earlier generation, whose bases were rebuilt
    UNKNOWN = "unknown"  # moved back to something no kept generation describes


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
    # Schema 2 lacked only the generation tables, which the script above just made.
    if row is None or int(row[0]) == 2:
        connection.execute("insert or replace into meta values ('schema', ?)", (str(SCHEMA),))
    elif int(row[0]) != SCHEMA:
        raise sqlite3.DatabaseError(f"schema {row[0]}, expected {SCHEMA}")
    return connection


def _base(row: tuple[str, int, str, str, str, str, str, str, str, str]) -> BaseNote:
    key, note_id, note_type, file, deck, md, anki, tags, block, fingerprint = row
    return BaseNote(
        key, note_id, note_type, file, deck, _Fingerprints(md), _Fingerprints(anki),
        tuple(tags.split()), block, fingerprint,
    )  # fmt: skip


def _row(b: BaseNote) -> tuple[str, int, str, str, str, str, str, str, str, str]:
    return (
        b.key, b.note_id, b.note_type, b.file, b.deck, _stored(b.md), _stored(b.anki),
        " ".join(b.tags), b.block, b.row,
    )  # fmt: skip


def _difference(
    before: Mapping[str, BaseNote], after: Mapping[str, BaseNote]
) -> tuple[list[str], list[str]]:
    """Keys whose base is new or another object in `after`, and keys `after` lacks.
    Unchanged notes carry the very object that was read, so identity is enough."""
    changed = [key for key, base in after.items() if before.get(key) is not base]
    return changed, [key for key in before if key not in after]


class SyncState:
    """The bases of one folder and one collection. `bases` are those the sync may
    trust for the collection it sees, once `trust` has been told its marker."""

    def __init__(self, folder: Path, collection_id: int) -> None:
        _prepare_dir(folder)
        self.path = state_path(folder, collection_id)
        self.reset_reason: str | None = None
        try:
            self._db = _open(self.path)
            self.head_bases = self._read()
        except sqlite3.DatabaseError as exc:
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            self.path.replace(aside)
            self.reset_reason = (
                f"the sync state was unreadable ({exc}); it was moved to {aside.name} "
                "and rebuilt from the note keys"
            )
            self._db = _open(self.path)
            self.head_bases = {}
        self.bases = self.head_bases
        # Names this state's marker in the collection: states of other folders, or of
        # the same folder on another machine, keep markers of their own.
        self.state_id = self._meta("state_id") or secrets.token_hex(8)
        self._set_meta("state_id", self.state_id)
        self._parent = self.head

    def _read(self) -> dict[str, BaseNote]:
        rows = self._db.execute(f"select {_COLUMNS} from notes")
        return {row[0]: _base(row) for row in rows}

    def _meta(self, name: str) -> str | None:
        row = self._db.execute("select value from meta where name = ?", (name,)).fetchone()
        return str(row[0]) if row else None

    def _set_meta(self, name: str, value: str | None) -> None:
        if value is None:
            self._db.execute("delete from meta where name = ?", (name,))
        else:
            self._db.execute("insert or replace into meta values (?, ?)", (name, value))

    @property
    def head(self) -> str | None:
        """The generation the bases in the notes table belong to (None before the first)."""
        return self._meta("head")

    # -- which bases to trust --------------------------------------------------

    def trust(self, marker: str | None) -> Trust:
        """Choose the bases for a collection carrying `marker`: the head's when it is
        the collection the last sync left (or one a killed sync was applying to), an
        earlier generation's rebuilt from the undo logs, or none at all."""
        head = self.head
        pending = (self._meta("pending") or "").split()
        if pending and marker == pending[0]:
            marker = pending[1] if len(pending) > 1 else None  # the run began from there
        if head is None or marker == head:
            return Trust.CURRENT
        earlier = self._bases_at(marker)
        self._parent = marker
        if earlier is None:
            self.bases = {}
            return Trust.UNKNOWN
        self.bases = earlier
        return Trust.EARLIER

    def _bases_at(self, marker: str | None) -> dict[str, BaseNote] | None:
        """The bases of an ancestor of the head, undoing each later generation's log;
        None when `marker` is no kept ancestor."""
        parents = dict(self._db.execute("select token, parent from generations").fetchall())
        path: list[str] = []
        token = self.head
        while token != marker:
            if token is None or token not in parents or len(path) > len(parents):
                return None
            path.append(token)
            token = parents[token]
        bases = dict(self.head_bases)
        for generation in path:
            rows = self._db.execute(
                "select key, base from undo_log where token = ?", (generation,)
            ).fetchall()
            for key, stored in rows:
                if stored is None:
                    bases.pop(key, None)
                else:
                    bases[key] = _base(tuple(json.loads(stored)))
        return bases

    # -- a new generation ------------------------------------------------------

    def begin(self) -> str:
        """A token for the generation this run makes, recorded before the collection is
        touched: a run killed after Anki took the token is still recognised."""
        token = secrets.token_hex(8)
        self._set_meta("pending", f"{token} {self._parent}" if self._parent else token)
        return token

    def save(
        self, bases: dict[str, BaseNote], files: Mapping[str, tuple[str, str]],
        generation: str | None,
    ) -> None:  # fmt: skip
        """Write the bases and the settled files in one transaction: a crash keeps the
        old state whole. Unchanged notes carry the very object that was read.

        With a `generation` (from `begin`), the bases it replaced go to its undo log,
        and it becomes the head."""
        changed, gone = _difference(self.head_bases, bases)
        with self._db:
            self._db.execute("begin")
            self._db.executemany("delete from notes where key = ?", [(key,) for key in gone])
            self._db.executemany(
                "insert or replace into notes values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_row(bases[key]) for key in changed],
            )
            self._db.execute("delete from files")
            self._db.executemany(
                "insert into files values (?, ?, ?)",
                [(name, fp, deck) for name, (fp, deck) in files.items()],
            )
            if generation is not None:
                self._record(generation, bases)
        self.head_bases = self.bases = dict(bases)

    def _record(self, generation: str, bases: dict[str, BaseNote]) -> None:
        before = self.bases  # the generation this run started from
        changed, gone = _difference(before, bases)
        log = [
            (generation, key, json.dumps(_row(before[key])) if key in before else None)
            for key in [*changed, *gone]
        ]
        self._db.executemany("insert into undo_log values (?, ?, ?)", log)
        self._db.execute(
            "insert into generations values (?, ?, ?)", (generation, self._parent, time.time())
        )
        self._set_meta("head", generation)
        self._set_meta("pending", None)
        self._parent = generation
        old = self._db.execute(
            "select token from generations where created < ? and token not in "
            "(select token from generations order by created desc limit ?)",
            (time.time() - KEEP_SECONDS, KEEP_GENERATIONS),
        ).fetchall()
        self._db.executemany("delete from undo_log where token = ?", old)
        self._db.executemany("delete from generations where token = ?", old)

    def files(self) -> dict[str, tuple[str, str]]:
        """Deck files as the last sync left them: name → (fingerprint of the bytes, deck)."""
        rows = self._db.execute("select name, fingerprint, deck from files")
        return {name: (fp, deck) for name, fp, deck in rows}

    @property
    def definitions(self) -> str | None:
        """Fingerprint of the note type definitions the bases were made with."""
        return self._meta("definitions")

    @definitions.setter
    def definitions(self, value: str) -> None:
        self._set_meta("definitions", value)

    @property
    def anki_mark(self) -> str | None:
        """The collection's change mark as the last sync left it (see managed_notes)."""
        return self._meta("anki_mark")

    @anki_mark.setter
    def anki_mark(self, value: str | None) -> None:
        self._set_meta("anki_mark", value)

    def close(self) -> None:
        self._db.close()
