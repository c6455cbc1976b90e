"""Note types as the folder defines them: `note_types/<Name>/note_type.yaml`.

The format is AnkiOps', in both its versions:
- 0.5: `name:`, fields with `prefix: "Q:"` and `is_identifying:`;
- 0.6: no `name:` (the folder is the name), fields with `label:` and `identifying:`,
  `styling:` a file or a list of files (joined), `templates:` optional
  (`Front.template.anki` / `Back.template.anki`, then `Front2…`/`Back2…`), and AnkiOps'
  own key field `AnkiOps Key` (our key lives in `note_key`).
Both have templates (files next to the YAML, or inline), CSS and `is_cloze`. The YAML
files are the single source of truth; only note types defined there are managed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import yaml

from .note_keys import fingerprint
from .templates import SPECIAL_FIELDS, front_problem, marker_fields

LABEL = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
# The hidden field that holds a note's key in Anki; no template shows it.
KEY_FIELD = "note_key"
# AnkiOps 0.6 keeps a note's key in this field (last, added to every note type it
# defines). Note types of a 0.6 YAML keep theirs there too, so ankiops and this sync
# share the note types and the keys of one collection, with no field to add or remove.
ANKIOPS_KEY_FIELD = "AnkiOps Key"


# `note_key: guid` in a note_type.yaml: the key is Anki's own note guid, so a note
# type adopted from a collection keeps exactly its fields (no full AnkiWeb upload).
GUID_KEY = "guid"


def key_field_of(field_names: Sequence[str]) -> str | None:
    """The field that holds the key in a note type the sync manages: its last one, or
    None when it has none and the key is the note's guid (an adopted note type)."""
    last = field_names[-1] if field_names else ""
    return last if last in (KEY_FIELD, ANKIOPS_KEY_FIELD) else None


class NoteTypeError(ValueError):
    """A note type file that cannot be used; says which file and why."""


@dataclass(frozen=True)
class FieldDef:
    name: str
    label: str  # without the colon: "Q"
    identifying: bool


@dataclass(frozen=True)
class TemplateDef:
    name: str
    front: str
    back: str


@dataclass(frozen=True)
class NoteTypeDef:
    name: str
    fields: tuple[FieldDef, ...]
    templates: tuple[TemplateDef, ...]
    css: str
    is_cloze: bool
    source: str  # the YAML file, for messages
    key_field: str | None = KEY_FIELD  # the last field in Anki; None: the note's guid

    # Cached: the parser asks for every note of a 20,000-note folder.
    @cached_property
    def labels(self) -> dict[str, str]:
        return {f.label: f.name for f in self.fields}

    @cached_property
    def identifying(self) -> frozenset[str]:
        return frozenset(f.label for f in self.fields if f.identifying)

    def field_for_label(self, label: str) -> FieldDef:
        return next(f for f in self.fields if f.label == label)


def _label(raw: object, where: str) -> str:
    text = str(raw or "").strip()
    text = text[:-1] if text.endswith(":") else text
    if not LABEL.match(text):
        raise NoteTypeError(
            f"{where}: label {raw!r} must be a letter, then letters, digits, _ or -, "
            "and a colon, like 'Q:'"
        )
    return text


def _template_text(value: object, read: Callable[[str], str], where: str) -> str:
    text = str(value or "")
    # A single line without markers names a file next to the YAML (AnkiOps' layout).
    if text and "\n" not in text and "{{" not in text:
        try:
            return read(text.strip())
        except OSError as exc:
            raise NoteTypeError(f"{where}: cannot read template file {text}: {exc}") from None
    return text


def _load_yaml(text: str, source: str) -> dict[str, object]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise NoteTypeError(
            f"{source}{line}: not valid YAML: {getattr(exc, 'problem', exc)}"
        ) from None
    if not isinstance(data, dict):
        raise NoteTypeError(f"{source}: must be a mapping with fields and templates")
    return data


def _fields(raw_fields: object, source: str) -> list[FieldDef]:
    """Fields in either version's spelling: `prefix`/`is_identifying` (0.5) or
    `label`/`identifying` (0.6). AnkiOps' key field is its own bookkeeping: skipped."""
    if not isinstance(raw_fields, list) or not raw_fields:
        raise NoteTypeError(f"{source}: 'fields' must be a non-empty list")
    fields: list[FieldDef] = []
    for index, raw in enumerate(raw_fields):
        where = f"{source}: fields[{index}]"
        if not isinstance(raw, dict) or not str(raw.get("name") or "").strip():
            raise NoteTypeError(f"{where}: needs a name and a label")
        name = str(raw["name"]).strip()
        if name == ANKIOPS_KEY_FIELD:
            continue
        label = raw["label"] if "label" in raw else raw.get("prefix")
        if label is None:
            raise NoteTypeError(
                f"{where}: field {name!r} has no label; every field needs one "
                "(label: \"X:\") to be written in the deck files"
            )
        identifying = raw["identifying"] if "identifying" in raw else raw.get("is_identifying")
        fields.append(FieldDef(name, _label(label, where), bool(identifying)))
    return fields


def _templates(
    data: dict[str, object], read: Callable[[str], str], source: str
) -> list[TemplateDef]:
    raw_templates = data.get("templates")
    if raw_templates is None:
        return _default_templates(bool(data.get("is_cloze")), read, source)
    if not isinstance(raw_templates, list) or not raw_templates:
        raise NoteTypeError(f"{source}: 'templates' must be a non-empty list")
    templates = []
    for index, raw in enumerate(raw_templates):
        where = f"{source}: templates[{index}]"
        if not isinstance(raw, dict):
            raise NoteTypeError(f"{where}: needs name, front and back")
        templates.append(
            TemplateDef(
                str(raw.get("name") or f"Card {index + 1}"),
                _template_text(raw.get("front"), read, where),
                _template_text(raw.get("back"), read, where),
            )
        )
    return templates


def _default_templates(
    is_cloze: bool, read: Callable[[str], str], source: str
) -> list[TemplateDef]:
    """AnkiOps 0.6 without `templates:`: Front/Back.template.anki, then numbered pairs."""
    first = "Cloze" if is_cloze else "Card 1"
    templates = [
        TemplateDef(
            first,
            _template_text("Front.template.anki", read, source),
            _template_text("Back.template.anki", read, source),
        )
    ]
    number = 2
    while True:
        pair: list[str | None] = []
        for side in ("Front", "Back"):
            try:
                pair.append(read(f"{side}{number}.template.anki"))
            except OSError:
                pair.append(None)
        if pair == [None, None]:
            return templates
        if None in pair:
            missing = "Back" if pair[1] is None else "Front"
            raise NoteTypeError(f"{source}: {missing}{number}.template.anki is missing")
        templates.append(TemplateDef(f"Card {number}", pair[0] or "", pair[1] or ""))
        number += 1


def _styling(data: dict[str, object], read: Callable[[str], str], source: str) -> str:
    """`styling:` names a file or a list of files (AnkiOps joins them with a blank
    line); `css:` holds CSS inline."""
    styling = data.get("styling")
    if not styling:
        return str(data.get("css") or "")
    names = styling if isinstance(styling, list) else [styling]
    parts = []
    for index, name in enumerate(names):
        if not isinstance(name, str) or not name.strip():
            raise NoteTypeError(f"{source}: styling[{index}] must be a file name")
        parts.append(_template_text(name, read, f"{source}: styling"))
    return "\n\n".join(parts)


def _key_field(data: dict[str, object], source: str) -> str | None:
    keyed = data.get("note_key")
    if keyed is not None and keyed != GUID_KEY:
        raise NoteTypeError(f"{source}: note_key must be {GUID_KEY!r} (or left out), got {keyed!r}")
    if keyed == GUID_KEY:
        return None
    return KEY_FIELD if data.get("name") else ANKIOPS_KEY_FIELD


def parse_note_type(
    text: str, source: str, read: Callable[[str], str], folder_name: str = ""
) -> NoteTypeDef:
    """`read(name)` returns a file next to the YAML (templates, styling); a YAML
    without `name:` (AnkiOps 0.6) is named after its folder, `folder_name`."""
    data = _load_yaml(text, source)
    name = str(data.get("name") or folder_name).strip()
    if not name:
        raise NoteTypeError(f"{source}: 'name' is missing")
    fields = _fields(data.get("fields"), source)
    _no_duplicates([f.name for f in fields], f"{source}: field name")
    if any(f.name == KEY_FIELD for f in fields):
        raise NoteTypeError(f"{source}: field name {KEY_FIELD!r} is reserved for the note key")
    _no_duplicates([f.label for f in fields], f"{source}: label")
    if not any(f.identifying for f in fields):
        raise NoteTypeError(f"{source}: at least one field needs identifying: true")
    templates = _templates(data, read, source)
    _no_duplicates([t.name for t in templates], f"{source}: template name")
    definition = NoteTypeDef(
        name, tuple(fields), tuple(templates), _styling(data, read, source),
        bool(data.get("is_cloze")), source, _key_field(data, source),
    )  # fmt: skip
    _check_template_fields(definition)
    return definition


def _no_duplicates(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise NoteTypeError(f"{what} {value!r} appears twice")
        seen.add(value)


def _check_template_fields(definition: NoteTypeDef) -> None:
    known = {f.name for f in definition.fields} | SPECIAL_FIELDS
    for template in definition.templates:
        names = [f.name for f in definition.fields]
        if problem := front_problem(template.front, names, definition.is_cloze):
            raise NoteTypeError(f"{definition.source}: template {template.name!r}: {problem}")
        for side in (template.front, template.back):
            for name in marker_fields(side):
                if name not in known:
                    raise NoteTypeError(
                        f"{definition.source}: template {template.name!r} uses field "
                        f"{{{{{name}}}}}, which the note type does not define"
                    )


def check_set(definitions: Iterable[NoteTypeDef]) -> list[str]:
    """Problems between note types: the same name, or the same identifying labels
    (a note could not be told apart)."""
    problems: list[str] = []
    by_name: dict[str, NoteTypeDef] = {}
    by_identity: dict[frozenset[str], NoteTypeDef] = {}
    for definition in definitions:
        if definition.name in by_name:
            problems.append(
                f"{definition.source}: note type {definition.name!r} is also defined in "
                f"{by_name[definition.name].source}"
            )
        by_name[definition.name] = definition
        other = by_identity.get(definition.identifying)
        if other is not None:
            labels = ", ".join(sorted(definition.identifying))
            problems.append(
                f"{definition.source}: identifying labels ({labels}) are the same as "
                f"{other.name}'s in {other.source}: notes could not be told apart"
            )
        by_identity[definition.identifying] = definition
    return problems


def recognise(labels: Iterable[str], definitions: Iterable[NoteTypeDef]) -> NoteTypeDef | None:
    """The note type of a note with these labels: one that has all of them, with the
    most of its identifying labels used (then the fewest identifying labels)."""
    used = set(labels)
    candidates = [d for d in definitions if used <= set(d.labels) and used & d.identifying]
    if not candidates:
        return None
    return max(candidates, key=lambda d: (len(used & d.identifying), -len(d.identifying)))


def definitions_fingerprint(definitions: Iterable[NoteTypeDef]) -> str:
    """Changes when any label could read differently: names, labels, identity, cloze."""
    shape = [
        (d.name, d.is_cloze, [(f.name, f.label, f.identifying) for f in d.fields])
        for d in sorted(definitions, key=lambda d: d.name)
    ]
    return fingerprint(repr(shape))
