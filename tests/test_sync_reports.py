"""What used to crash the sync is reported on its note or file, and the rest syncs:
a file saved while the sync runs, fields nested too deep for Markdown, a card
template whose front shows no field."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection

from addon.core.note_type_defs import KEY_FIELD
from addon.sync.engine import sync_folder
from addon.sync.options import SyncOptions
from addon.sync.summary import SyncSummary
from tests.test_folder_sync import HEART, edit_in_anki, keys_in, managed, sync

DEEP_LISTS = "<ul><li>" * 200 + "deep" + "</li></ul>" * 200
DEEP_DIVS = "<div>" * 400 + "deep" + "</div>" * 400


def run(col: Collection, folder: Path, progress: object = None) -> SyncSummary:
    return sync_folder(col, folder, SyncOptions(), progress).summary  # type: ignore[arg-type]


@pytest.fixture
def synced(col: Collection, tmp_path: Path) -> Path:
    path = tmp_path / "notes"
    path.mkdir()
    (path / "Anatomy__Heart.md").write_text(HEART)
    (path / "Other.md").write_text("Q: other\nA: fine\n")
    sync(col, path)
    return path


def test_a_file_saved_while_the_sync_runs_is_reported(col: Collection, synced: Path) -> None:
    other = synced / "Other.md"
    heart = synced / "Anatomy__Heart.md"
    heart.write_text(heart.read_text() + "\n---\n\nQ: new in Markdown\nA: yes\n")

    def save_meanwhile(step: str) -> None:
        if step.startswith("Comparing"):  # read, not yet written
            heart.write_text(heart.read_text() + "\n---\n\nQ: saved meanwhile\nA: yes\n")

    edit_in_anki(col, keys_in(other)[0], Answer="changed in Anki")
    summary = run(col, synced, save_meanwhile)
    assert summary.errors == [
        "Anatomy__Heart.md:1: not written: Anatomy__Heart.md changed while syncing: sync again"
    ]
    assert "saved meanwhile" in heart.read_text()  # the user's save is kept
    assert "changed in Anki" in other.read_text()  # the rest synced
    again = run(col, synced)
    assert not again.errors and again.anki.created == 2
    assert {n["Question"] for n in managed(col).values()} >= {"new in Markdown", "saved meanwhile"}


@pytest.mark.parametrize("deep", [DEEP_LISTS, DEEP_DIVS])
def test_a_field_nested_too_deep_is_reported_on_its_note(
    col: Collection, synced: Path, deep: str
) -> None:
    heart = synced / "Anatomy__Heart.md"
    edit_in_anki(col, "k-heart-1", Answer=deep)
    edit_in_anki(col, keys_in(synced / "Other.md")[0], Answer="changed in Anki")
    made_in_anki = col.new_note(col.models.by_name("MarkdownQA"))  # type: ignore[arg-type]
    made_in_anki["Question"], made_in_anki["Answer"] = "made in Anki", deep
    col.add_note(made_in_anki, col.decks.id("Other") or 1)  # type: ignore[arg-type]
    before = heart.read_text()
    # Edits made a while ago: the sync may take the collection's change mark now, and
    # must still not take Anki's side as settled while a note failed.
    assert col.db is not None
    col.db.execute("update notes set mod = mod - 5")
    col.db.execute("update cards set mod = mod - 5")
    for _ in range(2):  # and every later sync reports it again, without crashing
        summary = run(col, synced)
        assert len(summary.errors) == 2, summary.errors
        assert summary.errors[0].startswith("Anatomy__Heart.md:5: the field nests HTML ")
        assert summary.errors[1].startswith(f"Other.md: note nid:{made_in_anki.id} in Anki: ")
        assert heart.read_text() == before
        assert "changed in Anki" in (synced / "Other.md").read_text()
    assert col.get_note(made_in_anki.id)[KEY_FIELD] == ""  # not given a key either


def test_a_front_template_without_a_field_is_reported(col: Collection, synced: Path) -> None:
    front = synced / "note_types" / "MarkdownQA" / "Front.template.anki"
    front.write_text("<div>no field here</div>\n")
    (synced / "Other.md").write_text("Q: other\nA: edited\n")
    summary = run(col, synced)
    (error,) = summary.errors
    assert error.startswith("note_types/MarkdownQA/note_type.yaml: ")
    assert "front" in error and "no field" in error


def test_a_note_type_anki_refuses_is_reported(col: Collection, tmp_path: Path) -> None:
    """Whatever else Anki refuses in a note type (here two cards with the same front)
    is reported on its YAML file, not raised."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "Deck.md").write_text("Q: q\nA: a\n")
    sync(col, folder)
    yaml_path = folder / "note_types" / "MarkdownQA" / "note_type.yaml"
    text = yaml_path.read_text()
    twin = "  - name: Twin\n    front: Front.template.anki\n    back: Back.template.anki\n"
    yaml_path.write_text(text.replace("templates:\n", "templates:\n" + twin))
    summary = sync_folder(col, folder, SyncOptions(confirmed=True)).summary
    (error,) = summary.errors
    assert error.startswith("note_types/MarkdownQA/note_type.yaml: Anki refuses this note type: ")


def test_html_the_parser_failed_on_is_kept_as_text() -> None:
    """HTMLParser raised on a marked section it does not know; it is text now."""
    from addon.core.html_markdown import to_markdown

    assert to_markdown("a <![foo[x]]> b") == "a &lt;![foo[x]]&gt; b"
    assert to_markdown("<b>x</b><!--open") == "**x**&lt;!--open"
