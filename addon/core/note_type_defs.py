"""Note types as the folder defines them: `note_types/<Name>/note_type.yaml`.

The format is AnkiOps': a name, fields with their labels (`prefix: "Q:"`) and
whether they identify the type, templates (files next to the YAML, or inline), CSS
(`styling:` file), and `is_cloze`. The YAML files are the single source of truth;
only note types defined there are managed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

import yaml

from .note_keys import fingerprint
from .templates import SPECIAL_FIELDS, marker_fields

LABEL = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
# The hidden field that holds a note's key in Anki; no template shows it.
KEY_FIELD = "note_key"


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
            f"{where}: prefix {raw!r} must be letters and digits and a colon, like 'Q:'"
        )
    return text


def _template_text(value: object, read: Callable[[str], str], where: str) -> str:
    text = str(value or "")
    # A single line without markers names a file next to the YAML (AnkiOps' layout).
    if text and "\n" not in text and "{{" not in text:
        try:
            return read(text)
        except OSError as exc:
            raise NoteTypeError(f"{where}: cannot read template file {text}: {exc}") from None
    return text


def parse_note_type(text: str, source: str, read: Callable[[str], str]) -> NoteTypeDef:
    """`read(name)` returns a file next to the YAML (templates, styling)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise NoteTypeError(
            f"{source}{line}: not valid YAML: {getattr(exc, 'problem', exc)}"
        ) from None
    if not isinstance(data, dict):
        raise NoteTypeError(f"{source}: must be a mapping with name, fields and templates")
    name = str(data.get("name") or "").strip()
    if not name:
        raise NoteTypeError(f"{source}: 'name' is missing")
    raw_fields = data.get("fields")
    if not isinstance(raw_fields, list) or not raw_fields:
        raise NoteTypeError(f"{source}: 'fields' must be a non-empty list")
    fields: list[FieldDef] = []
    for index, raw in enumerate(raw_fields):
        where = f"{source}: fields[{index}]"
        if not isinstance(raw, dict) or not str(raw.get("name") or "").strip():
            raise NoteTypeError(f"{where}: needs a name and a prefix")
        fields.append(
            FieldDef(
                str(raw["name"]).strip(),
                _label(raw.get("prefix"), where),
                bool(raw.get("is_identifying", False)),
            )
        )
    _no_duplicates([f.name for f in fields], f"{source}: field name")
    if any(f.name == KEY_FIELD for f in fields):
        raise NoteTypeError(f"{source}: field name {KEY_FIELD!r} is reserved for the note key")
    _no_duplicates([f.label for f in fields], f"{source}: label")
    if not any(f.identifying for f in fields):
        raise NoteTypeError(f"{source}: at least one field needs is_identifying: true")
    raw_templates = data.get("templates")
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
    _no_duplicates([t.name for t in templates], f"{source}: template name")
    styling = data.get("styling")
    css = (
        _template_text(styling, read, f"{source}: styling")
        if styling
        else str(data.get("css") or "")
    )
    definition = NoteTypeDef(
        name, tuple(fields), tuple(templates), css, bool(data.get("is_cloze")), source
    )
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
