"""Creating and editing note types for AnkiConnect's model actions.

Field and template changes alter the collection's schema (the next AnkiWeb sync is a
full upload); they are marked as such without Anki's confirmation dialog, because
requests run on a background thread, exactly as AnkiConnect clients expect.
"""

from __future__ import annotations

import copy
from typing import Any, cast

from anki.collection import Collection
from anki.models import FieldDict, NotetypeDict, NotetypeId, TemplateDict

from ..core.request_limits import MAX_TEMPLATE_CHARS
from ..core.templates import fields_on_sides
from .notetypes import find_notetype

MODEL_CLOZE = 1


def model(col: Collection, name: str) -> NotetypeDict:
    found = find_notetype(col, name)
    if found is None:
        raise ValueError(f"model was not found: {name}")
    return found


def model_by_id(col: Collection, model_id: int) -> NotetypeDict:
    found = col.models.get(NotetypeId(model_id))
    if found is None:
        raise ValueError(f"model was not found: {model_id}")
    return found


def field(notetype: NotetypeDict, name: str) -> FieldDict:
    for candidate in notetype["flds"]:
        if candidate["name"] == name:
            return cast(FieldDict, candidate)
    raise ValueError(f"field was not found in {notetype['name']}: {name}")


def template(notetype: NotetypeDict, name: str) -> TemplateDict:
    for candidate in notetype["tmpls"]:
        if candidate["name"] == name:
            return cast(TemplateDict, candidate)
    raise ValueError(f"template was not found in {notetype['name']}: {name}")


def _index(notetype: NotetypeDict, key: str, index: Any) -> int:
    """AnkiConnect clients move an item to the end with index = the number of items."""
    count = len(notetype[key])
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= count:
        raise ValueError(f"index must be a whole number from 0 to {count}, got {index!r}")
    return min(index, count - 1)


def _new_template(col: Collection, spec: Any, default_name: str) -> TemplateDict:
    if not isinstance(spec, dict):
        raise ValueError("a card template must be an object with Front and Back")
    new = col.models.new_template(str(spec.get("Name") or default_name))
    new["qfmt"] = str(spec.get("Front", ""))
    new["afmt"] = str(spec.get("Back", ""))
    return new


def create(
    col: Collection,
    name: str,
    fields: list[str],
    templates: list[Any],
    css: str | None,
    is_cloze: bool,
) -> NotetypeDict:
    if col.models.by_name(name) is not None:
        raise ValueError("Model name already exists")
    if not fields:
        raise ValueError("Must provide at least one field for inOrderFields")
    if not templates:
        raise ValueError("Must provide at least one card for cardTemplates")
    models = col.models
    notetype = models.new(name)
    if is_cloze:
        notetype["type"] = MODEL_CLOZE
    for field_name in fields:
        models.add_field(notetype, models.new_field(str(field_name)))
    for position, spec in enumerate(templates, start=1):
        models.add_template(notetype, _new_template(col, spec, f"Card {position}"))
    if css is not None:
        notetype["css"] = css
    created = models.add_dict(notetype)
    return model_by_id(col, int(created.id))


def templates_of(notetype: NotetypeDict) -> dict[str, dict[str, str]]:
    return {t["name"]: {"Front": t["qfmt"], "Back": t["afmt"]} for t in notetype["tmpls"]}


def fields_on_templates(col: Collection, notetype: NotetypeDict) -> dict[str, list[list[str]]]:
    names = col.models.field_names(notetype)
    return {t["name"]: fields_on_sides(t["qfmt"], t["afmt"], names) for t in notetype["tmpls"]}


def update_templates(col: Collection, name: str, templates: dict[str, Any]) -> None:
    notetype = model(col, name)
    for template_name, sides in templates.items():
        target = template(notetype, template_name)
        if "Front" in sides:
            target["qfmt"] = str(sides["Front"])
        if "Back" in sides:
            target["afmt"] = str(sides["Back"])
    col.models.update_dict(notetype)


def update_styling(col: Collection, name: str, css: str) -> None:
    notetype = model(col, name)
    notetype["css"] = str(css)
    col.models.update_dict(notetype)


def find_and_replace(
    col: Collection, name: str, find: str, replace: str, front: bool, back: bool, css: bool
) -> int:
    """In one note type, or in every one when `name` is empty; returns how many changed.
    Every result is checked before any note type is saved, so a refusal changes none."""
    # Copies: the note type manager caches the dicts it hands out, and a refused
    # replacement must leave no half-edited note type behind in that cache.
    targets = [copy.deepcopy(nt) for nt in ([model(col, name)] if name else col.models.all())]
    changed = []
    for notetype in targets:
        before = repr((notetype["tmpls"], notetype["css"]))
        for tmpl in notetype["tmpls"]:
            if front:
                tmpl["qfmt"] = _replaced(tmpl["qfmt"], find, replace)
            if back:
                tmpl["afmt"] = _replaced(tmpl["afmt"], find, replace)
        if css:
            notetype["css"] = _replaced(notetype["css"], find, replace)
        if repr((notetype["tmpls"], notetype["css"])) != before:
            changed.append(notetype)
    for notetype in changed:
        col.models.update_dict(notetype)
    return len(changed)


def _replaced(text: str, find: str, replace: str) -> str:
    """Refused when the result would pass MAX_TEMPLATE_CHARS: a long replacement for
    a common text would otherwise grow a template by gigabytes."""
    grown = len(text) + text.count(find) * (len(replace) - len(find))
    if grown > MAX_TEMPLATE_CHARS:
        raise ValueError(
            f"replaceText: the result would be {grown} characters long; "
            f"a template or style may have at most {MAX_TEMPLATE_CHARS}"
        )
    return text.replace(find, replace)


def _not_the_last(notetype: NotetypeDict, key: str, what: str) -> None:
    if len(notetype[key]) == 1:
        raise ValueError(f"{notetype['name']} has only one {what}: it cannot be removed")


def _schema_change(col: Collection, notetype: NotetypeDict) -> None:
    col.mod_schema(check=False)
    col.models.update_dict(notetype)


def rename_template(col: Collection, name: str, old: str, new: str) -> None:
    notetype = model(col, name)
    template(notetype, old)["name"] = new
    col.models.update_dict(notetype)


def reposition_template(col: Collection, name: str, template_name: str, index: int) -> None:
    notetype = model(col, name)
    target = template(notetype, template_name)
    col.models.reposition_template(notetype, target, _index(notetype, "tmpls", index))
    _schema_change(col, notetype)


def add_template(col: Collection, name: str, spec: Any) -> None:
    notetype = model(col, name)
    default = f"Card {len(notetype['tmpls']) + 1}"
    new = _new_template(col, spec, default)
    for existing in notetype["tmpls"]:
        if existing["name"] == new["name"]:
            # As AnkiConnect: a template of that name gets the new sides instead.
            existing["qfmt"], existing["afmt"] = new["qfmt"], new["afmt"]
            col.models.update_dict(notetype)
            return
    col.models.add_template(notetype, new)
    _schema_change(col, notetype)


def remove_template(col: Collection, name: str, template_name: str) -> None:
    notetype = model(col, name)
    _not_the_last(notetype, "tmpls", "template")
    col.models.remove_template(notetype, template(notetype, template_name))
    _schema_change(col, notetype)


def rename_field(col: Collection, name: str, old: str, new: str) -> None:
    notetype = model(col, name)
    col.models.rename_field(notetype, field(notetype, old), new)
    _schema_change(col, notetype)


def reposition_field(col: Collection, name: str, field_name: str, index: int) -> None:
    notetype = model(col, name)
    target = field(notetype, field_name)
    col.models.reposition_field(notetype, target, _index(notetype, "flds", index))
    _schema_change(col, notetype)


def add_field(col: Collection, name: str, field_name: str, index: int | None) -> None:
    notetype = model(col, name)
    # As AnkiConnect: an existing field is not added again, only moved.
    if field_name in col.models.field_names(notetype):
        new = field(notetype, field_name)
    else:
        new = col.models.new_field(field_name)
        col.models.add_field(notetype, new)
    if index is not None:
        col.models.reposition_field(notetype, new, _index(notetype, "flds", index))
    _schema_change(col, notetype)


def remove_field(col: Collection, name: str, field_name: str) -> None:
    notetype = model(col, name)
    _not_the_last(notetype, "flds", "field")
    col.models.remove_field(notetype, field(notetype, field_name))
    _schema_change(col, notetype)


def set_field_property(col: Collection, name: str, field_name: str, key: str, value: Any) -> None:
    notetype = model(col, name)
    field(notetype, field_name)[key] = value
    col.models.update_dict(notetype)
