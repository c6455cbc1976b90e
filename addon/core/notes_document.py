"""One JSON document for a deck or a whole folder, for batch edits by a script or an
LLM: every note with its key, type, deck, tags and fields as Markdown, and the
fingerprints of the fields as exported, so an import can tell what the document
changed from what changed in the files meanwhile (both kept, as a conflict)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .note_keys import fingerprint
from .note_type_defs import NoteTypeDef

FORMAT = "context-connect/notes"
VERSION = 1


class DocumentError(ValueError):
    """A document that cannot be imported; `problems` says where (JSON path) and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class DocNote:
    key: str | None
    note_type: str
    deck: str
    file: str | None
    tags: tuple[str, ...]
    fields: dict[str, str]
    base: dict[str, str] | None  # field (and "tags") → fingerprint as exported
    where: str  # JSON path, for messages


def tags_fingerprint(tags: Sequence[str]) -> str:
    return fingerprint(" ".join(sorted(tags)))


def note_entry(
    key: str | None, note_type: str, deck: str, file: str, tags: Sequence[str],
    fields: Mapping[str, str],
) -> dict[str, Any]:  # fmt: skip
    base = {name: fingerprint(value) for name, value in fields.items()}
    base["tags"] = tags_fingerprint(tags)
    return {
        "key": key, "note_type": note_type, "deck": deck, "file": file, "tags": list(tags),
        "fields": dict(fields), "base": base,
    }  # fmt: skip


def document(types: Sequence[NoteTypeDef], notes: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "note_types": {
            t.name: {"fields": [f.name for f in t.fields], "labels": t.labels} for t in types
        },
        "notes": notes,
    }


def _text_map(value: object, where: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        problems.append(f"{where}: must be an object of strings")
        return {}
    return dict(value)


def read_document(data: object, types: Mapping[str, NoteTypeDef]) -> list[DocNote]:
    """The document's notes, or DocumentError naming every problem by its JSON path."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DocumentError([f"$: not a {FORMAT} document (export one with export-json)"])
    if data.get("version") != VERSION:
        raise DocumentError([f"$.version: must be {VERSION}, got {data.get('version')!r}"])
    raw_notes = data.get("notes")
    if not isinstance(raw_notes, list):
        raise DocumentError(["$.notes: must be a list"])
    problems: list[str] = []
    notes: list[DocNote] = []
    for index, raw in enumerate(raw_notes):
        where = f"$.notes[{index}]"
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be an object")
            continue
        definition = types.get(str(raw.get("note_type")))
        if definition is None:
            problems.append(
                f"{where}.note_type: {raw.get('note_type')!r} is not a note type of the folder"
            )
            continue
        fields = _text_map(raw.get("fields"), f"{where}.fields", problems)
        unknown = sorted(set(fields) - {f.name for f in definition.fields})
        if unknown:
            problems.append(f"{where}.fields: {definition.name} has no field {unknown[0]!r}")
        tags = raw.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
            problems.append(f"{where}.tags: must be a list of tags")
            tags = []
        key, deck, file = raw.get("key"), raw.get("deck"), raw.get("file")
        if key is not None and (not isinstance(key, str) or not key.strip()):
            problems.append(f"{where}.key: must be a note key or null")
        if not isinstance(deck, str) or not deck.strip():
            problems.append(f"{where}.deck: must be a deck name")
        if file is not None and not isinstance(file, str):
            problems.append(f"{where}.file: must be a file name or null")
        base = raw.get("base")
        base_map = _text_map(base, f"{where}.base", problems) if base is not None else None
        notes.append(
            DocNote(key, definition.name, str(deck), file, tuple(t.strip() for t in tags),
                    fields, base_map, where)
        )  # fmt: skip
    if problems:
        raise DocumentError(problems)
    return notes
