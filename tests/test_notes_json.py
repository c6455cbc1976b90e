"""export-json / import-json: the folder's notes as one JSON document for batch edits,
applied back through the files and the normal two-way sync (conflicts kept, nothing
lost, one undo entry in Anki)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from addon.sync.engine import UNDO_LABEL
from tests.conftest import Served
from tests.test_cli import cli

DECKS, PER_DECK = 10, 100


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "cards"
    folder.mkdir()
    for deck in range(DECKS):
        notes = [f"Q: question {deck}-{i}\nA: answer {deck}-{i}\n" for i in range(PER_DECK)]
        (folder / f"Deck{deck}.md").write_text("\n---\n\n".join(notes))
    return folder


def test_a_thousand_notes_round_trip_with_edits_on_every_side(
    serve: Callable[..., Served], tmp_path: Path
) -> None:
    served = serve()
    col = served.col
    folder = _folder(tmp_path)
    port = str(served.port)
    exported = tmp_path / "notes.json"
    result = cli("export-json", "--folder", str(folder), "--port", port, "--output", str(exported))
    assert result.returncode == 0, result.stderr
    document = json.loads(exported.read_text())
    notes = document["notes"]
    assert len(notes) == DECKS * PER_DECK == len(col.find_notes(""))
    assert all(n["key"] for n in notes)
    assert document["note_types"]["MarkdownQA"]["labels"]["Q"] == "Question"

    # The document: 100 answers rewritten, 5 notes added.
    for note in notes[:100]:
        note["fields"]["Answer"] += " (checked)"
    notes += [
        {"key": None, "note_type": "MarkdownQA", "deck": "Deck3", "tags": ["new"],
         "fields": {"Question": f"added {i}", "Answer": "by a script"}}
        for i in range(5)
    ]  # fmt: skip
    exported.write_text(json.dumps(document))
    # Meanwhile: the file changes a field the document changes too (a conflict) and
    # another field of a note the document changes (merged); Anki changes a third note.
    deck0 = folder / "Deck0.md"
    deck0.write_text(
        deck0.read_text()
        .replace("A: answer 0-0\n", "A: answer 0-0, edited in the file\n")
        .replace("Q: question 0-99\n", "Q: question 0-99, edited in the file\n")
    )
    in_anki = col.get_note(col.find_notes('"Question:question 5-5"')[0])
    in_anki["Answer"] = "answer 5-5, edited in Anki"
    col.update_note(in_anki)

    result = cli("import-json", str(exported), "--folder", str(folder), "--port", port, "--json")
    assert result.returncode == 0, result.stderr
    # 100 notes rewritten in the files, one of them holding both versions.
    assert "100 updated, 5 added, 1 conflicts kept" in result.stderr
    summary = json.loads(result.stdout)
    # 99 edited notes reach Anki; the conflicting one waits for the user.
    assert summary["anki"]["updated"] == 99 and summary["anki"]["created"] == 5
    assert summary["markdown"]["updated"] == 1  # Anki's edit, written to its file
    assert col.undo_status().undo == UNDO_LABEL  # one step for the whole import
    text = deck0.read_text()
    assert "answer 0-0 (checked)" in text and "answer 0-0, edited in the file" in text
    assert "<<<<<<< JSON" in text
    assert "Q: question 0-99, edited in the file\nA: answer 0-99 (checked)" in text
    merged = col.get_note(col.find_notes('"Question:question 0-99, edited in the file"')[0])
    assert merged["Answer"] == "answer 0-99 (checked)"
    assert len(col.find_notes('"Answer:*(checked)"')) == 99
    assert len(col.find_notes("tag:new")) == 5
    assert "answer 5-5, edited in Anki" in (folder / "Deck5.md").read_text()
    assert len(col.find_notes("")) == DECKS * PER_DECK + 5


def test_a_bad_document_imports_nothing(serve: Callable[..., Served], tmp_path: Path) -> None:
    served = serve()
    folder = _folder(tmp_path)
    exported = tmp_path / "notes.json"
    port = str(served.port)
    assert cli("export-json", "--folder", str(folder), "--port", port, "--deck", "Deck1",
               "--output", str(exported)).returncode == 0  # fmt: skip
    document = json.loads(exported.read_text())
    assert {n["deck"] for n in document["notes"]} == {"Deck1"}
    document["notes"][0]["fields"]["Answer"] = "changed"
    document["notes"][3]["note_type"] = "Nope"
    document["notes"][4]["fields"] = {"Answer": 5}
    exported.write_text(json.dumps(document))
    before = {p.name: p.read_bytes() for p in folder.glob("*.md")}
    result = cli("import-json", str(exported), "--folder", str(folder), "--port", port)
    assert result.returncode == 1
    assert "$.notes[3].note_type: 'Nope' is not a note type of the folder" in result.stderr
    assert "$.notes[4].fields: must be an object of strings" in result.stderr
    assert {p.name: p.read_bytes() for p in folder.glob("*.md")} == before


def test_export_and_import_on_a_collection_file(
    empty_collection_file: Path, tmp_path: Path
) -> None:
    folder = _folder(tmp_path)
    collection = tmp_path / "own.anki2"
    shutil.copy(empty_collection_file, collection)
    common = ["--folder", str(folder), "--collection", str(collection), "--port", "1"]
    exported = cli("export-json", "--deck", "Deck2", *common)
    assert exported.returncode == 0, exported.stderr
    document = json.loads(exported.stdout)
    document["notes"][0]["fields"]["Answer"] = "answer, edited by a script"
    (tmp_path / "notes.json").write_text(json.dumps(document))
    imported = cli("import-json", str(tmp_path / "notes.json"), *common, "--json")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["anki"]["updated"] == 1
    assert "A: answer, edited by a script" in (folder / "Deck2.md").read_text()
