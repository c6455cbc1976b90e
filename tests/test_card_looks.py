"""What cards look like and how their bookkeeping fields are kept out of the way."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection
from anki.models import NotetypeId

from addon.core.note_type_defs import KEY_FIELD as NOTE_KEY
from addon.core.notetypes import KEY_FIELD, REVISION_FIELD, card_css
from addon.core.starter_note_types import STYLING
from addon.store.notetypes import note_types
from tests.test_folder_sync import HEART, managed, sync

ROOT = Path(__file__).resolve().parent.parent


def test_starter_examples_and_api_styling_style_code_and_tables_day_and_night() -> None:
    assert (ROOT / "examples/decks/note_types/Styling.css").read_text() == STYLING
    for css in (STYLING, card_css()):
        for rule in ("pre.cc-code {", "\ncode {", "th, td {", ".nightMode code", ".nightMode th"):
            assert rule in css, rule


def field_options(col: Collection, notetype_id: int, name: str) -> dict[str, object]:
    notetype = col.models.get(NotetypeId(notetype_id))
    assert notetype is not None
    (field,) = [f for f in notetype["flds"] if f["name"] == name]
    return dict(field)


def test_bookkeeping_fields_are_collapsed_unsearched_and_described(
    col: Collection, tmp_path: Path
) -> None:
    api = note_types(col)["basic"]
    for name in (KEY_FIELD, REVISION_FIELD):
        options = field_options(col, api["id"], name)
        assert options["collapsed"] and options["excludeFromSearch"]
        assert "Context Connect" in str(options["description"])
    assert not field_options(col, api["id"], "Front")["collapsed"]

    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "Heart.md").write_text(HEART)
    sync(col, folder)
    note = next(iter(managed(col).values()))
    options = field_options(col, note.mid, NOTE_KEY)
    assert options["collapsed"] and options["excludeFromSearch"]
    # Searching by the field still finds the note; a bare search for the key does not.
    assert col.find_notes(f'"{NOTE_KEY}:{note[NOTE_KEY]}"') == [note.id]
    assert col.find_notes(note[NOTE_KEY]) == []
