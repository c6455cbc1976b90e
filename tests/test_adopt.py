"""An existing collection comes into the folder: its note types (stock and custom) get
a note_type.yaml, their notes are exported to deck files and kept in sync both ways,
keyed by their guid, with fields, cards and reviews untouched (no full upload)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.decks import DeckId
from anki.models import NotetypeDict, NotetypeId

from addon.core.adopt import AnkiNoteType, labels_for
from addon.store.collection import database
from addon.sync.adopt import AdoptError, adopt_note_types
from addon.sync.engine import sync_folder
from addon.sync.folder import load_note_types
from addon.sync.options import SyncOptions
from tests.conftest import Served
from tests.test_cli import cli


def _vocab(col: Collection) -> NotetypeDict:
    models = col.models
    vocab = models.new("Vocab: words")
    for name in ("Word", "Meaning", "Example 1"):
        models.add_field(vocab, models.new_field(name))
    sides = [("{{Word}}", "{{Meaning}}"), ("{{Meaning}}", "{{Word}}")]
    for number, (front, back) in enumerate(sides):
        template = models.new_template(f"Card {number + 1}")
        template["qfmt"], template["afmt"] = front, back + "<br>{{Example 1}}"
        models.add_template(vocab, template)
    vocab["css"] = ".card { color: navy; }"
    models.add_dict(vocab)
    found = models.by_name("Vocab: words")
    assert found is not None
    return found


def _add(col: Collection, type_name: str, deck: str, **fields: str) -> int:
    note_type = col.models.by_name(type_name)
    assert note_type is not None
    note = col.new_note(note_type)
    for name, value in fields.items():
        note[name] = value
    col.add_note(note, DeckId(col.decks.id(deck) or 1))
    return int(note.id)


@pytest.fixture
def filled(col: Collection) -> Collection:
    _vocab(col)
    _add(col, "Basic", "Default", Front="Capital of <b>Peru</b>?", Back="Lima")
    _add(col, "Basic", "Geo::Rivers", Front="Longest river?", Back="The Nile")
    _add(col, "Cloze", "Geo::Rivers", Text="The {{c1::Amazon}} is wide", **{"Back Extra": ""})
    _add(col, "Vocab: words", "Words", Word="Haus", Meaning="house", **{"Example 1": "Das Haus"})
    # A review, so the history can be checked afterwards.
    col.sched.set_due_date([col.find_cards("Front:Longest*")[0]], "7")
    return col


def _state(col: Collection) -> tuple[object, ...]:
    db = database(col)
    return (
        db.scalar("select scm from col"),
        db.all("select id, nid, did, ord, ivl, due, reps from cards order by id"),
        db.all("select id, cid from revlog order by id"),
        {n.name: col.models.field_names(col.models.get(NotetypeId(n.id)) or {})
         for n in col.models.all_names_and_ids()},
    )  # fmt: skip


def test_adopted_notes_are_exported_and_kept_in_sync_both_ways(
    filled: Collection, tmp_path: Path
) -> None:
    col = filled
    folder = tmp_path / "cards"
    folder.mkdir()
    before = _state(col)
    ids = set(col.find_notes(""))
    adopted = adopt_note_types(col, folder, ["Basic", "Cloze", "Vocab: words"])
    assert adopted == ["Basic", "Cloze", "Vocab: words"]
    summary = sync_folder(col, folder, SyncOptions()).summary
    assert summary.ok and summary.markdown.created == 4, summary.text()
    assert summary.anki.created == summary.anki.updated == 0
    assert _state(col) == before and set(col.find_notes("")) == ids

    types = {t.name: t for t in load_note_types(folder)}
    assert [(f.name, f.label) for f in types["Basic"].fields] == [("Front", "F"), ("Back", "B")]
    assert [f.label for f in types["Vocab: words"].fields] == ["W", "M", "E1"]
    assert [t.name for t in types["Vocab: words"].templates] == ["Card 1", "Card 2"]
    peru = col.get_note(col.find_notes("Back:Lima")[0])
    default = (folder / "Default.md").read_text()
    assert f"<!-- note_key: {peru.guid} -->" in default
    assert "F: Capital of **Peru**?" in default and "B: Lima" in default
    assert "T: The {{c1::Amazon}} is wide" in (folder / "Geo__Rivers.md").read_text()
    assert "W: Haus" in (folder / "Words.md").read_text()

    # Edited in the file: updated in Anki, in place.
    (folder / "Default.md").write_text(default.replace("B: Lima", "B: Lima, on the coast"))
    again = sync_folder(col, folder, SyncOptions()).summary
    assert again.anki.updated == 1, again.text()
    assert col.get_note(peru.id)["Back"] == "Lima, on the coast"
    assert _state(col)[1:3] == before[1:3]  # the same cards, the same reviews

    # Edited in Anki: written to the file.
    house = col.get_note(col.find_notes("Word:Haus")[0])
    house["Meaning"] = "house, building"
    col.update_note(house)
    assert sync_folder(col, folder, SyncOptions()).summary.markdown.updated == 1
    assert "M: house, building" in (folder / "Words.md").read_text()

    # Written in the file: a new note in Anki, whose guid is the key written back.
    with (folder / "Words.md").open("a") as out:
        out.write("\n---\n\nW: Baum\nM: tree\n")
    assert sync_folder(col, folder, SyncOptions()).summary.anki.created == 1
    tree = col.get_note(col.find_notes("Word:Baum")[0])
    assert f"<!-- note_key: {tree.guid} -->" in (folder / "Words.md").read_text()
    assert sync_folder(col, folder, SyncOptions()).summary.anki.unchanged == 5


def test_labels_are_unique_across_note_types() -> None:
    taken = {"Q", "A"}
    basic = AnkiNoteType("Basic", ("Front", "Back"), (), "", False)
    reversed_ = AnkiNoteType("Basic (and reversed card)", ("Front", "Back"), (), "", False)
    assert labels_for(basic, taken) == ["F", "B"]
    assert labels_for(reversed_, taken) == ["FR", "BA"]
    many = AnkiNoteType("X", ("Front", "Fr", "F", "Field"), (), "", False)
    labels = labels_for(many, taken)
    assert len(set(labels)) == 4 and not set(labels) & {"F", "B", "FR", "BA", "Q", "A"}


def test_bad_names_write_nothing(filled: Collection, tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    with pytest.raises(AdoptError, match=r"no note type 'Nope' .*Basic"):
        adopt_note_types(filled, folder, ["Basic", "Nope"])
    assert not (folder / "note_types").exists()
    adopt_note_types(filled, folder, ["Basic"])
    with pytest.raises(AdoptError, match="'Basic' is already defined"):
        adopt_note_types(filled, folder, ["Cloze", "Basic"])
    assert sorted(p.name for p in (folder / "note_types").iterdir()) == ["Basic"]


def test_adopt_command_through_a_running_server(
    filled: Collection, serve: Callable[..., Served], tmp_path: Path
) -> None:
    served = serve(on=filled)
    folder = tmp_path / "cards"
    folder.mkdir()
    result = cli("adopt", "Basic", "Cloze", "--folder", str(folder), "--port", str(served.port),
                 "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["markdown"]["created"] == 3
    assert "Basic: adopted" in summary["note_types"]
    again = cli("adopt", "Basic", "--folder", str(folder), "--port", str(served.port))
    assert again.returncode == 1 and "'Basic' is already defined" in again.stderr
