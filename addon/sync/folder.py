"""The Markdown folder on disk: its note types and deck files, read with every
problem reported as `file:line: reason` and confined to what it breaks."""

from __future__ import annotations

import fnmatch
import os
import stat
import time
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..core.deck_files import SUFFIX, deck_for_file_name
from ..core.deck_text import DeckText, parse_deck_text
from ..core.note_keys import fingerprint_bytes
from ..core.note_type_defs import NoteTypeDef, NoteTypeError, check_set, parse_note_type
from ..core.paths import OutsideFolder, read_inside
from ..core.starter_note_types import FILES as STARTER_FILES
from ..core.vault_text import VaultText
from ..store.sync_state import STATE_DIR, FileMark, stat_mark

NOTE_TYPES_DIR = "note_types"
MEDIA_DIR = "media"
# A repository's documents, not decks (AnkiOps skips the same names).
NOT_DECKS = frozenset(
    name + SUFFIX
    for name in ("readme", "changelog", "code_of_conduct", "contributing", "funding", "license",
                 "security", "support")
)  # fmt: skip
IGNORE_FILE = ".ccignore"
# Names of the files already reported as ignored, so each is listed once.
REPORTED_IGNORED = "ignored.txt"


def folder_problem(folder: Path) -> str | None:
    """Why the Markdown folder cannot be used, or None when it can."""
    if not folder.exists():
        return f"Markdown folder {folder} does not exist: create it or choose another"
    if not folder.is_dir():
        return f"Markdown folder {folder} is not a folder"
    if not os.access(folder, os.R_OK | os.X_OK):
        return f"Markdown folder {folder} is not readable: check its permissions"
    return None


class NoteTypesInvalid(ValueError):
    """note_types/ cannot be used; nothing may be synced until it is fixed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def write_starter_note_types(folder: Path) -> bool:
    """A folder without note_types/ gets the starter set; an existing one is never touched."""
    target = folder / NOTE_TYPES_DIR
    if target.exists():
        return False
    for name, text in STARTER_FILES.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return True


def load_note_types(folder: Path) -> list[NoteTypeDef]:
    root = folder / NOTE_TYPES_DIR
    definitions: list[NoteTypeDef] = []
    problems: list[str] = []
    for yaml_path in sorted(root.glob("*/note_type.yaml")):
        source = str(yaml_path.relative_to(folder))

        def read(name: str, base: str = str(yaml_path.parent.relative_to(folder))) -> str:
            return read_inside(folder, base, name).decode("utf-8")

        try:
            text = read(yaml_path.name)
            definitions.append(parse_note_type(text, source, read, yaml_path.parent.name))
        except NoteTypeError as exc:
            problems.append(str(exc))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{source}: cannot be read: {exc}")
    problems += check_set(definitions)
    if problems:
        raise NoteTypesInvalid(problems)
    if not definitions:
        raise NoteTypesInvalid([f"{NOTE_TYPES_DIR}/ defines no note type (*/note_type.yaml)"])
    return definitions


@dataclass(frozen=True)
class Listed:
    """A file of the folder, as listed before it is read."""

    path: str
    name: str  # its path inside the folder, as the sync state knows it
    stat: str  # see stat_mark; "" for a link, which is always read


def listed(path: str, name: str, now_ns: int) -> Listed:
    try:
        status = os.lstat(path)
    except OSError:  # gone since it was listed: reading it will say so
        return Listed(path, name, "")
    return Listed(path, name, "" if stat.S_ISLNK(status.st_mode) else stat_mark(status, now_ns))


def unchanged_files(files: list[Listed], previous: Mapping[str, FileMark]) -> dict[str, FileMark]:
    """The files whose size and times are those the last sync saw: left unread."""
    return {
        f.name: mark
        for f in files
        if f.stat and (mark := previous.get(f.name)) is not None and mark.stat == f.stat
    }


class NotRead(Exception):
    """A sync that left files unread (known unchanged) found it needs one of them: it
    starts over and reads them all. Raised before anything is written."""


@dataclass
class DeckFile:
    path: Path
    deck: str  # the front matter's deck:, else the file name's
    parsed: DeckText | VaultText | None  # None: as the last sync left it, parsed on demand
    raw: bytes  # as read, so a write can tell whether the file changed meanwhile
    parse: Callable[[], DeckText | VaultText] = field(
        repr=False, default=lambda: DeckText("", None)
    )
    fingerprint: str = ""  # of `raw`
    stat: str = ""  # as listed before it was read; "" once the sync wrote it

    @property
    def name(self) -> str:
        """The file's name as the sync state knows it: its path inside the folder."""
        return self.path.name

    @property
    def unchanged(self) -> bool:
        return self.parsed is None

    @property
    def text(self) -> DeckText | VaultText:
        if self.parsed is None:
            self.parsed = self.parse()
        return self.parsed


@dataclass
class FolderContent:
    note_types: list[NoteTypeDef]
    files: list[DeckFile] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "file:line: reason"
    unreadable: set[str] = field(default_factory=set)  # files that could not be read
    hints: list[str] = field(default_factory=list)  # "file:line: advice", never errors
    ignored: list[str] = field(default_factory=list)  # .md files that hold no note
    skipped: dict[str, FileMark] = field(default_factory=dict)  # unchanged files, unread

    def read(self, name: str, read: Callable[[], bytes]) -> tuple[bytes, str] | None:
        """A file's bytes and text; None, with the reason reported, when it cannot be
        read (the notes it holds are then protected from deletion)."""
        try:
            data = read()
            return data, data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            problem = f"{name}:{line}: not valid UTF-8 (byte {exc.start}): save the file as UTF-8"
        except OutsideFolder as exc:
            problem = f"{name}:1: not read: {exc}"
        except OSError as exc:
            problem = f"{name}:1: cannot be read: {exc.strerror or exc}"
        self.errors.append(problem)
        self.unreadable.add(name)
        return None


def ignore_patterns(folder: Path) -> list[str]:
    """The `.ccignore` file's patterns (gitignore style: `#` comments, `!` negates)."""
    try:
        lines = (folder / IGNORE_FILE).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def is_ignored(name: str, patterns: list[str]) -> bool:
    ignored = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        if fnmatch.fnmatchcase(name, pattern.removeprefix("!").strip("/")):
            ignored = not negated
    return ignored


def deck_file_paths(folder: Path) -> list[Path]:
    patterns = ignore_patterns(folder)
    return sorted(
        p
        for p in folder.glob(f"*{SUFFIX}")
        if p.is_file() and p.name.lower() not in NOT_DECKS and not is_ignored(p.name, patterns)
    )


def list_deck_files(folder: Path) -> list[Listed]:
    now_ns = time.time_ns()
    return [listed(str(path), path.name, now_ns) for path in deck_file_paths(folder)]


def holds_no_note(text: DeckText, raw: str) -> bool:
    """Prose, a README: text, but no field label and no note key anywhere in it. (A
    file left with nothing but separators is an emptied deck file: its notes were
    deleted.)"""
    no_label = all(
        p.reason.startswith(("note has no field label", "unknown label")) for p in text.problems
    )
    prose = any(line.strip().strip("-") for line in raw.splitlines())
    return prose and not text.notes and no_label and "note_key:" not in raw


def ignored_notices(folder: Path, ignored: list[str]) -> list[str]:
    """One line per ignored file, the first time it is seen (remembered in the state
    folder): a README is not an error at every sync."""
    record = folder / STATE_DIR / REPORTED_IGNORED
    try:
        reported = set(record.read_text(encoding="utf-8").splitlines())
    except OSError:
        reported = set()
    new = [name for name in ignored if name not in reported]
    if set(ignored) != reported and record.parent.is_dir():
        record.write_text("".join(f"{name}\n" for name in sorted(ignored)), encoding="utf-8")
    return [
        f"{name}: ignored, not a deck file (no note labels in it); add it to {IGNORE_FILE} "
        "to leave it out without this notice"
        for name in new
    ]


def load_folder(
    folder: Path, known: Container[str] = (), note_types: list[NoteTypeDef] | None = None,
    previous: Mapping[str, FileMark] | None = None, files: list[Listed] | None = None,
    skip: Mapping[str, FileMark] | None = None,
) -> FolderContent:  # fmt: skip
    """Every deck file; a file that cannot be read or a note that cannot be parsed is
    reported and skipped, the rest loads. Blocks in `known` are left unparsed, and so
    are files whose bytes are those `previous` (the last sync) saw, until asked; files
    in `skip` are not read at all."""
    content = FolderContent(note_types if note_types is not None else load_note_types(folder))
    content.skipped = dict(skip or {})
    types = content.note_types
    for entry in list_deck_files(folder) if files is None else files:
        name = entry.name
        if name in content.skipped:
            continue
        read = content.read(name, partial(read_inside, folder, name))
        if read is None:
            continue
        data, raw = read

        def parse(raw: str = raw) -> DeckText:
            return parse_deck_text(raw, types, known)

        path = Path(entry.path)
        fingerprint = fingerprint_bytes(data)
        same = (previous or {}).get(name)
        if same is not None and same.fingerprint == fingerprint:
            content.files.append(
                DeckFile(path, same.deck, None, data, parse, fingerprint, entry.stat)
            )
            continue
        text = parse()
        if holds_no_note(text, raw):
            content.ignored.append(name)
            continue
        content.errors += [f"{name}:{p.line}: {p.reason}" for p in text.problems]
        deck = text.deck or deck_for_file_name(name)
        content.files.append(DeckFile(path, deck, text, data, parse, fingerprint, entry.stat))
    return content
