"""Counts shown by the status endpoint and page, and by the question before a first sync."""

from __future__ import annotations

from collections.abc import Sequence

from anki.collection import Collection

from ..core.note_type_defs import KEY_FIELD


def collection_counts(col: Collection) -> dict[str, int]:
    return {
        "notes": col.note_count(),
        "cards": col.card_count(),
        "decks": len(col.decks.all_names_and_ids(include_filtered=False)),
    }


def markdown_note_count(col: Collection) -> int:
    """Notes of the Markdown folder's note types (they carry a note_key field): the
    notes a first sync writes into deck files."""
    return len(col.find_notes(f'"{KEY_FIELD}:*"'))


def notes_of_types(col: Collection, names: Sequence[str]) -> int:
    """Notes of the named note types: what adopting them writes into deck files."""
    ids = [int(nt["id"]) for name in names if (nt := col.models.by_name(name)) is not None]
    return len(col.find_notes(" OR ".join(f"mid:{i}" for i in ids))) if ids else 0
