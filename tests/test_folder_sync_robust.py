"""The folder sync under stress: random edits on both sides converge with nothing
lost, and a sync process killed at any moment leaves a state the next sync repairs."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.decks import DeckId
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addon.core.conflicts import has_record
from addon.core.note_type_defs import KEY_FIELD
from addon.sync.engine import sync_folder
from addon.sync.options import SyncOptions

ROOT = Path(__file__).resolve().parent.parent
KEY_LINE = re.compile(r"<!-- note_key: (\S+) -->")

# One edit: (side, action, which note, token). Tokens are plain words, so they read
# the same in Markdown and in HTML.
edit = st.tuples(
    st.sampled_from(["markdown", "anki"]),
    st.sampled_from(["edit", "edit", "add", "delete"]),
    st.integers(0, 20),
)
# A round may start with the collection going back to the file as an earlier sync
# left it (a restored backup, an AnkiWeb download): which one, counted from the first.
restore = st.one_of(st.none(), st.integers(0, 3))
rounds = st.lists(st.tuples(restore, st.lists(edit, max_size=5)), min_size=1, max_size=3)


def _blocks(path: Path) -> list[str]:
    return [b for b in path.read_text().split("\n---\n\n") if b.strip()]


def _anki_notes(col: Collection) -> dict[str, dict[str, str]]:
    out = {}
    for note_id in col.find_notes("note:MarkdownQA"):
        note = col.get_note(note_id)
        out[note[KEY_FIELD]] = {"Question": note["Question"], "Answer": note["Answer"]}
    return out


def _apply(
    col: Collection,
    path: Path,
    round_edits: list[tuple[str, str, int]],
    n: int,
    stamp: Callable[[Path], None],
) -> set[str]:
    """Make the edits; returns the tokens that must survive the sync: every note
    added, and each side's last edit of a note (an earlier one it replaced itself)."""
    added: set[str] = set()
    latest: dict[tuple[str, str], str] = {}
    touched: dict[tuple[str, str], str] = {}  # (side, key) → last action
    for step, (side, action, which) in enumerate(round_edits):
        token = f"w{n}x{step}"
        if side == "markdown":
            blocks = _blocks(path)
            keyed = [b for b in blocks if KEY_LINE.search(b)]
            if action == "add" or not keyed:
                blocks.append(f"Q: {token}\nA: new\n")
                added.add(token)
            else:
                index = blocks.index(keyed[which % len(keyed)])
                key = KEY_LINE.search(blocks[index]).group(1)  # type: ignore[union-attr]
                if action == "edit" and touched.get((side, key)) != "delete":
                    # The whole question, a conflict record in it included (resolving it).
                    question = re.compile(r"(?ms)^Q:[ \n].*?(?=^A: |\Z)")
                    blocks[index] = question.sub(f"Q: {token}\n", blocks[index], count=1)
                    latest[(side, key)] = token
                    touched[(side, key)] = "edit"
                elif action == "delete" and (side, key) not in touched:
                    del blocks[index]
                    touched[(side, key)] = "delete"
            path.write_text("\n---\n\n".join(b.strip("\n") + "\n" for b in blocks))
            stamp(path)
        else:
            notes = sorted(col.find_notes("note:MarkdownQA"))
            if action == "add" or not notes:
                model = col.models.by_name("MarkdownQA")
                assert model is not None
                note = col.new_note(model)
                note["Question"], note["Answer"] = token, "new"
                col.add_note(note, DeckId(col.decks.id("Deck") or 1))
                latest[(side, str(note.id))] = token
                touched[(side, str(note.id))] = "edit"
                continue
            note = col.get_note(notes[which % len(notes)])
            key = str(note.id)
            if action == "edit" and touched.get((side, key)) != "delete":
                note["Question"] = token
                col.update_note(note)
                latest[(side, key)] = token
                touched[(side, key)] = "edit"
            elif action == "delete" and (side, key) not in touched:
                col.remove_notes([note.id])
                touched[(side, key)] = "delete"
    # A note deleted on one side and edited on the other comes back: its token stays.
    return added | set(latest.values())


def _check_converged(col: Collection, path: Path, expected: set[str]) -> None:
    blocks = _blocks(path)
    md = {}
    for block in blocks:
        found = KEY_LINE.search(block)
        assert found, f"a note without a key after the sync:\n{block}"
        assert found.group(1) not in md, "a key twice in the file"
        md[found.group(1)] = block
    anki = _anki_notes(col)
    # A note with an unresolved conflict is left alone, even when Anki deleted it.
    waiting = {key for key, block in md.items() if has_record(block.split("Q:", 1)[1])}
    assert set(md) - waiting == set(anki) - waiting and set(anki) <= set(md)
    for key, block in md.items():
        question = re.search(r"(?ms)^Q:[ \n](.*?)(?=^A: |\Z)", block)
        assert question is not None
        if key not in waiting:
            assert question.group(1).strip() == anki[key]["Question"], repr(block)
    everything = path.read_text() + repr(anki)
    lost = {t for t in expected if not re.search(rf"\b{t}\b", everything)}
    assert not lost, f"edits lost: {lost}"


def _sync_and_check(col: Collection, folder: Path, expected: set[str], moved_back: bool) -> None:
    options = SyncOptions(confirmed=True)
    summary = sync_folder(col, folder, options).summary
    assert not summary.errors, summary.text()
    if moved_back:
        assert summary.anki.deleted == summary.markdown.deleted == 0
    _check_converged(col, folder / "Deck.md", expected)
    again = sync_folder(col, folder, options).summary
    assert again.anki.updated == again.markdown.updated == again.anki.created == 0
    assert not again.moved_back


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rounds=rounds)
def test_random_edits_on_both_sides_converge_with_nothing_lost(
    empty_collection_file: Path,
    tmp_path_factory: pytest.TempPathFactory,
    file_times: Callable[[Path], None],
    rounds: list[tuple[int | None, list[tuple[str, str, int]]]],
) -> None:
    base = tmp_path_factory.mktemp("prop")
    shutil.copy(empty_collection_file, base / "c.anki2")
    folder = base / "notes"
    folder.mkdir()
    path = folder / "Deck.md"
    path.write_text("\n---\n\n".join(f"Q: start{i}\nA: a{i}\n" for i in range(4)))
    collection = base / "c.anki2"
    snapshots: list[Path] = []

    def snapshot(col: Collection) -> Collection:
        col.close()
        snapshots.append(base / f"snapshot{len(snapshots)}.anki2")
        shutil.copy(collection, snapshots[-1])
        return Collection(str(collection))

    col = Collection(str(collection))
    try:
        sync_folder(col, folder, SyncOptions(confirmed=True))
        col = snapshot(col)
        for n, (restore_to, round_edits) in enumerate(rounds):
            if restore_to is not None:
                col.close()
                shutil.copy(snapshots[restore_to % len(snapshots)], collection)
                col = Collection(str(collection))
                # Everything the files hold outlives the collection going back.
                kept = set(re.findall(r"\bw\d+x\d+\b", path.read_text()))
                _sync_and_check(col, folder, kept, moved_back=True)
            _sync_and_check(
                col, folder, _apply(col, path, round_edits, n, file_times), moved_back=False
            )
            col = snapshot(col)
    finally:
        col.close()


def _make_folder(folder: Path, notes: int) -> None:
    folder.mkdir()
    for deck in range(10):
        (folder / f"Deck{deck}.md").write_text(
            "\n---\n\n".join(
                f"Q: question {deck}-{i} with **bold** and `code`\nA: answer {i}\n"
                for i in range(notes // 10)
            )
        )


def _run_sync(collection: Path, folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "addon", "sync", "--collection", str(collection),
         "--folder", str(folder), "--yes"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def test_a_sync_killed_at_any_moment_is_repaired_by_the_next(
    empty_collection_file: Path, tmp_path: Path
) -> None:
    notes = 3000
    timing = tmp_path / "timing"
    timing.mkdir()
    shutil.copy(empty_collection_file, timing / "c.anki2")
    _make_folder(timing / "notes", notes)
    started = time.monotonic()
    assert _run_sync(timing / "c.anki2", timing / "notes").wait() == 0
    duration = time.monotonic() - started
    for fraction in (0.3, 0.5, 0.7, 0.85, 0.95):
        run = tmp_path / f"kill-{fraction}"
        run.mkdir()
        shutil.copy(empty_collection_file, run / "c.anki2")
        _make_folder(run / "notes", notes)
        process = _run_sync(run / "c.anki2", run / "notes")
        time.sleep(duration * fraction)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        col = Collection(str(run / "c.anki2"))
        try:
            summary = sync_folder(col, run / "notes", SyncOptions(confirmed=True)).summary
            assert not summary.errors and not summary.conflicts, summary.text()
            keys: list[str] = []
            for path in sorted((run / "notes").glob("*.md")):
                keys += KEY_LINE.findall(path.read_text())
            assert len(keys) == len(set(keys)) == notes
            in_anki = col.find_notes("note:MarkdownQA")
            assert len(in_anki) == notes
            assert {col.get_note(i)[KEY_FIELD] for i in in_anki} == set(keys)
            again = sync_folder(col, run / "notes", SyncOptions()).summary
            assert again.anki.unchanged == notes and again.markdown.unchanged == notes
        finally:
            col.close()
