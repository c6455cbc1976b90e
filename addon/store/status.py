"""Counts shown by the status endpoint and page."""

from __future__ import annotations

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
