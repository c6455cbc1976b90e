"""The folder's note types in Anki: created from `note_type.yaml`, found by name, and
changed when the YAML changes (fields renamed, added, removed, reordered; templates;
CSS) without losing the content of fields that stay.

Each has one more field, the note key, which no template shows.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field

from anki.collection import Collection
from anki.errors import CardTypeError
from anki.models import NotetypeDict

from ..core.note_type_defs import NoteTypeDef, key_field_of
from .internal_fields import mark_internal
from .model_editing import create, model_by_id


class ForeignNoteType(ValueError):
    """A note type of that name exists in Anki but was not made by the folder sync."""


class NoteTypeRefused(ValueError):
    """Anki would not save the note type (its templates break one of Anki's rules)."""


@dataclass
class TypeChanges:
    created: list[str] = field(default_factory=list)
    full_upload: list[str] = field(default_factory=list)  # needs a one-way AnkiWeb upload
    other: list[str] = field(default_factory=list)  # templates and CSS

    def __bool__(self) -> bool:
        return bool(self.created or self.full_upload or self.other)


def _field_names(definition: NoteTypeDef) -> list[str]:
    key = [definition.key_field] if definition.key_field else []
    return [f.name for f in definition.fields] + key


def _find(col: Collection, definition: NoteTypeDef) -> NotetypeDict | None:
    """The note type of that name. One keyed in either key field will do (a YAML moved
    between AnkiOps' formats renames the key field, with its keys, like any field)."""
    found = col.models.by_name(definition.name)
    if found is None:
        return None
    keyed_in = key_field_of(col.models.field_names(found))
    if definition.key_field is not None and keyed_in is None:
        raise ForeignNoteType(
            f"{definition.source}: Anki already has a note type {definition.name!r} that the "
            "folder sync did not make: rename it in Anki (or rename the note type in the YAML)"
        )
    if definition.key_field is None and keyed_in is not None:
        raise ForeignNoteType(
            f"{definition.source}: note_key: guid, but {definition.name!r} keeps its keys "
            f"in the field {keyed_in!r}: remove note_key: guid"
        )
    return found


def _sync_fields(col: Collection, nt: NotetypeDict, target: list[str], out: TypeChanges) -> None:
    models, name = col.models, nt["name"]
    for index, old in enumerate(list(models.field_names(nt))):
        new = target[index] if index < len(target) else None
        if old not in target and new is not None and new not in models.field_names(nt):
            models.rename_field(nt, models.field_map(nt)[old][1], new)
            out.full_upload.append(f"{name}: field {old!r} renamed to {new!r}")
    for old in [n for n in models.field_names(nt) if n not in target]:
        models.remove_field(nt, models.field_map(nt)[old][1])
        out.full_upload.append(f"{name}: field {old!r} removed (its content is deleted)")
    for new in [n for n in target if n not in models.field_names(nt)]:
        models.add_field(nt, models.new_field(new))
        out.full_upload.append(f"{name}: field {new!r} added")
    if models.field_names(nt) != target:
        for index, wanted in enumerate(target):
            models.reposition_field(nt, models.field_map(nt)[wanted][1], index)
        out.full_upload.append(f"{name}: fields reordered")


def _sync_templates(
    col: Collection, nt: NotetypeDict, definition: NoteTypeDef, out: TypeChanges
) -> None:
    models, name = col.models, nt["name"]
    wanted = [t.name for t in definition.templates]
    for index, template in enumerate(nt["tmpls"]):
        new = wanted[index] if index < len(wanted) else None
        names = [t["name"] for t in nt["tmpls"]]
        if template["name"] not in wanted and new is not None and new not in names:
            out.other.append(f"{name}: card template {template['name']!r} renamed to {new!r}")
            template["name"] = new
    for template in [t for t in nt["tmpls"] if t["name"] not in wanted]:
        models.remove_template(nt, template)
        out.full_upload.append(f"{name}: card template {template['name']!r} removed")
    for definition_template in definition.templates:
        existing = next((t for t in nt["tmpls"] if t["name"] == definition_template.name), None)
        if existing is None:
            existing = models.new_template(definition_template.name)
            models.add_template(nt, existing)
            out.full_upload.append(f"{name}: card template {definition_template.name!r} added")
        if (existing["qfmt"], existing["afmt"]) != (
            definition_template.front,
            definition_template.back,
        ):
            existing["qfmt"], existing["afmt"] = definition_template.front, definition_template.back
            out.other.append(f"{name}: card template {definition_template.name!r} changed")
    if [t["name"] for t in nt["tmpls"]] != wanted:
        for index, template_name in enumerate(wanted):
            template = next(t for t in nt["tmpls"] if t["name"] == template_name)
            models.reposition_template(nt, template, index)
        out.full_upload.append(f"{name}: card templates reordered")


def _changed(col: Collection, nt: NotetypeDict, definition: NoteTypeDef) -> TypeChanges:
    """`nt` (a copy) brought in line with the definition, and what that took."""
    out = TypeChanges()
    if bool(nt["type"]) != definition.is_cloze:
        raise ForeignNoteType(
            f"{definition.source}: is_cloze changed, which Anki cannot do to an existing note "
            "type: define a new note type with another name instead"
        )
    _sync_fields(col, nt, _field_names(definition), out)
    _sync_templates(col, nt, definition, out)
    if nt["css"] != definition.css:
        nt["css"] = definition.css
        out.other.append(f"{nt['name']}: styling changed")
    return out


def planned_changes(col: Collection, definitions: Sequence[NoteTypeDef]) -> TypeChanges:
    """What `apply` would change, with nothing changed yet."""
    total = TypeChanges()
    for definition in definitions:
        existing = _find(col, definition)
        if existing is None:
            total.created.append(definition.name)
            continue
        changes = _changed(col, copy.deepcopy(existing), definition)
        total.full_upload += changes.full_upload
        total.other += changes.other
    return total


def existing(col: Collection, definitions: Sequence[NoteTypeDef]) -> dict[str, NotetypeDict]:
    """The folder's note types Anki already has, by name, as they are."""
    found = {d.name: _find(col, d) for d in definitions}
    return {name: nt for name, nt in found.items() if nt is not None}


def apply(col: Collection, definitions: Sequence[NoteTypeDef]) -> dict[str, NotetypeDict]:
    """The folder's note types in Anki, by name, created or updated to match."""
    found: dict[str, NotetypeDict] = {}
    for definition in definitions:
        try:
            found[definition.name] = _apply_one(col, definition)
        except CardTypeError as exc:
            reason = str(exc).replace("<br>", " ").translate({0x2068: None, 0x2069: None})
            raise NoteTypeRefused(
                f"{definition.source}: Anki refuses this note type: {reason}"
            ) from None
    return found


def _apply_one(col: Collection, definition: NoteTypeDef) -> NotetypeDict:
    existing = _find(col, definition)
    if existing is None:
        templates = [
            {"Name": t.name, "Front": t.front, "Back": t.back} for t in definition.templates
        ]
        existing = create(
            col, definition.name, _field_names(definition), templates, definition.css,
            definition.is_cloze,
        )  # fmt: skip
    else:
        changes = _changed(col, existing, definition)
        if changes.full_upload:
            col.mod_schema(check=False)
        if changes:
            col.models.update_dict(existing)
            existing = model_by_id(col, int(existing["id"]))
    if mark_internal(existing):
        col.models.update_dict(existing)
    return existing
