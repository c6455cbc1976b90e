"""Deck packages (.apkg) in and out."""

from __future__ import annotations

from pathlib import Path

from anki.collection import (
    Collection,
    DeckIdLimit,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)

from .decks import existing_deck_id


def export_deck(col: Collection, deck: str, path: str, include_scheduling: bool) -> bool:
    deck_id = existing_deck_id(col, deck)
    target = Path(path).expanduser()
    if not target.parent.is_dir():
        raise ValueError(f"cannot export to {path}: folder {target.parent} does not exist")
    options = ExportAnkiPackageOptions(
        with_scheduling=include_scheduling,
        with_deck_configs=include_scheduling,
        with_media=True,
        legacy=True,
    )
    col.export_anki_package(out_path=str(target), options=options, limit=DeckIdLimit(deck_id))
    return True


def import_package(col: Collection, path: str) -> bool:
    """`path` is taken relative to the media folder, as AnkiConnect documents."""
    source = Path(col.media.dir()) / Path(path).expanduser()
    if not source.is_file():
        raise ValueError(f"no package at {source}")
    col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(source),
            options=ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True),
        )
    )
    return True
