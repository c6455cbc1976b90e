"""The sync's generation marker, kept inside the collection.

Each sync that changes anything leaves a fresh token in the collection's config, as
part of its own undo entry. Whatever moves the collection back behind the sync's
back (Edit ▸ Undo, an AnkiWeb download, a restored backup, an older file copied over)
takes the token back with everything else, so the next sync can tell which of its
generations the collection really is at, and never trusts bases it has left behind.
"""

from __future__ import annotations

from anki.collection import Collection

_KEY = "context_connect_sync_generation_{}"


def read_marker(col: Collection, state_id: str) -> str | None:
    value = col.get_config(_KEY.format(state_id), None)
    return value if isinstance(value, str) else None


def write_marker(col: Collection, state_id: str, token: str) -> None:
    """Undoable, so that undoing the sync takes the marker back with the notes."""
    col.set_config(_KEY.format(state_id), token, undoable=True)
