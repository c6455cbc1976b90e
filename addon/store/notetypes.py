"""Our note types in a collection: created on first use, then found by stored id."""

from __future__ import annotations

from anki.collection import Collection
from anki.models import NotetypeDict, NotetypeId

from ..core.notetypes import CONFIG_KEY, SPECS, NoteTypeSpec, card_css


def _create(col: Collection, spec: NoteTypeSpec) -> NotetypeDict:
    models = col.models
    notetype = models.new(spec.name)
    if spec.is_cloze:
        notetype["type"] = 1  # MODEL_CLOZE
    for name in spec.fields:
        models.add_field(notetype, models.new_field(name))
    template = models.new_template("Cloze" if spec.is_cloze else "Card 1")
    template["qfmt"] = spec.front
    template["afmt"] = spec.back
    models.add_template(notetype, template)
    notetype["css"] = card_css()
    notetype["sortf"] = spec.fields.index(spec.sort_field)
    notetype["id"] = models.add_dict(notetype).id
    return notetype


def _upgrade(col: Collection, notetype: NotetypeDict, spec: NoteTypeSpec) -> None:
    """Fields added by a newer version of the add-on are appended; nothing is removed."""
    present = set(col.models.field_names(notetype))
    missing = [name for name in spec.fields if name not in present]
    if missing:
        for name in missing:
            col.models.add_field(notetype, col.models.new_field(name))
        col.models.update_dict(notetype)


def note_types(col: Collection) -> dict[str, NotetypeDict]:
    """Our note types by kind ('basic', 'cloze'), created when missing."""
    stored: dict[str, int] = dict(col.get_config(CONFIG_KEY, {}) or {})
    found: dict[str, NotetypeDict] = {}
    for kind, spec in SPECS.items():
        existing = col.models.get(NotetypeId(stored[kind])) if kind in stored else None
        if existing is None:
            existing = _create(col, spec)
            stored[kind] = int(existing["id"])
        else:
            _upgrade(col, existing, spec)
        found[kind] = existing
    if stored != col.get_config(CONFIG_KEY, {}):
        col.set_config(CONFIG_KEY, stored)
    return found


def existing_note_types(col: Collection) -> dict[str, NotetypeDict]:
    """Our note types that exist now, without creating any (for read-only requests)."""
    stored: dict[str, int] = dict(col.get_config(CONFIG_KEY, {}) or {})
    found = {}
    for kind, notetype_id in stored.items():
        notetype = col.models.get(NotetypeId(notetype_id))
        if notetype is not None and kind in SPECS:
            found[kind] = notetype
    return found
