"""Opening a collection file for headless use, with errors a person can act on."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection
from anki.dbproxy import DBProxy

from .runner import CollectionUnavailable


class CollectionOpenError(RuntimeError):
    pass


def open_collection(path: Path) -> Collection:
    """Open (or create) the collection at `path`."""
    path = path.expanduser()
    if path.suffix != ".anki2":
        raise CollectionOpenError(f"{path}: a collection file must end in .anki2")
    if not path.parent.is_dir():
        raise CollectionOpenError(f"{path}: folder {path.parent} does not exist")
    try:
        return Collection(str(path))
    except Exception as exc:  # the backend raises several DB error types
        reason = str(exc).strip() or type(exc).__name__
        hint = ""
        if "locked" in reason.lower() or "already open" in reason.lower():
            hint = (
                " (Anki has it open: with the add-on's server running in Anki, `sync` goes "
                "through it; otherwise close Anki first)"
            )
        raise CollectionOpenError(f"{path}: cannot open collection: {reason}{hint}") from exc


def database(col: Collection) -> DBProxy:
    if col.db is None:
        raise CollectionUnavailable("the collection is closed")
    return col.db
