"""Deck packages (.apkg) in and out."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection, DeckIdLimit

from ..core.paths import OutsideFolder, contained
from . import anki_compat
from .decks import existing_deck_id


def _profile_folder(col: Collection) -> Path:
    return Path(col.path).parent


def _confined(col: Collection, what: str, *parts: str) -> Path:
    """For a browser's request: the path, if it stays inside Anki's profile folder
    (the collection's folder, which holds the media folder)."""
    try:
        return contained(_profile_folder(col), *parts)
    except OutsideFolder:
        raise ValueError(
            f"path: a request from a browser (it sends an Origin) may only {what} "
            f"inside Anki's profile folder {_profile_folder(col)}"
        ) from None


def export_deck(
    col: Collection, deck: str, path: str, include_scheduling: bool, browser: bool
) -> bool:
    deck_id = existing_deck_id(col, deck)
    target = Path(path).expanduser()
    if browser:
        target = _confined(col, "export", path)
        if target.suffix.lower() != ".apkg":
            # Anything else there is Anki's own: the collection, its media database.
            raise ValueError("path: a browser's export must be an .apkg file")
    if not target.parent.is_dir():
        raise ValueError(f"cannot export to {path}: folder {target.parent} does not exist")
    anki_compat.export_package(col, str(target), DeckIdLimit(deck_id), include_scheduling)
    return True


def import_package(col: Collection, path: str, browser: bool) -> bool:
    """`path` is taken relative to the media folder, as AnkiConnect documents."""
    source = Path(col.media.dir()) / Path(path).expanduser()
    if browser:
        source = _confined(col, "import", col.media.dir(), path)
    if not source.is_file():
        raise ValueError(f"no package at {source}")
    anki_compat.import_package(col, str(source))
    return True
