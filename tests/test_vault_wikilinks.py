"""`[[wikilinks]]` and note embeds in vault cards, on real collections: in Anki they
are links that open the note in Obsidian, and they come back to the file exactly as
written unless their text was edited in Anki."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.notes import Note
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addon.core.wikilinks import replace_marked
from addon.store.media_files import AnkiMedia
from addon.sync.vault import SKIPPED
from addon.sync.vault_media import VaultMedia
from tests.test_linear_parsers import MAX_RATIO, _fill, ratio
from tests.test_vault_sync import cards, sync

CARDS = """#flashcards

Who owns a file? :: see [[Users and groups]]
What does [[compsci/Linux permissions#Octal modes|octal]] mean? :: three digits
Where is the rule? :: [[Linux permissions#^rule]] and [[Nowhere]]
Which command? :: `[[chmod]]` stays code
Who may write? :: the [[compsci/Linux permissions#Permissions#Owner]], [[Nowhere|a & <b>]]

What is the summary of [[Users and groups|users]]?
?
![[Linux permissions]]

The ==[[Users and groups|owner]]== owns a file, as ==root== may.
"""


def link(file: str, marked: str, text: str) -> str:
    return (
        f'<a href="obsidian://open?vault=Notes&amp;file={file}" data-wikilink="{marked}">{text}</a>'
    )


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "Notes"
    for folder in ("compsci", "archive/old"):
        (root / folder).mkdir(parents=True)
    (root / "Cards.md").write_text(CARDS)
    (root / "compsci" / "Linux permissions.md").write_text("# Octal modes\n\nRule ^rule\n")
    # Of two notes of one name, the one nearest the top is the one a name finds.
    (root / "archive" / "Users and groups.md").write_text("Users.\n")
    (root / "archive" / "old" / "Users and groups.md").write_text("Old users.\n")
    return root


def field(col: Collection, text: str) -> tuple[Note, str]:
    """The card whose question (or cloze text) starts with `text`, and that field's name."""
    for note in cards(col).values():
        name = "Front" if "Front" in note else "Text"
        if note[name].startswith(text):
            return note, name
    raise AssertionError(f"no card starts with {text!r}")


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Each note's bytes and the time it was last written."""
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*.md")
    }


def test_wikilinks_become_links_that_open_the_note(col: Collection, vault: Path) -> None:
    assert sync(col, vault).anki.created == 7
    users = link("archive%2FUsers%20and%20groups", "Users and groups", "Users and groups")
    owner = link("archive%2FUsers%20and%20groups", "Users and groups|owner", "owner")
    assert field(col, "Who owns")[0]["Back"] == f"see {users}"
    octal = field(col, "What does")[0]
    assert octal["Front"] == "What does " + link(
        "compsci%2FLinux%20permissions%23Octal%20modes",
        "compsci/Linux permissions#Octal modes|octal",
        "octal",
    ) + " mean?"  # fmt: skip
    # A block reference, and a note that is not in the vault (it still links by name).
    assert field(col, "Where")[0]["Back"] == link(
        "compsci%2FLinux%20permissions%23%5Erule", "Linux permissions#^rule",
        "Linux permissions › ^rule",
    ) + " and " + link("Nowhere", "Nowhere", "Nowhere")  # fmt: skip
    assert field(col, "Which command")[0]["Back"] == "<code>[[chmod]]</code> stays code"
    assert field(col, "Who may write")[0]["Back"] == "the " + link(
        "compsci%2FLinux%20permissions%23Permissions%23Owner",
        "compsci/Linux permissions#Permissions#Owner",
        "Linux permissions › Permissions › Owner",
    ) + ", " + link("Nowhere", "Nowhere|a %26 %3Cb%3E", "a &amp; &lt;b&gt;")  # fmt: skip
    summary = field(col, "What is the summary")[0]
    assert summary["Front"] == f"What is the summary of {owner.replace('owner', 'users')}?"
    # A note embedded in the card is a link to it, not its content.
    assert summary["Back"] == link(
        "compsci%2FLinux%20permissions", "!Linux permissions", "Linux permissions"
    )
    cloze = field(col, "The ")[0]
    assert cloze["Text"] == f"The {{{{c1::{owner}}}}} owns a file, as {{{{c2::root}}}} may."
    # Nothing changes on a second sync, on either side.
    files = snapshot(vault)
    fields = {key: list(note.fields) for key, note in cards(col).items()}
    again = sync(col, vault)
    assert again.anki.updated == again.markdown.updated == 0
    assert snapshot(vault) == files
    assert {key: list(note.fields) for key, note in cards(col).items()} == fields


def _edit(col: Collection, text: str, change: Callable[[str], str], name: str = "") -> None:
    """`change` applied to a field (`name`, else the question or cloze text) of the card
    whose question starts with `text`, as an edit in Anki."""
    note, question = field(col, text)
    name = name or question
    note[name] = change(note[name])
    col.update_note(note)


def test_an_anki_edit_around_a_link_keeps_the_wikilink(col: Collection, vault: Path) -> None:
    sync(col, vault)
    before = (vault / "Cards.md").read_text()
    _edit(col, "Who owns", lambda back: f"you {back}, <b>really</b>", "Back")
    _edit(col, "The ", lambda text: text.replace("owns a file", "owns every file"))
    _edit(col, "What is the summary", lambda front: front.replace("summary", "short summary"))
    assert sync(col, vault).markdown.updated == 3
    text = (vault / "Cards.md").read_text()
    assert "Who owns a file? :: you see [[Users and groups]], **really** ^cc-" in text
    assert "The ==[[Users and groups|owner]]== owns every file, as ==root== may. ^cc-" in text
    assert (
        "What is the short summary of [[Users and groups|users]]?\n?\n![[Linux permissions]] ^cc-"
        in text
    )
    # Nothing but the edited words moved.
    for edited, was in [
        ("you see [[Users and groups]], **really**", "see [[Users and groups]]"),
        ("owns every file", "owns a file"),
        ("short summary", "summary"),
    ]:
        text = text.replace(edited, was)
    assert text == before
    files = snapshot(vault)
    again = sync(col, vault)
    assert again.anki.updated == again.markdown.updated == 0 and snapshot(vault) == files


def test_an_anki_edit_of_the_link_text_becomes_its_alias(col: Collection, vault: Path) -> None:
    sync(col, vault)
    _edit(col, "What does", lambda front: front.replace(">octal<", ">an octal mode<"))
    _edit(col, "Who owns", lambda back: back.replace(">Users and groups<", ">the users<"), "Back")
    summary = "What is the summary"
    _edit(col, summary, lambda back: back.replace(">Linux permissions<", ">permissions<"), "Back")
    # A link removed in Anki is gone from the file.
    _edit(col, "Where", lambda back: "see " + back.split(" and ", 1)[1], "Back")
    sync(col, vault)
    text = (vault / "Cards.md").read_text()
    assert "What does [[compsci/Linux permissions#Octal modes|an octal mode]] mean? ::" in text
    assert "Who owns a file? :: see [[Users and groups|the users]] ^cc-" in text
    assert "?\n![[Linux permissions|permissions]] ^cc-" in text
    assert "Where is the rule? :: see [[Nowhere]] ^cc-" in text
    assert sync(col, vault).markdown.updated == 0


def test_a_link_typed_in_anki_after_an_exclamation_mark_is_not_an_embed(
    col: Collection, vault: Path
) -> None:
    sync(col, vault)
    _edit(col, "Who owns", lambda back: back.replace("see ", "Wow!"), "Back")
    sync(col, vault)
    path = vault / "Cards.md"
    assert "Who owns a file? :: Wow\\![[Users and groups]] ^cc-" in path.read_text()
    wow = field(col, "Who owns")[0]["Back"]
    assert wow.startswith("Wow!<a ")
    # The escaped `!` reads back as text before a link.
    path.write_text(path.read_text().replace("Wow\\!", "Oh\\!"))
    sync(col, vault)
    assert field(col, "Who owns")[0]["Back"] == wow.replace("Wow!", "Oh!")


# -- the converter alone: round trips and hostile input ------------------------------

piece = st.sampled_from(
    [
        "[[Users and groups]]", "[[Users and groups|the *users*]]", "[[Nowhere#A#B]]",
        "[[Nowhere|]]", "[[compsci/Linux permissions#^rule|rule]]", "![[Linux permissions]]",
        "![[Users and groups#Heading]]", "`[[code]]`", "$[[x]]$", "**bold**", "word",
        "a_b", "&", "<", "!", "?", "==mark==", "`![[x.png]]`",
    ]
)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pieces=st.lists(piece, min_size=1, max_size=8))
def test_cards_with_wikilinks_round_trip(col: Collection, vault: Path, pieces: list[str]) -> None:
    convert = VaultMedia(vault, AnkiMedia(col), set(), SKIPPED)
    markdown = " ".join(pieces)
    html = convert.to_anki(markdown)
    back = convert.to_markdown(html)
    # Back as written, or (where Markdown has two spellings) as what shows the same.
    assert back == markdown or convert.to_anki(back) == html
    assert all(p in back for p in pieces if p.startswith(("[[", "![[")))  # links: as written
    assert convert.to_markdown(convert.to_anki(back)) == back


def test_embeds_and_links_in_code_stay_as_written(col: Collection, vault: Path) -> None:
    convert = VaultMedia(vault, AnkiMedia(col), set(), SKIPPED)
    markdown = "`![[heart.png]]` and `[[Users and groups]]`\n\n```\n![[Linux permissions]]\n```"
    html = convert.to_anki(markdown)
    assert html.startswith("<p><code>![[heart.png]]</code> and <code>[[Users and groups]]</code>")
    assert "![[Linux permissions]]" in html and "<a " not in html
    assert convert.to_markdown(html) == markdown and not convert.missing


def test_a_link_in_a_table_row(col: Collection, vault: Path) -> None:
    convert = VaultMedia(vault, AnkiMedia(col), set(), SKIPPED)
    table = "| who | note |\n| --- | --- |\n| owner | [[Users and groups\\|users]] |"
    html = convert.to_anki(table)
    users = link("archive%2FUsers%20and%20groups", "Users and groups\\|users", "users")
    assert f"<td>{users}</td>" in html
    assert convert.to_markdown(html) == table
    edited = convert.to_markdown(html.replace(">users<", ">the users<"))
    assert edited == table.replace("\\|users", "\\|the users")


def test_hostile_wikilinks_cost_linear_time(col: Collection, vault: Path) -> None:
    convert = VaultMedia(vault, AnkiMedia(col), set(), SKIPPED)
    size = 40_000
    ordinary = _fill("see [[Users and groups]] and *a* [b](c) ", size)
    for unit in ("[[", "![[", "[[a|", "[[a]", "`[[a]]"):
        assert ratio(convert.to_anki, _fill(unit, size), ordinary) < MAX_RATIO, unit
    html = convert.to_anki(ordinary)
    marked = lambda text: replace_marked(text, lambda link, shown: shown)  # noqa: E731
    for unit in ('<a data-wikilink="x">', '<a data-wikilink="x">a<b>', '<a data-wikilink="'):
        assert ratio(marked, _fill(unit, len(html)), html) < MAX_RATIO, unit


def test_a_heading_of_the_cards_own_note_links_to_that_note(col: Collection, vault: Path) -> None:
    path = vault / "compsci" / "Linux permissions.md"
    path.write_text(
        "# Octal modes\n\nRule ^rule\n\n#flashcards\n\n"
        "Where are the modes? :: see [[#Octal modes]]\n"
    )
    sync(col, vault)
    note, _ = field(col, "Where are the modes?")
    target = "compsci%2FLinux%20permissions%23Octal%20modes"
    assert note["Back"] == "see " + link(target, "#Octal modes", "Octal modes")
    before = path.read_bytes()
    assert sync(col, vault).markdown.updated == 0 and path.read_bytes() == before
    note["Back"] = note["Back"].replace(">Octal modes<", ">the modes<")
    col.update_note(note)
    sync(col, vault)
    assert "Where are the modes? :: see [[#Octal modes|the modes]]" in path.read_text()
