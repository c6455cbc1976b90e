"""Parsing and rendering a deck folder, and writing it back, against raw add_notes of as
many notes: the sync's own text work, without the collection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from anki.collection import AddNoteRequest, Collection
from anki.decks import DeckId

from addon.core.deck_text import DEFAULT_SEPARATOR, format_note
from addon.core.markdown import render
from addon.sync.folder import load_folder
from tools.bench.measure import timed
from tools.bench.samples import markdown_folder


def raw_add_seconds(path: Path, count: int) -> float:
    """The yardstick: `col.add_notes` of as many plain notes, in one call."""
    raw = Collection(str(path))
    basic = raw.models.by_name("Basic")
    assert basic is not None

    def raw_add() -> None:
        requests = []
        for i in range(count):
            note = raw.new_note(basic)
            note["Front"], note["Back"] = f"Plain question number {i}", f"Plain answer {i}"
            requests.append(AddNoteRequest(note, DeckId(1)))
        raw.add_notes(requests)

    try:
        return timed(raw_add)
    finally:
        raw.close()


def bench_markdown(work: Path, notes: int, files: int) -> dict[str, Any]:
    """Parse and render a folder, write it back; against raw add_notes of as many notes."""
    folder = work / "folder"
    folder.mkdir()
    markdown_folder(folder, notes, files)
    rendered: list[str] = []
    loaded: list[Any] = []

    def parse_and_render() -> None:
        content = load_folder(folder)
        assert not content.errors, content.errors[:3]
        loaded.append(content)
        rendered.extend(
            render(v) for d in content.files for n in d.text.notes for v in n.fields.values()
        )

    parse_s = timed(parse_and_render)
    content = loaded[0]
    count = sum(len(d.text.notes) for d in content.files)
    out = work / "written"
    out.mkdir()

    def write_back() -> None:
        for deck in content.files:
            blocks = [format_note(n.key, n.tags, n.note_type, n.fields) for n in deck.text.notes]
            (out / deck.path.name).write_text(DEFAULT_SEPARATOR.join(blocks), encoding="utf-8")

    write_s = timed(write_back)
    raw_s = raw_add_seconds(work / "raw-md.anki2", count)
    return {
        "notes": count,
        "files": files,
        "fields_rendered": len(rendered),
        "parse_render_notes_per_s": round(count / parse_s),
        "parse_render_time_vs_raw_add_notes": round(parse_s / raw_s, 2),
        "write_back_notes_per_s": round(count / write_s),
        "write_back_time_vs_raw_add_notes": round(write_s / raw_s, 2),
        "raw_add_notes_s": round(raw_s, 3),
    }
