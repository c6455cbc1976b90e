"""`export-json` and `import-json`: the folder's notes as one JSON document, and an
edited document applied back to the deck files. The import only edits files; the sync
that follows carries the changes to Anki by the usual two-way rules.

A field the document changed is written to the file, unless the file changed it too
since the export: then both are kept as a conflict record. A note the document adds
(no key) is appended to its deck's file. Nothing is deleted: a note missing from the
document stays as it is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.conflicts import record
from ..core.deck_files import file_name_for_deck
from ..core.deck_text import DeckText, Note, append_block, format_note, replace_block
from ..core.note_keys import fingerprint
from ..core.notes_document import (
    DocNote,
    document,
    note_entry,
    read_document,
    tags_fingerprint,
)
from .files import replace_text
from .folder import DeckFile, load_folder


def export_notes(folder: Path, decks: Sequence[str] = ()) -> tuple[dict[str, Any], list[str]]:
    """The document, and the problems of notes that could not be read (left out)."""
    content = load_folder(folder)
    wanted = set(decks)
    entries = []
    for deck_file in content.files:
        if wanted and not any(
            deck_file.deck == d or deck_file.deck.startswith(d + "::") for d in wanted
        ):
            continue
        for note in deck_file.text.notes:
            fields = {f.name: note.fields.get(f.name, "") for f in note.note_type.fields}
            entries.append(
                note_entry(note.key, note.note_type.name, deck_file.deck, deck_file.path.name,
                           note.tags, fields)
            )  # fmt: skip
    return document(content.note_types, entries), content.errors


@dataclass
class ImportResult:
    updated: int = 0
    created: int = 0
    conflicts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # files written


def _merge(doc: DocNote, current: Note, result: ImportResult, where: str) -> tuple[
    dict[str, str], list[str]
]:  # fmt: skip
    fields: dict[str, str] = {}
    for definition in current.note_type.fields:
        name = definition.name
        now = current.fields.get(name, "")
        if name not in doc.fields:
            fields[name] = now
            continue
        wanted = doc.fields[name]
        base = doc.base.get(name) if doc.base is not None else None
        doc_changed = base is None or fingerprint(wanted) != base
        file_changed = base is None or fingerprint(now) != base
        if not doc_changed or wanted == now:
            fields[name] = now
        elif not file_changed:
            fields[name] = wanted
        else:
            fields[name] = record(wanted, "JSON", now, "Markdown")
            result.conflicts.append(f"{where}: {name}: changed in the file since the export")
    tags_base = doc.base.get("tags") if doc.base is not None else None
    tags = list(current.tags)
    if tags_fingerprint(doc.tags) != tags_base and set(doc.tags) != set(tags):
        if tags_base is None or tags_fingerprint(tags) != tags_base:
            tags += [t for t in doc.tags if t not in tags]  # both changed: keep all
        else:
            tags = list(doc.tags)
    return fields, tags


def _target(doc: DocNote, files: dict[str, DeckFile]) -> str:
    """The file a new note goes to: the one named, else its deck's, else a new one."""
    if doc.file is not None and doc.file in files and files[doc.file].deck == doc.deck:
        return doc.file
    return next(
        (name for name, f in files.items() if f.deck == doc.deck), file_name_for_deck(doc.deck)
    )


def _text(deck_file: DeckFile) -> DeckText:
    """A deck file's text (a document holds deck files' notes, never a vault's)."""
    text = deck_file.text
    assert isinstance(text, DeckText)
    return text


def import_notes(folder: Path, data: object) -> ImportResult:
    """Apply the document to the deck files; a bad document writes nothing."""
    content = load_folder(folder)
    types = {t.name: t for t in content.note_types}
    notes = read_document(data, types)
    files = {f.path.name: f for f in content.files}
    where_is: dict[str, tuple[DeckFile, int]] = {}
    for deck_file in content.files:
        for index, block in enumerate(_text(deck_file).blocks):
            if block.note is not None and block.note.key:
                where_is[block.note.key] = (deck_file, index)
    result = ImportResult()
    changed: set[str] = set()
    new_files: dict[str, DeckText] = {}
    for doc in notes:
        found = where_is.get(doc.key) if doc.key else None
        if found is None and doc.key:
            result.warnings.append(
                f"{doc.where}: note {doc.key} is no longer in the folder: left out"
            )
            continue
        if found is None:
            definition = types[doc.note_type]
            fields = {f.name: doc.fields.get(f.name, "") for f in definition.fields}
            name = _target(doc, files)
            if name in files:
                changed.add(name)
                target = _text(files[name])
            else:
                target = new_files.setdefault(name, DeckText("", None))
            append_block(target, format_note(None, doc.tags, definition, fields))
            result.created += 1
            continue
        deck_file, index = found
        current = _text(deck_file).blocks[index].note
        assert current is not None
        if current.note_type.name != doc.note_type:
            result.warnings.append(f"{doc.where}: note type differs from the file's: left out")
            continue
        fields, tags = _merge(doc, current, result, f"{deck_file.path.name}:{current.line}")
        before = {f.name: current.fields.get(f.name, "") for f in current.note_type.fields}
        if fields != before or tags != list(current.tags):
            text = format_note(current.key, tags, current.note_type, fields)
            replace_block(_text(deck_file), index, text)
            result.updated += 1
            changed.add(deck_file.path.name)
    for name in sorted(changed):
        replace_text(files[name].path, files[name].raw, files[name].text.text())
        result.files.append(name)
    for name, deck_text in sorted(new_files.items()):
        replace_text(folder / name, None, deck_text.text())
        result.files.append(name)
    return result
