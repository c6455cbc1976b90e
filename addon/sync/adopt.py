"""Adopt note types the collection already has: write their `note_type.yaml` into the
folder, so the next sync exports their notes into deck files and keeps them in sync
both ways, keyed by each note's guid (no field is added: no full AnkiWeb upload)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from anki.collection import Collection

from ..core.adopt import folder_name, labels_for, note_type_files
from ..core.note_type_defs import ANKIOPS_KEY_FIELD, KEY_FIELD
from ..core.notetypes import KEY_FIELD as CARDS_KEY_FIELD
from ..store.adoptable import anki_note_type, note_type_names
from .files import write_atomic
from .folder import NOTE_TYPES_DIR, load_note_types

# Fields that show a note type is already someone's: the folder sync's, AnkiOps', or
# the card API's.
MANAGED_FIELDS = (KEY_FIELD, ANKIOPS_KEY_FIELD, CARDS_KEY_FIELD)


class AdoptError(ValueError):
    """Nothing was written; says which note type and why."""


def adoptable_names(col: Collection) -> list[str]:
    """The collection's note types that nothing syncs yet."""
    return [
        name
        for name in note_type_names(col)
        if (found := anki_note_type(col, name)) is not None
        and not any(f in MANAGED_FIELDS for f in found.fields)
    ]


def adopt_note_types(col: Collection, folder: Path, names: Sequence[str]) -> list[str]:
    """Write `note_types/<Name>/` for each note type named; returns their names. Every
    name is checked before anything is written."""
    root = folder / NOTE_TYPES_DIR
    existing = load_note_types(folder) if root.is_dir() else []
    defined = {d.name for d in existing}
    taken = {label for d in existing for label in d.labels}
    folders = [p.name for p in root.iterdir()] if root.is_dir() else []
    planned: list[tuple[str, str, dict[str, str]]] = []
    for name in dict.fromkeys(names):
        note_type = anki_note_type(col, name)
        if note_type is None:
            known = ", ".join(note_type_names(col))
            raise AdoptError(f"the collection has no note type {name!r} (it has: {known})")
        if name in defined:
            raise AdoptError(f"{name!r} is already defined in {NOTE_TYPES_DIR}/")
        managed = [f for f in note_type.fields if f in MANAGED_FIELDS]
        if managed:
            raise AdoptError(f"{name!r} is already synced (it has the field {managed[0]!r})")
        target = folder_name(name, folders)
        folders.append(target)
        files = note_type_files(note_type, labels_for(note_type, taken))
        planned.append((name, target, files))
    for _, target, files in planned:
        (root / target).mkdir(parents=True)
        for file_name, text in files.items():
            write_atomic(root / target / file_name, text.encode("utf-8"))
    return [name for name, _, _ in planned]
