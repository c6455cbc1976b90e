"""The two-way folder sync on real collections: every rule, in both directions."""

from __future__ import annotations

import base64
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection
from anki.decks import DeckId
from anki.notes import Note, NoteId

from addon.core.note_type_defs import KEY_FIELD
from addon.sync.engine import UNDO_LABEL, sync_folder
from addon.sync.files import ChangedMeanwhile, replace_text
from addon.sync.options import SyncOptions
from addon.sync.summary import SyncSummary

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
OTHER_PNG = PNG[:-12] + b"\x00" * 12

HEART = """---
title: The heart
---

<!-- note_key: k-heart-1 -->
Q: How many chambers has the heart?
A: **Four**

---

Q: What leaves the left ventricle?
A: The aorta
"""


def sync(col: Collection, folder: Path, **options: Any) -> SyncSummary:
    summary = sync_folder(col, folder, SyncOptions(**options)).summary
    assert not summary.errors, summary.text()
    return summary


def managed(col: Collection) -> dict[str, Note]:
    """Notes of the folder's note types, by key."""
    notes = {}
    for note_id in col.find_notes(""):
        note = col.get_note(note_id)
        if KEY_FIELD in note:
            notes[note[KEY_FIELD]] = note
    return notes


def edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def edit_in_anki(col: Collection, key: str, **fields: str) -> None:
    note = managed(col)[key]
    for name, value in fields.items():
        note[name] = value
    col.update_note(note)


def keys_in(path: Path) -> list[str]:
    return re.findall(r"<!-- note_key: (\S+) -->", path.read_text())


def deck_id(col: Collection, name: str) -> DeckId:
    return DeckId(col.decks.id(name) or 1)


def deck_of(col: Collection, note: Note) -> set[str]:
    return {col.decks.name(card.did) for card in note.cards()}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "notes"
    path.mkdir()
    (path / "Anatomy__Heart.md").write_text(HEART)
    return path


@pytest.fixture
def synced(col: Collection, folder: Path) -> Path:
    first = sync(col, folder)
    assert first.anki.created == 2
    return folder


def test_first_sync_creates_notes_and_writes_new_keys(col: Collection, folder: Path) -> None:
    summary = sync(col, folder)
    assert summary.anki.created == 2 and summary.markdown.created == 0
    assert (folder / "note_types" / "MarkdownQA" / "note_type.yaml").exists()
    assert set(summary.note_types) >= {"MarkdownQA: created", "MarkdownCloze: created"}
    text = (folder / "Anatomy__Heart.md").read_text()
    keys = keys_in(folder / "Anatomy__Heart.md")
    assert keys[0] == "k-heart-1" and len(keys) == 2
    # Only a key line was added: every other byte is where it was.
    assert text.replace(f"<!-- note_key: {keys[1]} -->\n", "") == HEART
    notes = managed(col)
    assert notes["k-heart-1"]["Answer"] == "<strong>Four</strong>"
    assert notes[keys[1]]["Question"] == "What leaves the left ventricle?"
    assert deck_of(col, notes["k-heart-1"]) == {"Anatomy::Heart"}
    again = sync(col, folder)
    assert again.anki.unchanged == again.markdown.unchanged == 2
    assert again.anki.created == again.anki.updated == again.markdown.updated == 0
    assert (folder / ".context-connect" / ".gitignore").read_text().strip().endswith("*")


def test_front_matter_deck_tag_wins_over_the_file_name(col: Collection, folder: Path) -> None:
    (folder / "inbox.md").write_text("---\ntags: [deck:compsci/linux]\n---\nQ: ls?\nA: lists\n")
    sync(col, folder)
    (note,) = [n for n in managed(col).values() if n["Question"] == "ls?"]
    assert deck_of(col, note) == {"compsci::linux"}


def test_edit_in_markdown_updates_anki_in_place_keeping_reviews(
    col: Collection, synced: Path
) -> None:
    note = managed(col)["k-heart-1"]
    card = note.cards()[0]
    card.start_timer()
    col.sched.answerCard(card, 3)
    path = synced / "Anatomy__Heart.md"
    edit_file(path, "**Four**", "**Four**: two atria, two ventricles")
    summary = sync(col, synced)
    assert summary.anki.updated == 1 and summary.markdown.updated == 0
    after = managed(col)["k-heart-1"]
    assert after.id == note.id
    assert after["Answer"] == "<strong>Four</strong>: two atria, two ventricles"
    assert len(col.card_stats_data(card.id).revlog) == 1


def test_edit_in_anki_rewrites_only_that_note(col: Collection, synced: Path) -> None:
    path = synced / "Anatomy__Heart.md"
    before = path.read_text()
    note = managed(col)["k-heart-1"]
    note["Answer"] = "<b>Four</b> chambers<br>and <i>valves</i>"
    note.tags = ["cardio"]
    col.update_note(note)
    summary = sync(col, synced)
    assert summary.markdown.updated == 1 and summary.anki.updated == 0
    text = path.read_text()
    assert "A: **Four** chambers\\\nand *valves*" in text
    assert "<!-- tags: cardio -->" in text
    # The front matter and the other note are untouched, byte for byte.
    assert text.startswith(before.split("<!-- note_key: k-heart-1")[0])
    second = before.index("\n---\n\n<!-- note_key", before.index("k-heart-1"))
    assert text.endswith(before[second:])
    assert sync(col, synced).markdown.updated == 0


def test_both_sides_edit_different_fields_and_the_fields_merge(
    col: Collection, synced: Path
) -> None:
    path = synced / "Anatomy__Heart.md"
    edit_file(path, "How many chambers", "How many chambers (human)")
    edit_in_anki(col, "k-heart-1", Answer="Four")
    summary = sync(col, synced)
    assert not summary.conflicts
    note = managed(col)["k-heart-1"]
    assert note["Question"] == "How many chambers (human) has the heart?"
    assert note["Answer"] == "Four"
    assert "A: Four\n" in path.read_text()


def test_same_field_on_both_sides_is_a_conflict_that_keeps_both(
    col: Collection, synced: Path
) -> None:
    path = synced / "Anatomy__Heart.md"
    edit_file(path, "**Four**", "Four (Markdown)")
    edit_in_anki(col, "k-heart-1", Answer="Four (Anki)")
    summary = sync(col, synced)
    assert summary.anki.conflicts == 1
    assert summary.conflicts and summary.conflicts[0].startswith("Anatomy__Heart.md:5: Answer")
    assert managed(col)["k-heart-1"]["Answer"] == "Four (Markdown)"
    text = path.read_text()
    record = "A:\n<<<<<<< Markdown (applied)\nFour (Markdown)\n=======\nFour (Anki)\n>>>>>>> Anki"
    assert record in text
    # Unresolved, the note is left alone on both sides, and said so.
    note = managed(col)["k-heart-1"]
    note["Question"] = "Chambers?"
    col.update_note(note)
    waiting = sync_folder(col, synced, SyncOptions()).summary
    assert waiting.markdown.conflicts == 1 and "not resolved" in waiting.conflicts[0]
    assert "How many chambers" in path.read_text()
    # The user keeps Anki's side: Anki gets it, and the question edit comes back too.
    resolved = re.sub(
        r"<<<<<<< .*?=======\n(.*?)\n>>>>>>> [^\n]*", r"\1", path.read_text(), flags=re.S
    )
    path.write_text(resolved)
    sync(col, synced)
    note = managed(col)["k-heart-1"]
    assert note["Answer"] == "Four (Anki)"
    assert "Q: Chambers?" in path.read_text()
    assert sync(col, synced).anki.updated == 0


def test_conflict_winner_anki_keeps_ankis_version_in_anki(col: Collection, synced: Path) -> None:
    path = synced / "Anatomy__Heart.md"
    edit_file(path, "**Four**", "Four (Markdown)")
    edit_in_anki(col, "k-heart-1", Answer="Four (Anki)")
    sync(col, synced, winner="anki")
    assert managed(col)["k-heart-1"]["Answer"] == "Four (Anki)"
    assert "<<<<<<< Anki (applied)\nFour (Anki)\n=======\nFour (Markdown)\n" in path.read_text()


def test_note_made_in_anki_is_appended_with_its_key(col: Collection, synced: Path) -> None:
    cloze = col.models.by_name("MarkdownCloze")
    assert cloze is not None
    note = col.new_note(cloze)
    note["Text"] = "The {{c1::sinoatrial node}} sets the pace"
    col.add_note(note, deck_id(col, "Anatomy::Heart"))
    elsewhere = col.new_note(cloze)
    elsewhere["Text"] = "{{c1::Mitochondria}} make ATP"
    col.add_note(elsewhere, deck_id(col, "Biology::Cells"))
    summary = sync(col, synced)
    assert summary.markdown.created == 2
    key = col.get_note(note.id)[KEY_FIELD]
    assert key and key in keys_in(synced / "Anatomy__Heart.md")
    assert (
        "T: The {{c1::sinoatrial node}} sets the pace" in (synced / "Anatomy__Heart.md").read_text()
    )
    assert "{{c1::Mitochondria}}" in (synced / "Biology__Cells.md").read_text()
    assert sync(col, synced).markdown.created == 0


def test_a_note_duplicated_in_anki_becomes_a_new_note(col: Collection, synced: Path) -> None:
    original = managed(col)["k-heart-1"]
    copy = col.new_note(original.note_type())  # type: ignore[arg-type]
    for name in original.keys():  # noqa: SIM118 (a Note is not iterable)
        copy[name] = original[name]  # Anki's "duplicate" copies the key field too
    copy["Question"] = "How many chambers has a fish heart?"
    col.add_note(copy, deck_id(col, "Anatomy::Heart"))
    sync(col, synced)
    assert col.get_note(copy.id)[KEY_FIELD] not in ("", "k-heart-1")
    assert col.get_note(original.id)[KEY_FIELD] == "k-heart-1"
    assert len(keys_in(synced / "Anatomy__Heart.md")) == 3


def test_deletions_both_ways(col: Collection, synced: Path) -> None:
    path = synced / "Anatomy__Heart.md"
    (folder_note,) = [k for k in keys_in(path) if k != "k-heart-1"]
    text = path.read_text()
    path.write_text(text[: text.index("\n---\n\n<!-- note_key: " + folder_note)] + "\n")
    summary = sync(col, synced)
    assert summary.anki.deleted == 1 and folder_note not in managed(col)
    col.remove_notes([managed(col)["k-heart-1"].id])
    summary = sync(col, synced)
    assert summary.markdown.deleted == 1
    assert keys_in(path) == [] and path.read_text().startswith("---\ntitle: The heart\n---\n")


def test_mass_deletion_stops_until_confirmed(col: Collection, folder: Path) -> None:
    (folder / "Many.md").write_text("\n---\n\n".join(f"Q: q{i}\nA: a{i}\n" for i in range(10)))
    sync(col, folder)
    (folder / "Many.md").write_text("")  # emptied by accident
    stopped = sync_folder(col, folder, SyncOptions()).summary
    assert stopped.stopped and "delete 10 of 12" in (stopped.needs_confirmation or "")
    assert len(managed(col)) == 12
    confirmed = sync(col, folder, confirmed=True)
    assert confirmed.anki.deleted == 10 and len(managed(col)) == 2


def test_moves_between_files_and_decks(col: Collection, synced: Path) -> None:
    heart = synced / "Anatomy__Heart.md"
    text = heart.read_text()
    start = text.index("<!-- note_key: k-heart-1")
    block = text[start : text.index("\n---\n\n<!-- note_key", start)]
    heart.write_text(text.replace(block + "\n---\n\n", ""))
    (synced / "Cardiology.md").write_text(block + "\n")
    summary = sync(col, synced)
    assert summary.anki.moved == 1
    assert deck_of(col, managed(col)["k-heart-1"]) == {"Cardiology"}
    # A deck change in Anki moves the note to that deck's file.
    note = managed(col)["k-heart-1"]
    col.set_deck([c.id for c in note.cards()], deck_id(col, "Anatomy::Heart"))
    summary = sync(col, synced)
    assert summary.markdown.moved == 1
    assert "k-heart-1" in keys_in(heart) and "k-heart-1" not in keys_in(synced / "Cardiology.md")


def test_a_deck_renamed_in_anki_renames_its_file(col: Collection, synced: Path) -> None:
    layout = "Q: pulse?\nA: beats\n\n\n---\n\n\nQ: breath?\nA: lungs\n\n"
    (synced / "Physiology.md").write_text(layout)
    sync(col, synced)
    before = (synced / "Physiology.md").read_text()
    deck = col.decks.by_name("Physiology")
    assert deck is not None
    deck["name"] = "Medicine::Physiology"
    col.decks.save(deck)
    summary = sync(col, synced)
    assert summary.files_renamed == ["Physiology.md → Medicine__Physiology.md"]
    assert not (synced / "Physiology.md").exists()
    assert (synced / "Medicine__Physiology.md").read_text() == before  # layout kept
    assert sync(col, synced).markdown.moved == 0


def test_cards_of_one_note_in_different_decks_stay_apart(col: Collection, synced: Path) -> None:
    (synced / "Cloze.md").write_text("<!-- note_key: k-cloze -->\nT: {{c1::one}} {{c2::two}}\n")
    sync(col, synced)
    note = managed(col)["k-cloze"]
    _first, second = sorted(note.cards(), key=lambda c: c.ord)
    col.set_deck([second.id], deck_id(col, "Elsewhere"))
    assert sync(col, synced).markdown.moved == 0  # the note's home is its first card's deck
    (synced / "Cloze.md").rename(synced / "Moved.md")
    sync(col, synced)
    decks = {c.ord: col.decks.name(c.did) for c in managed(col)["k-cloze"].cards()}
    assert decks == {0: "Moved", 1: "Elsewhere"}


def test_tags_merge_as_sets(col: Collection, synced: Path) -> None:
    path = synced / "Anatomy__Heart.md"
    path.write_text(
        path.read_text().replace(
            "<!-- note_key: k-heart-1 -->", "<!-- note_key: k-heart-1 -->\n<!-- tags: a b -->"
        )
    )
    sync(col, synced)
    note = managed(col)["k-heart-1"]
    assert sorted(note.tags) == ["a", "b"]
    note.tags = ["a", "c"]  # Anki removes b, adds c
    col.update_note(note)
    edit_file(path, "<!-- tags: a b -->", "<!-- tags: a b d -->")
    sync(col, synced)
    assert sorted(managed(col)["k-heart-1"].tags) == ["a", "c", "d"]
    assert "<!-- tags: a d c -->" in path.read_text()


def test_images_go_both_ways_once_and_never_collide(col: Collection, synced: Path) -> None:
    (synced / "media").mkdir()
    (synced / "media" / "heart.png").write_bytes(PNG)
    path = synced / "Anatomy__Heart.md"
    path.write_text(
        path.read_text().replace("**Four**", "**Four** ![heart](media/heart.png){width=300}")
    )
    summary = sync(col, synced)
    assert summary.media_imported == 1
    assert managed(col)["k-heart-1"]["Answer"] == (
        '<strong>Four</strong> <img src="heart.png" alt="heart" width="300" />'
    )
    assert (Path(col.media.dir()) / "heart.png").read_bytes() == PNG
    # An image pasted in Anki whose name is taken by a different file in media/.
    (synced / "media" / "paste.png").write_bytes(PNG)
    col.media.write_data("paste.png", OTHER_PNG)
    note = managed(col)["k-heart-1"]
    note["Question"] = 'Which organ? <img src="paste.png">'
    col.update_note(note)
    summary = sync(col, synced)
    assert summary.media_exported == 1
    (exported,) = re.findall(r"!\[\]\(media/(paste-[0-9a-f]{12}\.png)\)", path.read_text())
    assert (synced / "media" / exported).read_bytes() == OTHER_PNG
    assert (synced / "media" / "paste.png").read_bytes() == PNG  # left alone
    assert sync(col, synced).media_imported == 0


def test_only_managed_notes_are_touched(col: Collection, synced: Path) -> None:
    basic = col.models.by_name("Basic")
    assert basic is not None
    other = col.new_note(basic)
    other["Front"] = "mine"
    col.add_note(other, deck_id(col, "Anatomy::Heart"))
    mod = col.get_note(other.id).mod
    summary = sync(col, synced)
    assert summary.markdown.created == 0
    assert col.get_note(other.id).mod == mod
    assert "mine" not in (synced / "Anatomy__Heart.md").read_text()


def test_note_type_changes_from_yaml(col: Collection, synced: Path) -> None:
    yaml_path = synced / "note_types" / "MarkdownQA" / "note_type.yaml"
    yaml_text = yaml_path.read_text()
    (synced / "note_types" / "Styling.css").write_text(".card { color: teal; }\n")
    summary = sync(col, synced)  # CSS only: no full upload, no question asked
    assert "MarkdownQA: styling changed" in summary.note_types
    assert "teal" in (col.models.by_name("MarkdownQA") or {})["css"]
    back = synced / "note_types" / "MarkdownQA" / "Back.template.anki"
    back.write_text(back.read_text().replace("Extra}}", "Notes}}"))
    yaml_path.write_text(
        yaml_text.replace("name: Extra", "name: Notes").replace(
            "  - name: More", '  - name: Source\n    prefix: "S:"\n  - name: More'
        )
    )
    stopped = sync_folder(col, synced, SyncOptions()).summary
    assert stopped.stopped and "one-way upload" in (stopped.needs_confirmation or "")
    assert "Extra" in col.models.field_names(col.models.by_name("MarkdownQA") or {})
    path = synced / "Anatomy__Heart.md"
    note = managed(col)["k-heart-1"]
    note["Extra"] = "kept through the rename"
    col.update_note(note)
    summary = sync(col, synced, confirmed=True)
    names = col.models.field_names(col.models.by_name("MarkdownQA") or {})
    assert names == ["Question", "Answer", "Notes", "Source", "More", KEY_FIELD]
    assert managed(col)["k-heart-1"]["Notes"] == "kept through the rename"
    assert "E: kept through the rename" in path.read_text()


def test_lost_or_corrupt_state_is_rebuilt_from_keys(col: Collection, synced: Path) -> None:
    (state,) = (synced / ".context-connect").glob("state-*.sqlite3")
    state.unlink()
    summary = sync(col, synced)
    assert summary.anki.created == 0 and not summary.conflicts
    assert summary.anki.unchanged == 2
    state.write_bytes(b"this is not a database")
    summary = sync(col, synced)
    assert any("unreadable" in w for w in summary.warnings)
    assert summary.anki.created == summary.anki.deleted == 0 and len(managed(col)) == 2
    sqlite3.connect(state).execute("select count() from notes").fetchone()


def test_bad_input_deletes_nothing(col: Collection, synced: Path) -> None:
    path = synced / "Anatomy__Heart.md"
    edit_file(path, "Q: How many", "X: How many")
    summary = sync_folder(col, synced, SyncOptions()).summary
    assert summary.errors == [
        "Anatomy__Heart.md:6: unknown label X: (known: A:, C1:, C2:, C3:, C4:, C5:, C6:, "
        "C7:, C8:, E:, M:, Q:, T:)"
    ]
    assert "k-heart-1" in managed(col) and summary.anki.deleted == 0
    path.write_bytes(b"Q: caf\xe9\n")
    summary = sync_folder(col, synced, SyncOptions()).summary
    assert summary.errors[0].startswith("Anatomy__Heart.md:1: not valid UTF-8")
    assert len(managed(col)) == 2 and summary.anki.deleted == 0


def test_one_undo_undoes_the_whole_sync(col: Collection, synced: Path) -> None:
    (synced / "More.md").write_text("Q: a\nA: b\n\n---\n\nQ: c\nA: d\n")
    sync(col, synced)
    assert len(managed(col)) == 4
    assert col.undo_status().undo == UNDO_LABEL
    col.undo()
    assert len(managed(col)) == 2


def test_a_file_saved_during_the_sync_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "deck.md"
    path.write_text("Q: old\n")
    with pytest.raises(ChangedMeanwhile):
        replace_text(path, b"Q: older\n", "Q: new\n")
    assert path.read_text() == "Q: old\n"
    replace_text(path, b"Q: old\n", "Q: new\n")
    assert path.read_text() == "Q: new\n" and list(tmp_path.iterdir()) == [path]


def test_crlf_files_keep_their_line_endings(col: Collection, folder: Path) -> None:
    path = folder / "Anatomy__Heart.md"
    path.write_bytes(HEART.replace("\n", "\r\n").encode())
    sync(col, folder)
    data = path.read_bytes()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


def test_a_german_collection(german_col: Collection, folder: Path) -> None:
    sync(german_col, folder)
    note = managed(german_col)["k-heart-1"]
    note["Answer"] = "<b>Vier</b> Kammern"
    german_col.update_note(note)
    sync(german_col, folder)
    assert "A: **Vier** Kammern" in (folder / "Anatomy__Heart.md").read_text()
    assert sync(german_col, folder).anki.unchanged == 2


def test_a_folder_written_by_ankiops(col: Collection, tmp_path: Path) -> None:
    folder = tmp_path / "ankiops"
    (folder / "note_types" / "AnkiOpsQA").mkdir(parents=True)
    (folder / "note_types" / "AnkiOpsQA" / "note_type.yaml").write_text(
        "name: AnkiOpsQA\nstyling: ../Styling.css\ntemplates:\n  - name: Card 1\n"
        "    front: Front.template.anki\n    back: Back.template.anki\nfields:\n"
        '  - name: Question\n    prefix: "Q:"\n    is_identifying: true\n'
        '  - name: Answer\n    prefix: "A:"\n    is_identifying: true\n'
        '  - name: Extra\n    prefix: "E:"\n'
    )
    (folder / "note_types" / "AnkiOpsQA" / "Front.template.anki").write_text("{{Question}}")
    (folder / "note_types" / "AnkiOpsQA" / "Back.template.anki").write_text(
        "{{FrontSide}}<hr id=answer>{{Answer}}"
    )
    (folder / "note_types" / "Styling.css").write_text(".card {}\n")
    (folder / "AnkiOps Tutorial.md").write_text(
        "<!-- note_key: 3f9a1c2b7d4e -->\nQ: Welcome to AnkiOps!\nA: Anki decks ↔ Markdown files\n"
        "E: Edit in your editor.\n\n---\n\n<!-- note_key: 8c1d2e3f4a5b -->\nQ: Second\nA: card\n"
    )
    summary = sync(col, folder)
    assert summary.anki.created == 2 and summary.note_types == ["AnkiOpsQA: created"]
    assert not (folder / "note_types" / "MarkdownQA").exists()
    assert managed(col)["3f9a1c2b7d4e"]["Answer"] == "Anki decks ↔ Markdown files"
    assert deck_of(col, managed(col)["8c1d2e3f4a5b"]) == {"AnkiOps Tutorial"}


def test_git_snapshot_commits_the_folder_before_syncing(col: Collection, synced: Path) -> None:
    import subprocess

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=synced, capture_output=True, text=True, check=True
        ).stdout

    git("init", "-q")
    path = synced / "Anatomy__Heart.md"
    edit_file(path, "**Four**", "Four")
    sync(col, synced, git_snapshot=True)
    assert "snapshot before syncing" in git("log", "--format=%s")
    assert ".context-connect" not in git("show", "--stat", "HEAD")
    assert "Four" in git("show", "HEAD:Anatomy__Heart.md")


def test_an_anki_note_id_is_kept(col: Collection, synced: Path) -> None:
    ids = {k: n.id for k, n in managed(col).items()}
    path = synced / "Anatomy__Heart.md"
    edit_file(path, "The aorta", "The aorta (oxygenated blood)")
    sync(col, synced)
    assert {k: n.id for k, n in managed(col).items()} == ids
    assert col.get_note(NoteId(ids["k-heart-1"]))["Question"].startswith("How many")
