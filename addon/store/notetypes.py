"""Our note types in a collection: created on first use, then found by stored id."""

from __future__ import annotations

from anki.collection import Collection
from anki.models import NotetypeDict, NotetypeId

from ..core.notetypes import (
    CONFIG_KEY,
    EARLIER_LOOKS,
    LOOK_KEY,
    SPECS,
    NoteTypeSpec,
    card_css,
    look_fingerprint,
)
from ..core.stock import stock_field_position, stock_kind
from .internal_fields import mark_internal


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
    notetype[LOOK_KEY] = look_fingerprint(notetype["css"], spec.front, spec.back)
    mark_internal(notetype)
    added = models.get(NotetypeId(models.add_dict(notetype).id))
    # As stored (fields with their ids): saving the dict built here again would make
    # Anki take its fields for new ones and empty the templates' references to them.
    assert added is not None
    return added


def _upgrade(col: Collection, notetype: NotetypeDict, spec: NoteTypeSpec) -> None:
    """Fields added by a newer version of the add-on are appended; nothing is removed.
    The look follows the add-on's while the user has not changed it."""
    present = set(col.models.field_names(notetype))
    missing = [name for name in spec.fields if name not in present]
    for name in missing:
        col.models.add_field(notetype, col.models.new_field(name))
    restyled = _restyle(notetype, spec)
    if mark_internal(notetype) or missing or restyled:
        col.models.update_dict(notetype)


def _restyle(notetype: NotetypeDict, spec: NoteTypeSpec) -> bool:
    if len(notetype["tmpls"]) != 1:
        return False
    (template,) = notetype["tmpls"]
    current = look_fingerprint(notetype["css"], template["qfmt"], template["afmt"])
    shipped = look_fingerprint(card_css(), spec.front, spec.back)
    if current == shipped or (current != notetype.get(LOOK_KEY) and current not in EARLIER_LOOKS):
        return False  # up to date, or the user's own look
    notetype["css"] = card_css()
    template["qfmt"], template["afmt"] = spec.front, spec.back
    notetype[LOOK_KEY] = shipped
    return True


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


def find_notetype(col: Collection, name: str) -> NotetypeDict | None:
    """By exact name, else an English stock name matched by stock kind (any language)."""
    found = col.models.by_name(name)
    if found is not None:
        return found
    kind = stock_kind(name)
    if kind is None:
        return None
    candidates = [nt for nt in col.models.all() if nt.get("originalStockKind") == kind]
    return min(candidates, key=lambda nt: nt["id"]) if candidates else None


def field_name(col: Collection, notetype: NotetypeDict, name: str) -> str | None:
    """The note type's own name for field `name` (or its English stock name)."""
    names = col.models.field_names(notetype)
    if name in names:
        return name
    folded = {own.casefold(): own for own in names}
    if name.casefold() in folded:  # AnkiConnect matches field names ignoring case
        return folded[name.casefold()]
    position = stock_field_position(int(notetype.get("originalStockKind", 0)), name)
    return names[position] if position is not None and position < len(names) else None
