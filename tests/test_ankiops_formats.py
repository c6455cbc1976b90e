"""Both AnkiOps `note_type.yaml` formats, read unchanged: 0.5 (`name`, `prefix`,
`is_identifying`) and 0.6 (the folder names the type, `label`, `identifying`, `styling`
as a list, default template files, `<!-- note_type: -->` comments). The folders in
tests/ankiops_formats/ were written for these tests from AnkiOps' documented format."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from anki.collection import Collection

from addon.core.ankiops_render import render_ankiops
from addon.core.deck_text import parse_deck_text
from addon.core.note_type_defs import (
    ANKIOPS_KEY_FIELD,
    KEY_FIELD,
    NoteTypeError,
    parse_note_type,
)
from addon.sync.engine import sync_folder
from addon.sync.folder import NoteTypesInvalid, deck_file_paths, load_note_types
from addon.sync.options import SyncOptions

FORMATS = Path(__file__).parent / "ankiops_formats"


@pytest.fixture(params=["v05", "v06"])
def folder(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    target: Path = tmp_path / request.param
    shutil.copytree(FORMATS / request.param, target)
    return target


def test_both_formats_read_the_same_term_type(folder: Path) -> None:
    types = {t.name: t for t in load_note_types(folder)}
    term = types["Term"]
    assert [(f.name, f.label, f.identifying) for f in term.fields][:3] == [
        ("Term", "Q", True),
        ("Meaning", "A", True),
        ("Note", "E", False),
    ]
    assert [t.name for t in term.templates] == ["Recall"]
    assert term.templates[0].front == '<div class="term">{{Term}}</div>\n'
    assert types["Blank"].is_cloze


def test_v06_type_is_named_by_its_folder_and_joins_its_styling_files() -> None:
    types = {t.name: t for t in load_note_types(FORMATS / "v06")}
    assert set(types) == {"Term", "Blank", "BothWays"}
    # The files in the order listed, a blank line between them, as AnkiOps joins them.
    assert types["Term"].css == ".card { font-family: serif; }\n\n\n.term { color: teal; }\n"
    assert types["Term"].labels["MEMO_1"] == "Memo"


def test_v06_without_templates_reads_the_numbered_template_files() -> None:
    types = {t.name: t for t in load_note_types(FORMATS / "v06")}
    assert [(t.name, t.front) for t in types["Blank"].templates] == [
        ("Cloze", "{{cloze:Sentence}}\n")
    ]
    both = types["BothWays"].templates
    assert [(t.name, t.front, t.back) for t in both] == [
        ("Card 1", "{{Left}}\n", "{{FrontSide}}<hr id=answer>{{Right}}\n"),
        ("Card 2", "{{Right}}\n", "{{FrontSide}}<hr id=answer>{{Left}}\n"),
    ]


def test_ankiops_key_field_is_left_to_ankiops() -> None:
    types = {t.name: t for t in load_note_types(FORMATS / "v06")}
    assert [f.name for f in types["Blank"].fields] == ["Sentence", "Source"]


def test_a_lone_numbered_template_file_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "v06"
    shutil.copytree(FORMATS / "v06", folder)
    (folder / "note_types/BothWays/Back2.template.anki").unlink()
    with pytest.raises(NoteTypesInvalid, match=r"BothWays/note_type.yaml: Back2.template.anki"):
        load_note_types(folder)


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("fields:\n  - name: A\n    label: 'A:'\n    identifying: true\n", "'name' is missing"),
        (
            "name: X\nfields:\n  - name: A\n    label: null\n    identifying: true\n"
            "templates: [{name: c, front: '{{A}}', back: '{{A}}'}]\n",
            r"fields\[0\]: field 'A' has no label",
        ),
        (
            "name: X\nfields:\n  - name: A\n    label: '1A:'\n    identifying: true\n",
            r"fields\[0\]: label '1A:' must be a letter",
        ),
        (
            "name: X\nstyling: [a.css, 3]\nfields:\n  - name: A\n    label: 'A:'\n"
            "    identifying: true\ntemplates: [{name: c, front: '{{A}}', back: '{{A}}'}]\n",
            r"styling\[1\] must be a file name",
        ),
    ],
)
def test_bad_definitions_say_where(yaml_text: str, message: str) -> None:
    def read(name: str) -> str:
        return ".x {}"

    with pytest.raises(NoteTypeError, match=message):
        parse_note_type(yaml_text, "note_types/X/note_type.yaml", read)


def test_note_type_comment_names_the_type_and_must_fit_its_labels() -> None:
    types = load_note_types(FORMATS / "v06")
    text = (FORMATS / "v06/Geography.md").read_text()
    notes = parse_deck_text(text, types).notes
    assert [(n.note_type.name, n.key) for n in notes] == [
        ("Term", "geo-peru"),
        ("Blank", None),
        ("BothWays", None),
    ]
    wrong = parse_deck_text("<!-- note_type: Blank -->\nQ: a\nA: b\n", types)
    assert [p.reason for p in wrong.problems] == ["note type Blank has no label Q:, A:"]
    unknown = parse_deck_text("<!-- note_type: Nope -->\nQ: a\nA: b\n", types)
    assert "note_type 'Nope' is not defined" in unknown.problems[0].reason


def test_repository_documents_are_not_decks() -> None:
    assert [p.name for p in deck_file_paths(FORMATS / "v06")] == ["Geography.md"]


def test_each_format_syncs_both_ways(folder: Path, col: Collection) -> None:
    summary = sync_folder(col, folder, SyncOptions()).summary
    assert summary.ok and not summary.errors, summary.text()
    assert summary.anki.created == (2 if folder.name == "v05" else 3)
    term = col.models.by_name("Term")
    assert term is not None
    assert [t["name"] for t in term["tmpls"]] == ["Recall"]
    peru = col.get_note(col.find_notes('"Term:Capital of Peru"')[0])
    assert peru["Meaning"] == "Lima"
    if folder.name == "v06":
        both = col.models.by_name("BothWays")
        assert both is not None and len(both["tmpls"]) == 2
        # The second template made a second card.
        assert len(col.find_cards('"note:BothWays"')) == 2
    peru["Meaning"] = "Lima, on the coast"
    col.update_note(peru)
    again = sync_folder(col, folder, SyncOptions()).summary
    assert again.markdown.updated == 1, again.text()
    assert "A: Lima, on the coast" in (folder / "Geography.md").read_text()


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        (
            "Edit in your editor.\n\n![](sync_arrows.png){width=150}",
            'Edit in your editor.<br><br><img src="sync_arrows.png" alt="" style="width: 150px;">',
        ),
        ("Run `fa` to sync files --> Anki", "Run <code>fa</code> to sync files \u2192 Anki"),
        ("# Title\n\ntext after a heading", "<h1>Title</h1>text after a heading"),
        ("a < b & c > d", "a < b & c > d"),
        ("line one\nline two", "line one<br>line two"),
        ("- a\n- b\n\nafter", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<br><br>after"),
        ("\\\\(x^2\\\\)", "\\(x^2\\)"),
        ("```\nplain <code>\n```", "<pre><code>plain &lt;code&gt;</code></pre>"),
        ("![a](media/pic.png)", '<img src="pic.png" alt="a">'),
        ("a\\*b\\#c", "a*b#c"),
        ("\\[\nx = 1\n\\]", "\\[\nx = 1\n\\]"),
        ("   ", ""),
    ],
)
def test_fields_render_as_ankiops_renders_them(markdown: str, html: str) -> None:
    """Outputs of AnkiOps 0.6.6's converter for the same input."""
    assert render_ankiops(markdown) == html


def test_v06_folder_keeps_keys_where_ankiops_does_and_renders_its_way(
    col: Collection, tmp_path: Path
) -> None:
    folder = tmp_path / "v06"
    shutil.copytree(FORMATS / "v06", folder)
    (folder / "media").mkdir()
    (folder / "media" / "dot.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    edit = folder / "Geography.md"
    edit.write_text(edit.read_text().replace("A: Lima", "A: Lima --> coast\n\n![](dot.png)"))
    summary = sync_folder(col, folder, SyncOptions()).summary
    assert summary.ok and not summary.warnings, summary.text()
    term = col.models.by_name("Term")
    assert term is not None
    assert col.models.field_names(term) == ["Term", "Meaning", "Note", "Memo", ANKIOPS_KEY_FIELD]
    peru = col.get_note(col.find_notes('"AnkiOps Key:geo-peru"')[0])
    assert peru["Meaning"] == 'Lima \u2192 coast<br><br><img src="dot.png" alt="">'
    assert summary.media_imported == 1 and col.media.have("dot.png")
    again = sync_folder(col, folder, SyncOptions()).summary
    assert again.anki.updated == again.markdown.updated == 0, again.text()


def test_v05_folder_keeps_keys_in_note_key(col: Collection, tmp_path: Path) -> None:
    folder = tmp_path / "v05"
    shutil.copytree(FORMATS / "v05", folder)
    assert sync_folder(col, folder, SyncOptions()).summary.ok
    term = col.models.by_name("Term")
    assert term is not None
    assert col.models.field_names(term) == ["Term", "Meaning", "Note", KEY_FIELD]


def test_a_yaml_moved_to_the_06_format_renames_the_key_field_keeping_keys(
    col: Collection, tmp_path: Path
) -> None:
    folder = tmp_path / "v05"
    shutil.copytree(FORMATS / "v05", folder)
    assert sync_folder(col, folder, SyncOptions()).summary.ok
    keys = {col.get_note(i)[KEY_FIELD] for i in col.find_notes("note:Term")}
    yaml_path = folder / "note_types/Term/note_type.yaml"
    yaml_path.write_text(re.sub(r"^name: Term\n", "", yaml_path.read_text(), flags=re.M))
    asked = sync_folder(col, folder, SyncOptions()).summary
    assert asked.needs_confirmation and "'note_key' renamed to 'AnkiOps Key'" in asked.text()
    done = sync_folder(col, folder, SyncOptions(confirmed=True)).summary
    assert done.ok and done.anki.created == 0 and done.anki.deleted == 0, done.text()
    assert {col.get_note(i)[ANKIOPS_KEY_FIELD] for i in col.find_notes("note:Term")} == keys


def test_guid_keys_are_refused_for_a_note_type_keyed_in_a_field(
    col: Collection, tmp_path: Path
) -> None:
    folder = tmp_path / "v05"
    shutil.copytree(FORMATS / "v05", folder)
    assert sync_folder(col, folder, SyncOptions()).summary.ok
    yaml_path = folder / "note_types/Term/note_type.yaml"
    yaml_path.write_text(yaml_path.read_text() + "note_key: guid\n")
    summary = sync_folder(col, folder, SyncOptions(confirmed=True)).summary
    assert not summary.ok and "remove note_key: guid" in summary.text()
    assert col.models.field_names(col.models.by_name("Term") or {})[-1] == KEY_FIELD
