"""A note type of the collection as the adoption reads it (by its name in Anki)."""

from __future__ import annotations

from anki.collection import Collection

from ..core.adopt import AnkiNoteType


def anki_note_type(col: Collection, name: str) -> AnkiNoteType | None:
    found = col.models.by_name(name)
    if found is None:
        return None
    return AnkiNoteType(
        name=found["name"],
        fields=tuple(col.models.field_names(found)),
        templates=tuple((t["name"], t["qfmt"], t["afmt"]) for t in found["tmpls"]),
        css=found["css"],
        is_cloze=bool(found["type"]),
    )


def note_type_names(col: Collection) -> list[str]:
    return sorted(n.name for n in col.models.all_names_and_ids())
