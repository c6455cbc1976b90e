"""Vault mode on real collections: marked blocks become cards that link back to their
block, edits flow both ways, and prose is never touched."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection
from anki.notes import Note
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addon.core.note_type_defs import KEY_FIELD
from addon.core.vault_note_types import BASIC, CLOZE
from addon.sync.engine import sync_vault, sync_vaults
from addon.sync.options import SyncOptions
from addon.sync.summary import SyncSummary
from addon.sync.vault import INBOX
from tests.conftest import Served
from tests.http_client import free_port, request
from tests.test_cli import cli
from tests.test_folder_sync import OTHER_PNG, PNG

LINUX = """---
title: Linux permissions
tags: [flashcards]
---

# Permissions

Every file has an owner, a group and others; see [[Users and groups]].

What does `chmod` change? :: A file's permissions
- Which command changes the owner? ::: `chown` #shell

## Octal modes

What is 755?
?
rwx for the owner,
r-x for group and others

The ==owner== can ==write==, the group can only read.

```sh
ls -l  # a :: in code is not a card
```
"""

ZETTEL = """# Spaced repetition

Reviews spread over time beat cramming. #card #deck/learning
Why? :: The spacing effect #card #deck/learning

Not a card :: this note is not marked.
"""


def sync(col: Collection, vault: Path, **options: Any) -> SyncSummary:
    summary = sync_vault(col, vault, SyncOptions(**options)).summary
    assert not summary.errors, summary.text()
    return summary


def cards(col: Collection) -> dict[str, Note]:
    found = {}
    for note_id in col.find_notes(""):
        note = col.get_note(note_id)
        if KEY_FIELD in note:
            found[note[KEY_FIELD]] = note
    return found


def by_front(col: Collection) -> dict[str, Note]:
    return {(n["Front"] if "Front" in n else n["Text"]): n for n in cards(col).values()}


def prose(text: str) -> str:
    """The note without block ids: what the user wrote."""
    return re.sub(r" \^cc-[0-9a-f]+", "", text)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "Notes"
    (root / "compsci").mkdir(parents=True)
    (root / "compsci" / "Linux permissions.md").write_text(LINUX)
    (root / "Spaced repetition.md").write_text(ZETTEL)
    (root / ".obsidian").mkdir()
    (root / ".obsidian" / "junk.md").write_text("Q :: not a note #flashcards\n")
    return root


def test_marked_blocks_become_cards_with_the_way_back(col: Collection, vault: Path) -> None:
    summary = sync(col, vault)
    assert summary.anki.created == 5
    notes = by_front(col)
    chmod = notes["What does <code>chmod</code> change?"]
    assert chmod.note_type()["name"] == BASIC  # type: ignore[index]
    assert chmod["Back"] == "A file's permissions" and chmod["Reverse"] == ""
    assert chmod["Note"] == "Linux permissions" and chmod["Heading"] == "Permissions"
    key = chmod[KEY_FIELD]
    assert key.startswith("cc-")
    assert (
        f"obsidian://open?vault=Notes&amp;file=compsci%2FLinux%20permissions%23%5E{key}"
        in chmod["Source"].replace("&", "&amp;")
    )
    owner = notes["Which command changes the owner?"]
    assert owner["Reverse"] == "y" and owner.tags == ["shell"] and len(owner.cards()) == 2
    octal = notes["What is 755?"]
    assert octal["Heading"] == "Permissions › Octal modes"
    cloze = notes["The {{c1::owner}} can {{c2::write}}, the group can only read."]
    assert cloze.note_type()["name"] == CLOZE and len(cloze.cards()) == 2  # type: ignore[index]
    why = notes["Why?"]
    assert {col.decks.name(c.did) for c in why.cards()} == {"learning"}
    assert {col.decks.name(c.did) for c in chmod.cards()} == {"Default"}
    # Only block ids were added: every other byte is as the user wrote it.
    linux = (vault / "compsci" / "Linux permissions.md").read_text()
    assert prose(linux) == LINUX and linux.count("^cc-") == 4
    assert prose((vault / "Spaced repetition.md").read_text()) == ZETTEL
    again = sync(col, vault)
    assert again.anki.unchanged == 5 and again.markdown.unchanged == 5
    assert again.anki.updated == again.markdown.updated == 0


def test_edits_flow_both_ways_changing_only_the_cards_characters(
    col: Collection, vault: Path
) -> None:
    sync(col, vault)
    path = vault / "compsci" / "Linux permissions.md"
    path.write_text(path.read_text().replace("A file's permissions", "Its permission bits"))
    assert sync(col, vault).anki.updated == 1
    notes = by_front(col)
    assert notes["What does <code>chmod</code> change?"]["Back"] == "Its permission bits"
    octal = notes["What is 755?"]
    octal["Back"] = "rwxr-xr-x"
    col.update_note(octal)
    cloze = notes["The {{c1::owner}} can {{c2::write}}, the group can only read."]
    cloze["Text"] = "The {{c1::owner}} can {{c2::write}}, others {{c3::read}}."
    col.update_note(cloze)
    before = path.read_text()
    summary = sync(col, vault)
    assert summary.markdown.updated == 2
    after = path.read_text()
    assert "What is 755?\n?\nrwxr-xr-x ^cc-" in after
    assert "The ==owner== can ==write==, others ==read==. ^cc-" in after
    # Nothing else moved: the rest of the note is byte for byte as it was.
    untouched = re.sub(r"What is 755\?.*?\n\n", "", before, flags=re.S)
    assert (
        re.sub(r"What is 755\?.*?\n\n", "", after, flags=re.S).replace(
            "others ==read==.", "the group can only read."
        )
        == untouched
    )
    assert sync(col, vault).markdown.unchanged == 5


def test_a_card_deleted_in_anki_leaves_the_prose(col: Collection, vault: Path) -> None:
    sync(col, vault)
    chmod = by_front(col)["What does <code>chmod</code> change?"]
    col.remove_notes([chmod.id])
    summary = sync(col, vault)
    assert summary.markdown.deleted == 1
    text = (vault / "compsci" / "Linux permissions.md").read_text()
    assert "What does `chmod` change?: A file's permissions\n" in text
    assert sync(col, vault).anki.created == 0


def test_a_block_removed_from_the_note_deletes_its_card(col: Collection, vault: Path) -> None:
    sync(col, vault)
    path = vault / "Spaced repetition.md"
    path.write_text(re.sub(r"Why\? ::.*\n", "", path.read_text()))
    assert sync(col, vault).anki.deleted == 1
    assert "Why?" not in by_front(col)


def test_bad_marks_report_file_and_line_and_touch_nothing(col: Collection, vault: Path) -> None:
    path = vault / "Spaced repetition.md"
    path.write_text(ZETTEL + "\n :: an answer without a question #card\n")
    summary = sync_vault(col, vault, SyncOptions()).summary
    assert summary.errors == ["Spaced repetition.md:8: this card has an empty question"]
    assert len(cards(col)) == 5
    assert path.read_text().endswith("\n :: an answer without a question #card\n")


def test_a_card_made_in_anki_goes_to_the_inbox(col: Collection, vault: Path) -> None:
    sync(col, vault)
    model = col.models.by_name(BASIC)
    assert model is not None
    note = col.new_note(model)
    note["Front"], note["Back"] = "Made on the phone", "yes"
    col.add_note(note, col.decks.id("Default") or 1)  # type: ignore[arg-type]
    summary = sync(col, vault)
    assert summary.markdown.created == 1
    inbox = (vault / INBOX).read_text()
    assert inbox.startswith("#flashcards\n") and "Made on the phone :: yes ^cc-" in inbox
    assert sync(col, vault).anki.created == 0


def test_decks_by_folder(col: Collection, vault: Path) -> None:
    sync(col, vault, vault_deck_rule="folder")
    chmod = by_front(col)["What does <code>chmod</code> change?"]
    assert {col.decks.name(c.did) for c in chmod.cards()} == {"compsci"}


def test_cards_that_could_be_better_get_hints_not_errors(col: Collection, vault: Path) -> None:
    path = vault / "Spaced repetition.md"
    long_answer = "because " + "it is so " * 40
    path.write_text(
        ZETTEL + f"\nWhy again? :: {long_answer} #card\n\nWhich effects?\n?\n- spacing\n"
        "- testing\n- interleaving #card\n\n{{c1::a}} {{c2::b}} {{c3::c}} {{c4::d}} #card\n"
    )
    summary = sync(col, vault)
    assert summary.anki.created == 8
    assert [h.split(": ", 1)[0] for h in summary.hints] == [
        "Spaced repetition.md:8", "Spaced repetition.md:10", "Spaced repetition.md:16"
    ]  # fmt: skip
    assert "characters long" in summary.hints[0] and "list of 3 items" in summary.hints[1]
    assert "4 clozes in one card" in summary.hints[2]


def test_the_command_line_syncs_a_folder_and_a_vault(tmp_path: Path, vault: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "Maths.md").write_text("Q: 2+2?\nA: 4\n")
    port = free_port()  # no server answers there: the file is opened
    run = cli(
        "sync", "--collection", str(tmp_path / "c.anki2"), "--port", str(port),
        "--folder", str(folder), "--vault", str(vault), "--json",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    syncs = json.loads(run.stdout)["syncs"]
    assert [(s["kind"], s["anki"]["created"]) for s in syncs] == [("folder", 1), ("vault", 5)]
    assert cli("sync", "--collection", str(tmp_path / "c.anki2")).returncode == 2


def test_a_vault_syncs_through_the_running_server(
    serve: Callable[..., Served], vault: Path
) -> None:
    served = serve()
    status, _, raw = request(
        served.port, "POST", "/v1/sync", json.dumps({"vault": str(vault)}).encode()
    )
    summary = json.loads(raw)
    assert status == 200 and summary["anki"]["created"] == 5, summary
    assert served.col.undo_status().undo == "Sync vault"


vault_edit = st.tuples(
    st.sampled_from(["vault", "anki"]),
    st.sampled_from(["edit", "edit", "add", "delete"]),
    st.integers(0, 20),
)


def _card_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if " :: " in line]


def _edit_vault(
    root: Path, action: str, which: int, token: str, stamp: Callable[[Path], None]
) -> None:
    paths = sorted(root.glob("*.md"))
    path = paths[which % len(paths)]
    text = path.read_text()
    lines = _card_lines(text)
    if action == "add" or not lines:
        path.write_text(text + f"\n{token}? :: {token}\n")
        stamp(path)
        return
    line = lines[which % len(lines)]
    question, _, rest = line.partition(" :: ")
    block_id = re.search(r" \^cc-[0-9a-f]+$", rest)
    if action == "edit":
        new = f"{question} :: {token}{block_id.group(0) if block_id else ''}"
        path.write_text(text.replace(line, new, 1))
    else:
        path.write_text(text.replace(line + "\n", "", 1))
    stamp(path)


def _edit_anki(col: Collection, action: str, which: int, token: str) -> None:
    notes = sorted(cards(col).values(), key=lambda n: n.id)
    if action == "add" or not notes:
        model = col.models.by_name(BASIC)
        assert model is not None
        note = col.new_note(model)
        note["Front"], note["Back"] = f"{token}?", token
        col.add_note(note, col.decks.id("Default") or 1)  # type: ignore[arg-type]
    elif action == "edit":
        note = notes[which % len(notes)]
        note["Back"] = token
        col.update_note(note)
    else:
        col.remove_notes([notes[which % len(notes)].id])


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rounds=st.lists(st.lists(vault_edit, max_size=4), min_size=1, max_size=3))
def test_random_edits_on_both_sides_converge_and_keep_the_prose(
    empty_collection_file: Path,
    tmp_path_factory: pytest.TempPathFactory,
    file_times: Callable[[Path], None],
    rounds: list[list[tuple[str, str, int]]],
) -> None:
    base = tmp_path_factory.mktemp("vault-prop")
    shutil.copy(empty_collection_file, base / "c.anki2")
    root = base / "vault"
    root.mkdir()
    for i in range(3):
        (root / f"Topic {i}.md").write_text(
            f"---\ntags: [flashcards]\n---\n# Topic {i}\n\nProse {i} about [[Topic {i + 1}]].\n\n"
            f"Q{i}a :: A{i}a\nQ{i}b :: A{i}b\n\nMore prose {i}.\n"
        )
    prose = {
        path.name: [line for line in path.read_text().split("\n") if "::" not in line]
        for path in root.glob("*.md")
    }
    col = Collection(str(base / "c.anki2"))
    try:
        sync(col, root, confirmed=True)
        for n, round_edits in enumerate(rounds):
            for step, (side, action, which) in enumerate(round_edits):
                token = f"t{n}x{step}"
                if side == "vault":
                    _edit_vault(root, action, which, token, file_times)
                else:
                    _edit_anki(col, action, which, token)
            sync(col, root, confirmed=True)
            in_files: dict[str, str] = {}
            for path in root.glob("*.md"):
                text = path.read_text()
                lines = text.split("\n")
                kept = iter(lines)
                # Every line of prose is still there, in its order.
                assert all(any(line == k for k in kept) for line in prose.get(path.name, [])), text
                for line in _card_lines(text):
                    found = re.search(r"\^(cc-[0-9a-f]+)$", line)
                    assert found, f"a card without its block id: {line}"
                    in_files[found.group(1)] = line.split(" :: ", 1)[1].rsplit(" ^", 1)[0]
            everything = "".join(path.read_text() for path in root.glob("*.md"))
            in_anki = {key: note["Back"] for key, note in cards(col).items()}
            # A card changed on both sides keeps both versions (a `?` card with a
            # conflict record) until the user picks one: it is not compared.
            waiting = {k for k in in_anki if k not in in_files and f"^{k}" in everything}
            assert waiting == set() or "<<<<<<<" in everything
            assert in_files == {k: v for k, v in in_anki.items() if k not in waiting}
            again = sync(col, root, confirmed=True)
            assert again.anki.updated == again.markdown.updated == again.anki.created == 0
    finally:
        col.close()


def test_notes_outside_the_vault_are_never_read(
    col: Collection, vault: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("#flashcards\n\nThe password :: hunter2\n")
    (vault / "linked.md").symlink_to(secret)
    os.mkfifo(vault / "pipe.md")
    summary = sync_vault(col, vault, SyncOptions()).summary
    assert sorted(e.split(": ", 1)[0] for e in summary.errors) == ["linked.md:1", "pipe.md:1"]
    assert "outside" in summary.errors[0] and "regular file" in summary.errors[1]
    assert "hunter2" not in str([n.fields for n in cards(col).values()])
    assert summary.anki.created == 5 and secret.read_text().endswith("hunter2\n")


def test_embedded_images_become_anki_media_and_come_back(col: Collection, vault: Path) -> None:
    (vault / "img").mkdir()
    (vault / "img" / "heart.png").write_bytes(PNG)
    path = vault / "Spaced repetition.md"
    path.write_text(
        ZETTEL + "\nWhat does it look like? :: ![[heart.png|120]] #card\n\n"
        "And this one? :: ![a heart](img/heart.png) #card\n\nOutside? :: ![x](../x.png) #card\n"
    )
    (vault.parent / "x.png").write_bytes(OTHER_PNG)
    summary = sync_vault(col, vault, SyncOptions()).summary
    assert summary.media_imported == 1 and len(summary.errors) == 1
    assert "not read" in summary.errors[0] and "outside" in summary.errors[0]
    notes = by_front(col)
    look = notes["What does it look like?"]
    assert look["Back"] == '<img src="heart.png" alt="heart.png" width="120" />'
    assert col.media.have("heart.png") and not col.media.have("x.png")
    # An edit in Anki writes the embed back as it was; an image added in Anki is saved
    # in attachments/ and embedded.
    look["Back"] = look["Back"] + " a heart"
    col.update_note(look)
    other = notes["And this one?"]
    other["Back"] = '<img src="other.png">'
    col.media.write_data("other.png", OTHER_PNG)
    col.update_note(other)
    sync_vault(col, vault, SyncOptions())
    text = path.read_text()
    assert "What does it look like? :: ![[heart.png|120]] a heart #card ^cc-" in text
    assert "And this one? :: ![[other.png]] #card ^cc-" in text
    assert (vault / "attachments" / "other.png").read_bytes() == OTHER_PNG
    assert sync_vault(col, vault, SyncOptions()).summary.anki.updated == 0


def test_several_vaults_are_one_undo_step(col: Collection, vault: Path, tmp_path: Path) -> None:
    other = tmp_path / "Other"
    other.mkdir()
    (other / "note.md").write_text("#flashcards\n\nElsewhere? :: here\n")
    results = sync_vaults(col, [vault, other], SyncOptions())
    assert [r.summary.anki.created for r in results] == [5, 1]
    assert col.undo_status().undo == "Sync vaults"
    col.undo()
    assert cards(col) == {}
