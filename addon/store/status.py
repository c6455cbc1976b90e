"""Counts shown by the status endpoint and page."""

from __future__ import annotations

from anki.collection import Collection


def collection_counts(col: Collection) -> dict[str, int]:
    return {
        "notes": col.note_count(),
        "cards": col.card_count(),
        "decks": len(col.decks.all_names_and_ids(include_filtered=False)),
    }
