"""What cards look like and how their bookkeeping fields are kept out of the way."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection
from anki.models import NotetypeId

from addon.core.note_type_defs import KEY_FIELD as NOTE_KEY
from addon.core.notetypes import KEY_FIELD, LOOK_KEY, REVISION_FIELD, card_css, look_fingerprint
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


def test_api_note_types_take_the_new_look_unless_the_user_changed_it(col: Collection) -> None:
    api = note_types(col)
    basic, cloze = api["basic"], api["cloze"]
    # As an earlier version wrote them: an old look, fingerprinted when written.
    for notetype, css in ((basic, ".card { color: red; }"), (cloze, ".card { color: blue; }")):
        template = notetype["tmpls"][0]
        notetype["css"] = css
        notetype[LOOK_KEY] = look_fingerprint(css, template["qfmt"], template["afmt"])
        col.models.update_dict(notetype)
    # The user restyles the cloze type afterwards: it must stay theirs.
    cloze = col.models.get(cloze["id"])  # type: ignore[assignment]
    assert cloze is not None
    cloze["css"] += ".mine { }"
    col.models.update_dict(cloze)
    upgraded = note_types(col)
    assert upgraded["basic"]["css"] == card_css()
    assert upgraded["cloze"]["css"] == ".card { color: blue; }.mine { }"


def test_a_new_api_note_type_can_be_saved_again_without_losing_its_template(
    col: Collection,
) -> None:
    basic = note_types(col)["basic"]
    col.models.update_dict(basic)
    saved = col.models.get(basic["id"])
    assert saved is not None and "{{Back}}" in saved["tmpls"][0]["afmt"]
