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
import os
import secrets
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import orjson

from ..core.sync_plan import BaseNote

STATE_DIR = ".context-connect"
SCHEMA = 4
# Generations kept for going back: the newest ones, and any younger than the age.
KEEP_GENERATIONS = 100
KEEP_SECONDS = 60 * 86400
# How long after a write a file's times may still stay the same at the next write:
# a tick of the kernel's clock (a few milliseconds), or of a file system that keeps
# whole seconds (FAT keeps two).
FINE_TICK_NS = 50_000_000
COARSE_TICK_NS = 2_000_000_000
_TABLES = """
create table if not exists meta (name text primary key, value text not null);
create table if not exists notes (
    key text primary key, note_id integer not null, note_type text not null,
    file text not null, deck text not null, md text not null, anki text not null,
    tags text not null, block text not null, row text not null
);
create index if not exists notes_file on notes (file);
create table if not exists files (
    name text primary key, fingerprint text not null, deck text not null,
    stat text not null default ''
);
create table if not exists generations (
    token text primary key, parent text, created real not null
);
create table if not exists undo_log (token text not null, key text not null, base text);
create index if not exists undo_log_token on undo_log (token);
"""
_COLUMNS = "key, note_id, note_type, file, deck, md, anki, tags, block, row"


@dataclass(frozen=True)
class FileMark:
    """A file as the last sync left it: the fingerprint of its bytes, its deck, and
    its size and times (see `stat_mark`), by which it is known unchanged unread."""

    fingerprint: str
    deck: str
    stat: str = ""


def stat_mark(status: os.stat_result, now_ns: int) -> str:
    """A file's size, times and inode, which any write changes; "" while a write could
    still leave them as they are: within a tick of the file system's clock of `now_ns`
    (taken before the file was looked at). Whole-second times tell of a coarse clock."""
    changed = max(status.st_mtime_ns, status.st_ctime_ns)
    coarse = status.st_mtime_ns % 1_000_000_000 == 0
    if now_ns - changed < (COARSE_TICK_NS if coarse else FINE_TICK_NS):
        return ""
    return f"{status.st_mtime_ns}:{status.st_ctime_ns}:{status.st_size}:{status.st_ino}"


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


_encode = json.JSONEncoder().encode


def _stored(values: Mapping[str, str]) -> str:
    if isinstance(values, _Fingerprints):
        return values.stored
    plain = values if isinstance(values, dict) else dict(values)
    # orjson (Anki's dependency) takes a tenth of json's time, 40,000 times in a first
    # import of 20,000 notes; json writes what it refuses (a lone surrogate in a name).
    try:
        return orjson.dumps(plain).decode("utf-8")
    except orjson.JSONEncodeError:
        return _encode(plain)


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
    # Schema 2 lacked the generation tables, which the script above just made, and
    # schema 3 the files' stat column.
    if row is None or int(row[0]) in (2, 3):
        columns = {c[1] for c in connection.execute("pragma table_info(files)")}
        if "stat" not in columns:
            connection.execute("alter table files add column stat text not null default ''")
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


def _chunks(values: list[str], size: int = 500) -> Iterator[list[str]]:
    """Few enough values for one statement (SQLite's older builds allow 999)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _marks(values: list[str]) -> str:
    return ", ".join("?" * len(values))


def _difference(
    before: Mapping[str, BaseNote], after: Mapping[str, BaseNote]
) -> tuple[list[str], list[str]]:
    """Keys whose base is new or another object in `after`, and keys `after` lacks.
    Unchanged notes carry the very object that was read, so identity is enough."""
    changed = [key for key, base in after.items() if before.get(key) is not base]
    return changed, [key for key in before if key not in after]


class SyncState:
    """The bases of one folder and one collection. `bases` are those the sync may
    trust for the collection it sees, once `trust` has been told its marker.

    The head's bases are read when first asked for, whole, or (`scope`) only those of
    some files: a sync that knows the rest unchanged reads and saves only these."""

    def __init__(self, folder: Path, collection_id: int) -> None:
        _prepare_dir(folder)
        self.path = state_path(folder, collection_id)
        self.reset_reason: str | None = None
        self._head: dict[str, BaseNote] | None = None
        self._scope: dict[str, BaseNote] | None = None
        self._earlier: dict[str, BaseNote] | None = None  # rebuilt by `trust`
        self._files: dict[str, FileMark] | None = None
        try:
            self._db = _open(self.path)
            # Walks every page of the notes' smallest index: a damaged file shows now,
            # while it can still be set aside, rather than halfway through a sync.
            self._db.execute("select count() from notes").fetchone()
        except sqlite3.DatabaseError as exc:
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            self.path.replace(aside)
            self.reset_reason = (
                f"the sync state was unreadable ({exc}); it was moved to {aside.name} "
                "and rebuilt from the note keys"
            )
            self._db = _open(self.path)
        # Names this state's marker in the collection: states of other folders, or of
        # the same folder on another machine, keep markers of their own.
        self.state_id = self._meta("state_id") or secrets.token_hex(8)
        self._set_meta("state_id", self.state_id)
        self._parent = self.head
        self._scratch: Path | None = None

    @classmethod
    def scratch_copy(cls, folder: Path, collection_id: int) -> SyncState:
        """A copy of the folder's state in a folder of its own, removed on `close`: a dry
        run uses it as a sync uses the real one, and the folder is never touched."""
        scratch = Path(tempfile.mkdtemp(prefix="context-connect-plan-"))
        source = state_path(folder, collection_id)
        if source.exists():
            target = state_path(scratch, collection_id)
            target.parent.mkdir()
            # sqlite's own copy: consistent even while a sync elsewhere writes it.
            with sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True) as original:
                copy = sqlite3.connect(target)
                original.backup(copy)
                copy.close()
            original.close()
        state = cls(scratch, collection_id)
        state._scratch = scratch
        return state

    @property
    def head_bases(self) -> dict[str, BaseNote]:
        """Every base the last sync left."""
        if self._head is None:
            rows = self._db.execute(f"select {_COLUMNS} from notes")
            self._head = {row[0]: _base(row) for row in rows}
        return self._head

    @property
    def bases(self) -> dict[str, BaseNote]:
        """The bases this sync compares against: an earlier generation's, the head's
        bases of the files in scope, or all of the head's."""
        if self._earlier is not None:
            return self._earlier
        return self._scope if self._scope is not None else self.head_bases

    def scope(self, unchanged: Collection[str]) -> dict[str, BaseNote]:
        """Only the head's bases outside the `unchanged` files become `bases`, and only
        they are saved; the rest stays as it is."""
        files = [row[0] for row in self._db.execute("select distinct file from notes")]
        wanted = [name for name in files if name not in unchanged]
        self._scope = {}
        for chunk in _chunks(wanted):
            rows = self._db.execute(
                f"select {_COLUMNS} from notes where file in ({_marks(chunk)})", chunk
            )
            self._scope.update((row[0], _base(row)) for row in rows)
        return self._scope

    def holds_any(self, keys: Iterable[str]) -> bool:
        """Whether any of the keys has a base, in scope or not."""
        query = "select 1 from notes where key in ({})"
        return any(
            self._db.execute(query.format(_marks(chunk)), chunk).fetchone()
            for chunk in _chunks(list(keys))
        )

    def count(self) -> int:
        """How many notes the bases hold, whichever part of them was read."""
        if self._scope is None:
            return len(self.bases)
        return int(self._db.execute("select count() from notes").fetchone()[0])

    def _meta(self, name: str) -> str | None:
        row = self._db.execute("select value from meta where name = ?", (name,)).fetchone()
        return str(row[0]) if row else None

    def _set_meta(self, name: str, value: str | None) -> None:
        if self._meta(name) == value:  # each write is made durable: not for nothing
            return
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
        self._earlier = earlier if earlier is not None else {}
        return Trust.UNKNOWN if earlier is None else Trust.EARLIER

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
        self, bases: dict[str, BaseNote], files: Mapping[str, FileMark], generation: str | None
    ) -> None:
        """Write the bases (of the scope, if one was set) and the settled files in one
        transaction: a crash keeps the old state whole. Unchanged notes carry the very
        object that was read.

        With a `generation` (from `begin`), the bases it replaced go to its undo log,
        and it becomes the head."""
        before = self._scope if self._scope is not None else self.head_bases
        changed, gone = _difference(before, bases)
        known_files = self.files()
        with self._db:
            self._db.execute("begin")
            self._db.executemany("delete from notes where key = ?", [(key,) for key in gone])
            self._db.executemany(
                "insert or replace into notes values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_row(bases[key]) for key in changed],
            )
            self._db.executemany(
                "delete from files where name = ?",
                [(name,) for name in known_files if name not in files],
            )
            self._db.executemany(
                "insert or replace into files values (?, ?, ?, ?)",
                [
                    (name, mark.fingerprint, mark.deck, mark.stat)
                    for name, mark in files.items()
                    if known_files.get(name) != mark
                ],
            )
            if generation is not None:
                self._record(generation, bases)
        self._files = dict(files)
        if self._scope is not None:
            self._scope = dict(bases)
            self._head = None
        else:
            self._head = dict(bases)
        self._earlier = None

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

    def files(self) -> dict[str, FileMark]:
        """The files the last sync left settled, by name."""
        if self._files is None:
            rows = self._db.execute("select name, fingerprint, deck, stat from files")
            self._files = {name: FileMark(fp, deck, stat) for name, fp, deck, stat in rows}
        return self._files

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
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
