"""The Markdown folder format: deck file names, note types in YAML, deck files with
their notes, and every malformed input reported with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from addon.core.deck_files import deck_for_file_name, file_name_for_deck
from addon.core.deck_text import append_block, format_note, parse_deck_text
from addon.core.note_type_defs import NoteTypeError, parse_note_type
from addon.sync.folder import (
    NoteTypesInvalid,
    load_folder,
    load_note_types,
    write_starter_note_types,
)


@pytest.mark.parametrize(
    "deck",
    ["Anatomy::Heart", "snake_case", "a__b::_c_", "What?::a/b:c", "Straße::日本語", "50%", "end."],
)
def test_deck_names_and_file_names_map_both_ways(deck: str) -> None:
    name = file_name_for_deck(deck)
    assert not set('<>:"/\\|?*') & set(name[:-3])
    assert deck_for_file_name(name) == deck
    assert file_name_for_deck("Anatomy::Heart") == "Anatomy__Heart.md"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    assert write_starter_note_types(tmp_path)
    assert not write_starter_note_types(tmp_path)  # never over an existing note_types/
    return tmp_path


def test_starter_note_types_load_and_are_told_apart(folder: Path) -> None:
    types = {t.name: t for t in load_note_types(folder)}
    assert set(types) == {"MarkdownQA", "MarkdownCloze", "MarkdownChoice"}
    assert types["MarkdownCloze"].is_cloze
    assert types["MarkdownQA"].labels == {"Q": "Question", "A": "Answer", "E": "Extra", "M": "More"}
    assert "{{FrontSide}}" in types["MarkdownQA"].templates[0].back
    text = parse_deck_text(
        "Q: q\nA: a\n\n---\n\nQ: q\nC1: x\nC2: y\nA: 1\n\n---\n\nT: {{c1::x}}\n",
        list(types.values()),
    )
    assert [n.note_type.name for n in text.notes] == [
        "MarkdownQA",
        "MarkdownChoice",
        "MarkdownCloze",
    ]


def test_a_file_written_by_ankiops(folder: Path) -> None:
    (folder / "AnkiOps Tutorial.md").write_text(
        "Q: Welcome to AnkiOps!\nA: Anki decks ↔ Markdown files\nE: Edit in your editor.\n\n"
        "![](sync_arrows.png)\nM: Neat!\n\n---\n\n"
        "T: AnkiOps supports {{c1::cloze deletions}} and {{c2::clozes}}.\n\n---\n\n"
        "Q: What is this?\nC1: A multiple choice question\nC2: with\nC3: answers.\n"
        "A: 1,3\n\n---\n\n"
        "Q: Code?\nA: Blocks:\n\n```python\ndef truth():\n    print('---')\n```\n"
        "E: *Everything renders.*\n",
        encoding="utf-8",
    )
    content = load_folder(folder)
    assert content.errors == []
    (deck,) = content.files
    assert deck.deck == "AnkiOps Tutorial"
    notes = deck.text.notes
    assert len(notes) == 4
    assert notes[0].fields["Extra"] == "Edit in your editor.\n\n![](sync_arrows.png)"
    assert notes[0].fields["More"] == "Neat!"
    assert "print('---')" in notes[3].fields["Answer"]
    assert deck.text.text() == (folder / "AnkiOps Tutorial.md").read_text()  # byte for byte


def test_separator_inside_a_code_fence_does_not_split(folder: Path) -> None:
    types = load_note_types(folder)
    source = (
        "Q: yaml?\nA: like this:\n\n```yaml\n---\n\n---\n\nkey: v\n```\n\n---\n\nQ: next\nA: n\n"
    )
    text = parse_deck_text(source, types)
    assert len(text.notes) == 2 and "key: v" in text.notes[0].fields["Answer"]
    assert text.text() == source


def test_writer_output_reads_back_the_same(folder: Path) -> None:
    types = {t.name: t for t in load_note_types(folder)}
    qa = types["MarkdownQA"]
    tricky = {
        "Question": "What does `A:` mean?\nA: at a line start",
        "Answer": "text\n\n---\n\nmore after a rule",
        "Extra": "```\nQ: inside a fence stays\n---\n```",
    }
    block = format_note("k-1", ["biology", "cells"], qa, tricky)
    text = parse_deck_text(block, list(types.values()))
    (note,) = text.notes
    assert note.key == "k-1" and note.tags == ["biology", "cells"]
    assert note.fields["Question"] == "What does `A:` mean?\nA\\: at a line start"
    assert note.fields["Answer"] == "text\n\n***\n\nmore after a rule"
    assert note.fields["Extra"] == tricky["Extra"]
    append_block(text, format_note("k-2", [], qa, {"Question": "2", "Answer": "b"}))
    again = parse_deck_text(text.text(), list(types.values()))
    assert [n.key for n in again.notes] == ["k-1", "k-2"]
    assert again.text().startswith(block)  # the first note's bytes are untouched


def test_front_matter_deck_tag_wins_over_the_file_name(folder: Path) -> None:
    (folder / "whatever.md").write_text("---\ntags: [deck:compsci/linux]\n---\nQ: q\nA: a\n")
    (deck,) = load_folder(folder).files
    assert deck.deck == "compsci::linux"
    assert deck.text.notes[0].line == 4


def test_front_matter_tags_that_are_not_words_name_no_deck(folder: Path) -> None:
    for name, tags in (("Number.md", "5"), ("Mapping.md", "{a: b}")):
        (folder / name).write_text(f"---\ntags: {tags}\n---\nQ: q\nA: a\n")
    content = load_folder(folder)
    assert not content.errors
    assert {f.path.name: f.deck for f in content.files} == {
        "Number.md": "Number",
        "Mapping.md": "Mapping",
    }


def test_malformed_notes_are_reported_with_file_and_line_and_the_rest_loads(folder: Path) -> None:
    (folder / "Bad.md").write_text(
        "Q: fine\nA: fine\n\n---\n\n"
        "X: unknown label\n\n---\n\n"
        "Q: twice\nQ: again\n\n---\n\n"
        "just text, no label\n\n---\n\n"
        "T: cloze without a cloze\n\n---\n\n"
        "Q: last\nA: good\n",
        encoding="utf-8",
    )
    (folder / "Latin1.md").write_bytes("Q: caf\xe9\nA: x\n".encode("latin-1"))
    (folder / "Broken front matter.md").write_text("---\ntags: [unclosed\n---\nQ: q\nA: a\n")
    (folder / "Good.md").write_text("Q: other file\nA: still loads\n")
    content = load_folder(folder)
    errors = "\n".join(content.errors)
    assert "Bad.md:6: unknown label X:" in errors
    assert "Bad.md:11: label Q: appears twice" in errors
    assert "Bad.md:15: note has no field label" in errors
    assert "Bad.md:19: MarkdownCloze note has no cloze" in errors
    assert "Latin1.md:1: not valid UTF-8" in errors
    assert "Broken front matter.md:3: front matter is not valid YAML" in errors
    by_name = {f.path.name: f for f in content.files}
    assert [n.fields["Question"] for n in by_name["Bad.md"].text.notes] == ["fine", "last"]
    assert by_name["Good.md"].text.notes[0].fields["Answer"] == "still loads"


def test_invalid_note_type_files_are_rejected_with_file_and_reason(folder: Path) -> None:
    def read(name: str) -> str:
        raise OSError("missing")

    with pytest.raises(NoteTypeError, match="label 'Q' appears twice"):
        parse_note_type(
            'name: X\nfields:\n  - {name: A, prefix: "Q:", is_identifying: true}\n'
            '  - {name: B, prefix: "Q:"}\n'
            'templates:\n  - {name: c, front: "{{A}}", back: "{{B}}"}\n',
            "note_types/X/note_type.yaml",
            read,
        )
    with pytest.raises(NoteTypeError, match=r"uses field \{\{Missing\}\}"):
        parse_note_type(
            'name: X\nfields:\n  - {name: A, prefix: "Z:", is_identifying: true}\n'
            'templates:\n  - {name: c, front: "{{A}}", back: "{{Missing}}"}\n',
            "note_types/X/note_type.yaml",
            read,
        )
    copy = folder / "note_types" / "Copy"
    copy.mkdir()
    (copy / "note_type.yaml").write_text(
        (folder / "note_types" / "MarkdownQA" / "note_type.yaml")
        .read_text()
        .replace("MarkdownQA", "Copy")
    )
    for name in ("Front.template.anki", "Back.template.anki"):
        (copy / name).write_text((folder / "note_types" / "MarkdownQA" / name).read_text())
    with pytest.raises(NoteTypesInvalid, match="could not be told apart"):
        load_note_types(folder)
    (copy / "note_type.yaml").write_text("name: [broken\n")
    with pytest.raises(
        NoteTypesInvalid, match=r"note_types/Copy/note_type.yaml:\d+: not valid YAML"
    ):
        load_note_types(folder)
