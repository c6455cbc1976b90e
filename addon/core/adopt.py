"""A collection's own note type, written as a `note_type.yaml` the folder sync can use:
labels made from the field names, the templates and CSS as files, and `note_key: guid`
so that each note's key is its Anki guid and the note type keeps exactly its fields."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import yaml

from .note_type_defs import GUID_KEY, LABEL

WORD = re.compile(r"[A-Za-z0-9]+")
FOLDER_UNSAFE = re.compile(r"[^\w .()+-]")


@dataclass(frozen=True)
class AnkiNoteType:
    name: str
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str, str], ...]  # name, front, back
    css: str
    is_cloze: bool


def _initials(text: str) -> str:
    words = WORD.findall(text)
    initials = "".join(w[0] for w in words).upper()
    return initials if initials[:1].isalpha() else "F" + initials


def labels_for(note_type: AnkiNoteType, taken: set[str]) -> list[str]:
    """A label per field, none in `taken` (which grows): the field's initials, then
    more of its letters, then prefixed with the note type's initials, then numbered."""
    labels: list[str] = []
    prefix = _initials(note_type.name)
    for field in note_type.fields:
        base = _initials(field)
        letters = "".join(WORD.findall(field)).upper()
        candidates = [base] + [base + letters[len(base) : n] for n in range(len(base) + 1, 4)]
        candidates.append(f"{prefix}_{base}")
        label = next((c for c in candidates if LABEL.match(c) and c not in taken), None)
        number = 2
        while label is None or label in taken:
            label = f"{prefix}_{base}{number}"
            number += 1
        taken.add(label)
        labels.append(label)
    return labels


def folder_name(note_type_name: str, existing: Iterable[str]) -> str:
    """A folder name for the note type (the YAML keeps the exact name)."""
    base = FOLDER_UNSAFE.sub("_", note_type_name).strip(" .") or "Adopted"
    used = set(existing)
    name, number = base, 2
    while name in used:
        name, number = f"{base} {number}", number + 1
    return name


def note_type_files(note_type: AnkiNoteType, labels: Sequence[str]) -> dict[str, str]:
    """File name (inside the note type's folder) → text."""
    files: dict[str, str] = {"Styling.css": note_type.css}
    templates = []
    for index, (name, front, back) in enumerate(note_type.templates, start=1):
        number = "" if index == 1 else str(index)
        files[f"Front{number}.template.anki"] = front
        files[f"Back{number}.template.anki"] = back
        templates.append(
            {"name": name, "front": f"Front{number}.template.anki",
             "back": f"Back{number}.template.anki"}
        )  # fmt: skip
    data = {
        "name": note_type.name,
        "note_key": GUID_KEY,
        "is_cloze": note_type.is_cloze,
        "styling": "Styling.css",
        "templates": templates,
        "fields": [
            {"name": field, "label": f"{label}:", "identifying": True}
            for field, label in zip(note_type.fields, labels)
        ],
    }
    header = (
        "# Adopted from the collection. Each note's key is its Anki guid (note_key: guid),\n"
        "# so the note type keeps exactly its fields. Labels may be changed.\n"
    )
    files["note_type.yaml"] = header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return files
